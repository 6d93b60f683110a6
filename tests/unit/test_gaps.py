"""crawler.gaps and crawler.gap_report: gaps between known article ids, with their neighbours'
years, kept in the state store; the ids=gaps feeder walks them lazily; the report classifies what
each gap turned out to be."""

from __future__ import annotations

import json
import sys
import tracemalloc

import pytest

from crawler import gap_report, gaps, probes
from crawler.state import StateStore


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        ([], []),
        ([(5, "2020-01-01")], []),
        ([(5, "2020-01-01"), (6, "2020-02-01")], []),
        ([(5, "2020-01-01"), (9, "2021-03-01")], [(6, 8, "2020", "2021")]),
        # an undated known id closes a gap but is nobody's neighbour
        (
            [(5, "2019-05-01"), (7, None), (10, "2019-06-01")],
            [(6, 6, "2019", "2019"), (8, 9, "2019", "2019")],
        ),
        ([(5, None), (8, None)], [(6, 7, "?", "?")]),
    ],
)
def test_find_gaps(rows, expected):
    assert list(gaps.find_gaps(iter(rows))) == expected


@pytest.fixture
def state(tmp_path):
    store = StateStore(tmp_path / "state.sqlite3")
    yield store
    store.close()


def _item(state, n, published):
    state.upsert_item(
        {"id": f"baolongan:{n}", "type": "article", "status": "live", "published_at": published}
    )


def test_record_gaps_uses_archive_and_sightings_but_not_albums(state):
    _item(state, 100, "2018-01-02T08:00:00+07:00")
    _item(state, 110, "2019-01-02T08:00:00+07:00")
    _item(state, 120, "2019-05-02T08:00:00+07:00")
    state.add_sighting("r1", "baolongan:105", "url", "https://baolongan.vn/x-a105.html")
    state.add_sighting("r1", "baolongan:album:vi:107", "url", "https://baolongan.vn/y.107.html")
    state.add_sighting("r0", "baolongan:115", "url", "an older run's sighting names nothing now")
    gaps.record_gaps(state, "r1")
    assert list(gaps.ranges(state, "r1")) == [
        (101, 104, "2018", "2019"),
        (106, 109, "2018", "2019"),
        (111, 119, "2019", "2019"),
    ]
    assert gaps.span(state, "r1") == (101, 119, 17)
    assert gaps.newest_gap_run(state) == "r1"
    found = gap_report.found_summary(state, "r1")
    assert found["gap_ids"] == 17 and found["ranges_count"] == 3
    assert found["by_neighbour_year"] == {
        "2018/2019": {"ranges": 2, "ids": 8},
        "2019": {"ranges": 1, "ids": 9},
    }
    md = "\n".join(gap_report.markdown_lines(found))
    assert "## Id gaps" in md and "| 111-119 | 9 | 2019 | 2019 |" in md and "ids=gaps" in md
    gaps.record_gaps(state, "r2")  # a later run's gaps replace the older set
    assert gaps.newest_gap_run(state) == "r2" and list(gaps.ranges(state, "r1")) == []


def test_gap_feeder_walks_ranges_lazily_and_skips_probed(state, monkeypatch):
    monkeypatch.setattr(gaps, "RANGES_PER_QUERY", 2)
    _item(state, 1, "2016-01-01")
    _item(state, 5000, "2016-02-01")
    for n in range(2, 5000, 3):  # every third id named: gaps of two ids each
        state.add_sighting("r1", f"baolongan:{n}", "url", "u")
    gaps.record_gaps(state, "r1")
    expected = [n for n in range(3, 5000) if (n - 2) % 3]
    state.record_probe(expected[0], 404, "t")
    feeder = gaps.GapFeeder(state, "r1")
    first = feeder.refill()
    assert first == expected[1 : probes.HIGH + 1]
    for _ in first:
        feeder.answered()
    rest = feeder.refill()
    assert first + rest == expected[1:]
    assert feeder.take(10) == []


def test_probe_summary_classifies_each_gap(state):
    _item(state, 10, "2020-01-01")
    _item(state, 20, "2020-02-01")
    gaps.record_gaps(state, "full")  # gap 11-19
    _item(state, 12, "2020-01-05")  # found by probing
    for n in (11, 13, 14):
        state.record_probe(n, 404, "t")
    state.record_probe(12, 200, "t")
    state.record_probe(15, 200, "t")
    state.record_miss("ids", "baolongan:15", "redirected: to https://baolongan.vn/")
    state.record_probe(16, 0, "t")
    figures = gap_report.probe_summary(state, "ids", "full")
    assert figures["outcomes"] == {
        "article": 1,
        "not_found": 3,
        "redirected": 1,
        "failed": 1,
        "not_probed": 3,
    }
    assert figures["found_only_by_probing"] == ["baolongan:12"]
    assert [(r["ids"], r["outcome"]) for r in figures["ranges"]] == [
        ("11", "not_found"),
        ("12", "article"),
        ("13-14", "not_found"),
        ("15", "redirected"),
        ("16", "failed"),
        ("17-19", "not_probed"),
    ]
    assert gap_report.status_of(figures) == "success_with_warnings"
    answered = {**figures, "outcomes": {**figures["outcomes"], "failed": 0, "not_probed": 0}}
    assert gap_report.status_of(answered) == "success"
    none = {**figures, "outcomes": {**dict.fromkeys(gap_report.OUTCOMES, 0), "failed": 9}}
    assert gap_report.status_of(none) == "crawl_failed"
    assert "Found only by probing: `baolongan:12`" in "\n".join(gap_report.markdown_lines(figures))


