"""The body cut out of its container: header parts, lead, byline, share and useful-links blocks,
related boxes and other chrome inside the container dropped (in place: the page is parsed for this
one extraction)."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from lxml import etree

from crawler.pages.article.images import marked_caption
from crawler.pages.article.page import FAR, Anchors, ArticlePage, paragraphs
from crawler.pages.common import (
    Element,
    box_label,
    collapse,
    drop_tree,
    hints,
    holds_photos,
    holds_prose,
    text_of,
)
from crawler.pages.parsing import has_tag, holds, text_len

__all__ = [
    "cut_body",
    "in_furniture",
    "is_end_block",
    "is_furniture",
    "is_related_line",
    "related_lines",
]

# Blocks that end the article (reading order 8 and 9 in docs/site.md) when found in the container.
_END_LABEL_RE = re.compile(
    r"^(?:chia sẻ(?: bài viết)?|share(?: this)?(?: article| post)?|liên kết hữu ích|useful links?"
    r"|links?)\s*:?$",
    re.I,
)
_END_LABEL_PREFIX_RE = re.compile(r"^(?:chia sẻ bài viết|liên kết hữu ích|useful links?)\b", re.I)
_SHARE_HINT_RE = re.compile(r"(?<![a-z])(?:share|sharing|social)")
_END_START_RE = re.compile(r"^\s*(?:chia|share|liên|useful|links?)", re.I)
# First letters `_END_START_RE` can match (with "ſ", which case-folds to "s"): the others are
# rejected without running the regex.
_END_INITIALS = frozenset("cCsSlLuUſ")


def is_end_block(el: Element) -> bool:
    """Share block / useful-links block: the article ends here."""
    first = el.text or ""
    if not first.strip():  # (most blocks open with their own text: no iterator needed)
        first = next((t for t in el.itertext() if t.strip()), "")
    if not first:
        return bool(_SHARE_HINT_RE.search(hints(el)))
    if first.lstrip()[:1] not in _END_INITIALS or not _END_START_RE.match(first):
        return False  # cheap exit: most blocks start with ordinary text
    if holds_prose(el):
        return False  # a wrapper that opens with the share bar and goes on with the article
    text = collapse(text_of(el))
    if _END_LABEL_PREFIX_RE.match(text[:60]):
        return True
    return bool(_END_LABEL_RE.match(collapse(first))) and (el.tag != "p" or len(text) <= 30)


def cut_body(pg: ArticlePage, at: Anchors) -> Element | None:
    """The container with the header parts, lead, byline and chrome boxes cut away (in place:
    the page is parsed for this one extraction)."""
    c = at.container
    if c is None:
        return None
    # Header parts inside the container: drop them and everything before them.
    inside = [x for x in (at.title, at.date, at.kicker, at.lead) if x is not None]
    inside = [x for x in inside if c in x.iterancestors()]
    # The byline and the first end block: drop them and everything after them.
    start = max((pg.idx(i) for i in inside), default=-1)
    ends: list[Element] = []
    byline = at.byline
    if byline is not None and c in byline.iterancestors():
        first_text = _first_text_at(pg, c, start, byline)
        if pg.idx(byline) < first_text and not (
            first_text == FAR and _first_image_at(pg, c, start) < pg.idx(byline)
        ):
            inside.append(byline)  # printed on top of the body: a header part
            start = max(start, pg.idx(byline))
        else:
            ends.append(byline)
    end_block = _first_end_block(pg, c, start)
    if end_block is not None:
        ends.append(end_block)
    if inside:
        _drop_before(c, _header_of(c, max(inside, key=pg.idx), at.title))
    if ends:
        _drop_after(c, min(ends, key=pg.idx))
    _drop_decoration(c)
    _drop_related_lists(c)  # first: with its label paragraph, before the list goes as furniture
    _drop_related_links(c)
    _drop_embed_captions(c)  # first: the player goes as furniture below
    _drop_pull_quotes(c)
    # Only the tags a widget can be (inline elements and paragraphs never are furniture; a
    # paragraph can be an end block).
    for el in list(c.iterdescendants(*_FURNITURE_TAGS, "header", "footer", "dl", "p")):
        if el.getparent() is None:
            continue
        if el.tag == "p":
            if is_end_block(el):
                drop_tree(el)
        elif _is_chrome_box(at, el) or is_furniture(el) or is_end_block(el):
            drop_tree(el)
    _divs_as_paragraphs(c)
    return c


def _drop_decoration(c: Element) -> None:
    """What the page declares decoration (`aria-hidden="true"`: an e-magazine's big chapter
    number "01", an icon, a separator) is no text of the article. Images are left to the image
    rules."""
    for el in c.xpath(".//*[@aria-hidden='true']"):
        if el.getparent() is not None and el.tag != "img" and not has_tag(el, "img"):
            drop_tree(el)


def _drop_pull_quotes(c: Element) -> None:
    """A pull quote (`<blockquote>` set large beside the text) repeats a sentence of the body word
    for word: it goes, so the body's text holds it once. A quotation printed only there stays."""
    for q in list(c.iter("blockquote")):
        # (its paragraphs, not its whole text: the speaker's name may follow in a `<cite>`)
        said = [collapse(text_of(p)).strip("“”\"' ") for p in q.iter("p")] or [
            collapse(text_of(q)).strip("“”\"' ")
        ]
        if any(len(s) < 20 for s in said):
            continue
        others = [collapse(text_of(p)) for p in c.iter("p") if q not in p.iterancestors()]
        if all(any(s in o for o in others) for s in said):
            drop_tree(q)


