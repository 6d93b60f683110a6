"""WriteStage: the last stage. Lines go to disk through crawler/writer.py (appended, fsynced), and
only then is the state committed in one transaction — so a SIGKILL anywhere leaves every line either
committed or on disk for `reconcile` to commit on resume, and never one twice or torn.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from crawler import crashpoints
from crawler.items import SCHEMA_VERSION
from crawler.observe import coverage
from crawler.pipelines.stages import public
from crawler.records.merge import add_sightings, covered
from crawler.records.row import folded_columns, written_row
from crawler.records.sightings import as_new
from crawler.records.tombstone import gone_row, tombstone
from crawler.run import utcnow_iso
from crawler.schema import validate
from crawler.writer import RecordWriter

logger = logging.getLogger(__name__)


class WriteStage:
    def __init__(self, run: Any, stats: Any) -> None:
        self.run = run
        self.stats = stats
        self.writer = RecordWriter(run.output_dir, run.run_id)

    @property
    def state(self):
        return self.run.state

    def close(self) -> None:
        self.writer.close()

    def _append(self, path: Path, rows: list[dict[str, Any]]) -> list[tuple[str, int]]:
        offsets = self.writer.append(path, rows)  # durable before the caller's state commit
        return [(self.writer.relpath(path), offset) for offset in offsets]

    # --- records ------------------------------------------------------------------------------
    def records(self, finished: list[dict[str, Any]], done: list[str]) -> None:
        """Write finished records (articles, or `_rejected` rows) and unstage the `done` ids."""
        by_path: dict[Path, list[dict[str, Any]]] = {}
        for record in finished:
            if "_rejected" in record:
                path = self.writer.path("rejected")
            else:
                path = self.writer.path("articles", record["edition"])
            by_path.setdefault(path, []).append(record)
        placed: list[tuple[dict[str, Any], tuple[str, int]]] = []
        for path, records in by_path.items():
            rows = [r.get("_rejected") or public(r) for r in records]
            placed.extend(zip(records, self._append(path, rows), strict=True))
        run_id = self.run.run_id
        with self.state.transaction():
            for record, (file, offset) in placed:
                if "_rejected" in record:
                    self.state.mark_written(run_id, "rejected", record["id"], 0, file, offset)
                    continue
                self.state.mark_written(
                    run_id, "articles", record["id"], record["version"], file, offset
                )
                self.state.upsert_item(record["_row"])
                # What the record says it was seen as: later sightings are what it lacks.
                self.state.put_sighted(run_id, record["id"], covered(record), 0)
                self.stats.inc_value(f"records/written/{record['edition']}")
                self.stats.inc_value(f"records/written/{record['type']}")
                coverage.count(self.stats, record)  # field coverage as written
            for item_id in done:
                self.state.delete_pending(run_id, item_id)
            crashpoints.reached("state_commit", self.run.output_dir)

    # --- sightings ----------------------------------------------------------------------------
    def sightings(self, lines: list[dict[str, Any]], seen: dict[str, tuple[dict, int]]) -> None:
        """Write sightings lines, then commit what each id is now seen as (`seen`: id ->
        (covered, line count)) and take the ids off the to-do list."""
        for line in lines:
            errors = validate(line, "sightings")
            if errors:
                logger.error("sighting of %s fails its schema: %s", line["id"], errors[:3])
        path = self.writer.path("sightings")
        self._append(path, lines)
        run_id = self.run.run_id
        with self.state.transaction():
            for item_id, (done, count) in seen.items():
                self.state.put_sighted(run_id, item_id, done, count)
                self.state.upsert_item({"id": item_id, **folded_columns(done)})
                self.state.done_sighted_again(run_id, item_id)
            crashpoints.reached("sightings_commit", self.run.output_dir)
        self.stats.inc_value("records/sightings/written", len(lines))

    # --- tombstones ---------------------------------------------------------------------------
    def tombstone(self, item: dict[str, Any]) -> None:
        """An archived item answered 404/410 or redirected away: record it once as gone."""
        run_id = self.run.run_id
        previous = self.state.item(item["id"])
        if self.state.written_in_run(run_id, "tombstones", item["id"]):
            return  # recorded by this run already (before a crash, reconciled since)
        tomb = tombstone(item, previous, run_id, utcnow_iso(), SCHEMA_VERSION)
        if tomb is None:
            return
        errors = validate(tomb, "tombstones")
        if errors:
            logger.error("tombstone for %s fails its schema: %s", item["id"], errors)
        path = self.writer.path("tombstones")
        ((file, offset),) = self._append(path, [tomb])
        crashpoints.reached("tombstone_commit", self.run.output_dir)
        with self.state.transaction():
            self.state.mark_written(run_id, "tombstones", item["id"], 0, file, offset)
            self.state.upsert_item(gone_row(tomb))
        self.stats.inc_value("records/tombstones")

    # --- recovery -----------------------------------------------------------------------------
    def reconcile(self) -> int:
        """After a crash: commit the state of lines that reached disk but not the state store."""
        fixed = 0
        run_id = self.run.run_id
        for stream, path, offset, line in self.writer.reconcile():
            if stream == "sightings":
                fixed += self._reconcile_sighting(line)
                continue
            version = line.get("version") or 0
            if self.state.is_written(run_id, stream, line["id"], version):
                continue
            with self.state.transaction():
                self.state.mark_written(
                    run_id, stream, line["id"], version, self.writer.relpath(path), offset
                )
                if stream == "articles":
                    production = self.run.editions.to_production(line["url"])
                    self.state.upsert_item(written_row(line, production, run_id))
                    self.state.put_sighted(run_id, line["id"], covered(line), 0)
                elif stream == "tombstones":
                    # As tombstone() would have committed it: the item is gone, so the resumed
                    # run does not record the deletion again.
                    self.state.upsert_item(gone_row(line))
                self.state.delete_pending(run_id, line["id"])
            fixed += 1
        return fixed

    def _reconcile_sighting(self, line: dict[str, Any]) -> int:
        """A sightings line on disk: fold it into what its id is seen as (a union, so a line
        committed already changes nothing)."""
        had = self.state.sighted(self.run.run_id, line["id"])
        if had is None:
            return 0
        done = add_sightings(had[0], as_new([line]))
        if done == had[0]:
            return 0
        with self.state.transaction():
            self.state.put_sighted(self.run.run_id, line["id"], done, had[1] + 1)
            self.state.upsert_item({"id": line["id"], **folded_columns(done)})
        return 1
