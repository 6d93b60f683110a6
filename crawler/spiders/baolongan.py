"""The Báo Long An spider: routing only (which URL is which page, callbacks, pagination, arguments).

Domain
    baolongan.vn (vi) and news.baolongan.vn (en), one CMS, one shared article-id sequence; images on
    www.baolongan.vn and, for old articles, image.baolongan.vn. Mapped onto EDITION_URL_VI/EN.
Editions
    Both by default: home page → every menu section and sub-section → every listing page (pagination
    links followed until a page repeats) → every article and photo album.
Caveats
    Section slugs come from the menus only. English articles are also served on the vi host with vi
    chrome; one record per id whichever host, slug or section led to it (RecordPipeline merges).
    Listings are scheduled before articles, so a record written RECORD_DELAY seconds after its
    fetch already names most of its sections; a later one is a sighting (records/sightings/).
Spider arguments
    edition=vi|en       crawl one edition only
    urls_file=PATH      fetch exactly the article/album URLs listed (one per line, any portal host/scheme)
    ids=START-END       probe article ids START..END (inclusive) on the vi host; resumable
    ids=gaps            probe the id gaps the newest full crawl recorded (crawler/gaps.py); resumable
    limit=N             canary: at most N articles per edition
    full=1              crawl everything again instead of refreshing an existing archive
    Unknown arguments, and edition= together with urls_file=, are refused (exit 2).
"""

from __future__ import annotations

import logging
import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.http import Response

from crawler import crashpoints, gaps
from crawler import editions as urls
from crawler.context import Asked, crawl_context
from crawler.discovery.sources import DiscoverySources
from crawler.errors import BadArgumentError
from crawler.extract import extract_page
from crawler.guards.common import Guards
from crawler.learning import TemplateBook
from crawler.normalize.text import decode_html
from crawler.pages.listing import parse_listing
from crawler.preview import preview_record
from crawler.run import get_run, opens_run, run_closing, utcnow_iso
from crawler.spiders.arguments import SpiderArguments, check_ids_span, check_urls_file, parse_ids
from crawler.spiders.common import (
    ARTICLE_PRIORITY,
    LISTING_PRIORITY,
    RECENT_REQUISITES,
    REQUISITE_PRIORITY,
    RecentUrls,
    header,
    header_charset,
    utc_seconds,
)
from crawler.spiders.discovering import ExtraDiscovery
from crawler.spiders.listed import ListedUrls
from crawler.spiders.probing import IdProbes
from crawler.spiders.recheck import Rechecks
from crawler.spiders.videos import VideoMedia
from crawler.warc.replay import replay_index

logger = logging.getLogger(__name__)

PAGE_NUMBER_RE = re.compile(r"(?<![a-z0-9])(\d{1,5})(?![0-9])")


