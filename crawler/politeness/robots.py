"""robots.txt per RFC 9309, failing closed; replaces Scrapy's RobotsTxtMiddleware.

Why not Scrapy's: when robots.txt answers 5xx or cannot be fetched, Scrapy's middleware logs the
error and then crawls as if everything were allowed (docs/pitfalls.md: "fails open"), and it never acts
on Crawl-delay (Scrapy issue #3849). RFC 9309 section 2.3.1:

- 2xx: parse and obey (Scrapy's ROBOTSTXT_PARSER, Protego by default);
- 4xx "unavailable" (404, 403, ...): no rules, everything allowed; except 429, which says "busy"
  and is treated like 5xx (as Google does);
- 5xx, a timeout or connection error "unreachable": assume complete disallow. We retry
  ROBOTS_MAX_RETRIES times with exponential back-off (Retry-After honoured), then close the crawl
  with reason "site_unavailable" (crawler.report maps it onto the site_unavailable exit status).
  A 3xx left over after RedirectMiddleware, or an IgnoreRequest, is unreachable too.

While a host's robots.txt is unresolved every request to it waits here, so none goes out before
the rules are known. A robots.txt is re-fetched after ROBOTS_MAX_AGE (RFC 9309 2.4: at most 24 h);
if the re-fetch fails the cached rules stay in force and the re-fetch is tried again later.
"""

from __future__ import annotations

import logging
import random
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from scrapy import signals
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Request
from scrapy.http.request import NO_CALLBACK
from scrapy.utils.defer import deferred_from_coro, maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from scrapy.utils.misc import build_from_crawler, load_object
from scrapy.utils.python import to_unicode
from twisted.internet.defer import Deferred

from crawler.politeness.hosts import CrawlClosing, HostPolicy
from crawler.politeness.settings_check import refuse_alongside

if TYPE_CHECKING:
    from scrapy import Spider
    from scrapy.crawler import Crawler
    from scrapy.http import Response
    from scrapy.robotstxt import RobotParser

logger = logging.getLogger(__name__)

CLOSE_REASON = "site_unavailable"
CLOSING = "crawl closing"
# Disallowed requests are logged at INFO up to this many per origin, then at DEBUG: a listing
# that links to a disallowed path on every page would otherwise flood the log.
LOG_FORBIDDEN_AT_INFO = 20
REFRESH_RETRY_S = 3600.0  # after a failed re-fetch, keep the cached rules this long


class RobotsUnavailable(IgnoreRequest):
    """The host's robots.txt could not be fetched; the request is dropped, the crawl closes."""


@dataclass
class _Robots:
    state: str = "pending"  # pending | ready | failed
    parser: RobotParser | None = None  # None when ready: no rules (4xx), everything allowed
    problem: str = ""
    fetched_at: float = 0.0
    forbidden_logged: int = 0
    waiters: list[Deferred[None]] = field(default_factory=list)

    def settle(self, state: str, parser: RobotParser | None = None, problem: str = "") -> None:
        self.state, self.parser, self.problem = state, parser, problem
        self.fetched_at = time.monotonic()
        waiters, self.waiters = self.waiters, []
        for d in waiters:
            d.callback(None)


