"""A minimal worker of a distributed crawl of tests.distributed.support.MiniSite: the distributed
components (scheduler, dupefilter, processing sets, reaper, shared rate, run id, sightings, claims)
without the project's spider and pipelines. Run with `scrapy runspider` (see support.mini_worker).
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy.http import Response

from crawler.distributed import DistributedAddon, get_coordinator
from crawler.run import utcnow_iso
from crawler.state import StateStore


class ClaimingWriter:
    """The project pipeline's protocol in miniature: stage each item durably, claim its id, write
    it as one fsynced JSON line. On start, staged items not yet written are claimed and written
    (a worker killed between staging and writing finishes the job when it comes back)."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.out = Path(crawler.settings["OUTPUT_DIR"])

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ClaimingWriter:
        return cls(crawler)

    def open_spider(self, spider: Any = None) -> None:
        self.staged = open(self.out / "staged.jsonl", "a")  # noqa: SIM115
        self.written = open(self.out / "items.jsonl", "a")  # noqa: SIM115
        done = {item["id"] for item in _read(self.out / "items.jsonl")}
        for item in _read(self.out / "staged.jsonl"):
            if item["id"] not in done:
                self._claim_and_write(item)
                done.add(item["id"])

    def close_spider(self, spider: Any = None) -> None:
        self.staged.close()
        self.written.close()

    def process_item(self, item: dict) -> dict:
        _append(self.staged, item)
        self._claim_and_write(item)
        return item

    def _claim_and_write(self, item: dict) -> None:
        spider = self.crawler.spider
        coordinator = spider.coordinator
        if not coordinator.claim([item["id"]]):
            self.crawler.stats.inc_value("mini/claimed_elsewhere")
            return
        seen = coordinator.sightings.sightings(spider.run_id, item["id"])
        _append(self.written, {**item, "sections": [s for s, _ in seen["section"]]})


def _read(path: Path) -> list[dict]:
    """Complete lines only: a kill can leave the last one torn."""
    return [json.loads(line) for line in path.read_text().split("\n")[:-1] if line]


def _append(fh: Any, record: dict) -> None:
    fh.write(json.dumps(record) + "\n")
    fh.flush()
    os.fsync(fh.fileno())


class MiniSpider(Spider):
    name = "mini"
    custom_settings = {
        "ADDONS": {DistributedAddon: 10},
        "ITEM_PIPELINES": {ClaimingWriter: 500},
        "ROBOTSTXT_OBEY": False,
        "TELNETCONSOLE_ENABLED": False,
        "LOG_LEVEL": "INFO",
        "CONCURRENT_REQUESTS": 8,
        "CONCURRENT_REQUESTS_PER_DOMAIN": 8,
        "DOWNLOAD_DELAY": 0,
        "RETRY_TIMES": 1,
    }

    def __init__(self, base: str = "", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.base = base.rstrip("/")

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> MiniSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.coordinator = get_coordinator(crawler)
        out = Path(crawler.settings["OUTPUT_DIR"])
        out.mkdir(parents=True, exist_ok=True)
        spider.state = StateStore(out / "state.sqlite3")
        spider.run_id, spider.resumed = spider.coordinator.join_run(
            spider.state, "mini", utcnow_iso()
        )
        return spider

    async def start(self) -> AsyncIterator[Any]:
        yield Request(self.base + "/", callback=self.parse_list, meta={"listing": True})

    def parse_list(self, response: Response):
        section = response.url.rstrip("/").rsplit("/", 1)[-1]
        for href in response.css("a.a::attr(href)").getall():
            item_id = "baolongan:" + re.search(r"-a(\d+)\.html", href).group(1)
            self.coordinator.sightings.add_sighting(self.run_id, item_id, "section", section)
            yield response.follow(href, callback=self.parse_item)
        for href in response.css("a.l::attr(href)").getall():
            yield response.follow(href, callback=self.parse_list, meta={"listing": True})

    def parse_item(self, response: Response):
        yield {
            "id": "baolongan:" + re.search(r"-a(\d+)\.html", response.url).group(1),
            "url": response.url,
            "worker": self.coordinator.worker,
        }
