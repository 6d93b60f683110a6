"""Parsing a page once, and the tree helpers every page module uses: measuring an element's text in
C, removing elements while keeping the text around them, headings, right alignment."""

from __future__ import annotations

import re

from lxml import etree

__all__ = [
    "HEADINGS",
    "Element",
    "adopt_amp_images",
    "adopt_break_paragraphs",
    "close_open_paragraphs",
    "drop_invisible",
    "drop_tag",
    "drop_tree",
    "has_tag",
    "parse_html",
    "style_right",
    "text_len",
    "text_of",
]


# remove_comments/remove_pis: comments never reach the record and would otherwise show up as
# text nodes in every search. huge_tree: lxml otherwise drops deeply nested content silently
# (docs/pitfalls.md).
# The plain etree parser, not lxml.html's: lxml.html looks up a Python element class for every
# element proxy, which cost more than all field rules together (~1 µs per element visit).
_PARSER = etree.HTMLParser(remove_comments=True, remove_pis=True, huge_tree=True)
Element = etree._Element
_STRING = etree.XPath("string()", smart_strings=False)
_XML_DECL_RE = re.compile(r"^\s*<\?xml[^>]*>", re.I)
_HTML_END_RE = re.compile(r"</html\s*>", re.I)
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
    first_end = html.find("</html")
    if first_end == -1:
        first_end = html.find("</HTML")
    if 0 <= first_end < len(html) - 1000:
        # `<html lang="vi"></html><head>…` (a template's broken first line): libxml2 ends the
        # document at the root's end tag, so the page would parse empty; a browser ignores it.
        html = _HTML_END_RE.sub("", html)
    root = etree.fromstring(html, parser=_PARSER)
    if root is None:  # nothing parseable (e.g. only a doctype)
        root = etree.fromstring("<html><body></body></html>", parser=_PARSER)
    return root


def drop_invisible(root: Element) -> None:
    etree.strip_elements(root, *_INVISIBLE, with_tail=False)


def adopt_amp_images(root: Element) -> None:
    """AMP pages draw images with `<amp-img>`, not `<img>`: read each as the `img` a browser shows.
    An `amp-img` nested in another is the outer one's `fallback` (a jpg for a webp), the same
    picture: it is dropped, so no image is counted twice."""
    # Innermost first (reverse document order): a fallback is gone before its parent is renamed.
    for el in reversed(list(root.iter("amp-img"))):
        if any(a.tag == "amp-img" for a in el.iterancestors()):
            drop_tree(el)
            continue
        el.tag = "img"
        for child in list(el):
            drop_tree(child)


# Elements a run of text between `<br><br>` may contain and stay one paragraph.
_INLINE_TAGS = frozenset(
    ("a", "b", "strong", "em", "i", "u", "span", "font", "sup", "sub", "small", "big", "br")
    + ("abbr", "cite", "q", "mark", "s", "strike", "code", "img", "label", "time")
)
_MIN_LOOSE_TEXT = 80  # characters of text outside any block: prose, not a menu's separators


def close_open_paragraphs(root: Element) -> None:
    """`<P><FONT>one<P>two<P>three` (paragraphs never closed, old editors): libxml2 nests the
    later paragraphs inside the first, a browser closes the first at the second. Each nested `p`
    and what follows it in its paragraph move out after that paragraph, as a browser shows them."""
    for outer in [p for p in root.iter("p") if has_tag(p, "p")]:
        inner = next(outer.iterdescendants("p"), None)
        if inner is None:
            continue  # (moved out already, with an enclosing paragraph's rest)
        moved: list[Element] = []
        node, level = inner, [inner]
        while node is not outer:
            parent = node.getparent()
            level.extend(node.itersiblings())
            for n in level:
                parent.remove(n)  # (lxml keeps the tail on the removed element)
            moved.extend(level)
            node, level = parent, []
        if outer.tail:  # (text after the first paragraph's end stays after what moved)
            moved[-1].tail, outer.tail = (moved[-1].tail or "") + outer.tail, None
        for n in reversed(moved):
            outer.addnext(n)


def adopt_break_paragraphs(root: Element) -> None:
    """Old editors write a body as bare text with `<br><br>` between paragraphs, beside image
    tables, inside a `td` or a `div`: each run of text and inline markup between two breaks (or
    a block) becomes the `<p>` a reader sees, so every rule that reads paragraphs reads these.
    Readability.js does the same (`_replaceBrs`); a single `<br>` stays a line break."""
    parents: list[tuple[Element, list[Element]]] = []
    seen: Element | None = None
    for br in root.iter("br"):
        parent = br.getparent()
        if parent is None or parent is seen or not _double_break(br):
            continue
        seen = parent
        block, wrappers = _block_under_styling(parent)
        if block is not None and block.tag not in _NO_WRAP:
            parents.append((block, wrappers))
    for block, wrappers in parents:
        if _loose_text(block) >= _MIN_LOOSE_TEXT:
            for el in wrappers:
                drop_tag(el)
            _wrap_runs(block)


