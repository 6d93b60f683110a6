"""Helpers shared by the page modules: parsing, text, slugs, URL forms, page regions, metadata.

Nothing here knows a field of the record; it knows how the portal's pages are shaped in general
(what a sidebar looks like, what a date looks like) so that the field functions in article.py,
album.py and listing.py can stay short. The portal's real page chrome is unknown (docs/site.md), so the
region and hint rules are deliberately generic: class/id stems and box labels, never one class name.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit, urlunsplit

from lxml import etree

from crawler.editions import IMAGE_HOSTS, PAGE_HOSTS, Editions, article_id

__all__ = [
    "Element",
    "Extraction",
    "Meta",
    "PageRegions",
    "absolute_url",
    "block_text",
    "collapse",
    "drop_tag",
    "drop_tree",
    "hints",
    "parse_html",
    "read_meta",
    "slugify",
    "strip_site_name",
    "text_of",
]


@dataclass
class Extraction:
    """What a page module found on one article or album page."""

    fields: dict[str, Any]
    """Raw and structural record fields (docs/architecture.md lists them)."""
    strategies: dict[str, str] = field(default_factory=dict)
    """Field -> name of the fallback that produced it (`h1+slug`, `og:title`, `jsonld`, ...)."""
    issues: list[str] = field(default_factory=list)
    """Quality reason codes noticed while extracting (`no_title`, `lead_from_meta`, ...)."""
    blocks: frozenset[str] = frozenset()
    """Signatures of the page's blocks, to learn the site's template from (template.py)."""


# --------------------------------------------------------------------------------------------
# Parsing

# remove_comments/remove_pis: comments never reach the record and would otherwise show up as
# text nodes in every search. huge_tree: lxml otherwise drops deeply nested content silently
# (docs/pitfalls.md).
# The plain etree parser, not lxml.html's: lxml.html looks up a Python element class for every
# element proxy, which cost more than all field rules together (~1 µs per element visit).
_PARSER = etree.HTMLParser(remove_comments=True, remove_pis=True, huge_tree=True)
Element = etree._Element
_STRING = etree.XPath("string()", smart_strings=False)
_XML_DECL_RE = re.compile(r"^\s*<\?xml[^>]*>", re.I)
# Elements that carry no visible article text; dropped before any text search so that script
# strings cannot look like dates or titles. `noscript` usually repeats a lazy-loaded image.
_INVISIBLE = ("script", "style", "noscript", "template")


def parse_html(html: str) -> Element:
    """Parse decoded page text once; scripts and styles are removed (after JSON-LD is read)."""
    # lxml refuses a str that still carries an XML encoding declaration.
    if html.lstrip()[:5].lower() == "<?xml":
        html = _XML_DECL_RE.sub("", html, count=1)
    if not html.strip():
        html = "<html></html>"
    root = etree.fromstring(html, parser=_PARSER)
    if root is None:  # nothing parseable (e.g. only a doctype)
        root = etree.fromstring("<html><body></body></html>", parser=_PARSER)
    return root


def drop_invisible(root: Element) -> None:
    etree.strip_elements(root, *_INVISIBLE, with_tail=False)


_TEXT_LEN = etree.XPath("string-length(normalize-space())")


def text_len(el: Element) -> int:
    """Length of the element's whitespace-collapsed text, measured in C (no Python string): the
    box rules measure every ancestor of many elements. An element without children whose text
    has no tab, line break or double space (a link, a short line) is measured in Python: the same
    count (only spaces to trim) without an XPath evaluation's set-up."""
    if not len(el):
        t = el.text
        if not t:
            return 0
        if "  " not in t and "\n" not in t and "\t" not in t and "\r" not in t:
            return len(t.strip(" "))
    return int(_TEXT_LEN(el))


def text_of(el: Element) -> str:
    """All text inside an element (lxml.html's text_content())."""
    return _STRING(el)


def drop_tree(el: Element) -> None:
    """Remove an element and its content, keeping the text that follows it."""
    parent = el.getparent()
    if parent is None:
        return
    _keep_tail(el, parent)
    parent.remove(el)


