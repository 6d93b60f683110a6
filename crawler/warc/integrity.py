"""Before a run's status is decided: are the WARC files its records point into still there?

A WARC file deleted while the crawl ran (the open one, or a closed one) leaves records whose
pointers lead nowhere. The run then ends as `warc_lost` (crawler.status), and its report names
the lost files and every record pointing into them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from crawler.run import get_run
from crawler.warc.writer import OPEN_SUFFIX


def _exists(warc_dir: Path, name: str) -> bool:
    return (warc_dir / name).exists() or (warc_dir / (name + OPEN_SUFFIX)).exists()


def lost_files(warc_dir: Path, state: Any, run_id: str, lost_while_open: list[str]) -> list[str]:
    """Files lost while open, plus every file that an item this run saw points into and that
    exists neither closed nor open (a closed file deleted, or a loss before a crash)."""
    lost = set(lost_while_open)
    for (name,) in state.db.execute(
        "SELECT DISTINCT warc_filename FROM items WHERE last_run=? AND warc_filename IS NOT NULL",
        (run_id,),
    ):
        if not _exists(warc_dir, name):
            lost.add(name)
    return sorted(lost)


def records_pointing_into(state: Any, files: list[str]) -> list[str]:
    """Ids whose archived newest version points into one of `files`."""
    if not files:
        return []
    marks = ",".join("?" * len(files))
    return [
        r[0]
        for r in state.db.execute(
            f"SELECT id FROM items WHERE warc_filename IN ({marks}) ORDER BY id", files
        )
    ]


def check(crawler: Any, warc_dir: Path, writer: Any) -> None:
    """Put the lost files and the records pointing into them into the run's stats."""
    run = get_run(crawler)
    if run.state is None:
        return
    writer.check_current()
    files = lost_files(warc_dir, run.state, run.run_id, writer.lost)
    if files:
        crawler.stats.set_value("warc/lost", files)
        crawler.stats.set_value("warc/lost_records", records_pointing_into(run.state, files))
