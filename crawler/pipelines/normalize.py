"""NormalizePipeline (100): the spider's raw fields -> record fields (text rules, bylines, dates,
captions, language: crawler/normalize/record.py), then the text rules of docs/contract.md on every
string field; counts what changed and the extraction strategies behind each field."""

from __future__ import annotations

import logging
from typing import Any

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler

from crawler.normalize.body import DEFAULT_MAX_BODY_CHARS, cut_body_html, cut_body_text
from crawler.normalize.dates import out_of_range
from crawler.normalize.record import RAW_ONLY, is_raw, normalize_record
from crawler.normalize.text import normalize_strings
from crawler.run import get_run

logger = logging.getLogger(__name__)


BODY_FIELDS = ("body_text", "body_html")


class NormalizePipeline:
    """Record fields from raw ones, final text rules on every string field, and stats on how each
    field was found and what the rules changed."""

    def __init__(self, crawler: Crawler) -> None:
        self.stats = crawler.stats
        # The run's "now" (REFERENCE_NOW, recorded in the WARC so a replay flags alike).
        self.run = get_run(crawler)
        self.max_body = crawler.settings.getint("MAX_BODY_CHARS", DEFAULT_MAX_BODY_CHARS)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> NormalizePipeline:
        return cls(crawler)

    def process_item(self, item: Any) -> Any:
        if isinstance(item, dict) and is_raw(item):
            item = self._from_raw(item)
        adapter = ItemAdapter(item)
        fetch = adapter.get("_fetch") or {}
        for field, strategy in (fetch.get("strategies") or {}).items():
            self.stats.inc_value(f"extract/{field}/{strategy}")
        _cap_body(adapter, self.max_body)  # first: the text rules then run on the kept part only
        for key in list(adapter.keys()):
            if key.startswith("_"):
                continue
            value = adapter[key]
            cleaned = normalize_strings(value)
            if cleaned != value:
                adapter[key] = cleaned
                self.stats.inc_value(f"normalize/text/{key}")
        _flag_date_out_of_range(adapter, self.run.now())
        for issue in adapter.get("quality_issues") or []:
            self.stats.inc_value(f"quality/{issue}")
        return item

    def _from_raw(self, raw: dict[str, Any]) -> dict[str, Any]:
        """The item with its raw content fields replaced by record fields (in record order, the
        spider's other keys after them) and the rules' quality issues added; counts each field
        the rules changed (`normalize/record/<field>`)."""
        record, issues = normalize_record(raw)
        for key in _RAW_TEXT_FIELDS:
            if record[key] != raw.get(key):
                self.stats.inc_value(f"normalize/record/{key}")
        rest = {k: v for k, v in raw.items() if k not in record and k not in RAW_ONLY}
        if issues:
            rest["quality_issues"] = sorted(set(rest.get("quality_issues") or ()) | set(issues))
        return {**record, **rest}


# Text fields the spider sends as found and the record rules may change (captions, bylines and
# dates gain fields of their own rather than change).
_RAW_TEXT_FIELDS = ("kicker", "title", "lead", "body_text", "body_html", "byline_raw",
                    "published_raw", "source_url")  # fmt: skip


def _flag_date_out_of_range(adapter: ItemAdapter, now: Any) -> None:
    """`date_out_of_range` in quality_issues when published_at lies outside the portal's life
    (crawler/normalize/dates.py); the date itself is kept. Extraction has no "now", the run has."""
    published_at = adapter.get("published_at")
    if "quality_issues" not in adapter or adapter.get("_tombstone"):
        return
    issues = list(adapter.get("quality_issues") or ())
    if "date_out_of_range" not in issues and out_of_range(published_at, now):
        adapter["quality_issues"] = [*issues, "date_out_of_range"]
        logger.warning(
            "flagged %s: date_out_of_range (%s, now %s)",
            adapter.get("url"),
            published_at,
            now.isoformat(),
        )


def _cap_body(adapter: ItemAdapter, limit: int) -> None:
    """body_text and body_html cut to MAX_BODY_CHARS at a block boundary, flagged
    `body_truncated` (crawler/normalize/body.py); the whole page stays in the WARC."""
    if "quality_issues" not in adapter or adapter.get("_tombstone"):
        return
    sizes = {f: len(adapter.get(f) or "") for f in BODY_FIELDS}
    if max(sizes.values()) <= limit:
        return
    adapter["body_text"] = cut_body_text(adapter.get("body_text"), limit)
    adapter["body_html"] = cut_body_html(adapter.get("body_html"), limit)
    adapter["quality_issues"] = [*(adapter.get("quality_issues") or ()), "body_truncated"]
    kept = ", ".join(f"{f} {len(adapter.get(f) or ''):,} of {n:,}" for f, n in sizes.items())
    logger.warning(
        "flagged %s: body_truncated (%s characters kept, MAX_BODY_CHARS=%d)",
        adapter.get("url"),
        kept,
        limit,
    )
