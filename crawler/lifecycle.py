"""The run's life in a crawl: RunExtension opens the run (crawler/run.py) when the spider opens and,
when it closes, decides the exit status and writes the run report (crawler/report.py) before
marking the run finished or resumable. Kept apart from crawler/run.py, which every component
imports, so that the run context does not depend on the report."""

from __future__ import annotations

import logging
import sqlite3
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from crawler.context import crawl_context
from crawler.observe.status import decide_status
from crawler.report import write_report
from crawler.run import RESUMABLE_REASONS, get_run, opens_run, run_closing

logger = logging.getLogger(__name__)


class RunExtension:
    """Opens the run when the spider opens, closes it (status, state) when the spider closes."""

    def __init__(self, crawler: Crawler) -> None:
        if not opens_run(crawler.settings):
            raise NotConfigured("no run outside `scrapy crawl`")
        self.crawler = crawler
        self.run = get_run(crawler)
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)
        # The lock is released only when the engine has stopped, after every component's own
        # spider_closed (the WARC writer closes its last file there).
        crawler.signals.connect(self.engine_stopped, signal=signals.engine_stopped)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RunExtension:
        return cls(crawler)

    def spider_opened(self, spider: Any) -> None:
        if self.run.state is None:  # the spider may have opened it already
            self.run.open(getattr(spider, "signature", spider.name))
        self.crawler.stats.set_value("run/id", self.run.run_id)
        self.crawler.stats.set_value("run/resumed", self.run.resumed)
        self.crawler.stats.set_value("run/incremental", getattr(spider, "incremental", False))

    def spider_closed(self, spider: Any, reason: str) -> None:
        self.crawler.signals.send_catch_log(run_closing, reason=reason)
        status = decide_status(self.crawler, reason)
        # Set first: a report that cannot be written (a full disk) must not hide the status.
        crawl_context(self.crawler).status = status
        try:
            write_report(self.crawler, self.run, reason, status)
        except OSError as error:
            # On stderr (the log) instead: the status and why.
            logger.error("the run report could not be written (%s); run status: %s", error, status)
        resumable = reason in RESUMABLE_REASONS
        left = self.crawler.stats.get_value("records/left_pending")
        if left:
            logger.warning(
                "%d staged records were not written: %s",
                left,
                "the same command resumes this run and writes them"
                if resumable
                else f"the run ended as {status} and is not resumed",
            )
        try:
            # A stop for a full or unwritable disk is resumable like a clean shutdown: the same
            # command finishes it.
            self.run.finish(status, resumable=resumable)
        except sqlite3.OperationalError as error:
            logger.error("the run could not be marked finished: %s", error)

    def engine_stopped(self) -> None:
        self.run.release()
