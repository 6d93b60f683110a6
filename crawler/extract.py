"""Response bytes -> the content fields of one record (articles and photo albums).

The one place where page modules (raw values, `crawler/pages/`) meet normalizers
(`crawler/normalize/`): decode, extract, then normalize each field by the record's text rules.
Fields that depend on more than one response (edition, editions_seen, sections, url, urls_seen,
versions, archive pointers) are the pipelines' business, not this function's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from crawler.editions import Editions, album_id, article_id, article_item_id, item_id, video_id
from crawler.normalize.bylines import parse_byline
from crawler.normalize.captions import split_caption
from crawler.normalize.dates import parse_published
from crawler.normalize.language import detect_language
from crawler.normalize.text import (
    clean_block,
    clean_raw,
    clean_text,
    decode_html,
    drop_replacements,
    has_replacement,
)
from crawler.pages import Extraction, parse_album, parse_article
from crawler.pages.video import parse_video

__all__ = ["RECORD_FIELDS", "ExtractedPage", "build_record", "extract_page", "page_kind"]

# The fields build_record returns, in record order (docs/contract.md, "Truth file").
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


def page_kind(url: str) -> str:
    """`album` for photo-album URLs, `video` for video pages, else `article`."""
    if video_id(url) is not None:
        return "video"
    return "album" if album_id(url) is not None else "article"


_PARSERS = {"article": parse_article, "album": parse_album, "video": parse_video}


def build_record(
    body: bytes, header_encoding: str | None, url: str, editions: Editions
) -> tuple[dict[str, Any], dict[str, str], list[str]]:
    """Decode, extract and normalize one article or album page.

    Returns (record fields, strategies, quality issues): the fields of `RECORD_FIELDS`, the name of
    the fallback that produced each extracted field, and reason codes (`no_title`,
    `charset_repaired`, `date_unparseable`, ...) in the order they were noticed, without repeats.
    """
    page = extract_page(body, header_encoding, url, editions)
    return page.record, page.strategies, page.issues


@dataclass
class ExtractedPage:
    """What the crawler gets from one item page: the record fields, how they were found, and
    what the page leads to (decoded text for its requisites, body links to follow)."""

    record: dict[str, Any]
    strategies: dict[str, str]
    issues: list[str]
    text: str
    link_urls: list[str] = field(default_factory=list)
    blocks: frozenset[str] = frozenset()
    """Signatures of the page's blocks, for learning the site's template."""


def extract_page(
    body: bytes,
    header_encoding: str | None,
    url: str,
    editions: Editions,
    chrome: frozenset[str] = frozenset(),
    learn: bool = False,
) -> ExtractedPage:
    """build_record, plus what only the crawler needs (the spider's entry point). `chrome`: the
    block signatures the site's learned template judges chrome; `learn`: also return the page's
    block signatures to learn from (crawler/pages/template.py)."""
    text, issues = decode_html(body, header_encoding)
    kind = page_kind(url)
    parse = _PARSERS[kind]
    ex = parse(text, url, editions, chrome, learn)
    record = _normalize(ex, kind, url)
    issues = [*issues, *ex.issues, *_normalizer_issues(record)]
    return ExtractedPage(
        record,
        dict(ex.strategies),
        list(dict.fromkeys(issues)),
        text,
        list(ex.fields.get("link_urls") or []),
        ex.blocks,
    )


def _normalize(ex: Extraction, kind: str, url: str) -> dict[str, Any]:
    f = ex.fields
    title = clean_text(f.get("title"))
    lead = clean_text(f.get("lead"))
    body_text = clean_block(f.get("body_text"))
    byline_raw = clean_raw(f.get("byline_raw"))
    byline = parse_byline(byline_raw)
    published_raw = clean_raw(f.get("published_raw"))
    published = parse_published(published_raw)
    record: dict[str, Any] = {
        "type": kind,
        "id": item_id(url),
        "article_id": f.get("article_id"),
        "album_id": f.get("album_id"),
        "video_id": f.get("video_id"),
        "language": detect_language(_language_sample(title, lead, body_text)),
        "canonical_url": f.get("canonical_url"),
        "kicker": clean_text(f.get("kicker")),
        "title": title,
        "lead": lead,
        "body_text": body_text,
        "body_html": clean_block(f.get("body_html")),
        "images": [_image(im, title) for im in f.get("images") or []],
        "byline_raw": byline_raw,
        "authors": list(byline.authors),
        "translators": list(byline.translators),
        "source_credit": byline.source_credit,
        "published_raw": published_raw,
        "published_at": published.value,
        "published_precision": published.precision,
        "links": list(f.get("links") or []),
        "translation_of": _translation_of(f),
        "source_url": clean_raw(f.get("source_url")),
        "translations": [],  # filled in the latest view (crawler/pairs.py)
        "media": list(f.get("media") or []),  # video pages: playable files and embedded players
    }
    record["_date_reason"] = published.reason if published_raw else None
    return record


def _language_sample(title: str | None, lead: str | None, body_text: str | None) -> str:
    """Title, lead and the body's first 1,000 characters: plenty for a two-way choice by
    function words, and detect_language's cost grows with its input (it reads up to 3,000)."""
    return " ".join(x for x in (title, lead, (body_text or "")[:1000]) if x)


def _translation_of(f: dict[str, Any]) -> str | None:
    """The id of the portal article a closing `Source:` line names; never the page's own id."""
    aid = article_id(f.get("translation_of_url") or "")
    return article_item_id(aid) if aid is not None and aid != f.get("article_id") else None


def _image(im: dict[str, Any], title: str | None) -> dict[str, Any]:
    raw = clean_raw(im.get("caption_raw"))
    caption, credit = split_caption(raw, title)
    return {
        "url": im["url"],
        "position": im["position"],
        "caption_raw": raw,
        "caption": caption,
        "credit": credit,
    }


def _normalizer_issues(record: dict[str, Any]) -> list[str]:
    out: list[str] = []
    reason = record.pop("_date_reason")
    if reason is not None:
        out.append("date_unparseable" if reason == "unparseable" else f"date_{reason}")
    if any(has_replacement(record.get(k)) for k in ("title", "lead", "body_text", "kicker")):
        out.append("replacement_characters")
    # One bad character must not cost the record (the schema forbids U+FFFD and surrogates):
    # flagged above, dropped here from every field.
    if _drop_bad_characters(record) and "replacement_characters" not in out:
        out.append("replacement_characters")
    return out


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
