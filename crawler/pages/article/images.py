"""Content images of the body, in page order, each with its position and raw caption.

Caption forms (docs/site.md): form A, the `em` right after the image inside the same paragraph;
form B, a paragraph of emphasis right after the image block; `figure/figcaption`; and a caption
row under the image in a layout table. Two 2025 forms arrive changed by the HTML parser: an
image div inside `<p><em>` stays nested (form B, the caption in the next paragraph), while a
centred `<p><div>img</div><em>caption</em></p>` is split, the paragraph closing before the div,
so the caption `em` comes out as the image block's next sibling outside any paragraph. Other
CMSs mark the caption by a class (`div.PhotoCMS_Caption`, `p.photo__cap`) after the image or
its wrapper.
"""

from __future__ import annotations

import re
from itertools import islice
from urllib.parse import quote

from crawler.pages.article.page import ArticlePage
from crawler.pages.common import Element, absolute_url, block_text, collapse, text_of
from crawler.pages.parsing import has_tag

__all__ = ["body_images", "caption_of", "image_position", "img_src", "marked_caption"]


def body_images(
    pg: ArticlePage, body: Element | None, not_captions: set[Element] | frozenset = frozenset()
) -> tuple[list[dict], set[Element]]:
    """Content images in page order with position and raw caption, and the blocks that hold
    images or captions (never body_text entries). `not_captions`: blocks that are never a caption
    however they sit under an image (a "Đọc thêm: <a>…</a>" line in italics)."""
    blocks: set[Element] = set()
    if body is None:
        return [], blocks
    out: list[dict] = []
    pictures: set[str] = set()
    for img in body.iter("img"):
        src = img_src(img)
        if not src:
            continue
        url = _iri(absolute_url(src, pg.base, pg.editions))
        picture = _picture(url)
        if picture in pictures:
            # The same picture again in another size: a gallery's strip of thumbnails.
            blocks.add(img)
            continue
        pictures.add(picture)
        caption_el = caption_of(img, body, blocks)
        if caption_el is not None and any(
            x in not_captions for x in (caption_el, *caption_el.iterancestors())
        ):
            blocks.discard(caption_el)
            caption_el = None
        caption = _caption_text(caption_el) if caption_el is not None else ""
        if caption_el is not None:
            _add_holders(caption_el, body, blocks)
            _caption_printed_twice(caption_el, caption, blocks)
        out.append(
            {
                "url": url,
                "position": image_position(img, body, len(out)),
                "caption_raw": caption or None,
            }
        )
    return out, blocks


def _caption_text(caption_el: Element) -> str:
    """The caption's text. A credit in a line of its own stays apart from the caption's last word:
    `<figcaption>Caption<cite>Ảnh: Thanh Nga</cite></figcaption>` (Facebook Instant Articles),
    `<div><p>Caption</p><span>Ảnh: Hoàng Anh</span></div>` (gallery slides)."""
    return block_text(caption_el, apart=("cite", "p", "div"))


def _add_holders(caption_el: Element, body: Element, blocks: set[Element]) -> None:
    """The blocks around a caption that hold nothing else (a gallery's `<li>` of one image and
    its caption): never body_text entries either."""
    text = collapse(text_of(caption_el))
    node = caption_el.getparent()
    while node is not None and node is not body and collapse(text_of(node)) == text:
        blocks.add(node)
        node = node.getparent()


def _picture(url: str) -> str:
    """The picture an image URL shows: its file name (`/images/thumb/x.webp` is `x.webp`)."""
    return url.rsplit("/", 1)[-1].split("?", 1)[0]


_PLACEHOLDER_RE = re.compile(
    r"^data:|blank\.|spacer\.|placeholder|loading\.|lazy\.|(?:grey|gray|pixel|transparent|empty|1x1)\.(?:gif|png)",
    re.I,
)


def img_src(img: Element) -> str:
    src = (img.get("src") or "").strip()
    for attr in ("data-src", "data-original", "data-lazy-src", "data-lazy"):
        alt = (img.get(attr) or "").strip()
        # (a lazy loader's class says the `src` is a stand-in whatever its name: `no-image.png`)
        if alt and (not src or _PLACEHOLDER_RE.search(src) or "lazy" in (img.get("class") or "")):
            img.set("src", alt)  # body_html shows the real image too
            return alt
    return src


_SPACE_RE = re.compile(r"\s")


def _iri(url: str) -> str:
    """The URL as in `src`, except for whitespace, which no URL holds: tab, CR and LF are
    removed and spaces (the uploader's own file names, docs/site.md) percent-encoded, as a
    browser reads the attribute. Nothing else is re-encoded (docs/contract.md)."""
    if not _SPACE_RE.search(url):
        return url
    return "".join("" if c in "\t\n\r" else quote(c, safe="") if c.isspace() else c for c in url)


