"""SightingsStage: what the run learns about an id after its record was written (another listing
section, another URL or host linking it) goes to the `sightings` stream, one line per sighting
(crawler/records/sightings.py) — never a second record version for the same content.

Which ids to look at: in one process, the state store queues every new sighting of an id the run
has written (its `sighted_again` table, filled by a trigger). In distributed mode the sightings
live in Redis and any worker may add one, so the worker that wrote an id looks at all the ids it
wrote once the shared crawl is idle (`sweep_all`).
"""

from __future__ import annotations

from typing import Any

from crawler.items import SCHEMA_VERSION
from crawler.records.merge import add_sightings, new_sightings
from crawler.records.sightings import sighting_lines
from crawler.run import utcnow_iso

BATCH = 500  # ids per write and state commit


class SightingsStage:
    def __init__(self, run: Any, stats: Any, write: Any) -> None:
        self.run = run
        self.stats = stats
        self.write = write  # the WriteStage

    def sweep(self) -> None:
        """The ids sighted again since their record was written."""
        while ids := self.run.state.sighted_again(self.run.run_id, BATCH):
            self._batch(ids)

    def sweep_all(self) -> None:
        """Every id this process wrote a record for in this run."""
        ids = self.run.state.written_ids(self.run.run_id, "articles")
        for start in range(0, len(ids), BATCH):
            self._batch(ids[start : start + BATCH])

    def _batch(self, ids: list[str]) -> None:
        run_id, now = self.run.run_id, utcnow_iso()
        lines: list[dict[str, Any]] = []
        changed: dict[str, tuple[dict, int]] = {}
        for item_id in ids:
            had = self.run.state.sighted(run_id, item_id)
            seen = self.run.sightings.sightings(run_id, item_id)
            new = new_sightings(had[0], seen) if had is not None else []
            if not new:  # (None: written before sightings were tracked, nothing to compare with)
                self.run.state.done_sighted_again(run_id, item_id)
                continue
            lines.extend(sighting_lines(item_id, run_id, new, now, SCHEMA_VERSION))
            changed[item_id] = (add_sightings(had[0], new), had[1] + len(new))
            for kind, _, _ in new:
                self.stats.inc_value(f"records/sightings/{kind}")
        if changed:
            self.write.sightings(lines, changed)
