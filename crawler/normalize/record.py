"""Raw fields -> the content fields of one record: the one place where the record's text rules,
bylines, dates, captions and the language are applied (docs/contract.md).

The page modules (`crawler/pages/`) return what a page shows, as found (`raw_record` in
crawler/extract.py); NormalizePipeline (crawler/pipelines/normalize.py) calls `normalize_record`
on each item, and `crawler.extract.build_record` calls it offline (benchmarks, golden tests), so a
crawl, a re-extraction from WARC, `scrapy parse` and the tests all go through this function.
Pure: no Scrapy, no state, no clock.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from crawler.editions import article_id, article_item_id
from crawler.normalize.bylines import parse_byline
from crawler.normalize.captions import split_caption
from crawler.normalize.dates import parse_published
from crawler.normalize.language import detect_language
from crawler.normalize.text import (
    clean_block,
    clean_raw,
    clean_text,
    drop_replacements,
    has_replacement,
)

__all__ = ["RAW_MARK", "RAW_ONLY", "RECORD_FIELDS", "is_raw", "normalize_record"]

# The fields normalize_record returns, in record order (docs/contract.md, "Truth file").
RECORD_FIELDS = (
    "type",
    "id",
    "article_id",
    "album_id",
    "video_id",
    "language",
    "canonical_url",
    "kicker",
    "title",
    "lead",
    "body_text",
    "body_html",
    "images",
    "byline_raw",
    "authors",
    "translators",
    "source_credit",
    "published_raw",
    "published_at",
    "published_precision",
    "links",
    "translation_of",
    "source_url",
    "translations",
    "media",
)

RAW_MARK = "_raw"
"""Key that marks an item whose content fields are still raw (set by crawler/extract.py)."""
RAW_ONLY = (RAW_MARK, "_translation_of_url")
"""Keys of a raw item that are not record fields: normalize_record reads and drops them."""


def is_raw(item: Mapping[str, Any]) -> bool:
    return bool(item.get(RAW_MARK))


def normalize_record(raw: Mapping[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """The record's content fields (`RECORD_FIELDS`, in order) from a raw item, and the quality
    issues the rules noticed (`date_unparseable`, `date_<reason>`, `replacement_characters`),
    without repeats. `raw` is not changed."""
    title = clean_text(raw.get("title"))
    lead = clean_text(raw.get("lead"))
    body_text = clean_block(raw.get("body_text"))
    byline_raw = clean_raw(raw.get("byline_raw"))
    byline = parse_byline(byline_raw)
    published_raw = clean_raw(raw.get("published_raw"))
    published = parse_published(published_raw)
    record: dict[str, Any] = {
        "type": raw.get("type"),
        "id": raw.get("id"),
        "article_id": raw.get("article_id"),
        "album_id": raw.get("album_id"),
        "video_id": raw.get("video_id"),
        "language": detect_language(_language_sample(title, lead, body_text)),
        "canonical_url": raw.get("canonical_url"),
        "kicker": clean_text(raw.get("kicker")),
        "title": title,
        "lead": lead,
        "body_text": body_text,
        "body_html": clean_block(raw.get("body_html")),
        "images": [_image(im, title) for im in raw.get("images") or []],
        "byline_raw": byline_raw,
        "authors": list(byline.authors),
        "translators": list(byline.translators),
        "source_credit": byline.source_credit,
        "published_raw": published_raw,
        "published_at": published.value,
        "published_precision": published.precision,
        "links": list(raw.get("links") or []),
        "translation_of": _translation_of(raw),
        "source_url": clean_raw(raw.get("source_url")),
        "translations": [],  # filled in the latest view (crawler/pairs.py)
        "media": list(raw.get("media") or []),  # video pages: playable files and embedded players
    }
    issues: list[str] = []
    if published_raw and published.reason is not None:
        reason = published.reason
        issues.append("date_unparseable" if reason == "unparseable" else f"date_{reason}")
    if any(has_replacement(record[k]) for k in ("title", "lead", "body_text", "kicker")):
        issues.append("replacement_characters")
    # One bad character must not cost the record (the schema forbids U+FFFD and surrogates):
    # flagged above, dropped here from every field.
    if _drop_bad_characters(record) and "replacement_characters" not in issues:
        issues.append("replacement_characters")
    return record, issues


def _language_sample(title: str | None, lead: str | None, body_text: str | None) -> str:
    """Title, lead and the body's first 1,000 characters: plenty for a two-way choice by
    function words, and detect_language's cost grows with its input (it reads up to 3,000)."""
    return " ".join(x for x in (title, lead, (body_text or "")[:1000]) if x)


def _translation_of(raw: Mapping[str, Any]) -> str | None:
    """The id of the portal article a closing `Source:` line names; never the page's own id."""
    aid = article_id(raw.get("_translation_of_url") or "")
    return article_item_id(aid) if aid is not None and aid != raw.get("article_id") else None


def _image(im: Mapping[str, Any], title: str | None) -> dict[str, Any]:
    raw = clean_raw(im.get("caption_raw"))
    caption, credit = split_caption(raw, title)
    return {
        "url": im["url"],
        "position": im["position"],
        "caption_raw": raw,
        "caption": caption,
        "credit": credit,
    }


def _drop_bad_characters(value: Any) -> bool:
    """Remove U+FFFD and lone surrogates from every string in `value` (a record, in place).
    True when something was removed."""
    changed = False
    items = value.items() if isinstance(value, dict) else enumerate(value)
    for key, v in list(items):
        if isinstance(v, str):
            cleaned = drop_replacements(v)
            if cleaned is not v:
                value[key] = cleaned
                changed = True
        elif isinstance(v, dict | list):
            changed = _drop_bad_characters(v) or changed
    return changed
