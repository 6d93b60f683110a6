"""Which discovery source found each item: a listing (section or home page), a sitemap, an RSS
feed, a link in another page's body, an id probe. The report counts, per source, the items it found
and the items only it found (what the crawl would have missed without it).

One small int per item id (a bit per source), updated as links are seen, so the counts in the
crawl's stats are right at any moment and memory stays ~100 bytes per item."""

from __future__ import annotations

from typing import Any

__all__ = ["SOURCES", "DiscoverySources", "markdown_lines", "summary"]

SOURCES = ("listing", "sitemap", "rss", "link", "probe")
_BIT = {name: 1 << i for i, name in enumerate(SOURCES)}


class DiscoverySources:
    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler  # its stats exist only once the crawl starts
        self.seen: dict[str, int] = {}

    def found(self, item_id: str | None, source: str) -> None:
        """`source` named `item_id` (stats `discovery/found/<source>`, `discovery/only/<source>`)."""
        if not item_id:
            return
        bit = _BIT[source]
        before = self.seen.get(item_id, 0)
        if before & bit:
            return
        self.seen[item_id] = before | bit
        stats = self.crawler.stats
        stats.inc_value(f"discovery/found/{source}")
        if before == 0:
            stats.inc_value(f"discovery/only/{source}")
        elif before & (before - 1) == 0:  # it had exactly one source: that one is no longer alone
            alone = SOURCES[before.bit_length() - 1]
            stats.inc_value(f"discovery/only/{alone}", -1)


def summary(stats: dict[str, Any]) -> dict[str, Any] | None:
    """The report's `discovery`: items found and items found only, by source; None when nothing
    was counted (a run of an older version, or one that found no item)."""
    found = {s: stats.get(f"discovery/found/{s}", 0) for s in SOURCES}
    if not any(found.values()):
        return None
    only = {s: stats.get(f"discovery/only/{s}", 0) for s in SOURCES}
    extra = {k: stats[k] for k in ("discovery/sitemaps", "discovery/feeds") if stats.get(k)}
    return {"found": found, "only": only, "files": extra}


def markdown_lines(discovery: dict[str, Any] | None) -> list[str]:
    if not discovery:
        return []
    lines = [
        "## Discovery sources",
        "",
        "| source | items found | found only there |",
        "|---|---:|---:|",
    ]
    for s in SOURCES:
        lines.append(f"| {s} | {discovery['found'][s]:,} | {discovery['only'][s]:,} |")
    files = discovery.get("files") or {}
    if files:
        lines += ["", f"Sitemap files read: {files.get('discovery/sitemaps', 0):,}; "
                  f"feeds read: {files.get('discovery/feeds', 0):,}."]  # fmt: skip
    return [*lines, ""]
