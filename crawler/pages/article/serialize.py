"""The cut body as the record contract wants it: `body_html` (content elements and attributes
only, production URLs, serialized by lxml) and `body_text` (one entry per text block)."""

from __future__ import annotations

import re

import lxml.html
from lxml import etree

from crawler.pages.article.page import ArticlePage
from crawler.pages.common import Element, absolute_url, block_text, drop_tag
from crawler.pages.parsing import has_tag

__all__ = ["body_html", "body_text"]

# Elements kept in body_html (contract); all others are unwrapped.
_HTML_KEEP = frozenset(
    ("p", "strong", "b", "em", "i", "a", "img", "br", "h2", "h3", "h4", "ul", "ol", "li")
    + ("table", "tr", "td", "th", "figure", "figcaption")
)
_HTML_ATTRS = {"a": ("href",), "img": ("src", "alt")}
_TEXT_BLOCKS = ("p", "h2", "h3", "h4", "li", "tr")
_WORD_RE = re.compile(r"\w")


def body_html(pg: ArticlePage, body: Element | None) -> str | None:
    """Contract: unwrap non-content elements, keep href/src/alt (absolute, production form),
    serialize each top-level node with lxml, join with newlines."""
    if body is None:
        return None
    drops = []
    for el in body.iterdescendants():
        tag = el.tag
        if tag not in _HTML_KEEP:
            if isinstance(tag, str):
                drops.append(el)
            continue
        items = el.items()
        if not items:
            continue
        allowed = _HTML_ATTRS.get(tag, ())
        # Source order is kept (the CMS writes `alt` before `src`).
        keep = [
            (k, absolute_url(v, pg.base, pg.editions) if k != "alt" else v)
            for k, v in items
            if k in allowed
        ]
        if keep != items:
            el.attrib.clear()
            for k, v in keep:
                el.set(k, v)
    for el in drops:
        drop_tag(el)
    return _serialize_top_level(body)


def _serialize_top_level(body: Element) -> str | None:
    """Each top-level node serialized by lxml.html.tostring(node, encoding="unicode",
    with_tail=False), whitespace-only top-level text dropped, joined with "\n" (contract).

    Done as ONE tostring of the container: with the top-level text set to exactly the "\n"
    separators (plus any real text), the container's inner markup is that joined string, and one
    serializer call costs a fraction of one call per node."""
    children = [c for c in body if isinstance(c.tag, str)]
    if len(children) != len(body) or body.tag in _RAW_TEXT_TAGS:
        return _serialize_each(body)  # comments/PIs at top level or a raw-text tag: the slow way
    first = body.text if body.text and body.text.strip() else None
    if not children:
        return _text_node(first) if first else None
    body.text = f"{first}\n" if first else None
    last = len(children) - 1
    for i, child in enumerate(children):
        tail = child.tail if child.tail and child.tail.strip() else None
        if i < last:
            child.tail = f"\n{tail}\n" if tail else "\n"
        else:
            child.tail = f"\n{tail}" if tail else None
    body.attrib.clear()
    body.tail = None
    out = lxml.html.tostring(body, encoding="unicode", with_tail=False)
    return out[len(body.tag) + 2 : -(len(body.tag) + 3)] or None


# Elements whose content the HTML serializer writes raw or with a leading newline.
_RAW_TEXT_TAGS = frozenset(("pre", "textarea", "script", "style", "listing", "xmp", "plaintext"))


def _serialize_each(body: Element) -> str | None:
    parts: list[str] = []
    if body.text and body.text.strip():
        parts.append(_text_node(body.text))
    for child in body:
        parts.append(lxml.html.tostring(child, encoding="unicode", with_tail=False))
        if child.tail and child.tail.strip():
            parts.append(_text_node(child.tail))
    return "\n".join(parts) or None


def _text_node(text: str) -> str:
    """A top-level text node, escaped as lxml escapes text."""
    span = etree.Element("span")
    span.text = text
    return lxml.html.tostring(span, encoding="unicode")[6:-7]


def body_text(body: Element | None, images_blocks: set) -> str | None:
    """Contract: one entry per p (not image/caption), h2-h4, li, table row, joined by a blank line."""
    if body is None:
        return None
    entries: list[str] = []
    # (no list or table in the body: no block can sit inside a row or an item, skip the climbs)
    rows = has_tag(body, "li") or has_tag(body, "tr")
    for el in body.iter(*_TEXT_BLOCKS):
        if el in images_blocks or (el.tag == "p" and has_tag(el, "img")):
            continue
        if rows and _inside_row_or_item(el, body):
            continue
        if el.tag == "tr" and _frame_row(el):
            continue  # its paragraphs are the entries
        if el.tag == "tr":
            cells = [block_text(c) for c in el if c.tag in ("td", "th")]
            text = " | ".join(cells) if any(cells) else ""  # empty cells keep their place
        else:
            text = block_text(el)
        if text and _WORD_RE.search(text):  # ("■", "* * *": marks, not text)
            entries.append(text)
    return "\n\n".join(entries) or None


def _inside_row_or_item(el: Element, top: Element) -> bool:
    """A block inside a list item or table row is part of that entry, not one of its own."""
    node = el.getparent()
    while node is not None and node is not top:
        if node.tag == "li" or (node.tag == "tr" and not _frame_row(node)):
            return True
        node = node.getparent()
    return False


def _frame_row(tr: Element) -> bool:
    """A row of one cell holding paragraphs or a list, in a table without images: a box drawn
    with a table (an interviewee's biography, an editor's note), read as its blocks rather than
    as one row. Image tables are images.py's."""
    cells = [c for c in tr if c.tag in ("td", "th")]
    if len(cells) != 1 or not any(has_tag(cells[0], t) for t in ("p", "li", "h2", "h3", "h4")):
        return False
    table = next(tr.iterancestors("table"), None)
    return table is not None and not has_tag(table, "img")
