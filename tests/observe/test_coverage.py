"""Field coverage counted from written records, never from fallback values."""

from __future__ import annotations

import json

import pytest

from crawler.observe import coverage


def article(**fields):
    base = {
        "type": "article",
        "edition": "vi",
        "title": "Tiêu đề",
        "lead": "Sapo",
        "body_text": "Đoạn một.\n\nĐoạn hai.",
        "published_at": "2024-01-05T08:00:00+07:00",
        "authors": ["Kim Hoàng"],
        "images": [],
        "quality_issues": [],
    }
    base.update(fields)
    return base


@pytest.mark.parametrize(
    ("fields", "field", "state"),
    [
        ({}, "title", "present"),
        ({"title": None}, "title", "missing"),
        ({"title": "   "}, "title", "missing"),
        ({"authors": []}, "authors", "missing"),
        ({"images": [{"url": "x"}]}, "images", "present"),
        ({"images": []}, "images", "missing"),
        # the lead was there, but only from og:description: not a lead the page showed
        ({"quality_issues": ["lead_from_meta"]}, "lead", "fallback"),
        ({"quality_issues": ["lead_from_meta"]}, "title", "present"),
        ({"quality_issues": ["no_byline"]}, "authors", "fallback"),
        ({"quality_issues": ["no_byline"], "authors": []}, "authors", "missing"),
        ({"quality_issues": ["no_date"]}, "published_at", "fallback"),
        ({"quality_issues": ["no_body"]}, "body_text", "fallback"),
        ({"quality_issues": ["title_from_jsonld"]}, "title", "fallback"),
        ({"quality_issues": ["title_fallback"]}, "title", "fallback"),
        # a mismatch is suspicious but the value is the page's own: still present
        ({"quality_issues": ["title_slug_mismatch"]}, "title", "present"),
        ({"quality_issues": ["charset_repaired"]}, "body_text", "present"),
        # syndicated: credited to a source, no authors to expect
        ({"authors": [], "source_credit": "TTXVN/Vietnam+"}, "authors", "exempt"),
        ({"authors": [], "source_credit": None}, "authors", "missing"),
        ({"source_credit": "TTXVN/Vietnam+"}, "authors", "present"),
    ],
)
def test_field_state(fields, field, state):
    assert coverage.field_state(article(**fields), field) == state


def test_count_into_a_dict_and_read_back():
    stats: dict = {}
    coverage.count(stats, article())
    coverage.count(stats, article(lead="from meta", quality_issues=["lead_from_meta"]))
    coverage.count(stats, article(lead=None, authors=[], quality_issues=["no_lead", "no_byline"]))
    coverage.count(stats, {"type": "album", "title": "Album", "images": [{"url": "x"}]})
    cov = coverage.from_stats(stats)
    assert stats["coverage/article/records"] == 3
    assert cov["article"]["fields"]["lead"] == {
        "present": 1,
        "fallback": 1,
        "exempt": 0,
        "share": 0.3333,
    }
    assert cov["article"]["fields"]["title"]["share"] == 1.0
    assert cov["article"]["fields"]["authors"]["present"] == 2
    assert cov["album"]["records"] == 1
    assert cov["album"]["fields"]["images"]["share"] == 1.0
    assert cov["album"]["fields"]["body_text"]["share"] == 0.0


def test_count_into_a_scrapy_stats_collector():
    from scrapy.statscollectors import MemoryStatsCollector
    from scrapy.utils.test import get_crawler

    stats = MemoryStatsCollector(get_crawler())
    coverage.count(stats, article())
    assert stats.get_value("coverage/article/present/title") == 1


def test_recount_from_files_equals_the_hook(tmp_path):
    records = [article(), article(edition="en", lead=None), {"type": "album", "edition": "vi"}]
    path = tmp_path / "vi.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    hooked: dict = {}
    for r in records:
        coverage.count(hooked, r)
    recounted = coverage.recount([path])
    assert {k: v for k, v in recounted.items() if k.startswith("coverage/")} == hooked
    assert recounted["records/written/vi"] == 2
    assert recounted["records/written/en"] == 1
    assert recounted["records/written/album"] == 1


def test_every_counted_field_is_a_record_field():
    from crawler.items import ArticleRecord, field_docs

    assert set(coverage.FIELDS) <= set(field_docs(ArticleRecord))


def test_exempt_records_leave_the_share():
    stats: dict = {}
    for _ in range(8):
        coverage.count(stats, article())
    coverage.count(stats, article(authors=[], source_credit="Báo Tây Ninh"))
    coverage.count(stats, article(authors=[]))
    fields = coverage.from_stats(stats)["article"]["fields"]
    assert fields["authors"] == {"present": 8, "fallback": 0, "exempt": 1, "share": 0.8889}
    assert fields["title"]["share"] == 1.0
