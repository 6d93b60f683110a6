"""Generated page chromes (`--chrome-seed N`): any integer draws every page kind on both editions,
the chromes differ with N and reach every dimension, the same N gives the same bytes, and the truth
file does not change with the chrome. Pages are rendered in-process through `Replica.route`."""

from __future__ import annotations

import html
import json
import random
import re
import signal
import subprocess
import sys
from functools import cache
from pathlib import Path

import lxml.html
import pytest

from tests.replica import Replica, serve_replica
from tests.replica.chrome import TEMPLATES
from tests.replica.generated import DIMENSIONS, WIDGET_PLACES, WIDGETS, GeneratedChrome
from tests.replica.generated_words import REAL_BODY_CLASSES
from tests.replica.model import make_config
from tests.replica.pages import Boxes
from tests.replica.render import served_blocks, served_byline

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = 120
ANY_INTS = (0, 1, -1, -7, 42, 123_456_789, 2**40, -(2**63), 10**30)


@cache
def replica(
    chrome_seed: int | None, seed: int = 1, breaks: tuple[str, ...] = (), articles: int = ARTICLES
) -> Replica:
    return Replica(articles=articles, seed=seed, chrome_seed=chrome_seed, breaks=breaks)


@cache
def choices(n: int) -> dict:
    return GeneratedChrome(n).choices


def get(rep: Replica, edition: str, path: str, rnd_seed: int = 0, status: int = 200) -> str:
    page = rep.route(edition, path, random.Random(rnd_seed))
    assert page.status == status, (edition, path, page.status)
    return page.body


def first_with(pred) -> int:
    return next(n for n in range(200) if pred(choices(n)))


def element_texts(page: str) -> set[str]:
    """Whitespace-collapsed text of every element of a page."""
    doc = lxml.html.fromstring(page)
    return {" ".join(el.text_content().split()) for el in doc.iter() if isinstance(el.tag, str)}


def articles(rep: Replica, edition: str, pred=lambda a: True):
    for p in rep.site.live_positions():
        art = rep.site.article(p)
        if art.lang == edition and pred(art):
            yield art


def check_article(rep: Replica, host: str, art) -> str:
    """What the page of an article must show for the truth to be right, whatever the chrome."""
    page = get(rep, host, art.path)
    B = rep.breaks
    for value in (art.title, art.kicker, art.lead, art.byline.raw):
        if value:
            assert html.escape(value, quote=False) in page
    if art.show_date:
        assert art.published_raw in element_texts(page)  # the holder's text, exactly
    else:
        assert art.published_raw not in page
    pos = 0
    for block in served_blocks(art, B):  # the body's own markup, untouched and in order
        found = page.find(block, pos)
        assert found >= 0, block[:80]
        pos = found + len(block)
    assert served_byline(art, B) in page
    for img in art.images:
        assert f'src="{html.escape(img.url)}"' in page
    return page


# ---------------------------------------------------------------------------------------------------------
# any int draws every page kind on both editions


