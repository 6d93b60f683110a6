"""The offline replica: deterministic, varied per seed, truthful about what it serves, HTTP-correct.

Checks against served pages use plain string presence (and, for `body_html`, the contract's own
cleaning steps on the body container): no extractor is written here.
"""

from __future__ import annotations

import gzip
import html
import http.client
import json
import random
import re
import signal
import subprocess
import sys
import time
import unicodedata
from datetime import timedelta
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

import lxml.html
import pytest

from tests.replica import Replica, serve_replica
from tests.replica.chrome import BODY_CONTAINER_XPATH, MOST_READ_RE, TEMPLATES
from tests.replica.model import (
    DELETES_OLD,
    DELETES_RECENT,
    EDITS_OLD,
    EDITS_RECENT,
    NEW_PER_EPOCH,
    make_config,
)
from tests.replica.text import slugify, to_cp1258

ROOT = Path(__file__).resolve().parent.parent
N = 200
TRUTH_KEYS = {
    "type", "id", "article_id", "album_id", "edition", "editions_seen", "language", "canonical_url",
    "sections", "kicker", "title", "lead", "body_text", "body_html", "images", "byline_raw", "authors",
    "translators", "source_credit", "published_raw", "published_at", "published_precision", "links",
    "translation_of", "source_url",
}  # fmt: skip


@cache
def replica(
    seed: int = 1, epoch: int = 0, breaks: tuple[str, ...] = (), articles: int = N
) -> Replica:
    return Replica(articles=articles, seed=seed, epoch=epoch, breaks=breaks)


@cache
def truth(seed: int = 1, epoch: int = 0, breaks: tuple[str, ...] = ()) -> list[dict]:
    return list(replica(seed, epoch, breaks).truth_records())


def page(rep: Replica, edition: str, path: str, rnd_seed: int = 0) -> str:
    p = rep.route(edition, path, random.Random(rnd_seed))
    assert p.status == 200, (edition, path, p.status)
    return p.body


def seed_with(pred) -> int:
    return next(s for s in range(200) if pred(make_config(s)))


# ---------------------------------------------------------------------------------------------------------
# determinism and variation


def test_same_seed_same_pages_modulo_most_read_box():
    a, b = Replica(articles=N, seed=7), Replica(articles=N, seed=7)
    rec = next(r for r in truth(7) if r["type"] == "article" and r["images"])
    paths = [("vi", "/"), ("en", "/"), (rec["edition"], rec["_path"])]
    sec = a.cfg.sections["vi"][0]
    paths.append(("vi", a.page_path(sec, 2)))
    for ed, path in paths:
        assert page(a, ed, path, 1) == page(b, ed, path, 1)
        x, y = page(a, ed, path, 1), page(a, ed, path, 2)
        box = MOST_READ_RE[a.cfg.chrome[ed]]
        assert re.sub(box, "", x, flags=re.S) == re.sub(box, "", y, flags=re.S)
    assert list(a.truth_records()) == truth(7)


def test_most_read_box_varies_between_visits_but_etag_does_not():
    rep = replica(1)
    rec = next(r for r in truth(1) if r["type"] == "article")
    bodies = {rep.respond(rec["edition"], "GET", rec["_path"], {}).body for _ in range(6)}
    assert len(bodies) > 1
    tags = {
        dict(rep.respond(rec["edition"], "GET", rec["_path"], {}).headers)["ETag"] for _ in range(3)
    }
    assert len(tags) == 1


def test_seeds_vary_what_site_md_marks_unknown():
    cfgs = [make_config(s) for s in range(16)]
    assert len({c.chrome["vi"] for c in cfgs}) >= 3
    assert len({c.pagination for c in cfgs}) >= 2
    assert len({tuple(s.slug for s in c.sections["en"]) for c in cfgs}) >= 3
    assert len({tuple(s.slug for s in c.sections["vi"]) for c in cfgs}) >= 2  # the extra section
    assert len({tuple(s.name for s in c.sections["vi"]) for c in cfgs}) >= 3
    assert len({c.page_size for c in cfgs}) >= 3
    assert {c.slugless for c in cfgs} == {"resolve", "strict"}
    for c in cfgs:  # the docs/site.md sections are always there
        slugs = {s.slug for s in c.sections["vi"]}
        assert {"thoi-su-chinh-tri/long-an", "kinh-te/nong-nghiep", "doi-song-xa-hoi",
                "quoc-phong/thong-tin-quoc-phong", "kinh-te", "quoc-phong"} <= slugs  # fmt: skip