_EMBEDS = ("iframe", "video", "object", "embed", "amp-youtube", "amp-iframe", "amp-video")


def _drop_embed_captions(c: Element) -> None:
    """An embedded player's caption (`div.VideoCMS_Caption` after a YouTube iframe) is no body
    paragraph; the player itself is furniture, and the caption would be left orphaned."""
    for media in list(c.iter(*_EMBEDS)):
        caption = marked_caption(media, c) if media.getparent() is not None else None
        if caption is not None:
            drop_tree(caption)
    for player in c.iter("video", "audio"):
        # ("Trình duyệt của bạn không hỗ trợ video": the fallback a browser that plays it hides)
        player.text = None
        for child in list(player):
            if child.tag in ("source", "track"):
                child.tail = None
            else:
                drop_tree(child)


def _divs_as_paragraphs(c: Element) -> None:
    """Old editors write a body as `<div>text</div>` lines; the record's blocks are paragraphs
    (body_text has one entry per `p`, body_html keeps `p` and unwraps `div`). A div in the body
    holding text and no block of its own is read as the paragraph it is: an image with its
    caption after a `<br>` in one such div then reads as caption form A (images.py)."""
    for el in [el for el in paragraphs(c) if el.tag == "div" and el is not c]:
        n = text_len(el)
        if n and not (n <= _CONTROL_MAX and _in_gallery(el, c)):
            el.tag = "p"
    for el in list(c.iter("blockquote")):
        # A quotation written straight into a blockquote (no `p` inside) is a paragraph too.
        if text_len(el) and not any(has_tag(el, t) for t in ("p", "div", "ul", "ol", "table")):
            el.tag = "p"


_CONTROL_MAX = 30  # characters: a gallery's label and counter ("Chùm ảnh 1/5", "1 / 5")


def _in_gallery(el: Element, c: Element) -> bool:
    """Inside a photo gallery of the body (photos and no prose): a short line there is one of
    its controls, not a paragraph (its captions are the images' own, images.py)."""
    for a in el.iterancestors():
        if a is c:
            return False
        if holds_photos(a) and not holds_prose(a):
            return True
    return False


def _first_text_at(pg: ArticlePage, c: Element, start: int, byline: Element) -> int:
    """Position of the container's first paragraph of text after `start` (not the byline, not
    in a widget): a byline before it is printed on top of the body."""
    for p in paragraphs(c):
        if pg.idx(p) <= start or p is byline or byline in p.iterancestors():
            continue
        if text_of(p).strip() and not in_furniture(p, c):
            return pg.idx(p)
    return FAR


def _first_image_at(pg: ArticlePage, c: Element, start: int) -> int:
    """Position of the container's first image after `start`: a byline after it with no text
    after either (an infographic's "Đồ họa: Minh Thư") closes the article, not heads it."""
    return next((pg.idx(img) for img in c.iter("img") if pg.idx(img) > start), FAR)


def _first_end_block(pg: ArticlePage, c: Element, start: int) -> Element | None:
    """The first share/useful-links block after `start` that only page furniture follows (under
    200 characters of paragraph text): a share bar above the text is not the article's end."""
    paras: list[tuple[int, int]] | None = None
    for el in _end_blocks(c):
        if pg.idx(el) <= start:
            continue
        if paras is None:
            paras = [(pg.idx(p), len(text_of(p).strip())) for p in paragraphs(c)]
        end = pg.end(el)
        if sum(n for i, n in paras if i > end) < 200 and not _images_after(pg, c, end):
            return el
    return None


def _images_after(pg: ArticlePage, c: Element, end: int) -> bool:
    """A content image (not inside furniture) after a position: the article goes on."""
    return any(pg.idx(img) > end and not in_furniture(img, c) for img in c.iter("img"))