def drop_tag(el: Element) -> None:
    """Replace an element by its content (children and text), as lxml.html's drop_tag()."""
    parent = el.getparent()
    if parent is None:
        return
    prev = el.getprevious()
    text = el.text or ""
    if prev is not None:
        prev.tail = (prev.tail or "") + text if text else prev.tail
    elif text:
        parent.text = (parent.text or "") + text
    at = parent.index(el)
    children = list(el)
    if children:
        last = children[-1]
        last.tail = (last.tail or "") + (el.tail or "") if el.tail else last.tail
    else:
        _keep_tail(el, parent)
        el.tail = None
    for i, child in enumerate(children):
        parent.insert(at + i, child)  # moves the child (and its tail) out of `el`
    el.tail = None
    parent.remove(el)


def _keep_tail(el: Element, parent: Element) -> None:
    if not el.tail:
        return
    prev = el.getprevious()
    if prev is not None:
        prev.tail = (prev.tail or "") + el.tail
    else:
        parent.text = (parent.text or "") + el.tail


# --------------------------------------------------------------------------------------------
# Text


def collapse(s: str | None) -> str:
    """Whitespace collapsed to single spaces and trimmed (Python's \\s includes NBSP)."""
    return " ".join(s.split()) if s else ""


def block_text(el: Element) -> str:
    """Visible text of an element with `<br>` read as a space, whitespace collapsed.

    `text_content()` would glue the words on either side of a `<br>` together.
    """
    if el.find(".//br") is None:
        return collapse(text_of(el))
    parts: list[str] = []
    for event, node in etree.iterwalk(el, events=("start", "end")):
        if event == "start":
            if node.tag == "br":
                parts.append(" ")
            elif node.text and isinstance(node.tag, str):
                parts.append(node.text)
        elif node is not el and node.tail:
            parts.append(node.tail)
    return collapse("".join(parts))


def _fold_table() -> dict[int, str | None]:
    """Latin letters with diacritics -> their ASCII base letter; combining marks -> removed.
    Built once: str.translate is an order of magnitude faster than NFD + a per-character loop."""
    table: dict[int, str | None] = {ord("đ"): "d", ord("Đ"): "D"}
    for cp in (*range(0xC0, 0x250), *range(0x1E00, 0x1F00)):
        base = unicodedata.normalize("NFD", chr(cp))[0]
        if base != chr(cp) and base.isascii():
            table[cp] = base
    for cp in range(0x300, 0x370):
        table[cp] = None
    return table


_FOLD = _fold_table()


def slugify(s: str) -> str:
    """The portal's URL slug of a title: lower-case, diacritics stripped, đ→d, hyphenated."""
    return _SLUG_SEP_RE.sub("-", s.translate(_FOLD).lower()).strip("-")


_SLUG_SEP_RE = re.compile(r"[^a-z0-9]+")

# "Title - Báo Long An", "Title | Baolongan", "Báo Long An - Title", "Title - Long An News" ...
# "Long An" alone is the province (a kicker, a section), not the site's name.
_SITE_NAME_SLUG_RE = re.compile(
    r"^bao-?long-?an(?:-(?:online|news|dien-tu|newspaper))?$"
    r"|^long-?an-(?:online|news|newspaper)$|^baolongan(?:-vn)?$"
)
_TITLE_SEP_RE = re.compile(r"\s+[-–—|:•»]+\s+|\s*\|\s*")


def is_site_name(s: str) -> bool:
    return bool(_SITE_NAME_SLUG_RE.match(slugify(s)))


def strip_site_name(s: str | None) -> str:
    """`og:title`/`<title>` without the portal's name before or after a separator."""
    s = collapse(s)
    if not s:
        return ""
    parts = _TITLE_SEP_RE.split(s)
    if len(parts) > 1:
        if is_site_name(parts[-1]):
            return collapse(s[: s.rfind(parts[-1])].rstrip(" -–—|:•»"))
        if is_site_name(parts[0]):
            return collapse(s[len(parts[0]) :].lstrip(" -–—|:•»"))
    return "" if is_site_name(s) else s


# --------------------------------------------------------------------------------------------
# Dates as the portal prints them: `20/01/2022 - 18:20` (docs/site.md); a time may also come first or
# be missing. Only slash dates: the site's one documented format, and cheap to pre-filter.

