"""The one component that writes JSON Lines.

Why not Scrapy's FEEDS: a SIGKILL loses the feed's buffered items and a resumed crawl overwrites
numbered batch files (docs/pitfalls.md). Protocol here: append a batch of lines, flush and fsync, and only
then commit the batch's state rows (crawler/pipelines/write.py). On start, `reconcile()` cuts a
torn last line and reports every complete line, so lines written but not committed are committed.

Layout under OUTPUT_DIR (globbable, one file per run and edition):
    records/articles/<run_id>/<edition>.jsonl     articles and albums (type tells them apart)
    records/tombstones/<run_id>.jsonl
    records/sightings/<run_id>.jsonl              what the run saw of an id after writing its record
    records/rejected/<run_id>.jsonl
    records/latest/<run_id>.jsonl                 the site as of this run (docs/contract.md "latest" view)
    records/latest.jsonl                          the newest run's view (crawler/latest.py)
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from crawler import crashpoints

logger = logging.getLogger(__name__)


def dumps(record: dict[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False, separators=(",", ":"), sort_keys=False)


class RecordWriter:
    def __init__(self, output_dir: Path, run_id: str) -> None:
        self.root = output_dir / "records"
        self.run_id = run_id
        self._files: dict[Path, Any] = {}

    def path(self, stream: str, edition: str | None = None) -> Path:
        if stream == "articles":
            return self.root / "articles" / self.run_id / f"{edition}.jsonl"
        return self.root / stream / f"{self.run_id}.jsonl"

    def relpath(self, path: Path) -> str:
        return str(path.relative_to(self.root.parent))

    def _handle(self, path: Path):
        fh = self._files.get(path)
        if fh is None:
            path.parent.mkdir(parents=True, exist_ok=True)
            fh = self._files[path] = open(path, "ab")  # noqa: SIM115 - kept open for the run
        return fh

    def append(self, path: Path, records: Iterable[dict[str, Any]]) -> list[int]:
        """Append records as lines and make them durable before returning their byte offsets."""
        lines = [(dumps(r) + "\n").encode("utf-8") for r in records]
        if not lines:
            return []
        fh = self._handle(path)
        offset = fh.seek(0, os.SEEK_END)
        offsets = []
        for line in lines:
            offsets.append(offset)
            offset += len(line)
        data = b"".join(lines)
        try:
            self._write(fh, data)
        except OSError:
            # Disk full (or any write error): take the partial lines back out, so the file ends
            # on a whole line and the state store, which was not told, agrees with it.
            fh.truncate(offsets[0])
            fh.flush()
            raise
        return offsets

    def _write(self, fh, data: bytes) -> None:
        if crashpoints.active():
            # Half the batch on disk, then stop: the torn-line case of a SIGKILL mid-write.
            fh.write(data[: len(data) // 2])
            fh.flush()
            crashpoints.reached("record_write", self.root.parent)
            data = data[len(data) // 2 :]
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())

    def close(self) -> None:
        for fh in self._files.values():
            fh.close()
        self._files.clear()

    # --- recovery -------------------------------------------------------------------------------
    def run_files(self) -> Iterator[tuple[str, Path]]:
        arts = self.root / "articles" / self.run_id
        if arts.is_dir():
            for p in sorted(arts.glob("*.jsonl")):
                yield "articles", p
        for stream in ("tombstones", "rejected", "sightings"):
            p = self.root / stream / f"{self.run_id}.jsonl"
            if p.exists():
                yield stream, p

    def reconcile(self) -> Iterator[tuple[str, Path, int, dict[str, Any]]]:
        """Cut torn last lines of this run's files; yield (stream, path, offset, record) per line."""
        for stream, path in self.run_files():
            truncate_torn_tail(path)
            with open(path, "rb") as fh:
                offset = 0
                for line in fh:
                    yield stream, path, offset, json.loads(line)
                    offset += len(line)


def truncate_torn_tail(path: Path) -> int:
    """Remove a last line that a crash left without its newline (or unparseable). Returns bytes cut."""
    size = path.stat().st_size
    if size == 0:
        return 0
    with open(path, "rb+") as fh:
        # Find the start of the last line by scanning back from the end.
        pos, chunk = size, 65536
        tail = b""
        while pos > 0:
            step = min(chunk, pos)
            pos -= step
            fh.seek(pos)
            tail = fh.read(step) + tail
            if b"\n" in tail[:-1]:
                break
        complete = tail.endswith(b"\n")
        last_start = pos + (tail.rfind(b"\n", 0, len(tail) - 1) + 1)
        if complete:
            try:
                json.loads(tail[last_start - pos :])
                return 0
            except ValueError:
                pass
        fh.truncate(last_start)
        fh.flush()
        os.fsync(fh.fileno())
    cut = size - last_start
    logger.warning("cut a torn last line of %d bytes from %s", cut, path)
    return cut