def _block_under_styling(el: Element) -> tuple[Element | None, list[Element]]:
    """The block around `el` and the styling wrappers between (`<font>`, a `<span style>`
    without class or id, as editors paste a whole body into: `div > font > span > text<br><br>`).
    Those wrappers only style the text, so they are unwrapped before its runs become paragraphs.
    Any other inline element (a link, a class-marked span) stops the climb: no block."""
    wrappers: list[Element] = []
    while el is not None and el.tag in _INLINE_TAGS:
        if el.tag not in ("font", "span") or el.get("class") or el.get("id"):
            return None, []
        wrappers.append(el)
        el = el.getparent()
    return el, wrappers


# Where paragraphs cannot be made: inside a paragraph, a heading, a list item, inline markup.
_NO_WRAP = _INLINE_TAGS | {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "dt", "dd"}


def _double_break(br: Element) -> bool:
    """`br` followed by another `br` with only whitespace between them."""
    nxt = br.getnext()
    return nxt is not None and nxt.tag == "br" and not (br.tail or "").strip()


def _loose_text(el: Element) -> int:
    """Characters of `el`'s text outside its block children (its own text, inline children's)."""
    n = len((el.text or "").strip())
    for child in el:
        if child.tag in _INLINE_TAGS:
            n += len(_STRING(child).strip())
        n += len((child.tail or "").strip())
    return n


def _wrap_runs(el: Element) -> None:
    """Rebuild `el`'s content as paragraphs: text and inline nodes up to a double break or a
    block go into one new `p`; blocks stay as they are, in order."""
    children = list(el)
    text: str | None = el.text
    nodes: list[Element] = []
    out: list[Element] = []

    def flush() -> None:
        nonlocal text, nodes
        while nodes and nodes[-1].tag == "br" and not (nodes[-1].tail or "").strip():
            nodes.pop()  # a break closing the run closes the paragraph
        while nodes and nodes[0].tag == "br" and not (text or "").strip():
            text = nodes.pop(0).tail  # and one opening it (after a block) opens it
        if (text and text.strip()) or any(n.tag != "br" or (n.tail or "").strip() for n in nodes):
            p = etree.Element("p")
            p.text = text
            p.extend(nodes)
            out.append(p)
        text, nodes = None, []

    el.text = None
    for child in children:
        el.remove(child)  # (lxml keeps the tail on the removed element)
    i = 0
    while i < len(children):
        child = children[i]
        if child.tag == "br" and _double_break_in(children, i):
            flush()
            while _double_break_in(children, i):
                i += 1  # the whole chain of breaks
            text = children[i].tail
        elif child.tag in _INLINE_TAGS:
            nodes.append(child)
        else:  # a block: it ends the run and stays as it is
            flush()
            text, child.tail = child.tail, None
            out.append(child)
        i += 1
    flush()
    el.extend(out)


def _double_break_in(children: list[Element], i: int) -> bool:
    return (
        i + 1 < len(children)
        and children[i].tag == "br"
        and children[i + 1].tag == "br"
        and not (children[i].tail or "").strip()
    )


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


def holds(node: Element, inner: Element) -> bool:
    """`node` is an ancestor of `inner` (not `inner` itself)."""
    return any(a is node for a in inner.iterancestors())


def has_tag(el: Element, tag: str) -> bool:
    """`el.find(".//tag") is not None` at half the cost (lxml's find runs its path parser in
    Python; the descendant iterator runs in C)."""
    return next(el.iterdescendants(tag), None) is not None


def text_of(el: Element) -> str:
    """All text inside an element (lxml.html's text_content()). A childless element's text is
    its own `.text`: read without an XPath evaluation's set-up (most lines and paragraphs)."""
    if not len(el):
        return el.text or ""
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
    r"(?<![a-z])(?:text-right|right|align-?right|pull-right|tar"
    # Bootstrap 5 writes "end" for right in left-to-right pages: `text-end`, `text-md-end`.
    r"|(?:text|float)-(?:(?:sm|md|lg|xl|xxl)-)?end)(?![a-z])",
    re.I,
)