@pytest.mark.parametrize("n", ANY_INTS)
def test_any_int_draws_every_page_kind_on_both_editions(n):
    rep = replica(n)
    assert rep.cfg.chrome == {"vi": f"generated:{n}", "en": f"generated:{n}"}
    for ed in ("vi", "en"):
        assert isinstance(rep.chrome(ed), GeneratedChrome)
        home = get(rep, ed, "/")
        assert home.startswith("<!DOCTYPE html>") and home.rstrip().endswith("</html>")
        for sec in rep.cfg.sections[ed]:
            if sec.parent is None:
                assert f">{html.escape(sec.name, quote=False)}</a>" in home
        sec = max(rep.cfg.sections[ed], key=lambda s: len(rep.site.listing_positions(ed, s.slug)))
        listing = get(rep, ed, sec.path)
        items = rep.site.listing_positions(ed, sec.slug)
        for p in items[: rep.cfg.page_size]:
            assert html.escape(rep.site.path(p)) in listing
        assert len(items) <= rep.cfg.page_size or (
            html.escape(rep.page_path(sec, 2)) in listing
            or html.escape(rep.page_path(sec, 2, number_link=True)) in listing
        )  # the next page is discoverable
        check_article(rep, ed, next(articles(rep, ed)))
        alb = rep.site.album(ed, 0)
        album = get(rep, ed, alb.path)
        assert html.escape(alb.title, quote=False) in album
        assert html.escape(alb.shown_description(rep.breaks), quote=False) in album
        for ph in alb.photos:
            assert f'src="{ph.url}"' in album
            if ph.parts is not None:
                assert "<br>".join(html.escape(x, quote=False) for x in ph.parts) in album
        if rep.chrome(ed).album_date:
            assert alb.published_raw in element_texts(album)
        else:
            assert alb.published_raw not in album
        assert "<h" in get(rep, ed, "/gioi-thieu/") or "<strong" in get(rep, ed, "/gioi-thieu/")
        get(rep, ed, "/khong-co-trang-nay/", status=404)
    en_on_vi = next(articles(rep, "en", lambda a: rep.site.crossposted(a.pos)), None)
    if en_on_vi is not None:  # English content in the Vietnamese chrome
        assert "Tiếng Việt</a> | <a" in check_article(rep, "vi", en_on_vi)


@pytest.mark.parametrize("n", [3, -8, 2**40])
def test_every_item_page_shows_its_truth(n):
    """Every article (on each host that links it) and album of a site, against the model."""
    rep = replica(n, 2)
    for p in rep.site.live_positions():
        art = rep.site.article(p)
        check_article(rep, art.lang, art)
        if rep.site.crossposted(p):
            check_article(rep, "vi", art)
    recs = {r["_path"]: r for r in rep.truth_records() if r["type"] == "album"}
    for path, rec in recs.items():
        page = get(rep, rec["edition"], path)
        assert (rec["published_raw"] in element_texts(page)) if rec["published_raw"] else True
        for img in rec["images"]:
            assert f'src="{img["url"]}"' in page


def test_same_n_same_bytes_and_different_n_different_pages():
    a, b = Replica(articles=ARTICLES, seed=2, chrome_seed=77), replica(77, 2)
    art = next(articles(a, "vi"))
    sec = a.cfg.sections["en"][0]
    paths = [("vi", "/"), ("en", "/"), ("vi", art.path), ("en", a.page_path(sec, 2))]
    paths.append(("en", a.site.album("en", 0).path))
    for ed, path in paths:
        assert get(a, ed, path, 5) == get(b, ed, path, 5)
    pages = {get(replica(n, 2), "vi", art.path) for n in range(8)}
    assert len(pages) == 8


def test_chromes_differ_across_n():
    drawn = [choices(n) for n in range(16)]
    for key, at_least in (("vocab", 4), ("title_tag", 3), ("date_holder", 3), ("layout", 3),
                          ("listing_form", 3), ("byline_at", 2), ("date_at", 3)):  # fmt: skip
        assert len({c[key] for c in drawn}) >= at_least, key
    names = {tuple(sorted(GeneratedChrome(n).names.cls.values())) for n in range(16)}
    assert len(names) >= 12  # vocabularies differ, not only the structure


def test_every_dimension_is_reached_in_range_200():
    drawn = [choices(n) for n in range(200)]
    for key, values in DIMENSIONS.items():
        assert {c[key] for c in drawn} == set(values), key
    widgets = {w for c in drawn for w in c["in_body"]}
    assert widgets == {f"{k}@{p}" for k in WIDGETS for p in WIDGET_PLACES}
    assert {c["body_class"] for c in drawn} >= {*REAL_BODY_CLASSES, ""}
    assert any(not c["in_body"] for c in drawn)


# ---------------------------------------------------------------------------------------------------------
# the choices show in the markup


def article_page(n: int, pred=lambda a: a.kicker and a.lead and a.byline.raw and a.show_date):
    rep = replica(n)
    art = next(articles(rep, "vi", pred))
    return rep, art, check_article(rep, "vi", art)


