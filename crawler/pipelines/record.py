"""RecordPipeline (500): the only path from an extracted record to the output.

Records stream: each record is staged in the state store when its page is fetched and written
RECORD_DELAY seconds later (a periodic task, and whenever the crawl goes idle or closes), with the
sections, URLs and editions the run has seen of it by then. The delay lets the fetch from the
item's home host replace another host's fetch of it (crawler/records/version.py `prefer`) and the
listings crawled meanwhile name its sections. What is seen of it after that goes to the sightings
stream (crawler/pipelines/sightings.py).

A due record goes through the record stages in order — MergeStage, VersionStage, ValidateStage
(crawler/pipelines/stages.py), then WriteStage (crawler/pipelines/write.py).
"""

from __future__ import annotations

import logging
import sqlite3
import time
from typing import Any

from itemadapter import ItemAdapter
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem, NotConfigured
from twisted.internet import task

from crawler.latest import write_latest
from crawler.pipelines.sightings import SightingsStage
from crawler.pipelines.stages import MergeStage, ValidateStage, VersionStage
from crawler.pipelines.write import WriteStage
from crawler.records.version import prefer
from crawler.run import get_run, is_write_failure, opens_run, stop_for_write_failure

logger = logging.getLogger(__name__)

DEFAULT_RECORD_DELAY = 30.0  # seconds (settings.py RECORD_DELAY)


def tick_interval(delay: float) -> float:
    """How often due records are looked for: a fraction of the delay, between 1 and 15 seconds,
    so a record is on disk at most about RECORD_DELAY + 15 s after its page was fetched."""
    return min(max(delay / 2, 1.0), 15.0)


