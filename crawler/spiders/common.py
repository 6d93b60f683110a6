"""What the spider's callbacks share: request priorities and reading a response's headers and
archive date."""

from __future__ import annotations

from collections import OrderedDict

from scrapy.http import Response

LISTING_PRIORITY = 100  # listings before articles: a record is written knowing its sections
ARTICLE_PRIORITY = 0
REQUISITE_PRIORITY = -10  # images and CSS last: they name no section and hold no record
RECENT_REQUISITES = 2048  # requisite URLs a spider remembers having asked for (RecentUrls)


def utc_seconds(warc_date: str | None) -> str | None:
    """`2025-06-30T12:00:00.123456Z` -> `2025-06-30T12:00:00Z` (record times are whole seconds)."""
    return warc_date[:19] + "Z" if warc_date else None


def header(response: Response, name: bytes) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None


def header_charset(response: Response) -> str | None:
    ctype = header(response, b"Content-Type") or ""
    for part in ctype.split(";")[1:]:
        key, _, value = part.strip().partition("=")
        if key.lower() == "charset" and value:
            return value.strip().strip('"')
    return None


class RecentUrls:
    """The last `size` URLs added, as a bounded set: what was just asked for, without holding
    every URL of a crawl (the frontier on disk is the duplicate filter; this only spares it the
    obvious repeats). An OrderedDict as LRU: functools.lru_cache caches calls, not membership."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._urls: OrderedDict[str, None] = OrderedDict()

    def seen(self, url: str) -> bool:
        """Whether `url` is among the recent ones; remembered (as the newest) either way."""
        if url in self._urls:
            self._urls.move_to_end(url)
            return True
        self._urls[url] = None
        if len(self._urls) > self.size:
            self._urls.popitem(last=False)
        return False

    def __len__(self) -> int:
        return len(self._urls)
