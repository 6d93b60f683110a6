"""Is OUTPUT_DIR's state store usable for the records it sits beside?

A state store that is missing, emptied, corrupt or from another archive would make a run start
from nothing: every item written again as version 1 beside its archived versions. So a run refuses
to start when OUTPUT_DIR holds records that the state store does not know (crawler.run), and
`scrapy rebuild_state` (crawler.rebuild) makes a new one from the records and WARC files.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

STATE_FILE = "state.sqlite3"


def record_run_ids(output_dir: Path) -> set[str]:
    """Run ids that have a non-empty article, tombstone or rejected file under OUTPUT_DIR."""
    records = output_dir / "records"
    runs: set[str] = set()
    for path in records.glob("articles/*/*.jsonl"):
        if path.stat().st_size:
            runs.add(path.parent.name)
    for stream in ("tombstones", "rejected"):
        for path in records.glob(f"{stream}/*.jsonl"):
            if path.stat().st_size:
                runs.add(path.stem)
    return runs


def state_problem(output_dir: Path) -> str | None:
    """Why the state store cannot be used with OUTPUT_DIR's records; None when it can (or when
    there are no records, where a new state store loses nothing)."""
    on_disk = record_run_ids(output_dir)
    if not on_disk:
        return None
    path = output_dir / STATE_FILE
    if not path.exists():
        return f"it holds records of {len(on_disk)} run(s) but no state store ({STATE_FILE})"
    if path.stat().st_size == 0:
        return f"it holds records of {len(on_disk)} run(s) but its state store is empty"
    try:
        db = sqlite3.connect(path, isolation_level=None)
        try:
            # As the state store opens it: no `-shm` file to create or map (crawler.state).
            db.execute("PRAGMA locking_mode=EXCLUSIVE")
            # quick_check reads every page: a half-truncated file fails here, not mid-crawl.
            check = db.execute("PRAGMA quick_check").fetchone()[0]
            if check != "ok":
                return f"its state store is corrupt ({check})"
            known = {r[0] for r in db.execute("SELECT run_id FROM runs")}
        finally:
            db.close()
    except sqlite3.DatabaseError as error:
        return f"its state store is unreadable ({error})"
    unknown = sorted(on_disk - known)
    if unknown:
        return (
            f"its state store does not know {len(unknown)} of the {len(on_disk)} run(s) "
            f"with records (e.g. {unknown[0]})"
        )
    return None
