"""A cap on the size of a record's body: body_text and body_html cut at a block boundary.

A 30 MB page became a 57 MB JSON line (and about 1 GB of memory while the record was staged,
hashed and written). The page stays whole in the WARC; the record keeps the blocks that fit in
MAX_BODY_CHARS characters per field and is flagged `body_truncated`.

Blocks (docs/contract.md, "Body"): body_text joins whitespace-collapsed blocks with a blank line,
so a blank line is always a block boundary; body_html joins its top-level nodes with `\\n`, each
serialized by lxml, and a newline inside a block is possible, so the boundaries are found by
parsing, and a node is kept only when it re-serializes to exactly the original characters. Only
when not even the first block fits is that block itself cut (text at a space, markup through a
parse of the prefix, which closes what was open).
"""

from __future__ import annotations

from lxml import etree
from lxml import html as lxml_html

# Real articles stay far below: a long piece with tables is ~100-300 KB of markup. Two million
# characters keep a JSON line under ~5 MB.
DEFAULT_MAX_BODY_CHARS = 2_000_000


def cut_body_text(text: str | None, limit: int) -> str | None:
    """`text` when it fits in `limit` characters, else its longest run of whole blocks that fits
    (the first block cut at its last space within the limit when none fits)."""
    if text is None or len(text) <= limit:
        return text
    boundary = text.rfind("\n\n", 0, limit + 1)
    if boundary > 0:
        return text[:boundary]
    space = text.rfind(" ", 0, limit + 1)
    return text[: space if space > 0 else limit]


def cut_body_html(markup: str | None, limit: int) -> str | None:
    """`markup` when it fits in `limit` characters, else the longest run of its whole top-level
    nodes that fits, an exact prefix of `markup` (the first node alone, cut and closed by the
    parser, when none fits)."""
    if markup is None or len(markup) <= limit:
        return markup
    # A prefix a little over the limit holds every node that can fit; the last node parsed from
    # it may be cut short, and then it does not re-serialize to the original characters.
    nodes = _top_level(markup[: limit + 1])
    end = 0
    for node in nodes:
        if isinstance(node, str):
            break  # top-level text is dropped by extraction; never expected here
        serialized = lxml_html.tostring(node, encoding="unicode", with_tail=False)
        start = end + 1 if end else 0  # top-level nodes are joined by one newline
        stop = start + len(serialized)
        if stop > limit or markup[start:stop] != serialized:
            break
        end = stop
    if end:
        return markup[:end]
    first = next((n for n in _top_level(_text_cut(markup[:limit])) if not isinstance(n, str)), None)
    if first is None:
        return None
    return lxml_html.tostring(first, encoding="unicode", with_tail=False)


def _text_cut(prefix: str) -> str:
    """`prefix` ending in text, not inside a tag or an entity: lxml escapes `<` and `&` in
    text, so a raw one always starts a tag or an entity."""
    tag = prefix.rfind("<")
    if tag > prefix.rfind(">"):
        prefix = prefix[:tag]
    entity = prefix.rfind("&")
    if entity > prefix.rfind(";"):
        prefix = prefix[:entity]
    return prefix


def _top_level(markup: str) -> list:
    try:
        return lxml_html.fragments_fromstring(markup)
    except (etree.ParserError, ValueError):
        return []
