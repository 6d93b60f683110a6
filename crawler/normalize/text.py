"""Text normalizers: the record's string rules and the page decoder.

Three string rules exist because the record keeps three kinds of text (see docs/contract.md):
display fields (``clean_text``), ``*_raw`` fields (``clean_raw``) and the multi-line body fields
(``clean_block``). All of them yield NFC without control or zero-width characters, so strings that
look equal compare equal and dedup works.
"""

from __future__ import annotations

import codecs
import html
import re
import sys
import unicodedata
from functools import lru_cache
from typing import Any

from w3lib.encoding import html_body_declared_encoding, read_bom, resolve_encoding

__all__ = [
    "clean_block",
    "clean_raw",
    "clean_text",
    "decode_html",
    "drop_replacements",
    "has_replacement",
    "normalize_strings",
    "utf8_with_repairs",
]

REPLACEMENT_CHAR = "\ufffd"

# Invisible characters that editors paste in from Word/Facebook and that break equality and
# search. U+200E/U+200F (direction marks), U+2061-U+2064 (invisible operators) and U+180E are
# zero-width as well, so they go with the ones the contract names.
_ZERO_WIDTH = "\u00ad\u180e\u200b\u200c\u200d\u200e\u200f\u2060\u2061\u2062\u2063\u2064\ufeff"
_ZERO_WIDTH_RE = re.compile(f"[{_ZERO_WIDTH}]")

# Bidirectional embedding, override and isolate controls: pasted from RTL-aware editors, they
# reorder what a reader sees (a title can display backwards). Out of display fields, kept in
# `*_raw` (the page as written).
_BIDI_RE = re.compile("[\u202a-\u202e\u2066-\u2069]")

# All C0/C1 controls. Whitespace controls (\t, \n, \r, \x0b, \x0c, \x1c-\x1f, \x85) are turned
# into spaces or newlines *before* this runs, so only the invisible ones are deleted outright.
_CONTROL_RE = re.compile("[\x00-\x1f\x7f-\x9f]")
_CONTROL_EXCEPT_NEWLINE_RE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f]")

# Python's Unicode \s covers ASCII whitespace, NBSP, U+2000-U+200A, U+202F, U+205F, U+3000,
# U+2028/U+2029 and the whitespace controls -- exactly the set a display field collapses.
_WHITESPACE_RE = re.compile(r"\s+")

# In a block, keep line structure: CR/CRLF and NEL are line ends; tab/VT/FF read as a space
# rather than vanishing (deleting them would glue words together).
_BLOCK_NEWLINE_RE = re.compile("\r\n?|\x85")
_BLOCK_SPACE_RE = re.compile("[\t\x0b\x0c]")
# Every character a block pass removes or changes (controls but \n, zero-width and format
# characters, CR, NEL), as a superset.
_BLOCK_SUSPECTS = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u00ad\u180e\u200b-\u200f\u2028-\u202e"
                             "\u2060-\u206f\ufeff\ufff0-\uffff]")  # fmt: skip


def has_replacement(s: str | None) -> bool:
    """True when ``s`` contains U+FFFD, i.e. some bytes were lost before the text reached us."""
    return s is not None and REPLACEMENT_CHAR in s


_REPLACEMENT_RUN_RE = re.compile("( ?)[\ufffd\ud800-\udfff]+( ?)")


def _has_bad_character(s: str) -> bool:
    """U+FFFD or a lone surrogate in `s`. Strict UTF-8 refuses exactly the surrogates, and the
    encoder runs in C: five times cheaper than a character-class regex over a whole body."""
    if s.isascii():  # (a flag of the string: URLs and ids cost nothing)
        return False
    if REPLACEMENT_CHAR in s:
        return True
    try:
        s.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _plain(s: str) -> bool:
    """True when no text rule can change `s`: every character printable (so no control,
    zero-width, bidi, line or space character other than U+0020), single spaces, nothing to trim,
    already NFC. `str.isprintable` and `unicodedata.is_normalized` run in C, so records whose
    strings are clean (nearly all) skip the regex passes."""
    return (
        s.isprintable()
        and "  " not in s
        and s[:1] != " "
        and s[-1:] != " "
        and unicodedata.is_normalized("NFC", s)
    )


def drop_replacements(s: str | None) -> str | None:
    """``s`` without U+FFFD (bytes lost before the text reached us) and lone surrogates (a
    ``&#xD800;`` reference), so that one bad character never costs the record (the schema
    forbids both). Spaces around a dropped run merge into one; line edges stay trimmed."""
    if s is None or not _has_bad_character(s):
        return s
    out = _REPLACEMENT_RUN_RE.sub(lambda m: " " if m.group(1) or m.group(2) else "", s)
    if "\n" in out:
        out = "\n".join(line.strip(" ") for line in out.split("\n"))
    return out.strip(" ") or None