def test_title_tag_and_link_follow_the_choices():
    for tag in DIMENSIONS["title_tag"]:
        n = first_with(lambda c, tag=tag: c["title_tag"] == tag)
        rep, art, page = article_page(n)
        doc = lxml.html.fromstring(page)
        title = html.escape(art.title, quote=False)
        hits = [el for el in doc.iter(tag) if el.text_content() == art.title]
        assert hits, (n, tag)
        if choices(n)["title_link"]:
            assert (
                f'<a href="{html.escape(rep.ctx("vi").href(art.path))}">{title}</a></{tag}>' in page
            )


def test_date_forms_keep_the_truth_string_in_their_holder():
    seen = set()
    for n in range(60):
        c = choices(n)
        rep, art, page = article_page(n)
        holder = c["date_holder"]
        if holder == "time-dt":
            assert f'<time datetime="{art.published_iso}"' in page
        day, time = art.published_raw.split(" - ")
        if c["date_split"]:
            assert f"<span>{day}</span> - <span>{time}</span>" in page
        if c["date_weekday"]:
            assert re.search(r"<span>(Thứ (Hai|Ba|Tư|Năm|Sáu|Bảy)|Chủ nhật),?</span>", page)
        if c["date_suffix"] == "gmt":
            assert "<span>GMT+7</span>" in page
        if c["date_suffix"] == "12h":
            assert re.search(r"<span>\(\d\d:\d\d (SA|CH)\)</span>", page)
        if c["clock"]:  # the header clock: --today, in the article date's form
            assert any(t.startswith("30/06/2025 - ") for t in element_texts(page))
        seen.add((holder, c["date_split"], c["date_weekday"], c["date_suffix"]))
    assert len(seen) >= 20


def test_table_layout_and_no_vocabulary():
    n = first_with(lambda c: c["layout"] == "table")
    page = get(replica(n), "vi", "/")
    assert re.search(r"<body[^>]*>\n<table", page)
    n = first_with(lambda c: c["vocab"] == "none" and c["listing_form"] != "2020")
    rep, art, page = article_page(n)
    outside_body = page
    for block in served_blocks(art, rep.breaks):  # the real body markup keeps its own classes
        outside_body = outside_body.replace(block, "")
    assert " class=" not in outside_body and " id=" not in outside_body
    assert " class=" not in get(rep, "en", "/")


def test_byline_and_widgets_sit_where_drawn_without_touching_the_body():
    for at in DIMENSIONS["byline_at"]:
        n = first_with(lambda c, at=at: c["byline_at"] == at and c["lead_tag"] == "p")
        rep, art, page = article_page(n)
        byline = served_byline(art, rep.breaks)
        blocks = served_blocks(art, rep.breaks)
        lead = html.escape(art.lead, quote=False)
        if at == "end-of-body":
            assert page.index(byline) > page.index(blocks[-1])
        else:
            assert page.index(lead) < page.index(byline) < page.index(blocks[0])
    long_body = lambda a: len(served_blocks(a, frozenset())) >= 4  # noqa: E731
    rep, art, page = article_page(first_with(lambda c: "ad@between" in c["in_body"]), long_body)
    blocks = served_blocks(art, rep.breaks)
    assert page.index(blocks[0]) < page.index("/Content/ads/banner-") < page.index(blocks[-1])
    rep, art, page = article_page(first_with(lambda c: "script@after" in c["in_body"]), long_body)
    assert page.index(served_blocks(art, rep.breaks)[-1]) < page.rindex("var qcSlot")
    n = first_with(lambda c: "related@before" in c["in_body"])
    rep, art, page = article_page(n, rep_related)
    related = rep.chrome("vi").related(rep.ctx("vi"), rep_related(art))
    assert page.index(related) < page.index(served_blocks(art, rep.breaks)[0])


def rep_related(art) -> list[tuple[str, str]]:
    rep = replica(first_with(lambda c: "related@before" in c["in_body"]))
    site = rep.site
    return [
        (rep.article_href(rep.ctx("vi"), q, site.lang(q)), site.title(q))
        for q in site.related(art.pos)
    ]


