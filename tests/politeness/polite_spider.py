"""Test spider: fetch the given paths of one host, in order, and write reason and stats."""

from __future__ import annotations

import json

from scrapy import Request, Spider


class PoliteTestSpider(Spider):
    name = "polite_test"

    def __init__(self, base: str, paths: str, out: str, **kwargs):
        super().__init__(**kwargs)
        self.base = base
        self.paths = [p for p in paths.split(",") if p]
        self.out = out

    async def start(self):
        for i, path in enumerate(self.paths):
            # Decreasing priority: the scheduler hands them out in the listed order.
            yield Request(self.base + path, priority=len(self.paths) - i, dont_filter=True)

    def parse(self, response):
        self.crawler.stats.inc_value("test/pages")

    def closed(self, reason: str) -> None:
        stats = self.crawler.stats.get_stats()
        with open(self.out, "w", encoding="utf-8") as f:
            json.dump({"reason": reason, "stats": stats}, f, default=str)