def image_position(img: Element, body: Element, index: int) -> int:
    node: Element | None = img
    while node is not None and node is not body:
        pos = node.get("data-pos")
        if pos is not None and pos.strip().isdigit():
            return int(pos.strip())
        node = node.getparent()
    return index


def caption_of(img: Element, body: Element, blocks: set) -> Element | None:
    # figure/figcaption
    for anc in img.iterancestors():
        if anc is body:
            break
        if anc.tag == "figure":
            cap = next(anc.iterdescendants("figcaption"), None)
            if cap is not None:
                blocks.update(cap.iter())  # `<figcaption><p>…</p>`: the p is no body paragraph
                return cap
            break  # a figure without a figcaption (`div.caption-overlay`): the rules below
    # an image table (CKEditor, many Vietnamese CMSs): the caption is the next row's text.
    row = _enclosing(img, body, "tr")
    if row is not None and _image_row(row):
        blocks.add(row)
        nxt = row.getnext()
        if nxt is not None and nxt.tag == "tr" and not has_tag(nxt, "img"):
            blocks.add(nxt)
            return nxt
        return None
    # a caption block marked by its class right after the image or its wrapper (CMS image
    # boxes: `div.PhotoCMS_Caption`, `p.photo__cap`, `div.image-caption`).
    marked = marked_caption(img, body)
    if marked is not None:
        blocks.update(marked.iter())
        return marked
    # form A: the em after the image inside the same paragraph.
    p = _enclosing(img, body, "p")
    if p is not None:
        blocks.add(p)
        seen = False
        for node in p.iter():
            if node is img:
                seen = True
            elif seen and node.tag == "img":
                return None
            elif seen and node.tag in ("em", "i"):
                return node
        loose = _caption_after_break(img, p)
        return loose if loose is not None else _next_or_before(p, blocks)
    # form B: the image block's next paragraph, when it is just an em.
    top = img
    while top.getparent() is not None and top.getparent() is not body:
        parent = top.getparent()
        if _images_in(parent) > 1 or collapse(text_of(parent)):
            break
        top = parent
    return _next_or_before(top, blocks)


def _caption_after_break(img: Element, p: Element) -> Element | None:
    """`<p align="center"><img><br>Caption</p>` (print views, old editors): plain text on the line
    after the image, ending the paragraph, with no text before the image. The paragraph is the
    caption block (its only text is the caption); the tree is left as served for body_html."""
    top = img
    while top.getparent() is not p:
        top = top.getparent()
    br = top.getnext()
    if collapse(p.text or "") or top.getprevious() is not None or collapse(top.tail or ""):
        return None
    if br is None or br.tag != "br" or br.getnext() is not None:
        return None
    text = collapse(br.tail or "")
    return p if text and len(text) <= _CAPTION_BEFORE_MAX else None


def _next_or_before(block: Element, blocks: set) -> Element | None:
    # (not `a or b`: an element without children is falsy)
    found = _next_caption_p(block, blocks)
    return found if found is not None else _caption_before(block, blocks)


def _caption_before(block: Element, blocks: set) -> Element | None:
    """A caption printed above its image (rare): the paragraph right before the image block,
    all in emphasis and short, or a block whose class says caption (`div.caption`), and not
    already the caption of the image before it."""
    prev = block.getprevious()
    while prev is not None and not isinstance(prev.tag, str):
        prev = prev.getprevious()
    if prev is None or prev in blocks or has_tag(prev, "img") or (prev.tail and prev.tail.strip()):
        return None
    marked = bool(_CAPTION_HINT_RE.search((prev.get("class") or "").lower()))
    if not marked and (prev.tag != "p" or not _italic_only(prev)):
        return None
    if len(collapse(text_of(prev))) > _CAPTION_BEFORE_MAX:
        return None
    blocks.add(prev)
    return prev


_CAPTION_BEFORE_MAX = 250


_CAPTION_HINT_RE = re.compile(
    r"(?<![a-z])(?:caption|msocaption|cap|chu[-_]?thich|note|(?:photo|image|img)[-_]?(?:desc|note|text))(?![a-z])"
)


