"""A video page's poster and media files into the WARC archive (crawler/media.py decides which).
A mixin of the spider: requests name these callbacks by the spider's methods."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.http import Response

from crawler import media
from crawler.editions import MEDIA_PATH_RE
from crawler.run import utcnow_iso
from crawler.spiders.common import REQUISITE_PRIORITY


class VideoMedia:
    """The media callbacks of BaolonganSpider."""

    def _media_requests(self, record: dict[str, Any], response: Response):
        """The poster and the portal's media files of a video record; what is left out (another
        host's player, MEDIA_MAX_BYTES = 0) is counted and named without a request."""
        stats = self.crawler.stats
        max_bytes = self.crawler.settings.getint("MEDIA_MAX_BYTES", media.DEFAULT_MEDIA_MAX_BYTES)
        fetch, left = media.plan(record, self.portal, max_bytes)
        for url, reason in left:
            media.leave_out(stats, response.url, url, reason)
        for url in fetch:
            target = self.portal.to_fetch(url)
            # Known by production URL, as the page requisites are (a replica's port may change).
            if not target or self.run.state.requisite_known(url):
                continue
            meta: dict[str, Any] = {"requisite": True, "media_page": response.url}
            if MEDIA_PATH_RE.match(urlsplit(url).path):
                # Scrapy refuses a declared Content-Length over it before reading the body, and
                # aborts a body that grows past it (the WARC then holds nothing of the file).
                meta["download_maxsize"] = max_bytes
            yield Request(
                target,
                callback=self.parse_media,
                errback=self._media_failed,
                priority=REQUISITE_PRIORITY,
                meta=meta,
            )

    def parse_media(self, response: Response):
        self.crawler.stats.inc_value("media/fetched")
        self.run.state.record_requisite(
            self.portal.to_production(response.url), response.status, utcnow_iso()
        )
        return ()

    def _media_failed(self, failure) -> None:
        request = failure.request
        url = self.portal.to_production(request.url)
        if "download_maxsize" not in request.meta:  # the poster: an image like any other
            self.crawler.stats.inc_value("requisites/failed")
            return
        reason = media.download_reason(failure)
        limit = request.meta["download_maxsize"]
        detail = f"over MEDIA_MAX_BYTES={limit:,}" if reason == "too_large" else str(failure.value)
        media.leave_out(self.crawler.stats, request.meta.get("media_page", ""), url, reason, detail)