def test_side_boxes_can_hold_more_text_than_the_article():
    n = first_with(lambda c: c["box_summaries"] == "long" and c["box_size"] == "long")
    rep = replica(n)
    ch, ctx = rep.chrome("vi"), rep.ctx("vi")
    side = ch.sidebar(ctx, Boxes(rep, ctx, random.Random(0)))
    side_text = lxml.html.fromstring(side).text_content()
    rec = next(r for r in rep.truth_records() if r["type"] == "article" and r["body_text"])
    assert len(side_text) > len(rec["body_text"])


def test_og_description_cut_at_a_word_boundary():
    for form, mark in (("cut-ellipsis", "…"), ("cut-dots", "...")):
        n = first_with(lambda c, form=form: c["og_desc"] == form)
        rep = replica(n)
        art = next(articles(rep, "vi", lambda a: a.lead and len(a.lead) > 170))
        page = get(rep, "vi", art.path)
        (og,) = re.findall(r'<meta property="og:description" content="([^"]*)">', page)
        og = html.unescape(og)
        assert og.endswith(mark) and art.lead.startswith(og[: -len(mark)])
        assert art.lead[len(og) - len(mark)] in " ,;:.–-"


# ---------------------------------------------------------------------------------------------------------
# listings and pagination


def listing(n: int, page: int = 1, edition: str = "vi"):
    """A page of the longest section of a site large enough for several listing pages."""
    rep = replica(n, articles=600)
    sec = max(
        rep.cfg.sections[edition], key=lambda s: len(rep.site.listing_positions(edition, s.slug))
    )
    return rep, sec, get(rep, edition, rep.page_path(sec, page))


def test_the_real_2020_listing_form_is_drawn():
    n = first_with(lambda c: c["listing_form"] == "2020")
    rep, sec, page = listing(n, 2)
    assert re.search(r'<h2 class="h2cate"><a href="[^"]+-a\d+\.html">', page)
    assert re.search(r'<div class="boxtinmoi"><ul><li><a href="[^"]+-a\d+\.html">', page)
    nxt = html.escape(rep.page_path(sec, 3))
    assert f'<div class="fright"><a href="{nxt}"' in page and "&gt;</a></div>" in page
    items = rep.site.listing_positions("vi", sec.slug)[rep.cfg.page_size : 2 * rep.cfg.page_size]
    assert all(html.escape(rep.site.path(p)) in page for p in items)


def test_pagination_forms():
    for form in DIMENSIONS["pager_form"]:
        n = first_with(lambda c, form=form: c["pager_form"] == form and c["listing_form"] != "2020")
        rep, sec, page = listing(n)
        nxt = html.escape(rep.page_path(sec, 2, number_link=form == "numbers"))
        assert f'href="{nxt}"' in page
        if form != "next-only":
            assert re.search(r'<a href="[^"]+"[^>]*>3</a>', page)
    n = first_with(lambda c: c["rel_next"] == "link")
    rep, sec, page = listing(n)
    assert f'<link rel="next" href="{html.escape(rep.page_path(sec, 2))}">' in page
    n = first_with(lambda c: c["rel_next"] == "a" and c["pager_form"] == "next-only")
    assert ' rel="next">' in listing(n)[2]
    labels = {choices(n)["next_label"] for n in range(200) if choices(n)["pager_form"] != "numbers"}
    assert labels == set(DIMENSIONS["next_label"])