def _collapse(s: str) -> str:
    """Remove zero-width characters, collapse whitespace, drop other controls, trim, NFC."""
    return s if _plain(s) else _collapse_passes(s)


def _collapse_passes(s: str) -> str:
    s = _ZERO_WIDTH_RE.sub("", s)
    s = _WHITESPACE_RE.sub(" ", s)
    s = _CONTROL_RE.sub("", s)
    # Deleting a control may leave two spaces side by side ("a \x00 b").
    s = _WHITESPACE_RE.sub(" ", s).strip()
    # NFC last: removing a zero-width character between a letter and a combining mark changes
    # what composes.
    return unicodedata.normalize("NFC", s)


def clean_text(s: str | None) -> str | None:
    """Display-field rule: entities decoded, NFC, no controls, zero-width or bidi control
    characters (U+202A-U+202E, U+2066-U+2069), whitespace collapsed to single spaces, trimmed;
    empty becomes None.

    U+FFFD is kept (it signals lost bytes; callers test it with ``has_replacement``), except when
    ``html.unescape`` itself produced it from an invalid reference such as ``&#0;``.
    """
    if s is None:
        return None
    unescaped = html.unescape(s) if "&" in s else s
    if REPLACEMENT_CHAR in unescaped and REPLACEMENT_CHAR not in s:
        unescaped = unescaped.replace(REPLACEMENT_CHAR, "")
    out = unescaped if _plain(unescaped) else _collapse_passes(_BIDI_RE.sub("", unescaped))
    return out or None


def clean_raw(s: str | None) -> str | None:
    """``*_raw`` rule: NFC, controls and zero-width characters removed, whitespace collapsed,
    trimmed; nothing else changed (entities stay as the HTML parser left them). Empty -> None."""
    if s is None:
        return None
    out = _collapse(s)
    return out or None


def _scrub_block(s: str) -> str:
    # Nothing to change when no character is one of the four passes' (every character but the
    # newlines printable, else none of _BLOCK_SUSPECTS: NBSP is common and harmless) and the text
    # is NFC: bodies skip four passes over 10-60 KB.
    if (
        s.replace("\n", "").isprintable() or not _BLOCK_SUSPECTS.search(s)
    ) and unicodedata.is_normalized("NFC", s):
        return s
    return _scrub_passes(s)


def _scrub_passes(s: str) -> str:
    s = _BLOCK_NEWLINE_RE.sub("\n", s)
    s = _BLOCK_SPACE_RE.sub(" ", s)
    s = _ZERO_WIDTH_RE.sub("", s)
    s = _CONTROL_EXCEPT_NEWLINE_RE.sub("", s)
    return unicodedata.normalize("NFC", s)


def clean_block(s: str | None) -> str | None:
    """``body_text``/``body_html`` rule: NFC, controls other than ``\\n`` and zero-width characters
    removed; whitespace is NOT collapsed (markup and paragraph breaks must survive).

    CR and CRLF become ``\\n`` and tab/VT/FF become a space. A string that is empty or only
    whitespace becomes None.
    """
    if s is None:
        return None
    out = _scrub_block(s)
    return out if out.strip() else None


