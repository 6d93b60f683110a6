"""Section listings and home pages: the menu, the main entries, other item links, pagination.

Nothing about the portal's listing chrome is known beyond "title + summary (+ thumbnail)" per entry
(docs/site.md), so each part is recognised by what it *is* rather than by a class name:

- menu sections: links whose path has the section shape (`/<slug>/`, `/<slug>/<slug>/`) on a portal
  host, not pagination; names are the link texts (menu containers win over other mentions);
- main entries: article/album links whose entry (the largest block around the link that links no
  other item) shows a summary text or a thumbnail, outside boxes that are chrome (sidebars, "most
  read", related) -- a box counts as chrome only when it holds a minority of the page's entries;
- pagination: links to the same listing that differ from it only by a page number (`?p=N&d=`,
  `/trang-N/`, `?page=N`, `/page/N/`, ...) with a number or next/previous word as text, or inside
  a pagination-classed container.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlsplit

from crawler.editions import PRODUCTION, Editions, album_id, article_id, section_slug
from crawler.pages.common import (
    Element,
    PageRegions,
    absolute_url,
    block_text,
    collapse,
    drop_invisible,
    find_date,
    hints,
    parse_html,
    text_of,
)

__all__ = ["Listing", "MenuSection", "parse_listing"]


@dataclass
class MenuSection:
    """One section in the page's menu."""

    slug: str
    """Full section path without slashes at either end (`thoi-su-chinh-tri/long-an`)."""
    name: str
    """The menu label, whitespace collapsed."""
    url: str
    """Absolute production URL of the section's first page."""


@dataclass
class Listing:
    """What a listing or home page offers the crawler."""

    menu: list[MenuSection] = field(default_factory=list)
    """Every section in the page's menu, both levels, in menu order."""
    entries: list[str] = field(default_factory=list)
    """Main-list article/album URLs (production form, page order, one per item)."""
    other_links: list[str] = field(default_factory=list)
    """Other article/album links on the page (sidebars, most-read boxes, ...)."""
    pagination: list[str] = field(default_factory=list)
    """Links to other pages of the same listing (production form)."""
    fingerprint: tuple[str, ...] = ()
    """Record ids of `entries`, to notice a page that repeats the previous one."""


# A page segment at the end of a path: /trang-2/, /page/2/, /page-2/, /p2/, /2/
_PATH_PAGE_RE = re.compile(r"/(?:(?:trang|page|p|pg|pages?)[-_/]?)?(\d{1,5})/?$", re.I)
_NAV_TEXT_RE = re.compile(
    r"^(?:\d{1,5}|[«»‹›<>]+|&[lr]aquo;|next|previous|prev|first|last|older|newer|more"
    r"|sau|tiếp|tiếp theo|trang sau|trang trước|trước|đầu|cuối|trang đầu|trang cuối|xem tiếp"
    r"|\.\.\.|…)\W*$",
    re.I,
)
_PAGER_HINT_RE = re.compile(r"pag|pager|phan-?trang|phantrang|page-?nav|paging")
_MENU_HINT_RE = re.compile(r"(?<![a-z])(?:menu|nav|navbar|navigation|main-?menu|danh-?muc)")
_GENERIC_LINK_RE = re.compile(r"^(?:xem thêm|xem tất cả|more|see more|view all|»|›|\+)\W*$", re.I)


def parse_listing(html: str, url: str, editions: Editions) -> Listing:
    """Menu, entries, other item links and pagination of a listing or home page."""
    root = parse_html(html)
    drop_invisible(root)
    links = _links(root, url, editions)
    pager_links = _pagination(links, url, editions)
    pagination = list(dict.fromkeys(ln.url for ln in pager_links))
    menu = _menu(links, editions, {ln.el for ln in pager_links})
    entries, others = _entries(root, links, editions)
    return Listing(
        menu=menu,
        entries=[u for u, _ in entries],
        other_links=others,
        pagination=pagination,
        fingerprint=tuple(key for _, key in entries),
    )


