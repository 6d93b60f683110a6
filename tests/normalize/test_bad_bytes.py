"""Issue 15 item 4: a few bad bytes never garble or lose an article.

Real bytes: a UTF-8 page with six pasted cp1252 quotes, 128 stray bytes after `</html>`, two bad
bytes in the title, `&#xD800;` in the title. The page stays UTF-8, only the bad bytes are repaired
(read as cp1252) or dropped, the record is flagged, and no U+FFFD or surrogate reaches a field.
The end-to-end crawl of the same pages is tests/adversarial/test_bad_bytes_crawl.py.
"""

from __future__ import annotations

import pytest

from crawler.editions import Editions
from crawler.extract import build_record
from crawler.normalize.text import (
    clean_raw,
    clean_text,
    decode_html,
    drop_replacements,
    utf8_with_repairs,
)
from tests.hostile import pages
from tests.hostile.server import encode_cp1258

EDITIONS = Editions("http://127.0.0.1:8101", "http://127.0.0.1:8102")
URL = "http://127.0.0.1:8101/ong-nguyen-van-ut-noi-a1.html"


def page(title: str, paragraphs: list[str], charset: str | None = None) -> bytes:
    spec = pages.ArticleSpec(title=title, paragraphs=paragraphs, charset=charset)
    return pages.article_page(spec).encode("utf-8")


def with_cp1252_quotes(body: bytes) -> bytes:
    """Every `[[`/`]]` becomes a cp1252 curly quote byte (0x93/0x94): invalid UTF-8."""
    return body.replace(b"[[", b"\x93").replace(b"]]", b"\x94")


# Few non-ASCII characters besides the quotes: the case that was decoded whole as cp1258.
SIX_QUOTES = with_cp1252_quotes(
    page(
        "Ông Út nói về mùa lúa",
        ["[[Mùa này tốt]], ông Út nói.", "[[Giá ổn]], bà Nga nói.", "[[Vui]], anh Tư nói."],
    )
)


def test_six_pasted_cp1252_quotes_keep_the_page_utf8():
    text, issues = decode_html(SIX_QUOTES, None)
    assert "Ông Út nói về mùa lúa" in text
    assert "\u201cMùa này tốt\u201d, ông Út nói." in text
    assert "\ufffd" not in text
    assert issues == ["charset_repaired"]


def test_six_pasted_quotes_with_a_utf8_declaration():
    body = with_cp1252_quotes(page("Ông Út", ["[[Tốt]], ông nói."] * 6, charset="utf-8"))
    text, issues = decode_html(body, "utf-8")
    assert "\u201cTốt\u201d, ông nói." in text and issues == ["charset_repaired"]


def test_stray_bytes_after_the_end_of_the_page():
    body = page("Tiêu đề bài viết", ["Nội dung bài viết."]) + bytes(range(128, 256))
    record, _, issues = build_record(body, "utf-8", URL, EDITIONS)
    assert record["title"] == "Tiêu đề bài viết"
    assert record["body_text"].startswith("Nội dung bài viết.")
    assert "charset_repaired" in issues


def test_two_bad_bytes_in_the_title_are_repaired_not_lost():
    body = page("Tiêu đề QQ bài viết", ["Nội dung."]).replace(b"QQ", b"\xff\xfe")
    record, _, issues = build_record(body, "utf-8", URL, EDITIONS)
    assert record["title"] == "Tiêu đề ÿþ bài viết"
    assert "charset_repaired" in issues


def test_an_invalid_character_reference_in_the_title_is_dropped():
    body = page("Tiêu đề QQ bài viết", ["Nội dung."]).replace(b"QQ", b"&#xD800;")
    record, _, issues = build_record(body, "utf-8", URL, EDITIONS)
    assert record["title"] == "Tiêu đề bài viết"
    assert "replacement_characters" in issues


def test_a_real_cp1258_page_is_still_cp1258():
    body = encode_cp1258("<html><body><p>Đồng bào Long An vui Tết</p></body></html>")
    text, issues = decode_html(body, "utf-8")
    assert "Đồng bào Long An vui Tết" in text and issues == ["charset_unknown"]


@pytest.mark.parametrize(
    ("raw", "text", "bad", "runs"),
    [
        (b"caf\xc3\xa9 \x93x\x94", "café \u201cx\u201d", 2, 2),
        (b"a\x81b", "ab", 1, 1),  # undefined in cp1252: dropped
        (b"\xed\xa0\x80", "í\xa0\u20ac", 3, 1),  # an encoded surrogate is not UTF-8
        ("Đà Lạt".encode(), "Đà Lạt", 0, 0),
    ],
)
def test_utf8_with_repairs(raw, text, bad, runs):
    assert utf8_with_repairs(raw) == (text, bad, runs)


@pytest.mark.parametrize(
    ("s", "out"),
    [
        ("Ông \ufffdNguyễn\ufffd nói", "Ông Nguyễn nói"),
        ("a \ufffd b", "a b"),
        ("ab\ufffdcd", "abcd"),
        ("\ufffd", None),
        ("x\ud800y", "xy"),
        ("Một.\n\n\ufffd Hai", "Một.\n\nHai"),
    ],
)
def test_drop_replacements(s, out):
    assert drop_replacements(s) == out


# --- issue 15 item 11: bidi controls ------------------------------------------------------------


@pytest.mark.parametrize(
    "control", [chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))]
)
def test_bidi_controls_leave_display_fields_but_stay_in_raw(control):
    assert clean_text(f"Tiêu {control}đề{control} bài") == "Tiêu đề bài"
    assert clean_raw(f"Tiêu {control}đề") == f"Tiêu {control}đề"


def test_a_caption_with_bidi_controls_in_a_record():
    body = page("Tiêu\u202e đề", ["Nội dung."]).replace(
        b"</p>", "</p><p><img src='/image/a.jpg'><em>Ảnh\u2067 minh họa</em></p>".encode(), 1
    )
    record, _, _ = build_record(body, "utf-8", URL, EDITIONS)
    assert record["title"] == "Tiêu đề"


# A paragraph a CMS stored encoded twice (UTF-8 read as cp1252 and written again): "Đức" is
# "Ä" + U+0090 + "á»©c", "à" is "Ã" + NBSP.
def _twice(s: str) -> str:
    return "".join(
        bytes([b]).decode("cp1252") if bytes([b]).decode("cp1252", "ignore") else chr(b)
        for b in s.encode("utf-8")
    )


@pytest.mark.parametrize(
    "intended",
    [
        "Theo bác sĩ Nguyễn Minh Đức - Trưởng khoa Tim mạch, của bệnh viện",
        "Ông Bảy và “Hợp tác xã” ở Tân An là à",
    ],
)
def test_double_encoded_words_are_mended(intended: str) -> None:
    twice = _twice(intended)
    assert twice != intended
    page = f"<p>Đúng: Tân An, và, café.</p><p>{twice}</p>".encode()
    text, issues = decode_html(page, "utf-8")
    assert f"<p>{intended}</p>" in text
    assert "<p>Đúng: Tân An, và, café.</p>" in text  # the correct paragraph is left as it was
    assert issues == ["mojibake_repaired"]


@pytest.mark.parametrize(
    "correct",
    ["Tân An và Đức Hòa", "Café “Ông Ba” à Paris – Â", "Ã is a letter; ã too", "naïve façade"],
)
def test_correct_text_is_never_mended(correct: str) -> None:
    text, issues = decode_html(f"<p>{correct}</p>".encode(), "utf-8")
    assert text == f"<p>{correct}</p>" and issues == []
