"""`scrapy crawl` with exit statuses (crawler.status).

Scrapy's own command exits 0 unless bootstrap fails, which tells cron or a wrapper nothing. This
command replaces it (COMMANDS_MODULE) and maps the run's outcome onto a documented status.
"""

from __future__ import annotations

import sys

from scrapy.commands.crawl import Command as ScrapyCrawlCommand
from scrapy.exceptions import UsageError

from crawler.errors import CrawlerError
from crawler.status import EXIT_CODES


class Command(ScrapyCrawlCommand):
    def short_desc(self) -> str:
        return "Run a spider; exit status tells how the run went (see README)"

    def run(self, args, opts) -> None:
        if len(args) != 1:
            raise UsageError("give exactly one spider name, e.g. scrapy crawl baolongan")
        assert self.crawler_process
        crawler = self._create_crawler(args[0])
        failures = []
        deferred = self.crawler_process.crawl(crawler, **opts.spargs)
        deferred.addErrback(failures.append)
        self.crawler_process.start()
        status = getattr(crawler, "baolongan_status", None)
        if failures:
            error = failures[0].value
            if isinstance(error, CrawlerError):
                print(f"error: {error}", file=sys.stderr)
                status = error.status
            else:
                print(f"error: {failures[0].getTraceback()}", file=sys.stderr)
                status = "crawl_failed"
        elif status is None:
            status = "crawl_failed" if self.crawler_process.bootstrap_failed else "success"
        self.exitcode = EXIT_CODES[status]
