"""Progress, reports and quality gates, end to end: real crawls of the replica in subprocesses."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from collections import Counter

import pytest

from crawler.status import EXIT_CODES
from tests.observe.conftest import ARTICLES, SEED, crawl
from tests.observe.terminal import screen
from tests.support import ROOT, article_records, crawl_command, folded_records, replica

pytestmark = pytest.mark.e2e

LOG_HEADER = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \[[\w.]+\] [A-Z]+: ")
PROGRESS_LINE = re.compile(
    r"\[crawler\.observe\.progress\] INFO: progress \d+s: [\d,]+ pages \([\d,]+/min\), "
    r"[\d,]+ records \([\d,]+/min(; [a-z]{2} [\d,]+(, [a-z]{2} [\d,]+)*)?\), [\d,]+ written, "
    r"queue [\d,]+, (listings [\d,]+ left, )?ETA (\d+[hms][\dms]*|unknown \([^)]+\))$",
    re.M,
)


def newest_versions(records: list[dict]) -> dict[str, dict]:
    newest: dict[str, dict] = {}
    for r in records:
        if r["id"] not in newest or r["version"] > newest[r["id"]]["version"]:
            newest[r["id"]] = r
    return newest


# --- progress -----------------------------------------------------------------------------------


def test_progress_lines_in_the_log(history):
    log = history.first.log
    lines = PROGRESS_LINE.findall(log)
    assert lines, "no periodic progress line (PROGRESS_INTERVAL=1):\n" + log[-2000:]
    assert re.search(r"progress done in \d+s \(finished\): [\d,]+ pages, [\d,]+ records", log)
    assert "\x1b[" not in log and "\r" not in log  # not a terminal: no bar


def test_live_bar_on_a_terminal_never_garbles_the_log(tmp_path):
    import fcntl
    import pty
    import struct
    import termios

    with replica(tmp_path / "rep", articles=60, seed=SEED) as rep:
        cmd = crawl_command(rep, tmp_path / "out")
        cmd += ["-s", "PROGRESS_BAR_INTERVAL=0.05", "-s", "PROGRESS_INTERVAL=0.5"]
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 50, 200, 0, 0))
        proc = subprocess.Popen(
            cmd,
            cwd=ROOT,
            stdin=subprocess.DEVNULL,
            stdout=slave,
            stderr=slave,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        os.close(slave)
        chunks = []
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            try:
                data = os.read(master, 65536)
            except OSError:  # EIO: the child closed the terminal
                break
            if not data:
                break
            chunks.append(data)
        os.close(master)
        assert proc.wait(timeout=60) in (EXIT_CODES["success"], EXIT_CODES["success_with_warnings"])
    raw = b"".join(chunks).decode("utf-8", errors="replace")
    assert "| queue " in raw, "the bar was never drawn"
    shown = screen(raw)
    assert not [line for line in shown if "| queue " in line], "the bar was left on the screen"
    headers = [
        line for line in shown if re.search(r" \[[\w.]+\] (DEBUG|INFO|WARNING|ERROR): ", line)
    ]
    assert len(headers) > 10
    garbled = [line for line in headers if not LOG_HEADER.match(line)]
    assert not garbled, garbled[:3]
    assert any(PROGRESS_LINE.search(line) for line in shown)


# --- the report ---------------------------------------------------------------------------------


def test_report_files_and_status_at_the_top(history):
    run = history.first
    report = run.report
    assert run.exit_code == EXIT_CODES[report["status"]]
    assert report["status"] in ("success", "success_with_warnings")
    md = run.file("md").read_text(encoding="utf-8")
    assert md.startswith(f"# Run {report['run_id']}: ")
    head = md.split("## Quality gates")[0]
    for gate in report["gates"]:
        if gate["result"] == "warn":
            assert f"WARNING: {gate['label']}: {gate['figure'] * 100:.1f}%" in head
    assert f"]({report['run_id']}.svg)" in md
    svg = ET.parse(run.file("svg")).getroot()
    assert svg.tag == "{http://www.w3.org/2000/svg}svg"
    for section in (
        "## Records",
        "## Field coverage",
        "## Sections",
        "## HTTP status",
        "## Normalization, quality issues and drops",
        "## Run",
    ):
        assert section in md


def test_report_counts_match_the_records(history):
    report = history.first.report
    # With the sightings of the run folded in: a record streams out before every listing naming
    # it is read (the report counts what the run saw in the end).
    records = [r for r in folded_records(history.output_dir) if r["run_id"] == report["run_id"]]
    assert report["record_count"] == len(records)
    per_edition_type = Counter((r["edition"], r["type"]) for r in records)
    assert {(e, t): n for e, by in report["seen"].items() for t, n in by.items()} == dict(
        per_edition_type
    )
    assert (
        report["records_written"]["article"]
        == per_edition_type[("vi", "article")] + (per_edition_type[("en", "article")])
    )
    sections = Counter((r["edition"], s["slug"]) for r in records for s in r["sections"])
    assert {(s["edition"], s["slug"]): s["records"] for s in report["sections"]} == dict(sections)
    assert sum(report["http_status"].values()) == report["responses"]
    assert report["bytes"] > 0 and report["duration_s"] > 0
    assert report["politeness"]["profile"] == "loopback"


def test_field_coverage_counted_from_the_written_records(history):
    report = history.first.report
    articles = [
        r
        for r in article_records(history.output_dir)
        if r["run_id"] == report["run_id"] and r["type"] == "article"
    ]
    cov = report["coverage"]["article"]
    assert cov["records"] == len(articles)
    for field in ("title", "published_at", "body_text", "lead", "kicker", "images"):
        present = sum(
            1
            for r in articles
            if r[field] and not (field == "lead" and "lead_from_meta" in r["quality_issues"])
        )
        assert cov["fields"][field]["present"] == present, field
    syndicated = sum(1 for r in articles if not r["authors"] and r["source_credit"])
    assert cov["fields"]["authors"]["exempt"] == syndicated
    assert cov["fields"]["authors"]["present"] == sum(1 for r in articles if r["authors"])
    # the extraction strategy behind each field is in the report too
    assert sum(report["extraction_strategies"]["title"].values()) >= len(articles)


def test_months_per_edition_match_the_archive(history):
    report = history.first.report
    records = [r for r in article_records(history.output_dir) if r["run_id"] == report["run_id"]]
    expected: dict[str, Counter] = {}
    for r in records:
        month = r["published_at"][:7] if r["published_at"] else "unknown"
        expected.setdefault(r["edition"], Counter())[month] += 1
    assert report["months"] == {e: dict(c) for e, c in expected.items()}


def test_second_run_compares_with_the_first(history):
    first, second = history.first.report, history.second.report
    assert second["mode"] == "full" and second["resumed"] is False
    c = second["comparison"]
    assert c["run_id"] == first["run_id"]
    assert c["record_count"]["previous"] == first["record_count"]
    assert c["record_count"]["current"] == second["record_count"]
    live_now = {t["id"] for t in history.truth_second}
    assert second["record_count"] == len(live_now)
    assert c["new_sections"] == [] and c["vanished_sections"] == []
    # the second run rewrote only the 18 new and edited articles: too few to compare coverage
    assert second["coverage"]["article"]["records"] == 18
    assert c["coverage"] == {}
    gates = {g["gate"]: g for g in second["gates"]}
    assert gates["record_count"]["result"] == "pass"
    assert gates["record_count"]["figure"] == pytest.approx(
        second["record_count"] / first["record_count"], abs=1e-6
    )
    md = history.second.file("md").read_text(encoding="utf-8")
    assert f"## Compared with the previous comparable run `{first['run_id']}`" in md
    assert f"- vs previous run {first['run_id']}: records " in md
    assert "Field coverage not compared: one of the runs wrote too few articles." in md


def test_record_count_gate_fails_when_the_site_shrinks(history, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(history.output_dir, out)
    with replica(tmp_path / "rep", articles=ARTICLES // 3, seed=SEED, epoch=1) as rep:
        run = crawl(rep, out, "full=1", settings={"PROGRESS": "quiet"})
    gates = {g["gate"]: g for g in run.report["gates"]}
    assert gates["record_count"]["result"] == "fail", gates["record_count"]
    assert gates["record_count"]["figure"] < 0.5
    assert run.report["status"] == "quality_gate_failed"
    assert run.exit_code == EXIT_CODES["quality_gate_failed"]
    head = run.file("md").read_text(encoding="utf-8").split("## Quality gates")[0]
    assert (
        f"FAILED: record count vs previous full run: {gates['record_count']['figure'] * 100:.1f}%"
        in head
    )
    assert history.second.report["run_id"] in gates["record_count"]["detail"]
    # quiet mode: no progress lines for cron
    assert "[crawler.observe.progress]" not in run.log


# --- quality gates against a broken site -------------------------------------------------------


@pytest.mark.parametrize(
    ("broken", "gate"),
    [
        ("title", "title"),
        ("published", "published_at"),
        ("body", "body_text"),
        ("lead", "lead"),
        ("byline", "authors"),
    ],
)
def test_break_field_fails_its_gate(tmp_path, broken, gate):
    with replica(tmp_path / "rep", articles=100, seed=1, extra=["--break", broken]) as rep:
        run = crawl(rep, tmp_path / "out", settings={"PROGRESS": "quiet"})
    gates = {g["gate"]: g for g in run.report["gates"]}
    target = gates[f"coverage/{gate}"]
    assert target["result"] == "fail", target
    assert target["figure"] < target["fail"]
    assert run.report["status"] == "quality_gate_failed"
    assert run.exit_code == EXIT_CODES["quality_gate_failed"]
    head = run.file("md").read_text(encoding="utf-8").split("## Quality gates")[0]
    assert f"FAILED: {gate} present: {target['figure'] * 100:.1f}%" in head
    assert "[crawler.observe.progress]" not in run.log


def test_report_summary_command(history):
    out = subprocess.run(
        [sys.executable, "-m", "crawler.report", str(history.output_dir)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    report = history.second.report
    assert out.startswith(f"Run {report['run_id']}: ")
    assert f"reports/{report['run_id']}.md" in out
    json.loads(history.second.file("json").read_text(encoding="utf-8"))
