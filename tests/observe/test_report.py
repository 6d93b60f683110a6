"""The run report from simulated runs: a real state store and RunContext, stats as the pipelines
count them, no crawl. (End-to-end versions against the replica are in test_e2e.py.)"""

from __future__ import annotations

import itertools
import json
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from scrapy.settings import Settings

from crawler import report as report_mod
from crawler.context import Asked, crawl_context
from crawler.editions import Editions
from crawler.observe import coverage
from crawler.observe.status import decide_status
from crawler.run import RunContext
from crawler.writer import RecordWriter

SIGNATURE = "edition=vi,en;urls_file=None;ids=None;limit=None;full=1"
SECTIONS = {"vi": [("thoi-su", "Thời sự"), ("kinh-te", "Kinh tế")], "en": [("news", "News")]}


class FakeStats:
    def __init__(self, values: dict) -> None:
        self.values = dict(values)

    def get_stats(self) -> dict:
        return self.values

    def inc_value(self, key, n=1, start=0):
        self.values[key] = self.values.get(key, start) + n


@pytest.fixture(autouse=True)
def ordered_run_ids(monkeypatch):
    """Runs started within one second get ids in start order (as runs seconds apart do)."""
    counter = itertools.count(1)
    monkeypatch.setattr("crawler.run.secrets.token_hex", lambda n: f"{next(counter):06d}")


def make_records(n_vi: int, n_en: int, *, lead: bool = True, sections=SECTIONS) -> list[dict]:
    out = []
    for i in range(n_vi + n_en):
        edition = "vi" if i < n_vi else "en"
        month = 1 + i % 12
        slug, name = sections[edition][i % len(sections[edition])]
        out.append(
            {
                "type": "album" if i % 10 == 9 else "article",
                "id": f"baolongan:{1000 + i}",
                "edition": edition,
                "title": f"Title {i}",
                "lead": f"Lead {i}" if lead else None,
                "body_text": "Body.",
                "authors": ["A"],
                "published_at": f"202{i % 3}-{month:02d}-05T08:00:00+07:00",
                "sections": [{"slug": slug, "name": name}],
                "quality_issues": [] if lead else ["no_lead"],
                "version": 1,
            }
        )
    return out


def simulate_run(
    out: Path,
    records: list[dict],
    *,
    resumed_from: str | None = None,
    stats_extra: dict | None = None,
    count_coverage: bool = True,
    full: bool = True,
) -> tuple:
    """What RunExtension and the pipelines do in one run, minus the crawl."""
    run = RunContext(out, Editions("https://baolongan.vn", "https://news.baolongan.vn"), None)
    run.open(SIGNATURE, full=full)  # full runs (`-a full=1`) are comparable and count-gated
    if resumed_from is not None:
        assert run.resumed and run.run_id == resumed_from
    state = run.state
    stats = {
        "items/vi": 1,
        "items/en": 1,
        "downloader/response_count": 100,
        "downloader/request_count": 101,
        "downloader/response_bytes": 123456,
        "downloader/response_status_count/200": 99,
        "downloader/response_status_count/404": 1,
        "extract/title/h1+slug": len(records),
        "normalize/text/title": 3,
        "quality/no_lead": sum("no_lead" in r["quality_issues"] for r in records),
        "start_time": datetime(2025, 6, 30, 1, 0, tzinfo=UTC),
        "finish_time": datetime(2025, 6, 30, 1, 0, tzinfo=UTC) + timedelta(seconds=95),
    }
    stats.update(stats_extra or {})
    writer = RecordWriter(out, run.run_id)
    for r in records:
        path = writer.path("articles", r["edition"])
        writer.append(path, [r])
        state.upsert_item(
            {
                "id": r["id"],
                "type": r["type"],
                "edition": r["edition"],
                "status": "live",
                "version": 1,
                "published_at": r["published_at"],
                "last_run": run.run_id,
            }
        )
        for s in r["sections"]:
            state.add_sighting(run.run_id, r["id"], "section", s["slug"], s["name"])
        if count_coverage:
            coverage.count(stats, r)
            for key in (f"records/written/{r['edition']}", f"records/written/{r['type']}"):
                stats[key] = stats.get(key, 0) + 1
    writer.close()
    crawler = SimpleNamespace(
        stats=FakeStats(stats),
        settings=Settings({"CRAWL_PROFILE": "loopback", "DOWNLOAD_DELAY": 0}),
    )
    # What the spider and the run extension put into the crawl context of a real crawl.
    context = crawl_context(crawler)
    context.component(RunContext, lambda: run)
    context.asked = Asked(editions=("vi", "en"))
    status = decide_status(crawler, "finished")
    result = report_mod.write_report(crawler, run, "finished", status)
    run.finish(status)
    run.release()
    return run, status, result


