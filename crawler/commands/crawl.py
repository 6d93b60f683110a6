"""`scrapy crawl` with exit statuses (crawler.status).

Scrapy's own command exits 0 unless bootstrap fails, which tells cron or a wrapper nothing. This
command replaces it (COMMANDS_MODULE) and maps the run's outcome onto a documented status.
"""

from __future__ import annotations

import sys
import traceback

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
        failures: list[BaseException] = []
        running = self.crawler_process.crawl(crawler, **opts.spargs)
        # Scrapy returns a Deferred (CrawlerProcess) or an asyncio Task (AsyncCrawlerProcess).
        if hasattr(running, "addErrback"):
            running.addErrback(lambda f: failures.append(f.value))
        else:
            running.add_done_callback(
                lambda t: (
                    None if t.cancelled() or not t.exception() else failures.append(t.exception())
                )
            )
        self.crawler_process.start()
        status = getattr(crawler, "baolongan_status", None)
        if failures:
            error = failures[0]
            if isinstance(error, CrawlerError):
                print(f"error: {error}", file=sys.stderr)
                status = error.status
            else:
                print(f"error: {''.join(traceback.format_exception(error))}", file=sys.stderr)
                status = "crawl_failed"
        elif status is None:
            status = "crawl_failed" if self.crawler_process.bootstrap_failed else "success"
        self.exitcode = EXIT_CODES[status]