@dataclass
class _Link:
    el: Element
    url: str  # absolute, production form
    text: str
    key: str | None  # record id for article/album links


def _links(root: Element, page_url: str, editions: Editions) -> list[_Link]:
    out = []
    for a in root.iter("a"):
        href = a.get("href")
        if not href or href.startswith(("#", "javascript:", "mailto:", "tel:")):
            continue
        url = absolute_url(href, page_url, editions)
        out.append(_Link(a, url, collapse(text_of(a)), _item_key(url, editions)))
    return out


def _item_key(url: str, editions: Editions) -> str | None:
    if not editions.is_portal(url):
        return None
    aid = article_id(url)
    if aid is not None:
        return f"baolongan:{aid}"
    alb = album_id(url)
    if alb is not None:
        edition = "en" if urlsplit(url).path.startswith("/view-") else "vi"
        return f"baolongan:album:{edition}:{alb}"
    return None


# --------------------------------------------------------------------------------------------
# Pagination


def _page_key(url: str) -> tuple[str, str, tuple] | None:
    """(host, path without page segment, query without page-number/empty params) and whether a
    page number was present."""
    parts = urlsplit(url)
    path = parts.path or "/"
    m = _PATH_PAGE_RE.search(path)
    if m and path[: m.start()].strip("/"):
        path = path[: m.start()] + "/"
    query = tuple(
        sorted(
            (k, v)
            for k, v in parse_qsl(parts.query, keep_blank_values=True)
            if v and not v.isdigit()
        )
    )
    host = parts.netloc.lower().removeprefix("www.")
    return host, path, query


def _has_page_number(url: str) -> bool:
    parts = urlsplit(url)
    if any(v.isdigit() for _, v in parse_qsl(parts.query)):
        return True
    m = _PATH_PAGE_RE.search(parts.path)
    return bool(m and parts.path[: m.start()].strip("/"))


def _pagination(links: list[_Link], page_url: str, editions: Editions) -> list[_Link]:
    here = absolute_url(page_url, page_url, editions)
    key = _page_key(here)
    out: list[_Link] = []
    for ln in links:
        if ln.key is not None or ln.url == here or _page_key(ln.url) != key:
            continue
        if not (_has_page_number(ln.url) or _has_page_number(here)):
            continue
        rel = (ln.el.get("rel") or "").lower()
        in_pager = any(
            _PAGER_HINT_RE.search(hints(x)) for x in ln.el.iterancestors() if x.tag != "body"
        )
        text = ln.text or collapse(ln.el.get("title") or ln.el.get("aria-label"))
        if _NAV_TEXT_RE.match(text) or rel in ("next", "prev") or in_pager:
            out.append(ln)
    return out


# --------------------------------------------------------------------------------------------
# Menu


def _menu(links: list[_Link], editions: Editions, pager: set[Element]) -> list[MenuSection]:
    found: dict[str, MenuSection] = {}
    in_menu: set[str] = set()
    sections: dict[Element, str] = {}
    for ln in links:
        if ln.key is not None or ln.el in pager or _has_page_number(ln.url):
            continue
        edition = editions.edition_of(ln.url)
        slug = section_slug(ln.url) if edition is not None else None
        if slug:
            sections[ln.el] = slug
    menus = _MenuContainers(sections)
    for ln in links:
        slug = sections.get(ln.el)
        if slug is None:
            continue
        edition = editions.edition_of(ln.url) or "vi"
        menu_like = menus.holds(ln.el)
        name = ln.text or collapse(ln.el.get("title"))
        if _GENERIC_LINK_RE.match(name):
            name = ""
        sec = found.get(slug)
        if sec is None:
            found[slug] = MenuSection(slug, name, f"{PRODUCTION[edition]}/{slug}/")
        elif name and (not sec.name or (menu_like and slug not in in_menu)):
            sec.name = name
        if menu_like:
            in_menu.add(slug)
    # Menu containers, when the page has any, define the menu; other section links (box
    # headings on a home page, breadcrumbs) then only lend names.
    return [s for s in found.values() if s.name and (not in_menu or s.slug in in_menu)]