DATE_RE = re.compile(
    r"(?<![\d/])(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>(?:19|20)\d\d)(?![\d/])"
    r"(?:\s*(?:[-–|,]|lúc|at)?\s*(?P<H>\d{1,2})\s*[:h]\s*(?P<M>\d\d)(?!\d)"
    r"(?:\s*(?:SA|CH|AM|PM|am|pm)(?![A-Za-z]))?)?"
)
TIME_FIRST_RE = re.compile(
    r"(?<![\d:])(?P<H>\d{1,2}):(?P<M>\d\d)(?:\s*(?:SA|CH|AM|PM|am|pm))?\s*(?:[-–|,]|ngày)?\s*"
    r"(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>(?:19|20)\d\d)(?![\d/])"
)


# Same groups as DATE_RE; H and M can never match, so they read as None (no time).
_DATE_ONLY_RE = re.compile(
    r"(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>(?:19|20)\d\d)(?P<H>(?!))?(?P<M>(?!))?"
)


def _plausible_day(m: re.Match[str]) -> bool:
    return 1 <= int(m["d"]) <= 31 and 1 <= int(m["m"]) <= 12


def _plausible_time(m: re.Match[str]) -> bool:
    return m["H"] is None or (int(m["H"]) <= 23 and int(m["M"]) <= 59)


def find_date(text: str) -> re.Match[str] | None:
    """The first plausible date(-time) in `text` (a time-first form when it starts earlier).
    A date followed by an impossible time is still a date (the time is dropped)."""
    best: re.Match[str] | None = None
    for rx in (TIME_FIRST_RE, DATE_RE):
        for m in rx.finditer(text):
            if not _plausible_day(m):
                continue
            if not _plausible_time(m):
                if rx is TIME_FIRST_RE:
                    continue
                m = _DATE_ONLY_RE.match(text, m.start())
                assert m is not None
            if best is None or m.start() < best.start():
                best = m
            break
    return best


# --------------------------------------------------------------------------------------------
# Class/id hints


def hints(el: Element) -> str:
    """Lower-cased `class` and `id` of an element, the text the hint regexes look at."""
    c = el.get("class")
    i = el.get("id")
    if c is None and i is None:
        return ""
    return f"{c or ''} {i or ''}".lower()


# Boxes that are not the article: sidebars, related/most-read lists, menus, share bars.
# Stems, matched at the start of a class word (so `relatedNews`, `box-related`, `tin-lien-quan`).
SIDE_HINT_RE = re.compile(
    # distinctive stems, wherever they sit in a class word (`tinlienquan`, `boxrelated`)
    r"sidebar|side-bar|related|relate-|lien-?quan|tin-?khac|tinkhac|other-?news|doc-?nhieu"
    r"|docnhieu|xem-?nhieu|xemnhieu|most-?read|mostread|most-?view|popular|trending|widget"
    r"|breadcrumb|comment|binh-?luan|binhluan|advert|quang-?cao|quangcao|masthead|site-header"
    r"|header-top|top-header|topbar|top-bar|footer|social|sharing|share"
    # short stems only at the start of a class word (`nav-main`, not `canvas`)
    r"|(?<![a-z0-9])(?:aside|other|others|most|menu|nav|navbar|banner|ads|qc|tags?|keywords?"
    r"|tu-?khoa)(?![a-z])"
    # a bare `header` is the site header; `article-header`, `post-header` are the article's
    r"|(?<![a-z0-9-])header(?![a-z0-9-])"
)
# Labels that head such boxes when they carry no helpful class ("Đọc nhiều", "Tin liên quan" ...).
SIDE_LABEL_RE = re.compile(
    r"^(?:đọc nhiều|xem nhiều|tin đọc nhiều|tin xem nhiều|nhiều người đọc|tin liên quan"
    r"|bài liên quan|bài viết liên quan|tin khác|các tin khác|tin cùng chuyên mục|cùng chuyên mục"
    r"|tin mới|tin mới nhất|tin nổi bật|tin tiêu điểm|có thể bạn quan tâm|xem thêm|most read"
    r"|most viewed|most popular|popular|related|related news|related articles|other news"
    r"|latest|latest news|more news|read more|you may also like|tags?|từ khóa|từ khoá"
    r"|liên kết hữu ích|useful links?|chia sẻ(?: bài viết)?|share(?: this)?(?: article)?)\b",
    re.I,
)


