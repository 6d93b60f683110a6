"""The guards' downloader middlewares: portal hosts only, bad responses and download errors as
counted skips, repaired markup, guarded redirects and decompression (see the package docstring)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from scrapy.downloadermiddlewares.httpcompression import HttpCompressionMiddleware
from scrapy.downloadermiddlewares.redirect import MetaRefreshMiddleware, RedirectMiddleware
from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet import error as txerror
from twisted.internet.threads import deferToThread
from w3lib.url import canonicalize_url

from crawler.guards.common import (
    DOWN_EXCEPTIONS,
    GUARD_ISSUES,
    PAGES_ANSWERED,
    PAGES_DOWN,
    Guards,
    GuardSkip,
    _is_robots,
    _KeepResponse,
    _refuse_alongside,
    is_item_request,
    is_item_url,
)
from crawler.guards.scan import Inspection, inspect_body

if TYPE_CHECKING:
    from scrapy import Request, Spider
    from scrapy.crawler import Crawler
    from scrapy.http import Response

# Bodies above this are inspected on a worker thread: a 32 MiB page costs a few hundred ms of
# scanning, during which the reactor keeps serving every other request.
THREAD_MIN_BYTES = 256 * 1024


class PortalHostsMiddleware:
    """Refuse any request to a host outside the portal (or, crawling a mirror, outside the
    configured edition hosts), before robots.txt would be fetched from it."""

    def __init__(self, crawler: Crawler) -> None:
        self.guards = Guards.for_crawler(crawler)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> PortalHostsMiddleware:
        return cls(crawler)

    def process_request(self, request: Request, spider: Spider | None = None) -> None:
        if self.guards.fetchable(request.url):
            return
        reason = "offsite_redirect" if request.meta.get("redirect_urls") else "offsite_request"
        raise self.guards.refuse(
            request.url, request.url, reason, f"host {urlsplit(request.url).netloc}"
        )


# Download errors after RetryMiddleware gave up, by reason code (first match wins).
_EXCEPTION_REASONS: tuple[tuple[tuple[type[BaseException], ...], str], ...] = (
    ((DownloadTimeoutError, txerror.TimeoutError, txerror.TCPTimedOutError), "timeout"),
    ((DownloadCancelledError,), "too_large"),  # DOWNLOAD_MAXSIZE, declared or streamed
    ((ResponseDataLossError,), "data_loss"),
    ((CannotResolveHostError, txerror.DNSLookupError), "dns_error"),
    (
        (
            DownloadConnectionRefusedError,
            DownloadFailedError,
            txerror.ConnectError,
            txerror.ConnectionDone,
            txerror.ConnectionLost,
        ),
        "connection_error",
    ),
)


def _is_page(request: Request) -> bool:
    """A page of the portal (listing, article, album, probe), not robots.txt or a requisite."""
    return not _is_robots(request) and not request.meta.get("requisite")


class ResponseGuardMiddleware:
    """Priority 540: after RetryMiddleware (550) has given up and after decompression (590).

    - process_exception: a download error left after retries becomes a counted, logged skip
      (GuardSkip, an IgnoreRequest: errbacks still see it, Scrapy logs no "Error downloading").
    - process_response, 2xx article/album responses: skip empty, non-HTML, blank and
      script-only bodies; on every 2xx HTML response strip NUL bytes and unwrap runaway nesting,
      noting the reason codes in request.meta["guard_issues"] for GuardSpiderMiddleware.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.guards = Guards.for_crawler(crawler)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ResponseGuardMiddleware:
        return cls(crawler)

    def process_exception(
        self, request: Request, exception: Exception, spider: Spider | None = None
    ) -> None:
        if isinstance(exception, IgnoreRequest) or _is_robots(request):
            return  # already handled, or robots.txt's own business (politeness)
        reason = "download_error"
        for types, code in _EXCEPTION_REASONS:
            if isinstance(exception, types):
                reason = code
                break
        if reason in DOWN_EXCEPTIONS and _is_page(request):
            self.guards.stats.inc_value(PAGES_DOWN)
        detail = f"{type(exception).__name__}: {exception}".rstrip(": ")
        if request.meta.get("retry_times"):
            detail += f" (after {request.meta['retry_times']} retries)"
        raise self.guards.skip(request.url, reason, detail) from exception

    async def process_response(
        self, request: Request, response: Response, spider: Spider | None = None
    ) -> Response:
        self._count_answer(request, response)
        if not self._inspected(request, response):
            return response
        ctype = (response.headers.get(b"Content-Type") or b"").decode("latin-1")
        args = (response.body, ctype)
        kwargs = {
            "item": is_item_request(request),
            "max_depth": self.guards.max_depth,
            "max_tags": self.guards.max_tags,
        }
        if len(response.body) >= THREAD_MIN_BYTES:
            # Pure byte work on a big page: off the reactor thread, so other downloads go on.
            found = await maybe_deferred_to_future(deferToThread(inspect_body, *args, **kwargs))
        else:
            found = inspect_body(*args, **kwargs)
        return self.apply(request, response, found)

    def check(self, request: Request, response: Response) -> Response:
        """process_response on the calling thread (unit tests, small pages)."""
        self._count_answer(request, response)
        if not self._inspected(request, response):
            return response
        ctype = (response.headers.get(b"Content-Type") or b"").decode("latin-1")
        found = inspect_body(
            response.body,
            ctype,
            item=is_item_request(request),
            max_depth=self.guards.max_depth,
            max_tags=self.guards.max_tags,
        )
        return self.apply(request, response, found)

    def _count_answer(self, request: Request, response: Response) -> None:
        """Feed the site-unavailable rule (common.site_down) with this page's final status."""
        if _is_page(request):
            self.guards.stats.inc_value(PAGES_DOWN if response.status >= 500 else PAGES_ANSWERED)

    @staticmethod
    def _inspected(request: Request, response: Response) -> bool:
        """2xx responses other than robots.txt; non-HTML only when an item was expected."""
        if not 200 <= response.status < 300 or _is_robots(request):
            return False
        ctype = (response.headers.get(b"Content-Type") or b"").decode("latin-1")
        return is_item_request(request) or not ctype or "html" in ctype.lower()

    def apply(self, request: Request, response: Response, found: Inspection) -> Response:
        """Count and log what `inspect_body` found (on the reactor thread: stats, meta, log)."""
        if found.skip is not None:
            raise self.guards.skip(request.url, *found.skip)
        for code, detail in found.flags:
            self.guards.flag(request.url, code, detail)
        if not found.flags:
            return response
        issues = [code for code, _ in found.flags]
        request.meta[GUARD_ISSUES] = [*request.meta.get(GUARD_ISSUES, ()), *issues]
        body = found.body
        return response if body is response.body else response.replace(body=body)


