"""The state store: one SQLite file under OUTPUT_DIR that remembers, per article/album id, what was
archived (hash, version, validators, archive pointers), and per run what was seen and written.

SQLite in WAL mode survives a SIGKILL of the process with every committed transaction intact; the
writer commits a record's state row only after its JSON line is on disk (crawler.writer), and
reconciles the other way round on resume.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

SCHEMA = """
CREATE TABLE IF NOT EXISTS runs(
  run_id TEXT PRIMARY KEY, signature TEXT, started_at TEXT, finished_at TEXT, status TEXT,
  mode TEXT);
CREATE TABLE IF NOT EXISTS items(
  id TEXT PRIMARY KEY, type TEXT, edition TEXT, status TEXT, version INTEGER,
  content_hash TEXT, first_seen TEXT, last_seen TEXT, last_checked TEXT, published_at TEXT,
  url TEXT, canonical_url TEXT, etag TEXT, last_modified TEXT,
  warc_filename TEXT, warc_record_id TEXT, warc_payload_digest TEXT, last_run TEXT,
  sections TEXT, editions_seen TEXT);
-- What a run saw of an id before writing it: sections (value=slug, extra=name), urls, editions.
CREATE TABLE IF NOT EXISTS sightings(
  run_id TEXT, id TEXT, kind TEXT, value TEXT, extra TEXT,
  PRIMARY KEY(run_id, id, kind, value)) WITHOUT ROWID;
-- Extracted records waiting RECORD_DELAY seconds (staged_at: time.time()) before they are written.
CREATE TABLE IF NOT EXISTS pending(
  run_id TEXT, id TEXT, record TEXT, staged_at REAL, PRIMARY KEY(run_id, id)) WITHOUT ROWID;
-- Per id a run wrote a record for: what its record and sightings lines say it was seen as
-- (crawler.records.merge `covered`, JSON) and how many sightings lines it has.
CREATE TABLE IF NOT EXISTS sighted(
  run_id TEXT, id TEXT, seen TEXT, lines INTEGER, PRIMARY KEY(run_id, id)) WITHOUT ROWID;
-- Ids sighted again after the run wrote their record: the sightings stream's to-do list.
CREATE TABLE IF NOT EXISTS sighted_again(run_id TEXT, id TEXT, PRIMARY KEY(run_id, id))
  WITHOUT ROWID;
-- Lines on disk: the state side of the writer's protocol.
CREATE TABLE IF NOT EXISTS written(
  run_id TEXT, stream TEXT, id TEXT, version INTEGER, file TEXT, offset INTEGER,
  PRIMARY KEY(run_id, stream, id, version)) WITHOUT ROWID;
-- Page requisites (images, CSS, JS) archived once: a refresh does not fetch them again.
CREATE TABLE IF NOT EXISTS requisites(url TEXT PRIMARY KEY, status INTEGER, first_seen TEXT)
  WITHOUT ROWID;
-- Article ids probed by `-a ids=...` (status: HTTP status, 0 for a network error).
CREATE TABLE IF NOT EXISTS probes(article_id INTEGER PRIMARY KEY, status INTEGER, checked_at TEXT);
-- The site's page template learned per edition host (crawler.pages.template, crawler.learning).
CREATE TABLE IF NOT EXISTS templates(edition TEXT PRIMARY KEY, data TEXT, updated_at TEXT)
  WITHOUT ROWID;
-- Why a URL or id a urls_file/ids run asked for was not archived (crawler.requested).
CREATE TABLE IF NOT EXISTS misses(
  run_id TEXT, id TEXT, reason TEXT, PRIMARY KEY(run_id, id)) WITHOUT ROWID;
