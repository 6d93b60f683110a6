"""crawler/normalize/record.py: raw fields as the page modules find them -> record fields (all
expected values hand-checked against docs/contract.md's rules)."""

from __future__ import annotations

import copy

from crawler.normalize.record import RECORD_FIELDS, is_raw, normalize_record

RAW = {
    "type": "article",
    "id": "baolongan:1",
    "article_id": 1,
    "album_id": None,
    "video_id": None,
    "canonical_url": "https://baolongan.vn/x-a1.html",
    "kicker": " Hướng tới\u200b Đại hội ",
    "title": "Cho  trẻ\u00a0làm quen với tiếng Anh",
    "lead": "Lúa &amp; rau sạch được mùa",
    "body_text": "Đoạn một của bài viết.\r\n\r\nĐoạn hai.",
    "body_html": "<p>Đoạn một của bài viết.</p>\r\n<p>Đoạn hai.</p>",
    "images": [
        {
            "url": "https://www.baolongan.vn/image/a.jpg",
            "position": 0,
            "caption_raw": "Bà con thu hoạch lúa (Ảnh: Thanh Tùng)",
        }
    ],
    "byline_raw": "Thanh Tùng",
    "published_raw": "20/01/2022 - 18:20",
    "links": [],
    "source_url": None,
    "media": [],
    "_translation_of_url": "https://baolongan.vn/y-a2.html",
    "_raw": True,
}


def test_raw_fields_become_record_fields() -> None:
    before = copy.deepcopy(RAW)
    record, issues = normalize_record(RAW)
    assert before == RAW  # the raw item is read, not changed
    assert tuple(record) == RECORD_FIELDS
    assert issues == []
    assert record["kicker"] == "Hướng tới Đại hội"
    assert record["title"] == "Cho trẻ làm quen với tiếng Anh"
    assert record["lead"] == "Lúa & rau sạch được mùa"
    assert record["body_text"] == "Đoạn một của bài viết.\n\nĐoạn hai."
    assert record["body_html"] == "<p>Đoạn một của bài viết.</p>\n<p>Đoạn hai.</p>"
    assert record["images"] == [
        {
            "url": "https://www.baolongan.vn/image/a.jpg",
            "position": 0,
            "caption_raw": "Bà con thu hoạch lúa (Ảnh: Thanh Tùng)",
            "caption": "Bà con thu hoạch lúa",
            "credit": "Thanh Tùng",
        }
    ]
    assert (record["authors"], record["translators"], record["source_credit"]) == (
        ["Thanh Tùng"],
        [],
        None,
    )
    assert record["published_at"] == "2022-01-20T18:20:00+07:00"
    assert record["published_precision"] == "minute"
    assert record["language"] == "vi"
    assert record["translation_of"] == "baolongan:2"
    assert record["translations"] == []
    assert "_translation_of_url" not in record and "_raw" not in record


def test_rule_issues_and_bad_characters() -> None:
    raw = {
        **RAW,
        "title": "Tiêu đề \ufffd lỗi",
        "published_raw": "31/02/2022",
        "_translation_of_url": "https://baolongan.vn/x-a1.html",  # the page itself
    }
    record, issues = normalize_record(raw)
    assert record["title"] == "Tiêu đề lỗi"
    assert (record["published_at"], record["published_precision"]) == (None, None)
    assert record["translation_of"] is None
    assert issues == ["date_impossible_date", "replacement_characters"]


def test_is_raw() -> None:
    assert is_raw(RAW)
    assert not is_raw(normalize_record(RAW)[0])