@dataclass
class PageRegions:
    """Answers "is this element in chrome (sidebar, menu, related box)?" with a cache.

    A box counts as chrome when its own class/id or its heading says so. An ancestor that contains
    one of the `protect`ed elements (the title, the body) is never chrome, whatever its class: a
    page wrapper named `has-menu` must not swallow the article.
    """

    protect: list[Element] = field(default_factory=list)
    learned: frozenset[Element] = frozenset()
    """Blocks the site's learned template says are chrome (crawler/pages/template.py)."""
    links: dict[Element, tuple[int, bool]] = field(default_factory=dict)
    """Link -> (text length, standalone link to an item): measured once per page, read for
    every ancestor the box rules judge (share it like `boxes`)."""
    boxes: dict[Element, bool] = field(default_factory=dict)
    """Element -> "is a chrome box, protection aside"; share one dict between the PageRegions
    of one page (it does not depend on what is protected)."""
    _cache: dict[Element, bool] = field(default_factory=dict)
    _protected: set[Element] | None = None

    def _protected_set(self) -> set[Element]:
        if self._protected is None:
            s: set[Element] = set()
            for el in self.protect:
                if el is not None:
                    s.update(el.iterancestors())
                    s.add(el)
            self._protected = s
        return self._protected

    def is_box(self, el: Element) -> bool:
        """True when `el` itself is a chrome box (not looking at ancestors)."""
        if el in self._protected_set():
            return False  # (asked first: the page wrappers above the article cost the most)
        box = self.boxes.get(el)
        if box is None:
            box = el in self.learned or _looks_like_box(el, self.links)
            self.boxes[el] = box
        return box

    def in_chrome(self, el: Element) -> bool:
        """True when `el` or an ancestor (below <body>) is a chrome box."""
        path: list[Element] = []
        node: Element | None = el
        result = False
        while node is not None and node.tag not in ("body", "html"):
            cached = self._cache.get(node)
            if cached is not None:
                result = cached
                break
            path.append(node)
            if isinstance(node.tag, str) and self.is_box(node):
                result = True
                break
            node = node.getparent()
        for n in path:
            self._cache[n] = result
        return result


_BOX_TAGS = frozenset(("div", "section", "ul", "ol", "table", "td", "aside", "dl", "form"))
# A paragraph this long is article prose: no box of page furniture holds one outside a link.
_PROSE_CHARS = 150


def _looks_like_box(el: Element, cache: dict[Element, tuple[int, bool]] | None = None) -> bool:
    """Page furniture judged by what the element holds, not by what its class says (a CMS may
    wrap the article itself in `box-…`, `widget-…` or `sidebar-content`): a box headed by a
    furniture label, a block that is mostly links (menus, breadcrumbs, link lists), a list of
    teasers (links to other items, each with a summary), or nav/footer/site-header elements and
    class-hinted blocks that hold no prose of their own."""
    tag = el.tag
    if tag in ("nav", "footer"):
        return True
    if tag == "header":
        # The site header; an <article><header> holds the title and date.
        return not any(a.tag in ("article", "main") for a in el.iterancestors())
    if tag not in _BOX_TAGS:
        return False
    label = _label_part(el)
    if label is not None and not _content_outside(el, label):
        return True
    if _LINK_COUNT(el) < 3:  # neither a teaser list nor link-dense: skip measuring links
        if holds_prose(el) or _holds_photos(el):
            return False
        h = hints(el) if tag != "td" else ""
        return bool(h) and bool(SIDE_HINT_RE.search(h))
    links, items, linked, text = _link_stats(el, {} if cache is None else cache)
    if len(items) >= 3:
        common = _teaser_list(el, items, text)
        if common is not None and not _content_outside(el, common):
            return True  # teasers: links to other items, each with a summary at most
    if holds_prose(el) or _holds_photos(el):
        return False  # the article or album (or a wrapper of it), however many links beside it
    if links >= 3 and linked >= 0.5 * text:
        return True
    h = hints(el) if tag != "td" else ""
    return bool(h) and bool(SIDE_HINT_RE.search(h))


_LINK_COUNT = etree.XPath("count(.//a[@href])")
_BLOCK_TAGS_FOR_LINKS = frozenset(("p", "li", "div", "td", "h2", "h3", "h4", "h5", "dt", "dd"))


_PROSE_RUN_CHARS = 80


