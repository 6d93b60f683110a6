"""What every guard component of one crawl shares: the skip exception, the per-crawler state
(portal hosts, stats, settings) and the request classification helpers."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from scrapy.exceptions import IgnoreRequest

from crawler.context import crawl_context
from crawler.editions import is_item_url
from crawler.guards.requisites import DEFAULT_MAX_IMAGES_PER_PAGE, apply_cap
from crawler.politeness.settings_check import refuse_alongside
from crawler.run import get_run

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler

logger = logging.getLogger("crawler.guards")

GUARD_ISSUES = "guard_issues"  # request.meta key: quality reason codes found in the response
# lxml gives up at 255 levels without huge_tree and at 2,048 with it (measured, libxml2 2.14);
# recursive Python over the tree fails near 1,000. Real pages nest a few dozen levels.
DEFAULT_MAX_DEPTH = 200
DEFAULT_TITLE_MAX = 300  # characters; real titles stay under ~200
# A real article page holds 1,000-5,000 tags; beyond this a page is skipped as too_many_tags.
DEFAULT_MAX_TAGS = 500_000


class GuardSkip(IgnoreRequest):
    """A response or download the guards refused; `reason` is the stats/log reason code."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


class _KeepResponse(Exception):
    """A meta refresh pointing at the page itself: an auto-reload, not a redirect."""


# ---------------------------------------------------------------------------------------------
# Shared per-crawler state


class Guards:
    """What every guard component of one crawl shares: the portal's hosts, stats and settings."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        self.portal = get_run(crawler).editions
        settings = crawler.settings
        self.max_depth = settings.getint("GUARD_MAX_DEPTH", DEFAULT_MAX_DEPTH)
        self.title_max = settings.getint("GUARD_TITLE_MAX", DEFAULT_TITLE_MAX)
        self.max_tags = settings.getint("GUARD_MAX_TAGS", DEFAULT_MAX_TAGS)
        self.max_requisites = settings.getint("MAX_IMAGES_PER_PAGE", DEFAULT_MAX_IMAGES_PER_PAGE)
        # Crawling a mirror or the replica (or production names on another port): production
        # hosts must never be contacted.
        self.mirrored = self.portal.mirrored

    @classmethod
    def for_crawler(cls, crawler: Crawler) -> Guards:
        return crawl_context(crawler).component(Guards, lambda: cls(crawler))

    def fetchable(self, url: str) -> bool:
        """True when `url` is on a host this crawl may contact."""
        if self.portal.fetch_edition(url) is not None:
            return True
        return not self.mirrored and self.portal.is_portal(url)

    def redirect_target(self, url: str) -> str | None:
        """Where a redirect to `url` may go: itself, its fetch form when crawling a mirror, or
        None when it leaves the portal."""
        if self.fetchable(url):
            return url
        if self.portal.is_portal(url):
            return self.portal.to_fetch(url)
        return None

    def refuse(self, url: str, target: str, offsite_reason: str, detail: str) -> GuardSkip:
        """Skip `url`, whose request or redirect goes to `target` outside the portal:
        `bad_authority` when `target` names a portal host but is not the portal's (userinfo,
        another port), else `offsite_reason`."""
        problem = self.portal.authority_problem(target)
        if problem is not None:
            return self.skip(url, "bad_authority", f"{detail}: {problem}")
        return self.skip(url, offsite_reason, detail)

    def requisites(self, page: str, links: list[str]) -> list[str]:
        """The requisites of `page` to request: at most MAX_IMAGES_PER_PAGE (guards/requisites.py)."""
        return apply_cap(self.stats, page, links, self.max_requisites)

    def skip(self, url: str, reason: str, detail: str = "") -> GuardSkip:
        self.stats.inc_value(f"skipped/{reason}")
        logger.warning("skipped %s: %s (%s)", url, reason, detail or "-")
        return GuardSkip(reason, detail)

    def flag(self, url: str, reason: str, detail: str = "") -> None:
        logger.warning("flagged %s: %s (%s)", url, reason, detail or "-")


# Whether the site answered at all, counted per page request (not robots.txt, not page
# requisites) once retries are over: RetryMiddleware (550) has already retried 5xx and timeouts.
PAGES_ANSWERED = "availability/pages_answered"  # any status below 500 (a 404 is an answer)
PAGES_DOWN = "availability/pages_down"  # 5xx after retries, or timeout/connection/DNS failure
DOWN_EXCEPTIONS = frozenset({"timeout", "connection_error", "dns_error", "data_loss"})


def site_down(stats: dict) -> bool:
    """The run's site-unavailable rule: robots.txt was read (else the run had already stopped as
    site_unavailable, crawler/politeness/robots.py), yet not one page of the portal answered below
    500 and at least one page failed with a 5xx or a network failure after its retries. A site
    answering 404 everywhere is up (exit 1, not 5); one answered page means it is up."""
    return not stats.get(PAGES_ANSWERED) and bool(stats.get(PAGES_DOWN))


def is_item_request(request: Request) -> bool:
    """An article or album fetch (not a listing, not robots.txt)."""
    return not request.meta.get("listing") and is_item_url(request.url)


def _is_robots(request: Request) -> bool:
    return urlsplit(request.url).path == "/robots.txt"


# One rule for every replacement of a Scrapy component: the original must be disabled.
_refuse_alongside = refuse_alongside
