"""`scrapy settings` showing the values a crawl would use.

Scrapy's command builds no crawler process, so add-ons never run and a profile's values
(crawler.profile) would stay invisible: `--get DOWNLOAD_DELAY -s CRAWL_PROFILE=loopback` printed
settings.py's 1.0 while a crawl used 0. Here the add-ons' settings-time hooks run first.
"""

from __future__ import annotations

import sys

from scrapy.addons import AddonManager
from scrapy.commands.settings import Command as ScrapySettingsCommand

from crawler.errors import CrawlerError
from crawler.status import EXIT_CODES


class Command(ScrapySettingsCommand):
    def run(self, args, opts) -> None:
        assert self.settings is not None
        try:
            AddonManager.load_pre_crawler_settings(self.settings)
        except CrawlerError as error:
            print(f"error: {error}", file=sys.stderr)
            self.exitcode = EXIT_CODES[error.status]
            return
        super().run(args, opts)
