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
    A record is held until listings are done, so listings are scheduled before articles.
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

import inspect
import logging
import re
from collections.abc import AsyncIterator, Mapping
from datetime import timedelta, timezone
from pathlib import Path
from typing import Any

from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy.exceptions import CloseSpider
from scrapy.http import Response

from crawler import crashpoints, gaps, requested
from crawler import editions as urls
from crawler import urls_file as urls_file_lines
from crawler.errors import BadArgumentError
from crawler.extract import extract_page
from crawler.guards.common import Guards
from crawler.learning import TemplateBook
from crawler.normalize.text import decode_html
from crawler.pages.listing import parse_listing
from crawler.pages.requisites import page_requisites
from crawler.preview import preview_record
from crawler.probes import ProbeFeeder
from crawler.run import get_run, opens_run, run_closing, utcnow_iso
from crawler.warc.replay import replay_index

logger = logging.getLogger(__name__)

VN_TZ = timezone(timedelta(hours=7))  # Vietnam has kept UTC+07:00 without DST since 1975
PAGE_NUMBER_RE = re.compile(r"(?<![a-z0-9])(\d{1,5})(?![0-9])")
LISTING_PRIORITY = 100  # listings before articles: records wait for their sections
ARTICLE_PRIORITY = 0
REQUISITE_PRIORITY = -10  # images and CSS last: they name no section and hold no record


# Article ids are a CMS sequence (~200,000 in 2025); anything past this cannot be one, and SQLite
# (the state store) overflows above 2**63 - 1.
MAX_ARTICLE_ID = 999_999_999


def _parse_ids(value: str) -> tuple[int, int]:
    try:
        start, end = (int(x) for x in value.split("-", 1))
    except ValueError:
        raise BadArgumentError(
            "ids", value, "START-END with integers, e.g. ids=5900-6100, or gaps"
        ) from None
    if start < 1 or end < start:
        raise BadArgumentError("ids", value, "START-END with 1 <= START <= END")
    if end > MAX_ARTICLE_ID:
        raise BadArgumentError("ids", value, f"article ids up to {MAX_ARTICLE_ID:,}")
    return start, end


def check_ids_span(id_range: tuple[int, int] | None, max_span: int) -> None:
    """A range wider than IDS_MAX_SPAN is refused (each id is one request)."""
    if id_range is not None and id_range[1] - id_range[0] + 1 > max_span:
        value = f"{id_range[0]}-{id_range[1]}"
        raise BadArgumentError("ids", value, f"at most {max_span:,} ids (IDS_MAX_SPAN)")


def _check_urls_file(path: str) -> None:
    """An undecodable urls file is refused before the run opens, naming the lines."""
    bad = urls_file_lines.undecodable_lines(Path(path))
    if bad:
        where = urls_file_lines.describe(bad)
        raise BadArgumentError("urls_file", path, f"a UTF-8 text file (not UTF-8: line {where})")


