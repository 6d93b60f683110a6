"""crawler/frontier/scheduler.py: a request that cannot be pickled waits in memory, with a
warning, and its key is filtered in memory without being kept as seen in the frontier file."""

from __future__ import annotations

import logging
from types import SimpleNamespace

import scrapy
from scrapy.utils.test import get_crawler

from crawler.frontier.scheduler import FrontierScheduler, frontier_key


class Spider(scrapy.Spider):
    name = "frontier-memory"

    def parse_page(self, response):
        pass


def opened():
    settings = {
        "OPEN_RUN": False,  # not `scrapy crawl`: an in-memory frontier, no run folder
        "OUTPUT_DIR": "unused",
        "EDITION_URL_VI": "https://baolongan.vn",
        "EDITION_URL_EN": "https://news.baolongan.vn",
    }
    crawler = get_crawler(Spider, settings_dict=settings)
    spider = crawler._create_spider()
    crawler.spider = spider
    # What the scheduler uses of the engine: the hook on a finished request, the download slots.
    crawler.engine = SimpleNamespace(
        _slot=SimpleNamespace(remove_request=lambda request: None, nextcall=None),
        downloader=SimpleNamespace(slots={}, get_slot_key=lambda request: "baolongan.vn"),
    )
    scheduler = FrontierScheduler(crawler)
    scheduler.open(spider)
    return crawler, scheduler


def seen_on_disk(scheduler) -> set[bytes]:
    return {row[0] for row in scheduler.store.db.execute("SELECT key FROM seen")}


def test_an_unpicklable_request_waits_in_memory_unseen_on_disk(caplog):
    crawler, scheduler = opened()
    url = "https://baolongan.vn/tin-tuc-a123456.html"
    request = scrapy.Request(url, callback=lambda response: None)  # a lambda cannot be pickled
    key = frontier_key(request, crawler.request_fingerprinter.fingerprint)
    with caplog.at_level(logging.WARNING, logger="crawler.frontier.scheduler"):
        assert scheduler.enqueue_request(request) is True
    assert "cannot be pickled" in caplog.text and url in caplog.text
    assert key.startswith(b"item:") and key.endswith(b":123456")  # the article's key, not the URL's
    assert key not in seen_on_disk(scheduler)
    assert crawler.stats.get_value("frontier/memory") == 1
    # The same article again, under another slug: filtered in memory.
    twin = scrapy.Request(url.replace("tin-tuc", "tin-khac"), callback=lambda response: None)
    assert scheduler.enqueue_request(twin) is False
    assert crawler.stats.get_value("frontier/filtered_duplicate") == 1
    assert len(scheduler) == 1
    assert scheduler.next_request() is request
    scheduler.close("finished")


def test_a_picklable_request_is_seen_on_disk_and_queued_there():
    crawler, scheduler = opened()
    spider = crawler.spider
    request = scrapy.Request("https://baolongan.vn/tin-tuc-a7.html", callback=spider.parse_page)
    assert scheduler.enqueue_request(request) is True
    key = frontier_key(request, crawler.request_fingerprinter.fingerprint)
    assert key.endswith(b":7") and seen_on_disk(scheduler) == {key}
    assert crawler.stats.get_value("frontier/memory") is None
    assert scheduler.next_request().url == request.url
    scheduler.close("finished")
