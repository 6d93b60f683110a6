"""Indexes beside the WARC files: the per-URL payload digest index, the sha256 manifest, the CDXJ.

Everything here lives under OUTPUT_DIR/warc/ next to the WARC files it describes:
    digests.sqlite3            url + payload digest -> the full response record holding that payload
    manifest-sha256.txt        `<sha256>  <filename>` per closed file (`sha256sum -c` format)
    <file>.warc.gz.cdxj        CDXJ index of one closed file, made by cdxj-indexer
"""

from __future__ import annotations

import hashlib
import os
import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from cdxj_indexer.main import write_cdx_index

MANIFEST = "manifest-sha256.txt"
CDXJ_SORT_BUFFER = 4 * 2**20
DIGEST_DB = "digests.sqlite3"
_MANIFEST_LINE = re.compile(r"^([0-9a-f]{64})  (\S+)$")

DIGEST_SCHEMA = """
CREATE TABLE IF NOT EXISTS payloads(
  url TEXT, digest TEXT, record_id TEXT, filename TEXT, offset INTEGER, date TEXT,
  last_seen TEXT, PRIMARY KEY(url, digest)) WITHOUT ROWID;
"""


@dataclass(frozen=True)
class Original:
    """The full response record a revisit refers to."""

    url: str
    digest: str
    record_id: str
    filename: str
    offset: int
    date: str


class DigestIndex:
    """Which payload of which URL is already archived, and where.

    Kept per (url, digest) rather than per URL only, so a page that flips between two versions
    (A, B, A) still gets a revisit the third time: the payload is archived, whatever came between.
    Persisted in SQLite (WAL) so revisits work across runs; a dict in front of it keeps the run's
    recent lookups off the disk. The dict is bounded (CACHE_MAX, emptied when full): kept whole it
    held every response's URL, digest, record id and date, ~0.5 KB per response for a whole
    first crawl (tests/benchmarks/memory.py).
    """

    CACHE_MAX = 10_000
    # Rows are committed in batches: a commit per response cost ~40 µs of the reactor's time
    # (tests/benchmarks/RESULTS.md). Rows are only ever added after their record is on disk, so
    # a kill loses at most the last batch, and a lost row only means that payload's next fetch
    # is archived as a full response instead of a revisit.
    COMMIT_EVERY = 256

    def __init__(self, path: Path) -> None:
        self.db = sqlite3.connect(path, isolation_level=None)
        # No memory-mapped `-shm` file (a SIGBUS once OUTPUT_DIR is unwritable): see StateStore.
        self.db.execute("PRAGMA locking_mode=EXCLUSIVE")
        self.db.execute("PRAGMA journal_mode=WAL")
        # A row is written only after its record is on disk; NORMAL loses nothing on a process
        # crash and a row lost to a power cut only costs a full record instead of a revisit.
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.executescript(DIGEST_SCHEMA)
        self._cache: dict[tuple[str, str], Original] = {}
        self._uncommitted = 0

    def close(self) -> None:
        self.commit()
        self.db.close()

    def commit(self) -> None:
        if self._uncommitted:
            self.db.execute("COMMIT")
            self._uncommitted = 0

    def _write(self, sql: str, args: tuple) -> sqlite3.Cursor:
        if not self._uncommitted:
            self.db.execute("BEGIN")
        cursor = self.db.execute(sql, args)
        self._uncommitted += 1
        if self._uncommitted >= self.COMMIT_EVERY:
            self.commit()
        return cursor

    def find(self, url: str, digest: str) -> Original | None:
        hit = self._cache.get((url, digest))
        if hit is None:
            row = self.db.execute(
                "SELECT url, digest, record_id, filename, offset, date FROM payloads"
                " WHERE url=? AND digest=?",
                (url, digest),
            ).fetchone()
            if row:
                hit = Original(*row)
                self._remember(hit)
        return hit

    def _remember(self, original: Original) -> None:
        if len(self._cache) >= self.CACHE_MAX:
            self._cache.clear()
        self._cache[(original.url, original.digest)] = original

    def latest(self, url: str) -> Original | None:
        """The payload of `url` confirmed most recently (what a 304 says is still current)."""
        row = self.db.execute(
            "SELECT url, digest, record_id, filename, offset, date FROM payloads"
            " WHERE url=? ORDER BY last_seen DESC LIMIT 1",
            (url,),
        ).fetchone()
        return Original(*row) if row else None

    def add(self, original: Original) -> None:
        self._write(
            "INSERT OR REPLACE INTO payloads VALUES(?,?,?,?,?,?,?)",
            (*_fields(original), original.date),
        )
        self._remember(original)

    def seen(self, url: str, digest: str, date: str) -> None:
        self._write("UPDATE payloads SET last_seen=? WHERE url=? AND digest=?", (date, url, digest))

    def forget_from(self, filename: str, offset: int) -> int:
        """Drop rows pointing at bytes a crash recovery cut off (or at a file it deleted)."""
        cur = self._write("DELETE FROM payloads WHERE filename=? AND offset>=?", (filename, offset))
        self.commit()  # at once: a row left pointing at cut bytes would make a dangling revisit
        self._cache = {k: v for k, v in self._cache.items() if v.filename != filename}
        return cur.rowcount


def _fields(o: Original) -> tuple:
    return (o.url, o.digest, o.record_id, o.filename, o.offset, o.date)


# --- manifest ----------------------------------------------------------------------------------
def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def read_manifest(directory: Path) -> dict[str, str]:
    """filename -> sha256 of the manifest's complete lines."""
    path = directory / MANIFEST
    if not path.exists():
        return {}
    out = {}
    for line in path.read_text("ascii", errors="replace").splitlines():
        m = _MANIFEST_LINE.match(line)
        if m:
            out[m.group(2)] = m.group(1)
    return out


def append_manifest(directory: Path, filename: str, sha256: str) -> None:
    path = directory / MANIFEST
    with open(path, "ab+") as fh:
        # A crash mid-append can leave a line without its newline; cut it so the next line
        # does not glue onto it (the repair on startup re-adds the file it was for).
        size = fh.seek(0, os.SEEK_END)
        if size:
            fh.seek(size - 1)
            if fh.read(1) != b"\n":
                fh.seek(0)
                data = fh.read()
                fh.truncate(data.rfind(b"\n") + 1)
                fh.seek(0, os.SEEK_END)
        fh.write(f"{sha256}  {filename}\n".encode("ascii"))
        fh.flush()
        os.fsync(fh.fileno())


# --- CDXJ --------------------------------------------------------------------------------------
def cdxj_path(warc_path: Path) -> Path:
    return warc_path.with_name(warc_path.name + ".cdxj")


def write_cdxj(warc_path: Path) -> Path:
    """Index one closed WARC file; the index appears atomically (tmp + rename) or not at all."""
    out = cdxj_path(warc_path)
    tmp = out.with_name(out.name + ".tmp")
    # `warc-record-id` is added to the default fields so a record's pointer (filename + record id)
    # resolves through the index without scanning the WARC. The sort runs in chunks of
    # CDXJ_SORT_BUFFER characters merged from temporary files (cdxj-indexer's own external sort):
    # sorted whole in memory, a 270 MB file's index added ~30 MB to the crawl's RSS at each
    # rotation and at close, ~100 MB for a full 1 GB file (tests/benchmarks/RESULTS.md).
    opts = {"sort": True, "fields": "warc-record-id", "max_sort_buff_size": CDXJ_SORT_BUFFER}
    write_cdx_index(str(tmp), [str(warc_path)], opts)
    with open(tmp, "rb") as fh:
        os.fsync(fh.fileno())
    os.replace(tmp, out)
    return out
