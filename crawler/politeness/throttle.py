"""AutoThrottle that never goes below a host's politeness floor.

Scrapy's AutoThrottle lowers `slot.delay` towards latency / AUTOTHROTTLE_TARGET_CONCURRENCY and
knows only one lower bound, DOWNLOAD_DELAY (`mindelay`); a fast-answering host would soon be
crawled faster than its robots.txt Crawl-delay allows (Scrapy parses Crawl-delay but does not act
on it, issue #3849), or than the busy delay we set after a 429/503. After each adjustment this
subclass re-applies `HostPolicy`'s per-host floor to the slot.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from scrapy.extensions.throttle import AutoThrottle

from crawler.politeness.hosts import HostPolicy

if TYPE_CHECKING:
    from scrapy import Request, Spider
    from scrapy.crawler import Crawler
    from scrapy.http import Response


class PoliteAutoThrottle(AutoThrottle):
    def __init__(self, crawler: Crawler):
        super().__init__(crawler)
        self.policy = HostPolicy.for_crawler(crawler)

    def _response_downloaded(self, response: Response, request: Request, spider: Spider) -> None:
        super()._response_downloaded(response, request, spider)
        self.policy.enforce(request.meta.get("download_slot"))