class RobotsMiddleware:
    DOWNLOAD_PRIORITY = 1000

    def __init__(self, crawler: Crawler):
        s = crawler.settings
        if not s.getbool("ROBOTSTXT_OBEY"):
            raise NotConfigured
        refuse_alongside(
            s,
            "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware",
            "crawler.politeness.RobotsMiddleware",
        )
        self.crawler = crawler
        self.stats = crawler.stats
        self.policy = HostPolicy.for_crawler(crawler)
        self.max_retries = max(0, s.getint("ROBOTS_MAX_RETRIES", 4))
        self.max_age = s.getfloat("ROBOTS_MAX_AGE", 86400.0)
        self.jitter = min(1.0, max(0.0, s.getfloat("RETRY_BACKOFF_JITTER", 0.2)))
        self.default_useragent: str = s.get("USER_AGENT") or ""
        self.robots_useragent: str | None = s.get("ROBOTSTXT_USER_AGENT")
        self.parser_cls = load_object(s.get("ROBOTSTXT_PARSER"))
        build_from_crawler(self.parser_cls, crawler, b"")  # fail now if the parser is missing
        self.origins: dict[str, _Robots] = {}
        self._close_d: Deferred[None] | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler):
        return cls(crawler)

    async def process_request(self, request: Request, spider: Spider | None = None) -> None:
        if request.meta.get("dont_obey_robotstxt"):
            return
        url = urlparse_cached(request)
        if url.scheme not in ("http", "https"):
            return
        origin = f"{url.scheme}://{url.netloc}"
        robots = await self._robots(origin, request)
        if robots.state == "failed":
            if robots.problem == CLOSING:
                raise CrawlClosing("crawl closing")
            self.stats.inc_value("skipped/site_unavailable")
            raise RobotsUnavailable(f"robots.txt of {origin} unavailable: {robots.problem}")
        if robots.parser is None or robots.parser.allowed(request.url, self._useragent(request)):
            return
        self.stats.inc_value("skipped/robots")
        robots.forbidden_logged += 1
        level = logging.INFO if robots.forbidden_logged <= LOG_FORBIDDEN_AT_INFO else logging.DEBUG
        logger.log(level, "Forbidden by robots.txt: %s", request.url)
        if robots.forbidden_logged == LOG_FORBIDDEN_AT_INFO:
            logger.info("Further requests forbidden by robots.txt of %s logged at DEBUG", origin)
        raise IgnoreRequest("Forbidden by robots.txt")

    def _useragent(self, request: Request | None = None) -> str:
        if self.robots_useragent:
            return self.robots_useragent
        ua = request.headers.get(b"User-Agent") if request is not None else None
        return to_unicode(ua) if ua else self.default_useragent

    async def _robots(self, origin: str, request: Request) -> _Robots:
        robots = self.origins.get(origin)
        if robots is None:
            robots = self.origins[origin] = _Robots()
            await self._fetch(origin, robots, request)
        elif robots.state == "pending":
            d: Deferred[None] = Deferred()
            robots.waiters.append(d)
            await maybe_deferred_to_future(d)
        elif robots.state == "ready" and time.monotonic() - robots.fetched_at > self.max_age:
            stale = robots
            robots = self.origins[origin] = _Robots()
            await self._fetch(origin, robots, request, stale=stale)
        return robots

    async def _fetch(
        self, origin: str, robots: _Robots, request: Request, stale: _Robots | None = None
    ) -> None:
        """Fetch and settle `robots`; never raises."""
        url = f"{origin}/robots.txt"
        try:
            problem = await self._attempts(origin, robots, request, url)
        except CrawlClosing:
            robots.settle("failed", problem=CLOSING)
            return
        except Exception as e:
            logger.exception("Unexpected error while fetching %s", url)
            problem = f"{type(e).__name__}: {e}"
        if problem is None:  # settled by an answer
            return
        if stale is not None and stale.state == "ready":
            logger.warning(
                "robots.txt of %s could not be re-fetched (%s); keeping the cached rules",
                origin,
                problem,
            )
            robots.settle("ready", stale.parser)
            robots.fetched_at -= self.max_age - REFRESH_RETRY_S
            return
        self._give_up(origin, robots, problem)

    async def _attempts(
        self, origin: str, robots: _Robots, request: Request, url: str
    ) -> str | None:
        """Up to 1 + ROBOTS_MAX_RETRIES tries of `url`: None once an answer settled `robots`, else the
        last attempt's problem."""
        problem = "not fetched"
        for attempt in range(self.max_retries + 1):
            retry_after = None
            try:
                response = await self._download(url)
            except CrawlClosing:
                raise
            except IgnoreRequest as e:
                # Another middleware dropped it (e.g. too many redirects): retrying would
                # not help, and crawling without the rules is not an option.
                return f"request ignored ({e})"
            except Exception as e:  # timeout, refused, DNS, reset, ...
                problem = f"{type(e).__name__}: {e}"
                self.stats.inc_value(f"politeness/robots/errors/{type(e).__name__}")
            else:
                if await self._answered(origin, robots, response, request):
                    return None
                problem = f"HTTP {response.status}"
                retry_after = self.policy.retry_after(response)
            if attempt < self.max_retries:
                await self._back_off(origin, problem, attempt, retry_after)
        return problem

    async def _download(self, url: str) -> Response:
        self.stats.inc_value("politeness/robots/requests")
        return await self.crawler.engine.download_async(
            Request(
                url,
                priority=self.DOWNLOAD_PRIORITY,
                # Our retry loop, not RetryMiddleware's: this one gives up by
                # stopping the crawl rather than by dropping one request.
                meta={"dont_obey_robotstxt": True, "dont_retry": True},
                callback=NO_CALLBACK,
            )
        )

    async def _answered(
        self, origin: str, robots: _Robots, response: Response, request: Request
    ) -> bool:
        """Settle `robots` from an answer that says something (2xx rules, 4xx none); False for
        one worth retrying (429, 5xx, others)."""
        status = response.status
        self.stats.inc_value(f"politeness/robots/status/{status}")
        if 200 <= status < 300:
            await self._parsed(origin, robots, response, request)
            return True
        if 400 <= status < 500 and status != 429:
            logger.info(
                "robots.txt of %s answered %d: no rules, everything allowed", origin, status
            )
            robots.settle("ready")
            return True
        return False

    async def _back_off(
        self, origin: str, problem: str, attempt: int, retry_after: float | None
    ) -> None:
        wait = self.policy.backoff(attempt) * random.uniform(  # noqa: S311
            1 - self.jitter, 1 + self.jitter
        )
        wait = max(retry_after or 0.0, min(self.policy.backoff_max, wait))
        logger.warning(
            "robots.txt of %s unavailable (%s); attempt %d of %d in %.2f s",
            origin,
            problem,
            attempt + 2,
            self.max_retries + 1,
            wait,
        )
        self.stats.inc_value("politeness/backoff_seconds", round(wait, 3))
        await self.policy.sleep(wait)

    async def _parsed(
        self, origin: str, robots: _Robots, response: Response, request: Request
    ) -> None:
        parser = build_from_crawler(self.parser_cls, self.crawler, response.body)
        robots.settle("ready", parser)
        await self.crawler.signals.send_catch_log_async(
            # `response` beyond Scrapy's arguments: the spider reads its Sitemap: lines from the
            # same fetch (crawler/spiders/discovering.py), so robots.txt is asked for once.
            signal=signals.robots_parsed,
            robotparser=parser,
            request=request,
            response=response,
        )
        delay = self._crawl_delay(parser)
        if not delay:
            return
        if not self.policy.honour_crawl_delay:
            logger.info(
                "robots.txt of %s: Crawl-delay %s s ignored (HONOUR_CRAWL_DELAY)", origin, delay
            )
            self.stats.max_value("politeness/crawl_delay_ignored", delay)
            return
        key = self.policy.slot_key(response.request or request)
        used = self.policy.set_crawl_delay(key, delay)
        self.stats.max_value("politeness/crawl_delay", used)
        logger.info(
            "robots.txt of %s: Crawl-delay %s s; %s gets %s s between requests",
            origin,
            delay,
            key,
            used,
        )

    def _crawl_delay(self, parser: RobotParser) -> float:
        """Crawl-delay for our user agent (or *), or the interval implied by Request-rate."""
        ua = self._useragent()
        delay = parser.crawl_delay(ua) or 0.0
        rate: Any = None
        protego = getattr(parser, "rp", None)
        if hasattr(protego, "request_rate"):
            rate = protego.request_rate(ua)
        if rate is not None and rate.requests > 0:
            delay = max(delay, rate.seconds / rate.requests)
        return float(delay)

    def _give_up(self, origin: str, robots: _Robots, problem: str) -> None:
        logger.error(
            "robots.txt of %s unavailable after %d attempts (%s): closing the crawl (%s) "
            "rather than crawl without its rules",
            origin,
            self.max_retries + 1,
            problem,
            CLOSE_REASON,
        )
        self.stats.inc_value("politeness/robots/unavailable")
        # Close before waking the waiters, so the engine stops pulling new requests; the
        # waiters (and any later request) are dropped with RobotsUnavailable.
        self.policy.closing = True
        engine = self.crawler.engine
        if engine is not None and self._close_d is None:
            self._close_d = deferred_from_coro(engine.close_spider_async(reason=CLOSE_REASON))
            self._close_d.addErrback(
                lambda f: logger.error("Closing the crawl failed: %s", f.getErrorMessage())
            )
        robots.settle("failed", problem=problem)
