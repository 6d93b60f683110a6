"""The `latest` view of a run (docs/contract.md): one row per id — its newest version — with tombstones
applied (gone items left out), i.e. "the site now" for data teams.

Rows are copied byte for byte from the article files where they were written (the state store keeps
each line's file and offset), so the view never re-serializes or re-validates anything; the one
change is a row's `translations`, filled with the ids naming it (crawler/pairs.py).
"""

from __future__ import annotations

import os
from pathlib import Path

from crawler.pairs import translation_index, with_translations
from crawler.state import StateStore


def write_latest(state: StateStore, output_dir: Path, run_id: str) -> tuple[Path, int]:
    target = output_dir / "records" / "latest" / f"{run_id}.jsonl"
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(".jsonl.tmp")
    handles: dict[str, object] = {}
    rows = 0

    def lines():
        for w in state.db.execute(
            "SELECT w.file, w.offset FROM written w JOIN items i ON i.id = w.id "
            "AND w.version = i.version WHERE w.stream='articles' AND i.status='live' "
            "ORDER BY w.id"
        ):
            fh = handles.get(w["file"])
            if fh is None:
                fh = handles[w["file"]] = open(output_dir / w["file"], "rb")  # noqa: SIM115
            fh.seek(w["offset"])
            yield fh.readline()

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
    # Atomic: a reader never sees half a view.
    os.replace(tmp, target)
    return target, rows