def marked_caption(img: Element, body: Element) -> Element | None:
    """The next element after the image (or an embedded player), or after the wrappers that hold
    only it, when its class says caption and it holds text and no image."""
    node = img
    while True:
        nxt = node.getnext()
        while nxt is not None and (not isinstance(nxt.tag, str) or nxt.tag == "br" or _empty(nxt)):
            nxt = nxt.getnext()  # (a lazy loader's empty spinner may sit in between)
        if (
            nxt is not None
            and _CAPTION_HINT_RE.search((nxt.get("class") or "").lower())
            and not has_tag(nxt, "img")
            and collapse(text_of(nxt))
        ):
            return nxt
        parent = node.getparent()
        if parent is None or parent is body or _images_in(parent) > 1:
            return None
        node = parent


def _empty(el: Element) -> bool:
    return el.tag != "img" and not collapse(text_of(el)) and not has_tag(el, "img")


def _images_in(el: Element) -> int:
    """Images inside `el`, counted up to 2 (`len(el.findall(".//img"))` without ElementPath's
    path parser, which runs in Python)."""
    return sum(1 for _ in islice(el.iterdescendants("img"), 2))


def _image_row(row: Element) -> bool:
    """A table row holding just this image and no text: a layout table of photos, each row
    followed by its caption row (one photo with its caption, or a whole album)."""
    return _images_in(row) == 1 and not collapse(text_of(row))


def _enclosing(el: Element, body: Element, tag: str) -> Element | None:
    for anc in el.iterancestors():
        if anc is body:
            return None
        if anc.tag == tag:
            return anc
    return None


def _caption_printed_twice(caption_el: Element, caption: str, blocks: set) -> None:
    """English pages sometimes print a caption twice (docs/site.md): the italic paragraph right
    after the caption's own, with the same text, is that caption again, not a body paragraph."""
    holder = caption_el if caption_el.tag == "p" else next(caption_el.iterancestors("p"), None)
    if holder is None or not caption or (holder.tail and holder.tail.strip()):
        return
    nxt = holder.getnext()
    while nxt is not None and not isinstance(nxt.tag, str):
        nxt = nxt.getnext()
    if nxt is None or nxt.tag != "p" or has_tag(nxt, "img") or not _italic_only(nxt):
        return
    if block_text(nxt) == caption:
        blocks.update(nxt.iter())


def _next_caption_p(block: Element, blocks: set) -> Element | None:
    if block.tail and block.tail.strip():
        return None
    nxt = block.getnext()
    while nxt is not None and not isinstance(nxt.tag, str):
        nxt = nxt.getnext()
    if (
        nxt is not None
        and (nxt.tag in ("em", "i") or (nxt.tag in ("span", "font") and _italic_only(nxt)))
        and not has_tag(nxt, "img")
    ):
        # The caption of a paragraph the parser split (module docstring); an em running on
        # into loose text is emphasis in prose instead.
        return nxt if not (nxt.tail and nxt.tail.strip()) else None
    if nxt is None or nxt.tag not in ("p", "div") or has_tag(nxt, "img"):
        return None
    if not ((nxt.tag == "p" and _italic_only(nxt)) or _italic_by_style(nxt)):
        return None
    blocks.add(nxt)
    ems = nxt.findall(".//em") + nxt.findall(".//i")
    return ems[0] if len(ems) == 1 and block_text(ems[0]) == block_text(nxt) else nxt


# Italic set by the block itself: an inline style, or a utility class (Bootstrap's `fst-italic`,
# `font-italic`, Tailwind's `italic`).
_ITALIC_STYLE_RE = re.compile(r"font-style\s*:\s*italic", re.I)
_ITALIC_CLASS_RE = re.compile(r"(?<![\w-])(?:fst-italic|font-italic|italic)(?![\w-])")


def _italic_by_style(el: Element) -> bool:
    """A line of text set in italics by its own style or class (`<p class="small fst-italic">`,
    a class-less `<div style="font-style:italic">`), holding no block: a caption line."""
    if not (
        _ITALIC_STYLE_RE.search(el.get("style") or "")
        or _ITALIC_CLASS_RE.search(el.get("class") or "")
    ):
        return False
    if any(has_tag(el, t) for t in ("p", "div", "ul", "ol", "table")):
        return False
    return 0 < len(block_text(el)) <= _CAPTION_LINE_MAX


_CAPTION_LINE_MAX = 400


def _italic_only(el: Element) -> bool:
    """All text of the paragraph is in em/i: a caption line, not prose."""
    if el.text and el.text.strip():
        return False
    found = False
    for c in el:
        if not isinstance(c.tag, str):
            continue
        if c.tail and c.tail.strip():
            return False
        if c.tag in ("em", "i"):
            found = found or bool(collapse(text_of(c)))
        elif c.tag in ("span", "font", "strong", "b") and collapse(text_of(c)):
            if not _italic_only(c):
                return False
            found = True
        elif collapse(text_of(c)):
            return False
    return found


# ----------------------------------------------------------------------------- links
