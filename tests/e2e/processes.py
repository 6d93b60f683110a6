"""Real crawl processes for the broken-output tests: start one against the replica, wait for it to
pause at a crash point (crawler.crashpoints), SIGKILL it there."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

from tests.support import ROOT, ReplicaHandle, crawl_command


def start(
    rep: ReplicaHandle,
    out: Path,
    *spider_args: str,
    pause_at: str | None = None,
    settings: dict | None = None,
    log_path: Path | None = None,
) -> subprocess.Popen:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    env.pop("BAOLONGAN_PAUSE_AT", None)
    if pause_at:
        env["BAOLONGAN_PAUSE_AT"] = pause_at
    out.mkdir(parents=True, exist_ok=True)
    log = open(log_path or out / "crawl.log", "ab")  # noqa: SIM115 - closed by the process's end
    return subprocess.Popen(
        crawl_command(rep, out, *spider_args, settings=settings),
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def wait_paused(proc: subprocess.Popen, out: Path, moment: str, timeout: float = 120) -> Path:
    """Block until the crawl sleeps at `moment`; returns the marker file it wrote."""
    marker = out / f"paused-{moment.split(':', maxsplit=1)[0]}"
    deadline = time.monotonic() + timeout
    while not marker.exists() or not marker.read_text():
        assert proc.poll() is None, f"crawl ended (exit {proc.returncode}) before {moment}"
        assert time.monotonic() < deadline, f"never reached {moment}"
        time.sleep(0.05)
    assert int(marker.read_text()) == proc.pid
    return marker


def kill(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGKILL)
    proc.wait()


def log_tail(out: Path, n: int = 3000) -> str:
    path = out / "crawl.log"
    return path.read_text(encoding="utf-8", errors="replace")[-n:] if path.exists() else ""
