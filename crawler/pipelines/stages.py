"""The record stages a staged record goes through when it is due (crawler/pipelines/record.py):

  MergeStage     where the run saw the id so far: sections, urls_seen, editions_seen, edition
  VersionStage   content hash against the archived version: unchanged (no record) or the next version
  ValidateStage  the article schema; a failing record goes to the `rejected` stream instead

Each works on the record through ItemAdapter, calls the pure functions of crawler/records/, and counts
what it changed under `records/<stage>/...` in the crawl stats. A stage returns False when the record
stops there. WriteStage (crawler/pipelines/write.py) comes last.
"""

from __future__ import annotations

import logging
from typing import Any

from itemadapter import ItemAdapter

from crawler.items import SCHEMA_VERSION, content_hash
from crawler.records.merge import seen_fields
from crawler.records.row import checked_row, version_columns
from crawler.records.version import unchanged, versioned
from crawler.run import utcnow_iso
from crawler.schema import rejected_row, validate

logger = logging.getLogger(__name__)


class Stage:
    name = ""

    def __init__(self, run: Any, stats: Any) -> None:
        self.run = run
        self.stats = stats

    def count(self, what: str, n: int = 1) -> None:
        self.stats.inc_value(f"records/{self.name}/{what}", n)

    def __call__(self, adapter: ItemAdapter) -> bool:
        raise NotImplementedError


class MergeStage(Stage):
    """What the run saw of the id until now (crawler/records/merge.py); the URL it was fetched from."""

    name = "merge"

    def __call__(self, adapter: ItemAdapter) -> bool:
        item_id = adapter["id"]
        seen = self.run.sightings.sightings(self.run.run_id, item_id)
        previous = self.run.state.item(item_id)
        adapter["_previous"] = dict(previous) if previous is not None else None
        for key, value in seen_fields(seen, adapter["_previous"]).items():
            adapter[key] = value
        adapter["url"] = adapter["_fetch"]["url"]
        if not seen.get("section"):
            self.count("no_section_this_run")
        if adapter["edition"] == "en":
            self.count("edition_en")
        return True


class VersionStage(Stage):
    """A new version when the content hash changed (crawler/records/version.py); the state row."""

    name = "version"

    def __call__(self, adapter: ItemAdapter) -> bool:
        record = adapter.item
        previous = record.get("_previous")
        record["content_hash"] = content_hash(record)
        now = record.get("fetched_at") or utcnow_iso()
        production = self.run.editions.to_production(record["url"])
        row = checked_row(record, record["_fetch"], self.run.run_id, production, now)
        if unchanged(record, previous):
            self.run.state.upsert_item(row)
            self.stats.inc_value("records/unchanged")
            return False
        versioned(record, previous, now, self.run.run_id, SCHEMA_VERSION)
        record["_row"] = {**row, **version_columns(record)}
        self.count("new" if previous is None else "changed")
        return True


class ValidateStage(Stage):
    """The article schema; a failing record becomes a `rejected` row (never silently dropped)."""

    name = "validate"

    def __call__(self, adapter: ItemAdapter) -> bool:
        record = public(adapter.item)
        errors = validate(record, "articles")
        if errors:
            logger.warning("record %s rejected: %s", record.get("id"), errors[:3])
            self.stats.inc_value("records/rejected")
            self.count("rejected")
            adapter["_rejected"] = rejected_row(record, "articles", errors, self.run.run_id)
        return True


def public(record: dict[str, Any]) -> dict[str, Any]:
    """The record without the pipeline's own `_` keys: what goes to disk."""
    return {k: v for k, v in record.items() if not k.startswith("_")}
