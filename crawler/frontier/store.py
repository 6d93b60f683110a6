"""The frontier's SQLite file: queued requests, requests taken and not finished, keys seen.

One file per OUTPUT_DIR (state/frontier.sqlite3), belonging to one run: a new run empties it, the
same command resuming the run finds it as the killed process left it. Changes are batched into
one transaction per `commit_every` changes or per timer tick (crawler.frontier.scheduler), so the
queue costs no fsync per request. A SIGKILL loses only the last uncommitted batch, and that is
safe because the batch is lost whole and in order: a request's children are pushed before the
request is finished (crawler.distributed.engine_hooks), so a lost finish always comes with its
lost children, and the request, still taken in the file, is handed back and fetched again; and a
key's first sight is committed in the same batch as its queued request (FrontierStore._change).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

FRONTIER_FILE = Path("state") / "frontier.sqlite3"  # under OUTPUT_DIR

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID;
-- taken=1: handed to the engine and not finished yet (handed back when a killed run resumes).
CREATE TABLE IF NOT EXISTS queue(
  seq INTEGER PRIMARY KEY, slot TEXT NOT NULL, priority INTEGER NOT NULL,
  taken INTEGER NOT NULL DEFAULT 0, kind TEXT NOT NULL, key BLOB, data BLOB NOT NULL);
CREATE INDEX IF NOT EXISTS queue_next ON queue(slot, priority DESC, seq) WHERE taken=0;
-- A request queued twice waits once (a resumed run's start() yields what the file still holds).
CREATE UNIQUE INDEX IF NOT EXISTS queue_once ON queue(key) WHERE taken=0 AND key IS NOT NULL;
-- Keys of every filtered request the run queued: the duplicate filter, on disk.
CREATE TABLE IF NOT EXISTS seen(key BLOB PRIMARY KEY) WITHOUT ROWID;
"""


class FrontierStore:
    def __init__(self, path: Path | str, commit_every: int = 500) -> None:
        self.path = path
        self.db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        # As the state store (crawler/state.py): the WAL index in this process's heap, not in a
        # memory-mapped -shm file that turns into SIGBUS when the folder stops taking writes.
        self.db.execute("PRAGMA locking_mode=EXCLUSIVE")
        self.db.execute("PRAGMA journal_mode=WAL")
        # A process crash loses no committed batch in WAL mode with NORMAL (a power cut may lose
        # the last ones: the requests they finished are then fetched again).
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.executescript(SCHEMA)
        self.commit_every = commit_every
        self.changes = 0

    # --- the run the file belongs to ------------------------------------------------------------
    def run_id(self) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key='run_id'").fetchone()
        return row[0] if row else None

    def reset(self, run_id: str) -> None:
        """Empty the file for a new run."""
        self.commit()
        self.db.executescript("DELETE FROM queue; DELETE FROM seen; DELETE FROM meta;")
        self.db.execute("INSERT INTO meta(key, value) VALUES ('run_id', ?)", (run_id,))

    def hand_back(self) -> int:
        """Requests a killed or stopped process had taken go back to the queue; a twin queued
        meanwhile (a retry of it) stands for it."""
        self.commit()
        with self.db:
            self.db.execute(
                "DELETE FROM queue WHERE taken=1 AND key IN "
                "(SELECT key FROM queue WHERE taken=0 AND key IS NOT NULL)"
            )
            self.db.execute(  # two taken twins (a retry taken before its original finished)
                "DELETE FROM queue WHERE taken=1 AND seq NOT IN "
                "(SELECT min(seq) FROM queue WHERE taken=1 GROUP BY key)"
            )
            return self.db.execute("UPDATE queue SET taken=0 WHERE taken=1").rowcount

    # --- batched changes ------------------------------------------------------------------------
    def _change(self, may_commit: bool = True) -> None:
        """Count a change about to be made, inside the open batch. A full batch is committed
        before the change, never after it: committed after, the change's own statement would run
        outside any transaction and commit alone. And never between a key's first sight and its
        push (`push` passes may_commit=False): a seen key committed without its queued request is
        a request no resumed run ever fetches (a kill or a failed write losing the next batch lost
        articles that way)."""
        if may_commit and self.changes >= self.commit_every:
            self.commit()
        if not self.db.in_transaction:
            self.db.execute("BEGIN")
        self.changes += 1

    def commit(self) -> None:
        if self.db.in_transaction:
            self.db.commit()
        self.changes = 0

    def close(self) -> None:
        self.commit()
        self.db.close()

    # --- queue and duplicate filter -------------------------------------------------------------
    def first_sight(self, key: bytes) -> bool:
        """Mark `key` seen; False when it was already."""
        self._change()
        return self.db.execute("INSERT OR IGNORE INTO seen(key) VALUES (?)", (key,)).rowcount == 1

    def forget(self, key: bytes) -> None:
        """Unmark a key just seen (its request stays in memory, not here: the scheduler). In the
        batch of its first sight, so the two never reach the file apart."""
        self._change(may_commit=False)
        self.db.execute("DELETE FROM seen WHERE key=?", (key,))

    def push(
        self, slot: str, priority: int, kind: str, key: bytes | None, data: bytes
    ) -> int | None:
        """Queue a request; None when its twin is already queued. Commits nothing: the key's
        first sight just before must land in the same batch."""
        self._change(may_commit=False)
        cursor = self.db.execute(
            "INSERT OR IGNORE INTO queue(slot, priority, kind, key, data) VALUES (?, ?, ?, ?, ?)",
            (slot, priority, kind, key, data),
        )
        return cursor.lastrowid if cursor.rowcount == 1 else None

    def take(self, slot: str) -> tuple[int, bytes] | None:
        """The next request of `slot` (highest priority, then oldest), marked taken."""
        row = self.db.execute(
            "SELECT seq, data FROM queue WHERE slot=? AND taken=0 "
            "ORDER BY priority DESC, seq LIMIT 1",
            (slot,),
        ).fetchone()
        if row is None:
            return None
        self._change()
        self.db.execute("UPDATE queue SET taken=1 WHERE seq=?", (row[0],))
        return row[0], row[1]

    def finish(self, seq: int) -> None:
        self._change()
        self.db.execute("DELETE FROM queue WHERE seq=?", (seq,))

    def queued_by_slot(self) -> dict[str, int]:
        rows = self.db.execute("SELECT slot, count(*) FROM queue WHERE taken=0 GROUP BY slot")
        return dict(rows.fetchall())

    def pending_by_kind(self) -> dict[str, int]:
        """Queued and taken requests per kind (listing, item, requisite, probe, recheck, other)."""
        return dict(self.db.execute("SELECT kind, count(*) FROM queue GROUP BY kind").fetchall())


def pending_by_kind(path: Path) -> dict[str, int] | None:
    """The frontier of an OUTPUT_DIR, read without a lock (`scrapy status` beside a running crawl):
    None when there is none or it cannot be read now."""
    if not path.exists():
        return None
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=0.5)
        try:
            return dict(db.execute("SELECT kind, count(*) FROM queue GROUP BY kind").fetchall())
        finally:
            db.close()
    except sqlite3.Error:
        return None  # a running crawl holds it exclusively