def test_a_page_past_the_last_repeats_the_last():
    n = first_with(lambda c: c["boxes"] == "newest")  # no per-visit box
    rep, sec, _ = listing(n)
    last = -(-len(rep.site.listing_positions("vi", sec.slug)) // rep.cfg.page_size)
    assert get(rep, "vi", rep.page_path(sec, last)) == get(rep, "vi", rep.page_path(sec, last + 3))


def test_album_caption_forms():
    for form, pattern in (("figure", "<figure[^>]*><img [^>]+><figcaption>"),
                          ("table", "<tr><td><img [^>]+></td></tr><tr><td[^>]*>")):  # fmt: skip
        n = first_with(lambda c, form=form: c["album_form"] == form)
        rep = replica(n)
        alb = next(
            a for a in (rep.site.album("vi", i) for i in range(3)) if any(p.parts for p in a.photos)
        )
        assert re.search(pattern, get(rep, "vi", alb.path))


# ---------------------------------------------------------------------------------------------------------
# the truth does not change with the chrome


def contract_fields(records) -> list[dict]:
    return [{k: v for k, v in r.items() if not k.startswith("_")} for r in records]


def seed_with_album_dates_off() -> int:
    return next(s for s in range(200) if "classic" in make_config(s).chrome.values())


@pytest.mark.parametrize("seed", [1, seed_with_album_dates_off()])
def test_truth_identical_whatever_the_chrome_seed(seed):
    base = list(Replica(articles=ARTICLES, seed=seed, epoch=1).truth_records())
    assert base[0]["_chrome"] and not base[0]["_chrome"][base[0]["edition"]].startswith("gen")
    for n in (0, -3, 2**40):
        rep = Replica(articles=ARTICLES, seed=seed, epoch=1, chrome_seed=n)
        recs = list(rep.truth_records())
        assert contract_fields(recs) == contract_fields(base)
        assert recs[0]["_chrome"][recs[0]["edition"]] == f"generated:{n}"
        for ed in ("vi", "en"):
            assert rep.chrome(ed).album_date == TEMPLATES[rep.cfg.base_chrome[ed]].album_date


@pytest.mark.parametrize("field", ["title", "lead", "byline", "published", "kicker"])
def test_break_removes_the_field_from_generated_pages(field):
    n = first_with(lambda c: c["boxes"] == "newest")
    rep = replica(n, 4, (field,))
    values = {
        "title": lambda a: a.title, "lead": lambda a: a.lead, "byline": lambda a: a.byline.raw,
        "published": lambda a: a.dt.strftime("%d/%m/%Y - %H:%M"), "kicker": lambda a: a.kicker,
    }  # fmt: skip
    old = [a for a in articles(rep, "vi", values[field]) if a.dt.year < 2024][:5]
    assert old
    for art in old:
        page = get(rep, "vi", art.path)
        if field == "kicker":  # a short kicker ("Phóng sự") may be part of a menu label
            assert art.kicker not in element_texts(page)
        else:
            assert html.escape(values[field](art), quote=False) not in page, (field, art.aid)


def test_without_chrome_seed_the_templates_stay():
    rep = replica(None)
    assert rep.chrome("vi") is TEMPLATES[rep.cfg.chrome["vi"]]
    assert rep.cfg.base_chrome == rep.cfg.chrome and rep.cfg.chrome_seed is None
    assert "chrome_seed" not in rep.manifest()["config"]
    gen = replica(5).manifest()["config"]
    assert gen["chrome_seed"] == 5 and gen["base_chrome"] == rep.cfg.chrome
    assert gen["chrome_choices"] == choices(5)


def test_100k_articles_start_instantly_with_a_generated_chrome():
    rep = Replica(articles=100_000, seed=3, chrome_seed=11)
    art = rep.site.article(rep.site.M - 1)
    assert html.escape(art.title, quote=False) in get(rep, art.lang, art.path)


# ---------------------------------------------------------------------------------------------------------
# command line


def test_help_documents_chrome_seed():
    out = subprocess.run(
        [sys.executable, "-m", "tests.replica", "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "--chrome-seed N" in out and "generated from N" in " ".join(out.split())


def test_cli_ready_line_manifest_and_truth(tmp_path):
    cmd = [sys.executable, "-m", "tests.replica", "--articles", "60", "--seed", "3",
           "--chrome-seed", "-12", "--truth", str(tmp_path / "t.jsonl"), "--no-irregular"]  # fmt: skip
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        ready = json.loads(proc.stdout.readline())
        assert ready["chrome_seed"] == -12 and ready["chrome"]["en"] == "generated:-12"
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=10) == 0
        proc.stdout.close()
    with serve_replica(tmp_path / "s", articles=60, seed=3, extra=["--chrome-seed", "-12"]) as srv:
        assert srv.manifest_data()["config"]["chrome_seed"] == -12
        served = srv.truth_records()
    plain = Replica(articles=60, seed=3).truth_records()
    assert contract_fields(served) == contract_fields(plain)