# Callbacks by concern: id probes, refresh re-checks and urls_file requests live in mixins
# (crawler/spiders/probing.py, recheck.py, listed.py): requests still name them as the spider's
# own methods, which Scrapy's request_to_dict needs to keep a queued request on disk.
class BaolonganSpider(
    IdProbes, Rechecks, ListedUrls, VideoMedia, ExtraDiscovery, SpiderArguments, Spider
):
    name = "baolongan"
    preview = False  # True outside `scrapy crawl`: records are finished, never written

    def __init__(
        self,
        edition: str | None = None,
        urls_file: str | None = None,
        ids: str | None = None,
        limit: str | None = None,
        full: str | None = None,
        **kwargs: Any,
    ) -> None:
        self.check_arguments({"edition": edition, "urls_file": urls_file, **kwargs})
        super().__init__(**kwargs)
        if edition not in (None, "", "vi", "en", "both"):
            raise BadArgumentError("edition", edition, "vi, en or both")
        self.editions_wanted = ["vi", "en"] if edition in (None, "", "both") else [edition]
        if urls_file is not None and not Path(urls_file).is_file():
            raise BadArgumentError("urls_file", urls_file, "the path of an existing file")
        if urls_file is not None:
            check_urls_file(urls_file)
        self.urls_file = urls_file
        self.id_range = parse_ids(ids) if ids and ids != "gaps" else None
        self.gaps_wanted = ids == "gaps"
        self.id_gaps: str | None = None  # ids=gaps: the run whose gaps are probed (from_crawler)
        if limit is not None and (not str(limit).isdigit() or int(limit) < 1):
            raise BadArgumentError("limit", limit, "a whole number >= 1")
        self.limit = int(limit) if limit else None
        if full not in (None, "", "0", "1"):
            raise BadArgumentError("full", full, "0 or 1")
        self.full = full == "1"
        if sum(x is not None for x in (urls_file, ids)) > 1:
            raise BadArgumentError("urls_file/ids", "both", "only one of urls_file and ids")
        # Run signature: a resumed run must be the same command (crawler.run).
        # It is also what makes two runs "comparable" in reports (same mode and editions).
        self.signature = (
            f"edition={','.join(self.editions_wanted)};urls_file={urls_file};ids={ids};"
            f"limit={limit};full={int(self.full)}"
        )
        self.listings_outstanding = 0
        self.requested_ids: set[str] = set()
        self.articles_per_edition = {"vi": 0, "en": 0}
        self.listing_fingerprints: dict[str, set[tuple]] = {}
        self.listing_urls: set[str] = set()
        self.recent_requisites = RecentUrls(RECENT_REQUISITES)

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> BaolonganSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        check_ids_span(spider.id_range, crawler.settings.getint("IDS_MAX_SPAN", 1_000_000))
        spider.run = get_run(crawler)
        if opens_run(crawler.settings):
            # The lock: a second run is turned away before any request.
            spider.run.open(spider.signature, full=spider.full)
        else:  # `scrapy parse`, `check`, `shell --spider`: nothing under OUTPUT_DIR
            spider.run.open_preview(spider.signature)
        spider.preview = not opens_run(crawler.settings)
        if spider.gaps_wanted:
            gaps.prepare(spider, crawler.settings.getint("IDS_MAX_SPAN", 1_000_000))
        crawl_context(crawler).asked = Asked(
            editions=tuple(spider.editions_wanted),
            urls_file=spider.urls_file,
            id_range=spider.id_range,
            id_gaps=spider.id_gaps,
            limit=spider.limit,
        )
        spider.portal = spider.run.editions
        crawler.signals.connect(spider.robots_parsed, signal=signals.robots_parsed)
        # A refresh when earlier runs archived something: page sections newest-first only until a
        # page holds nothing new, and re-check recent and least-recently-checked items instead.
        spider.incremental = spider.run.mode == "incremental"
        spider.overlap_pages = crawler.settings.getint("INCREMENTAL_OVERLAP_PAGES")
        spider.recheck_window_days = crawler.settings.getint("RECHECK_WINDOW_DAYS")
        spider.recheck_budget = crawler.settings.getint("RECHECK_BUDGET")
        spider.fetch_requisites = crawler.settings.getbool("FETCH_REQUISITES", True)
        spider.replay = replay_index(crawler) if crawler.settings.get("REPLAY_WARC_DIR") else None
        # The site's page template, learned from the pages themselves (crawler/learning.py).
        spider.templates = TemplateBook(spider.run.state, crawler, utcnow_iso)
        # Which source (listing, sitemap, rss, link, probe) found each item, for the report.
        spider.discovery = DiscoverySources(crawler)
        crawler.signals.connect(spider.templates.close, signal=run_closing)
        return spider

    # --- `scrapy parse URL` ---------------------------------------------------------------------
    def parse(self, response: Response, **kwargs: Any):
        """Route any portal URL by its shape (Scrapy's default callback, so `scrapy parse
        --spider=baolongan URL` works): an article or album gives the record a crawl would write
        for it, a section or home page the requests its listing leads to."""
        if urls.item_id(response.url):
            yield from self.parse_item(response)
            return
        self.listings_outstanding += 1  # the listing callbacks count themselves done
        slug = urls.section_slug(self.portal.to_production(response.url))
        if slug:
            # The menu label is only known from a menu; the slug stands in for it.
            response.meta.setdefault("section", (slug, slug))
            yield from self.parse_section(response)
        else:
            yield from self.parse_home(response)

    # --- start ----------------------------------------------------------------------------------
    async def start(self) -> AsyncIterator[Any]:
        if self.urls_file:
            for req in self._requests_from_file(Path(self.urls_file)):
                yield req
            return
        if self.id_range:
            for req in self._probe_requests():
                yield req
            return
        for edition in self.editions_wanted:
            yield self._listing_request(
                self.portal.base(edition) + "/", None, callback=self.parse_home
            )
            robots = self._robots_request(edition)  # for its Sitemap: lines (discovering.py)
            if robots is not None:
                yield robots
        if self.incremental:
            for req in self._recheck_requests():
                yield req

    # --- listings -------------------------------------------------------------------------------
    def _listing_request(
        self, url: str, section: tuple[str, str] | None, callback
    ) -> Request | None:
        # Our own de-duplication of listings (not the dupefilter's): a filtered request never
        # reaches a callback or errback, and the outstanding-listings count must stay exact.
        key = urls.dedup_key(url)
        if key in self.listing_urls:
            return None
        self.listing_urls.add(key)
        self.listings_outstanding += 1
        return Request(
            url,
            callback=callback,
            errback=self._listing_failed,
            priority=LISTING_PRIORITY,
            meta={"section": section, "listing": True},
            dont_filter=False,
        )

    def _listing_done(self) -> None:
        self.listings_outstanding -= 1

    def _listing_failed(self, failure) -> None:
        self._listing_done()
        self.crawler.stats.inc_value("listings/failed")
        logger.error(
            "listing failed: %s", failure.request.url if hasattr(failure, "request") else failure
        )

    def _decode(self, response: Response) -> str:
        text, _issues = decode_html(response.body, header_charset(response))
        return text

    # --- page requisites ------------------------------------------------------------------------
    def _requisite_requests(self, links: list[str], response: Response):
        """Images, CSS and JS of a page (`links`, read by the page modules from the tree they
        parsed), for the WARC mirror; each archived once across runs."""
        if not self.fetch_requisites:
            return
        # At most MAX_IMAGES_PER_PAGE per page; the rest counted and named (crawler/guards).
        for link in Guards.for_crawler(self.crawler).requisites(response.url, links):
            # The stylesheets, scripts and logo on every page wait behind the articles in the
            # frontier (REQUISITE_PRIORITY): until fetched they are not known, and every page
            # asked for them again only for the frontier to drop the request (4,723 times in a
            # 1,000-article crawl; without them the crawler's CPU fell 3-4 %,
            # tests/benchmarks/RESULTS.md). Asked for recently: nothing to do.
            if self.recent_requisites.seen(link):
                self.crawler.stats.inc_value("requisites/asked_recently")
                continue
            target = self.portal.to_fetch(link)
            # Known by production URL: a mirror's or replica's address may change between runs.
            if not target or self.run.state.requisite_known(link):
                continue
            yield Request(
                target,
                callback=self.parse_requisite,
                errback=self._requisite_failed,
                priority=REQUISITE_PRIORITY,
                meta={"requisite": True},
            )

    def parse_requisite(self, response: Response):
        self.crawler.stats.inc_value("requisites/fetched")
        self.run.state.record_requisite(
            self.portal.to_production(response.url), response.status, utcnow_iso()
        )
        return ()

    def _requisite_failed(self, failure):
        self.crawler.stats.inc_value("requisites/failed")

    def parse_home(self, response: Response):
        self._listing_done()
        html = self._decode(response)
        listing = self._parse_listing(html, response)
        yield from self._requisite_requests(listing.requisites, response)
        self.crawler.stats.inc_value("listings/home")
        edition = self.portal.edition_of(response.url)
        for section in listing.menu:
            target = self.portal.to_fetch(section.url)
            if target and self.portal.edition_of(target) == edition:
                req = self._listing_request(
                    target, (section.slug, section.name), callback=self.parse_section
                )
                if req:
                    yield req
        # Section URLs no menu names any more may still list old articles (editions.OLD_SECTIONS).
        yield from self._old_section_requests(listing.menu, edition)
        # Home-page links name no section, but they may reach items no listing reaches.
        for link in listing.entries:
            req = self._saw_link(self.portal.to_fetch(link), "listing")
            if req:
                yield req
        for link in listing.other_links:
            req = self._saw_link(self.portal.to_fetch(link))
            if req:
                yield req
        yield from self._feed_requests(html, response)

    def _parse_listing(self, html: str, response: Response):
        """parse_listing, teaching the page template on the way (listings come before articles
        and carry the same header, menus, footer and sidebars)."""
        listing = parse_listing(
            html, response.url, self.portal, learn=True, requisites=self.fetch_requisites
        )
        edition = self.portal.edition_of(response.url) or "vi"
        self.templates.observe(edition, listing.blocks, response.url)
        if listing.base_href_ignored:
            self.crawler.stats.inc_value("listings/base_href_ignored")
            logger.info("ignored an offsite <base href> on %s", response.url)
        return listing

    def parse_section(self, response: Response):
        self._listing_done()
        slug, name = response.meta["section"]
        html = self._decode(response)
        listing = self._parse_listing(html, response)
        yield from self._requisite_requests(listing.requisites, response)
        self.crawler.stats.inc_value("listings/pages")
        crashpoints.reached("listing", self.run.output_dir)
        seen = self.listing_fingerprints.setdefault(slug, set())
        repeated = listing.fingerprint in seen
        seen.add(listing.fingerprint)
        entry_ids = []
        for link in listing.entries:
            target = self.portal.to_fetch(link)
            item_id = urls.item_id(target)
            if item_id:
                entry_ids.append(item_id)
                self.run.sightings.add_sighting(self.run.run_id, item_id, "section", slug, name)
            req = self._saw_link(target, "listing")
            if req:
                yield req
        for link in listing.other_links:
            req = self._saw_link(self.portal.to_fetch(link))
            if req:
                yield req
        if not listing.entries:
            # An empty section, or a page past the last one that shows no entries.
            self.crawler.stats.inc_value("listings/empty")
            logger.warning("empty listing %s: no entries", response.url)
            return
        if repeated:
            # A page past the last repeats the last page: the end of this section.
            self.crawler.stats.inc_value("listings/repeated_page")
            return
        if self.incremental:
            # Newest first: once a page holds only archived items (plus the configured overlap
            # of further pages), the rest of the section is archived already.
            overlap = response.meta.get("overlap_left", self.overlap_pages)
            if not (set(entry_ids) - self.run.state.known_ids(entry_ids)):
                if overlap <= 0:
                    self.crawler.stats.inc_value("listings/incremental_stop")
                    return
                overlap -= 1
            following = next_page(response.url, listing.pagination)
            if following and (target := self.portal.to_fetch(following)):
                req = self._listing_request(target, (slug, name), callback=self.parse_section)
                if req:
                    req.meta["overlap_left"] = overlap
                    yield req
            return
        for link in listing.pagination:
            target = self.portal.to_fetch(link)
            if target and (req := self._listing_request(target, (slug, name), self.parse_section)):
                yield req

    # --- articles and albums --------------------------------------------------------------------
    def _saw_link(self, target: str | None, source: str = "link") -> Request | None:
        """A link to an item: the URL it is linked as and the host's edition are part of its
        record (urls_seen, editions_seen) even when it was fetched through another link.
        `source`: what named it (listing, sitemap, rss, link), counted for the report."""
        item_id = urls.item_id(target)
        if item_id is None:
            return None
        self.discovery.found(item_id, source)
        self.run.sightings.add_sighting(self.run.run_id, item_id, "url", target)
        edition = self.portal.edition_of(target)
        if edition:
            self.run.sightings.add_sighting(self.run.run_id, item_id, "edition", edition)
        return self._item_request(target)

    def _item_request(self, target: str | None, force: bool = False) -> Request | None:
        if not target:
            return None
        item_id = urls.item_id(target)
        if item_id is None:
            return None
        edition = self.portal.edition_of(target) or "vi"
        if (item_id in self.requested_ids or edition not in self.editions_wanted) and not force:
            return None  # (a link into an edition the run was not asked for is only a sighting)
        if self.incremental and not force and self.run.state.known_ids([item_id]):
            self.crawler.stats.inc_value("skipped/archived")
            return None
        if self.run.resumed and self.run.state.written_in_run(self.run.run_id, "articles", item_id):
            self.crawler.stats.inc_value("skipped/written_before_resume")
            return None
        if self.limit is not None and urls.article_id(target):
            if self.articles_per_edition[edition] >= self.limit:
                self.crawler.stats.inc_value("skipped/limit")
                return None
            self.articles_per_edition[edition] += 1
        self.requested_ids.add(item_id)
        if self.replay is not None:
            target = self.replay.archived_url(target)
        return Request(target, callback=self.parse_item, priority=ARTICLE_PRIORITY)

    def parse_item(self, response: Response):
        ctype = response.headers.get(b"Content-Type", b"text/html").decode("latin-1").lower()
        if "html" not in ctype:
            self.crawler.stats.inc_value("skipped/not_html")
            logger.warning("skipped %s: content type %s", response.url, ctype)
            return
        edition = self.portal.edition_of(response.url) or "vi"
        page = extract_page(
            response.body,
            header_charset(response),
            response.url,
            self.portal,
            chrome=self.templates.chrome(edition),
            learn=True,
            requisites=self.fetch_requisites,
        )
        self.templates.observe(edition, page.blocks, response.url)
        record, strategies, issues = page.record, page.strategies, page.issues
        home = urls.home_edition(record.get("canonical_url"), strategies.get("canonical_url"))
        if record.get("type") == "article" and home and home != edition:
            # An English article reached on the vi host whose page names the English host: the
            # item is English (docs/contract.md, `edition`), as if reached there.
            self.run.sightings.add_sighting(self.run.run_id, record["id"], "edition", home)
        yield from self._requisite_requests(page.requisites, response)
        if record.get("type") == "video":  # its poster and media files, for the WARC archive
            yield from self._media_requests(record, response)
        for link in page.link_urls:
            req = self._saw_link(self.portal.to_fetch(link))
            if req:
                yield req
        # The capture time of the archived response, so records re-extracted from the WARC files
        # carry the same fetched_at as the live run's.
        record["fetched_at"] = utc_seconds(response.meta.get("warc_date")) or utcnow_iso()
        record["quality_issues"] = sorted(set(record.get("quality_issues") or []) | set(issues))
        record.setdefault("warc_filename", response.meta.get("warc_filename"))
        record.setdefault("warc_record_id", response.meta.get("warc_record_id"))
        record.setdefault("warc_payload_digest", response.meta.get("warc_payload_digest"))
        record["_fetch"] = {
            "url": response.url,
            "edition": edition,
            "strategies": strategies,
            "etag": header(response, b"ETag"),
            "last_modified": header(response, b"Last-Modified"),
        }
        if self.preview:  # `scrapy parse`: the record as the pipelines would finish it
            record = preview_record(self.crawler, record)
        yield record


def _page_number(url: str) -> int:
    """The listing page number in a URL (`?p=3&d=`, `/trang-3/`, `?page=3`); 1 when none."""
    numbers = [int(n) for n in PAGE_NUMBER_RE.findall(url.split("//", 1)[-1].split("/", 1)[-1])]
    return numbers[-1] if numbers else 1


def next_page(current: str, pagination: list[str]) -> str | None:
    """Of a listing's pagination links, the one to the page right after `current`."""
    here = _page_number(current)
    later = sorted((_page_number(u), u) for u in pagination if _page_number(u) > here)
    return later[0][1] if later else None