def holds_prose(el: Element) -> bool:
    """The element holds running text: one long paragraph, or two paragraphs of at least
    _PROSE_RUN_CHARS characters outside links under one parent with only paragraphs (sub-heads,
    image and caption lines) between them. Teasers alternate links and summaries; menus, ads and
    link lists have none; an article body always has such a run."""
    for p in el.iter("p"):
        own = _own_chars(p)
        if own >= 3 * _PROSE_RUN_CHARS:
            return True
        if own < _PROSE_RUN_CHARS:
            continue
        for nxt in p.itersiblings():
            if not isinstance(nxt.tag, str):
                continue
            if nxt.tag != "p" and nxt.find(".//img") is None:
                break
            if nxt.tag == "p" and _own_chars(nxt) >= _PROSE_RUN_CHARS:
                return True
    return False


def _holds_photos(el: Element) -> bool:
    """Two or more content images: not thumbnails linking to items, not banners linking away."""
    return sum(1 for img in el.iter("img") if _content_image(img)) >= 2


def _content_image(img: Element) -> bool:
    link = next((a for a in img.iterancestors("a")), None)
    href = (link.get("href") or "") if link is not None else ""
    return not (href and (_ITEM_HREF_RE.search(href) or not _IMAGE_HREF_RE.search(href)))


_IMAGE_HREF_RE = re.compile(r"\.(?:jpe?g|png|gif|webp|jfif|bmp)(?:[?#]|$)", re.I)


def _own_chars(el: Element) -> int:
    """Characters of text outside links."""
    total = text_len(el)
    if el.find(".//a") is None:
        return total
    return total - sum(text_len(a) for a in el.iter("a"))


def _link_stats(
    el: Element, cache: dict[Element, tuple[int, bool]]
) -> tuple[int, list[Element], int, int]:
    """(links, standalone links to portal items, characters of link text, characters of text).
    A standalone link is a block of its own (a teaser title, a list entry), not a link inside a
    sentence of the body."""
    links = linked = 0
    items: list[Element] = []
    blocks: dict[Element, tuple[int, str | None]] = {}  # links of one block share its text
    for a in el.iter("a"):
        info = cache.get(a)
        if info is None:
            href = a.get("href")
            if not href:
                info = cache[a] = (-1, False)
            else:
                n = text_len(a)
                info = cache[a] = (
                    n,
                    bool(_ITEM_HREF_RE.search(href)) and _standalone(a, n, blocks),
                )
        if info[0] < 0:
            continue
        links += 1
        linked += info[0]
        if info[1]:
            items.append(a)
    return links, items, linked, text_len(el)


def _teaser_list(el: Element, items: list[Element], text: int) -> Element | None:
    """The element is mostly the block that holds its item links, and that block is a run of
    units each opened by a link to another item (a teaser: title, then a summary of any length).
    An article with a related box beside it is not: the links' block is a small part of it.
    Returns the block of teasers."""
    common = _common_ancestor(items, el)
    held = text_len(common)
    if held < 0.7 * text:
        return None
    units = [c for c in common if isinstance(c.tag, str) and text_len(c)]
    opened = set(map(id, items))
    n_open = sum(1 for u in units if id(_first_link(u)) in opened)
    return common if n_open >= 3 and n_open >= 0.4 * len(units) else None


def _label_part(el: Element) -> Element | None:
    """The part of `el` a furniture label ("Đọc nhiều", "Tin liên quan") stands for: `el` when
    the label is its own first text; else the first child holding text, which is the label's
    heading or a box of its own. None without a label. `_content_outside` then decides whether
    the verdict on that part is the verdict on `el`."""
    if not box_label(el):
        return None
    if (el.text or "").strip():
        return el
    for child in el:
        if isinstance(child.tag, str) and collapse(text_of(child)):
            return child
    return el


def _content_outside(el: Element, part: Element) -> bool:
    """Article content (a long paragraph, a content image) in `el` outside `part` and outside
    its heading: the verdict on `part` is then not the verdict on `el` (a table row holding a
    sidebar cell and the article's cell, a wrapper holding the photos and a teaser list)."""
    if part is el:
        return False
    for p in el.iter("p"):
        if _own_chars(p) >= 2 * _PROSE_RUN_CHARS and not _inside(p, part):
            return True
    return any(not _inside(img, part) and _content_image(img) for img in el.iter("img"))


def _inside(node: Element, part: Element) -> bool:
    return node is part or any(a is part for a in node.iterancestors())


