"""Tables for the text rules and the page decoder (all expected values hand-checked)."""

from __future__ import annotations

import html
import random
import unicodedata

import pytest

from crawler.normalize.text import (
    _BIDI_RE,
    _REPLACEMENT_RUN_RE,
    _collapse_passes,
    _scrub_passes,
    clean_block,
    clean_raw,
    clean_text,
    decode_html,
    drop_replacements,
    has_replacement,
    normalize_strings,
)

NFD_VIET = unicodedata.normalize("NFD", "Tiếng Việt")

# (id, input, expected)
CLEAN_TEXT = [
    ("none", None, None),
    ("empty", "", None),
    ("blank", " \t\n\u00a0 ", None),
    ("zero-width-only", "\u200b\u200c\u200d\u2060\ufeff\u00ad", None),
    ("plain", "Long An", "Long An"),
    ("trim-collapse", "  Cho  trẻ \n\t làm quen ", "Cho trẻ làm quen"),
    ("nbsp-and-unicode-spaces", "a\u00a0b\u2003c\u202fd\u3000e", "a b c d e"),
    ("entities", "Lúa &amp; rau &quot;sạch&quot; &#7841;", 'Lúa & rau "sạch" ạ'),
    ("nbsp-entity", "a&nbsp;&nbsp;b", "a b"),
    ("nfd-to-nfc", NFD_VIET, "Tiếng Việt"),
    ("zero-width-inside-word", "Vi\u200bệt\ufeff Nam", "Việt Nam"),
    ("soft-hyphen", "Long\u00adAn", "LongAn"),
    ("controls-removed", "a\x00b\x07c\x1bd", "abcd"),
    ("c1-control-removed", "Ä\x90", "Ä"),
    ("control-between-spaces", "a \x00 b", "a b"),
    ("zero-width-before-combining-mark", "e\u200b\u0301", "é"),
    ("replacement-kept", "Ð\ufffd", "Ð\ufffd"),
    ("invalid-entity-no-replacement", "a&#0;b", "ab"),
    ("bidi-marks", "\u200eTây Ninh\u200f", "Tây Ninh"),
]

CLEAN_RAW = [
    ("none", None, None),
    ("empty", " \u200b ", None),
    ("site-date", " 20/01/2022\u00a0-\u00a018:20 ", "20/01/2022 - 18:20"),
    ("entity-kept", "Lúa &amp; rau", "Lúa &amp; rau"),
    ("byline", "CTV  Kim Hoàng –\u200b", "CTV Kim Hoàng –"),
    ("nfd", NFD_VIET, "Tiếng Việt"),
]

CLEAN_BLOCK = [
    ("none", None, None),
    ("empty", "", None),
    ("blank", " \n\n ", None),
    ("newlines-kept", "Đoạn 1.\n\nĐoạn 2.", "Đoạn 1.\n\nĐoạn 2."),
    ("spaces-not-collapsed", "<p>a  b</p>\n<p> c</p>", "<p>a  b</p>\n<p> c</p>"),
    ("crlf", "a\r\nb\rc", "a\nb\nc"),
    ("tab-to-space", "a\tb", "a b"),
    ("controls-and-zero-width", "a\x00\u200bb\x0c", "ab "),
    ("entities-not-decoded", "<p>a &amp; b</p>", "<p>a &amp; b</p>"),
    ("nfd", f"<p>{NFD_VIET}</p>", "<p>Tiếng Việt</p>"),
]


@pytest.mark.parametrize(("raw", "expected"), [pytest.param(r, e, id=i) for i, r, e in CLEAN_TEXT])
def test_clean_text(raw: str | None, expected: str | None) -> None:
    assert clean_text(raw) == expected


@pytest.mark.parametrize(("raw", "expected"), [pytest.param(r, e, id=i) for i, r, e in CLEAN_RAW])
def test_clean_raw(raw: str | None, expected: str | None) -> None:
    assert clean_raw(raw) == expected


@pytest.mark.parametrize(("raw", "expected"), [pytest.param(r, e, id=i) for i, r, e in CLEAN_BLOCK])
def test_clean_block(raw: str | None, expected: str | None) -> None:
    assert clean_block(raw) == expected


def test_has_replacement() -> None:
    assert has_replacement("Ð\ufffd")
    assert not has_replacement("Đ")
    assert not has_replacement(None)