def test_chromes_differ_in_markup_and_metadata():
    seen = {}
    for name in TEMPLATES:
        s = seed_with(lambda c, name=name: c.chrome["vi"] == name)
        rec = next(r for r in truth(s) if r["type"] == "article" and r["language"] == "vi")
        seen[name] = page(replica(s), "vi", rec["_path"])
    assert 'class="content-fck slider-jsgallery"' in seen["fck"]
    assert 'class="detail-content"' in seen["classic"]
    assert 'class="pubdate"' in seen["fck"] and "<time" in seen["modern"]
    assert 'rel="canonical"' not in seen["classic"] and 'rel="canonical"' in seen["fck"]
    assert "application/ld+json" in seen["classic"] and "application/ld+json" not in seen["fck"]


# ---------------------------------------------------------------------------------------------------------
# the model


def test_truth_shape_and_text_rules():
    recs = truth(1)
    ids = [r["id"] for r in recs]
    assert len(ids) == len(set(ids))
    arts = [r for r in recs if r["type"] == "article"]
    assert len(arts) == N
    for r in recs:
        assert set(r) >= TRUTH_KEYS, set(TRUTH_KEYS) - set(r)
        assert all(k in TRUTH_KEYS or k.startswith("_") for k in r)
        for k, v in r.items():
            if isinstance(v, str):
                assert unicodedata.is_normalized("NFC", v), k
                assert "\ufffd" not in v and "\u200b" not in v
                if k not in ("body_text", "body_html"):
                    assert "\n" not in v and v == v.strip() and "  " not in v, (k, v)
        assert r["sections"] == sorted(r["sections"], key=lambda s: s["slug"]) and r["sections"]
        assert r["edition"] in r["editions_seen"]
        if r["published_at"]:
            assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:00\+07:00", r["published_at"])
            assert re.fullmatch(r"\d\d/\d\d/\d{4} - \d\d:\d\d", r["published_raw"])
        for i, img in enumerate(r["images"]):
            assert img["position"] == i
            assert img["url"].startswith(
                ("https://www.baolongan.vn/image/", "http://image.baolongan.vn/news/")
            )
    for r in arts:
        slug = slugify(r["title"])
        assert (
            r["canonical_url"]
            == f"https://{'news.' if r['edition'] == 'en' else ''}baolongan.vn/{slug}-a{r['article_id']}.html"
        )
        assert r["id"] not in r["links"]


def test_one_id_sequence_newest_highest_dates_monotonic():
    arts = sorted((r for r in truth(1) if r["type"] == "article"), key=lambda r: r["article_id"])
    assert arts[0]["article_id"] >= 5_900 and arts[-1]["article_id"] <= 197_500
    assert {r["edition"] for r in arts} == {"vi", "en"}
    en_share = sum(r["edition"] == "en" for r in arts) / len(arts)
    assert 0.12 < en_share < 0.4
    dated = [r["published_at"] for r in arts if r["published_at"]]
    assert dated == sorted(dated)
    assert arts[-1]["published_at"].startswith("2025-06-30")
    assert dated[0] < "2016"
    assert any("T00:30:00" in d and d[8:10] == "01" for d in dated)  # 00:30 on the 1st of a month
    assert any(r["published_at"] is None for r in arts)  # rare undated articles
    assert any(r["lead"] is None for r in arts)


def test_english_articles_also_linked_from_vietnamese_host():
    rep = replica(1)
    both = [r for r in truth(1) if r["editions_seen"] == ["en", "vi"]]
    assert both and all(r["edition"] == "en" and r["language"] == "en" for r in both)
    r = both[0]
    vi_urls = [u for u in r["_linked_urls"] if "news." not in u]
    assert vi_urls
    html_vi = page(rep, "vi", r["_path"])
    assert "Tiếng Việt</a> | <a" in html_vi and html.escape(r["title"], quote=False) in html_vi


