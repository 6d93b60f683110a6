"""RecordPipeline (500): the only path from an extracted record to the output. Stages records in
the state store until the crawl is idle (every listing naming their sections and every page linking
them crawled), merges what the run saw of each id, versions, validates, writes (crawler/writer.py).
"""

from __future__ import annotations

import json
import logging
import sqlite3
from typing import Any

from itemadapter import ItemAdapter
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem, NotConfigured

from crawler import crashpoints
from crawler.items import SCHEMA_VERSION, content_hash
from crawler.latest import write_latest
from crawler.observe import coverage
from crawler.run import get_run, is_write_failure, opens_run, stop_for_write_failure, utcnow_iso
from crawler.schema import validate
from crawler.writer import RecordWriter

logger = logging.getLogger(__name__)


class RecordPipeline:
    """Stage → merge → version → validate → write. The only path from an item to the output."""

    def __init__(self, crawler: Crawler, preview: bool = False) -> None:
        # Outside `scrapy crawl` (`scrapy parse --pipelines`) nothing is written; a preview
        # instance only merges records for crawler.preview.
        if not preview and not opens_run(crawler.settings):
            raise NotConfigured("no run outside `scrapy crawl`")
        self.crawler = crawler
        self.stats = crawler.stats
        self.run = get_run(crawler)
        self.writer: RecordWriter | None = None
        if not preview:
            crawler.signals.connect(self.spider_idle, signal=signals.spider_idle)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RecordPipeline:
        return cls(crawler)

    @property
    def state(self):
        return self.run.state

    def open_spider(self, spider: Any = None) -> None:
        self.writer = RecordWriter(self.run.output_dir, self.run.run_id)
        self._reconcile()

    def close_spider(self, spider: Any = None) -> None:
        # No flush here: a crawl that finishes went idle first (and flushed everything then);
        # any other close (SIGTERM, site unavailable) keeps staged records pending in the state
        # store, where the resumed run picks them up with their sections complete.
        left = self.state.count_pending(self.run.run_id)
        if left:
            self.stats.set_value("records/left_pending", left)
            # Whether a resumed run writes them depends on how the run ends (RunExtension).
        if self.writer:
            self.writer.close()
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
            self._write_tombstone(dict(adapter))
            return item
        record = {k: v for k, v in adapter.items() if not k.startswith("_")}
        fetch = adapter.get("_fetch") or {}
        run_id, item_id = self.run.run_id, record["id"]
        state = self.state
        self.run.sightings.add_sighting(run_id, item_id, "url", fetch["url"])
        self.run.sightings.add_sighting(run_id, item_id, "edition", fetch["edition"])
        if state.written_in_run(run_id, "articles", item_id):
            self.stats.inc_value("records/already_written_this_run")
            return item
        record["_fetch"] = {k: fetch.get(k) for k in ("url", "edition", "etag", "last_modified")}
        previous = state.get_pending(run_id, item_id)
        if previous is None or self._prefer(record, previous):
            state.put_pending(run_id, item_id, record)
        self.stats.inc_value("records/staged")
        self.stats.inc_value(f"items/{fetch['edition']}")
        return item

    @staticmethod
    def _prefer(new: dict[str, Any], old: dict[str, Any]) -> bool:
        """Of two fetches of one id, keep the one from the host of its own edition (its chrome
        matches its content language), else the first."""
        home = "en" if "//news." in (new.get("canonical_url") or "") else "vi"
        return new["_fetch"]["edition"] == home and old["_fetch"]["edition"] != home

    def spider_idle(self, spider: Any) -> None:
        # Idle: nothing queued or in flight, so every listing has been crawled.
        self.flush()

    # --- writing ------------------------------------------------------------------------------
    def flush(self) -> None:
        """Write every staged record. Called when the crawl is idle: only then are all the
        listings that name an item's sections, and all the pages that link it (urls_seen,
        editions_seen), crawled — and only then is a record the same whatever order the
        responses came in, which is what lets a replay of the WARC files reproduce it."""
        if self.run.distributed is not None and not self.run.distributed.crawl_idle():
            # Redis mode: this worker being idle is not enough, every worker must be and the
            # shared queue empty. A worker stopped mid-crawl keeps its records staged and
            # writes them when it rejoins the run.
            return
        if self.run.write_failure:
            return
        try:
            for batch in self.state.iter_pending(self.run.run_id):
                self._write_batch(batch)
        except (OSError, sqlite3.OperationalError) as error:
            if not is_write_failure(error):
                raise
            stop_for_write_failure(self.crawler, error)

    def _finish(self, record: dict[str, Any]) -> dict[str, Any] | None:
        """Merge what the run saw of the id; None when its content is unchanged since last archived."""
        run_id, item_id = self.run.run_id, record["id"]
        fetch = record.pop("_fetch")
        seen = self.run.sightings.sightings(run_id, item_id)
        previous = self.state.item(item_id)
        record["sections"] = [{"slug": s, "name": n} for s, n in sorted(seen["section"])]
        editions = {e for e, _ in seen["edition"]}
        if previous is not None:
            # A re-check or a refresh that stopped paging early sees no listing naming the item:
            # its sections and editions are still those of its last version.
            if not record["sections"] and previous["sections"]:
                record["sections"] = json.loads(previous["sections"])
            editions |= set(json.loads(previous["editions_seen"] or "[]"))
        record["urls_seen"] = sorted({u for u, _ in seen["url"]})
        record["editions_seen"] = sorted(editions)
        record["edition"] = "en" if "en" in editions else "vi"
        record["url"] = fetch["url"]
        record["content_hash"] = content_hash(record)
        now = record.get("fetched_at") or utcnow_iso()
        row = {
            "id": item_id,
            "type": record["type"],
            "edition": record["edition"],
            "status": "live",
            "last_seen": now,
            "last_checked": now,
            # Production form: a refresh re-checks the exact page (path and query) the validators
            # came from, wherever the portal is fetched from then.
            "url": self.run.editions.to_production(record["url"]),
            "canonical_url": record.get("canonical_url"),
            "published_at": record.get("published_at"),
            "etag": fetch.get("etag"),
            "last_modified": fetch.get("last_modified"),
            "last_run": run_id,
            "sections": json.dumps(record["sections"], ensure_ascii=False),
            "editions_seen": json.dumps(record["editions_seen"]),
        }
        if (
            previous is not None
            and previous["status"] == "live"
            and previous["content_hash"] == record["content_hash"]
        ):
            self.state.upsert_item(row)
            self.stats.inc_value("records/unchanged")
            return None
        record["version"] = (previous["version"] if previous else 0) + 1
        record["first_seen"] = previous["first_seen"] if previous else now
        record["last_seen"] = now
        record["run_id"] = run_id
        record["schema_version"] = SCHEMA_VERSION
        row.update(
            version=record["version"],
            content_hash=record["content_hash"],
            first_seen=record["first_seen"],
            warc_filename=record.get("warc_filename"),
            warc_record_id=record.get("warc_record_id"),
            warc_payload_digest=record.get("warc_payload_digest"),
        )
        record["_row"] = row
        return record

    def _write_batch(self, batch: list[dict[str, Any]]) -> None:
        assert self.writer is not None
        by_path: dict[Any, list[dict[str, Any]]] = {}
        done: list[str] = []
        if self.run.distributed is not None:
            # One worker writes each id per run: after a worker died, a request handed back may
            # have been fetched by two workers, and both may hold the record.
            mine = self.run.distributed.claim([r["id"] for r in batch])
            done.extend(r["id"] for r in batch if r["id"] not in mine)
            self.stats.inc_value("records/claimed_by_other_worker", len(batch) - len(mine))
            batch = [r for r in batch if r["id"] in mine]
        for record in batch:
            finished = self._finish(record)
            done.append(record["id"])
            if finished is None:
                continue
            errors = validate({k: v for k, v in finished.items() if k != "_row"}, "articles")
            if errors:
                self.stats.inc_value("records/rejected")
                logger.warning("record %s rejected: %s", finished["id"], errors[:3])
                rejected = {
                    "schema_version": SCHEMA_VERSION,
                    "stream": "articles",
                    "id": finished["id"],
                    "run_id": self.run.run_id,
                    "errors": errors,
                    "record": {k: v for k, v in finished.items() if k != "_row"},
                }
                by_path.setdefault(self.writer.path("rejected"), []).append(rejected)
                continue
            by_path.setdefault(self.writer.path("articles", finished["edition"]), []).append(
                finished
            )
        placed: list[tuple[dict[str, Any], str, int]] = []
        for path, records in by_path.items():
            rows = [{k: v for k, v in r.items() if k != "_row"} for r in records]
            offsets = self.writer.append(path, rows)  # durable before the state commit below
            placed.extend(
                zip(records, [self.writer.relpath(path)] * len(records), offsets, strict=False)
            )
        with self.state.transaction():
            for record, file, offset in placed:
                stream = "rejected" if "errors" in record else "articles"
                version = record.get("version") or 0
                self.state.mark_written(
                    self.run.run_id, stream, record["id"], version, file, offset
                )
                if stream == "articles":
                    self.state.upsert_item(record["_row"])
                    self.stats.inc_value(f"records/written/{record['edition']}")
                    self.stats.inc_value(f"records/written/{record['type']}")
                    coverage.count(self.stats, record)  # field coverage as written
            for item_id in done:
                self.state.delete_pending(self.run.run_id, item_id)
            crashpoints.reached("state_commit", self.run.output_dir)

    def _write_tombstone(self, item: dict[str, Any]) -> None:
        """An archived item answered 404/410 or redirected away: record it once as gone."""
        assert self.writer is not None
        previous = self.state.item(item["id"])
        if previous is None or previous["status"] == "gone":
            return
        if self.state.written_in_run(self.run.run_id, "tombstones", item["id"]):
            return  # recorded by this run already (before a crash, reconciled since)
        now = item.get("detected_at") or utcnow_iso()
        tombstone = {
            "schema_version": SCHEMA_VERSION,
            "type": previous["type"],
            "id": item["id"],
            "url": item["url"],
            "status": "gone",
            "http_status": item["http_status"],
            "redirect_to": item.get("redirect_to"),
            "last_seen_live": previous["last_seen"],
            "detected_at": now,
            "run_id": self.run.run_id,
        }
        errors = validate(tombstone, "tombstones")
        if errors:
            logger.error("tombstone for %s fails its schema: %s", item["id"], errors)
        path = self.writer.path("tombstones")
        (offset,) = self.writer.append(path, [tombstone])
        crashpoints.reached("tombstone_commit", self.run.output_dir)
        with self.state.transaction():
            self.state.mark_written(
                self.run.run_id, "tombstones", item["id"], 0, self.writer.relpath(path), offset
            )
            self.state.upsert_item({"id": item["id"], "status": "gone", "last_checked": now})
        self.stats.inc_value("records/tombstones")

    # --- recovery -----------------------------------------------------------------------------
    def _reconcile(self) -> None:
        """After a crash: commit the state of lines that reached disk but not the state store."""
        assert self.writer is not None
        fixed = 0
        for stream, path, offset, record in self.writer.reconcile():
            version = record.get("version") or 0
            if self.state.is_written(self.run.run_id, stream, record["id"], version):
                continue
            with self.state.transaction():
                self.state.mark_written(
                    self.run.run_id,
                    stream,
                    record["id"],
                    version,
                    self.writer.relpath(path),
                    offset,
                )
                if stream == "articles":
                    self.state.upsert_item(
                        {
                            "id": record["id"],
                            "type": record["type"],
                            "edition": record["edition"],
                            "status": "live",
                            "version": version,
                            "content_hash": record["content_hash"],
                            "first_seen": record["first_seen"],
                            "last_seen": record["last_seen"],
                            "last_checked": record["last_seen"],
                            "published_at": record.get("published_at"),
                            "url": self.run.editions.to_production(record["url"]),
                            "canonical_url": record.get("canonical_url"),
                            "warc_filename": record.get("warc_filename"),
                            "warc_record_id": record.get("warc_record_id"),
                            "warc_payload_digest": record.get("warc_payload_digest"),
                            "last_run": self.run.run_id,
                        }
                    )
                elif stream == "tombstones":
                    # As _write_tombstone would have committed it: the item is gone, so the
                    # resumed run does not record the deletion again.
                    self.state.upsert_item(
                        {
                            "id": record["id"],
                            "status": "gone",
                            "last_checked": record["detected_at"],
                        }
                    )
                self.state.delete_pending(self.run.run_id, record["id"])
            fixed += 1
        if fixed:
            logger.warning("reconciled %d records written before a crash", fixed)
            self.stats.set_value("records/reconciled", fixed)
