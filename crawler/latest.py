"""The `latest` view of a run (docs/contract.md): one row per id — its newest version — with tombstones
applied (gone items left out), i.e. "the site now" for data teams.

Published at the stable path `records/latest.jsonl`, replaced atomically at the end of each run, and
as `records/latest/<run_id>.jsonl`: a hard link to the same file (no second copy of ~1.5 GB at 200k
articles). Older per-run copies beyond `LATEST_KEEP` are pruned (README "Using the data").

Rows are copied byte for byte from the article files where they were written (the state store keeps
each line's file and offset), so the view never re-validates anything. Two changes: a row's
`translations`, filled with the ids naming it (crawler/pairs.py), and for an id its run sighted again
after writing its record (the `sightings` stream), `sections`, `urls_seen`, `editions_seen` and
`edition` as those sightings make them (crawler/records/sightings.py): the state store keeps what the
record and its sightings lines add up to (`sighted`), so only those rows are re-serialized.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from crawler.pairs import translation_index, with_translations
from crawler.records.merge import folded_fields
from crawler.state import StateStore
from crawler.writer import dumps


def write_latest(
    state: StateStore, output_dir: Path, run_id: str, keep: int = 3
) -> tuple[Path, int]:
    records = output_dir / "records"
    target = records / "latest" / f"{run_id}.jsonl"
    target.parent.mkdir(parents=True, exist_ok=True)
    # In the stable path's own folder, so os.replace is a rename on one file system.
    tmp = records / f".latest.{run_id}.jsonl.tmp"
    handles: dict[str, object] = {}
    rows = 0

    def lines():
        for w in state.db.execute(
            "SELECT w.file, w.offset, s.seen FROM written w JOIN items i ON i.id = w.id "
            "AND w.version = i.version LEFT JOIN sighted s ON s.run_id = w.run_id "
            "AND s.id = w.id AND s.lines > 0 "
            "WHERE w.stream='articles' AND i.status='live' ORDER BY w.id"
        ):
            fh = handles.get(w["file"])
            if fh is None:
                fh = handles[w["file"]] = open(output_dir / w["file"], "rb")  # noqa: SIM115
            fh.seek(w["offset"])
            line = fh.readline()
            yield line if w["seen"] is None else with_sightings(line, json.loads(w["seen"]))

    try:
        # Two passes: the first learns which rows name which originals (crawler/pairs.py).
        named = translation_index(lines())
        with open(tmp, "wb") as out:
            for line in lines():
                out.write(with_translations(line, named))
                rows += 1
            out.flush()
            os.fsync(out.fileno())
    finally:
        for fh in handles.values():
            fh.close()
    _publish(tmp, target, records / "latest.jsonl")
    prune_latest(target.parent, run_id, keep)
    return target, rows


def with_sightings(line: bytes, seen: dict[str, list]) -> bytes:
    """An article line with where it was seen replaced by what its record and the run's sightings
    of it add up to (`seen`: crawler.records.merge `covered` form)."""
    record = json.loads(line)
    record.update(folded_fields(seen))
    return (dumps(record) + "\n").encode("utf-8")


def _publish(tmp: Path, per_run: Path, stable: Path) -> None:
    """The per-run copy first, then the stable path: atomic, so a reader never sees half a view."""
    per_run.unlink(missing_ok=True)  # a resumed run closing again
    try:
        os.link(tmp, per_run)
    except OSError:  # a file system without hard links: a real copy
        shutil.copyfile(tmp, per_run)
    os.replace(tmp, stable)
    _fsync_dir(stable.parent)
    _fsync_dir(per_run.parent)


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def prune_latest(folder: Path, run_id: str, keep: int) -> list[Path]:
    """Delete per-run copies older than the `keep` newest before this run's (run ids sort in time).
    This run's copy always stays: the run report reads it (crawler/report.py)."""
    older = sorted(p for p in folder.glob("*.jsonl") if p.stem != run_id and p.stem < run_id)
    doomed = older[: max(len(older) - max(keep, 0), 0)]
    for path in doomed:
        path.unlink(missing_ok=True)
    return doomed