def read(out: Path, run_id: str, ext: str) -> str:
    return (out / "reports" / f"{run_id}.{ext}").read_text(encoding="utf-8")


def test_first_run_report(tmp_path):
    records = make_records(60, 20)
    run, status, rep = simulate_run(tmp_path, records)
    assert status == "success"
    saved = json.loads(read(tmp_path, run.run_id, "json"))
    assert saved["status"] == "success" and saved["exit_code"] == 0
    assert saved["record_count"] == 80
    assert saved["seen"] == {"en": {"album": 2, "article": 18}, "vi": {"album": 6, "article": 54}}
    assert saved["mode"] == "full" and saved["editions"] == ["vi", "en"]
    assert saved["coverage"]["article"]["records"] == 72
    assert saved["coverage"]["article"]["fields"]["lead"]["share"] == 1.0
    assert {g["gate"]: g["result"] for g in saved["gates"]} == {
        "coverage/title": "pass",
        "coverage/published_at": "pass",
        "coverage/body_text": "pass",
        "coverage/lead": "pass",
        "coverage/authors": "pass",
        "record_count": "skip",
    }
    sections = {(s["edition"], s["slug"]): s["records"] for s in saved["sections"]}
    assert sections == {("vi", "thoi-su"): 30, ("vi", "kinh-te"): 30, ("en", "news"): 20}
    assert sum(saved["months"]["vi"].values()) == 60
    assert saved["months"]["vi"]["2020-01"] == 5
    assert saved["comparison"] is None
    assert saved["http_status"] == {"200": 99, "404": 1}
    md = read(tmp_path, run.run_id, "md")
    assert md.startswith(f"# Run {run.run_id}: success\n")
    assert f"![Records per month per edition; field coverage]({run.run_id}.svg)" in md
    assert "| title | 100.0% | 100.0% | 0 | 0 | h1+slug 80 |" in md
    assert "No previous comparable run" in md
    assert saved["coverage_crawl_wide"] is None and "Whole crawl" not in md  # one process
    svg = ET.fromstring(read(tmp_path, run.run_id, "svg"))
    assert svg.tag == "{http://www.w3.org/2000/svg}svg"
    texts = [t.text for t in svg.iter("{http://www.w3.org/2000/svg}text")]
    assert "vi: 60" in texts and "en: 20" in texts
    assert "lead" in texts and "100.0%" in texts


def test_second_run_compares_and_fails_gates(tmp_path):
    first, _, _ = simulate_run(tmp_path, make_records(60, 20))
    sections = {"vi": [("thoi-su", "Thời sự"), ("the-thao", "Thể thao")], "en": [("news", "News")]}
    # 30 of 80 records (37.5 %), and no lead anywhere
    run, status, _ = simulate_run(tmp_path, make_records(20, 10, lead=False, sections=sections))
    assert status == "quality_gate_failed"
    saved = json.loads(read(tmp_path, run.run_id, "json"))
    gates = {g["gate"]: g for g in saved["gates"]}
    assert gates["coverage/lead"]["result"] == "fail" and gates["coverage/lead"]["figure"] == 0.0
    assert gates["record_count"]["result"] == "fail"
    assert gates["record_count"]["figure"] == 30 / 80
    c = saved["comparison"]
    assert c["run_id"] == first.run_id
    assert c["record_count"] == {"current": 30, "previous": 80, "change": -50, "ratio": 0.375}
    assert [s["section"] for s in c["new_sections"]] == ["vi:the-thao"]
    assert [s["section"] for s in c["vanished_sections"]] == ["vi:kinh-te"]
    assert c["coverage"]["lead"]["change"] == -1.0
    md = read(tmp_path, run.run_id, "md")
    head = md.split("## Quality gates")[0]
    assert "FAILED: lead present: 0.0% (warning below 99%, failure below 95%)" in head
    assert "FAILED: record count vs previous full run: 37.5%" in head
    assert "records -50 (80 → 30)" in head
    assert "`vi:the-thao` Thể thao (10 records)" in md


