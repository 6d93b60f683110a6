"""SIGKILL a real crawl at named moments and at random moments; restarted with the same command,
the run ends with every article written exactly once, no torn line, and state and output agreeing."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from crawler.warc.archive import resolve
from tests.support import ROOT, article_records, crawl_command, replica

ARTICLES = 250
# Listings first: a resumed run takes its queued requests from the frontier on disk
# (crawler/frontier) instead of crawling the listings again, so only a fresh run surely parses three.
NAMED = ("listing:3", "warc_rotation:1", "record_write:1", "state_commit:1")
# Small WARC files, so rotations happen during the crawl (the same value on every restart).
SETTINGS = {"WARC_MAX_SIZE": 1_500_000}
RANDOM_KILLS = 5


def start(rep, out, pause_at: str | None = None) -> subprocess.Popen:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    env.pop("BAOLONGAN_PAUSE_AT", None)
    if pause_at:
        env["BAOLONGAN_PAUSE_AT"] = pause_at
    out.mkdir(parents=True, exist_ok=True)
    log = open(out / "crawl.log", "ab")  # noqa: SIM115 - closed by the process's end
    return subprocess.Popen(
        crawl_command(rep, out, settings=SETTINGS),
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def kill_when_paused(proc: subprocess.Popen, out, moment: str, timeout: float = 120) -> None:
    marker = out / f"paused-{moment.split(':', maxsplit=1)[0]}"
    deadline = time.monotonic() + timeout
    while not marker.exists():
        assert proc.poll() is None, f"crawl ended before reaching {moment}"
        assert time.monotonic() < deadline, f"never reached {moment}"
        time.sleep(0.05)
    assert int(marker.read_text()) == proc.pid
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    marker.unlink()


def finish(rep, out) -> int:
    proc = start(rep, out)
    return proc.wait(timeout=300)


def check_archive(out, truth) -> None:
    # No torn line anywhere: every line of every file parses.
    lines = []
    for path in sorted((out / "records" / "articles").glob("*/*.jsonl")):
        raw = path.read_bytes()
        assert raw == b"" or raw.endswith(b"\n"), f"torn tail in {path}"
        lines.extend(json.loads(line) for line in raw.splitlines())
    ids = [r["id"] for r in lines]
    assert len(ids) == len(set(ids)), "an article written twice"
    # Records stream: what was seen after a record went to the sightings stream, each once.
    sightings = []
    for path in sorted((out / "records" / "sightings").glob("*.jsonl")):
        raw = path.read_bytes()
        assert raw == b"" or raw.endswith(b"\n"), f"torn tail in {path}"
        sightings.extend(json.loads(line) for line in raw.splitlines())
    keys = [(s["id"], s["kind"], s["value"]) for s in sightings]
    assert len(keys) == len(set(keys)), "a sighting written twice"
    assert {s["id"] for s in sightings} <= set(ids)
    assert set(ids) == {t["id"] for t in truth}
    assert len({r["run_id"] for r in lines}) == 1, "a resumed run must keep its run_id"
    # State store and output agree line for line.
    db = sqlite3.connect(out / "state.sqlite3")
    written = set(db.execute("SELECT id, version FROM written WHERE stream='articles'"))
    assert written == {(r["id"], r["version"]) for r in lines}
    assert db.execute("SELECT count(*) FROM pending").fetchone()[0] == 0
    assert db.execute("SELECT count(*) FROM items").fetchone()[0] == len(truth)
    runs = db.execute("SELECT count(*), count(finished_at) FROM runs").fetchone()
    assert runs == (1, 1)
    # Every WARC file closed and valid; every record's pointer resolves to its response.
    warc_dir = out / "warc"
    assert not list(warc_dir.glob("*.open")), "a WARC file left open"
    files = sorted(warc_dir.glob("*.warc.gz"))
    assert len(files) > 1, "rotation never happened"
    check = subprocess.run(
        [Path(sys.executable).with_name("warcio"), "check", *map(str, files)],
        capture_output=True,
        text=True,
    )
    assert check.returncode == 0, check.stdout[-2000:] + check.stderr[-2000:]
    for r in lines:
        archived = resolve(warc_dir, r["warc_filename"], r["warc_record_id"])
        assert archived is not None, (r["id"], r["warc_filename"])
        assert archived.payload_digest == r["warc_payload_digest"]


@pytest.fixture(scope="module")
def small_replica(tmp_path_factory):
    with replica(tmp_path_factory.mktemp("crash-replica"), articles=ARTICLES, seed=2) as rep:
        yield rep


def test_kill_at_named_moments(small_replica, tmp_path):
    out = tmp_path / "out"
    for moment in NAMED:
        proc = start(small_replica, out, pause_at=moment)
        kill_when_paused(proc, out, moment)
    assert finish(small_replica, out) in (0, 3), (out / "crawl.log").read_text()[-3000:]
    check_archive(out, small_replica.truth_records())


def test_kill_at_random_moments(small_replica, tmp_path):
    seed = int(os.environ.get("CRASH_SEED", time.time()))
    rng = random.Random(seed)
    out = tmp_path / "out"
    kills = 0
    while kills < RANDOM_KILLS:
        proc = start(small_replica, out)
        time.sleep(rng.uniform(0.5, 3.0))
        if proc.poll() is not None:
            break  # the run completed before this kill: start over is not needed
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        kills += 1
    else:
        assert finish(small_replica, out) in (0, 3), f"CRASH_SEED={seed}"
    assert proc.returncode in (0, 3, -signal.SIGKILL), f"CRASH_SEED={seed}"
    assert kills >= 2, f"the crawl finished too fast to be killed (CRASH_SEED={seed})"
    check_archive(out, small_replica.truth_records())
    assert article_records(out)


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_sigterm_and_sigint_stop_cleanly_and_resume(small_replica, tmp_path, sig):
    out = tmp_path / "out"
    proc = start(small_replica, out)
    # Signal it mid-crawl: once Scrapy has its handlers (spider opened) and is under way.
    deadline = time.monotonic() + 60
    while b"Spider opened" not in (out / "crawl.log").read_bytes():
        assert time.monotonic() < deadline and proc.poll() is None, "the crawl never opened"
        time.sleep(0.05)
    time.sleep(1.0)
    assert proc.poll() is None, "the crawl ended before the signal"
    os.kill(proc.pid, sig)
    proc.wait(timeout=120)
    log = (out / "crawl.log").read_text(encoding="utf-8", errors="replace")
    assert "Closing spider (shutdown)" in log
    # A clean stop: no torn line, no WARC left open, the state store consistent and the run
    # still unfinished, so the same command resumes it.
    assert not list((out / "warc").glob("*.open"))
    db = sqlite3.connect(out / "state.sqlite3")
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert db.execute("SELECT count(*) FROM runs WHERE finished_at IS NULL").fetchone()[0] == 1
    db.close()
    assert finish(small_replica, out) in (0, 3)
    check_archive(out, small_replica.truth_records())
