"""The cron example's wrapper (deploy/daily-refresh.sh) against the replica: a good run leaves a log
and sends nothing; a run that finds the lock taken, and a run whose site is down, both alert through
the webhook with their exit status; check_report.py answers with the report's exit status."""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.distributed.support import free_port
from tests.support import REFERENCE_NOW, ROOT, replica

pytestmark = pytest.mark.e2e


@contextlib.contextmanager
def webhook():
    received: list[dict] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - the stdlib's name
            received.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/hook", received
    finally:
        server.shutdown()


def refresh(tmp_path, vi: str, en: str, hook: str) -> subprocess.CompletedProcess:
    env = {
        "PATH": "/usr/bin:/bin",  # what cron gives
        "APP": str(ROOT),
        "ARCHIVE": str(tmp_path / "archive"),
        "LOG_DIR": str(tmp_path / "logs"),
        "LOCK_FILE": str(tmp_path / "refresh.lock"),
        "ALERT_WEBHOOK": hook,
        "BAOLONGAN_EDITION_URL_VI": vi,
        "BAOLONGAN_EDITION_URL_EN": en,
        "BAOLONGAN_CRAWL_PROFILE": "loopback",
        "BAOLONGAN_REFERENCE_NOW": REFERENCE_NOW,
    }
    return subprocess.run(
        ["/bin/bash", str(ROOT / "deploy/daily-refresh.sh")], cwd="/", env=env,
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip


def check_report(tmp_path) -> int:
    return subprocess.run(
        [sys.executable, str(ROOT / "deploy/check_report.py"), str(tmp_path / "archive"),
         "--max-age-hours", "1"], cwd=ROOT, capture_output=True, timeout=60,
    ).returncode  # fmt: skip


def test_daily_refresh_wrapper(tmp_path):
    with webhook() as (hook, received), replica(tmp_path / "replica", articles=40) as rep:
        ok = refresh(tmp_path, rep.vi, rep.en, hook)
        assert ok.returncode in (0, 3), ok.stderr
        assert len(list((tmp_path / "logs").glob("refresh-*.log"))) == 1
        assert len(received) == (ok.returncode != 0)
        assert check_report(tmp_path) == ok.returncode

        # the previous run still holds the lock: the newcomer stops at once and says so
        with open(tmp_path / "refresh.lock", "w") as held:
            fcntl.flock(held, fcntl.LOCK_EX)
            locked = refresh(tmp_path, rep.vi, rep.en, hook)
        assert locked.returncode == 6
        assert "still holds" in received[-1]["text"]

    # the site is down: exit status 5 (site unavailable), alert with the report's summary
    closed = f"http://127.0.0.1:{free_port()}"
    with webhook() as (hook, received):
        down = refresh(tmp_path, closed, closed, hook)
    assert down.returncode not in (0, 3)
    assert f"exit status {down.returncode}" in received[-1]["text"]
    assert check_report(tmp_path) == down.returncode
    assert os.access(ROOT / "deploy/daily-refresh.sh", os.X_OK)
