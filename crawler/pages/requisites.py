"""Page requisites: what a browser would also fetch to show a page (stylesheets, scripts, images,
thumbnails, icons), so the WARC mirror replays pages whole.

Selectors only; the spider decides what to request. Returned in production form, page order,
without repeats; only portal hosts (the archive mirrors the portal, not the web).
"""

from __future__ import annotations

from lxml import html as lxml_html

from crawler.editions import Editions

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
_XPATH = " | ".join(_SOURCES)


def page_requisites(html: str, url: str, editions: Editions) -> list[str]:
    if not html.strip():
        return []
    try:
        root = lxml_html.fromstring(html)
    except (ValueError, lxml_html.etree.ParserError):
        return []
    out: dict[str, None] = {}
    for value in root.xpath(_XPATH):
        for candidate in str(value).split(","):  # srcset: "a.jpg 1x, b.jpg 2x"
            href = candidate.strip().split(" ")[0]
            if not href or href.startswith(("data:", "javascript:", "#")):
                continue
            absolute = editions.absolute(href, url)
            if editions.is_portal(absolute):
                out.setdefault(absolute, None)
    return list(out)
