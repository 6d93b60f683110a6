"""Per-host politeness state shared by the robots and retry middlewares and the AutoThrottle.

One `HostPolicy` per crawler (`HostPolicy.for_crawler`). It owns, for each download slot (the
slot key is the host name, see `Downloader.get_slot_key`):

- a *floor*: the smallest delay between two request starts that the host may see. It is the
  larger of the robots.txt Crawl-delay (set by `RobotsMiddleware`) and a temporary *busy delay*
  (raised on 429/503, decayed on later good answers). Scrapy parses Crawl-delay but never acts on
  it, and never slows down on 429/503 (Scrapy issue #3849, docs/pitfalls.md); the floor is how we do.
- a *pause*: a Retry-After on a 429/503 holds every request to that host until it expires.

Scrapy's downloader spaces request starts by `slot.delay`, randomised by `slot.jitter` (±50 % by
default), so a delay equal to the Crawl-delay would go below it half of the time. The floor is
therefore enforced as a strict minimum: `slot.delay * (1 - slot.jitter) >= floor`.
"""

from __future__ import annotations

import logging
import time
import weakref
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from scrapy import signals
from scrapy.exceptions import IgnoreRequest
from scrapy.utils.httpobj import urlparse_cached

from crawler.politeness.retry_after import parse_retry_after

try:  # Scrapy >= 2.18: asyncio.sleep or deferLater, whichever reactor runs
    from scrapy.utils.asyncio import sleep as _sleep
except ImportError:  # pragma: no cover - older Scrapy
    from scrapy.utils.defer import maybe_deferred_to_future
    from twisted.internet import reactor
    from twisted.internet.task import deferLater

    async def _sleep(seconds: float) -> None:
        await maybe_deferred_to_future(deferLater(reactor, seconds))


if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.core.downloader import Slot
    from scrapy.crawler import Crawler
    from scrapy.http import Response

logger = logging.getLogger(__name__)

# A good answer after a 429/503 shrinks the busy delay by this factor: the host recovers its
# normal pace over a handful of responses instead of at once.
BUSY_DECAY = 0.75
# Long waits are slept in slices so that a crawl being closed (SIGINT, CloseSpider,
# site_unavailable) is not held up by a 300 s Retry-After: the engine waits for every request
# in progress before it closes, and a request sleeping in a middleware is in progress.
SLEEP_SLICE = 0.5

# Scrapy 2.19 downloader, asyncio reactor: with a slot delay of 0, Downloader._process_queue
# hands every queued request to a task (loop.create_task) before any of them is counted in
# slot.transferring, so CONCURRENT_REQUESTS_PER_DOMAIN is not enforced: measured here, plain
# Scrapy with DOWNLOAD_DELAY=0 and 2 per domain had 6 of 8 requests in flight at once. With any
# delay > 0 it dispatches one request per call and re-checks after the delay, by which time the
# task has registered its transfer. 1 ms costs nothing even on the loopback replica.
MIN_SLOT_DELAY = 0.001

_POLICIES: weakref.WeakKeyDictionary[Any, HostPolicy] = weakref.WeakKeyDictionary()


class CrawlClosing(IgnoreRequest):
    """A request was waiting (for robots.txt or a back-off) when the crawl began to close."""


@dataclass
class HostState:
    crawl_delay: float = 0.0  # from robots.txt, 0 when none or not honoured
    busy_delay: float = 0.0  # raised on 429/503, decays on good answers
    pause_until: float = 0.0  # time.monotonic() before which nothing goes to the host
    touched: bool = False  # we changed the slot's delay/jitter at least once

    @property
    def floor(self) -> float:
        return max(self.crawl_delay, self.busy_delay)