def normalize_strings(obj: Any) -> Any:
    """Return a copy of ``obj`` (dicts, lists, tuples, scalars) with every string NFC and free of
    controls (other than ``\\n``) and zero-width characters.

    Meant as the last pass over a finished record: it guarantees the text invariants without
    changing whitespace, so body fields keep their newlines and URLs are never collapsed.
    Dict keys are left alone (they are the record's own field names).
    """
    if isinstance(obj, str):
        return _scrub_block(obj)
    if isinstance(obj, dict):
        return {k: normalize_strings(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [normalize_strings(v) for v in obj]
    if isinstance(obj, tuple):
        return tuple(normalize_strings(v) for v in obj)
    return obj


# ---------------------------------------------------------------------------------------------
# Decoding page bytes


@lru_cache(maxsize=64)
def _codec_name(label: str | None) -> str | None:
    """Python codec name for a charset label, following the WHATWG aliasing browsers use
    (latin-1/ascii are read as cp1252), or None when the label is unknown."""
    if not label:
        return None
    return resolve_encoding(label.strip().strip("\"'"))


@lru_cache(maxsize=64)
def _is_single_byte(codec: str) -> bool:
    """True for one-byte-per-character charsets (cp125x, iso8859-x, koi8, ...).

    Such a charset decodes *any* bytes without error, so a clean decode proves nothing; only a
    valid multi-byte UTF-8 sequence gives the lie away. Python's single-byte codecs are charmap
    codecs with a ``decoding_table``; latin-1 and ascii are built in.
    """
    info = codecs.lookup(codec)
    if info.name in ("ascii", "iso8859-1"):
        return True
    module = sys.modules.get(getattr(info.decode, "__module__", "") or "")
    return module is not None and hasattr(module, "decoding_table")


def _strict(body: bytes, codec: str) -> str | None:
    try:
        return body.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def _accept(body: bytes, codec: str | None, utf8_text: str | None) -> str | None:
    """Decode with a declared charset if the bytes do not contradict it.

    A single-byte declaration is contradicted by bytes that are valid UTF-8 with non-ASCII
    content (``utf8_text`` is that reading, or None): real cp1252/cp1258 text practically never
    forms valid multi-byte UTF-8 sequences, while a UTF-8 page read as cp1252 yields mojibake
    ("Ä\\x90" for "Đ") without any decode error.
    """
    if codec is None:
        return None
    if utf8_text is not None and _is_single_byte(codec):
        return None
    return _strict(body, codec)


def _same_family(header_codec: str, bom_codec: str) -> bool:
    """A BOM agrees with the header when they name the same encoding, endianness aside
    ("utf-16" header, "utf-16-le" BOM)."""
    name = codecs.lookup(header_codec).name
    return bom_codec.startswith(name) or name.startswith(bom_codec)


_ESCAPED_RE = re.compile("[\udc80-\udcff]+")
_HIGH_BYTES = bytes(range(0x80, 0x100))


def utf8_with_repairs(body: bytes) -> tuple[str, int, int]:
    """UTF-8 text of `body` with each byte that is not valid UTF-8 read as cp1252 instead (the
    usual stray bytes are Word quotes and dashes pasted from a Windows document; cp1252's five
    undefined bytes are dropped). Returns (text, invalid bytes, runs of invalid bytes). Valid
    UTF-8 around the bad bytes stays as it is, so one pasted quote no longer turns the page into
    mojibake."""
    text = body.decode("utf-8", "surrogateescape")
    bad = runs = 0

    def repair(m: re.Match[str]) -> str:
        nonlocal bad, runs
        raw = m.group().encode("utf-8", "surrogateescape")
        bad += len(raw)
        runs += 1
        return raw.decode("cp1252", "ignore")

    return _ESCAPED_RE.sub(repair, text), bad, runs


def _mostly_utf8(body: bytes, bad: int, runs: int) -> bool:
    """True when the page holds at least one valid multi-byte UTF-8 character (2+ bytes) per run
    of invalid bytes: a UTF-8 page with a few stray bytes (six pasted quotes, junk after
    `</html>`). A cp1258 or cp1252 page has almost no valid multi-byte sequence and an invalid
    run at nearly every accented letter, whatever its header says."""
    high = len(body) - len(body.translate(None, _HIGH_BYTES))
    return high - bad >= 2 * runs


def decode_html(body: bytes, header_encoding: str | None) -> tuple[str, list[str]]:
    """Decode page bytes to NFC text (`_decode`), then mend the words a CMS stored encoded twice
    (`repair_double_encoding`, issue ``mojibake_repaired``)."""
    text, issues = _decode(body, header_encoding)
    text, mended = repair_double_encoding(text)
    return text, [*issues, "mojibake_repaired"] if mended else issues


# UTF-8 read as cp1252 (or latin-1) and stored again: each Vietnamese letter becomes two or three
# characters of cp1252, all of them in the Latin-1 range or among cp1252's punctuation ("của" is
# "cá»§a", "Đ" is "Ä" + U+0090, "à" is "Ã" + NBSP). A lead byte's character followed by a
# continuation byte's is the sign; correct Vietnamese text has letters cp1252 lacks (ạ, ư, ế) and
# never that pair.
_CP1252_SPECIALS = {
    ch: bytes([b]) for b in range(0x80, 0xA0) if (ch := bytes([b]).decode("cp1252", "ignore"))
}
_CONTINUATION = "\u0080-\u00bf" + "".join(
    ch for ch, b in _CP1252_SPECIALS.items() if 0x80 <= b[0] <= 0xBF
)
_MOJIBAKE_RE = re.compile(f"[\u00c2-\u00f4][{_CONTINUATION}]")
_WORD_RE = re.compile(r"[^ \t\r\n<>\"'=]+")


def _as_cp1252_bytes(word: str) -> bytes | None:
    """The bytes `word` was read from as cp1252 (its five undefined bytes as latin-1 reads them),
    or None when a character has no such byte."""
    out = bytearray()
    for ch in word:
        code = ord(ch)
        if code < 0x100:
            out.append(code)
        elif ch in _CP1252_SPECIALS:
            out += _CP1252_SPECIALS[ch]
        else:
            return None
    return bytes(out)


def repair_double_encoding(text: str) -> tuple[str, int]:
    """`text` with every word that was UTF-8 read as cp1252 decoded back (NFC), and how many
    were. A word is mended only when its cp1252 bytes are valid UTF-8 (strictly): a correct word
    such as "và" or "Tân" is not (a lone lead byte), so it is never touched. Word by word, since
    one paragraph of a page may be double-encoded and the rest not. Our own code rather than ftfy:
    measured on such a page, ftfy mended some words of a paragraph and left others ("sÄ©")."""
    if not _MOJIBAKE_RE.search(text):
        return text, 0
    mended = 0

    def mend(m: re.Match[str]) -> str:
        nonlocal mended
        word = m.group()
        if not _MOJIBAKE_RE.search(word):
            return word
        raw = _as_cp1252_bytes(word)
        if raw is None:
            return word
        try:
            fixed = raw.decode("utf-8")
        except UnicodeDecodeError:
            return word
        mended += 1
        return unicodedata.normalize("NFC", fixed)

    return _WORD_RE.sub(mend, text), mended


def _decode(body: bytes, header_encoding: str | None) -> tuple[str, list[str]]:
    """Decode page bytes to NFC text, repairing a lying Content-Type charset.

    Order: byte order mark; the header charset unless the bytes contradict it; the charset
    declared in ``<meta>`` (first 4 KB) unless contradicted; UTF-8; cp1258 (the legacy Vietnamese
    Windows charset). Issue codes returned:

    - ``charset_repaired``: a declared charset (header, or meta when there is no header) was
      overridden because the bytes contradict it, and a declared or verified charset (BOM, meta,
      valid UTF-8) decoded them instead.
      Also: a page that is mostly valid UTF-8 with a few stray bytes (pasted cp1252 quotes,
      junk after ``</html>``) stays UTF-8 and only the stray bytes are read as cp1252
      (``utf8_with_repairs``); nothing becomes U+FFFD.
    - ``charset_unknown``: nothing declared or verifiable fitted; the text is a best guess
      (cp1258).
    """
    header_codec = _codec_name(header_encoding)

    bom_codec, bom = read_bom(body)
    if bom_codec is not None and bom is not None:
        text = body[len(bom) :].decode(bom_codec, errors="replace")
        issues = []
        if header_codec is not None and not _same_family(header_codec, bom_codec):
            issues.append("charset_repaired")
        return unicodedata.normalize("NFC", text), issues

    # Decoded once: it is both the evidence against single-byte declarations and the answer.
    utf8_text = _strict(body, "utf-8")
    utf8_evidence = utf8_text if utf8_text is not None and not body.isascii() else None

    if header_codec == "utf-8" and utf8_text is not None:
        text: str | None = utf8_text  # (the header's reading is the one just made)
    else:
        text = _accept(body, header_codec, utf8_evidence)
    if text is not None:
        return unicodedata.normalize("NFC", text), []

    meta_codec = html_body_declared_encoding(body)
    if meta_codec is not None and meta_codec != header_codec:
        text = _accept(body, meta_codec, utf8_evidence)
        if text is not None:
            issues = ["charset_repaired"] if header_codec is not None else []
            return unicodedata.normalize("NFC", text), issues

    if utf8_text is not None:
        # A declaration (header or meta) that had to be ignored is a repair; an undeclared page
        # that is valid UTF-8 is simply UTF-8.
        declared = header_codec is not None or meta_codec is not None
        issues = ["charset_repaired"] if declared and utf8_evidence is not None else []
        return unicodedata.normalize("NFC", utf8_text), issues

    repaired, bad, runs = utf8_with_repairs(body)
    if _mostly_utf8(body, bad, runs):
        # UTF-8 with a few stray bytes: keep UTF-8, repair only the stray bytes (cp1252).
        return unicodedata.normalize("NFC", repaired), ["charset_repaired"]
    # From here on the charset is a guess, and saying "repaired" would overstate it.
    text = body.decode("cp1258", errors="replace")
    return unicodedata.normalize("NFC", text), ["charset_unknown"]
