"""ids=START-END and ids=gaps: article ids probed on the vi host with a made-up slug, once the
server is seen to resolve a known id without its slug. Resumable: each answer is recorded in the
state store. A mixin of the spider: requests name these callbacks by the spider's methods."""

from __future__ import annotations

import logging

from scrapy import Request
from scrapy.exceptions import CloseSpider
from scrapy.http import Response

from crawler import editions as urls
from crawler import gaps, requested
from crawler.pages.listing import parse_listing
from crawler.probes import ProbeFeeder
from crawler.run import utcnow_iso
from crawler.spiders.common import ARTICLE_PRIORITY, LISTING_PRIORITY

logger = logging.getLogger(__name__)


class IdProbes:
    """The ids= probe callbacks of BaolonganSpider."""

    PROBE_SLUG = "x"  # any slug: the probe asks whether the server resolves an id by itself

    def _probe_requests(self):
        # First learn whether the server resolves an id with a wrong slug, using an id we know.
        yield Request(
            self.portal.base("vi") + "/",
            callback=self._probe_check_known,
            priority=LISTING_PRIORITY,
            dont_filter=True,
        )

    def _probe_url(self, article_id: int) -> str:
        return f"{self.portal.base('vi')}/{self.PROBE_SLUG}-a{article_id}.html"

    def _probe_check_known(self, response: Response):
        listing = parse_listing(self._decode(response), response.url, self.portal)
        known = next(
            (
                urls.article_id(u)
                for u in listing.entries + listing.other_links
                if urls.article_id(u)
            ),
            None,
        )
        if known is None:
            raise CloseSpider("ids_unsupported: no article link on the home page to test with")
        yield Request(
            self._probe_url(known),
            callback=self._probe_verdict,
            errback=self._probe_verdict_failed,
            meta={"known_id": known, "handle_httpstatus_list": [404, 410]},
            dont_filter=True,
            priority=LISTING_PRIORITY,
        )

    def _probe_verdict_failed(self, failure):
        raise CloseSpider("ids_unsupported: the probe of a known id failed")

    def _probe_verdict(self, response: Response):
        known = response.meta["known_id"]
        if response.status != 200 or urls.article_id(response.url) != known:
            self.crawler.stats.set_value("ids/slugless", False)
            logger.error(
                "ids=%d-%d cannot work on this server: %s answered %d instead of article %d "
                "(it does not resolve an article id without its slug). Use urls_file instead.",
                *self.id_range,
                self._probe_url(known),
                response.status,
                known,
            )
            raise CloseSpider("ids_unsupported")
        self.crawler.stats.set_value("ids/slugless", True)
        start, end = self.id_range
        done = self.run.state.count_probed(start, end)
        total = end - start + 1
        self.crawler.stats.set_value("ids/already_probed", done)
        logger.info("ids %d-%d: %d of %d already probed, resuming", start, end, done, total)
        # Handed out lazily (crawler/probes.py): memory stays flat over a million ids.
        self.probe_feeder = (
            gaps.GapFeeder(self.run.state, self.id_gaps)
            if self.id_gaps
            else ProbeFeeder(self.run.state, start, end)
        )
        yield from self._more_probes()

    def _more_probes(self):
        for aid in self.probe_feeder.refill():
            yield Request(
                self._probe_url(aid),
                callback=self._probe_result,
                errback=self._probe_error,
                meta={"probe_id": aid, "handle_httpstatus_list": [404, 410]},
                priority=ARTICLE_PRIORITY,
                dont_filter=True,  # each id is handed out once; no fingerprint kept per probe
            )

    def _probe_result(self, response: Response):
        aid = response.meta["probe_id"]
        self.probe_feeder.answered()
        yield from self._more_probes()
        self.run.state.record_probe(aid, response.status, utcnow_iso())
        stats = self.crawler.stats
        stats.inc_value("ids/probed")
        if response.status != 200 or urls.article_id(response.url) is None:
            stats.inc_value("ids/missing")
            if response.status == 200:  # redirected to a page that is no article
                reason = f"redirected: to {response.url}"
                self.run.state.record_miss(self.run.run_id, urls.article_item_id(aid), reason)
        else:
            stats.inc_value("ids/found")
            self.discovery.found(urls.article_item_id(aid), "probe")
            yield from self.parse_item(response)
        probed = stats.get_value("ids/probed", 0)
        if probed % 100 == 0:
            start, end = self.id_range
            logger.info(
                "ids %d-%d: probed %d this run (%d found, %d missing)",
                start,
                end,
                probed,
                stats.get_value("ids/found", 0),
                stats.get_value("ids/missing", 0),
            )

    def _probe_error(self, failure):
        aid = failure.request.meta["probe_id"]
        self.probe_feeder.answered()
        self.run.state.record_probe(aid, 0, utcnow_iso())
        reason = requested.failure_reason(failure.value)
        self.run.state.record_miss(self.run.run_id, urls.article_item_id(aid), reason)
        self.crawler.stats.inc_value("ids/error")
        return list(self._more_probes())