def test_a_failed_run_is_not_a_baseline(tmp_path):
    first, _, _ = simulate_run(tmp_path, make_records(60, 20))
    failed, status, _ = simulate_run(tmp_path, make_records(10, 5, lead=False))
    assert status == "quality_gate_failed"
    third, status, _ = simulate_run(tmp_path, make_records(60, 20))
    saved = json.loads(read(tmp_path, third.run_id, "json"))
    assert saved["comparison"]["run_id"] == first.run_id
    assert status == "success"


def test_warning_status_and_summary(tmp_path):
    records = make_records(100, 0)
    for r in records[:3]:  # 3 of 90 articles without authors: 96.7 % >= 90 %; lead 97 % < 99 %
        r["lead"], r["quality_issues"] = "x", ["lead_from_meta"]
    run, status, rep = simulate_run(tmp_path, records)
    assert status == "success_with_warnings"
    lines = report_mod.summary_lines(rep)
    assert lines[0] == f"Run {run.run_id}: **success with warnings** (exit 3)"
    assert lines[1].startswith("- WARNING: lead present: 96.7%")
    assert "3 more only from a fallback, not counted" in lines[1]


def test_resumed_run_recounts_coverage_from_its_files(tmp_path):
    run = RunContext(tmp_path, Editions("https://baolongan.vn", "https://news.baolongan.vn"), None)
    run.open(SIGNATURE, full=True)
    crashed = run.run_id
    run.release()  # the crash: the run never finished
    records = make_records(30, 0)
    # the resumed process counted nothing of what the crashed one wrote
    resumed, status, _ = simulate_run(tmp_path, records, resumed_from=crashed, count_coverage=False)
    saved = json.loads(read(tmp_path, crashed, "json"))
    assert saved["resumed"] is True
    assert saved["coverage"]["article"]["records"] == 27
    assert saved["records_written"] == {"album": 3, "article": 27, "vi": 30}
    assert status == "success"


def test_cli_prints_the_newest_summary(tmp_path, capsys):
    run, _, _ = simulate_run(tmp_path, make_records(30, 10))
    assert report_mod.main([str(tmp_path)]) == 0
    printed = capsys.readouterr().out
    assert printed.startswith(f"Run {run.run_id}: success (exit 0)")
    assert f"reports/{run.run_id}.md" in printed
    assert report_mod.main([str(tmp_path / "nothing")]) == 1


def test_a_refresh_is_compared_with_refreshes_only(tmp_path):
    """A default run after the first is a refresh (`incremental`): no record-count gate, and its
    baseline is an earlier refresh, never the full run."""
    simulate_run(tmp_path, make_records(60, 20))
    first, _, rep = simulate_run(tmp_path, make_records(5, 0), full=False)
    assert rep["mode"] == "incremental" and rep["comparison"] is None
    gate = {g["gate"]: g for g in rep["gates"]}["record_count"]
    assert gate["result"] == "skip" and "incremental" in gate["detail"]
    _, _, rep = simulate_run(tmp_path, make_records(5, 0), full=False)
    assert rep["comparison"]["run_id"] == first.run_id


def test_redis_mode_report_shows_the_whole_crawl_before_the_workers_share(tmp_path):
    from crawler.observe.report_markdown import render_markdown

    run, _, _ = simulate_run(tmp_path, make_records(60, 20))
    saved = json.loads(read(tmp_path, run.run_id, "json"))
    whole = json.loads(json.dumps(saved["coverage"]))
    whole["article"]["records"] = 300
    whole["article"]["fields"]["lead"]["share"] = 0.5
    saved["coverage_crawl_wide"] = {"workers": "crawl-wide, 2 worker(s): w0, w1", "coverage": whole}
    md = render_markdown(saved)
    section = md.split("## Field coverage", 1)[1].split("\n## ", 1)[0]
    whole_part, _, own_part = section.partition("This worker's share:")
    assert "Whole crawl (crawl-wide, 2 worker(s): w0, w1):" in whole_part
    assert "| articles (300) |" in whole_part and "| lead | 50.0% |" in whole_part
    assert "| articles (72) |" in own_part and "| lead | 100.0% |" in own_part
    # Strategies are counted per worker: only the worker's own table has that column.
    assert "extraction strategies" not in whole_part and "extraction strategies" in own_part