def test_content_forms_of_site_md_occur():
    recs = [r for s in (1, 2, 3) for r in truth(s) if r["type"] == "article"]
    bylines = [r["byline_raw"] for r in recs if r["byline_raw"]]
    assert any(re.search(r"\S- \S", b) or re.search(r"\S -\S", b) for b in bylines)
    assert any(b.startswith("CTV ") for b in bylines)
    assert any(re.fullmatch(r"By .+ [–-] ?Translated by .+", b) for b in bylines)
    assert any(re.search(r"–Translated by", b) for b in bylines)
    assert any(r["source_credit"] for r in recs) and any(r["byline_raw"] is None for r in recs)
    caps = [i for r in recs for i in r["images"]]
    raws = [i["caption_raw"] or "" for i in caps]
    assert any("(Ảnh: " in c for c in raws) and any("Photograph: " in c for c in raws)
    assert any(c.count("(Photo: ") == 2 or c.count("(Ảnh: ") == 2 for c in raws)
    assert any(i["caption_raw"] is None for i in caps)
    assert any(
        i["caption"] and i["caption_raw"].startswith(i["caption"] + " " + i["caption"])
        for i in caps
    )
    assert any("%20" in i["url"] or "%C3" in i["url"] or "%E1" in i["url"] for i in caps)
    assert any(i["url"].endswith(".webp") for i in caps)
    assert any(i["url"].startswith("http://image.baolongan.vn/news/") for i in caps)
    assert any(r["kicker"] for r in recs)
    assert any(r["body_text"] and r["body_text"].endswith("./.") for r in recs)
    assert any("<strong>" in (r["body_html"] or "") for r in recs)
    hrefs = [h for r in recs for h in re.findall(r'href="([^"]+)"', r["body_html"] or "")]
    assert {urlsplit(h).scheme for h in hrefs} >= {"http", "https"}
    assert any(urlsplit(h).netloc.startswith("www.") for h in hrefs)
    albums = [r for s in (1, 2, 3) for r in truth(s) if r["type"] == "album"]
    assert albums and any(a["translators"] for a in albums)
    assert all(
        a["byline_raw"] is None or a["byline_raw"].startswith("(Translated by ") for a in albums
    )


# ---------------------------------------------------------------------------------------------------------
# truth against what is served


KEEP = {"p", "strong", "b", "em", "i", "a", "img", "br", "h2", "h3", "h4", "ul", "ol", "li", "table",
        "tr", "td", "th", "figure", "figcaption"}  # fmt: skip


SOURCE_LINE_RE = re.compile(r"^(?:Source|Nguồn): https?://\S+$")


def contract_body_html(page_html: str, chrome: str) -> str | None:
    """docs/contract.md body_html steps 1-4 applied to the served body container."""
    doc = lxml.html.fromstring(page_html)
    (box,) = doc.xpath(BODY_CONTAINER_XPATH[chrome])
    for el in box.xpath(
        './/div[@class="sapo"] | .//p[@style="text-align: right;"] | .//div[@class="share-box"]'
        " | .//script | .//style | .//comment()"
    ):
        el.drop_tree()
    for el in box.xpath(".//p"):  # the closing Source:/Nguồn: line is not body (docs/contract.md)
        if SOURCE_LINE_RE.match(el.text_content()):
            el.drop_tree()
    for el in list(box.iterdescendants()):
        if el.tag not in KEEP:
            el.drop_tag()
    for el in box.iter():
        keep = {"a": ("href",), "img": ("src", "alt")}.get(el.tag, ())
        for k in list(el.attrib):
            if k not in keep:
                del el.attrib[k]
    assert not (box.text or "").strip() and all(not (c.tail or "").strip() for c in box)
    out = "\n".join(lxml.html.tostring(c, encoding="unicode", with_tail=False) for c in box)
    return out or None