class RecordPipeline:
    """Stage → (when due) merge → version → validate → write; sightings after the record."""

    def __init__(self, crawler: Crawler, preview: bool = False) -> None:
        # Outside `scrapy crawl` (`scrapy parse --pipelines`) nothing is written; a preview
        # instance only merges records for crawler.preview.
        if not preview and not opens_run(crawler.settings):
            raise NotConfigured("no run outside `scrapy crawl`")
        self.crawler = crawler
        self.stats = crawler.stats
        self.run = get_run(crawler)
        self.delay = max(crawler.settings.getfloat("RECORD_DELAY", DEFAULT_RECORD_DELAY), 0.0)
        self.stages = [
            MergeStage(self.run, self.stats),
            VersionStage(self.run, self.stats),
            ValidateStage(self.run, self.stats),
        ]
        self.write: WriteStage | None = None
        self.sightings: SightingsStage | None = None
        self.loop: task.LoopingCall | None = None
        self.swept_all = False
        if not preview:
            crawler.signals.connect(self.spider_idle, signal=signals.spider_idle)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RecordPipeline:
        return cls(crawler)

    @property
    def state(self):
        return self.run.state

    def open_spider(self, spider: Any = None) -> None:
        self.write = WriteStage(self.run, self.stats)
        self.sightings = SightingsStage(self.run, self.stats, self.write)
        fixed = self.write.reconcile()
        if fixed:
            logger.warning("reconciled %d records written before a crash", fixed)
            self.stats.set_value("records/reconciled", fixed)
        self.loop = task.LoopingCall(self.tick)
        self.loop.start(tick_interval(self.delay), now=False).addErrback(
            lambda f: logger.error("record flush loop stopped: %s", f.getErrorMessage())
        )

    def close_spider(self, spider: Any = None) -> None:
        if self.loop is not None and self.loop.running:
            self.loop.stop()
        # Whatever is staged is written now, with what the run saw of it; only a failed write
        # leaves records staged for the resumed run.
        self.flush()
        left = self.state.count_pending(self.run.run_id)
        if left:
            self.stats.set_value("records/left_pending", left)
        if self.write:
            self.write.close()
        if (
            not left
            and not self.run.write_failure
            and self.crawler.settings.getbool("LATEST_VIEW", True)
        ):
            keep = self.crawler.settings.getint("LATEST_KEEP", 3)
            path, rows = write_latest(self.state, self.run.output_dir, self.run.run_id, keep)
            self.stats.set_value("records/latest_rows", rows)

    # --- staging ----------------------------------------------------------------------------------
    def process_item(self, item: Any) -> Any:
        try:
            return self._stage(item)
        except (OSError, sqlite3.OperationalError) as error:
            if not is_write_failure(error):
                raise
            stop_for_write_failure(self.crawler, error)
            raise DropItem(f"not written ({self.run.write_failure}): {error}") from None

    def _stage(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        if adapter.get("_tombstone"):
            assert self.write is not None
            self.write.tombstone(dict(adapter))
            return item
        record = {k: v for k, v in adapter.items() if not k.startswith("_")}
        fetch = adapter.get("_fetch") or {}
        run_id, item_id = self.run.run_id, record["id"]
        self.run.sightings.add_sighting(run_id, item_id, "url", fetch["url"])
        self.run.sightings.add_sighting(run_id, item_id, "edition", fetch["edition"])
        if self.state.written_in_run(run_id, "articles", item_id):
            # Written already this run: this fetch is a sighting only (its URL and host).
            self.stats.inc_value("records/already_written_this_run")
            return item
        record["_fetch"] = {k: fetch.get(k) for k in ("url", "edition", "etag", "last_modified")}
        previous = self.state.get_pending(run_id, item_id)
        if previous is None or prefer(record, previous):
            self.state.put_pending(run_id, item_id, record, time.time())
        self.stats.inc_value("records/staged")
        self.stats.inc_value(f"items/{fetch['edition']}")
        return item

    # --- writing ------------------------------------------------------------------------------
    def tick(self) -> None:
        """The periodic task: records staged RECORD_DELAY seconds ago or more, then sightings."""
        try:
            self.flush(staged_before=time.time() - self.delay)
        except Exception:  # the loop must go on; the next tick or the idle flush retries
            logger.exception("record flush failed")

    def spider_idle(self, spider: Any) -> None:
        # Idle: nothing queued or in flight (in distributed mode: for this worker).
        self.flush()
        distributed = self.run.distributed
        if distributed is not None and not self.swept_all and distributed.crawl_idle():
            # Every worker idle and the shared queue empty: no sighting comes any more, so the
            # ids this worker wrote get theirs now (they live in Redis, not in the state store).
            self._guarded(self._sweep_all)

    def _sweep_all(self) -> None:
        assert self.sightings is not None
        self.sightings.sweep_all()
        self.swept_all = True

    def flush(self, staged_before: float | None = None) -> None:
        """Write the records staged before `staged_before` (all of them when None), then the
        sightings of ids written earlier."""
        if self.run.write_failure or self.write is None:
            return
        self._guarded(self._flush, staged_before)

    def _guarded(self, work: Any, *args: Any) -> None:
        try:
            work(*args)
        except (OSError, sqlite3.OperationalError) as error:
            if not is_write_failure(error):
                raise
            stop_for_write_failure(self.crawler, error)

    def _flush(self, staged_before: float | None) -> None:
        assert self.sightings is not None
        for batch in self.state.iter_pending(self.run.run_id, staged_before=staged_before):
            self._write_batch(batch)
        self.sightings.sweep()

    def _write_batch(self, batch: list[dict[str, Any]]) -> None:
        assert self.write is not None
        done = [r["id"] for r in batch]
        if self.run.distributed is not None:
            # One worker writes each id per run: after a worker died, a request handed back may
            # have been fetched by two workers, and both may hold the record.
            mine = self.run.distributed.claim(done)
            self.stats.inc_value("records/claimed_by_other_worker", len(batch) - len(mine))
            batch = [r for r in batch if r["id"] in mine]
        finished = [r for r in batch if self.finish(r) is not None]
        self.write.records(finished, done)

    def finish(self, record: dict[str, Any]) -> dict[str, Any] | None:
        """The staged record through the record stages; None when one stops it (unchanged
        content). A record failing its schema carries its `rejected` row under `_rejected`."""
        adapter = ItemAdapter(record)
        return record if all(stage(adapter) for stage in self.stages) else None
