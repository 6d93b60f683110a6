"""crawler/extract.py: the record assembly around the page modules."""

from __future__ import annotations

import pytest

from crawler.editions import Editions
from crawler.extract import RECORD_FIELDS, build_record, page_kind


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
