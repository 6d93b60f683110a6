"""The menu of a listing or home page: every section it offers, both levels, in menu order.

A menu is a block made of links to sections (`/<slug>/`, `/<slug>/<slug>/` on a portal host,
docs/site.md): at least three different sections, and section links at least 60 % of its links.
The first such block of the page is the menu, as a site's menu stands in its header; later ones
(a footer repeating the top sections beside "about"/"contact" pages, a sitemap) add nothing. Other
section links -- box headings on a home page, breadcrumbs -- only lend names to menu sections
that have none. A page without such a block falls back to every section link it names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from crawler.editions import PRODUCTION, Editions, section_slug
from crawler.pages.common import Element, collapse
from crawler.pages.listing.pagination import Link, _has_page_number

_GENERIC_LINK_RE = re.compile(r"^(?:xem thêm|xem tất cả|more|see more|view all|»|›|\+)\W*$", re.I)
_MIN_SECTIONS = 3
_MIN_SHARE = 0.6


@dataclass
class MenuSection:
    """One section in the page's menu."""

    slug: str
    """Full section path without slashes at either end (`thoi-su-chinh-tri/long-an`)."""
    name: str
    """The menu label, whitespace collapsed."""
    url: str
    """Absolute production URL of the section's first page."""


def find_menu(
    links: list[Link], editions: Editions, pager: set[Element]
) -> tuple[list[MenuSection], Element | None]:
    """The menu's sections and the block that holds them (None when the page has no menu)."""
    sections: dict[Element, str] = {}
    for ln in links:
        if ln.key is not None or ln.el in pager or urlsplit(ln.url).query:
            continue  # a query: a search, a page of a listing -- not a section's first page
        if _has_page_number(ln.url):
            continue
        slug = section_slug(ln.url) if editions.edition_of(ln.url) is not None else None
        if slug:
            sections[ln.el] = slug
    box = _menu_block(links, sections)
    found: dict[str, MenuSection] = {}
    for ln in links:
        slug = sections.get(ln.el)
        if slug is None or (box is not None and not _inside(ln.el, box)):
            continue
        name = _name(ln)
        sec = found.get(slug)
        if sec is None:
            edition = editions.edition_of(ln.url) or "vi"
            found[slug] = MenuSection(slug, name, f"{PRODUCTION[edition]}/{slug}/")
        elif name and not sec.name:
            sec.name = name
    for ln in links:  # names lent by other mentions (an image link in the menu has none)
        sec = found.get(sections.get(ln.el, ""))
        if sec is not None and not sec.name:
            sec.name = _name(ln)
    return [s for s in found.values() if s.name], box


def _name(ln: Link) -> str:
    name = ln.text or collapse(ln.el.get("title"))
    return "" if _GENERIC_LINK_RE.match(name) else name


def _menu_block(links: list[Link], sections: dict[Element, str]) -> Element | None:
    """The highest block around the first section link that is made of section links. Climbing
    stops at a block holding two items or more: a menu may hold a featured link, not a list (on a
    page with few entries the whole page can be mostly section links, menu and footer together)."""
    keys = {ln.el: ln.key for ln in links if ln.key is not None}
    verdict: dict[Element, bool | None] = {}

    def is_menu(el: Element) -> bool | None:
        """True: a menu block; False: not one; None: holds items, stop climbing."""
        if el not in verdict:
            anchors = [a for a in el.iter("a") if a.get("href")]
            if len({keys[a] for a in anchors if a in keys}) >= 2:
                verdict[el] = None
            else:
                slugs = {sections[a] for a in anchors if a in sections}
                n = sum(1 for a in anchors if a in sections)
                verdict[el] = len(slugs) >= _MIN_SECTIONS and n >= _MIN_SHARE * len(anchors)
        return verdict[el]

    for ln in links:
        if ln.el not in sections:
            continue
        best = None
        for anc in ln.el.iterancestors():
            ok = is_menu(anc) if anc.tag not in ("body", "html") else None
            if ok is None:
                break
            if ok:
                best = anc
        if best is not None:
            return best
    return None


def _inside(node: Element, box: Element) -> bool:
    return any(a is box for a in node.iterancestors())