@pytest.mark.parametrize("chrome", sorted(TEMPLATES))
def test_truth_is_what_pages_show(chrome):
    s = seed_with(lambda c: c.chrome["vi"] == chrome)
    rep = replica(s)
    recs = [r for r in truth(s) if r["type"] == "article"]
    for r in recs:
        for ed in r["editions_seen"]:
            text = page(rep, ed, r["_path"])
            ch = rep.cfg.chrome[ed]
            assert html.escape(r["title"], quote=False) in text
            if TEMPLATES[ch].has_canonical:
                assert f'<link rel="canonical" href="{r["canonical_url"]}">' in text
            for img in r["images"]:
                assert f'src="{img["url"]}"' in text
            for v in (r["published_raw"], r["lead"], r["kicker"], r["byline_raw"]):
                if v:
                    assert html.escape(v, quote=False) in text
            if r["published_raw"] is None:
                assert not re.search(r"\d\d/\d\d/\d{4} - \d\d:\d\d", text)
            assert contract_body_html(text, ch) == r["body_html"], r["id"]
    for r in (r for r in truth(s) if r["type"] == "album"):
        text = page(rep, r["edition"], r["_path"])
        assert html.escape(r["title"], quote=False) in text
        assert all(f'src="{i["url"]}"' in text for i in r["images"])
        if r["published_raw"]:
            assert r["published_raw"] in text
        else:
            assert not re.search(r"\d\d/\d\d/\d{4} - \d\d:\d\d", text)


def _listing_ids(rep: Replica, ed: str, section) -> set[int]:
    """Article ids in the main entries of every page of a listing (links outside the main list
    -- menu, most-read box -- are not article links or are cut out)."""
    out: set[int] = set()
    box = MOST_READ_RE[rep.cfg.chrome[ed]]
    n, last = 1, None
    while True:
        text = re.sub(box, "", page(rep, ed, rep.page_path(section, n)), flags=re.S)
        ids = tuple(re.findall(r'href="[^"]*-a(\d+)\.html"', text))
        if ids == last:  # a page past the last repeats the last page
            return out
        out.update(map(int, ids))
        last, n = ids, n + 1


def test_sections_in_truth_match_listings():
    for s in (1, seed_with(lambda c: c.pagination == "page")):
        rep = replica(s)
        expect: dict[tuple[str, str], set[int]] = {}
        for r in truth(s):
            if r["type"] == "article":
                for sec in r["sections"]:
                    expect.setdefault((r["edition"], sec["slug"]), set()).add(r["article_id"])
        for ed in ("vi", "en"):
            for sec in rep.cfg.sections[ed]:
                if sec.albums:
                    continue
                assert _listing_ids(rep, ed, sec) == expect.get((ed, sec.slug), set()), sec.slug
                menu = page(rep, ed, "/")
                assert f">{html.escape(sec.name, quote=False)}</a>" in menu


