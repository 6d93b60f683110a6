"""crawler/extract.py: the record assembly around the page modules."""

from __future__ import annotations

import random
import unicodedata

import pytest

from crawler.editions import Editions
from crawler.extract import RECORD_FIELDS, _clean_block, build_record, page_kind
from crawler.normalize.text import clean_block

_ALPHABET = (
    "aăâbcdđeêghiklmnoôơpqrstuưvxyàảãáạằẳẵắặầẩẫấậ \n\t\r.<>&;/"
    "\x00\x01\x0b\x0c\x1f\x7f\x85\x9f\u00a0\u00ad\u200b\u200c\u200d\u200e\u2028\u2060\ufeff\ufffd"
    "\u0300\u0301\u0303\u0309\u0323"
)


@pytest.mark.parametrize("seed", range(40))
def test_clean_block_short_circuit_is_exact(seed: int) -> None:
    rnd = random.Random(seed)
    for _ in range(50):
        s = "".join(rnd.choice(_ALPHABET) for _ in range(rnd.randint(0, 40)))
        for text in (s, unicodedata.normalize("NFC", s)):
            assert _clean_block(text) == clean_block(text), repr(text)


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("https://baolongan.vn/cho-tre-a188491.html", "article"),
        ("https://baolongan.vn/xem-albumphoto/le-hoi.1234.html?pid=6", "album"),
        ("http://127.0.0.1:8102/view-albumphoto/beauty.77.html", "album"),
    ],
)
def test_page_kind(url: str, kind: str) -> None:
    assert page_kind(url) == kind


@pytest.mark.parametrize("body", [b"", b"<html></html>", b"\xff\xfe\x00", b"<p>x</p>" * 3])
def test_build_record_never_fails(body: bytes) -> None:
    record, strategies, issues = build_record(
        body, None, "https://baolongan.vn/bai-viet-a1.html", Editions()
    )
    assert list(record) == list(RECORD_FIELDS)
    assert record["id"] == "baolongan:1"
    assert "no_title" in issues and "no_body" in issues
