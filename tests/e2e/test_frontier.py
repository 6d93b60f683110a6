"""The frontier on disk (crawler/frontier): a first crawl SIGKILLed with hundreds of requests queued
resumes from the queue it left — every article of the replica archived exactly once, and the home
pages and listings that named the queued articles are not fetched again (the replica's access log
says what each process asked for)."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import time

from tests.support import ROOT, article_records, crawl_command, read_jsonl, replica

ARTICLES = 400
SETTINGS = {"FETCH_REQUISITES": "False"}  # fewer requests, same frontier
ITEM_PATH = re.compile(r"-a\d+\.html$|/xem-albumphoto/|/xem-video/")
KILL_AFTER_ITEMS = 60


def kind(entry: dict) -> str:
    path = entry["path"].split("?", 1)[0]
    if path == "/robots.txt":
        return "robots"
    return "item" if ITEM_PATH.search(path) else "listing"


def start(rep, out) -> subprocess.Popen:
    out.mkdir(parents=True, exist_ok=True)
    log = open(out / "crawl.log", "ab")  # noqa: SIM115 - closed by the process's end
    return subprocess.Popen(
        crawl_command(rep, out, settings=SETTINGS),
        cwd=ROOT,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def test_sigkill_with_a_full_queue_resumes_from_the_frontier(tmp_path):
    with replica(tmp_path / "replica", articles=ARTICLES, seed=3) as rep:
        out = tmp_path / "out"
        proc = start(rep, out)
        deadline = time.monotonic() + 120
        while sum(kind(e) == "item" for e in read_jsonl(rep.access_log)) < KILL_AFTER_ITEMS:
            assert proc.poll() is None, "the crawl ended before the kill"
            assert time.monotonic() < deadline, "the crawl never reached its articles"
            time.sleep(0.05)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        time.sleep(0.3)  # responses the replica was still sending reach its log
        first = read_jsonl(rep.access_log)
        assert (out / "state" / "frontier.sqlite3").exists()

        assert start(rep, out).wait(timeout=300) in (0, 3), (out / "crawl.log").read_text()[-3000:]
        second = read_jsonl(rep.access_log)[len(first) :]
        log = (out / "crawl.log").read_text()
        truth = rep.truth_records()

    # Every article once, in one run.
    records = article_records(out)
    ids = [r["id"] for r in records]
    assert len(ids) == len(set(ids)), "an article written twice"
    assert set(ids) == {t["id"] for t in truth}
    assert len({r["run_id"] for r in records}) == 1
    # The resumed process found its work in the frontier, not by crawling the listings again.
    queued = re.search(r"frontier: (\d+) requests queued from before the resume", log)
    assert queued and int(queued.group(1)) >= 100, "the kill left too little queued to test"
    first_items = {e["path"] for e in first if kind(e) == "item"}
    second_items = {e["path"] for e in second if kind(e) == "item"}
    assert len(second_items - first_items) >= 100
    assert not [e for e in second if e["path"] == "/"], "the home pages were crawled again"
    first_listings = [e for e in first if kind(e) == "listing"]
    second_listings = [e for e in second if kind(e) == "listing"]
    # At most the listings in flight or finished within the last uncommitted batch come back.
    assert len(second_listings) <= max(10, len(first_listings) // 5), (
        len(first_listings),
        len(second_listings),
    )
    # Fetched again: only what was in flight at the kill or finished in the last batch.
    again = first_items & second_items
    assert len(again) <= 60, len(again)
    # A finished run leaves no frontier behind.
    assert not (out / "state").exists()