class _ReplacesScrapy:
    """The one set-up of the guarded versions of Scrapy's middlewares: the original must be
    disabled (both would act on the same responses), and the shared Guards are attached."""

    REPLACES = ""
    guards: Guards

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Any:
        _refuse_alongside(crawler.settings, cls.REPLACES, f"crawler.guards.{cls.__name__}")
        mw = super().from_crawler(crawler)  # type: ignore[misc]
        mw.guards = Guards.for_crawler(crawler)
        return mw


class GuardedHttpCompressionMiddleware(_ReplacesScrapy, HttpCompressionMiddleware):
    """Scrapy's decompression, with a decompression bomb (DOWNLOAD_MAXSIZE exceeded while
    decompressing: Scrapy raises a silent IgnoreRequest) or a corrupt encoding counted and logged."""

    REPLACES = "scrapy.downloadermiddlewares.httpcompression.HttpCompressionMiddleware"

    def process_response(
        self, request: Request, response: Response, spider: Spider | None = None
    ) -> Request | Response:
        try:
            return super().process_response(request, response)
        except IgnoreRequest as exc:
            raise self.guards.skip(request.url, "gzip_bomb", str(exc)) from exc
        except (OSError, EOFError, ValueError) as exc:  # zlib.error is an Exception, see below
            raise self._bad_encoding(request, response, exc) from exc
        except Exception as exc:
            if type(exc).__module__ in ("zlib", "brotli", "zstandard", "struct"):
                raise self._bad_encoding(request, response, exc) from exc
            raise

    def _bad_encoding(self, request: Request, response: Response, exc: Exception) -> GuardSkip:
        encoding = (response.headers.get(b"Content-Encoding") or b"").decode("latin-1")
        if not response.body:
            return self.guards.skip(request.url, "empty_body", f"empty {encoding} body")
        return self.guards.skip(
            request.url, "bad_encoding", f"Content-Encoding {encoding}: {type(exc).__name__}"
        )


