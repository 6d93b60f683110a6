"""One worker's part in the shared crawl: heartbeat, reaping dead workers, and deciding when the
crawl is over.

A worker must not close merely because the shared queue is momentarily empty: another worker may be
about to queue hundreds of requests from a listing page it is parsing. So on `spider_idle` the
worker stays open (DontCloseSpider) until the queue and every worker's processing set are empty,
i.e. until all workers are idle. Meanwhile the heartbeat keeps it registered, hands back the
requests of workers that stopped beating, and wakes the engine when there is work again.
"""

from __future__ import annotations

import logging
from typing import Any

from itemadapter import ItemAdapter
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DontCloseSpider, NotConfigured
from scrapy.utils.asyncio import create_looping_call

from crawler.clock import utcnow_iso
from crawler.distributed import engine_hooks
from crawler.distributed.connect import get_coordinator
from crawler.distributed.coordinator import Coordinator

logger = logging.getLogger(__name__)


class WorkerExtension:
    def __init__(self, crawler: Crawler, coordinator: Coordinator) -> None:
        self.crawler = crawler
        self.coordinator = coordinator
        self.stats = crawler.stats
        self.loop = None
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.spider_idle, signal=signals.spider_idle)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(self.item_scraped, signal=signals.item_scraped)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> WorkerExtension:
        coordinator = get_coordinator(crawler)
        if coordinator is None:
            raise NotConfigured("REDIS_URL is not set")
        return cls(crawler, coordinator)

    def spider_opened(self, spider: Any) -> None:
        self.stats.set_value("distributed/worker", self.coordinator.worker)
        self.stats.set_value("distributed/crawl", self.coordinator.crawl)
        self.loop = create_looping_call(self.beat)
        self.loop.start(self.coordinator.heartbeat_s, now=True)

    def beat(self) -> None:
        try:
            self.coordinator.heartbeat()
            reaped = self.coordinator.reap()
            for n in reaped.values():
                self.stats.inc_value("distributed/reaped_workers")
                self.stats.inc_value("distributed/reaped_requests", n)
            if self.coordinator.queued():
                engine_hooks.wake(self.crawler)
        except Exception:  # a Redis hiccup must not stop the heartbeat loop for good
            logger.exception("distributed heartbeat failed")

    def spider_idle(self, spider: Any) -> None:
        self.coordinator.reap()
        if not self.coordinator.crawl_idle():
            self.stats.inc_value("distributed/idle_waits")
            raise DontCloseSpider
        self.coordinator.mark_finished(utcnow_iso())

    def spider_closed(self, spider: Any, reason: str) -> None:
        if self.loop is not None and self.loop.running:
            self.loop.stop()

    def item_scraped(self, item: Any, response: Any = None, spider: Any = None) -> None:
        fetch = ItemAdapter(item).get("_fetch") or {}
        edition = fetch.get("edition")
        if edition:
            self.coordinator.count(f"items/{edition}")
