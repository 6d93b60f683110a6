"""`scrapy crawl` with exit statuses (crawler.status).

Scrapy's own command exits 0 unless bootstrap fails, which tells cron or a wrapper nothing. This
command replaces it (COMMANDS_MODULE) and maps the run's outcome onto a documented status.
"""

from __future__ import annotations

import sys
import traceback

from scrapy.commands.crawl import Command as ScrapyCrawlCommand
from scrapy.exceptions import UsageError
from scrapy.spiderloader import get_spider_loader

from crawler.context import crawl_context
from crawler.errors import CrawlerError
from crawler.status import EXIT_CODES
from crawler.validate import check_settings


class FeedExportRefused(CrawlerError):
    """Feed exports see items before the record pipeline has merged sections, URLs and versions
    (and with its private keys): half-built records. The records files are the output."""

    status = "bad_arguments"

    def __init__(self, given: str) -> None:
        super().__init__(
            f"feed exports ({given}) are not supported: they would get half-built items; the "
            "records are written to OUTPUT_DIR/records/articles/<run_id>/<edition>.jsonl"
        )


class Command(ScrapyCrawlCommand):
    def short_desc(self) -> str:
        return "Run a spider; exit status tells how the run went (see README)"

    def process_options(self, args, opts) -> None:
        super().process_options(args, opts)
        assert self.settings is not None
        # Everything a run needs is checked before the crawler process exists: a bad value then
        # costs one line and exit 2, with nothing under OUTPUT_DIR for the next run to "resume".
        try:
            if self.settings.getdict("FEEDS"):
                raise FeedExportRefused(
                    "-o/-O" if opts.output or opts.overwrite_output else "FEEDS"
                )
            check_settings(self.settings)
            if len(args) == 1:
                spidercls = get_spider_loader(self.settings).load(args[0])
                if hasattr(spidercls, "check_arguments"):
                    # The spider's __init__ checks names and values and touches nothing else.
                    spidercls(**opts.spargs)
        except CrawlerError as error:
            print(f"error: {error}", file=sys.stderr)
            raise SystemExit(EXIT_CODES[error.status]) from None
        except KeyError:
            pass  # an unknown spider name: Scrapy's own message follows in run()
        # This command, and no other, opens a run under OUTPUT_DIR (crawler.run.opens_run).
        self.settings.set("OPEN_RUN", True, priority="cmdline")

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
        status = crawl_context(crawler).status
        if failures:
            error = failures[0]
            if isinstance(error, CrawlerError):
                print(f"error: {error}", file=sys.stderr)
                status = error.status
            else:
                print(f"error: {''.join(traceback.format_exception(error))}", file=sys.stderr)
                status = "crawl_failed"
        elif status is None:
            # The run's status is decided when the spider closes; none means the crawl never got
            # that far — stopped (SIGINT, SIGTERM) during start-up, or bootstrap failed. That is
            # not a success: cron must hear of it.
            print("error: the crawl stopped before its run finished", file=sys.stderr)
            status = "crawl_failed"
        self.exitcode = EXIT_CODES[status]