class BaolonganSpider(Spider):
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
            _check_urls_file(urls_file)
        self.urls_file = urls_file
        self.id_range = _parse_ids(ids) if ids and ids != "gaps" else None
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

    @classmethod
    def check_arguments(cls, arguments: Mapping[str, Any]) -> None:
        """Unknown or conflicting arguments: BadArgumentError naming them. Also called by the
        crawl command before anything is built: a typo (`editon=en`) would otherwise land in
        **kwargs and silently start a full crawl of both editions."""
        known = [
            p.name
            for p in inspect.signature(cls.__init__).parameters.values()
            if p.kind is p.POSITIONAL_OR_KEYWORD and p.name != "self"
        ]
        for name, value in arguments.items():
            # Underscored names come from scrapyd (`_job`), not from a person.
            if name not in known and not name.startswith("_"):
                raise BadArgumentError(
                    name, value, f"one of the spider's arguments: {', '.join(sorted(known))}"
                )
        edition = arguments.get("edition")
        if arguments.get("urls_file") is not None and edition not in (None, "", "both"):
            raise BadArgumentError(
                "edition", edition, "no edition with urls_file (the listed URLs name their hosts)"
            )

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
        spider.portal = spider.run.editions
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
        if self.incremental:
            for req in self._recheck_requests():
                yield req

    # --- re-checks (refresh) --------------------------------------------------------------------
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
            checked = _utc_seconds(response.meta.get("warc_date")) or utcnow_iso()
            self.run.state.mark_checked(item_id, checked, self.run.run_id)
            return
        if response.status in (404, 410):
            yield self._tombstone(response, None)
            return
        if 300 <= response.status < 400:
            location = _header(response, b"Location") or ""
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
            "detected_at": _utc_seconds(response.meta.get("warc_date")) or utcnow_iso(),
        }

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

    # --- id probes (backfill) -------------------------------------------------------------------
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
        text, _issues = decode_html(response.body, _header_charset(response))
        return text

    # --- page requisites ------------------------------------------------------------------------
    def _requisite_requests(self, html: str, response: Response):
        """Images, CSS and JS of a page, for the WARC mirror; each archived once across runs."""
        if not self.fetch_requisites:
            return
        links = page_requisites(html, response.url, self.portal)
        # At most MAX_IMAGES_PER_PAGE per page; the rest counted and named (crawler/guards).
        for link in Guards.for_crawler(self.crawler).requisites(response.url, links):
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
        yield from self._requisite_requests(html, response)
        listing = self._parse_listing(html, response)
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
        # Home-page links name no section, but they may reach items no listing reaches.
        for link in (*listing.entries, *listing.other_links):
            req = self._saw_link(self.portal.to_fetch(link))
            if req:
                yield req

    def _parse_listing(self, html: str, response: Response):
        """parse_listing, teaching the page template on the way (listings come before articles
        and carry the same header, menus, footer and sidebars)."""
        listing = parse_listing(html, response.url, self.portal, learn=True)
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
        yield from self._requisite_requests(html, response)
        listing = self._parse_listing(html, response)
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
            req = self._saw_link(target)
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
    def _saw_link(self, target: str | None) -> Request | None:
        """A link to an item: the URL it is linked as and the host's edition are part of its
        record (urls_seen, editions_seen) even when it was fetched through another link."""
        item_id = urls.item_id(target)
        if item_id is None:
            return None
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
            _header_charset(response),
            response.url,
            self.portal,
            chrome=self.templates.chrome(edition),
            learn=True,
        )
        self.templates.observe(edition, page.blocks, response.url)
        record, strategies, issues = page.record, page.strategies, page.issues
        yield from self._requisite_requests(page.text, response)
        for link in page.link_urls:
            req = self._saw_link(self.portal.to_fetch(link))
            if req:
                yield req
        # The capture time of the archived response, so records re-extracted from the WARC files
        # carry the same fetched_at as the live run's.
        record["fetched_at"] = _utc_seconds(response.meta.get("warc_date")) or utcnow_iso()
        record["quality_issues"] = sorted(set(record.get("quality_issues") or []) | set(issues))
        record.setdefault("warc_filename", response.meta.get("warc_filename"))
        record.setdefault("warc_record_id", response.meta.get("warc_record_id"))
        record.setdefault("warc_payload_digest", response.meta.get("warc_payload_digest"))
        record["_fetch"] = {
            "url": response.url,
            "edition": edition,
            "strategies": strategies,
            "etag": _header(response, b"ETag"),
            "last_modified": _header(response, b"Last-Modified"),
        }
        if self.preview:  # `scrapy parse`: the record as the pipelines would finish it
            record = preview_record(self.crawler, record)
        yield record


def _utc_seconds(warc_date: str | None) -> str | None:
    """`2025-06-30T12:00:00.123456Z` -> `2025-06-30T12:00:00Z` (record times are whole seconds)."""
    return warc_date[:19] + "Z" if warc_date else None


def _page_number(url: str) -> int:
    """The listing page number in a URL (`?p=3&d=`, `/trang-3/`, `?page=3`); 1 when none."""
    numbers = [int(n) for n in PAGE_NUMBER_RE.findall(url.split("//", 1)[-1].split("/", 1)[-1])]
    return numbers[-1] if numbers else 1


def next_page(current: str, pagination: list[str]) -> str | None:
    """Of a listing's pagination links, the one to the page right after `current`."""
    here = _page_number(current)
    later = sorted((_page_number(u), u) for u in pagination if _page_number(u) > here)
    return later[0][1] if later else None


def _header(response: Response, name: bytes) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None


def _header_charset(response: Response) -> str | None:
    ctype = _header(response, b"Content-Type") or ""
    for part in ctype.split(";")[1:]:
        key, _, value = part.strip().partition("=")
        if key.lower() == "charset" and value:
            return value.strip().strip('"')
    return None
