"""Where an OUTPUT_DIR stands, read without disturbing a crawl running on it (`scrapy status`).

A running crawl holds `run.lock` (flock) and its state store with an exclusive SQLite lock
(crawler/state.py), so nothing here takes either: whether the lock is held is read from the
kernel's lock table (/proc/locks, matched by run.lock's inode), the running crawl's figures from
progress.json (crawler/observe/progress_file.py), finished runs from their reports. Only when no
crawl holds the folder is the state store opened, read-only, for runs, records and pending work.

`check` reduces it all to one word for scripts (deploy/daily-refresh.sh):
    running   a crawl holds OUTPUT_DIR and received a response within the stall limit
    stalled   a crawl holds OUTPUT_DIR but received nothing for longer than the stall limit
    first     nothing runs, and no full crawl has finished yet: the next crawl is the first one
              (or resumes it) and may take days
    idle      nothing runs; an archive exists, the next crawl is a refresh
"""

from __future__ import annotations

import fcntl
import json
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from crawler.frontier.store import FRONTIER_FILE, pending_by_kind
from crawler.observe import progress_file

FINISHED_OK = ("success", "success_with_warnings")


def lock_held(output_dir: Path) -> bool:
    """Whether a process holds run.lock; read from /proc/locks (never taking the lock, so a crawl
    starting at that moment is not turned away), else by a non-blocking shared try."""
    path = Path(output_dir) / "run.lock"
    if not path.exists():
        return False
    inode = path.stat().st_ino
    try:
        table = Path("/proc/locks").read_text()
    except OSError:
        return _try_lock(path)
    for line in table.splitlines():
        fields = line.split()
        if len(fields) >= 6 and fields[1] == "FLOCK" and fields[5].rsplit(":", 1)[-1] == str(inode):
            return True
    return False


def _try_lock(path: Path) -> bool:
    with open(path, "rb") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(fh, fcntl.LOCK_UN)
        return False


def _state_figures(output_dir: Path) -> dict[str, Any] | None:
    """Runs, records, versions and pending work from the state store, opened read-only."""
    path = Path(output_dir) / "state.sqlite3"
    if not path.exists():
        return None
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=2)
    db.row_factory = sqlite3.Row
    try:
        runs = [dict(r) for r in db.execute("SELECT * FROM runs ORDER BY run_id")]
        items = db.execute(
            "SELECT edition, status, count(*) AS n FROM items GROUP BY edition, status"
        ).fetchall()
        versions = db.execute("SELECT count(*) FROM written WHERE stream='articles'").fetchone()[0]
        pending = dict(
            db.execute("SELECT run_id, count(*) FROM pending GROUP BY run_id").fetchall()
        )
    finally:
        db.close()
    for run in runs:
        run["pending_records"] = pending.get(run["run_id"], 0)
    return {
        "runs": runs,
        "items": {f"{r['edition']}/{r['status']}": r["n"] for r in items},
        "versions_written": versions,
        # Requests a stopped or killed crawl left queued (None while a crawl holds the file).
        "frontier": pending_by_kind(Path(output_dir) / FRONTIER_FILE),
    }


def _reports(output_dir: Path) -> list[dict[str, Any]]:
    """Finished runs as their reports tell (readable while a crawl holds the state store)."""
    out = []
    for path in sorted((Path(output_dir) / "reports").glob("*.json")):
        try:
            report = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        out.append(
            {
                "run_id": report.get("run_id"),
                "status": report.get("status"),
                "mode": report.get("mode"),
                "started_at": report.get("started_at"),
                "finished_at": report.get("finished_at"),
                "record_count": report.get("record_count"),
                "finish_reason": report.get("finish_reason"),
            }
        )
    return out


def gather(output_dir: Path, stall_after: timedelta, now: datetime | None = None) -> dict:
    """Everything `scrapy status` prints, as one dict (also its --json output)."""
    output_dir = Path(output_dir)
    now = now or datetime.now(UTC)
    running = lock_held(output_dir)
    progress = progress_file.read(output_dir)
    standing: dict[str, Any] = {
        "output_dir": str(output_dir),
        "running": running,
        "progress": progress if running else None,
        "reports": _reports(output_dir),
        "state": None,
    }
    if running:
        last = progress_file.parse_iso((progress or {}).get("progress_at"))
        silent = now - last if last else None
        standing["silent_s"] = None if silent is None else round(silent.total_seconds())
        standing["check"] = "stalled" if silent is None or silent > stall_after else "running"
        return standing
    try:
        standing["state"] = _state_figures(output_dir)
    except sqlite3.Error as error:
        standing["state_error"] = str(error)
    standing["check"] = "idle" if _full_run_finished(standing) else "first"
    return standing


def _full_run_finished(standing: dict[str, Any]) -> bool:
    runs = (standing.get("state") or {}).get("runs") or standing["reports"]
    return any(r.get("mode") == "full" and r.get("status") in FINISHED_OK for r in runs)


def last_success(standing: dict[str, Any]) -> dict[str, Any] | None:
    runs = (standing.get("state") or {}).get("runs") or standing["reports"]
    done = [r for r in runs if r.get("status") in FINISHED_OK and r.get("finished_at")]
    return max(done, key=lambda r: r["finished_at"]) if done else None
