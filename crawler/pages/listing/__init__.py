"""Section listings and home pages: the menu, the main entries, other item links, pagination.

Nothing about the portal's listing chrome is known beyond "title + summary (+ thumbnail)" per entry
and the 2020 selectors (docs/site.md), so each part is recognised by what it is and where it
stands, never by a class name (a CMS may call its main list `box`, `widget` or `sidebar`):

- menu (`menu.py`): the first block of the page made of links to sections;
- pagination (`pagination.py`): links to the same listing that differ from it by a page number,
  or with a next/previous/number text, and `<link rel="next|prev">`;
- entries (`entries.py`): the items of the block that holds the listing's own marks -- its
  pagination, its heading naming the section, or on a home page the headings of section boxes --
  as opposed to "most read", "newest" and related boxes, however long or rich they are and
  wherever they stand.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from crawler.editions import Editions, item_id
from crawler.pages.common import (
    Element,
    absolute_url,
    collapse,
    drop_invisible,
    page_base,
    parse_html,
    text_of,
)
from crawler.pages.listing.entries import main_entries
from crawler.pages.listing.menu import MenuSection, find_menu
from crawler.pages.listing.pagination import (
    Link,
    _has_page_number,
    _page_key,
    head_pagination,
    pagination_links,
)
from crawler.pages.requisites import page_requisites
from crawler.pages.template import block_signatures

__all__ = ["Listing", "MenuSection", "_has_page_number", "_page_key", "parse_listing"]


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
    blocks: frozenset[str] = frozenset()
    """Block signatures of the page, when asked for: listings teach the site's template too
    (its header, menus, footer and sidebars), before the first article (crawler/pages/template.py)."""
    base_href_ignored: bool = False
    """The page's `<base href>` named another site and was ignored (counted by the spider)."""
    requisites: list[str] = field(default_factory=list)
    """The page's requisites (crawler/pages/requisites.py), when asked for: from the same tree."""


def parse_listing(
    html: str, url: str, editions: Editions, learn: bool = False, requisites: bool = False
) -> Listing:
    """Menu, entries, other item links and pagination of a listing or home page; with `learn`,
    the page's block signatures as well, with `requisites` its page requisites (both from the
    same tree: the page is parsed once)."""
    root = parse_html(html)
    base, base_ignored = page_base(root, url, editions)
    head_links = head_pagination(root, base, editions)
    wanted = page_requisites(root, url, editions) if requisites else []
    drop_invisible(root)
    blocks = frozenset(block_signatures(root)) if learn else frozenset()
    links = _links(root, base, editions)
    pager = pagination_links(links, url, editions)
    pagination = list(dict.fromkeys([*(ln.url for ln in pager), *head_links]))
    menu, menu_box = find_menu(links, editions, {ln.el for ln in pager})
    entries = main_entries(root, links, url, editions, pager, menu, menu_box)
    main_keys = {key for _, key in entries}
    others: dict[str, str] = {}
    for ln in links:
        if ln.key is not None and ln.key not in main_keys and ln.key not in others:
            others[ln.key] = ln.url
    return Listing(
        menu=menu,
        entries=[u for u, _ in entries],
        other_links=list(others.values()),
        pagination=pagination,
        fingerprint=tuple(key for _, key in entries),
        blocks=blocks,
        base_href_ignored=base_ignored,
        requisites=wanted,
    )


def _links(root: Element, page_url: str, editions: Editions) -> list[Link]:
    out = []
    for a in root.iter("a"):
        href = a.get("href")
        if not href or href.startswith(("#", "javascript:", "mailto:", "tel:")):
            continue
        url = absolute_url(href, page_url, editions)
        key = item_id(url) if editions.is_portal(url) else None
        out.append(Link(a, url, collapse(text_of(a)), key))
    return out
