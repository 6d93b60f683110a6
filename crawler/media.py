"""Media of video pages in the WARC archive: which files are fetched, which are left out and why.

A video record names its playable files and embedded players (`media`, crawler/pages/video.py) and
its poster (`images`). The poster and every media file on a portal host are fetched into the WARC
files like a page's images, each download capped at MEDIA_MAX_BYTES (Scrapy's per-request
`download_maxsize`: a declared Content-Length over the cap is refused before the body is read, a
body growing past it is aborted). What is not fetched is counted (`media/left_out/<reason>`),
logged and named in the report (`media_left_out`):

    host       a file or player on another host (youtube.com, ...): never fetched
    too_large  over MEDIA_MAX_BYTES, declared or while streaming
    failed     any other download failure
    disabled   MEDIA_MAX_BYTES is 0 (media files are not fetched at all)
"""

from __future__ import annotations

import logging
from typing import Any

from crawler.editions import Editions

logger = logging.getLogger(__name__)

DEFAULT_MEDIA_MAX_BYTES = 200 * 1024 * 1024
NAMED = 100  # left-out files the report names; the counts cover them all
LEFT_OUT = "media/left_out_named"  # stats key: the named files, for the report
REASONS = ("host", "too_large", "failed", "disabled")


def plan(record: dict[str, Any], editions: Editions, max_bytes: int) -> tuple[list[str], list]:
    """(production URLs to fetch: the poster, then each portal media file; [(url, reason)] of the
    media left out before any request)."""
    fetch: list[str] = [im["url"] for im in record.get("images") or [] if im.get("url")]
    left: list[tuple[str, str]] = []
    for m in record.get("media") or []:
        url = m.get("url") or ""
        if m.get("type") == "embed" or editions.to_fetch(url) is None:
            left.append((url, "host"))
        elif max_bytes <= 0:
            left.append((url, "disabled"))
        else:
            fetch.append(url)
    return list(dict.fromkeys(fetch)), left


def leave_out(stats: Any, page: str, url: str, reason: str, detail: str = "") -> None:
    """Count, log and (the first NAMED) name a media file that is not in the archive."""
    stats.inc_value(f"media/left_out/{reason}")
    named = stats.get_value(LEFT_OUT) or []
    if len(named) < NAMED:
        entry = {"page": page, "url": url, "reason": reason, "detail": detail or None}
        stats.set_value(LEFT_OUT, [*named, entry])
    logger.warning("media not archived (%s) %s on %s %s", reason, url, page, detail)


def download_reason(failure: Any) -> str:
    """`too_large` for a download refused or aborted over its size cap, else `failed`."""
    exc = getattr(failure, "value", failure)
    seen = [exc, getattr(exc, "__cause__", None)]
    if getattr(exc, "reason", None) == "too_large":
        return "too_large"
    if any(type(e).__name__ in ("DownloadCancelledError", "CancelledError") for e in seen if e):
        return "too_large"
    return "failed"


def summary(stats: dict[str, Any]) -> dict[str, Any] | None:
    """The report's `media_left_out`: counts by reason and the first files named; None when
    every media file of the run was archived (or there was none)."""
    counts = {r: stats.get(f"media/left_out/{r}", 0) for r in REASONS}
    counts = {r: n for r, n in counts.items() if n}
    if not counts:
        return None
    return {
        "fetched": stats.get("media/fetched", 0),
        "left_out": counts,
        "named": list(stats.get(LEFT_OUT) or []),
    }


def markdown_lines(left: dict[str, Any] | None) -> list[str]:
    """The report's "Media left out" section (nothing when none was)."""
    if not left:
        return []
    counts = ", ".join(f"{n:,} {reason}" for reason, n in left["left_out"].items())
    lines = [
        "## Media left out",
        "",
        f"{left['fetched']:,} media file(s) and posters archived; not archived: {counts} "
        "(host: another host's file or player, never fetched; too_large: over MEDIA_MAX_BYTES).",
        "",
        "| page | media | reason |",
        "|---|---|---|",
    ]
    lines += [f"| {e['page']} | {e['url']} | {e['reason']} |" for e in left["named"]]
    return [*lines, ""]
