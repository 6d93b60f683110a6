"""Sitemaps: the `Sitemap:` lines of robots.txt, and what a sitemap or sitemap index lists.

Scrapy's own readers do the parsing (`sitemap_urls_from_robots`, `Sitemap`: lxml with entity
resolution off and a size cap); this module only says what the crawler does with them."""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml.etree import XMLSyntaxError
from scrapy.utils.gz import gunzip
from scrapy.utils.sitemap import Sitemap, sitemap_urls_from_robots

__all__ = ["SitemapContent", "read_sitemap", "robots_sitemaps"]

GZIP_MAGIC = b"\x1f\x8b"


def robots_sitemaps(robots_body: bytes, base_url: str) -> list[str]:
    """The sitemap URLs a robots.txt names, absolute, in order, without repeats."""
    return list(dict.fromkeys(sitemap_urls_from_robots(robots_body, base_url=base_url)))


@dataclass
class SitemapContent:
    """`index`: a sitemap index (locs are sitemaps); `urlset`: locs are pages; else `unknown`."""

    kind: str
    locs: list[str] = field(default_factory=list)
    lastmod: dict[str, str] = field(default_factory=dict)
    """loc -> its `<lastmod>` as written, where the sitemap gives one."""

    def newest(self, k: int) -> list[str]:
        """The k locs with the newest `<lastmod>` (W3C datetimes sort as strings when of one
        form); without lastmods, the first k as listed (indexes tend to list the newest first)."""
        if not self.lastmod:
            return self.locs[:k]
        return sorted(self.locs, key=lambda loc: self.lastmod.get(loc, ""), reverse=True)[:k]


def read_sitemap(body: bytes, max_size: int = 50 * 1024 * 1024) -> SitemapContent:
    """The locs of a sitemap or sitemap index (a `.xml.gz` body is unzipped first, up to
    `max_size`); `unknown` with no locs for anything else (an HTML error page, broken XML)."""
    if body[:2] == GZIP_MAGIC:
        try:
            body = gunzip(body, max_size=max_size)
        except (OSError, ValueError):
            return SitemapContent("unknown")
    try:
        sitemap = Sitemap(body)
    except (XMLSyntaxError, ValueError, AttributeError, StopIteration):
        return SitemapContent("unknown")
    kind = {"sitemapindex": "index", "urlset": "urlset"}.get(sitemap.type, "unknown")
    if kind == "unknown":
        return SitemapContent(kind)
    content = SitemapContent(kind)
    for entry in sitemap:
        loc = entry.get("loc", "").strip()
        if loc and loc not in content.lastmod and loc not in content.locs:
            content.locs.append(loc)
            if entry.get("lastmod", "").strip():
                content.lastmod[loc] = entry["lastmod"].strip()
    return content