class HostPolicy:
    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        s = crawler.settings
        self.honour_crawl_delay = s.getbool("HONOUR_CRAWL_DELAY", True)
        self.backoff_base = s.getfloat("RETRY_BACKOFF_BASE", 2.0)
        self.backoff_max = s.getfloat("RETRY_BACKOFF_MAX", 60.0)
        self.retry_after_max = s.getfloat("RETRY_AFTER_MAX", 300.0)
        self.busy_codes = {int(c) for c in s.getlist("RETRY_BUSY_HTTP_CODES", [429, 503])}
        self.autothrottle = s.getbool("AUTOTHROTTLE_ENABLED")
        self.download_delay = s.getfloat("DOWNLOAD_DELAY")
        self.default_jitter = s.getfloat("DOWNLOAD_DELAY_JITTER", 0.5)
        self.slot_settings: dict[str, dict[str, Any]] = s.getdict("DOWNLOAD_SLOTS")
        self.hosts: dict[str, HostState] = {}
        self.closing = False
        crawler.signals.connect(self._reached_downloader, signal=signals.request_reached_downloader)
        crawler.signals.connect(self._response_downloaded, signal=signals.response_downloaded)
        crawler.signals.connect(self._spider_closed, signal=signals.spider_closed)

    @classmethod
    def for_crawler(cls, crawler: Crawler) -> HostPolicy:
        policy = _POLICIES.get(crawler)
        if policy is None:
            policy = _POLICIES[crawler] = cls(crawler)
        return policy

    # --- state ---------------------------------------------------------------------------

    def host(self, key: str) -> HostState:
        state = self.hosts.get(key)
        if state is None:
            state = self.hosts[key] = HostState()
        return state

    def slot_key(self, request: Request) -> str:
        engine = self.crawler.engine
        if engine is not None:
            return engine.downloader.get_slot_key(request)
        return urlparse_cached(request).hostname or ""

    def set_crawl_delay(self, key: str, delay: float) -> float:
        """Record robots.txt's Crawl-delay for a host; return the floor now in force."""
        state = self.host(key)
        state.crawl_delay = max(self.configured_delay(key), delay)
        self.enforce(key)
        return state.crawl_delay

    def note_busy(self, key: str, retry_after: float | None) -> None:
        """The host answered 429/503: space its requests further apart, and pause it if asked."""
        state = self.host(key)
        slot = self._slot(key)
        current = max(state.busy_delay, slot.delay if slot else 0.0)
        state.busy_delay = min(
            max(self.backoff_max, state.crawl_delay),
            max(current * 2, self.backoff_base, state.crawl_delay),
        )
        stats = self.crawler.stats
        stats.inc_value("politeness/host_slowdowns")
        stats.max_value("politeness/busy_delay_max", round(state.busy_delay, 3))
        if retry_after is not None:
            state.pause_until = max(state.pause_until, time.monotonic() + retry_after)
        self.enforce(key)
        logger.info(
            "%s is busy: at least %.2f s between requests%s",
            key,
            state.busy_delay,
            f", paused for {retry_after:.1f} s (Retry-After)" if retry_after else "",
        )

    def note_good(self, key: str) -> None:
        state = self.hosts.get(key)
        if state is None or not state.busy_delay:
            return
        state.busy_delay *= BUSY_DECAY
        if state.busy_delay <= max(self.configured_delay(key), state.crawl_delay, 0.01):
            state.busy_delay = 0.0
        self.enforce(key)

    # --- the downloader slot ---------------------------------------------------------------

    def configured_delay(self, key: str) -> float:
        return float(self.slot_settings.get(key, {}).get("delay", self.download_delay))

    def _base_jitter(self, key: str) -> float:
        return float(self.slot_settings.get(key, {}).get("jitter", self.default_jitter))

    def _slot(self, key: str) -> Slot | None:
        engine = self.crawler.engine
        return engine.downloader.slots.get(key) if engine is not None else None

    def enforce(self, key: str | None) -> None:
        """Make the slot of `key` respect the host's floor and pause (idempotent, cheap)."""
        slot = self._slot(key) if key is not None else None
        if slot is None:
            return
        state = self.hosts.get(key)
        if state is not None:
            self._apply_floor(key, state, slot)
        slot.delay = max(slot.delay, MIN_SLOT_DELAY)

    def _apply_floor(self, key: str, state: HostState, slot: Slot) -> None:
        floor = state.floor
        if floor <= 0:
            if state.touched:
                # Back to normal: our raise is over. AutoThrottle, when on, owns slot.delay.
                if not self.autothrottle:
                    slot.delay = self.configured_delay(key)
                slot.jitter = self._base_jitter(key)
                state.touched = False
            return
        state.touched = True
        if self.autothrottle:
            # AutoThrottle adapts slot.delay to latency; we only keep it above the floor.
            slot.delay = max(slot.delay, floor)
        else:
            slot.delay = max(self.configured_delay(key), floor)
        # Jitter only upwards of the floor: delay * (1 - jitter) >= floor.
        slot.jitter = max(0.0, min(self._base_jitter(key), 1.0 - floor / slot.delay))
        remaining = state.pause_until - time.monotonic()
        if remaining > 0:
            # Requests already queued in the slot passed our gate before the pause began; push
            # the slot's "last request" time forward so the downloader holds them too.
            shortest = slot.delay * (1.0 - slot.jitter)
            slot.lastseen = max(slot.lastseen, state.pause_until - shortest)

    def _reached_downloader(self, request: Request, spider: Any = None) -> None:
        # Fired after the slot exists and before it is processed: slots are created with the
        # default delay (and garbage-collected when idle), so re-apply the floor every time.
        self.enforce(request.meta.get("download_slot"))

    def _response_downloaded(self, response: Response, request: Request, spider: Any = None):
        key = request.meta.get("download_slot")
        if key is None:
            return
        if response.status in self.busy_codes:
            self.note_busy(key, self.retry_after(response))
        elif response.status < 500:
            self.note_good(key)
        else:
            self.enforce(key)

    # --- waiting -------------------------------------------------------------------------

    def retry_after(self, response: Response) -> float | None:
        value = parse_retry_after(response.headers.get(b"Retry-After"))
        return None if value is None else min(value, self.retry_after_max)

    def backoff(self, attempt: int) -> float:
        """Nominal back-off before retry number `attempt + 1` (attempt counts from 0)."""
        return min(self.backoff_max, self.backoff_base * 2**attempt)

    def is_closing(self) -> bool:
        if self.closing:
            return True
        engine = self.crawler.engine
        if engine is None or getattr(engine, "_stopping", False):  # set by stop_async (SIGINT)
            return True
        slot = getattr(engine, "_slot", None)  # slot.closing: set by close_spider_async
        return slot is not None and getattr(slot, "closing", None) is not None

    async def sleep(self, seconds: float) -> None:
        """Sleep without blocking the reactor; raise CrawlClosing if the crawl closes meanwhile."""
        deadline = time.monotonic() + seconds
        while (remaining := deadline - time.monotonic()) > 0:
            if self.is_closing():
                raise CrawlClosing("crawl closing")
            await _sleep(min(remaining, SLEEP_SLICE))

    async def wait_for_host(self, key: str, not_before: float = 0.0) -> float:
        """Wait for the host's pause and for a wall-clock `not_before`; return seconds waited."""
        start = time.monotonic()
        while True:
            state = self.hosts.get(key)
            pause = state.pause_until - time.monotonic() if state else 0.0
            wait = max(pause, not_before - time.time())
            if wait <= 0:
                return time.monotonic() - start
            await self.sleep(wait)

    def _spider_closed(self, spider: Any = None, reason: str = "") -> None:
        self.closing = True
