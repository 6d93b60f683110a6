"""The page layer against the offline replica: what build_record and parse_listing read from the
replica's pages must equal what the replica meant to publish (its truth records).

Expectations come from the replica's own data model only (`Replica.truth_records()`), never from
crawler code. Pages are taken as served (`Replica.respond`: bytes and charset header, including the
NFD, lying-charset and cp1258 pages) and read under fetch-form URLs, as a crawl of the replica
reads them. Three seeds cover the three chrome templates on both editions and the three pagination
styles.
"""

from __future__ import annotations

from collections import defaultdict
from functools import cache
from typing import Any
from urllib.parse import urlsplit

import pytest

from crawler.editions import Editions
from crawler.extract import build_record
from crawler.normalize.text import decode_html
from crawler.pages import parse_listing
from tests.replica import Replica

# seed -> (vi chrome, en chrome, pagination): 7 fck/modern page, 2 classic query, 20 classic/modern trang
SEEDS = (7, 2, 20)
ARTICLES = 80
EDITIONS = Editions(vi_base="http://127.0.0.1:8101", en_base="http://127.0.0.1:8102")

# Fields the page layer produces (raw and structural) and fields the normalizers derive.
PAGE_FIELDS = (
    "type", "id", "article_id", "album_id", "canonical_url", "kicker", "title", "lead",
    "body_text", "body_html", "byline_raw", "published_raw", "links",
)  # fmt: skip
NORMALIZED_FIELDS = (
    "language", "authors", "translators", "source_credit", "published_at", "published_precision",
)  # fmt: skip


@cache
def replica(seed: int) -> Replica:
    return Replica(articles=ARTICLES, seed=seed)


def _get(rep: Replica, edition: str, path_qs: str) -> tuple[bytes, str | None]:
    """The page as served (after the replica's deliberate 500/503 first attempts)."""
    resp = rep.respond(edition, "GET", path_qs, {}, attempt=5)
    assert resp.status == 200, (edition, path_qs, resp.status)
    ctype = dict((k.lower(), v) for k, v in resp.headers).get("content-type", "")
    charset = ctype.split("charset=", 1)[1].strip() if "charset=" in ctype else None
    return resp.body, charset


@cache
def extracted(seed: int) -> list[tuple[str, dict[str, Any], dict[str, Any]]]:
    """(url, truth record, build_record output) for every item on every host that links it."""
    rep = replica(seed)
    out = []
    for truth in rep.truth_records():
        for edition in truth["editions_seen"]:
            body, charset = _get(rep, edition, truth["_path"])
            url = EDITIONS.base(edition) + truth["_path"]
            record, _, _ = build_record(body, charset, url, EDITIONS)
            out.append((url, truth, record))
    return out


def _mismatches(seed: int, fields: tuple[str, ...]) -> list[str]:
    bad = []
    for url, truth, record in extracted(seed):
        for k in fields:
            if record[k] != truth[k]:
                bad.append(f"{url} {k}:\n  truth {truth[k]!r:.300}\n  ours  {record[k]!r:.300}")
    return bad


@pytest.mark.parametrize("seed", SEEDS)
def test_page_fields(seed: int) -> None:
    bad = _mismatches(seed, PAGE_FIELDS)
    assert not bad, f"{len(bad)} mismatches:\n" + "\n".join(bad[:20])


@pytest.mark.parametrize("seed", SEEDS)
def test_images(seed: int) -> None:
    bad = []
    for url, truth, record in extracted(seed):
        want = [{k: im[k] for k in ("url", "position", "caption_raw")} for im in truth["images"]]
        got = [{k: im[k] for k in ("url", "position", "caption_raw")} for im in record["images"]]
        if want != got:
            bad.append(f"{url}:\n  truth {want}\n  ours  {got}")
    assert not bad, "\n".join(bad[:10])


@pytest.mark.parametrize("seed", SEEDS)
def test_normalized_fields(seed: int) -> None:
    bad = _mismatches(seed, NORMALIZED_FIELDS)
    for url, truth, record in extracted(seed):
        want = [(im["caption"], im["credit"]) for im in truth["images"]]
        got = [(im["caption"], im["credit"]) for im in record["images"]]
        if want != got:
            bad.append(f"{url} captions:\n  truth {want}\n  ours  {got}")
    assert not bad, f"{len(bad)} mismatches:\n" + "\n".join(bad[:20])


# --------------------------------------------------------------------------------------------
# Listings: menus and the sections each record is filed under


def _listing(rep: Replica, edition: str, url: str):
    parts = urlsplit(url)
    body, charset = _get(rep, edition, parts.path + (f"?{parts.query}" if parts.query else ""))
    text, _ = decode_html(body, charset)
    return parse_listing(text, EDITIONS.to_fetch(url), EDITIONS)


@cache
def crawled_sections(seed: int) -> dict[str, set[tuple[str, str]]]:
    """Record id -> {(slug, name)} of every section whose main entries list it, found by
    following each menu section's pagination until a page repeats."""
    rep = replica(seed)
    found: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for edition in ("vi", "en"):
        home = _listing(rep, edition, EDITIONS.base(edition) + "/")
        for section in home.menu:
            queue, seen, prints = [section.url], set(), set()
            while queue:
                url = queue.pop(0)
                if url in seen:
                    continue
                seen.add(url)
                page = _listing(rep, edition, url)
                if page.fingerprint in prints:
                    continue
                prints.add(page.fingerprint)
                for key in page.fingerprint:
                    found[key].add((section.slug, section.name))
                queue.extend(page.pagination)
    return found


@pytest.mark.parametrize("seed", SEEDS)
def test_menus(seed: int) -> None:
    """Both levels of each edition's menu, names as labelled, URLs in production form."""
    rep = replica(seed)
    for edition in ("vi", "en"):
        home = _listing(rep, edition, EDITIONS.base(edition) + "/")
        want = [(s.slug, s.name) for s in rep.site.cfg.sections[edition]]
        assert [(m.slug, m.name) for m in home.menu] == want, edition
        for m in home.menu:
            assert (
                m.url
                == f"{('https://baolongan.vn', 'https://news.baolongan.vn')[edition == 'en']}/{m.slug}/"
            )


@pytest.mark.parametrize("seed", SEEDS)
def test_sections(seed: int) -> None:
    found = crawled_sections(seed)
    bad = []
    for truth in replica(seed).truth_records():
        want = {(s["slug"], s["name"]) for s in truth["sections"]}
        if found.get(truth["id"], set()) != want:
            bad.append(
                f"{truth['id']}: truth {sorted(want)} ours {sorted(found.get(truth['id'], []))}"
            )
    assert not bad, "\n".join(bad[:20])
