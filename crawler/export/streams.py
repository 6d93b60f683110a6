"""Which JSON Lines files make up each exported stream, and their rows.

A run still going (or killed and not yet resumed) may end its file with an incomplete line
(docs/data.md "Streams and files"): a last line without its newline is left out, never guessed at.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

# stream -> (schema stream in crawler/schema.py, file patterns under OUTPUT_DIR/records)
STREAMS: dict[str, tuple[str, tuple[str, ...]]] = {
    "articles": ("articles", ("articles/*/*.jsonl",)),
    # The latest view holds live article records only (crawler/latest.py).
    "latest": ("articles", ("latest.jsonl",)),
    "tombstones": ("tombstones", ("tombstones/*.jsonl",)),
    # What runs saw of ids after writing their records (the latest view has them folded in).
    "sightings": ("sightings", ("sightings/*.jsonl",)),
}


def stream_files(output_dir: Path, stream: str) -> list[Path]:
    records = output_dir / "records"
    files: list[Path] = []
    for pattern in STREAMS[stream][1]:
        files.extend(sorted(records.glob(pattern)))
    if stream == "latest" and not files:
        # An archive from before records/latest.jsonl existed: its newest per-run view.
        files = sorted((records / "latest").glob("*.jsonl"))[-1:]
    return files


def read_rows(path: Path) -> Iterator[dict[str, Any]]:
    with open(path, "rb") as fh:
        for line in fh:
            if not line.endswith(b"\n"):
                return  # torn last line of a run still going
            if line.strip():
                yield json.loads(line)


def stream_rows(output_dir: Path, stream: str) -> Iterator[dict[str, Any]]:
    for path in stream_files(output_dir, stream):
        yield from read_rows(path)
