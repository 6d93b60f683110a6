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
    locs = [entry["loc"].strip() for entry in sitemap if entry.get("loc", "").strip()]
    return SitemapContent(kind, list(dict.fromkeys(locs)))
