"""Title: the visible element whose slug equals the URL slug, with metadata and heading fallbacks.

Rules, in order: `<tag>+slug` (the visible element whose slug equals the URL slug; headings and
title-classed elements first), `<tag>=<meta>+slug` / `<meta>+slug` (a metadata title matching the
slug, its visible twin preferred), `<tag>+slug~` (slug nearly equal or truncated); when nothing
matches the slug (issue title_slug_mismatch): `<tag>=jsonld|og:title`, `h1`,
`heading-above-body`, then `jsonld` / `og:title` / `twitter:title` / `title-tag` (site name
stripped). Elements in chrome boxes or links to other pages are never the title.
"""

from __future__ import annotations

from collections.abc import Callable

from lxml import etree

from crawler.editions import article_id
from crawler.pages.article.page import (
    KICKER_HINT_RE,
    TITLE_HINT_RE,
    ArticlePage,
    Found,
)
from crawler.pages.common import (
    HEADINGS,
    Element,
    collapse,
    hints,
    is_site_name,
    slugify,
    strip_site_name,
    text_of,
)
from crawler.pages.parsing import has_tag

__all__ = ["find_title"]

_SIZED_TEXT_XPATH = etree.XPath(
    "//body//*[text()[normalize-space()]]"
    "[string-length(normalize-space()) >= $lo and string-length(normalize-space()) <= $hi]"
)


def slug_heading(pg: ArticlePage) -> Element | None:
    """The visible heading whose text is the URL's slug, looked for on the whole page: where the
    article stands, for choosing its body container before the title proper is settled (which
    starts from that container). None without a slug or such a heading; no issue is noted."""
    if not pg.slug:
        return None
    el = _visible_matching(pg, None, lambda s: s == pg.slug)
    if el is None:  # "Gần 14.000 thí sinh" against `gan-14000-thi-sinh`: as find_title reads it
        el = _visible_matching(pg, None, lambda s: _fuzzy_slug(s, pg.slug))
    return el


def find_title(pg: ArticlePage, container: Element | None) -> Found:
    if pg.slug:
        el = _visible_matching(pg, container, lambda s: s == pg.slug)
        if el is not None:
            return Found(pg.text(el), f"{_kind(el)}+slug", el)
    metas = _meta_titles(pg)  # only now: most pages are settled by the visible title
    if pg.slug:
        found = _slug_matches(pg, container, metas)
        if found is not None:
            return found
        pg.issues.append("title_slug_mismatch")
    for name, val in metas[:2]:
        el = _visible_equal(pg, container, val)
        if el is not None:
            return Found(pg.text(el), f"{_kind(el)}={name}", el)
    el = _article_h1(pg, container)
    if el is not None:
        return Found(pg.text(el), "h1", el)
    el = _heading_above_body(pg, container)
    if el is not None:
        return Found(pg.text(el), "heading-above-body", el)
    if metas:
        return Found(metas[0][1], metas[0][0], None)
    return Found()


def _slug_matches(
    pg: ArticlePage, container: Element | None, metas: list[tuple[str, str]]
) -> Found | None:
    for name, val in metas:
        if slugify(val) == pg.slug:
            el = _visible_equal(pg, container, val) or _heading_ending(pg, val)
            if el is not None:
                return Found(pg.text(el), f"{_kind(el)}={name}+slug", el)
            return Found(val, f"{name}+slug", None)
    el = _visible_matching(pg, container, lambda s: _fuzzy_slug(s, pg.slug))
    if el is None:
        return None
    for _, val in metas[:2]:
        # The slug of an earlier title ("on-dinh-tuyen-sinh-lop-10…") is near the kicker's words
        # ("Tuyển sinh lớp 10…"), while the metadata titles the heading printed under it.
        twin = _visible_equal(pg, container, val)
        if twin is not None and twin is not el and twin.tag in HEADINGS:
            return None  # settled by the metadata's visible twin (find_title)
    return Found(pg.text(el), f"{_kind(el)}+slug~", el)


def _heading_ending(pg: ArticlePage, meta_title: str) -> Element | None:
    """A heading printing the end of a metadata title: "[E-Magazine] Long An - 50 năm…" or
    "Thạnh Hóa đẩy nhanh giải ngân…" over the heading "Đẩy nhanh giải ngân…". The CMS put a format
    label or the kicker in front of the metadata title (and the slug made from it); the heading
    is the title."""
    want = meta_title.casefold()
    for h in pg.tagged("h1", "h2"):
        text = pg.text(h)
        head = want[: len(want) - len(text)]
        if (
            len(text) >= 0.5 * len(want)
            and want.endswith(text.casefold())
            and 0 < len(head.strip(" :-–|")) <= 40
        ):
            return h
    return None


def _meta_titles(pg: ArticlePage) -> list[tuple[str, str]]:
    m = pg.meta
    out = [
        ("jsonld", collapse(m.ld("headline") or m.ld("name"))),
        ("og:title", strip_site_name(m.get("og:title"))),
        ("twitter:title", strip_site_name(m.get("twitter:title"))),
        ("title-tag", strip_site_name(m.title_tag)),
    ]
    return [(n, v) for n, v in out if v]


def _kind(el: Element) -> str:
    if el.tag in HEADINGS:
        return el.tag
    return f"{el.tag}.title" if TITLE_HINT_RE.search(hints(el)) else el.tag