# The only schemes a redirect may lead to. Scrapy builds a Request for any other before checking
# it: `javascript:` (no "//") raises ValueError, logged as an ERROR that counts toward the error
# limit, and `file:`/`ftp:`/`data:` leave the 3xx to HttpErrorMiddleware as an `http_3xx` skip.
_FETCHED_SCHEMES = frozenset({"http", "https"})
_DETAIL_URL_MAX = 200  # characters of a refused target in the log: a script can be any length


def unfollowable_redirect(url: str) -> tuple[str, str] | None:
    """(reason, detail) when a redirect to `url` can never be fetched: `javascript_redirect` for
    a script, `non_http_redirect` for any other scheme than http(s); None when it can."""
    try:
        scheme = urlsplit(url).scheme.lower()
    except ValueError:
        return None  # not a URL Scrapy could have built either: its own error path applies
    if scheme in _FETCHED_SCHEMES:
        return None
    shown = url if len(url) <= _DETAIL_URL_MAX else url[:_DETAIL_URL_MAX] + "..."
    if scheme == "javascript":
        return "javascript_redirect", f"to {shown}"
    return "non_http_redirect", f"{scheme or 'no'} scheme: to {shown}"


class _RedirectGuard:
    """Checks every redirect before Scrapy follows it (mixed into both redirect middlewares)."""

    crawler: Crawler
    guards: Guards

    def _build_redirect_request(
        self, source_request: Request, response: Response, *, url: str, **kwargs: Any
    ) -> Request:
        # Both middlewares build the redirected request here, before any scheme check of theirs.
        refused = unfollowable_redirect(url)
        if refused is not None:
            reason, detail = refused
            via = "meta refresh" if response.status < 300 else f"HTTP {response.status}"
            raise self.guards.skip(source_request.url, reason, f"{via} {detail}")
        return super()._build_redirect_request(  # type: ignore[misc]
            source_request, response, url=url, **kwargs
        )

    def _redirect(self, redirected: Request, request: Request, reason: Any) -> Request:
        guards = self.guards
        target = guards.redirect_target(redirected.url)
        if target is None:
            raise guards.refuse(
                request.url, redirected.url, "offsite_redirect", f"{reason} to {redirected.url}"
            )
        if target != redirected.url:
            # Crawling a mirror: a redirect to the production host goes to the mirror instead.
            guards.stats.inc_value("guards/redirect_to_mirror")
            redirected = redirected.replace(url=target)
        chain = [*request.meta.get("redirect_urls", ()), request.url]
        seen = {canonicalize_url(u) for u in chain}
        if canonicalize_url(target) in seen:
            if reason == "meta refresh" and canonicalize_url(target) == canonicalize_url(
                request.url
            ):
                raise _KeepResponse
            raise guards.skip(
                chain[0], "redirect_loop", f"{' -> '.join(chain)} -> {target} ({reason})"
            )
        if is_item_request(request) and not is_item_url(target):
            raise guards.skip(request.url, "redirect_not_article", f"{reason} to {target}")
        try:
            return super()._redirect(redirected, request, reason)  # type: ignore[misc]
        except IgnoreRequest as exc:
            raise guards.skip(
                chain[0], "too_many_redirects", f"{len(chain)} redirects, last to {target}"
            ) from exc


class GuardedRedirectMiddleware(_ReplacesScrapy, _RedirectGuard, RedirectMiddleware):
    """Scrapy's RedirectMiddleware (3xx) with offsite, loop, chain-length and
    article-to-non-article redirects refused, counted and logged."""

    REPLACES = "scrapy.downloadermiddlewares.redirect.RedirectMiddleware"


class GuardedMetaRefreshMiddleware(_ReplacesScrapy, _RedirectGuard, MetaRefreshMiddleware):
    """Scrapy's MetaRefreshMiddleware with the same checks; a refresh to the page itself (news
    sites auto-reload) keeps the page instead of losing it to the dupefilter."""

    REPLACES = "scrapy.downloadermiddlewares.redirect.MetaRefreshMiddleware"

    def process_response(
        self, request: Request, response: Response, spider: Spider | None = None
    ) -> Request | Response:
        try:
            return super().process_response(request, response)
        except _KeepResponse:
            self.guards.stats.inc_value("guards/meta_refresh_self")
            return response
