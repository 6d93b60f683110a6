"""The output contract: schemas, dataclasses, field table and the stable-names guard agree.

Regenerate docs/fields.md and add a new schema version to tests/schema_snapshot.json with
`UPDATE_CONTRACT=1 pytest tests/test_schema.py`; review the diff. An existing version's snapshot is
never rewritten: changing fields means bumping `crawler.items.SCHEMA_VERSION` (and the schemas' const).
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
import typing
import unicodedata
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from crawler import schema
from crawler.items import (
    NESTED_CLASSES,
    RECORD_CLASSES,
    SCHEMA_VERSION,
    ArticleRecord,
    Image,
    Rejected,
    SchemaError,
    Section,
    Tombstone,
    content_hash,
    field_docs,
    utc_timestamp,
)
from crawler.schema import field_table_markdown, rejected_row, schema_shape, validate

ROOT = Path(__file__).resolve().parents[1]
FIELDS_MD = ROOT / "docs" / "fields.md"
SNAPSHOT = Path(__file__).with_name("schema_snapshot.json")
UPDATE = os.environ.get("UPDATE_CONTRACT") == "1"

VI = "http://127.0.0.1:8001"


def article(**changes: Any) -> dict[str, Any]:
    """A valid article record; `changes` are applied before the content hash is computed."""
    r: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "type": "article",
        "id": "baolongan:188491",
        "article_id": 188491,
        "album_id": None,
        "video_id": None,
        "run_id": "20250120T112233Z-3f9a1c",
        "version": 1,
        "edition": "vi",
        "editions_seen": ["vi"],
        "language": "vi",
        "url": f"{VI}/cho-tre-lam-quen-voi-tieng-anh-a188491.html",
        "urls_seen": [
            f"{VI}/cho-tre-lam-quen-voi-tieng-anh-a188491.html",
            f"{VI}/slug-khac-a188491.html",
        ],
        "canonical_url": "https://baolongan.vn/cho-tre-lam-quen-voi-tieng-anh-a188491.html",
        "sections": [
            {"slug": "doi-song-xa-hoi", "name": "Đời sống - Xã hội"},
            {"slug": "thoi-su-chinh-tri/long-an", "name": "Long An"},
        ],
        "fetched_at": "2025-01-20T11:22:40Z",
        "first_seen": "2025-01-20T11:22:40Z",
        "last_seen": "2025-01-20T11:22:40Z",
        "kicker": "Tân An",
        "title": "Cho trẻ làm quen với tiếng Anh",
        "lead": "Nhiều phụ huynh quan tâm đến việc cho trẻ học tiếng Anh từ sớm.",
        "body_text": "Đoạn thứ nhất của bài viết.\n\nTiêu đề phụ\n\nCột một | Cột hai\n\nHết bài ./.",
        "body_html": (
            "<p>Đoạn thứ nhất của bài viết.</p>\n<p><strong>Tiêu đề phụ</strong></p>\n"
            '<p><img src="https://www.baolongan.vn/image/news/2022/20220120/images/a%20b.jpg" alt=""></p>'
        ),
        "images": [
            {
                "url": "https://www.baolongan.vn/image/news/2022/20220120/images/a%20b.jpg",
                "position": 0,
                "caption_raw": "Trẻ học tiếng Anh (Ảnh: KDL cung cấp)",
                "caption": "Trẻ học tiếng Anh",
                "credit": "KDL cung cấp",
            },
            {
                "url": "http://image.baolongan.vn/news/2015/ảnh-lớp-học.jpg",
                "position": 1,
                "caption_raw": None,
                "caption": None,
                "credit": None,
            },
        ],
        "byline_raw": "Hữu Bằng- Thanh Hiểu",
        "authors": ["Hữu Bằng", "Thanh Hiểu"],
        "translators": [],
        "source_credit": None,
        "published_raw": "20/01/2022 - 18:20",
        "published_at": "2022-01-20T18:20:00+07:00",
        "published_precision": "minute",
        "links": ["baolongan:186970"],
        "translation_of": None,
        "source_url": None,
        "translations": [],
        "media": [],
        "content_hash": "",
        "warc_filename": "20250120T112233Z-3f9a1c-00000.warc.gz",
        "warc_record_id": "<urn:uuid:0f8fad5b-d9cb-469f-a165-70867728950e>",
        "warc_payload_digest": "sha1:2ZQOZ5KQJAM3NB4QDZWS4RPBD4X2JXVH",
        "quality_issues": ["charset_repaired"],
    }
    r.update(changes)
    r["content_hash"] = content_hash(r)
    return r


def album(**changes: Any) -> dict[str, Any]:
    r = article(
        type="album",
        id="baolongan:album:en:4521",
        article_id=None,
        album_id=4521,
        edition="en",
        editions_seen=["en", "vi"],
        language="en",
        url="http://127.0.0.1:8002/view-albumphoto/long-an-spring.4521.html?pid=3",
        urls_seen=["http://127.0.0.1:8002/view-albumphoto/long-an-spring.4521.html?pid=3"],
        canonical_url="https://news.baolongan.vn/view-albumphoto/long-an-spring.4521.html",
        sections=[],
        kicker=None,
        title="Long An in spring",
        lead="Flowers along the Vam Co Dong river.",
        body_text=None,
        body_html=None,
        byline_raw="(Translated by Kim Khanh)",
        authors=[],
        translators=["Kim Khanh"],
        published_raw=None,
        published_at=None,
        published_precision=None,
        links=[],
        quality_issues=["no_date"],
    )
    r.update(changes)
    r["content_hash"] = content_hash(r)
    return r


def video(**changes: Any) -> dict[str, Any]:
    r = article(
        type="video",
        id="baolongan:video:vi:2982",
        article_id=None,
        video_id=2982,
        url=f"{VI}/video/xem-video/dong-nguoi-un-un-ve-que-nghi-le-2982.html",
        urls_seen=[f"{VI}/video/xem-video/dong-nguoi-un-un-ve-que-nghi-le-2982.html"],
        canonical_url="https://baolongan.vn/video/xem-video/dong-nguoi-un-un-ve-que-nghi-le-2982.html",
        sections=[{"slug": "video", "name": "Video"}],
        kicker=None,
        title="Dòng người ùn ùn về quê nghỉ lễ",
        body_text=None,
        body_html=None,
        images=[
            {"url": "https://www.baolongan.vn/image/video/2024/20240430/2982.jpg", "position": 0,
             "caption_raw": None, "caption": None, "credit": None}
        ],
        byline_raw=None,
        authors=[],
        links=[],
        media=[
            {"url": "https://www.baolongan.vn/media/video/2024/2982.mp4", "type": "video/mp4"},
            {"url": "https://www.youtube.com/embed/dQw4w9WgXcQ", "type": "embed"},
        ],
        quality_issues=[],
    )  # fmt: skip
    r.update(changes)
    r["content_hash"] = content_hash(r)
    return r


def tombstone(**changes: Any) -> dict[str, Any]:
    r: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "type": "article",
        "id": "baolongan:188491",
        "url": f"{VI}/cho-tre-lam-quen-voi-tieng-anh-a188491.html",
        "status": "gone",
        "http_status": 404,
        "redirect_to": None,
        "last_seen_live": "2025-01-20T11:22:40Z",
        "detected_at": "2025-02-01T08:00:00Z",
        "run_id": "20250201T075900Z-77aa01",
    }
    r.update(changes)
    return r


def failures(record: Any, stream: str = "articles") -> set[tuple[str, str]]:
    return {(e["path"], e["rule"]) for e in validate(record, stream)}


# --- valid records ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "record, stream",
    [
        (article(), "articles"),
        (album(), "articles"),
        (video(), "articles"),
        (article(published_at="2022-01-20T00:00:00+07:00", published_precision="day"), "articles"),
        (tombstone(), "tombstones"),
        (tombstone(http_status=301, redirect_to="https://baolongan.vn/"), "tombstones"),
        (tombstone(type="album", id="baolongan:album:vi:12", last_seen_live=None), "tombstones"),
        (tombstone(type="video", id="baolongan:video:vi:12"), "tombstones"),
        (article(), "latest"),
        (tombstone(), "latest"),
    ],
    ids=["article", "album", "video", "day-precision", "tombstone", "redirect", "album-tombstone",
         "video-tombstone", "latest-article", "latest-tombstone"],
)  # fmt: skip
def test_valid_records_pass(record: dict[str, Any], stream: str) -> None:
    assert validate(record, stream) == []


def test_dataclass_instances_validate_and_round_trip() -> None:
    for data in (article(), album()):
        rec = ArticleRecord.from_dict(data)
        assert isinstance(rec.images[0], Image) and all(
            isinstance(s, Section) for s in rec.sections
        )
        assert rec.to_dict() == data
        assert list(rec.to_dict()) == list(data)
        assert validate(rec, "articles") == []
    stone = Tombstone.from_dict(tombstone())
    assert validate(stone, "tombstones") == []


def test_rejected_rows_validate() -> None:
    bad = article(language="fr")
    errors = validate(bad, "articles")
    row = rejected_row(bad, "articles", errors, "20250120T112233Z-3f9a1c")
    assert validate(row, "rejected") == []
    assert row["id"] == "baolongan:188491" and row["record"] == bad
    assert Rejected.from_dict(row).to_dict() == row
    assert isinstance(Rejected.from_dict(row).errors[0], SchemaError)
    assert failures({**row, "errors": []}, "rejected") == {("$.errors", "minItems")}
    nameless = rejected_row({"title": "x"}, "tombstones", errors, "r1")
    assert nameless["id"] is None and validate(nameless, "rejected") == []


# --- formats are really enforced --------------------------------------------------------------


def test_format_checker_is_active() -> None:
    for stream in schema.SCHEMA_FILES:
        checker = schema._validator(stream).format_checker
        assert checker is not None
        assert {"uri", "iri", "date-time"} <= set(checker.checkers)
    # Values that pass the schemas' patterns, so only the format check can reject them.
    assert ("$.fetched_at", "format") in failures(article(fetched_at="2025-02-30T11:22:40Z"))
    assert ("$.published_at", "format") in failures(
        article(published_at="2022-13-20T18:20:00+07:00")
    )
    assert ("$.canonical_url", "format") in failures(
        article(canonical_url="https://baolongan.vn/a b")
    )


# --- negative cases: each names the failing path ----------------------------------------------

NFD_TITLE = unicodedata.normalize("NFD", "Cho trẻ làm quen với tiếng Anh")


def _without(field: str) -> dict[str, Any]:
    r = article()
    del r[field]
    return r


def _image(**changes: Any) -> dict[str, Any]:
    r = article()
    r["images"][0].update(changes)
    r["content_hash"] = content_hash(r)
    return r


NEGATIVE = {
    # malformed date-times
    "date-time-garbage": (article(fetched_at="yesterday"), "$.fetched_at", "format"),
    "date-time-hour-25": (article(last_seen="2025-01-20T25:00:00Z"), "$.last_seen", "format"),
    "date-time-no-zone": (article(first_seen="2025-01-20T11:22:40"), "$.first_seen", "pattern"),
    "utc-with-offset": (article(fetched_at="2025-01-20T18:22:40+07:00"), "$.fetched_at", "pattern"),
    "utc-fraction": (article(fetched_at="2025-01-20T11:22:40.5Z"), "$.fetched_at", "pattern"),
    "published-z": (article(published_at="2022-01-20T11:20:00Z"), "$.published_at", "pattern"),
    "published-+08": (
        article(published_at="2022-01-20T19:20:00+08:00"),
        "$.published_at",
        "pattern",
    ),
    "published-date-only": (article(published_at="2022-01-20"), "$.published_at", "format"),
    "day-precision-with-time": (
        article(published_precision="day"),
        "$.published_at",
        "pattern",
    ),
    "date-without-precision": (
        article(published_precision=None),
        "$.published_precision",
        "type",
    ),
    "precision-without-date": (
        album(published_precision="minute"),
        "$.published_precision",
        "type",
    ),
    # malformed URLs
    "url-space": (
        article(url=f"{VI}/a b-a188491.html", urls_seen=[f"{VI}/a b-a188491.html"]),
        "$.url",
        "format",
    ),
    "url-relative": (
        article(url="/x-a188491.html", urls_seen=["/x-a188491.html"]),
        "$.url",
        "format",
    ),
    "url-no-host": (article(url="http://", urls_seen=["http://"]), "$.url", "pattern"),
    "urls-seen-item": (
        article(urls_seen=[*article()["urls_seen"], "not a url"]),
        "$.urls_seen[2]",
        "format",
    ),
    "canonical-not-production": (
        article(canonical_url=f"{VI}/cho-tre-a188491.html"),
        "$.canonical_url",
        "pattern",
    ),
    "image-url": (_image(url="www.baolongan.vn/image/a.jpg"), "$.images[0].url", "format"),
    "image-url-space": (
        _image(url="https://www.baolongan.vn/image/a b.jpg"),
        "$.images[0].url",
        "format",
    ),
    "redirect-to": (
        tombstone(http_status=301, redirect_to="elsewhere"),
        "$.redirect_to",
        "format",
    ),
    # codes and enums
    "language": (article(language="vn"), "$.language", "enum"),
    "edition": (article(edition="fr"), "$.edition", "enum"),
    "editions-seen": (article(editions_seen=["vi", "xx"]), "$.editions_seen[1]", "enum"),
    "type": (article(type="podcast"), "$.type", "enum"),
    "video-id-mismatch": (video(video_id=2983), "$.id", "contract:id"),
    "video-with-article-id": (video(article_id=2982), "$.article_id", "type"),
    "schema-version": (article(schema_version="0.9.0"), "$.schema_version", "const"),
    # missing, extra, wrong type
    "missing-title": (_without("title"), "$.title", "required"),
    "missing-warc": (_without("warc_record_id"), "$.warc_record_id", "required"),
    "extra-field": (article(_fetch={"url": "x"}), "$._fetch", "additionalProperties"),
    "extra-image-field": (_image(alt=""), "$.images[0].alt", "additionalProperties"),
    "version-string": (article(version="1"), "$.version", "type"),
    "version-zero": (article(version=0), "$.version", "minimum"),
    "article-id-string": (article(article_id="188491"), "$.article_id", "type"),
    "authors-string": (article(authors="Hữu Bằng"), "$.authors", "type"),
    "position-negative": (_image(position=-1), "$.images[0].position", "minimum"),
    "warc-not-a-file": (article(warc_filename="x.txt"), "$.warc_filename", "pattern"),
    "bool-is-not-int": (article(version=True), "$.version", "type"),
    # ids
    "id-pattern": (article(id="baolongan:a188491"), "$.id", "pattern"),
    "id-leading-zero": (article(id="baolongan:0188491"), "$.id", "pattern"),
    "album-id-edition": (album(id="baolongan:album:fr:4521"), "$.id", "pattern"),
    "album-with-article-id": (album(id="baolongan:4521"), "$.id", "pattern"),
    "article-with-album-id": (article(id="baolongan:album:vi:188491"), "$.id", "pattern"),
    "album-article-id-set": (album(article_id=4521), "$.article_id", "type"),
    "article-missing-number": (article(article_id=None), "$.article_id", "type"),
    "link-pattern": (article(links=["baolongan:album:vi:3"]), "$.links[0]", "pattern"),
    "link-repeat": (
        article(links=["baolongan:186970", "baolongan:186970"]),
        "$.links",
        "uniqueItems",
    ),
    "tombstone-id": (tombstone(id="188491"), "$.id", "pattern"),
    # hashes and archive pointers
    "content-hash-pattern": (
        {**article(), "content_hash": "ABC"},
        "$.content_hash",
        "pattern",
    ),
    "warc-digest": (article(warc_payload_digest="sha1:abc"), "$.warc_payload_digest", "pattern"),
    "warc-record-id": (article(warc_record_id="urn:uuid:x"), "$.warc_record_id", "pattern"),
    # Python's `$` matches before a final newline; the schemas' patterns must not
    "url-final-newline": (
        article(url=f"{VI}/x-a188491.html\n", urls_seen=[f"{VI}/x-a188491.html\n"]),
        "$.url",
        "pattern",
    ),
    "utc-final-newline": (article(fetched_at="2025-01-20T11:22:40Z\n"), "$.fetched_at", "pattern"),
    "id-final-newline": (article(id="baolongan:188491\n"), "$.id", "pattern"),
    "title-final-newline": (article(title="Cho trẻ\n"), "$.title", "pattern"),
    # text rules
    "title-empty": (article(title=""), "$.title", "pattern"),
    "title-double-space": (article(title="Cho trẻ  làm quen"), "$.title", "pattern"),
    "title-trailing-space": (article(title="Cho trẻ "), "$.title", "pattern"),
    "title-newline": (article(title="Cho trẻ\nlàm quen"), "$.title", "pattern"),
    "caption-nbsp": (_image(caption="Trẻ\u00a0học"), "$.images[0].caption", "pattern"),
    "body-three-newlines": (
        article(body_text="Đoạn một.\n\n\nĐoạn hai."),
        "$.body_text",
        "pattern",
    ),
    "body-html-tab": (article(body_html="<p>\tx</p>"), "$.body_html", "pattern"),
    "section-slug-slash": (
        article(sections=[{"slug": "/kinh-te/", "name": "Kinh tế"}]),
        "$.sections[0].slug",
        "pattern",
    ),
    "quality-code": (article(quality_issues=["No Title"]), "$.quality_issues[0]", "pattern"),
    # tombstones
    "tombstone-status": (tombstone(status="live"), "$.status", "const"),
    "tombstone-404-redirect": (
        tombstone(redirect_to="https://baolongan.vn/"),
        "$.redirect_to",
        "type",
    ),
    "tombstone-301-no-target": (tombstone(http_status=301), "$.redirect_to", "type"),
    "tombstone-200": (tombstone(http_status=200), "$.http_status", "minimum"),
    "tombstone-local-time": (
        tombstone(detected_at="2025-02-01T15:00:00+07:00"),
        "$.detected_at",
        "pattern",
    ),
}


@pytest.mark.parametrize("case", list(NEGATIVE))
def test_rejected_with_failing_path(case: str) -> None:
    record, path, rule = NEGATIVE[case]
    stream = "tombstones" if "status" in record else "articles"
    errors = validate(record, stream)
    assert (path, rule) in {(e["path"], e["rule"]) for e in errors}, errors
    assert all(e["message"] for e in errors)


@pytest.mark.parametrize(
    "char",
    ["\x00", "\t", "\r", "\x0b", "\x7f", "\x85", "\u200b", "\u200d", "\u2060", "\ufeff", "\ufffd"],
)
def test_forbidden_characters(char: str) -> None:
    for field in ("title", "body_text", "body_html"):
        errors = validate(article(**{field: f"Cho trẻ{char}làm quen"}), "articles")
        assert (f"$.{field}", "pattern") in {(e["path"], e["rule"]) for e in errors}
        message = next(e["message"] for e in errors if e["path"] == f"$.{field}")
        assert f"U+{ord(char):04X}" in message


def test_long_values_are_shortened_in_messages() -> None:
    body = "Đoạn văn dài. " * 5000 + " "
    (error,) = validate(article(body_text=body), "articles")
    assert error["path"] == "$.body_text" and len(error["message"]) < 300
    assert "whitespace" in error["message"]


CROSS_FIELD = {
    "nfc": (article(title=NFD_TITLE), "$.title", "contract:nfc"),
    "nfc-nested": (_image(caption=unicodedata.normalize("NFD", "ảnh")), "$.images[0].caption",
                   "contract:nfc"),
    "hash": ({**article(), "title": "Tiêu đề khác"}, "$.content_hash", "contract:content_hash"),
    "id-number": (article(article_id=188492), "$.id", "contract:id"),
    "album-id-number": (album(album_id=4522), "$.id", "contract:id"),
    "url-not-seen": (article(urls_seen=[f"{VI}/slug-khac-a188491.html"]), "$.url",
                     "contract:url_in_urls_seen"),
    "urls-unsorted": (article(urls_seen=list(reversed(article()["urls_seen"]))), "$.urls_seen",
                      "contract:sorted"),
    "editions-unsorted": (album(editions_seen=["vi", "en"]), "$.editions_seen", "contract:sorted"),
    "edition-en-not-seen": (article(edition="en"), "$.edition", "contract:edition"),
    "edition-vi-but-en-seen": (article(editions_seen=["en", "vi"]), "$.edition",
                               "contract:edition"),
    "sections-unsorted": (article(sections=list(reversed(article()["sections"]))), "$.sections",
                          "contract:sorted"),
    "sections-repeat": (article(sections=[article()["sections"][0]] * 2), "$.sections",
                        "contract:unique"),
    "self-link": (article(links=["baolongan:188491"]), "$.links", "contract:self_link"),
    "seen-order": (article(first_seen="2025-01-21T00:00:00Z"), "$.last_seen",
                   "contract:seen_order"),
    "tombstone-order": (tombstone(last_seen_live="2025-03-01T00:00:00Z"), "$.detected_at",
                        "contract:seen_order"),
}  # fmt: skip


@pytest.mark.parametrize("case", list(CROSS_FIELD))
def test_cross_field_checks(case: str) -> None:
    record, path, rule = CROSS_FIELD[case]
    stream = "tombstones" if "status" in record else "articles"
    assert (path, rule) in failures(record, stream)


def _all_fixtures() -> list[tuple[dict[str, Any], str]]:
    cases = [(r, "tombstones" if "status" in r else "articles") for r, _, _ in NEGATIVE.values()]
    cases += [
        (r, "tombstones" if "status" in r else "articles") for r, _, _ in CROSS_FIELD.values()
    ]
    cases += [(article(), "articles"), (album(), "articles"), (tombstone(), "tombstones")]
    return cases


def test_fast_and_reference_engines_agree() -> None:
    for record, stream in _all_fixtures():
        try:
            schema._fast(stream)(record)
            fast_ok = True
        except schema.fastjsonschema.JsonSchemaValueException:
            fast_ok = False
        assert fast_ok == schema._validator(stream).is_valid(record), record


def test_engine_disagreement_is_not_silent(monkeypatch: pytest.MonkeyPatch) -> None:
    class Lenient:
        def iter_errors(self, record: Any) -> list[Any]:
            return []

    monkeypatch.setattr(schema, "_validator", lambda stream: Lenient())
    assert failures(article(language="vn")) == {("$.language", "enum")}


def test_errors_are_sorted_and_unique() -> None:
    r = article(language="fr", version=0, title="")
    del r["lead"]
    r["content_hash"] = content_hash(r)
    errors = validate(r, "articles")
    keys = [(e["path"], e["rule"]) for e in errors]
    assert keys == sorted(set(keys))
    assert [p for p, _ in keys] == ["$.language", "$.lead", "$.title", "$.version"]


def test_unknown_stream() -> None:
    with pytest.raises(ValueError, match="unknown stream"):
        validate(article(), "articels")


def test_non_object_record() -> None:
    assert failures([1, 2], "articles") == {("$", "type")}


# --- content hash -----------------------------------------------------------------------------


def test_content_hash_ignores_the_visit() -> None:
    base = article()
    visit = article(
        url=f"{VI}/slug-khac-a188491.html",
        sections=[],
        fetched_at="2026-01-01T00:00:00Z",
        run_id="other",
        version=7,
        edition="en",
        urls_seen=[],
        quality_issues=[],
        body_html="<p>other chrome</p>",
        byline_raw=None,
        published_raw="x",
        warc_record_id="<urn:uuid:00000000-0000-0000-0000-000000000000>",
    )
    assert content_hash(visit) == content_hash(base)
    base["images"][0]["position"] = 9
    base["images"][0]["caption_raw"] = "something else"
    assert content_hash(base) == base["content_hash"]
    assert content_hash(dict(reversed(list(base.items())))) == base["content_hash"]
    assert content_hash(ArticleRecord.from_dict(base)) == base["content_hash"]


@pytest.mark.parametrize(
    "field, value",
    [("title", "Khác"), ("kicker", None), ("lead", "Khác"), ("body_text", "Khác"),
     ("authors", ["Thanh Hiểu", "Hữu Bằng"]), ("translators", ["Kim Khanh"]),
     ("published_at", "2022-01-20T18:21:00+07:00")],
)  # fmt: skip
def test_content_hash_covers_the_content(field: str, value: Any) -> None:
    assert article(**{field: value})["content_hash"] != article()["content_hash"]


@pytest.mark.parametrize("key", ["url", "caption", "credit"])
def test_content_hash_covers_images(key: str) -> None:
    changed = copy.deepcopy(article())
    changed["images"][0][key] = "https://www.baolongan.vn/image/x.jpg" if key == "url" else "Khác"
    assert content_hash(changed) != article()["content_hash"]
    reordered = copy.deepcopy(article())
    reordered["images"].reverse()
    assert content_hash(reordered) != article()["content_hash"]


def test_content_hash_is_pinned() -> None:
    # A change here re-versions every archived record: bump SCHEMA_VERSION (major) if intended.
    record = {"title": "Tiêu đề", "images": [{"url": "https://www.baolongan.vn/image/a.jpg"}]}
    canonical = (
        '{"authors":[],"body_text":null,"images":[{"caption":null,"credit":null,'
        '"url":"https://www.baolongan.vn/image/a.jpg"}],"kicker":null,"lead":null,'
        '"published_at":null,"title":"Tiêu đề","translators":[]}'
    )
    assert content_hash(record) == hashlib.sha256(canonical.encode("utf-8")).hexdigest()
    assert (
        content_hash(record) == "fbc8639c67989b55fd4aafb4d6c477f3507fc151891dc036538f47058c5a1b55"
    )


def test_utc_timestamp() -> None:
    ict = timezone(timedelta(hours=7))
    assert utc_timestamp(datetime(2025, 1, 20, 18, 22, 40, 123456, tzinfo=ict)) == (
        "2025-01-20T11:22:40Z"
    )
    assert validate(article(fetched_at=utc_timestamp(datetime.now(UTC))), "articles") == []
    with pytest.raises(ValueError):
        utc_timestamp(datetime(2025, 1, 20))


# --- dataclasses, schemas and docs agree ------------------------------------------------------

_JSON_OF = {str: "string", int: "integer", float: "number", bool: "boolean", dict: "object"}


def _hint_types(hint: Any) -> tuple[set[str], Any]:
    """(JSON types of a type hint, the list item hint or None)."""
    args = typing.get_args(hint)
    origin = typing.get_origin(hint)
    if origin is typing.Union or (origin is not None and type(None) in args):
        types: set[str] = set()
        item = None
        for arg in args:
            t, i = _hint_types(arg)
            types |= t
            item = item or i
        return types, item
    if hint is type(None):
        return {"null"}, None
    if origin is typing.Literal:
        return {_JSON_OF[type(a)] for a in args}, None
    if origin is list:
        return {"array"}, args[0]
    if origin is dict:
        return {"object"}, None
    if isinstance(hint, type) and hint in NESTED_CLASSES_TYPES:
        return {"object"}, None
    return {_JSON_OF[hint]}, None


def _literal_values(hint: Any) -> list[Any]:
    if typing.get_origin(hint) is typing.Literal:
        return list(typing.get_args(hint))
    if typing.get_origin(hint) is list:
        return []
    return [v for arg in typing.get_args(hint) for v in _literal_values(arg)]


NESTED_CLASSES_TYPES = {c for nested in NESTED_CLASSES.values() for c in nested.values()}


def _check_class_against_schema(cls: type, node: dict[str, Any], root: dict[str, Any]) -> None:
    node = schema._resolve(node, root)
    props = node["properties"]
    docs = field_docs(cls)
    hints = typing.get_type_hints(cls)
    assert list(props) == list(docs), f"{cls.__name__}: fields and schema properties differ"
    assert node["required"] == list(docs), f"{cls.__name__}: not every field is required"
    assert node["additionalProperties"] is False
    for name, raw in props.items():
        prop = schema._resolve(raw, root)
        types, item_hint = _hint_types(hints[name])
        schema_types = set(schema._types(prop))
        assert types == schema_types, f"{cls.__name__}.{name}: {types} != {schema_types}"
        assert prop["description"] == docs[name], f"{cls.__name__}.{name}: description differs"
        literals = _literal_values(hints[name])
        if literals:
            allowed = (
                [v for v in prop["enum"] if v is not None] if "enum" in prop else [prop["const"]]
            )
            assert allowed == literals, f"{cls.__name__}.{name}: {allowed} != {literals}"
        if item_hint is not None:
            item = schema._resolve(prop["items"], root)
            if item_hint in NESTED_CLASSES_TYPES:
                assert NESTED_CLASSES[cls.__name__][name] is item_hint
                _check_class_against_schema(item_hint, item, root)
            else:
                item_types, _ = _hint_types(item_hint)
                assert item_types == set(schema._types(item)), f"{cls.__name__}.{name}[]"
                if _literal_values(item_hint):
                    assert item["enum"] == _literal_values(item_hint), f"{cls.__name__}.{name}[]"


@pytest.mark.parametrize("stream", list(schema.SCHEMA_FILES))
def test_dataclass_and_schema_agree(stream: str) -> None:
    root = schema.load_schema(stream)
    _check_class_against_schema(RECORD_CLASSES[stream], root, root)
    assert root["properties"]["schema_version"]["const"] == SCHEMA_VERSION
    assert root["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert root["$id"].endswith(schema.SCHEMA_FILES[stream])


def test_every_field_is_documented() -> None:
    for cls in (*RECORD_CLASSES.values(), *NESTED_CLASSES_TYPES):
        for name, doc in field_docs(cls).items():
            assert doc and "\n" not in doc and doc == doc.strip(), f"{cls.__name__}.{name}"


def test_fields_md_has_the_generated_table() -> None:
    table = field_table_markdown()
    if UPDATE:
        text = FIELDS_MD.read_text(encoding="utf-8")
        start, end = text.index(_BEGIN) + len(_BEGIN), text.index(_END)
        FIELDS_MD.write_text(text[:start] + "\n\n" + table + "\n" + text[end:], encoding="utf-8")
    text = FIELDS_MD.read_text(encoding="utf-8")
    assert text.count(table) == 1, "docs/fields.md is stale: run UPDATE_CONTRACT=1 pytest"
    start, end = text.index(_BEGIN) + len(_BEGIN), text.index(_END)
    assert text[start:end].strip() == table.strip()


def test_readme_has_the_generated_table() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start, end = text.index(_BEGIN) + len(_BEGIN), text.index(_END)
    assert text[start:end].strip() == field_table_markdown().strip(), (
        "README.md's field table is stale: paste field_table_markdown() between the markers"
    )


_BEGIN = "<!-- BEGIN field_table_markdown() -->"
_END = "<!-- END field_table_markdown() -->"


# --- stable field names -----------------------------------------------------------------------


def _semver(v: str) -> tuple[int, int, int]:
    major, minor, patch = (int(x) for x in v.split("."))
    return major, minor, patch


def _shape_problems(recorded: dict[str, Any], shape: dict[str, Any]) -> list[str]:
    """What differs between a snapshot and the current shape, in words."""
    problems = []
    for stream in sorted(set(recorded) | set(shape)):
        old, new = recorded.get(stream, {}), shape.get(stream, {})
        problems += [f"{stream}.{f} removed" for f in old if f not in new]
        problems += [
            f"{stream}.{f}: {old[f]} -> {new[f]}" + (" added" if _widened(old[f], new[f]) else "")
            for f in old
            if f in new and old[f] != new[f]
        ]
        problems += [f"{stream}.{f} added" for f in new if f not in old]
    return problems


def _widened(old: Any, new: Any) -> bool:
    """An enum that gained values and lost none (`string{article,album}` ->
    `string{article,album,video}`): every record valid before stays valid, like an added field."""
    if not (isinstance(old, str) and isinstance(new, str) and old.endswith("}")):
        return False
    o_type, _, o_vals = old[:-1].partition("{")
    n_type, _, n_vals = new[:-1].partition("{")
    return o_type == n_type and set(o_vals.split(",")) < set(n_vals.split(","))


def test_field_names_are_stable() -> None:
    shape = schema_shape()
    snapshot = json.loads(SNAPSHOT.read_text(encoding="utf-8")) if SNAPSHOT.exists() else {}
    versions: dict[str, Any] = snapshot.setdefault("versions", {})
    if UPDATE and SCHEMA_VERSION not in versions:
        versions[SCHEMA_VERSION] = shape
        snapshot["versions"] = dict(sorted(versions.items(), key=lambda kv: _semver(kv[0])))
        SNAPSHOT.write_text(json.dumps(snapshot, indent=2, ensure_ascii=False) + "\n", "utf-8")
    assert SCHEMA_VERSION in versions, (
        f"schema_version {SCHEMA_VERSION} has no snapshot: run UPDATE_CONTRACT=1 pytest"
    )
    problems = _shape_problems(versions[SCHEMA_VERSION], shape)
    assert not problems, f"fields changed without a schema_version change: {problems}"


def test_the_guard_sees_changes() -> None:
    shape = schema_shape()
    assert _shape_problems(shape, shape) == []
    changed = copy.deepcopy(shape)
    del changed["articles"]["title"]
    changed["articles"]["version"] = "string"
    changed["tombstones"]["reason"] = "string"
    assert _shape_problems(shape, changed) == [
        "articles.title removed",
        "articles.version: integer -> string",
        "tombstones.reason added",
    ]


def test_version_bumps_follow_semver() -> None:
    """Removing or retyping a field needs a new major version; adding one a new minor version."""
    versions = json.loads(SNAPSHOT.read_text(encoding="utf-8"))["versions"]
    ordered = sorted(versions, key=_semver)
    assert max(ordered, key=_semver) == SCHEMA_VERSION, "SCHEMA_VERSION is not the newest snapshot"
    for old, new in zip(ordered, ordered[1:], strict=False):
        problems = _shape_problems(versions[old], versions[new])
        breaking = any(not p.endswith(" added") for p in problems)
        additive = bool(problems) and not breaking
        if breaking:
            assert _semver(new)[0] > _semver(old)[0], f"{old} -> {new} breaks fields: major bump"
        elif additive:
            assert _semver(new)[:2] > _semver(old)[:2], f"{old} -> {new} adds fields: minor bump"
