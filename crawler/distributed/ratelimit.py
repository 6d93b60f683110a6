"""A request rate per portal host, shared by every worker of every distributed crawl.

Each worker's DOWNLOAD_DELAY and concurrency limits are per process: three workers would hit the
portal three times as hard. Here every HTTP request first reserves a send time from a GCRA
("generic cell rate algorithm", a token bucket kept as one timestamp) in Redis, one per host like
Scrapy's per-host delay: over any window of T seconds a host sees at most BURST + RATE*T requests
from all workers together — never more than from one polite process.

It wraps the HTTP download handler rather than being a downloader middleware because middlewares
run before the downloader's slot queue: a request that got its token there can still wait behind
the slot's concurrency limit and then leave in a clump. A download handler runs when the request is
actually sent, so the rate holds where the portal (and the replica's access log) measures it. The
wait is a timer, never a blocking call, and reservations are first come, first served.

Settings: DISTRIBUTED_RATE (requests per second per host across all workers; default 1/DOWNLOAD_DELAY, and
no limit when DOWNLOAD_DELAY is 0, as in the loopback profile), DISTRIBUTED_BURST (default
CONCURRENT_REQUESTS_PER_DOMAIN), DISTRIBUTED_HTTP_HANDLER (the wrapped handler; set by the add-on).
"""

from __future__ import annotations

from typing import Any

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.http import Response
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from scrapy.utils.misc import build_from_crawler, load_object
from twisted.internet import reactor, task

from crawler.distributed.connect import get_coordinator
from crawler.distributed.coordinator import NAMESPACE

# Reserve the next send time. KEYS[1]: the theoretical arrival time (ms, Redis clock);
# ARGV: interval between requests (ms), burst. Returns how long to wait (ms).
RESERVE = """
local t = redis.call('TIME')
local now = t[1] * 1000 + t[2] / 1000
local interval = tonumber(ARGV[1])
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
if tat < now then tat = now end
local send_at = tat - (tonumber(ARGV[2]) - 1) * interval
if send_at < now then send_at = now end
redis.call('SET', KEYS[1], tostring(tat + interval), 'PX', math.ceil(tat + interval - now) + 60000)
return math.ceil(send_at - now)
"""

DEFAULT_HTTP_HANDLER = "scrapy.core.downloader.handlers.http11.HTTP11DownloadHandler"


def shared_rate(settings: Any) -> tuple[float, int]:
    """(requests per second across all workers, burst); rate 0 means no shared limit."""
    rate = settings.get("DISTRIBUTED_RATE")
    if rate in (None, ""):
        delay = settings.getfloat("DOWNLOAD_DELAY")
        rate = 1.0 / delay if delay > 0 else 0.0
    burst = settings.get("DISTRIBUTED_BURST")
    if burst in (None, ""):
        burst = settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN") or 1
    return float(rate), max(1, int(burst))


class RateLimitedDownloadHandler:
    lazy = False

    def __init__(self, crawler: Crawler) -> None:
        self.inner = build_from_crawler(
            load_object(crawler.settings.get("DISTRIBUTED_HTTP_HANDLER") or DEFAULT_HTTP_HANDLER),
            crawler,
        )
        self.rate, self.burst = shared_rate(crawler.settings)
        self.stats = crawler.stats
        coordinator = get_coordinator(crawler)
        self.reserve = coordinator.server.register_script(RESERVE) if coordinator else None
        self.prefix = f"{NAMESPACE}:ratelimit:"

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RateLimitedDownloadHandler:
        return cls(crawler)

    async def download_request(self, request: Request) -> Response:
        if self.rate > 0 and self.reserve is not None:
            key = self.prefix + (urlparse_cached(request).netloc or "-")
            wait_ms = int(self.reserve(keys=[key], args=[1000.0 / self.rate, self.burst]))
            if wait_ms > 0:
                self.stats.inc_value("distributed/ratelimit/waited")
                self.stats.inc_value("distributed/ratelimit/wait_ms", wait_ms)
                await maybe_deferred_to_future(task.deferLater(reactor, wait_ms / 1000.0))
        return await self.inner.download_request(request)

    async def close(self) -> None:
        await self.inner.close()