def in_furniture(el: Element, stop: Element | None) -> bool:
    """`el` is or sits in a widget (cookie notice, ad, share bar, related box). The climb stops
    at `stop` (the body container) or a wrapper of it: the article's wrappers are not widgets."""
    for node in (el, *el.iterancestors()):
        if node is stop or node.tag == "body" or (stop is not None and holds(node, stop)):
            return False
        if is_furniture(node) or is_end_block(node):
            return True
    return False


_RELATED_LABEL_RE = re.compile(
    r"^(?:tin|bài|bài viết)\s+(?:liên quan|khác|cùng chuyên mục)|^related(?:\s+(?:news|articles|stories))?"
    r"|^other\s+news|^(?:xem|đọc)\s+thêm|^see\s+also|^(?:read|see)\s+more|^(?:>>|»|≫)",
    re.I,
)


def _drop_related_lists(c: Element) -> None:
    """ "Tin liên quan:" as a paragraph of its own followed by a list of links is a related box
    written into the body: the label and the list go. (Lists are rare: start from them.)"""
    for lst in list(c.iterdescendants("ul", "ol")):
        block = lst.getprevious()
        if block is None or (lst.getparent() is not None and _text_between(block)):
            continue
        if block.tag not in ("p", "h2", "h3", "h4", "div", "strong") or has_tag(block, "a"):
            continue
        text = collapse(text_of(block)).rstrip(" :")
        if len(text) > 40 or not _RELATED_LABEL_RE.match(text) or not _links_only(lst):
            continue
        drop_tree(lst)
        drop_tree(block)


def _drop_related_links(c: Element) -> None:
    """A box that is only a related label and links (a "Đọc thêm" box: a label line, then the
    links) is a widget pointing to other articles, like a related list. A paragraph reading
    "Xem thêm: <a>title</a>" stays in the body (the editor wrote it there, and its link is one of
    the record's `links`), but not in its text: see `related_lines`."""
    for el in list(c.iterdescendants("div", "aside", "section")):
        if el.getparent() is not None and _label_and_links(el):
            drop_tree(el)


def related_lines(body: Element | None) -> set[Element]:
    """Paragraphs that are only a related label and links ("Xem thêm: <a>title</a>", "Đọc thêm:
    - <a>…</a><br>- <a>…</a>"): pointers to other articles, not prose, so not `body_text`
    entries; `body_html` and `links` keep them."""
    if body is None:
        return set()
    return {p for p in body.iter("p") if is_related_line(p)}


def is_related_line(el: Element, text: str | None = None) -> bool:
    """A related label and links only ("Xem thêm: <a>title</a>"); `text`, the block's collapsed
    text when the caller has it, spares reading it again."""
    if text is not None and not _RELATED_LABEL_RE.match(text):
        return False
    return has_tag(el, "a") and _label_and_links(el)


def _label_and_links(el: Element) -> bool:
    first = next((t for t in el.itertext() if t.strip()), "")
    if not _RELATED_LABEL_RE.match(first.lstrip()):
        return False  # (the label opens the block's first text)
    text = collapse(text_of(el))
    linked = sum(len(collapse(text_of(a))) for a in el.iter("a"))
    return bool(linked) and len(text) - linked <= _RELATED_LABEL_MAX


_RELATED_LABEL_MAX = 30
"""Characters of a related block's text outside its links: the label and separators."""


def _text_between(el: Element) -> bool:
    return bool(el.tail and el.tail.strip())


def _links_only(el: Element) -> bool:
    """All text of the element is link text (a list of article titles)."""
    linked = sum(len(collapse(text_of(a))) for a in el.iter("a"))
    return linked > 0 and linked >= len(collapse(text_of(el))) - 5


def _end_blocks(c: Element) -> list[Element]:
    out = []
    for el in c.iterdescendants("div", "p", "section", "ul", "table", "aside", "nav"):
        if is_end_block(el):
            out.append(el)
    return out


# Labels of furniture boxes put inside the body container: ads, cookie and comment widgets.
_FURNITURE_LABEL_RE = re.compile(
    r"^(?:quảng cáo|advertisement|advertising|ads?|tài trợ|sponsored|bình luận|ý kiến bạn đọc"
    r"|comments?|gửi bình luận|leave a comment|chúng tôi sử dụng cookie|we use cookies|cookies?)\b",
    re.I,
)
# (`article`: a related card nested in the body, `<article class="article-related">`)
_FURNITURE_TAGS = frozenset(
    ("div", "section", "article", "aside", "ul", "ol", "table", "form", "nav", "iframe")
)


