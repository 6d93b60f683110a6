"""The frontier on disk (crawler/frontier): a first crawl SIGKILLed with hundreds of requests queued
resumes from the queue it left — every article of the replica archived exactly once, and the home
pages and listings that named the queued articles are not fetched again (the replica's access log
says what each process asked for)."""

from __future__ import annotations

import os
import pickle
import re
import shutil
import signal
import sqlite3
import subprocess
import time
from pathlib import Path
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.utils.request import fingerprint

from crawler.frontier.scheduler import frontier_key
from tests.support import ROOT, article_records, crawl_command, read_jsonl, replica

ARTICLES = 400
SETTINGS = {"FETCH_REQUISITES": "False"}  # fewer requests, same frontier
ITEM_PATH = re.compile(r"-a\d+\.html$|/(?:xem|view)-albumphoto/|/(?:xem|view)-video/")
KILL_AFTER_ITEMS = 60


def kind(entry: dict) -> str:
    path = entry["path"].split("?", 1)[0]
    if path == "/robots.txt":
        return "robots"
    return "item" if ITEM_PATH.search(path) else "listing"


def frontier_at_kill(state: Path, copy: Path) -> tuple[set[str], set[bytes]]:
    """What the killed process's frontier file held: the paths of its pending requests (queued
    or taken: what a resumed process fetches again) and the keys of every request it had seen.
    Read from a copy, so that opening it recovers nothing in the original."""
    copy.mkdir()
    for name in ("frontier.sqlite3", "frontier.sqlite3-wal"):
        if (state / name).exists():
            shutil.copy(state / name, copy / name)
    db = sqlite3.connect(copy / "frontier.sqlite3")
    try:
        pending = {
            urlsplit(pickle.loads(d)["url"]) for (d,) in db.execute("SELECT data FROM queue")
        }
        seen = {key for (key,) in db.execute("SELECT key FROM seen")}
    finally:
        db.close()
    return {u.path + (f"?{u.query}" if u.query else "") for u in pending}, seen


def key_of(rep, entry: dict) -> bytes:
    """The frontier's key for a page of the access log."""
    url = (rep.vi if entry["edition"] == "vi" else rep.en).rstrip("/") + entry["path"]
    return frontier_key(Request(url), fingerprint)


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
        pending, seen = frontier_at_kill(out / "state", tmp_path / "frontier-at-kill")

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
    assert any(kind(e) == "listing" for e in first)
    # Fetched again: only what the file still held at the kill (in flight, or finished within
    # the last uncommitted batch), or what the file had never seen (found, fetched and finished
    # all within that lost batch: found again from a page fetched again). Never a page whose
    # finish was committed. How many pages that is depends on the machine's speed within one
    # commit interval, so each page is checked, not a count.
    fetched_before = {e["path"] for e in first if kind(e) != "robots"}
    again = [e for e in second if e["path"] in fetched_before]
    without_cause = [
        e["path"] for e in again if e["path"] not in pending and key_of(rep, e) in seen
    ]
    assert not without_cause, without_cause[:20]
    assert len({e["path"] for e in again}) < len(fetched_before), "everything fetched again"
    # A finished run leaves no frontier behind.
    assert not (out / "state").exists()
