"""The record a crawl would write for one page, without writing anything (`scrapy parse`).

The spider's item goes through the same two pipelines as in a crawl — the text rules, then the
record pipeline's stages (merge: sections, urls_seen, editions_seen; version; validate) — against
the in-memory state store of a preview run (crawler.run.RunContext.open_preview). So the printed
record is the one a first crawl of that page alone would write, validated like it.
"""

from __future__ import annotations

from typing import Any

from scrapy.crawler import Crawler

from crawler.pipelines import NormalizePipeline, RecordPipeline
from crawler.pipelines.stages import public


def preview_record(crawler: Crawler, item: dict[str, Any]) -> dict[str, Any]:
    """The finished record, or for a tombstone the item as the spider made it."""
    if item.get("_tombstone"):
        return item
    item = NormalizePipeline(crawler).process_item(item)
    pipeline = RecordPipeline(crawler, preview=True)
    pipeline.process_item(item)
    staged = pipeline.state.get_pending(pipeline.run.run_id, item["id"])
    record = pipeline.finish(staged)
    if record is None:  # unchanged: cannot happen in an empty store, but never print half
        return {k: v for k, v in item.items() if not k.startswith("_")}
    rejected = record.get("_rejected")
    record = public(record)
    if rejected:
        # The crawl would send it to records/rejected with these paths.
        record = {"rejected": rejected["errors"], "record": record}
    return record