def is_furniture(el: Element) -> bool:
    """A block that is page furniture by what it holds, whatever its class: a list of links
    (related, most read, tags), an image linking off the portal (an ad), a form or button (comment,
    cookie and newsletter widgets), or a box headed by such a label. Paragraphs never are: the body
    has inline links."""
    if el.tag not in _FURNITURE_TAGS or holds_prose(el) or holds_photos(el):
        # (a wrapper of the body that also holds a widget is not furniture; nor is a photo
        # gallery, whose buttons and counter are only its controls)
        return False
    if el.tag in ("form", "iframe") or has_tag(el, "button"):
        return True
    if has_tag(el, "input") or has_tag(el, "textarea"):
        return True
    text = collapse(text_of(el))
    if len(text) < 100 and _SCRIPT_LINK(el):
        return True  # a widget's bar ("Cập nhật lúc 10:05 · Làm mới"): its link runs a script
    if text and _FURNITURE_LABEL_RE.match(text.lstrip("-–—•·|:*[( ")) and len(text) < 400:
        return True
    if box_label(el):
        return True  # "Tin liên quan", "Đọc nhiều", "Chia sẻ" ... heading the block
    links = [a for a in el.iter("a") if a.get("href")]
    if not links:
        return False
    if any(has_tag(a, "img") and _banner_href(a.get("href") or "") for a in links):
        return True  # an image linking away from the portal, or to its ads: a banner
    linked = sum(len(collapse(text_of(a))) for a in links)
    if _teaser_card(el, links, len(text) - linked):
        return True
    if len(links) >= 2:
        return linked >= 0.6 * len(text)
    # One link and nothing else, to another item: a related box of one entry.
    return linked >= len(text) - 3 and bool(_ITEM_HREF_RE.search(links[0].get("href") or ""))


_ITEM_HREF_RE = re.compile(r"-a\d+\.html?|albumphoto/|/xem-video/")


def _teaser_card(el: Element, links: list[Element], unlinked: int) -> bool:
    """A card for one other item set in the body (Znews' `div.inner-article`): every link goes
    to that item, one of them is its thumbnail or its heading, and what is not linked is a
    summary shorter than a paragraph. A paragraph that merely links an article has no linked
    image or heading."""
    hrefs = {(a.get("href") or "").strip() for a in links}
    if len(hrefs) != 1 or not _ITEM_HREF_RE.search(next(iter(hrefs))) or unlinked > 250:
        return False
    return any(has_tag(a, "img") or _in_heading(a, el) for a in links)


def _in_heading(a: Element, top: Element) -> bool:
    for node in a.iterancestors():
        if node.tag in _CARD_HEADINGS:
            return True
        if node is top:
            return False
    return False


_CARD_HEADINGS = frozenset(("h2", "h3", "h4", "h5", "h6"))
_SCRIPT_LINK = etree.XPath(
    "boolean(descendant::a[starts-with(normalize-space(translate(@href, 'JAVSCRIPT', "
    "'javscript')), 'javascript:')])"
)


_AD_HREF_RE = re.compile(r"quang-?cao|advert|//ads?\.|/ads?/|adclick", re.I)


def _banner_href(href: str) -> bool:
    return _offsite(href) or bool(_AD_HREF_RE.search(href))


def _offsite(href: str) -> bool:
    host = urlsplit(href.strip()).hostname or ""
    return bool(host) and not (host == "baolongan.vn" or host.endswith(".baolongan.vn"))


def _is_chrome_box(at: Anchors, el: Element) -> bool:
    """Related boxes, ads, tag lists inside the body: dropped one by one (text may follow)."""
    if el.tag in ("p", "strong", "b", "em", "i", "a", "img", "span", "br", "li", "td", "tr"):
        return False
    return at.regions.is_box(el)


def _header_of(c: Element, last: Element, title: Element | None) -> Element:
    """The article's own `<header>` around the last header part and the title, when there is one
    inside the container: all of it is header (a "modified" time, an ad slot after the date),
    none of it body. Else the last header part itself."""
    for el in last.iterancestors():
        if el is c:
            break
        if el.tag == "header" and (title is None or title is el or el in title.iterancestors()):
            return el
    return last


def _drop_before(c: Element, el: Element) -> None:
    """Remove `el` and everything before it inside `c` (its tail, text after it, stays)."""
    if c not in el.iterancestors():
        return
    node = el
    while node is not c:
        parent = node.getparent()
        for sib in list(node.itersiblings(preceding=True)):
            parent.remove(sib)  # with its tail: text between header parts is header too
        parent.text = None
        if node is el:
            tail = node.tail
            parent.remove(node)
            parent.text = tail
        node = parent


def _drop_after(c: Element, el: Element) -> None:
    """Remove `el` and everything after it inside `c` (the page's end matter)."""
    if c not in el.iterancestors():
        return
    node = el
    while node is not c:
        parent = node.getparent()
        for sib in list(node.itersiblings()):
            parent.remove(sib)
        if node is el:
            parent.remove(node)
        else:
            node.tail = None
        node = parent


# ----------------------------------------------------------------------------- images
