"""scrapy-redis's scheduler and duplicate filter, with the gaps of scrapy-redis 0.9.1 on Scrapy 2.19
covered:

- Its queues pop destructively (ZRANGE+ZREMRANGEBYRANK or RPOP): a worker killed after the pop loses
  the request, and the duplicate filter keeps it marked seen, so no one fetches it again. Here a pop
  is a Lua script that moves the request into the worker's processing set (ReliablePriorityQueue),
  the request is acknowledged only when Scrapy has finished with it (callback or errback run, every
  item through the pipelines, every child request queued), and a reaper hands a dead worker's
  requests back (crawler.distributed.worker).
- `idle_before_close` turns its pop into BRPOP/BLPOP, which blocks the whole event loop; ours never
  blocks (ZPOPMIN), and an empty queue does not end the crawl (WorkerExtension decides that).
- Its dupefilter marks a fingerprint seen and its scheduler pushes in two round trips; here the
  fingerprint and the push go together in one script, so a kill between them cannot lose a request.
- Its RedisSpider relies on `start_requests()`, removed in Scrapy 2.16: the project's spider keeps
  `async def start()`; every worker yields the same start requests and the shared dupefilter lets
  the first through.
- Keys are per crawl and run (crawler.distributed.coordinator), and SCHEDULER_PERSIST is forced: a
  worker that closes never clears what the others still need.
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.utils.request import request_from_dict
from scrapy_redis import picklecompat
from scrapy_redis.dupefilter import RFPDupeFilter
from scrapy_redis.queue import Base
from scrapy_redis.scheduler import Scheduler

from crawler import editions as urls
from crawler.distributed import engine_hooks
from crawler.distributed.connect import get_coordinator
from crawler.distributed.coordinator import Coordinator
from crawler.distributed.gates import enrol, publish_coverage
from crawler.observe.facts import coverage_counters

logger = logging.getLogger(__name__)


class ItemDupeFilter(RFPDupeFilter):
    """URL fingerprints, except that every request for one article or album shares the fingerprint
    of its item, so across all workers an item is fetched once however many hosts, slugs and link
    variants name it — what the single-process spider does with its in-memory set of requested ids.
    The spider can name the key itself (`meta["dedup_key"]`, e.g. to fetch an item once per
    edition); without it the key is the item id read from the URL. A redirected request keeps URL
    fingerprints: its target names the item its origin already claimed."""

    def request_fingerprint(self, request: Request) -> str:
        if not request.meta.get("redirect_times"):
            key = request.meta.get("dedup_key") or urls.item_id(request.url)
            if key:
                return f"item:{key}"
        return super().request_fingerprint(request)

    def close(self, reason: str = "") -> None:
        """Keep the fingerprints: other workers still crawl (scrapy-redis would delete them)."""


class ReliablePriorityQueue(Base):
    """Priority queue in a sorted set whose pop moves the request into the worker's processing set."""

    def __init__(self, server: Any, spider: Any, coordinator: Coordinator, serializer: Any) -> None:
        super().__init__(server, spider, coordinator.key("q"), serializer=serializer)
        self.coordinator = coordinator

    def __len__(self) -> int:
        return self.coordinator.queued()

    def push(self, request: Request, fingerprint: str = "", listing: bool = False) -> bool:
        return self.coordinator.push(
            self._encode_request(request), request.priority, fingerprint, listing
        )

    def pop(self, timeout: int = 0) -> tuple[str, Request | None] | None:
        got = self.coordinator.pop()
        if got is None:
            return None
        token, data = got
        return token, (self._decode_request(data) if data is not None else None)

    def clear(self) -> None:
        raise RuntimeError("a distributed crawl's queue is never cleared by a worker")


class DistributedScheduler(Scheduler):
    LISTING_META_KEY = "listing"  # the spider marks listing requests (meta["listing"] = True)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DistributedScheduler:
        coordinator = get_coordinator(crawler)
        if coordinator is None:
            raise RuntimeError("DistributedScheduler needs REDIS_URL")
        settings = crawler.settings
        instance = cls(
            server=coordinator.server,
            persist=True,
            dupefilter=ItemDupeFilter(coordinator.server, "", settings.getbool("DUPEFILTER_DEBUG")),
            serializer=picklecompat,
        )
        instance.crawler = crawler
        instance.stats = crawler.stats
        instance.coordinator = coordinator
        instance._inflight = {}
        return instance

    def open(self, spider: Any) -> None:
        self.spider = spider
        coordinator: Coordinator = self.coordinator
        if not coordinator.run_id:
            raise RuntimeError(
                "the run was not joined before the scheduler opened: crawler.run.RunContext.open must "
                "call Coordinator.join_run in Redis mode"
            )
        self.df.key = coordinator.key("df")
        self.queue = ReliablePriorityQueue(self.server, spider, coordinator, self.serializer)
        # Scrapy has no signal for "a request is completely handled": request_left_downloader
        # fires before the callback, and a spider middleware's output ends before the last items
        # leave the pipelines (they run CONCURRENT_ITEMS at a time). The engine removes a request
        # from its in-progress set exactly then, so that is where we acknowledge it.
        engine_hooks.on_request_done(self.crawler, self._request_done)
        coordinator.heartbeat()
        enrol(coordinator)
        handed_back = coordinator.requeue_own()
        if handed_back:
            logger.warning(
                "handed back %d requests this worker held when it stopped last", handed_back
            )
            self.stats.set_value("distributed/requeued_own", handed_back)
        queued = len(self.queue)
        if queued:
            spider.log(f"Joining distributed crawl ({queued} requests queued)")

    def close(self, reason: str) -> None:
        try:  # for the crawl-wide quality gates (crawler/distributed/gates.py)
            publish_coverage(self.coordinator, coverage_counters(self.crawler))
        except Exception:  # the worker's own gates still judge its share
            logger.exception("could not publish this worker's coverage to Redis")
        left = self.coordinator.leave()
        if left:
            logger.warning("handed back %d unfinished requests on close", left)

    def enqueue_request(self, request: Request) -> bool:
        fingerprint = "" if request.dont_filter else self.df.request_fingerprint(request)
        listing = bool(request.meta.get(self.LISTING_META_KEY))
        if not self.queue.push(request, fingerprint, listing):
            self.df.log(request, self.spider)
            self.stats.inc_value("distributed/filtered_duplicate")
            return False
        self.stats.inc_value("scheduler/enqueued/redis")
        return True

    def next_request(self) -> Request | None:
        while True:
            got = self.queue.pop()
            if got is None:
                return None
            token, request = got
            if request is not None:
                break
            # Finished meanwhile by a worker that was presumed dead: nothing left to do for it.
            self.stats.inc_value("distributed/already_finished")
        self._inflight[request] = token
        self.stats.inc_value("scheduler/dequeued/redis")
        return request

    def has_pending_requests(self) -> bool:
        return len(self.queue) > 0

    def _request_done(self, request: Request) -> None:
        token = self._inflight.pop(request, None)
        if token is not None:
            self.coordinator.ack(token)

    def holding(self) -> int:
        """Requests this worker popped and has not finished."""
        return len(self._inflight)


def request_from_data(data: bytes, spider: Any) -> Request:
    """Decode a queued request (for tools and tests)."""
    return request_from_dict(picklecompat.loads(data), spider=spider)
