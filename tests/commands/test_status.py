"""`scrapy status` (issue 14 point 3) on a real finished archive and beside a real running crawl
paused at a crash point (crawler/crashpoints.py), which holds the lock and the state store."""

from __future__ import annotations

import json

import pytest

from tests.commands.conftest import replica_settings, scrapy
from tests.e2e import processes
from tests.support import article_records, replica


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    with replica(tmp_path_factory.mktemp("status-site"), articles=60, seed=5) as rep:
        yield rep


def test_status_of_a_finished_archive(site, tmp_path):
    out = tmp_path / "out"
    crawl = scrapy("crawl", "baolongan", *replica_settings(site, out))
    assert crawl.returncode in (0, 3), crawl.stderr[-2000:]
    shown = scrapy("status", str(out))
    assert shown.returncode == 0, shown.stderr
    records = article_records(out)
    assert "no crawl running; the next crawl is a refresh" in shown.stdout
    assert f"records: {len(records):,} live items" in shown.stdout
    assert f"{len(records):,} versions written" in shown.stdout
    assert "pending: 0 staged records; unfinished runs: none" in shown.stdout
    run_id = records[0]["run_id"]
    assert f"last success: {run_id}" in shown.stdout
    figures = json.loads(scrapy("status", str(out), "--json").stdout)
    assert [r["run_id"] for r in figures["state"]["runs"]] == [run_id]
    assert figures["running"] is False
    assert scrapy("status", str(out), "--check").stdout.strip() == "idle"


def test_status_beside_a_running_crawl(site, tmp_path):
    out = tmp_path / "out"
    proc = processes.start(site, out, pause_at="listing:3", settings={"PROGRESS": "quiet"})
    try:
        processes.wait_paused(proc, out, "listing:3")
        shown = scrapy("status", str(out))
        assert shown.returncode == 0, shown.stderr
        progress = json.loads((out / "progress.json").read_text())
        assert progress["pid"] == proc.pid
        assert "a crawl is running" in shown.stdout
        assert f"run {progress['run_id']} (pid {proc.pid}, full)" in shown.stdout
        assert "phase" in shown.stdout and "ETA" in shown.stdout
        assert "runs: 0 (from the reports" in shown.stdout
        check = scrapy("status", str(out), "--check", "--stall-minutes", "30")
        assert check.stdout.strip() == "running"
        stalled = scrapy("status", str(out), "--check", "--stall-minutes", "0")
        assert stalled.stdout.strip() == "stalled"
        assert proc.poll() is None, "status must not disturb the crawl"
    finally:
        processes.kill(proc)
    # The crawl is gone: the lock is free, the killed run's state is readable again.
    after = scrapy("status", str(out))
    assert "no full crawl finished yet" in after.stdout
    assert "unfinished runs: " + json.loads((out / "progress.json").read_text())["run_id"] in (
        after.stdout
    )
