"""The guards' spider middleware: HTTP errors left after retries and extraction crashes become
counted skips; records get the response's guard reason codes in `quality_issues`."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterable
from typing import TYPE_CHECKING, Any

from itemadapter import ItemAdapter
from scrapy import Request
from scrapy.exceptions import IgnoreRequest
from scrapy.spidermiddlewares.httperror import HttpError

from crawler.guards.common import GUARD_ISSUES, Guards, is_item_request

if TYPE_CHECKING:
    from scrapy import Spider
    from scrapy.crawler import Crawler
    from scrapy.http import Response

logger = logging.getLogger("crawler.guards")


class GuardSpiderMiddleware:
    """Priority 550 (anywhere above HttpErrorMiddleware at 50, whose exceptions it sees first).

    - HTTP errors left after retries (HttpError: no errback took them) -> `skipped/http_4xx|5xx`;
    - an exception in an article/album callback (the extractor choking on a page) ->
      `skipped/extract_error`, logged with its traceback; the crawl goes on;
    - records leaving a callback get the response's guard reason codes, and `title_too_long`,
      added to `quality_issues`.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.guards = Guards.for_crawler(crawler)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> GuardSpiderMiddleware:
        return cls(crawler)

    def process_spider_exception(
        self, response: Response, exception: Exception, spider: Spider | None = None
    ) -> Iterable[Any] | None:
        if isinstance(exception, HttpError):
            status = exception.response.status
            self.guards.skip(response.url, f"http_{status // 100}xx", f"HTTP {status}")
            return None  # HttpErrorMiddleware still counts httperror/* and logs it
        request = getattr(response, "request", None)
        if isinstance(exception, IgnoreRequest) or request is None or not is_item_request(request):
            return None
        self.guards.stats.inc_value("skipped/extract_error")
        logger.error(
            "skipped %s: extract_error (%s: %s)",
            response.url,
            type(exception).__name__,
            exception,
            exc_info=exception,
        )
        return []

    def process_spider_output(
        self, response: Response, result: Iterable[Any], spider: Spider | None = None
    ) -> Iterable[Any]:
        for obj in result:
            yield self._annotate(response, obj)

    async def process_spider_output_async(
        self, response: Response, result: AsyncIterator[Any], spider: Spider | None = None
    ) -> AsyncIterator[Any]:
        async for obj in result:
            yield self._annotate(response, obj)

    def _annotate(self, response: Response, obj: Any) -> Any:
        # Most objects are requests: ItemAdapter.is_item tries every item type on each.
        if isinstance(obj, Request) or not ItemAdapter.is_item(obj):
            return obj
        adapter = ItemAdapter(obj)
        if "quality_issues" not in adapter or adapter.get("_tombstone"):
            return obj
        issues = list(response.meta.get(GUARD_ISSUES, ()))
        title = adapter.get("title")
        if isinstance(title, str) and len(title) > self.guards.title_max:
            issues.append("title_too_long")
            self.guards.flag(response.url, "title_too_long", f"{len(title)} characters, kept whole")
        if issues:
            adapter["quality_issues"] = sorted(set(adapter["quality_issues"] or ()) | set(issues))
        if adapter["quality_issues"]:
            logger.info(
                "record %s: quality issues %s", response.url, ", ".join(adapter["quality_issues"])
            )
        return obj