def _first_link(unit: Element) -> Element | None:
    """The link that opens a unit: the unit itself, or its first link when no text precedes it."""
    if unit.tag == "a":
        return unit
    for node in unit.iter():
        if node.tag == "a":
            return node
        if node is not unit and (node.text or "").strip():
            return None
        if node is unit and (unit.text or "").strip():
            return None
    return None


def _common_ancestor(nodes: list[Element], top: Element) -> Element:
    path = [nodes[0], *nodes[0].iterancestors()]
    rank = {id(n): i for i, n in enumerate(path)}
    best = 0
    for node in nodes[1:]:
        for anc in (node, *node.iterancestors()):
            i = rank.get(id(anc))
            if i is not None:
                best = max(best, i)
                break
    common = path[best]
    return common if top in (common, *common.iterancestors()) else top


def _standalone(a: Element, n: int, blocks: dict[Element, tuple[int, str | None]]) -> bool:
    """The link is a block of its own, or opens its block as a teaser's title does (`<li><a>title
    </a><p>summary</p></li>`); a link inside a sentence of the body is neither. `blocks` keeps
    each block's length and text for the other links in it (a share bar's three links)."""
    if a.find(".//img") is not None:
        return True
    node = a.getparent()
    while node is not None and node.tag not in _BLOCK_TAGS_FOR_LINKS:
        node = node.getparent()
    if node is None:
        return True
    size, text = blocks.get(node) or (text_len(node), None)
    if size <= n + 3:
        return True
    if (node.text or "").strip():
        return False  # text before the link: a link inside a sentence
    opening = collapse(text_of(a))
    if not opening:
        return False
    if text is None:
        text = collapse(text_of(node))
    blocks[node] = (size, text)
    return text.startswith(opening)


_ITEM_HREF_RE = re.compile(r"-a\d+\.html?|albumphoto/|/xem-video/")


def box_label(el: Element) -> bool:
    """True when the first text of a box is a sidebar/related/share label."""
    for t in el.itertext():
        t = t.strip()
        if t:
            return bool(SIDE_LABEL_RE.match(t)) and len(t) <= 40
    return False


# --------------------------------------------------------------------------------------------
# URLs


def _fetch_netlocs(editions: Editions) -> set[str]:
    return {urlsplit(editions.vi_base).netloc.lower(), urlsplit(editions.en_base).netloc.lower()}


def absolute_url(href: str, page_url: str, editions: Editions) -> str:
    """`href` as found on the page -> absolute URL in production form.

    Relative links and links on the fetch hosts (a mirror, the replica) are resolved against the
    page as fetched and mapped to production (`/image/...` onto the image host). A link that
    already names a production or foreign host is left as written (contract: never re-encoded),
    so a production crawl and a replica crawl of the same page give the same URLs.
    """
    href = href.strip()
    parts = urlsplit(href)
    if parts.netloc:
        host = parts.netloc.lower().split(":")[0]
        production = host in PAGE_HOSTS or host in IMAGE_HOSTS
        if production and not parts.scheme:  # protocol-relative: scheme of the host, not the page
            scheme = IMAGE_HOSTS.get(host, "https")
            return f"{scheme}:{href}"
        if production or parts.netloc.lower() not in _fetch_netlocs(editions):
            return urljoin(page_url, href) if not parts.scheme else href
    if parts.scheme and parts.scheme not in ("http", "https"):
        return href  # mailto:, javascript:, data: stay as they are
    return editions.to_production(urljoin(page_url, href))


def page_base(root: Element, url: str, editions: Editions) -> tuple[str, bool]:
    """The URL relative links of the page resolve against: its `<base href>` when that names the
    portal (a fetch or production host), else the URL it was fetched from. Returns (base, True)
    when a `<base href>` pointing elsewhere was ignored: an offsite base must not send the
    crawler's links off the portal, and the caller counts it."""
    for el in root.iter("base"):
        href = (el.get("href") or "").strip()
        if not href:
            continue
        base = urljoin(url, href)
        if urlsplit(base).scheme in ("http", "https") and editions.is_portal(base):
            return base, False
        return url, True
    return url, False


def portal_article_id(url: str, editions: Editions) -> int | None:
    """Article id of an absolute URL on a portal host (any scheme, www or not), else None."""
    if not editions.is_portal(url):
        return None
    return article_id(url)


