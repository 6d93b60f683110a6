"""Extra discovery beside the listings (crawler/discovery/): the sitemaps an edition's robots.txt
names and the feeds its home page names, followed like listings (they name no section); the old
section URLs no menu names any more (editions.OLD_SECTIONS); and which source found each item, for
the report. A mixin of the spider: requests name these callbacks by the spider's methods. Sitemaps
and feeds are off with EXTRA_DISCOVERY=False."""

from __future__ import annotations

import logging

from scrapy.http import Response

from crawler.discovery.feeds import feed_item_links, feed_links
from crawler.discovery.sitemaps import read_sitemap, robots_sitemaps
from crawler.editions import OLD_SECTIONS

logger = logging.getLogger(__name__)


class ExtraDiscovery:
    """The sitemap and feed callbacks of BaolonganSpider."""

    def _robots_request(self, edition: str):
        """robots.txt of the edition's host, read for its `Sitemap:` lines — only when robots.txt
        is not obeyed: otherwise the politeness middleware fetches it before any other request,
        and `robots_parsed` hands its answer to the spider (one fetch, not two)."""
        if not self.crawler.settings.getbool("EXTRA_DISCOVERY", True):
            return None
        if self.crawler.settings.getbool("ROBOTSTXT_OBEY"):
            return None
        req = self._listing_request(
            self.portal.base(edition) + "/robots.txt", None, callback=self.parse_robots_sitemaps
        )
        if req is None:
            return None
        req.meta["dont_obey_robotstxt"] = True
        return req.replace(errback=self._discovery_failed)

    def parse_robots_sitemaps(self, response: Response):
        self._listing_done()
        for url in robots_sitemaps(response.body, response.url):
            yield from self._discovery_file(url, self.parse_sitemap)

    def robots_parsed(self, robotparser, request, response=None) -> None:
        """The politeness middleware read a host's robots.txt (crawler/politeness/robots.py): the
        sitemaps it names join the crawl of the listings (not an ids or urls_file run's)."""
        wanted = self.crawler.settings.getbool("EXTRA_DISCOVERY", True)
        if response is None or not wanted or self.urls_file or self.id_range:
            return
        for url in robots_sitemaps(response.body, response.url):
            for req in self._discovery_file(url, self.parse_sitemap):
                self.crawler.engine.crawl(req)

    def _discovery_file(self, url: str, callback):
        # A sitemap or feed on another host is never fetched (the archive mirrors the portal).
        target = self.portal.to_fetch(url)
        if target is None:
            self.crawler.stats.inc_value("discovery/offsite")
            logger.info("not fetched (not a portal host): %s", url)
            return
        req = self._listing_request(target, None, callback=callback)
        if req is not None:
            yield req.replace(errback=self._discovery_failed)

    def _discovery_failed(self, failure) -> None:
        """A sitemap or feed that could not be had (named but 404, a timeout): the listings
        still reach what they list, so it is counted, not an error."""
        self._listing_done()
        self.crawler.stats.inc_value("discovery/failed")
        url = failure.request.url if hasattr(failure, "request") else failure
        logger.warning("discovery file not read: %s (%s)", url, failure.value)

    def parse_sitemap(self, response: Response):
        self._listing_done()
        self.crawler.stats.inc_value("discovery/sitemaps")
        content = read_sitemap(response.body)
        if content.kind == "index":
            locs = content.locs
            if self.incremental:
                # A refresh reads only the newest sitemaps: the others list what the archive
                # holds (a full crawl, full=1, reads them all again).
                locs = content.newest(self.crawler.settings.getint("INCREMENTAL_SITEMAPS", 2))
            for loc in locs:
                yield from self._discovery_file(loc, self.parse_sitemap)
            return
        if content.kind != "urlset":
            self.crawler.stats.inc_value("discovery/unreadable")
            logger.warning("not a sitemap: %s", response.url)
            return
        for loc in content.locs:
            req = self._saw_link(self.portal.to_fetch(loc), "sitemap")
            if req:
                yield req

    def _feed_requests(self, html: str, response: Response):
        """The feeds a home page names."""
        if not self.crawler.settings.getbool("EXTRA_DISCOVERY", True):
            return
        for url in feed_links(html, response.url, self.portal):
            yield from self._discovery_file(url, self.parse_feed)

    def parse_feed(self, response: Response):
        self._listing_done()
        self.crawler.stats.inc_value("discovery/feeds")
        for link in feed_item_links(response.body):
            req = self._saw_link(self.portal.to_fetch(link), "rss")
            if req:
                yield req

    def _old_section_requests(self, menu, edition: str | None):
        """The old vi sections the home page's menu does not name, as section listings."""
        if edition != "vi":
            return
        named = {section.slug for section in menu}
        for slug, name in OLD_SECTIONS:
            if slug in named:
                continue
            req = self._listing_request(
                f"{self.portal.base('vi')}/{slug}/", (slug, name), callback=self.parse_old_section
            )
            if req is not None:
                req.meta["handle_httpstatus_list"] = [404, 410]
                yield req

    def parse_old_section(self, response: Response):
        """An old section's first page: gone (404/410) is a counted skip, not an error; else a
        section listing like any other (its further pages go to parse_section)."""
        if response.status in (404, 410):
            self._listing_done()
            self.crawler.stats.inc_value("listings/old_section_gone")
            logger.info("old section gone (%d): %s", response.status, response.url)
            return
        self.crawler.stats.inc_value("listings/old_section")
        yield from self.parse_section(response)
