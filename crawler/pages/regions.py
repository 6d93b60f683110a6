"""Page regions: is this element page furniture (a sidebar, a menu, a related or "most read" box, a
share bar)? Judged by what a block holds and where it stands -- its label, its links, teasers,
prose and photos -- with class/id words only as a last hint (the portal's chrome is unknown,
docs/site.md); an ancestor of the title or the body is never chrome."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree

from crawler.pages.parsing import Element, has_tag, text_len, text_of
from crawler.pages.text import collapse

__all__ = [
    "SIDE_HINT_RE",
    "SIDE_LABEL_RE",
    "PageRegions",
    "box_label",
    "hints",
    "holds_photos",
    "holds_prose",
]


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
    # a bare `header` is the site header; `article-header`, `post-header`, `detail__header` (BEM)
    # are the article's
    r"|(?<![a-z0-9_-])header(?![a-z0-9_-])"
)
# Labels that head such boxes when they carry no helpful class ("Đọc nhiều", "Tin liên quan" ...).
SIDE_LABEL_RE = re.compile(
    r"^(?:đọc nhiều|xem nhiều|tin đọc nhiều|tin xem nhiều|nhiều người đọc|tin liên quan"
    r"|bài liên quan|bài viết liên quan|tin khác|các tin khác|tin cùng chuyên mục|cùng chuyên mục"
    r"|tin mới|tin mới nhất|tin nổi bật|tin tiêu điểm|có thể bạn quan tâm|xem thêm|most read"
    r"|most viewed|most popular|popular|related|related news|related articles|other news"
    r"|latest|latest news|more news|read more|you may also like|tags?|từ khóa|từ khoá"
    r"|liên kết hữu ích|useful links?|chia sẻ(?: bài viết)?|share(?: this)?(?: article)?"
    r"|loạt bài|series)\b",
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


# A readers' comments section, named as such by a whole class word or id: it holds prose (the
# readers'), which would otherwise keep it from being a box.
_COMMENTS_RE = re.compile(
    r"(?<![a-z0-9-])(?:comments?(?:-(?:list|box|area|section|wrap|block|container))?"
    r"|binh-?luan|binhluan|y-?kien-?ban-?doc|disqus_thread|fb-comments)(?![a-z0-9-])"
)
_BOX_TAGS = frozenset(
    ("div", "section", "article", "ul", "ol", "table", "td", "aside", "dl", "form")
)
# A paragraph this long is article prose: no box of page furniture holds one outside a link.
_PROSE_CHARS = 150


def _looks_like_box(el: Element, cache: dict[Element, tuple[int, bool]] | None = None) -> bool:
    """Page furniture judged by what the element holds, not by what its class says (a CMS may
    wrap the article itself in `box-…`, `widget-…` or `sidebar-content`): a box headed by a
    furniture label, a block that is mostly links (menus, breadcrumbs, link lists), a list of
    teasers (links to other items, each with a summary), or nav/footer/site-header elements and
    class-hinted blocks that hold no prose of their own."""
    tag = el.tag
    if tag == "nav":
        return True
    if tag in ("header", "footer"):
        # The site's header and footer; an <article>'s own hold its title and date, its byline.
        return not any(a.tag in ("article", "main") for a in el.iterancestors())
    if tag not in _BOX_TAGS:
        return False
    if _COMMENTS_RE.search(hints(el)):
        return True  # readers' comments: prose, but not the article's
    label = _label_part(el)
    if label is not None and not _content_outside(el, label):
        return True
    if _LINK_COUNT(el) < 3:  # neither a teaser list nor link-dense: skip measuring links
        if holds_prose(el) or holds_photos(el):
            return False
        h = hints(el) if tag != "td" else ""
        return bool(h) and bool(SIDE_HINT_RE.search(h))
    links, items, linked = _link_stats(el, {} if cache is None else cache)
    text = -1  # measured when needed: the wrappers of the article, judged first, never need it
    if len(items) >= 3:
        text = text_len(el)
        common = _teaser_list(el, items, text)
        if common is not None and not _content_outside(el, common):
            return True  # teasers: links to other items, each with a summary at most
    if holds_prose(el) or holds_photos(el):
        return False  # the article or album (or a wrapper of it), however many links beside it
    if links >= 3 and linked >= 0.5 * (text if text >= 0 else text_len(el)):
        return True
    h = hints(el) if tag != "td" else ""
    return bool(h) and bool(SIDE_HINT_RE.search(h))


# (`descendant::` rather than `.//`: libxml2 expands `.//a[...]` into a node set per descendant)
_LINK_COUNT = etree.XPath("count(descendant::a[@href])")
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
            if nxt.tag != "p" and not has_tag(nxt, "img"):
                break
            if nxt.tag == "p" and _own_chars(nxt) >= _PROSE_RUN_CHARS:
                return True
    return False


def holds_photos(el: Element) -> bool:
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
    if not len(el) or not has_tag(el, "a"):
        return total
    return total - sum(text_len(a) for a in el.iter("a"))


def _link_stats(
    el: Element, cache: dict[Element, tuple[int, bool]]
) -> tuple[int, list[Element], int]:
    """(links, standalone links to portal items, characters of link text).
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
    return links, items, linked


def _teaser_list(el: Element, items: list[Element], text: int) -> Element | None:
    """The element is mostly the block that holds its item links, and that block is a run of
    units each opened by a link to another item (a teaser: title, then a summary of any length).
    An article with a related box beside it is not: the links' block is a small part of it.
    Returns the block of teasers."""
    common = common_ancestor(items, el)
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


def common_ancestor(nodes: list[Element], top: Element) -> Element:
    """The deepest element holding every node (or being it), `top` when that is not under it."""
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
    if has_tag(a, "img"):
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
    """True when the first text of a box is a sidebar/related/share label (the label's own words
    short: "Loạt bài: <the series' name>" is a label too)."""
    for piece in el.itertext():
        t = piece.strip()
        if t:
            return bool(SIDE_LABEL_RE.match(t)) and len(t.split(":", 1)[0]) <= 40
    return False
