"""The main list of a listing or home page, told from "most read", "newest", related and other
side boxes by what marks it, not by how it looks.

A side box can stand before the main list, hold more items than it, show summaries and whole
paragraphs, carry the same items (a "newest" box repeats a home page's latest list) and be named
`list` while the main list is named `sidebar-box`. What a side box never holds is the listing's
own marks:

1. its pagination links, and the heading that names the section the page lists (the menu's
   label of the URL's section, or the page title without the site's name);
2. on a home page, which has neither, the headings of section boxes: a link to a section that
   opens a block of items or stands in a heading (docs/site.md: home boxes per section).

Walking down from <body>, where the blocks holding items split, the block holding the marks is
followed; blocks without marks beside it are page chrome. Section-box headings decide once, at
the first split (the column of section boxes, with the latest news it opens with, against the
side column); the page's own heading and pagination lead down to the list itself. Where no block
holds a mark, blocks of several items opened by a furniture label ("Đọc nhiều", "Tin liên quan")
are dropped and the rest is the main list. Entries are the item links of what remains, in page
order, one per item.
"""

from __future__ import annotations

from lxml import etree

from crawler.editions import Editions, section_slug
from crawler.pages.common import (
    Element,
    absolute_url,
    box_label,
    collapse,
    read_meta,
    strip_site_name,
    text_of,
)
from crawler.pages.listing.menu import MenuSection
from crawler.pages.listing.pagination import Link, _has_page_number, _page_key

_HEADINGS = frozenset(("h1", "h2", "h3", "h4", "h5", "h6"))


def main_entries(
    root: Element,
    links: list[Link],
    url: str,
    editions: Editions,
    pager: list[Link],
    menu: list[MenuSection],
    menu_box: Element | None,
) -> list[tuple[str, str]]:
    """(URL, record id) of the main list's items, in page order."""
    items = [ln for ln in links if ln.key is not None]
    if not items:
        return []
    held: dict[Element, int] = {}
    for ln in items:
        for anc in ln.el.iterancestors():
            held[anc] = held.get(anc, 0) + 1
    names = _section_names(root, url, editions, menu)
    own = {ln.el for ln in pager} | set(_named(root, names, menu_box))
    boxes = set(_box_headings(links, editions, held, menu_box, {ln.el for ln in pager}))
    pager_els = [ln.el for ln in pager]
    region, dropped = _region(root, held, _marked(own), _marked(boxes), pager_els)
    out: dict[str, str] = {}
    for ln in items:
        if ln.key in out or not _inside(ln.el, region):
            continue
        if any(_inside(ln.el, d) for d in dropped):
            continue
        out[ln.key] = ln.url
    return [(u, k) for k, u in out.items()]


def _region(
    root: Element,
    held: dict[Element, int],
    own: set[Element],
    boxes: set[Element],
    pager: list[Element],
) -> tuple[Element, list[Element]]:
    """The block of the main list and the blocks inside it that are chrome."""
    region = root.find("body")
    if region is None:
        region = root
    while True:
        kids = [k for k in region if isinstance(k.tag, str) and k in held]
        if len(kids) <= 1:
            if not kids:
                return region, []
            if _side_box_alone(region, kids[0], own, held, pager):
                return region, kids
            region = kids[0]
            continue
        marked = [k for k in kids if k in own]
        if len(marked) == 1:
            region = marked[0]
            continue
        if not marked and boxes:
            marked = [k for k in kids if k in boxes]
            boxes = set()  # section boxes decide at the first split only
        if marked:
            return region, [k for k in kids if k not in marked]
        return region, _labelled_after_pager(region, kids, held, pager)


def _side_box_alone(
    region: Element, kid: Element, own: set[Element], held: dict, pager: list[Element]
) -> bool:
    """The only block of items left is a labelled box ("Đọc nhiều") beside the listing's marks:
    an empty listing (past its last page) whose side box must not pass for its entries. A box
    the pagination follows is the list's own ("Tin khác" in the 2020 form)."""
    if held[kid] < 2 or kid in own or not box_label(kid):
        return False
    if not any(m in own for m in region if m is not kid):
        return False
    return bool(_labelled_after_pager(region, [kid], held, pager))