class _MenuContainers:
    """Which links sit in a menu: inside a nav element or a menu-classed element whose links are
    mostly section links (a page wrapper classed `has-menu` holds articles too and is no menu)."""

    def __init__(self, sections: dict[Element, str]) -> None:
        self.sections = sections
        self._ok: dict[Element, bool] = {}

    def _is_menu(self, el: Element) -> bool:
        ok = self._ok.get(el)
        if ok is None:
            anchors = [a for a in el.iter("a") if a.get("href")]
            n = sum(1 for a in anchors if a in self.sections)
            ok = n >= 2 and n >= 0.6 * len(anchors)
            self._ok[el] = ok
        return ok

    def holds(self, a: Element) -> bool:
        for anc in a.iterancestors():
            if anc.tag in ("body", "html"):
                return False
            if (anc.tag == "nav" or _MENU_HINT_RE.search(hints(anc))) and self._is_menu(anc):
                return True
        return False


# --------------------------------------------------------------------------------------------
# Entries


def _entries(
    root: Element, links: list[_Link], editions: Editions
) -> tuple[list[tuple[str, str]], list[str]]:
    item_links = [ln for ln in links if ln.key is not None]
    keys = {ln.el: ln.key for ln in item_links}
    blocks = {id(ln): _entry_block(ln, keys) for ln in item_links}
    candidates = [ln for ln in item_links if _is_entry(blocks[id(ln)], ln)]
    # How many candidate entries each ancestor holds: a chrome box must hold a minority.
    held: dict[Element, int] = {}
    seen_blocks: set[Element] = set()
    for ln in candidates:
        b = blocks[id(ln)]
        if b in seen_blocks:
            continue
        seen_blocks.add(b)
        for anc in b.iterancestors():
            held[anc] = held.get(anc, 0) + 1
    total = len(seen_blocks)
    regions = PageRegions(teasers_are_chrome=False)
    main: list[tuple[str, str]] = []
    main_keys: set[str] = set()
    for ln in candidates:
        if ln.key in main_keys or _in_side_box(blocks[id(ln)], held, total, regions):
            continue
        main.append((ln.url, ln.key))
        main_keys.add(ln.key)
    others: list[str] = []
    other_keys: set[str] = set()
    for ln in item_links:
        if ln.key in main_keys or ln.key in other_keys:
            continue
        others.append(ln.url)
        other_keys.add(ln.key)
    return main, others


def _entry_block(ln: _Link, keys: dict[Element, str | None]) -> Element:
    """The largest ancestor of the link that links no other item."""
    node = ln.el
    while True:
        parent = node.getparent()
        if parent is None or parent.tag in ("body", "html"):
            return node
        for a in parent.iter("a"):
            other = keys.get(a)
            if other is not None and other != ln.key:
                return node
        node = parent


def _is_entry(block: Element, ln: _Link) -> bool:
    """An entry shows a thumbnail or a summary besides its title."""
    if block.tag == "a" and block.find(".//img") is None:
        return False
    if block.find(".//img") is not None:
        return True
    text = block_text(block)
    linked = sum(len(collapse(text_of(a))) for a in block.iter("a"))
    rest = len(text) - linked
    if rest < 25:
        return False
    m = find_date(text)
    return not (m is not None and rest - len(m.group(0)) < 25)


def _in_side_box(block: Element, held: dict, total: int, regions: PageRegions) -> bool:
    for anc in [block, *block.iterancestors()]:
        if anc.tag in ("body", "html"):
            return False
        if held.get(anc, 1) * 2 > total and anc is not block:
            return False  # holds most entries: the main column, whatever its class says
        if regions.is_box(anc):
            return True
    return False
