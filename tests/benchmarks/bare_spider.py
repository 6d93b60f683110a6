"""The ceiling: a bare Scrapy spider that downloads a given list of URLs and does nothing else.

    python -m tests.benchmarks.bare_spider URLS_FILE [--delay 0.001] [--concurrency 16 --per-host 8]

URLS_FILE holds `METHOD URL` lines (tests.benchmarks.harness.write_urls: the requests a full crawl
made, from the replica's access log, in the same order). Each line is fetched exactly once
(dont_filter, no redirects followed, every status accepted) and the body is discarded. No project
settings, pipelines or middlewares of ours: Scrapy's defaults, ROBOTSTXT_OBEY off, and the
loopback profile's concurrency. `--delay` defaults to the 1 ms floor the crawler puts on every
downloader slot (crawler.politeness.hosts.MIN_SLOT_DELAY; without a delay Scrapy 2.19 does not
enforce the per-host limit), so both spiders run with the same concurrency.
"""

from __future__ import annotations

import argparse
import sys

import scrapy
from scrapy.crawler import CrawlerProcess


class BareSpider(scrapy.Spider):
    name = "bare"

    def __init__(self, urls_file: str, **kwargs):
        super().__init__(**kwargs)
        self.urls_file = urls_file
        self.pages = 0
        self.failures = 0

    async def start(self):
        with open(self.urls_file, encoding="utf-8") as fh:
            for line in fh:
                method, _, url = line.strip().partition(" ")
                if not url:
                    continue
                yield scrapy.Request(
                    url,
                    method=method,
                    callback=self.parse,
                    errback=self.failed,
                    dont_filter=True,
                    meta={"dont_redirect": True, "handle_httpstatus_all": True},
                )

    def parse(self, response):
        self.pages += 1
        return ()

    def failed(self, failure):
        self.failures += 1


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("urls_file")
    ap.add_argument("--delay", type=float, default=0.001)
    ap.add_argument("--concurrency", type=int, default=16)
    ap.add_argument("--per-host", type=int, default=8)
    ap.add_argument(
        "--items", type=int, default=100, help="CONCURRENT_ITEMS (Scrapy's default 100)"
    )
    ap.add_argument("--stats-class", default="", help="STATS_CLASS (empty: Scrapy's default)")
    args = ap.parse_args(argv)
    extra = {"STATS_CLASS": args.stats_class} if args.stats_class else {}
    process = CrawlerProcess(
        settings={
            "ROBOTSTXT_OBEY": False,
            "CONCURRENT_REQUESTS": args.concurrency,
            "CONCURRENT_REQUESTS_PER_DOMAIN": args.per_host,
            "DOWNLOAD_DELAY": args.delay,
            "CONCURRENT_ITEMS": args.items,
            "TELNETCONSOLE_ENABLED": False,
            "REMOTE_CONTROL_ENABLED": False,
            "LOG_LEVEL": "INFO",
            **extra,
        }
    )
    crawler = process.create_crawler(BareSpider)
    process.crawl(crawler, urls_file=args.urls_file)
    process.start()
    spider = crawler.spider
    print(f"bare spider: {spider.pages} responses, {spider.failures} failures")
    return 0 if spider.failures == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