def test_normalize_strings_recurses_and_keeps_newlines() -> None:
    record = {
        "title": NFD_VIET + "\u200b",
        "body_text": "a\n\nb\x00",
        "images": [{"caption": "x\ufeff", "position": 0}],
        "authors": ("Thanh\u00adHải",),
        "version": 1,
        "source_credit": None,
    }
    assert normalize_strings(record) == {
        "title": "Tiếng Việt",
        "body_text": "a\n\nb",
        "images": [{"caption": "x", "position": 0}],
        "authors": ("ThanhHải",),
        "version": 1,
        "source_credit": None,
    }


# --- decode_html ---------------------------------------------------------------------------

VI = "Đồng bào Long An – Tiếng Việt"
PAGE = "<html><head>{meta}</head><body><h1>{text}</h1></body></html>"
META_1258 = '<meta http-equiv="Content-Type" content="text/html; charset=windows-1258">'
META_UTF8 = '<meta charset="utf-8">'
META_LATIN1 = '<meta charset="iso-8859-1">'
# "Tiếng Việt Đồng bào" in Windows-1258: base letters plus combining tone marks (0xEC acute,
# 0xF2 dot below, 0xCC grave), which is why the decoded text must be NFC-normalised.
CP1258_TEXT = b"Ti\xea\xecng Vi\xea\xf2t \xd0\xf4\xccng b\xe0o"
CP1258_EXPECTED = "Tiếng Việt Đồng bào"


def _page(text: str, meta: str = "") -> str:
    return PAGE.format(meta=meta, text=text)


def _cp1258_page(meta: str = "") -> tuple[bytes, str]:
    head = PAGE.format(meta=meta, text="\x00").split("\x00")
    return (
        head[0].encode("ascii") + CP1258_TEXT + head[1].encode("ascii"),
        _page(CP1258_EXPECTED, meta),
    )


CP1258_WITH_META, CP1258_WITH_META_TEXT = _cp1258_page(META_1258)
CP1258_BARE, CP1258_BARE_TEXT = _cp1258_page()
# A UTF-8 page with one corrupt byte: still UTF-8, the stray byte read as cp1252 (issue 15).
BROKEN_UTF8 = _page(VI).encode("utf-8").replace(b"Long", b"L\xffng")

# (id, body, header charset, expected text, expected issues)
DECODE = [
    ("utf8-header-utf8", _page(VI).encode(), "utf-8", _page(VI), []),
    ("utf8-header-alias", _page(VI).encode(), "UTF8", _page(VI), []),
    ("utf8-no-header-no-meta", _page(VI).encode(), None, _page(VI), []),
    ("utf8-meta-only", _page(VI, META_UTF8).encode(), None, _page(VI, META_UTF8), []),
    ("lying-iso-8859-1", _page(VI).encode(), "ISO-8859-1", _page(VI), ["charset_repaired"]),
    ("lying-windows-1252", _page(VI).encode(), "windows-1252", _page(VI), ["charset_repaired"]),
    (
        "lying-latin1-with-utf8-meta",
        _page(VI, META_UTF8).encode(),
        "latin-1",
        _page(VI, META_UTF8),
        ["charset_repaired"],
    ),
    (
        "lying-header-and-meta",
        _page(VI, META_LATIN1).encode(),
        "iso-8859-1",
        _page(VI, META_LATIN1),
        ["charset_repaired"],
    ),
    (
        "lying-meta-no-header",
        _page(VI, META_LATIN1).encode(),
        None,
        _page(VI, META_LATIN1),
        ["charset_repaired"],
    ),
    ("lying-cp1258-header", _page(VI).encode(), "windows-1258", _page(VI), ["charset_repaired"]),
    ("ascii-under-latin1", _page("Long An").encode(), "iso-8859-1", _page("Long An"), []),
    ("real-latin1-page", _page("café").encode("cp1252"), "iso-8859-1", _page("café"), []),
    ("cp1258-header", CP1258_BARE, "windows-1258", CP1258_BARE_TEXT, []),
    ("cp1258-header-alias", CP1258_BARE, "cp1258", CP1258_BARE_TEXT, []),
    ("cp1258-meta-only", CP1258_WITH_META, None, CP1258_WITH_META_TEXT, []),
    (
        "cp1258-lying-utf8-header",
        CP1258_WITH_META,
        "utf-8",
        CP1258_WITH_META_TEXT,
        ["charset_repaired"],
    ),
    ("cp1258-undeclared-guess", CP1258_BARE, "utf-8", CP1258_BARE_TEXT, ["charset_unknown"]),
    (
        "bom-utf8-wins",
        b"\xef\xbb\xbf" + _page(VI).encode(),
        "iso-8859-1",
        _page(VI),
        ["charset_repaired"],
    ),
    ("bom-utf8-agrees", b"\xef\xbb\xbf" + _page(VI).encode(), "utf-8", _page(VI), []),
    ("bom-utf16", b"\xff\xfe" + _page(VI).encode("utf-16-le"), None, _page(VI), []),
    ("unknown-header-label", _page(VI).encode(), "x-no-such-charset", _page(VI), []),
    (
        "nfd-bytes-become-nfc",
        unicodedata.normalize("NFD", _page(VI)).encode(),
        "utf-8",
        _page(VI),
        [],
    ),
    (
        "declared-utf8-with-bad-byte",
        BROKEN_UTF8,
        "utf-8",
        _page(VI.replace("Long", "L\u00ffng")),
        ["charset_repaired"],
    ),
    (
        "mostly-utf8-with-bad-byte",
        BROKEN_UTF8,
        None,
        _page(VI.replace("Long", "L\u00ffng")),
        ["charset_repaired"],
    ),
]


