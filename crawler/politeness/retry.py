"""Retries that wait: exponential back-off with jitter, and Retry-After.

Scrapy's RetryMiddleware re-schedules a failed request at once and ignores Retry-After (Scrapy
issue #3849; docs/pitfalls.md: "retries have no backoff"). On a small server that answered 429/503
because it is overloaded, immediate retries make it worse. This subclass keeps Scrapy's retry
accounting (`retry/count`, `retry/reason_count/...`, RETRY_TIMES, `dont_retry`, `max_retry_times`)
and adds the timing:

- a retry carries `meta["politeness_not_before"]` (wall clock, so it survives a JOBDIR disk
  queue) = now + max(Retry-After capped at RETRY_AFTER_MAX, back-off), where back-off =
  min(RETRY_BACKOFF_MAX, RETRY_BACKOFF_BASE * 2**attempt) * (1 ± RETRY_BACKOFF_JITTER);
- `process_request` (async, so the reactor keeps running) holds a request until its
  `not_before` and until its host's Retry-After pause (`HostPolicy`) has passed.

The host-wide slowdown on 429/503 is done by `HostPolicy` on every response, whether or not the
request is retried.
"""

from __future__ import annotations

import logging
import random
import time
from typing import TYPE_CHECKING

import scrapy.exceptions
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.utils.response import response_status_message
from twisted.internet.error import TimeoutError as TwistedTimeoutError

from crawler.politeness.hosts import HostPolicy
from crawler.politeness.settings_check import refuse_alongside

if TYPE_CHECKING:
    from scrapy import Request, Spider
    from scrapy.crawler import Crawler
    from scrapy.http import Response
    from scrapy.settings import BaseSettings

logger = logging.getLogger(__name__)

NOT_BEFORE = "politeness_not_before"
# Scrapy 2.19 raises DownloadTimeoutError; older versions Twisted's TimeoutError.
TIMEOUTS: tuple[type[Exception], ...] = (TimeoutError, TwistedTimeoutError) + tuple(
    t for t in [getattr(scrapy.exceptions, "DownloadTimeoutError", None)] if t is not None
)


class PoliteRetryMiddleware(RetryMiddleware):
    def __init__(self, settings: BaseSettings):
        super().__init__(settings)
        self.jitter = min(1.0, max(0.0, settings.getfloat("RETRY_BACKOFF_JITTER", 0.2)))

    @classmethod
    def from_crawler(cls, crawler: Crawler):
        refuse_alongside(
            crawler.settings,
            "scrapy.downloadermiddlewares.retry.RetryMiddleware",
            "crawler.politeness.PoliteRetryMiddleware",
        )
        o = cls(crawler.settings)
        o.crawler = crawler
        o.policy = HostPolicy.for_crawler(crawler)
        return o

    async def process_request(self, request: Request, spider: Spider | None = None) -> None:
        not_before = request.meta.get(NOT_BEFORE) or 0.0
        key = self.policy.slot_key(request)
        state = self.policy.hosts.get(key)
        if not_before <= time.time() and (state is None or state.pause_until <= time.monotonic()):
            return
        waited = await self.policy.wait_for_host(key, not_before)
        if waited > 0.05:
            logger.debug("Waited %.2f s before %s", waited, request)

    def process_response(
        self, request: Request, response: Response, spider: Spider | None = None
    ) -> Request | Response:
        if request.meta.get("dont_retry", False) or response.status not in self.retry_http_codes:
            return response
        retry = self._retry(request, response_status_message(response.status))
        if retry is None:
            return response
        self._delay(retry, self.policy.retry_after(response))
        return retry

    def process_exception(
        self, request: Request, exception: Exception, spider: Spider | None = None
    ) -> Request | Response | None:
        if isinstance(exception, TIMEOUTS):
            # A small server that stops answering in time is overloaded as surely as one that
            # says 503: slow the whole host down, not only this URL.
            self.policy.note_busy(
                request.meta.get("download_slot") or self.policy.slot_key(request), None
            )
        if not isinstance(exception, self.exceptions_to_retry) or request.meta.get(
            "dont_retry", False
        ):
            return None
        retry = self._retry(request, exception)
        if retry is not None:
            self._delay(retry, None)
        return retry

    def _delay(self, retry: Request, retry_after: float | None) -> None:
        attempt = max(0, int(retry.meta.get("retry_times", 1)) - 1)
        backoff = self.policy.backoff(attempt) * random.uniform(1 - self.jitter, 1 + self.jitter)  # noqa: S311
        wait = min(self.policy.backoff_max, backoff)
        stats = self.crawler.stats
        if retry_after is not None:
            # At least what the server asked for, and never faster than our own back-off
            # (some servers send "Retry-After: 0" while overloaded).
            wait = max(retry_after, wait)
            stats.inc_value("politeness/retry_after_waits")
        retry.meta[NOT_BEFORE] = time.time() + wait
        stats.inc_value("politeness/backoff_seconds", round(wait, 3))
        logger.debug(
            "Retry %d of %s in %.2f s%s",
            attempt + 1,
            retry.url,
            wait,
            " (Retry-After)" if retry_after is not None else "",
        )