def test_found_only_by_probing_named_up_to_a_cap_and_counted_in_full(state, monkeypatch):
    _item(state, 10, "2020-01-01")
    _item(state, 30, "2020-02-01")
    gaps.record_gaps(state, "full")  # gap 11-29
    for n in list(range(11, 15)) + list(range(20, 25)):  # two runs of articles found by probing
        _item(state, n, "2020-01-05")
        state.record_probe(n, 200, "t")
    monkeypatch.setattr(gap_report, "JSON_FOUND", 6)
    monkeypatch.setattr(gap_report, "MAX_SHOWN", 3)
    figures = gap_report.probe_summary(state, "ids", "full")
    assert figures["found_only_by_probing"] == [
        "baolongan:11",
        "baolongan:12",
        "baolongan:13",
        "baolongan:14",
        "baolongan:20",
        "baolongan:21",
    ]
    assert figures["found_only_by_probing_count"] == figures["outcomes"]["article"] == 9
    text = "\n".join(gap_report.markdown_lines(figures))
    assert "`baolongan:13`" in text and "`baolongan:14`" not in text
    assert "and 6 more (outcome `article` in the JSON report)" in text


def _gap_rows(state, run_id, count):
    """`count` one-id gap ranges (every other id from 1,001), straight into the gaps table."""
    db = gaps._table(state)
    with db:
        db.executemany(
            "INSERT INTO id_gaps VALUES (?, ?, ?, ?, ?)",
            ((run_id, n, n, "2019", "2020") for n in range(1001, 1001 + 2 * count, 2)),
        )


def test_the_report_holds_the_first_ranges_and_the_file_every_one(state, tmp_path, monkeypatch):
    monkeypatch.setattr(gap_report, "JSON_RANGES", 2)
    monkeypatch.setattr(gap_report, "MAX_SHOWN", 1)
    _gap_rows(state, "r1", 3)
    found = gap_report.found_summary(state, "r1")
    assert found["ranges_count"] == 3 and found["gap_ids"] == 3
    assert [r["ids"] for r in found["ranges"]] == ["1001", "1003"]
    path = tmp_path / "r1.gaps.jsonl"
    gap_report.write_ranges(state, "r1", found, path)
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert [r["ids"] for r in lines] == ["1001", "1003", "1005"]
    assert lines[0] == found["ranges"][0] == {
        "ids": "1001", "first": 1001, "last": 1001, "count": 1, "below": "2019", "above": "2020",
    }  # fmt: skip
    assert found["ranges_file"] == "r1.gaps.jsonl"
    assert "… 2 more ranges in `r1.gaps.jsonl`." in "\n".join(gap_report.markdown_lines(found))


def test_probed_ranges_stream_to_the_file(state, tmp_path, monkeypatch):
    monkeypatch.setattr(gap_report, "JSON_RANGES", 1)
    _gap_rows(state, "full", 3)  # ids 1001, 1003, 1005
    state.record_probe(1001, 404, "t")
    state.record_probe(1003, 200, "t")
    _item(state, 1003, "2020-01-05")
    figures = gap_report.probe_summary(state, "ids", "full")
    assert figures["ranges_count"] == 3 and len(figures["ranges"]) == 1
    assert [(r["ids"], r["outcome"]) for r in figures["notable_ranges"]] == [
        ("1003", "article"),
        ("1005", "not_probed"),
    ]
    path = tmp_path / "ids.gaps.jsonl"
    gap_report.write_ranges(state, "ids", figures, path)
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert [(r["ids"], r["outcome"]) for r in rows] == [
        ("1001", "not_found"),
        ("1003", "article"),
        ("1005", "not_probed"),
    ]
    md = "\n".join(gap_report.markdown_lines(figures))
    assert "| 1003 | 1 | article |" in md and "1 ranges of not-found ids are listed in" in md


def test_summaries_do_not_hold_every_range(state):
    """Memory stays flat with the number of ranges: 20,000 ranges as dicts take ~10 MB."""
    _gap_rows(state, "r1", 20_000)
    tracemalloc.start()
    try:
        found = gap_report.found_summary(state, "r1")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert found["ranges_count"] == 20_000 and len(found["ranges"]) == gap_report.JSON_RANGES
    held = sys.getsizeof(found["ranges"][0]) * 20_000
    assert peak < held / 4, (peak, held)


class _Run:
    def __init__(self, state):
        self.state, self.run_id = state, "r1"


@pytest.mark.parametrize("redis", [False, True])
def test_no_gaps_from_a_redis_mode_worker(state, redis, caplog):
    """A Redis-mode worker's state store holds only its share: the other workers' articles would
    all be gaps. One process computes them; a worker says why it does not."""
    from scrapy.utils.test import get_crawler

    from crawler.context import Asked, crawl_context

    _item(state, 100, "2019-01-02T08:00:00+07:00")
    _item(state, 104, "2019-01-03T08:00:00+07:00")  # a worker of two: 102 is the other's
    settings = {"REDIS_URL": "redis://127.0.0.1:9/0"} if redis else {}
    crawler = get_crawler(settings_dict=settings)
    crawl_context(crawler).asked = Asked()
    caplog.set_level("INFO", logger="crawler.gap_report")
    figures = gap_report.summary(crawler, _Run(state))
    if redis:
        assert figures is None and gaps.newest_gap_run(state) is None
        assert "not computed in Redis mode" in caplog.text
    else:
        assert figures["gap_ids"] == 3 and figures["ranges_count"] == 1
