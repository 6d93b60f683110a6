"""A cap on the requisites (images, thumbnails, CSS, JS) one page leads to.

A hostile or broken page with 10,000 `<img>` meant 10,000 fetches, each a WARC record and a state
row. At most MAX_IMAGES_PER_PAGE requisites are requested per page, in page order (stylesheets and
scripts of the head come first, so the cap falls on images); the rest are counted
(`requisites/over_cap`, `requisites/capped_pages`), named in the log and listed in the report
(`requisites_capped`: the page, how many it held, the first URLs left out).
"""

from __future__ import annotations

import logging
from typing import Any

logger = logging.getLogger("crawler.guards")

# A real article holds a few dozen images and ~10 CSS/JS files; a photo album a few hundred at
# most would be extraordinary. 200 keeps every real page whole and bounds a hostile one.
DEFAULT_MAX_IMAGES_PER_PAGE = 200
NAMED_PAGES = 100  # capped pages the report lists; the counts cover them all
NAMED_URLS = 10  # left-out URLs named per listed page (all of them are in the DEBUG log)
CAPPED = "requisites/capped"  # stats key: the list of capped pages for the report


def cap_requisites(links: list[str], cap: int) -> tuple[list[str], list[str]]:
    """(the first `cap` links, the rest), in page order."""
    return links[:cap], links[cap:]


def capped_entry(page: str, found: int, left_out: list[str]) -> dict[str, Any]:
    return {
        "page": page,
        "found": found,
        "fetched": found - len(left_out),
        "left_out": len(left_out),
        "first_left_out": left_out[:NAMED_URLS],
    }


def apply_cap(stats: Any, page: str, links: list[str], cap: int) -> list[str]:
    """The links of `page` to request; counts, logs and names the ones left out."""
    kept, left_out = cap_requisites(links, cap)
    if not left_out:
        return kept
    stats.inc_value("requisites/capped_pages")
    stats.inc_value("requisites/over_cap", len(left_out))
    named = stats.get_value(CAPPED) or []
    if len(named) < NAMED_PAGES:
        stats.set_value(CAPPED, [*named, capped_entry(page, len(links), left_out)])
    logger.warning(
        "requisites capped %s: %d found, %d fetched, %d left out (MAX_IMAGES_PER_PAGE=%d), "
        "first left out %s",
        page,
        len(links),
        len(kept),
        len(left_out),
        cap,
        left_out[0],
    )
    for url in left_out:
        logger.debug("requisite not fetched (over MAX_IMAGES_PER_PAGE) %s: %s", page, url)
    return kept


def summary(stats: dict[str, Any]) -> dict[str, Any] | None:
    """The report's `requisites_capped`: counts over every capped page, the first pages named;
    None when no page hit the cap."""
    if not stats.get("requisites/capped_pages"):
        return None
    return {
        "pages": stats["requisites/capped_pages"],
        "left_out": stats.get("requisites/over_cap", 0),
        "named": list(stats.get(CAPPED) or []),
    }


def markdown_lines(capped: dict[str, Any] | None) -> list[str]:
    """The report's "Requisites left out" section (nothing when no page hit the cap)."""
    if not capped:
        return []
    lines = [
        "## Requisites left out (MAX_IMAGES_PER_PAGE)",
        "",
        f"{capped['pages']:,} page(s) held more requisites than the cap; "
        f"{capped['left_out']:,} were not fetched.",
        "",
        "| page | found | fetched | left out | first left out |",
        "|---|---:|---:|---:|---|",
    ]
    for entry in capped["named"]:
        first = entry["first_left_out"][0] if entry["first_left_out"] else ""
        lines.append(
            f"| {entry['page']} | {entry['found']:,} | {entry['fetched']:,} | "
            f"{entry['left_out']:,} | {first} |"
        )
    return [*lines, ""]