def test_pagination_is_discovered_by_links_and_repeats_last_page():
    for style in ("query", "trang", "page"):
        s = seed_with(lambda c, style=style: c.pagination == style)
        rep = replica(s)
        sec = max(
            rep.cfg.sections["vi"], key=lambda x: len(rep.site.listing_positions("vi", x.slug))
        )
        first = page(rep, "vi", sec.path)
        link2 = html.escape(rep.page_path(sec, 2, number_link=True))
        assert f'href="{link2}"' in first or f'href="{html.escape(rep.page_path(sec, 2))}"' in first
        n_pages = -(-len(rep.site.listing_positions("vi", sec.slug)) // rep.cfg.page_size)
        if style != "page" and n_pages > 4:
            assert html.escape(rep.page_path(sec, n_pages, number_link=True)) not in first
        box = MOST_READ_RE[rep.cfg.chrome["vi"]]
        last = re.sub(box, "", page(rep, "vi", rep.page_path(sec, n_pages)), flags=re.S)
        past = re.sub(box, "", page(rep, "vi", rep.page_path(sec, n_pages + 5)), flags=re.S)
        assert last == past


# ---------------------------------------------------------------------------------------------------------
# epochs


def test_epoch_counts():
    t0 = {r["id"]: r for r in truth(1, 0) if r["type"] == "article"}
    for k in (1, 2):
        rep = replica(1, k)
        tk = {r["id"]: r for r in truth(1, k) if r["type"] == "article"}
        added, removed = set(tk) - set(t0), set(t0) - set(tk)
        assert len(added) == NEW_PER_EPOCH * k
        assert sum(tk[i]["edition"] == "en" for i in added) == 3 * k
        assert len(removed) == (DELETES_RECENT + DELETES_OLD) * k
        assert min(int(i.split(":")[1]) for i in added) > max(int(i.split(":")[1]) for i in t0)
        assert all(tk[i]["published_at"].startswith("2025-06-30") for i in added)
        content = ("title", "body_html", "images", "lead", "kicker")
        changed = [i for i in set(t0) & set(tk) if any(t0[i][f] != tk[i][f] for f in content)]
        assert len(changed) == (EDITS_RECENT + EDITS_OLD) * k
        ch = rep.site.changes()
        for e in range(1, k + 1):
            ed = ch["edited_by_epoch"][e]
            assert (
                sum(rec for _, _, rec in ed) == EDITS_RECENT and len(ed) == EDITS_RECENT + EDITS_OLD
            )
            de = ch["deleted_by_epoch"][e]
            assert (
                sum(rec for _, rec in de) == DELETES_RECENT
                and len(de) == DELETES_RECENT + DELETES_OLD
            )
        for i in removed:
            assert rep.route(t0[i]["edition"], t0[i]["_path"]).status == 404
        retitled = [i for i in changed if t0[i]["title"] != tk[i]["title"]]
        assert len(retitled) == 2 * k
        for i in retitled:
            old = rep.respond(t0[i]["edition"], "GET", t0[i]["_path"], {}, base="http://x")
            assert (
                old.status == 301 and dict(old.headers)["Location"] == "http://x" + tk[i]["_path"]
            )
        newest = max(added, key=lambda i: int(i.split(":")[1]))
        sec = tk[newest]["sections"][0]["slug"]
        listing = page(rep, tk[newest]["edition"], f"/{sec}/")
        assert tk[newest]["_path"] in listing


def test_recent_means_within_30_days():
    rep = replica(1, 2)
    for aid, _kind, recent in rep.site.changes()["edited_by_epoch"][2]:
        pub = rep.site.dt(rep.site.pos_of(aid))
        if recent:
            assert rep.site.midnight - pub < timedelta(days=29)
        else:
            assert rep.site.midnight - pub > timedelta(days=31)
    for aid, recent in rep.site.changes()["deleted_by_epoch"][1]:
        pub = rep.site.dt(rep.site.pos_of(aid))
        assert (rep.site.midnight - pub < timedelta(days=29)) == recent


# ---------------------------------------------------------------------------------------------------------
# HTTP behaviour


def test_conditional_requests_answer_304():
    rep = replica(1)
    rec = next(r for r in truth(1) if r["type"] == "article" and not r["_irregular"])
    ed, path = rec["edition"], rec["_path"]
    first = rep.respond(ed, "GET", path, {})
    h = dict(first.headers)
    assert first.status == 200 and h["ETag"] and h["Last-Modified"]
    assert rep.respond(ed, "GET", path, {"if-none-match": h["ETag"]}).status == 304
    assert rep.respond(ed, "GET", path, {"if-modified-since": h["Last-Modified"]}).status == 304
    assert (
        rep.respond(ed, "GET", path, {"if-modified-since": "Mon, 01 Jan 2001 00:00:00 GMT"}).status
        == 200
    )
    assert rep.respond(ed, "GET", path, {"if-none-match": 'W/"nope"'}).status == 200
    # an edit changes the validators
    rep2 = replica(1, 1)
    edited = next(rep2.site.article(p) for p in rep2.site.edits if rep2.site.live(p))
    old = rep.respond(edited.lang, "GET", rep.site.article(edited.pos).path, {})
    new = rep2.respond(
        edited.lang, "GET", edited.path, {"if-none-match": dict(old.headers)["ETag"]}
    )
    assert new.status == 200 and dict(new.headers)["ETag"] != dict(old.headers)["ETag"]


def test_slugless_modes():
    for mode in ("resolve", "strict"):
        rep = Replica(articles=N, seed=1, slugless=mode)
        art = rep.site.article(next(rep.site.live_positions()))
        resp = rep.respond(art.lang, "GET", f"/tin-sai-a{art.aid}.html", {}, base="http://h")
        assert resp.status == (301 if mode == "resolve" else 404)
        if mode == "resolve":
            assert dict(resp.headers)["Location"] == "http://h" + art.path
    assert replica(1).route("vi", "/khong-co-trang-nay/").status == 404
    assert replica(1).route("vi", "/x-a1.html").status == 404


def test_irregularities_match_manifest():
    rep = replica(1)
    man = rep.manifest("http://v", "http://e")
    kinds = {e["kind"] for e in man["entries"]}
    assert kinds >= {"status", "slow", "nfd", "charset_lie", "cp1258", "redirect", "gone"}
    for e in man["entries"]:
        ed, path = e["edition"], e["path"]
        if e["kind"] == "status":
            for n, st in enumerate(e["statuses"], 1):
                r = rep.respond(ed, "GET", path, {}, attempt=n)
                assert r.status == st and dict(r.headers)["Retry-After"] == "1"
            assert rep.respond(ed, "GET", path, {}, attempt=len(e["statuses"]) + 1).status == 200
        elif e["kind"] == "slow":
            assert rep.respond(ed, "GET", path, {}).delay == e["delay"] <= 1.5
        elif e["kind"] == "nfd":
            body = rep.respond(ed, "GET", path, {}).body.decode()
            assert not unicodedata.is_normalized("NFC", body)
            assert unicodedata.normalize("NFD", body) == body
        elif e["kind"] == "charset_lie":
            r = rep.respond(ed, "GET", path, {})
            assert dict(r.headers)["Content-Type"] == e["header"]
            text = r.body.decode("utf-8")
            assert '<meta charset="utf-8">' in text or "charset=utf-8" in text
            assert "Đ" in text or "đ" in text
        elif e["kind"] == "cp1258":
            r = rep.respond(ed, "GET", path, {})
            assert dict(r.headers)["Content-Type"] == e["header"]
            text = r.body.decode("cp1258")
            assert "windows-1258" in text
            assert not unicodedata.is_normalized("NFC", text)  # combining tone marks
            rec = next(t for t in truth(1) if t["_path"] == path)
            assert html.escape(rec["title"], quote=False) in unicodedata.normalize("NFC", text)
        elif e["kind"] == "redirect":
            r = rep.respond(ed, "GET", path, {}, base="http://v")
            assert r.status == 301 and dict(r.headers)["Location"] == "http://v" + e["location"]
        elif e["kind"] == "gone":
            assert rep.respond(ed, "GET", path, {}).status == 404
            assert e["linked_from"] or e["deleted_at_epoch"] == 0
    assert any(e["kind"] == "gone" and e["linked_from"] for e in man["entries"])
    assert any(e["kind"] == "redirect" and e["linked_from"] for e in man["entries"])
    # --no-irregular: everything regular except gzip
    plain = Replica(articles=N, seed=1, irregular=False)
    assert not plain.plan()
    for e in man["entries"]:
        if e["kind"] in ("status", "nfd", "charset_lie", "cp1258"):
            r = plain.respond(e["edition"], "GET", e["path"], {"accept-encoding": "gzip"})
            assert r.status == 200 and "charset=utf-8" in dict(r.headers)["Content-Type"]
            assert not r.chunked


def test_cp1258_encoder_matches_python_codec():
    s = "Đẩy mạnh phát triển kinh tế – xã hội ở huyện Đức Hòa: “Ước mơ”"
    data = to_cp1258(s)
    assert unicodedata.normalize("NFC", data.decode("cp1258")) == s
    assert slugify("Đời sống - Xã hội: Ước mơ!") == "doi-song-xa-hoi-uoc-mo"


def test_gzip_and_chunked_follow_the_transfer_plan():
    rep = replica(1)
    paths = [("vi", "/"), ("en", "/")] + [(r["edition"], r["_path"]) for r in truth(1)[:60]]
    kinds = set()
    for ed, path in paths:
        plan = rep.transfer_plan(ed, path)
        r = rep.respond(ed, "GET", path, {"accept-encoding": "gzip, deflate"}, attempt=9)
        h = dict(r.headers)
        assert (h.get("Content-Encoding") == "gzip") == plan["gzip"]
        if plan["gzip"]:
            gzip.decompress(r.body)
        assert r.chunked == plan["chunked"]
        kinds.add((plan["gzip"], plan["chunked"]))
        assert "Content-Encoding" not in dict(rep.respond(ed, "GET", path, {}, attempt=9).headers)
    assert len(kinds) >= 3


def test_break_removes_field_everywhere():
    for field, keys in (("published", ("published_raw", "published_at")), ("title", ("title",)),
                        ("lead", ("lead",)), ("byline", ("byline_raw",))):  # fmt: skip
        rep = replica(4, 0, (field,))
        recs = truth(4, 0, (field,))
        base = {r["id"]: r for r in truth(4)}
        assert all(r[k] is None for r in recs for k in keys)
        r = next(r for r in recs if r["type"] == "article" and base[r["id"]][keys[0]])
        text = page(rep, r["edition"], r["_path"])
        assert html.escape(base[r["id"]][keys[0]], quote=False) not in text.split("<aside")[0]
        if field == "published":
            assert "published_time" not in text and "datePublished" not in text
        if field == "title":
            assert "og:title" not in text and '"headline"' not in text


@pytest.mark.parametrize("field", ["body", "images", "captions", "kicker"])
def test_break_of_body_parts_keeps_truth_and_pages_in_step(field):
    rep = replica(4, 0, (field,))
    chrome = rep.cfg.chrome["vi"]
    recs = [r for r in truth(4, 0, (field,)) if r["type"] == "article" and r["edition"] == "vi"]
    for r in recs:
        text = page(rep, "vi", r["_path"])
        assert contract_body_html(text, chrome) == r["body_html"]
        if field == "body":
            assert r["body_html"] is None and r["images"] == [] and r["links"] == []
        if field == "images":
            assert r["images"] == [] and "<img" not in (r["body_html"] or "")
        if field == "captions":
            assert all(i["caption_raw"] is None for i in r["images"])
        if field == "kicker":
            assert r["kicker"] is None
    assert any(r["images"] for r in truth(4) if r["type"] == "article")


def test_images_and_requisites_served_on_both_ports():
    rep = replica(1)
    rec = next(r for r in truth(1) if r["images"])
    for img in rec["images"]:
        path = urlsplit(img["url"]).path
        for ed in ("vi", "en"):
            r = rep.respond(ed, "GET", path, {"accept-encoding": "gzip"})
            assert r.status == 200 and dict(r.headers)["Content-Type"].startswith("image/")
            assert "Content-Encoding" not in dict(r.headers)
    ch = TEMPLATES[rep.cfg.chrome["vi"]]
    for req in (ch.css, ch.js, "/favicon.ico", "/robots.txt"):
        assert rep.respond("vi", "GET", req, {}).status == 200
    robots = rep.route("vi", "/robots.txt").body
    assert "Disallow: /tim-kiem/" in robots and "Crawl-delay: 5" in robots
    assert 'href="/tim-kiem/' in page(rep, "vi", "/")


def test_100k_articles_start_fast_and_lazily():
    t = time.perf_counter()
    rep = Replica(articles=100_000, seed=3)
    art = rep.site.article(rep.site.M - 1)
    html_ = page(rep, art.lang, art.path)
    elapsed = time.perf_counter() - t
    print(f"100k replica: first article page after {elapsed:.2f}s")
    assert html.escape(art.title, quote=False) in html_
    assert 190_000 < art.aid <= 197_500


# ---------------------------------------------------------------------------------------------------------
# the server process


def test_help_lists_every_option():
    out = subprocess.run(
        [sys.executable, "-m", "tests.replica", "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    for opt in ("--port-vi", "--port-en", "--articles", "--seed", "--epoch", "--today", "--truth",
                "--access-log", "--break", "--crawl-delay", "--slugless", "--manifest", "--no-irregular"):  # fmt: skip
        assert opt in out


def _get(base: str, path: str, headers: dict | None = None) -> tuple[int, dict, bytes]:
    u = urlsplit(base)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=10)
    conn.request("GET", path, headers=headers or {})
    resp = conn.getresponse()
    body = resp.read()
    conn.close()
    return resp.status, {k.lower(): v for k, v in resp.getheaders()}, body


def test_server_subprocess_end_to_end(tmp_path):
    with serve_replica(tmp_path, articles=N, seed=2) as srv:
        man = srv.manifest_data()
        assert man["vi"] == srv.vi and man["en"] == srv.en
        recs = srv.truth_records()
        assert recs == truth(2)
        st, h, body = _get(srv.vi, "/", {"Accept-Encoding": "gzip"})
        assert st == 200 and h.get("content-encoding") in ("gzip", None)
        st, h, robots = _get(srv.en, "/robots.txt")
        assert b"Crawl-delay: 0" in robots
        status_entry = next(e for e in man["entries"] if e["kind"] == "status")
        base = srv.vi if status_entry["edition"] == "vi" else srv.en
        for expected in [*status_entry["statuses"], 200]:
            st, h, _ = _get(base, status_entry["path"])
            assert st == expected
            if expected != 200:
                assert h["retry-after"] == "1"
        slow = next(e for e in man["entries"] if e["kind"] == "slow")
        t = time.perf_counter()
        _get(srv.vi if slow["edition"] == "vi" else srv.en, slow["path"])
        assert time.perf_counter() - t >= slow["delay"] - 0.05
        rec = next(r for r in recs if r["type"] == "article" and not r["_irregular"])
        b = srv.vi if rec["edition"] == "vi" else srv.en
        st, h, raw = _get(b, rec["_path"], {"Accept-Encoding": "gzip", "User-Agent": "t/1"})
        st2, _, _ = _get(b, rec["_path"], {"If-None-Match": h["etag"]})
        assert (st, st2) == (200, 304)
        # an image path of a production URL on the en port too
        img = next(i for r in recs for i in r["images"])
        st, h, _ = _get(srv.en, urlsplit(img["url"]).path)
        assert st == 200 and h["content-type"].startswith("image/")
        time.sleep(0.1)
        log = srv.access()
        entry = next(e for e in log if e["path"] == rec["_path"] and e["status"] == 200)
        import hashlib

        assert entry["sha1"] == hashlib.sha1(raw).hexdigest() and entry["bytes"] == len(raw)
        assert entry["user_agent"] == "t/1" and entry["edition"] == rec["edition"]
        assert any(
            e["status"] == 304 and e["if_none_match"] == h.get("etag", e["if_none_match"])
            for e in log
        )
        attempts = [e["attempt"] for e in log if e["path"] == status_entry["path"]]
        assert attempts == list(range(1, len(attempts) + 1))
        assert {"time", "edition", "method", "path", "status", "bytes", "sha1", "if_none_match",
                "if_modified_since", "user_agent", "attempt"} <= set(entry)  # fmt: skip
        proc = srv.proc
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=10) == 0


def test_cli_rejects_bad_arguments(tmp_path):
    r = subprocess.run(
        [sys.executable, "-m", "tests.replica", "--articles", "5"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert r.returncode == 2 and "articles" in r.stderr
    r = subprocess.run(
        [sys.executable, "-m", "tests.replica", "--break", "nonsense"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert r.returncode == 2


def test_ready_line_is_json(tmp_path):
    with serve_replica(tmp_path, articles=60, seed=5, extra=["--no-irregular"]) as srv:
        assert srv.vi.startswith("http://127.0.0.1:") and srv.en != srv.vi
        assert json.loads(srv.manifest.read_text())["irregular"] is False
