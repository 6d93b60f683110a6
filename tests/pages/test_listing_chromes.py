"""Listings and home pages in generated chromes (`--chrome-seed N`): for every chrome, on both
editions, the home page and the first two pages of a few sections (the photo-album section among
them) must give exactly the items the replica's model shows there, in page order, the next page in
`pagination` and every section in `menu`.

Expectations come from the replica's model only (`Site.listing_positions`, `Site.latest`,
`cfg.page_size`, `cfg.sections`), never from crawler code. The main list of a generated chrome
may follow "most read"/"newest" boxes that are longer than it, richer than it (summaries, body
paragraphs) and hold the same items (the "newest" box shows the edition's latest articles, as the
home page's main list does). A fixed list of chrome seeds runs every time, plus a few drawn at
random on each run; their ids name them (`random-<N>`), so a failure reproduces with
`Replica(articles=ARTICLES, seed=site_seed(N), chrome_seed=N)`. A seed that ever failed belongs in
FIXED.
"""

from __future__ import annotations

import os
import random
from functools import cache
from urllib.parse import urlsplit

import pytest

from crawler.editions import Editions
from crawler.pages import parse_listing
from tests.replica import Replica
from tests.replica.model import PROD

# Enough articles for two pages in most sections and, on vi, in the photo-album section
# (n_albums = articles * 3 // 160 > the largest page size, 20).
ARTICLES = 1100
EDITIONS = Editions(vi_base="http://127.0.0.1:8101", en_base="http://127.0.0.1:8102")
FIXED = (*range(40), -1, -7, 99, 1234, 2**40)
# Drawn from the run's base (tests/conftest.py), so that every xdist worker collects the same ones.
_BASE = int(os.environ.get("CHROME_SEED_BASE") or random.SystemRandom().randrange(2**40))
RANDOM = tuple(random.Random(f"listing:{_BASE}").randrange(10**9) for _ in range(5))
SECTIONS_PER_EDITION = 3  # besides the photo-album section


def site_seed(chrome_seed: int) -> int:
    """The site seed varies with the chrome, so page sizes, pagination styles and link forms do."""
    return chrome_seed % 23


@cache
def replica(chrome_seed: int) -> Replica:
    return Replica(articles=ARTICLES, seed=site_seed(chrome_seed), chrome_seed=chrome_seed)


def _parse(rep: Replica, edition: str, path_qs: str):
    page = rep.route(edition, path_qs, random.Random(0))
    assert page.status == 200, (edition, path_qs, page.status)
    return parse_listing(page.body, EDITIONS.base(edition) + path_qs, EDITIONS)


def _item(rep: Replica, edition: str, p: int, albums: bool) -> tuple[str, str]:
    """(production URL as linked, record id) of a listed article or album."""
    if albums:
        alb = rep.site.album(edition, p)
        return PROD[edition] + alb.path, f"baolongan:album:{edition}:{alb.album_id}"
    return PROD[edition] + rep.site.path(p), f"baolongan:{rep.site.aid(p)}"


def _sections(rep: Replica, edition: str):
    """The album section and the sections with the most pages (two pages when they have them)."""
    secs = [s for s in rep.cfg.sections[edition] if not s.albums]
    secs.sort(key=lambda s: -len(rep.site.listing_positions(edition, s.slug)))
    return [rep.cfg.album_section[edition], *secs[:SECTIONS_PER_EDITION]]


def expected_pages(rep: Replica, edition: str):
    """(path with query, items shown, next page's production URL or None) of the home page and
    the first two pages of a few sections."""
    albums = rep.cfg.album_section[edition]
    home = [_item(rep, edition, p, False) for p in rep.site.latest(edition, 12)]
    home += [
        _item(rep, edition, i, True) for i in rep.site.listing_positions(edition, albums.slug)[:3]
    ]
    yield "/", home, None
    size = rep.cfg.page_size
    for sec in _sections(rep, edition):
        items = rep.site.listing_positions(edition, sec.slug)
        last = max(1, -(-len(items) // size))
        for page in range(1, min(2, last) + 1):
            shown = [_item(rep, edition, p, sec.albums) for p in items[(page - 1) * size :][:size]]
            nxt = PROD[edition] + rep.page_path(sec, page + 1) if page < last else None
            yield rep.page_path(sec, page), shown, nxt


def check_chrome(chrome_seed: int) -> list[str]:
    """Every difference between what parse_listing reads and what the model shows."""
    rep = replica(chrome_seed)
    bad = []
    for edition in ("vi", "en"):
        tree = rep.chrome(edition).tree(rep.ctx(edition))  # menu order: each top, its children
        menu = [(s.slug, s.name, PROD[edition] + s.path) for t, kids in tree for s in (t, *kids)]
        for path, items, nxt in expected_pages(rep, edition):
            got = _parse(rep, edition, path)
            where = f"{edition} {path}"
            if got.entries != [u for u, _ in items]:
                bad.append(f"{where} entries:\n  want {[_short(u) for u, _ in items]}\n"
                           f"  got  {[_short(u) for u in got.entries]}")  # fmt: skip
            if list(got.fingerprint) != [k for _, k in items]:
                bad.append(f"{where} fingerprint {got.fingerprint}")
            if nxt is not None and nxt not in got.pagination:
                bad.append(f"{where} pagination lacks {nxt}: {got.pagination}")
            if [(m.slug, m.name, m.url) for m in got.menu] != menu:
                bad.append(f"{where} menu {[(m.slug, m.name) for m in got.menu]}")
    return bad


def _short(url: str) -> str:
    path = urlsplit(url).path
    return path.rsplit("-", 1)[-1] if "-a" in path else path.rsplit(".", 2)[-2]


@pytest.mark.parametrize(
    "chrome_seed",
    [*FIXED, *(pytest.param(n, id=f"random-{n}") for n in RANDOM)],
)
def test_listing_chromes(chrome_seed: int) -> None:
    bad = check_chrome(chrome_seed)
    assert not bad, (
        f"chrome seed {chrome_seed} (site seed {site_seed(chrome_seed)}), "
        f"{replica(chrome_seed).chrome('vi').choices}:\n" + "\n".join(bad[:12])
    )


def test_the_check_can_fail() -> None:
    """The comparison is exact: a listing that drops, adds or reorders an entry is caught."""
    rep = replica(FIXED[0])
    path, items, _ = next(p for p in expected_pages(rep, "vi") if p[0] != "/")
    got = _parse(rep, "vi", path)
    assert got.entries == [u for u, _ in items]
    assert got.entries[1:] != [u for u, _ in items]
    assert list(reversed(got.entries)) != [u for u, _ in items]
