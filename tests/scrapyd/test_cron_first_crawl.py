"""deploy/daily-refresh.sh beside a running first crawl (issue 14 point 3): a real process holds
OUTPUT_DIR's run.lock (as a crawl does) and progress.json says when it last received a response.
While it makes progress the daily start logs one line and exits 0, no alert; once it has been
silent for STALL_MINUTES it alerts."""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest

from tests.scrapyd.test_cron import webhook
from tests.support import ROOT

pytestmark = pytest.mark.e2e

HOLD = """import fcntl, sys, time
fh = open(sys.argv[1], "a")
fcntl.flock(fh, fcntl.LOCK_EX)
print("held", flush=True)
time.sleep(120)
"""


@contextlib.contextmanager
def held(path):
    """A real process holding an flock on `path` until the block ends."""
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(path)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert proc.stdout.readline().strip() == "held"
        yield proc
    finally:
        proc.kill()
        proc.wait()


def fake_progress(archive, pid: int, silent: timedelta) -> None:
    now = datetime.now(UTC)
    stamp = (now - silent).strftime("%Y-%m-%dT%H:%M:%SZ")
    data = {"run_id": "20250101T000000Z-abcdef", "pid": pid, "mode": "full", "phase": "items",
            "started_at": stamp, "updated_at": stamp, "progress_at": stamp, "pages": 10}  # fmt: skip
    (archive / "progress.json").write_text(json.dumps(data))


def refresh(tmp_path, hook: str) -> subprocess.CompletedProcess:
    env = {
        "PATH": "/usr/bin:/bin",
        "APP": str(ROOT),
        "ARCHIVE": str(tmp_path / "archive"),
        "LOG_DIR": str(tmp_path / "logs"),
        "LOCK_FILE": str(tmp_path / "refresh.lock"),
        "ALERT_WEBHOOK": hook,
        "STALL_MINUTES": "60",
    }
    return subprocess.run(
        ["/bin/bash", str(ROOT / "deploy/daily-refresh.sh")], cwd="/", env=env,
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def logs(tmp_path) -> str:
    return "".join(p.read_text() for p in sorted((tmp_path / "logs").glob("refresh-*.log")))


def test_refresh_skips_a_running_first_crawl_and_alerts_when_it_stalls(tmp_path):
    archive = tmp_path / "archive"
    archive.mkdir()
    with webhook() as (hook, received), held(archive / "run.lock") as crawl:
        fake_progress(archive, crawl.pid, silent=timedelta(minutes=5))
        skipped = refresh(tmp_path, hook)
        assert skipped.returncode == 0, skipped.stderr
        assert received == []
        assert "a crawl is still running" in logs(tmp_path)
        assert "refresh skipped" in logs(tmp_path)
        assert crawl.poll() is None, "the running crawl is never killed"

        # Started by yesterday's script, which still waits for it and holds the script's lock.
        with held(tmp_path / "refresh.lock"):
            again = refresh(tmp_path, hook)
        assert again.returncode == 0, again.stderr
        assert received == []

        fake_progress(archive, crawl.pid, silent=timedelta(hours=3))
        stalled = refresh(tmp_path, hook)
        assert stalled.returncode == 1
        assert len(received) == 1 and "STALLED" in received[0]["text"]
        assert crawl.poll() is None
