"""Pure checks on response bytes (no Scrapy objects; unit-tested directly).

Every scan here is one pass over the page: a 32 MiB page costs a few hundred milliseconds, never
a rescan to the end of the page per opening tag. The rule that makes it so: a construct that is
never closed (`<script>`, `<!--`, an attribute quote, a tag without `>`) runs to the end of the
page, as it does in a browser, instead of being retried at every later position. Possessive
quantifiers (`*+`, Python 3.11) keep the regular expressions from backtracking into what they
have consumed. Scans that loop in Python per tag are bounded by `count_tags` first (the
middleware skips a page with more than GUARD_MAX_TAGS tags as `too_many_tags`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_WIDE_BOMS = (b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")
_WIDE_CHARSET_RE = re.compile(rb"utf-?(?:16|32)|ucs-?2", re.I)
_MAGIC = (
    (b"%PDF-", "PDF"),
    (b"\x89PNG", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"GIF8", "GIF"),
    (b"PK\x03\x04", "ZIP"),
    (b"RIFF", "RIFF"),
    (b"\x1f\x8b", "gzip"),
    (b"ID3", "MP3"),
    (b"OggS", "Ogg"),
)

# The rest of a tag after its name, up to its `>` (or the end of the page: a tag never closed
# swallows the rest, as in a browser). A quoted attribute value may hold `>`; a quote that is
# never closed runs to the end of the page too. Each byte is consumed once.
_TAG_REST = rb"""(?:[^>"'=]++|=\s*+(?:"[^"]*+(?:"|\Z)|'[^']*+(?:'|\Z))?|["'])*+(?:>|\Z)"""
# A comment, closed or running to the end of the page.
_COMMENT = rb"<!--(?:[^-]++|-(?!->))*+(?:-->|\Z)"


def _raw_elements(*names: bytes) -> bytes:
    """Elements whose content is not markup (script, style ...), each from its start tag to its
    end tag, or to the end of the page when it has none. One alternative per name, without
    capturing groups or backreferences: Python 3.11's engine miscomputes capture spans inside
    possessive repeats (SystemError)."""
    return b"|".join(
        rb"<" + n + rb"\b" + _TAG_REST
        + rb"(?:[^<]++|<(?!/" + n + rb"\b))*+(?:</" + n + rb"\b[^>]*+(?:>|\Z)|\Z)"
        for n in names
    )  # fmt: skip


# Markup that shows nothing: comments, scripts, styles, noscript (raw text in a browser running
# scripts), templates, the title, any other tag, whitespace, space entities. One match skips all
# of it at once, so the first shown character is found without a Python loop per tag.
_HIDDEN = (
    _COMMENT
    + rb"|"
    + _raw_elements(b"script", b"style", b"noscript", b"template", b"title")
    + rb"|</?[a-zA-Z!?]"
    + _TAG_REST
    + rb"|&(?:nbsp|\#160|\#xa0|ensp|emsp|thinsp|zwnj|zwj|\#8203);|[\s\x00]++"
)
_HIDDEN_RE = re.compile(rb"(?:" + _HIDDEN + rb")*+", re.S | re.I)
_SCRIPT_RE = re.compile(rb"<script\b", re.I)
_IMG_RE = re.compile(rb"<(?:img|picture|video|iframe)\b", re.I)
_END_RE = re.compile(rb"</(?:html|body)\s*>", re.I)


def is_wide(body: bytes, content_type: str = "") -> bool:
    """UTF-16/32: NUL bytes are part of every ASCII character and byte regexes see nothing."""
    return body.startswith(_WIDE_BOMS) or bool(_WIDE_CHARSET_RE.search(content_type.encode()))


def binary_signature(body: bytes) -> str | None:
    """The kind of a non-text body recognised by its first bytes (PDF, PNG, ...), else None."""
    head = body[:64].lstrip()[:12]
    for magic, name in _MAGIC:
        if head.startswith(magic):
            return name
    return "MP4" if head[4:8] == b"ftyp" else None


def classify_body(body: bytes, content_type: str) -> tuple[str, str] | None:
    """(reason, detail) when an article response holds nothing to extract, else None.

    `content_type` is the Content-Type header ("" when absent)."""
    if not body.strip():
        return "empty_body", f"{len(body)} bytes"
    mime = content_type.split(";", 1)[0].strip().lower()
    if mime and "html" not in mime:
        return "not_html", f"Content-Type {mime}"
    if not is_wide(body, content_type):
        kind = binary_signature(body)
        if kind is not None:
            return "not_html", f"{kind} bytes served as {mime or 'no Content-Type'}"
        if not has_visible_text(body) and not _IMG_RE.search(body):
            if _SCRIPT_RE.search(body):
                return "script_only", "no visible text outside scripts"
            return "blank_page", "no visible text or image"
    return None


def has_visible_text(body: bytes) -> bool:
    """True when some character outside markup, scripts, styles and the title would be shown."""
    # One match skips everything hidden from the start; anything left is shown.
    return _HIDDEN_RE.match(body).end() < len(body)


def count_tags(body: bytes) -> int:
    """An upper bound of the tags on the page (every `<`), at C speed."""
    return body.count(b"<")


# A heading, its content (no other heading tag inside, at most 4,000 bytes), and its end tag.
# HTML5 parsers (browsers) close an open <h1> at </h2> (any heading end tag closes any heading);
# libxml2 ignores the mismatched end tag and nests the rest of the page in the heading, so "the
# title" becomes the whole article (docs/pitfalls.md). The start tag may not contain `<`, so a failed
# attempt stops at the next tag, and the content cannot cross another heading: every byte is
# looked at by at most one attempt.
_HEADING_RE = re.compile(
    rb"<h([1-6])\b[^<>]*+>(?:[^<]|<(?!/?h[1-6]\b)){0,4000}?(</h([1-6])\s*>)", re.I
)


def repair_headings(body: bytes) -> tuple[bytes, int]:
    """Make each heading's end tag match its start tag, as an HTML5 parser would read it.
    Returns (body, number of end tags rewritten); the body is unchanged when none was."""
    count = 0

    def fix(m: re.Match[bytes]) -> bytes:
        nonlocal count
        if m.group(1) == m.group(3):
            return m.group(0)
        count += 1
        cut = m.start(2) - m.start(0)
        return m.group(0)[:cut] + b"</h" + m.group(1) + b">"

    fixed = _HEADING_RE.sub(fix, body)
    return (fixed, count) if count else (body, 0)


def looks_truncated(body: bytes) -> bool:
    """An HTML document cut short: neither `</body>` nor `</html>` anywhere (looked for in the
    last 4 KB first, where they are)."""
    return _END_RE.search(body, max(0, len(body) - 4096)) is None and _END_RE.search(body) is None


# Tag scanner for nesting depth. Comments, scripts and styles are single tokens (their content is
# not markup), to their end or the end of the page. Elements whose end tag is optional or that
# cannot nest in themselves are not counted: libxml2 closes them implicitly, so they never deepen
# the tree.
_TOKEN_RE = re.compile(
    _COMMENT
    + rb"|"
    + _raw_elements(b"script", b"style", b"textarea", b"title")
    + rb"|<(/?)([a-zA-Z][a-zA-Z0-9:-]*+)"
    + _TAG_REST
    + rb"|<!"
    + _TAG_REST,
    re.I,
)
_FLAT = frozenset(
    b"area base br col embed hr img input link meta param source track wbr "  # void
    b"p li dt dd option optgroup tr td th thead tbody tfoot colgroup rp rt".split()  # implied end
)
_KEEP_DEEP = frozenset(b"p br img h1 h2 h3 h4 h5 h6 li tr td th".split())


_BOUND_CHUNK = 4096


def _may_nest_deeper(body: bytes, max_depth: int) -> bool:
    """False when nesting cannot go deeper than `max_depth`: an upper bound counted per 4 KB
    chunk with three bytes.count passes (~0.2 ms for 60 KB; a tag scan in Python costs ~10 ms).
    Every start tag of a chunk counts as open at once, and stays open (void elements too, except
    <br>, which editors scatter by the hundred); end tags count from the next chunk on. Stray end
    tags could hide depth from it, but runaway wrappers, which this guards against, have none."""
    carried = 0
    for start in range(0, len(body), _BOUND_CHUNK):
        end = start + _BOUND_CHUNK
        ends = body.count(b"</", start, end)
        starts = body.count(b"<", start, end) - ends - body.count(b"<br", start, end)
        if carried + starts > max_depth:
            return True
        carried = max(0, carried + starts - ends)
    return False


def flatten_deep_nesting(body: bytes, max_depth: int) -> tuple[bytes, int]:
    """Unwrap elements nested deeper than `max_depth` (their text stays, their tags go).

    Returns (body, deepest nesting seen); the body is unchanged when nothing went deeper. lxml
    silently drops every node after content nested ~2,000 levels deep (256 without huge_tree),
    so a page with a runaway wrapper loses its whole article; unwrapping keeps the text.
    Scanning tags in Python costs ~10 ms on a 60 KB page, so `_may_nest_deeper` first bounds
    the depth at C speed; normal pages never get scanned. One pass, one Python step per tag.
    """
    if not _may_nest_deeper(body, max_depth):
        return body, 0
    stack: list[bytes] = []  # open elements kept in the tree
    open_count: dict[bytes, int] = {}
    dropped: dict[bytes, int] = {}  # unwrapped elements still open, by name
    dropped_total = 0
    deepest = 0
    cuts: list[tuple[int, int]] = []
    for m in _TOKEN_RE.finditer(body):
        name = m.group(2)
        if name is None:
            continue
        name = name.lower()
        depth = len(stack) + dropped_total
        if m.group(1):  # end tag
            if dropped.get(name):
                # Unwrapped elements are all deeper than the kept ones: innermost match first.
                dropped[name] -= 1
                dropped_total -= 1
                cuts.append(m.span())
            elif open_count.get(name):
                while stack:
                    top = stack.pop()
                    open_count[top] -= 1
                    if top == name:
                        break
            continue
        if name in _FLAT or m.group(0).endswith(b"/>"):
            if depth >= max_depth and name not in _KEEP_DEEP:
                cuts.append(m.span())
            continue
        deepest = max(deepest, depth + 1)
        if depth >= max_depth:
            dropped[name] = dropped.get(name, 0) + 1
            dropped_total += 1
            cuts.append(m.span())
        else:
            stack.append(name)
            open_count[name] = open_count.get(name, 0) + 1
    if not cuts:
        return body, deepest
    parts, pos = [], 0
    for start, end in cuts:
        parts.append(body[pos:start])
        pos = end
    parts.append(body[pos:])
    return b"".join(parts), deepest


# --- all checks of one response, in the order the middleware applies them ---------------------


@dataclass
class Inspection:
    """What the checks found: `skip` (reason, detail) refuses the response; otherwise `body` (the
    repaired bytes, the same object when unchanged) and `flags` (reason, detail) to note."""

    body: bytes
    skip: tuple[str, str] | None = None
    flags: list[tuple[str, str]] = field(default_factory=list)


def inspect_body(
    body: bytes, content_type: str, *, item: bool, max_depth: int, max_tags: int
) -> Inspection:
    """Every byte check of a 2xx HTML response, pure, so that the middleware can run it off the
    reactor thread. `item`: an article or album response (nothing-to-extract checks apply)."""
    if item:
        verdict = classify_body(body, content_type)
        if verdict is not None:
            return Inspection(body, skip=verdict)
    if is_wide(body, content_type):
        return Inspection(body)
    tags = count_tags(body)
    if tags > max_tags:
        # Real pages hold a few thousand tags; per-tag work (the nesting scan, lxml's tree and
        # the extractors' walks over it) would hold the crawl for minutes.
        return Inspection(body, skip=("too_many_tags", f"{tags} tags, limit {max_tags}"))
    out = Inspection(body)
    nuls = body.count(b"\x00")
    if nuls:
        body = body.replace(b"\x00", b"")
        out.flags.append(("nul_bytes", f"{nuls} NUL bytes stripped"))
    fixed, headings = repair_headings(body)
    if headings:
        body = fixed
        out.flags.append(("heading_repaired", f"{headings} mismatched heading end tag(s)"))
    flat, deepest = flatten_deep_nesting(body, max_depth)
    if flat is not body:
        body = flat
        out.flags.append(("deep_nesting", f"nested {deepest} deep, unwrapped below {max_depth}"))
    if item and looks_truncated(body):
        out.flags.append(("truncated_html", "no </body> or </html>"))
    out.body = body
    return out
