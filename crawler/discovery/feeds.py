"""RSS and Atom feeds: the feeds a page names (`<link rel="alternate" type="application/rss+xml">`)
and the item links a feed holds."""

from __future__ import annotations

from parsel import Selector

from crawler.editions import Editions

__all__ = ["feed_item_links", "feed_links"]

FEED_TYPES = ("application/rss+xml", "application/atom+xml")


def feed_links(html: str, url: str, editions: Editions) -> list[str]:
    """The portal feeds a page names in its head, absolute (production form), without repeats."""
    sel = Selector(text=html or "<html></html>")
    out: dict[str, None] = {}
    for link in sel.xpath("//link[@href]"):
        rel = (link.attrib.get("rel") or "").lower().split()
        kind = (link.attrib.get("type") or "").lower().strip()
        if "alternate" in rel and kind in FEED_TYPES:
            absolute = editions.absolute(link.attrib["href"], url)
            if editions.is_portal(absolute):
                out.setdefault(absolute, None)
    return list(out)


def feed_item_links(body: bytes) -> list[str]:
    """The item links of an RSS 2.0 (`<item><link>`) or Atom (`<entry><link href>`) feed, in order."""
    try:
        sel = Selector(body=body, type="xml")
    except ValueError:
        return []
    sel.remove_namespaces()
    links = sel.xpath("//item/link/text()").getall()
    links += sel.xpath("//entry/link[not(@rel) or @rel='alternate']/@href").getall()
    return list(dict.fromkeys(x.strip() for x in links if x.strip()))
