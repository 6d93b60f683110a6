"""Response bytes -> the raw content fields of one item page (articles, photo albums, videos).

Decode once, parse once, and let the page module of the URL's kind (`crawler/pages/`) read what
the page shows, as found: the spider's item carries these raw fields, and NormalizePipeline turns
them into record fields with `crawler.normalize.record.normalize_record` (text rules, bylines,
dates, captions, language). `build_record` does both in one call, for offline use (benchmarks,
golden tests). Fields that depend on more than one response (edition, editions_seen, sections,
url, urls_seen, versions, archive pointers) are the pipelines' business.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from crawler.editions import Editions, album_id, item_id, video_id
from crawler.normalize.record import RAW_MARK, RECORD_FIELDS, normalize_record
from crawler.normalize.text import decode_html
from crawler.pages import Extraction, parse_album, parse_article
from crawler.pages.video import parse_video

__all__ = [
    "RECORD_FIELDS",
    "ExtractedPage",
    "build_record",
    "extract_page",
    "page_kind",
    "raw_record",
]


def page_kind(url: str) -> str:
    """`album` for photo-album URLs, `video` for video pages, else `article`."""
    if video_id(url) is not None:
        return "video"
    return "album" if album_id(url) is not None else "article"


_PARSERS = {"article": parse_article, "album": parse_album, "video": parse_video}


def build_record(
    body: bytes, header_encoding: str | None, url: str, editions: Editions
) -> tuple[dict[str, Any], dict[str, str], list[str]]:
    """Decode, extract and normalize one item page, as a crawl does in the spider and then
    NormalizePipeline.

    Returns (record fields, strategies, quality issues): the fields of `RECORD_FIELDS`, the name of
    the fallback that produced each extracted field, and reason codes (`no_title`,
    `charset_repaired`, `date_unparseable`, ...) in the order they were noticed, without repeats.
    """
    page = extract_page(body, header_encoding, url, editions)
    record, issues = normalize_record(page.record)
    return record, page.strategies, list(dict.fromkeys([*page.issues, *issues]))


@dataclass
class ExtractedPage:
    """What the crawler gets from one item page: the raw record fields, how they were found, and
    what the page leads to (body links to follow, requisites to archive with it)."""

    record: dict[str, Any]
    """Raw fields (`raw_record`), for NormalizePipeline."""
    strategies: dict[str, str]
    issues: list[str]
    text: str
    link_urls: list[str] = field(default_factory=list)
    blocks: frozenset[str] = frozenset()
    """Signatures of the page's blocks, for learning the site's template."""
    requisites: list[str] = field(default_factory=list)
    """Stylesheets, scripts, images a browser loads with the page (when asked for)."""


def extract_page(
    body: bytes,
    header_encoding: str | None,
    url: str,
    editions: Editions,
    chrome: frozenset[str] = frozenset(),
    learn: bool = False,
    requisites: bool = False,
) -> ExtractedPage:
    """The spider's entry point: one decode and one parse of the page feed its raw fields, its
    body links and (with `requisites`) its page requisites. `chrome`: the block signatures the
    site's learned template judges chrome; `learn`: also return the page's block signatures to
    learn from (crawler/pages/template.py)."""
    text, issues = decode_html(body, header_encoding)
    kind = page_kind(url)
    ex = _PARSERS[kind](text, url, editions, chrome, learn, requisites=requisites)
    return ExtractedPage(
        raw_record(ex, kind, url),
        dict(ex.strategies),
        list(dict.fromkeys([*issues, *ex.issues])),
        text,
        list(ex.fields.get("link_urls") or []),
        ex.blocks,
        list(ex.requisites),
    )


def raw_record(ex: Extraction, kind: str, url: str) -> dict[str, Any]:
    """The item's content fields as the page shows them (named as in the record where the record
    keeps them: `title`, `byline_raw`, `images` with `caption_raw` ...), marked raw for
    NormalizePipeline; `_translation_of_url` is read there and dropped."""
    f = ex.fields
    return {
        "type": kind,
        "id": item_id(url) or item_id(f.get("canonical_url")),
        "article_id": f.get("article_id"),
        "album_id": f.get("album_id"),
        "video_id": f.get("video_id"),
        "canonical_url": f.get("canonical_url"),
        "kicker": f.get("kicker"),
        "title": f.get("title"),
        "lead": f.get("lead"),
        "body_text": f.get("body_text"),
        "body_html": f.get("body_html"),
        "images": [
            {"url": im["url"], "position": im["position"], "caption_raw": im.get("caption_raw")}
            for im in f.get("images") or []
        ],
        "byline_raw": f.get("byline_raw"),
        "published_raw": f.get("published_raw"),
        "links": list(f.get("links") or []),
        "source_url": f.get("source_url"),
        "media": list(f.get("media") or []),
        "_translation_of_url": f.get("translation_of_url"),
        RAW_MARK: True,
    }
