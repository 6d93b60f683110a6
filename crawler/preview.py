"""The record a crawl would write for one page, without writing anything (`scrapy parse`).

The spider's item goes through the same two pipelines as in a crawl — the text rules, then the
record pipeline's merge (sections, urls_seen, editions_seen, content hash, version) — against
the in-memory state store of a preview run (crawler.run.RunContext.open_preview). So the printed
record is the one a first crawl of that page alone would write, validated like it.
"""

from __future__ import annotations

from typing import Any

from scrapy.crawler import Crawler

from crawler.pipelines import NormalizePipeline, RecordPipeline
from crawler.schema import validate


def preview_record(crawler: Crawler, item: dict[str, Any]) -> dict[str, Any]:
    """The finished record, or for a tombstone the item as the spider made it."""
    if item.get("_tombstone"):
        return item
    item = NormalizePipeline(crawler).process_item(item)
    pipeline = RecordPipeline(crawler, preview=True)
    pipeline.process_item(item)
    staged = pipeline.state.get_pending(pipeline.run.run_id, item["id"])
    record = pipeline._finish(staged)
    if record is None:  # unchanged: cannot happen in an empty store, but never print half
        return {k: v for k, v in item.items() if not k.startswith("_")}
    record.pop("_row", None)
    errors = validate(record, "articles")
    if errors:
        # The crawl would send it to records/rejected with these paths.
        crawler.stats.inc_value("records/rejected")
        record = {"rejected": errors, "record": record}
    return record
