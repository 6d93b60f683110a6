"""urls_file=: exactly the article and album URLs listed, each a request asked for (a failure is
a miss with its reason, crawler/requested.py). A mixin of the spider."""

from __future__ import annotations

import logging
from pathlib import Path

from crawler import editions as urls
from crawler import requested
from crawler import urls_file as urls_file_lines

logger = logging.getLogger(__name__)


class ListedUrls:
    """The urls_file= requests of BaolonganSpider."""

    def _requests_from_file(self, path: Path):
        # Streamed (urls_file.lines): a 20 MB file is never read or logged whole.
        max_url = self.crawler.settings.getint("URLS_FILE_MAX_URL", urls_file_lines.DEFAULT_MAX_URL)
        for row in urls_file_lines.lines(path):
            n, line = row.number, row.text
            if line is None or len(line) > max_url:
                self.crawler.stats.inc_value("skipped/urls_file/too_long")
                logger.warning(
                    "%s:%d is longer than URLS_FILE_MAX_URL (%d characters): %d bytes skipped",
                    path, n, max_url, row.length,
                )  # fmt: skip
                continue
            if not line or line.startswith("#"):
                continue
            target = self.portal.to_fetch(line)
            if target is None or not urls.is_item_url(target):
                self.crawler.stats.inc_value("skipped/urls_file/not_an_article")
                logger.warning("%s:%d is not a portal article or album URL: %.200s", path, n, line)
                continue
            req = self._item_request(target, force=True)
            if req:
                # Asked for: a failure is a miss with its reason (crawler.requested).
                yield req.replace(errback=self._asked_failed)

    def _asked_failed(self, failure) -> None:
        item_id = urls.item_id(failure.request.url)
        reason = requested.failure_reason(failure.value)
        self.run.state.record_miss(self.run.run_id, item_id, reason)
        self.crawler.stats.inc_value(f"requested/failed/{reason.partition(':')[0]}")
        logger.warning("not archived: %s (%s)", failure.request.url, reason)
