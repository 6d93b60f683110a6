"""A real Scrapy crawl for the WARC tests, run in a subprocess:

    python tests/warc/crawl_spider.py PLAN.json

PLAN.json: {"base": url, "output_dir": path, "requests": [[path, {header: value}], ...],
"settings": {...}}. The spider opens its own RunContext (the project spider does that in the real
crawl), fetches the planned paths, and appends each callback's archive pointers to
OUTPUT_DIR/pointers.jsonl (flushed and fsynced per line, like the record writer), then dumps the
crawl's stats to OUTPUT_DIR/stats.json.
"""

from __future__ import annotations

import json
import os
import sys

from scrapy import Request, Spider, signals
from scrapy.crawler import CrawlerProcess

from crawler.run import get_run

META_KEYS = ("warc_filename", "warc_record_id", "warc_payload_digest")


class WarcTestSpider(Spider):
    name = "warctest"

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.run = get_run(crawler)
        spider.run.open("warc-test")
        spider.log_fh = open(spider.run.output_dir / "pointers.jsonl", "a")  # noqa: SIM115
        crawler.signals.connect(spider.dump_stats, signal=signals.spider_closed)
        return spider

    async def start(self):
        for path, headers in self.plan["requests"]:
            yield Request(
                self.plan["base"] + path,
                headers=headers,
                dont_filter=True,
                # 404/500/304 reach the callback; 301 is still followed by RedirectMiddleware.
                meta={"handle_httpstatus_list": [304, 404, 500]},
            )

    def parse(self, response):
        line = {"url": response.url, "status": response.status}
        line.update({k: response.meta.get(k) for k in META_KEYS})
        self.log_fh.write(json.dumps(line) + "\n")
        self.log_fh.flush()
        os.fsync(self.log_fh.fileno())

    def dump_stats(self, spider, reason):
        stats = dict(self.crawler.stats.get_stats(), finish_reason=reason)
        path = self.run.output_dir / "stats.json"
        path.write_text(json.dumps(stats, default=str, indent=1))


def main() -> None:
    with open(sys.argv[1]) as fh:
        plan = json.load(fh)
    settings = {
        "EDITION_URL_VI": plan["base"],
        "EDITION_URL_EN": plan["base"],
        "OUTPUT_DIR": plan["output_dir"],
        "DOWNLOADER_MIDDLEWARES": {"crawler.warc.middleware.WarcMiddleware": 950},
        "USER_AGENT": "baolongan-archive-crawler/test (+https://example.invalid)",
        "ROBOTSTXT_OBEY": True,
        "CRAWL_PROFILE": "loopback",
        "CONCURRENT_REQUESTS": 4,
        "CONCURRENT_REQUESTS_PER_DOMAIN": 4,
        "DOWNLOAD_DELAY": 0,
        "RETRY_TIMES": 1,
        "LOG_LEVEL": "INFO",
        "TELNETCONSOLE_ENABLED": False,
        **plan.get("settings", {}),
    }
    process = CrawlerProcess(settings)
    process.crawl(WarcTestSpider, plan=plan)
    process.start()


if __name__ == "__main__":
    main()
