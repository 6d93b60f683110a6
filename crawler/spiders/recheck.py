"""Refresh re-checks: recent and least-recently-checked items fetched again with their validators
(If-None-Match, If-Modified-Since); a 304 marks them checked, a 404/410 or a redirect elsewhere
leaves a tombstone. A mixin of the spider: requests name these callbacks by the spider's methods."""

from __future__ import annotations

import logging
from datetime import timedelta, timezone

from scrapy import Request
from scrapy.http import Response

from crawler import editions as urls
from crawler.run import utcnow_iso
from crawler.spiders.common import ARTICLE_PRIORITY, header, utc_seconds

logger = logging.getLogger(__name__)

VN_TZ = timezone(timedelta(hours=7))  # Vietnam has kept UTC+07:00 without DST since 1975


class Rechecks:
    """The refresh re-check callbacks of BaolonganSpider."""

    def _recheck_requests(self):
        now = self.run.now().astimezone(VN_TZ)
        window_start = (now - timedelta(days=self.recheck_window_days)).isoformat(
            timespec="seconds"
        )
        rows = self.run.state.recheck_candidates(window_start, self.recheck_budget, self.run.run_id)
        for row in rows:
            if row["edition"] not in self.editions_wanted:
                continue
            # The page the validators came from (albums keep their ?pid=), not the canonical URL.
            target = self.portal.to_fetch(row["url"] or row["canonical_url"])
            if not target:
                continue
            headers = {}
            if row["etag"]:
                headers["If-None-Match"] = row["etag"]
            if row["last_modified"]:
                headers["If-Modified-Since"] = row["last_modified"]
            self.requested_ids.add(row["id"])
            self.crawler.stats.inc_value("recheck/requested")
            yield Request(
                target,
                headers=headers,
                callback=self.parse_recheck,
                errback=self._recheck_failed,
                priority=ARTICLE_PRIORITY,
                dont_filter=True,
                meta={
                    "recheck_id": row["id"],
                    "dont_redirect": True,
                    "handle_httpstatus_list": [301, 302, 303, 307, 308, 304, 404, 410],
                },
            )

    def parse_recheck(self, response: Response):
        item_id = response.meta["recheck_id"]
        stats = self.crawler.stats
        if response.status == 304:
            stats.inc_value("recheck/not_modified")
            checked = utc_seconds(response.meta.get("warc_date")) or utcnow_iso()
            self.run.state.mark_checked(item_id, checked, self.run.run_id)
            return
        if response.status in (404, 410):
            yield self._tombstone(response, None)
            return
        if 300 <= response.status < 400:
            location = header(response, b"Location") or ""
            target = self.portal.to_fetch(response.urljoin(location)) if location else None
            if target and urls.item_id(target) == item_id:
                stats.inc_value("recheck/moved")  # a new slug: follow it, same id
                yield response.follow(
                    target,
                    callback=self.parse_recheck,
                    dont_filter=True,
                    meta={
                        **response.meta,
                        "redirect_times": response.meta.get("redirect_times", 0) + 1,
                    },
                )
                return
            # Redirected to something that is not this article (home, a section): it is gone.
            yield self._tombstone(
                response, self.portal.to_production(target or response.urljoin(location))
            )
            return
        stats.inc_value("recheck/fetched")
        yield from self.parse_item(response)

    def _recheck_failed(self, failure):
        self.crawler.stats.inc_value("recheck/failed")
        logger.warning("re-check failed: %s", failure.request.url)

    def _tombstone(self, response: Response, redirect_to: str | None) -> dict:
        self.crawler.stats.inc_value("recheck/gone")
        return {
            "_tombstone": True,
            "id": response.meta["recheck_id"],
            "url": response.url,
            "http_status": response.status,
            "redirect_to": redirect_to,
            "detected_at": utc_seconds(response.meta.get("warc_date")) or utcnow_iso(),
        }