def canonical_host_url(url: str) -> str:
    """A production page URL in its canonical form: https, no `www.`, no query or fragment."""
    parts = urlsplit(url)
    host = parts.netloc.lower().split(":")[0]
    if host.startswith("www.") and host[4:] in PAGE_HOSTS:
        host = host[4:]
    return urlunsplit(("https", host, parts.path, "", ""))


# --------------------------------------------------------------------------------------------
# Metadata: <meta>, <link rel=canonical>, JSON-LD


@dataclass
class Meta:
    props: dict[str, str] = field(default_factory=dict)
    """`property`/`name`/`itemprop` (lower-cased) -> content; the first occurrence wins."""
    canonical: str | None = None
    title_tag: str = ""
    jsonld: dict[str, Any] = field(default_factory=dict)
    """The first JSON-LD object that looks like an article (headline, datePublished ...)."""

    def get(self, *names: str) -> str | None:
        for n in names:
            v = self.props.get(n)
            if v and v.strip():
                return v
        return None

    def ld(self, key: str) -> str | None:
        v = self.jsonld.get(key)
        if isinstance(v, list):
            v = v[0] if v else None
        if isinstance(v, dict):
            v = v.get("name") or v.get("@value")
        return v.strip() if isinstance(v, str) and v.strip() else None


_LD_TYPES = {"newsarticle", "article", "blogposting", "reportagenewsarticle", "imagegallery",
             "webpage", "analysisnewsarticle", "mediagallery", "collectionpage"}  # fmt: skip


def _ld_objects(data: Any) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    if isinstance(data, list):
        for d in data:
            out.extend(_ld_objects(d))
    elif isinstance(data, dict):
        if "@graph" in data:
            out.extend(_ld_objects(data["@graph"]))
        out.append(data)
    return out


def _pick_ld(objs: list[dict[str, Any]]) -> dict[str, Any]:
    best: dict[str, Any] = {}
    for o in objs:
        t = o.get("@type")
        types = {x.lower() for x in (t if isinstance(t, list) else [t]) if isinstance(x, str)}
        if "headline" in o or "datePublished" in o:
            if types & _LD_TYPES - {"webpage", "collectionpage"}:
                return o
            best = best or o
        elif types & _LD_TYPES and not best:
            best = o
    return best


_LD_FIELD_RE = re.compile(r'"(headline|datePublished|description|name)"\s*:\s*"((?:[^"\\]|\\.)*)"')


def _read_jsonld(text: str) -> dict[str, Any]:
    try:
        return _pick_ld(_ld_objects(json.loads(text, strict=False)))
    except ValueError:
        # CMS templates often emit JSON-LD with trailing commas or raw quotes; read what we can.
        found: dict[str, Any] = {}
        for k, v in _LD_FIELD_RE.findall(text):
            try:
                found.setdefault(k, json.loads(f'"{v}"', strict=False))
            except ValueError:
                found.setdefault(k, v)
        return found


def read_meta(root: Element) -> Meta:
    """Every metadata source in one pass over the elements that can carry it."""
    meta = Meta()
    for el in root.iter("meta", "link", "script", "title"):
        tag = el.tag
        if tag == "meta":
            key = el.get("property") or el.get("name") or el.get("itemprop")
            content = el.get("content")
            if key and content is not None:
                meta.props.setdefault(key.strip().lower(), content)
        elif tag == "link":
            rel = (el.get("rel") or "").lower().split()
            if "canonical" in rel and el.get("href") and meta.canonical is None:
                meta.canonical = el.get("href")
        elif tag == "title":
            if not meta.title_tag:
                meta.title_tag = collapse(text_of(el))
        elif (el.get("type") or "").lower() == "application/ld+json" and not meta.jsonld:
            meta.jsonld = _read_jsonld(el.text or "")
    return meta


# --------------------------------------------------------------------------------------------
# Small tree helpers

HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")


def style_right(el: Element) -> bool:
    """Right-aligned by inline style, `align` attribute or a `right` class word."""
    style = (el.get("style") or "").lower().replace(" ", "")
    if "text-align:right" in style:
        return True
    if (el.get("align") or "").lower() == "right":
        return True
    return bool(_RIGHT_CLASS_RE.search(el.get("class") or ""))


_RIGHT_CLASS_RE = re.compile(
    r"(?<![a-z])(?:text-right|right|align-?right|pull-right|tar)(?![a-z])", re.I
)