-- A new sighting of an id the run has written: queued for the sightings stream, in the sighting's
-- own autocommit, so a crash never loses one (OR IGNORE: a repeated sighting fires nothing).
CREATE TRIGGER IF NOT EXISTS sighting_after_record AFTER INSERT ON sightings
WHEN EXISTS(SELECT 1 FROM written WHERE run_id=NEW.run_id AND stream='articles' AND id=NEW.id)
BEGIN INSERT OR IGNORE INTO sighted_again VALUES(NEW.run_id, NEW.id); END;
"""

ITEM_COLUMNS = [
    "id",
    "type",
    "edition",
    "status",
    "version",
    "content_hash",
    "first_seen",
    "last_seen",
    "last_checked",
    "published_at",
    "url",
    "canonical_url",
    "etag",
    "last_modified",
    "warc_filename",
    "warc_record_id",
    "warc_payload_digest",
    "last_run",
    "sections",
    "editions_seen",
]


class StateStore:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self.db.row_factory = sqlite3.Row
        # Exclusive before WAL: the WAL index then lives in this process's heap instead of a
        # memory-mapped `-shm` file, whose pages turn into SIGBUS when the file can no longer be
        # written (an immutable or read-only OUTPUT_DIR); a failed write must surface as an
        # exception the run can stop on. Only one process uses the file anyway (the run lock).
        self.db.execute("PRAGMA locking_mode=EXCLUSIVE")
        self.db.execute("PRAGMA journal_mode=WAL")
        # NORMAL in WAL mode loses nothing on a process crash (only on power loss), and costs
        # one fsync per checkpoint instead of per transaction.
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.executescript(SCHEMA)
        self._migrate()

    # Columns added after the first release: an archive made by an older crawler gains them.
    ADDED_COLUMNS = {
        "runs": {"mode": "TEXT"},
        "items": {"sections": "TEXT", "editions_seen": "TEXT"},
        "written": {"offset": "INTEGER"},
        "pending": {"staged_at": "REAL"},
    }

    def _migrate(self) -> None:
        for table, columns in self.ADDED_COLUMNS.items():
            have = {r["name"] for r in self.db.execute(f"PRAGMA table_info({table})")}
            for name, kind in columns.items():
                if name not in have:
                    self.db.execute(f"ALTER TABLE {table} ADD COLUMN {name} {kind}")

    def close(self) -> None:
        self.db.close()

    # --- learned page templates ----------------------------------------------------------------
    def template(self, edition: str) -> str | None:
        row = self.db.execute("SELECT data FROM templates WHERE edition=?", (edition,)).fetchone()
        return row["data"] if row else None

    def save_template(self, edition: str, data: str, now: str) -> None:
        self.db.execute(
            "INSERT INTO templates(edition, data, updated_at) VALUES (?, ?, ?) "
            "ON CONFLICT(edition) DO UPDATE SET data=excluded.data, updated_at=excluded.updated_at",
            (edition, data, now),
        )

    # --- transactions -------------------------------------------------------------------------
    def transaction(self) -> _Transaction:
        return _Transaction(self.db)

    # --- runs ---------------------------------------------------------------------------------
    def unfinished_run(self, signature: str) -> sqlite3.Row | None:
        return self.db.execute(
            "SELECT * FROM runs WHERE finished_at IS NULL AND signature=? "
            "ORDER BY started_at DESC LIMIT 1",
            (signature,),
        ).fetchone()

    def start_run(self, run_id: str, signature: str, now: str, mode: str) -> None:
        self.db.execute(
            "INSERT INTO runs(run_id, signature, started_at, mode) VALUES(?,?,?,?)",
            (run_id, signature, now, mode),
        )

    def finish_run(self, run_id: str, now: str, status: str) -> None:
        self.db.execute(
            "UPDATE runs SET finished_at=?, status=? WHERE run_id=?", (now, status, run_id)
        )

    def previous_runs(self, signature: str, before: str) -> list[sqlite3.Row]:
        return self.db.execute(
            "SELECT * FROM runs WHERE signature=? AND run_id<? AND finished_at IS NOT NULL "
            "ORDER BY run_id DESC",
            (signature, before),
        ).fetchall()

    # --- items --------------------------------------------------------------------------------
    def item(self, item_id: str) -> sqlite3.Row | None:
        return self.db.execute("SELECT * FROM items WHERE id=?", (item_id,)).fetchone()

    def upsert_item(self, row: dict[str, Any]) -> None:
        cols = [c for c in ITEM_COLUMNS if c in row]
        updates = ", ".join(f"{c}=excluded.{c}" for c in cols if c != "id")
        self.db.execute(
            f"INSERT INTO items({', '.join(cols)}) VALUES({', '.join('?' * len(cols))}) "
            f"ON CONFLICT(id) DO UPDATE SET {updates}",
            [row[c] for c in cols],
        )

    def known_ids(self, ids: Iterable[str]) -> set[str]:
        """The ids among `ids` already archived (live or gone)."""
        ids = list(ids)
        if not ids:
            return set()
        q = f"SELECT id FROM items WHERE id IN ({','.join('?' * len(ids))})"
        return {r["id"] for r in self.db.execute(q, ids)}

    def items_per_edition(self, run_id: str) -> dict[str, int]:
        """Items this run saw (written or found unchanged), per edition."""
        return dict(
            self.db.execute(
                "SELECT edition, count(*) FROM items WHERE last_run=? GROUP BY edition", (run_id,)
            ).fetchall()
        )

    def count_items(self) -> int:
        return self.db.execute("SELECT count(*) FROM items").fetchone()[0]

    def recheck_candidates(
        self, window_start: str, budget: int, exclude_run: str
    ) -> list[sqlite3.Row]:
        """Live items to re-request conditionally: every one published since `window_start`,
        plus the `budget` least-recently-checked older ones (a rolling sweep of the archive)."""
        recent = self.db.execute(
            "SELECT * FROM items WHERE status='live' AND published_at >= ? "
            "AND coalesce(last_run,'') != ? ORDER BY published_at DESC",
            (window_start, exclude_run),
        ).fetchall()
        older = self.db.execute(
            "SELECT * FROM items WHERE status='live' AND (published_at IS NULL OR published_at < ?) "
            "AND coalesce(last_run,'') != ? ORDER BY last_checked ASC, id LIMIT ?",
            (window_start, exclude_run, budget),
        ).fetchall()
        return recent + older

    def mark_checked(self, item_id: str, now: str, run_id: str) -> None:
        self.db.execute(
            "UPDATE items SET last_checked=?, last_seen=?, last_run=? WHERE id=?",
            (now, now, run_id, item_id),
        )

    # --- sightings ----------------------------------------------------------------------------
    def add_sighting(
        self, run_id: str, item_id: str, kind: str, value: str, extra: str | None = None
    ) -> None:
        self.db.execute(
            "INSERT OR IGNORE INTO sightings VALUES(?,?,?,?,?)",
            (run_id, item_id, kind, value, extra),
        )

    def sightings(self, run_id: str, item_id: str) -> dict[str, list[tuple[str, str | None]]]:
        out: dict[str, list[tuple[str, str | None]]] = {"section": [], "url": [], "edition": []}
        for r in self.db.execute(
            "SELECT kind, value, extra FROM sightings WHERE run_id=? AND id=? ORDER BY value",
            (run_id, item_id),
        ):
            out.setdefault(r["kind"], []).append((r["value"], r["extra"]))
        return out

    # --- pending records ----------------------------------------------------------------------
    def get_pending(self, run_id: str, item_id: str) -> dict[str, Any] | None:
        row = self.db.execute(
            "SELECT record FROM pending WHERE run_id=? AND id=?", (run_id, item_id)
        ).fetchone()
        return json.loads(row["record"]) if row else None

    def put_pending(
        self, run_id: str, item_id: str, record: dict[str, Any], staged_at: float
    ) -> None:
        """Stage a record; replacing one keeps when it was first staged (its delay runs from then)."""
        self.db.execute(
            "INSERT INTO pending(run_id, id, record, staged_at) VALUES(?,?,?,?) "
            "ON CONFLICT(run_id, id) DO UPDATE SET record=excluded.record",
            (run_id, item_id, json.dumps(record, ensure_ascii=False), staged_at),
        )

    def iter_pending(
        self, run_id: str, batch: int = 500, staged_before: float | None = None
    ) -> Iterator[list[dict[str, Any]]]:
        """Pending records (those staged before `staged_before` when given) in batches; each batch
        is read before the caller deletes it. A record staged by an older crawler (no time) is due."""
        before = float("inf") if staged_before is None else staged_before
        while True:
            rows = self.db.execute(
                "SELECT record FROM pending WHERE run_id=? AND coalesce(staged_at, 0) <= ? "
                "ORDER BY staged_at, id LIMIT ?",
                (run_id, before, batch),
            ).fetchall()
            if not rows:
                return
            yield [json.loads(r["record"]) for r in rows]

    def count_pending(self, run_id: str) -> int:
        return self.db.execute("SELECT count(*) FROM pending WHERE run_id=?", (run_id,)).fetchone()[
            0
        ]

    def delete_pending(self, run_id: str, item_id: str) -> None:
        self.db.execute("DELETE FROM pending WHERE run_id=? AND id=?", (run_id, item_id))

    # --- what written records were seen as (the sightings stream) ----------------------------
    def sighted(self, run_id: str, item_id: str) -> tuple[dict[str, list], int] | None:
        row = self.db.execute(
            "SELECT seen, lines FROM sighted WHERE run_id=? AND id=?", (run_id, item_id)
        ).fetchone()
        return (json.loads(row["seen"]), row["lines"] or 0) if row else None

    def put_sighted(self, run_id: str, item_id: str, seen: dict[str, list], lines: int) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO sighted VALUES(?,?,?,?)",
            (run_id, item_id, json.dumps(seen, ensure_ascii=False), lines),
        )

    def sighted_again(self, run_id: str, limit: int = 500) -> list[str]:
        rows = self.db.execute(
            "SELECT id FROM sighted_again WHERE run_id=? ORDER BY id LIMIT ?", (run_id, limit)
        )
        return [r["id"] for r in rows]

    def done_sighted_again(self, run_id: str, item_id: str) -> None:
        self.db.execute("DELETE FROM sighted_again WHERE run_id=? AND id=?", (run_id, item_id))

    def written_ids(self, run_id: str, stream: str) -> list[str]:
        rows = self.db.execute(
            "SELECT DISTINCT id FROM written WHERE run_id=? AND stream=? ORDER BY id",
            (run_id, stream),
        )
        return [r["id"] for r in rows]

    # --- written lines ------------------------------------------------------------------------
    def mark_written(
        self, run_id: str, stream: str, item_id: str, version: int, file: str, offset: int
    ) -> None:
        self.db.execute(
            "INSERT OR IGNORE INTO written VALUES(?,?,?,?,?,?)",
            (run_id, stream, item_id, version, file, offset),
        )

    def newest_written(self) -> Iterator[sqlite3.Row]:
        """Per id, where its newest article version and any tombstone newer than it were written."""
        return self.db.execute(
            "SELECT w.* FROM written w JOIN items i ON i.id = w.id "
            "WHERE w.stream='articles' AND w.version = i.version ORDER BY w.id"
        )

    def written_in_run(self, run_id: str, stream: str, item_id: str) -> bool:
        return (
            self.db.execute(
                "SELECT 1 FROM written WHERE run_id=? AND stream=? AND id=?",
                (run_id, stream, item_id),
            ).fetchone()
            is not None
        )

    def is_written(self, run_id: str, stream: str, item_id: str, version: int) -> bool:
        return (
            self.db.execute(
                "SELECT 1 FROM written WHERE run_id=? AND stream=? AND id=? AND version=?",
                (run_id, stream, item_id, version),
            ).fetchone()
            is not None
        )

    # --- page requisites -----------------------------------------------------------------------
    def requisite_known(self, url: str) -> bool:
        return (
            self.db.execute("SELECT 1 FROM requisites WHERE url=?", (url,)).fetchone() is not None
        )

    def record_requisite(self, url: str, status: int, now: str) -> None:
        self.db.execute("INSERT OR IGNORE INTO requisites VALUES(?,?,?)", (url, status, now))

    # --- id probes ----------------------------------------------------------------------------
    def probed(self, start: int, end: int) -> set[int]:
        return {
            r[0]
            for r in self.db.execute(
                "SELECT article_id FROM probes WHERE status > 0 AND article_id BETWEEN ? AND ?",
                (start, end),
            )
        }

    def count_probed(self, start: int, end: int) -> int:
        return self.db.execute(
            "SELECT count(*) FROM probes WHERE status > 0 AND article_id BETWEEN ? AND ?",
            (start, end),
        ).fetchone()[0]

    def record_probe(self, article_id: int, status: int, now: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO probes VALUES(?,?,?)", (article_id, status, now))

    def probes_between(self, start: int, end: int) -> dict[int, int]:
        return dict(
            self.db.execute(
                "SELECT article_id, status FROM probes WHERE article_id BETWEEN ? AND ?",
                (start, end),
            ).fetchall()
        )

    # --- misses of urls_file / ids runs -------------------------------------------------------
    def record_miss(self, run_id: str, item_id: str, reason: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO misses VALUES(?,?,?)", (run_id, item_id, reason))

    def misses(self, run_id: str) -> dict[str, str]:
        rows = self.db.execute("SELECT id, reason FROM misses WHERE run_id=?", (run_id,))
        return {r["id"]: r["reason"] for r in rows}

    def archived_in_run(self, run_id: str) -> set[str]:
        """Ids this run wrote or found unchanged."""
        rows = self.db.execute(
            "SELECT id FROM items WHERE last_run=? UNION "
            "SELECT id FROM written WHERE run_id=? AND stream='articles'",
            (run_id, run_id),
        )
        return {r[0] for r in rows}

    def rejected_in_run(self, run_id: str) -> set[str]:
        rows = self.db.execute(
            "SELECT id FROM written WHERE run_id=? AND stream='rejected'", (run_id,)
        )
        return {r[0] for r in rows}

    def live_article_ids(self, start: int, end: int) -> set[int]:
        """Article ids between start and end that the archive holds live (any run)."""
        rows = self.db.execute(
            "SELECT id FROM items WHERE status='live' AND id GLOB 'baolongan:[0-9]*'"
        )
        found = (int(r[0].rsplit(":", 1)[1]) for r in rows)
        return {n for n in found if start <= n <= end}


class _Transaction:
    """`with store.transaction():` — BEGIN IMMEDIATE ... COMMIT, ROLLBACK on error."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def __enter__(self) -> sqlite3.Connection:
        self.db.execute("BEGIN IMMEDIATE")
        return self.db

    def __exit__(self, exc_type, exc, tb) -> None:
        self.db.execute("ROLLBACK" if exc_type else "COMMIT")
