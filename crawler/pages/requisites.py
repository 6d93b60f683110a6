"""Page requisites: what a browser would also fetch to show a page (stylesheets, scripts, images,
thumbnails, icons), so the WARC mirror replays pages whole.

Selectors only; the spider decides what to request. Returned in production form, page order,
without repeats; only portal hosts (the archive mirrors the portal, not the web). Read from the
tree the page modules parse (crawler/pages/article/page.py `load`, crawler/pages/listing), before
their scripts are dropped: a page is parsed once.
"""

from __future__ import annotations

from lxml import etree

from crawler.editions import Editions
from crawler.pages.parsing import Element

# (tag, attribute) pairs whose URL a browser loads with the page.
_SOURCES = (
    "//link[contains(concat(' ', normalize-space(@rel), ' '), ' stylesheet ')]/@href",
    "//link[contains(@rel, 'icon')]/@href",
    "//script/@src",
    "//img/@src",
    "//img/@data-src",
    "//source/@srcset",
    "//meta[@property='og:image']/@content",
)
_XPATH = etree.XPath(" | ".join(_SOURCES))


def page_requisites(root: Element, url: str, editions: Editions) -> list[str]:
    """The requisites of the page parsed as `root` (crawler.pages.common.parse_html), which must
    still hold its scripts; `url` is the page's URL as fetched."""
    out: dict[str, None] = {}
    for value in _XPATH(root):
        # Only a srcset lists several URLs ("a.jpg 1x, b.jpg 2x"); a `data:` placeholder in a
        # src holds a comma of its own, and what follows it is no URL.
        candidates = str(value).split(",") if value.attrname == "srcset" else [str(value)]
        for candidate in candidates:
            href = candidate.strip().split(" ")[0]
            if not href or href.startswith(("data:", "javascript:", "#")):
                continue
            absolute = editions.absolute(href, url)
            if editions.is_portal(absolute):
                out.setdefault(absolute, None)
    return list(out)