def _fuzzy_slug(s: str, slug: str) -> bool:
    """Same title give or take an edit: most words shared, or a truncated slug."""
    if len(slug) >= 40 and s.startswith(slug):
        return True
    a, b = set(s.split("-")), set(slug.split("-"))
    return len(a & b) >= 0.75 * max(len(a), len(b)) and len(b) >= 4


def _title_candidates(pg: ArticlePage, lo: int, hi: int) -> list[Element]:
    """Elements with their own text whose whole text length lies in [lo, hi]; a title is always
    such an element or sits inside one. (XPath's string-length runs in C: faster than Python.)"""
    return _SIZED_TEXT_XPATH(pg.root, lo=lo, hi=hi)


def _visible_matching(
    pg: ArticlePage, container: Element | None, pred: Callable[[str], bool]
) -> Element | None:
    n = len(pg.slug)
    lo, hi = max(1, int(n * 0.75)), int(n * 1.6) + 12
    # Headings and title-classed elements first: they hold the title on almost every page, and
    # checking them is far cheaper than measuring every text element.
    for quick in (
        lambda: pg.tagged("h1", "h2", "h3", "h4"),
        lambda: [el for el in pg.classed() if TITLE_HINT_RE.search(pg.hint(el))],
    ):
        found = [
            el for el in quick() if lo <= len(pg.text(el)) <= hi and pred(slugify(pg.text(el)))
        ]
        best = _best_title_el(pg, container, found)
        if best is not None:
            return best
    found = [el for el in _title_candidates(pg, lo, hi) if pred(slugify(collapse(text_of(el))))]
    return _best_title_el(pg, container, found)


def _visible_equal(pg: ArticlePage, container: Element | None, value: str) -> Element | None:
    n = len(value)
    want = value.casefold()
    found = [
        el
        for el in _title_candidates(pg, max(1, n - 3), n + 3)
        if collapse(text_of(el)).casefold() == want
    ]
    return _best_title_el(pg, container, found)


def _best_title_el(
    pg: ArticlePage, container: Element | None, found: list[Element]
) -> Element | None:
    """Among elements showing the title: the block that holds it (an `a` inside an h1 -> the h1),
    headings before title-classed elements before others. Never one in a chrome box (the article
    listed in its own "most read" box or breadcrumb) or a link to another page: such an anchor
    would misplace the date, kicker, lead and body searches that start from the title."""
    if not found:
        return None
    regions = pg.regions_for(container)
    own = article_id(pg.url)
    ranked: list[tuple[int, int, Element]] = []
    for i, shown in enumerate(found):
        el = _title_block(shown)
        if regions.in_chrome(el) or _links_away(el, own):
            continue
        rank = 0 if el.tag in HEADINGS else 1 if TITLE_HINT_RE.search(pg.hint(el)) else 2
        ranked.append((rank, i, el))
    return min(ranked, key=lambda t: (t[0], t[1]))[2] if ranked else None


def _links_away(el: Element, own: int | None) -> bool:
    """The element is (inside) a link to something other than this article."""
    for a in (el, *el.iterancestors()):
        if a.tag == "a":
            return own is None or article_id(a.get("href") or "") != own
    return False


def _title_block(el: Element) -> Element:
    """Climb from an inline element to the block that shows the same text."""
    text = collapse(text_of(el))
    node = el
    while node.tag in ("a", "span", "strong", "b", "em", "i", "font", "u"):
        parent = node.getparent()
        if parent is None or collapse(text_of(parent)) != text:
            break
        node = parent
    return node


def _article_h1(pg: ArticlePage, container: Element | None) -> Element | None:
    """An h1 that is not the site logo and not in chrome; the last one before the body."""
    regions = pg.regions_for(container)
    body_at = pg.idx(container) if container is not None else 10**9
    best: Element | None = None
    for h in pg.root.iter("h1"):
        text = collapse(text_of(h))
        if len(text) < 8 or is_site_name(text) or regions.in_chrome(h):
            continue
        if h.find(".//a[@href='/']") is not None or has_tag(h, "img"):
            continue
        if best is None or pg.idx(h) < body_at:
            best = h
    return best


def _heading_above_body(pg: ArticlePage, container: Element | None) -> Element | None:
    """The heading (h1-h4 or a title-classed element) nearest before the body."""
    if container is None:
        return None
    regions = pg.regions_for(container)
    body_at = pg.idx(container)
    best, best_at = None, -1
    for el in pg.root.iter("h1", "h2", "h3", "h4", "div", "p", "span"):
        if el.tag not in HEADINGS and not TITLE_HINT_RE.search(pg.hint(el)):
            continue
        at = pg.idx(el)
        if at >= body_at and container not in el.iterancestors():
            continue
        text = collapse(text_of(el))
        if not 15 <= len(text) <= 300 or is_site_name(text) or regions.in_chrome(el):
            continue
        if KICKER_HINT_RE.search(pg.hint(el)):
            continue  # a kicker above a missing title is not the title
        if at > best_at and (at < body_at or _first_in(container, el)):
            best, best_at = el, at
    return best


def _first_in(container: Element, el: Element) -> bool:
    """`el` is inside the container before any paragraph of it."""
    for node in container.iter():
        if node is el:
            return True
        if node.tag == "p" and len(text_of(node).strip()) > 40:
            return False
    return False
