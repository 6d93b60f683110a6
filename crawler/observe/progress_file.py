"""`OUTPUT_DIR/progress.json`: where a running crawl stands, for `scrapy status` and the deploy
scripts (issue 14 point 3).

The state store is opened with an exclusive lock while a run holds it (crawler/state.py), so no
other process can read it then; the progress extension (crawler/observe/progress.py) writes this
small file instead, every PROGRESS_INTERVAL seconds and also with PROGRESS=quiet (cron). It is
replaced atomically (a temporary file, fsync, rename): a reader sees the previous or the next
version, never half of one, whenever the crawl is killed.

`progress_at` is when the crawl last received a response: a crawl whose `progress_at` is old while
it still holds the lock has stopped making progress (deploy/daily-refresh.sh alerts then).
"""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

NAME = "progress.json"


def path_of(output_dir: Path) -> Path:
    return Path(output_dir) / NAME


def write(output_dir: Path, data: dict[str, Any]) -> None:
    """Replace progress.json atomically."""
    target = path_of(output_dir)
    tmp = target.with_name(f".{NAME}.{os.getpid()}.tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(data, fh, ensure_ascii=False, indent=1)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, target)


def read(output_dir: Path) -> dict[str, Any] | None:
    try:
        return json.loads(path_of(output_dir).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def iso(dt: datetime) -> str:
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_iso(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def record(snap: Any, *, run: Any, started: datetime, progress_at: datetime) -> dict[str, Any]:
    """The file's content from a progress Snapshot (crawler/observe/progress.py)."""
    now = datetime.now(UTC)
    eta = snap.eta if snap.eta is not None else None
    return {
        "run_id": run.run_id,
        "pid": os.getpid(),
        "mode": run.mode,
        "signature": run.signature,
        "started_at": iso(started),
        "updated_at": iso(now),
        "progress_at": iso(progress_at),
        "phase": snap.phase,
        "pages": snap.pages,
        "records": snap.records,
        "written": snap.written,
        "queue": snap.queue,
        "listings_left": snap.listings_left,
        "ids_left": snap.extra.get("ids_left"),
        "pages_per_min": round(snap.eta_pages_per_min, 1),
        "eta_s": None if eta is None else round(eta),
        "eta_at": None if eta is None else iso(now + timedelta(seconds=eta)),
        "eta_at_least_s": None if snap.eta_at_least is None else round(snap.eta_at_least),
        "why_unknown": snap.why_unknown or None,
        "finished": False,
    }