def _labelled_after_pager(
    region: Element, kids: list[Element], held: dict, pager: list[Element]
) -> list[Element]:
    """Blocks of several items opened by a furniture label ("Đọc nhiều", "Tin khác"), unless the
    listing's pagination comes after them: a listing ends with its pagination, so what stands
    before it belongs to the list, whatever its label (the 2020 form's second list may well be
    headed "Tin khác")."""
    labelled = [k for k in kids if held[k] >= 2 and box_label(k)]
    inside = [p for p in pager if _inside(p, region)]
    if not labelled or not inside:
        return labelled
    order = {el: i for i, el in enumerate(region.iter())}
    end = max(order[p] for p in inside)
    return [k for k in labelled if order[k] > end]


def _marked(marks: set[Element]) -> set[Element]:
    """Every element holding one of the marks."""
    out: set[Element] = set()
    for el in marks:
        out.add(el)
        out.update(el.iterancestors())
    return out


def _section_names(root: Element, url: str, editions: Editions, menu) -> set[str]:
    """What a heading naming the listed section says: its menu label, the page title without
    the site's name. A home page lists no section."""
    path = _page_key(absolute_url(url, url, editions))[1]
    slug = section_slug(path) if path != "/" else None
    if not slug:
        return set()
    names = {m.name for m in menu if m.slug == slug}
    title = root.find(".//title")
    if title is not None:
        names.add(strip_site_name(text_of(title)))
    meta_title = read_meta(root).get("og:title")
    if meta_title:
        names.add(strip_site_name(meta_title))
    return {n.casefold() for n in names if n}


def _named(root: Element, names: set[str], menu_box: Element | None):
    """Elements outside the menu whose whole text is the section's name, the text starting in
    them: a heading (a link in it allowed: `<h1><a href=section>Name</a></h1>`), or text outside
    any link (a breadcrumb's last step). A link elsewhere (a footer, a category list) is not."""
    if not names:
        return
    body = root.find("body")
    for el in (body if body is not None else root).iter():
        if not isinstance(el.tag, str) or el.tag in ("title", "option"):
            continue
        if not (el.text or "").strip() or collapse(text_of(el)).casefold() not in names:
            continue
        if menu_box is not None and _inside(el, menu_box):
            continue
        chain = [el, *el.iterancestors()]
        if any(x.tag == "a" for x in chain) and not any(x.tag in _HEADINGS for x in chain):
            continue
        yield el


def _box_headings(
    links: list[Link],
    editions: Editions,
    held: dict[Element, int],
    menu_box: Element | None,
    pager: set[Element],
):
    """Links to sections that head a box of items: in a heading, or opening the smallest block
    around them that holds items."""
    for ln in links:
        if ln.key is not None or ln.el in pager or _has_page_number(ln.url):
            continue
        if editions.edition_of(ln.url) is None or not section_slug(ln.url):
            continue
        if menu_box is not None and _inside(ln.el, menu_box):
            continue
        if any(x.tag in _HEADINGS for x in ln.el.iterancestors()):
            yield ln.el
            continue
        block = next((x for x in ln.el.iterancestors() if x in held), None)
        if block is not None and block.tag not in ("body", "html") and _opens(block, ln.el):
            yield ln.el


def _opens(block: Element, a: Element) -> bool:
    """No text in `block` before `a`."""
    for event, node in etree.iterwalk(block, events=("start", "end")):
        if event == "start":
            if node is a:
                return True
            if isinstance(node.tag, str) and (node.text or "").strip():
                return False
        elif node is not block and (node.tail or "").strip():
            return False
    return False


def _inside(node: Element, box: Element) -> bool:
    return node is box or any(a is box for a in node.iterancestors())