@pytest.mark.parametrize(
    ("body", "header", "text", "issues"),
    [pytest.param(b, h, t, iss, id=i) for i, b, h, t, iss in DECODE],
)
def test_decode_html(body: bytes, header: str | None, text: str, issues: list[str]) -> None:
    assert decode_html(body, header) == (text, issues)


def test_lying_header_would_have_produced_mojibake() -> None:
    """Guard for the premise of the repair: cp1252 turns UTF-8 'Đ' into mojibake, not an error."""
    body = "Đồng".encode()
    assert body.decode("latin-1") != "Đồng"
    assert decode_html(body, "iso-8859-1") == ("Đồng", ["charset_repaired"])


def test_decoded_cp1258_is_nfc() -> None:
    text, _ = decode_html(CP1258_BARE, "windows-1258")
    assert unicodedata.is_normalized("NFC", text)
    assert CP1258_EXPECTED in text


# Characters each text rule removes, changes or keeps, mixed at random: the checks that let clean
# strings skip the regex passes (`_plain`, the block check, `_has_bad_character`) must never skip
# a string the passes would change.
_ALPHABET = (
    "aăâbcdđeêghiklmnoôơpqrstuưvxyàảãáạằẳẵắặầẩẫấậ \n\t\r.<>&;/"
    "\x00\x01\x0b\x0c\x1c\x1f\x7f\x85\x9f\u00a0\u00ad\u1680\u180e\u2003\u200b\u200c\u200d\u200e"
    "\u2028\u2029\u202a\u202e\u202f\u205f\u2060\u2066\u3000\ufeff\ufffc\ufffd\ud800"
    "\u0300\u0301\u0303\u0309\u0323"
)


def _reference_drop(s: str) -> str | None:
    out = _REPLACEMENT_RUN_RE.sub(lambda m: " " if m.group(1) or m.group(2) else "", s)
    if "\n" in out:
        out = "\n".join(line.strip(" ") for line in out.split("\n"))
    return out.strip(" ") or None


@pytest.mark.parametrize("seed", range(40))
def test_fast_paths_are_exact(seed: int) -> None:
    rnd = random.Random(seed)
    for _ in range(50):
        s = "".join(rnd.choice(_ALPHABET) for _ in range(rnd.randint(0, 40)))
        for text in (s, unicodedata.normalize("NFC", s), s.replace("\n", " ").strip()):
            scrubbed = _scrub_passes(text)
            assert clean_block(text) == (scrubbed if scrubbed.strip() else None), repr(text)
            assert clean_raw(text) == (_collapse_passes(text) or None), repr(text)
            unescaped = html.unescape(text) if "&" in text else text
            if "\ufffd" in unescaped and "\ufffd" not in text:
                unescaped = unescaped.replace("\ufffd", "")
            want = _collapse_passes(_BIDI_RE.sub("", unescaped)) or None
            assert clean_text(text) == want, repr(text)
            bad = "\ufffd" in text or any("\ud800" <= c <= "\udfff" for c in text)
            assert drop_replacements(text) == (_reference_drop(text) if bad else text), repr(text)
