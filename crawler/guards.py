"""Hostile-input guards: classify bad responses before the spider sees them, count and log each.

Scrapy loses some bad responses without a trace: an IgnoreRequest raised by a middleware (gzip bomb,
too many redirects) reaches no errback of an article request and is never logged above DEBUG; a
redirect back to a URL already seen dies in the dupefilter; offsite redirects are followed because
the spider sets no `allowed_domains` (and Scrapy follows them from start URLs anyway, docs/pitfalls.md);
lxml turns NUL bytes into U+FFFD (the schema then rejects the record), drops everything after
content nested 2,048 deep (255 without huge_tree; docs/pitfalls.md), and lets an <h1> closed by </h2>
swallow the article. Every outcome here is a stats key and a log line naming the URL and a reason
code, and none of them stops the crawl:

- skips, `skipped/<reason>` (logged "skipped <url>: <reason> (<detail>)"): `too_large`, `gzip_bomb`,
  `bad_encoding`, `redirect_loop`, `too_many_redirects`, `offsite_redirect`, `offsite_request`,
  `bad_authority`, `redirect_not_article`, `timeout`, `data_loss`, `connection_error`, `dns_error`,
  `download_error`, `http_4xx`, `http_5xx` (after retries), `empty_body`, `not_html`, `blank_page`,
  `script_only`, `extract_error`;
- records kept with a reason added to `quality_issues` (counted `quality/<reason>` by
  NormalizePipeline, logged "flagged <url>: <reason> (<detail>)"): `nul_bytes` (stripped before
  parsing), `deep_nesting` (wrappers beyond GUARD_MAX_DEPTH unwrapped, so the content survives),
  `heading_repaired` (a heading end tag rewritten to match its start tag, as browsers read it),
  `truncated_html` (no closing body/html tag), `title_too_long` (kept whole, GUARD_TITLE_MAX).
  Every record with any quality issue is logged at INFO: "record <url>: quality issues <codes>".

Components and where they sit (DOWNLOADER_MIDDLEWARES / SPIDER_MIDDLEWARES):

   40 PortalHostsMiddleware          only portal hosts are ever fetched (before robots.txt at 100)
  540 ResponseGuardMiddleware        download errors after retries; empty, non-HTML, script-only
                                     article responses; NUL bytes, headings, nesting, truncation
  580 GuardedMetaRefreshMiddleware   replaces Scrapy's MetaRefreshMiddleware
  590 GuardedHttpCompressionMiddleware  replaces Scrapy's HttpCompressionMiddleware
  600 GuardedRedirectMiddleware      replaces Scrapy's RedirectMiddleware
  550 GuardSpiderMiddleware (spider) HTTP errors left after retries, extraction crashes, flags
                                     onto records

Raw bytes are archived by the WARC middleware (950) before any of these change a response.
"""

from __future__ import annotations

import logging
import re
from collections.abc import AsyncIterator, Iterable
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from itemadapter import ItemAdapter
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
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet import error as txerror
from w3lib.url import canonicalize_url

from crawler import editions as urls
from crawler.politeness.settings_check import refuse_alongside
from crawler.run import get_run

if TYPE_CHECKING:
    from scrapy import Request, Spider
    from scrapy.crawler import Crawler
    from scrapy.http import Response

logger = logging.getLogger(__name__)

GUARD_ISSUES = "guard_issues"  # request.meta key: quality reason codes found in the response
# lxml gives up at 255 levels without huge_tree and at 2,048 with it (measured, libxml2 2.14);
# recursive Python over the tree fails near 1,000. Real pages nest a few dozen levels.
DEFAULT_MAX_DEPTH = 200
DEFAULT_TITLE_MAX = 300  # characters; real titles stay under ~200


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
        # Crawling a mirror or the replica (or production names on another port): production
        # hosts must never be contacted.
        self.mirrored = self.portal.mirrored

    @classmethod
    def for_crawler(cls, crawler: Crawler) -> Guards:
        guards = getattr(crawler, "baolongan_guards", None)
        if guards is None:
            guards = cls(crawler)
            crawler.baolongan_guards = guards
        return guards

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

    def skip(self, url: str, reason: str, detail: str = "") -> GuardSkip:
        self.stats.inc_value(f"skipped/{reason}")
        logger.warning("skipped %s: %s (%s)", url, reason, detail or "-")
        return GuardSkip(reason, detail)

    def flag(self, url: str, reason: str, detail: str = "") -> None:
        logger.warning("flagged %s: %s (%s)", url, reason, detail or "-")


def is_item_url(url: str) -> bool:
    return urls.article_id(url) is not None or urls.album_id(url) is not None


def is_item_request(request: Request) -> bool:
    """An article or album fetch (not a listing, not robots.txt)."""
    return not request.meta.get("listing") and is_item_url(request.url)


def _is_robots(request: Request) -> bool:
    return urlsplit(request.url).path == "/robots.txt"


# One rule for every replacement of a Scrapy component: the original must be disabled.
_refuse_alongside = refuse_alongside


# ---------------------------------------------------------------------------------------------
# Pure checks on response bytes (no Scrapy objects; unit-tested directly)

_WIDE_BOMS = (b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")
_WIDE_CHARSET_RE = re.compile(rb"utf-?(?:16|32)|ucs-?2", re.I)
_MAGIC = (
    (b"%PDF-", "PDF"),
    (b"\x89PNG", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"GIF8", "GIF"),
    (b"PK\x03\x04", "ZIP"),
    (b"RIFF", "RIFF"),
    (b"\x1f\x8b", "gzip"),
    (b"ID3", "MP3"),
    (b"OggS", "Ogg"),
)
# One token at a time, up to the first character a reader would see: markup that shows nothing
# (head, comments, scripts, styles, tags, whitespace, space entities) is skipped whole. Normal
# pages stop within their first kilobytes; only pages with nothing to show are read to the end.
_SHOWN_RE = re.compile(
    rb"<(?:!--.*?-->|(head|script|style|noscript|template|title)\b.*?</\1\s*>|[^>]*>)"
    rb"|&(?:nbsp|#160|#xa0|ensp|emsp|thinsp|zwnj|zwj|#8203);|[\s\x00]+|(.)",
    re.S | re.I,
)
_SCRIPT_RE = re.compile(rb"<script\b", re.I)
_IMG_RE = re.compile(rb"<(?:img|picture|video|iframe)\b", re.I)
_END_RE = re.compile(rb"</(?:html|body)\s*>", re.I)


def is_wide(body: bytes, content_type: str = "") -> bool:
    """UTF-16/32: NUL bytes are part of every ASCII character and byte regexes see nothing."""
    return body.startswith(_WIDE_BOMS) or bool(_WIDE_CHARSET_RE.search(content_type.encode()))


def binary_signature(body: bytes) -> str | None:
    """The kind of a non-text body recognised by its first bytes (PDF, PNG, ...), else None."""
    head = body.lstrip()[:12]
    for magic, name in _MAGIC:
        if head.startswith(magic):
            return name
    return "MP4" if head[4:8] == b"ftyp" else None


def classify_body(body: bytes, content_type: str) -> tuple[str, str] | None:
    """(reason, detail) when an article response holds nothing to extract, else None.

    `content_type` is the Content-Type header ("" when absent)."""
    if not body.strip():
        return "empty_body", f"{len(body)} bytes"
    mime = content_type.split(";", 1)[0].strip().lower()
    if mime and "html" not in mime:
        return "not_html", f"Content-Type {mime}"
    if not is_wide(body, content_type):
        kind = binary_signature(body)
        if kind is not None:
            return "not_html", f"{kind} bytes served as {mime or 'no Content-Type'}"
        if not has_visible_text(body) and not _IMG_RE.search(body):
            if _SCRIPT_RE.search(body):
                return "script_only", "no visible text outside scripts"
            return "blank_page", "no visible text or image"
    return None


def has_visible_text(body: bytes) -> bool:
    """True when some character outside markup, scripts, styles and the head would be shown."""
    return any(m.group(2) for m in _SHOWN_RE.finditer(body))


# A heading, its content (no other heading tag inside), and its end tag. HTML5 parsers (browsers)
# close an open <h1> at </h2> (any heading end tag closes any heading); libxml2 ignores the
# mismatched end tag and nests the rest of the page in the heading, so "the title" becomes the
# whole article (docs/pitfalls.md).
_HEADING_RE = re.compile(
    rb"<h([1-6])\b[^>]*>(?:(?!</?h[1-6]\b).){0,4000}?(</h([1-6])\s*>)", re.S | re.I
)


def repair_headings(body: bytes) -> tuple[bytes, int]:
    """Make each heading's end tag match its start tag, as an HTML5 parser would read it.
    Returns (body, number of end tags rewritten); the body is unchanged when none was."""
    count = 0

    def fix(m: re.Match[bytes]) -> bytes:
        nonlocal count
        if m.group(1) == m.group(3):
            return m.group(0)
        count += 1
        cut = m.start(2) - m.start(0)
        return m.group(0)[:cut] + b"</h" + m.group(1) + b">"

    fixed = _HEADING_RE.sub(fix, body)
    return (fixed, count) if count else (body, 0)


def looks_truncated(body: bytes) -> bool:
    """An HTML document cut short: neither `</body>` nor `</html>` anywhere (looked for in the
    last 4 KB first, where they are)."""
    return _END_RE.search(body, max(0, len(body) - 4096)) is None and _END_RE.search(body) is None


# Tag scanner for nesting depth. Comments, scripts and styles are single tokens (their content is
# not markup). Elements whose end tag is optional or that cannot nest in themselves are not
# counted: libxml2 closes them implicitly, so they never deepen the tree.
_TOKEN_RE = re.compile(
    rb"<!--.*?-->|<(script|style|textarea|title)\b[^>]*>.*?</\1\s*>"
    rb"|<(/?)([a-zA-Z][a-zA-Z0-9:-]*)[^>]*>",
    re.S,
)
_FLAT = frozenset(
    b"area base br col embed hr img input link meta param source track wbr "  # void
    b"p li dt dd option optgroup tr td th thead tbody tfoot colgroup rp rt".split()  # implied end
)
_KEEP_DEEP = frozenset(b"p br img h1 h2 h3 h4 h5 h6 li tr td th".split())


_BOUND_CHUNK = 4096


def _may_nest_deeper(body: bytes, max_depth: int) -> bool:
    """False when nesting cannot go deeper than `max_depth`: an upper bound counted per 4 KB
    chunk with three bytes.count passes (~0.2 ms for 60 KB; a tag scan in Python costs ~10 ms).
    Every start tag of a chunk counts as open at once, and stays open (void elements too, except
    <br>, which editors scatter by the hundred); end tags count from the next chunk on. Stray end
    tags could hide depth from it, but runaway wrappers, which this guards against, have none."""
    carried = 0
    for start in range(0, len(body), _BOUND_CHUNK):
        end = start + _BOUND_CHUNK
        ends = body.count(b"</", start, end)
        starts = body.count(b"<", start, end) - ends - body.count(b"<br", start, end)
        if carried + starts > max_depth:
            return True
        carried = max(0, carried + starts - ends)
    return False


def flatten_deep_nesting(body: bytes, max_depth: int) -> tuple[bytes, int]:
    """Unwrap elements nested deeper than `max_depth` (their text stays, their tags go).

    Returns (body, deepest nesting seen); the body is unchanged when nothing went deeper. lxml
    silently drops every node after content nested ~2,000 levels deep (256 without huge_tree),
    so a page with a runaway wrapper loses its whole article; unwrapping keeps the text.
    Scanning tags in Python costs ~10 ms on a 60 KB page, so `_may_nest_deeper` first bounds
    the depth at C speed; normal pages never get scanned.
    """
    if not _may_nest_deeper(body, max_depth):
        return body, 0
    stack: list[bytes] = []  # open elements kept in the tree
    open_count: dict[bytes, int] = {}
    dropped: dict[bytes, int] = {}  # unwrapped elements still open, by name
    dropped_total = 0
    deepest = 0
    cuts: list[tuple[int, int]] = []
    for m in _TOKEN_RE.finditer(body):
        name = m.group(3)
        if name is None:
            continue
        name = name.lower()
        depth = len(stack) + dropped_total
        if m.group(2):  # end tag
            if dropped.get(name):
                # Unwrapped elements are all deeper than the kept ones: innermost match first.
                dropped[name] -= 1
                dropped_total -= 1
                cuts.append(m.span())
            elif open_count.get(name):
                while stack:
                    top = stack.pop()
                    open_count[top] -= 1
                    if top == name:
                        break
            continue
        if name in _FLAT or m.group(0).endswith(b"/>"):
            if depth >= max_depth and name not in _KEEP_DEEP:
                cuts.append(m.span())
            continue
        deepest = max(deepest, depth + 1)
        if depth >= max_depth:
            dropped[name] = dropped.get(name, 0) + 1
            dropped_total += 1
            cuts.append(m.span())
        else:
            stack.append(name)
            open_count[name] = open_count.get(name, 0) + 1
    if not cuts:
        return body, deepest
    parts, pos = [], 0
    for start, end in cuts:
        parts.append(body[pos:start])
        pos = end
    parts.append(body[pos:])
    return b"".join(parts), deepest


# ---------------------------------------------------------------------------------------------
# Downloader middlewares


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
            return None
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
            return None  # already handled, or robots.txt's own business (politeness)
        reason = "download_error"
        for types, code in _EXCEPTION_REASONS:
            if isinstance(exception, types):
                reason = code
                break
        detail = f"{type(exception).__name__}: {exception}".rstrip(": ")
        if request.meta.get("retry_times"):
            detail += f" (after {request.meta['retry_times']} retries)"
        raise self.guards.skip(request.url, reason, detail) from exception

    def process_response(
        self, request: Request, response: Response, spider: Spider | None = None
    ) -> Response:
        if not 200 <= response.status < 300 or _is_robots(request):
            return response
        ctype = (response.headers.get(b"Content-Type") or b"").decode("latin-1")
        body = response.body
        if is_item_request(request):
            verdict = classify_body(body, ctype)
            if verdict is not None:
                raise self.guards.skip(request.url, *verdict)
        elif ctype and "html" not in ctype.lower():
            return response
        if is_wide(body, ctype):
            return response
        issues: list[str] = []
        nuls = body.count(b"\x00")
        if nuls:
            body = body.replace(b"\x00", b"")
            issues.append("nul_bytes")
            self.guards.flag(request.url, "nul_bytes", f"{nuls} NUL bytes stripped")
        fixed, headings = repair_headings(body)
        if headings:
            body = fixed
            issues.append("heading_repaired")
            self.guards.flag(
                request.url, "heading_repaired", f"{headings} mismatched heading end tag(s)"
            )
        flat, deepest = flatten_deep_nesting(body, self.guards.max_depth)
        if flat is not body:
            body = flat
            issues.append("deep_nesting")
            self.guards.flag(
                request.url,
                "deep_nesting",
                f"nested {deepest} deep, unwrapped below {self.guards.max_depth}",
            )
        if is_item_request(request) and looks_truncated(body):
            issues.append("truncated_html")
            self.guards.flag(request.url, "truncated_html", "no </body> or </html>")
        if not issues:
            return response
        request.meta[GUARD_ISSUES] = [*request.meta.get(GUARD_ISSUES, ()), *issues]
        return response if body is response.body else response.replace(body=body)


class GuardedHttpCompressionMiddleware(HttpCompressionMiddleware):
    """Scrapy's decompression, with a decompression bomb (DOWNLOAD_MAXSIZE exceeded while
    decompressing: Scrapy raises a silent IgnoreRequest) or a corrupt encoding counted and logged."""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> GuardedHttpCompressionMiddleware:
        _refuse_alongside(
            crawler.settings,
            "scrapy.downloadermiddlewares.httpcompression.HttpCompressionMiddleware",
            "crawler.guards.GuardedHttpCompressionMiddleware",
        )
        mw = super().from_crawler(crawler)
        mw.guards = Guards.for_crawler(crawler)
        return mw

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


class _RedirectGuard:
    """Checks every redirect before Scrapy follows it (mixed into both redirect middlewares)."""

    crawler: Crawler
    guards: Guards

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


class GuardedRedirectMiddleware(_RedirectGuard, RedirectMiddleware):
    """Scrapy's RedirectMiddleware (3xx) with offsite, loop, chain-length and
    article-to-non-article redirects refused, counted and logged."""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> GuardedRedirectMiddleware:
        _refuse_alongside(
            crawler.settings,
            "scrapy.downloadermiddlewares.redirect.RedirectMiddleware",
            "crawler.guards.GuardedRedirectMiddleware",
        )
        mw = super().from_crawler(crawler)
        mw.guards = Guards.for_crawler(crawler)
        return mw


class GuardedMetaRefreshMiddleware(_RedirectGuard, MetaRefreshMiddleware):
    """Scrapy's MetaRefreshMiddleware with the same checks; a refresh to the page itself (news
    sites auto-reload) keeps the page instead of losing it to the dupefilter."""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> GuardedMetaRefreshMiddleware:
        _refuse_alongside(
            crawler.settings,
            "scrapy.downloadermiddlewares.redirect.MetaRefreshMiddleware",
            "crawler.guards.GuardedMetaRefreshMiddleware",
        )
        mw = super().from_crawler(crawler)
        mw.guards = Guards.for_crawler(crawler)
        return mw

    def process_response(
        self, request: Request, response: Response, spider: Spider | None = None
    ) -> Request | Response:
        try:
            return super().process_response(request, response)
        except _KeepResponse:
            self.guards.stats.inc_value("guards/meta_refresh_self")
            return response


# ---------------------------------------------------------------------------------------------
# Spider middleware


class GuardSpiderMiddleware:
    """Priority 550 (anywhere above HttpErrorMiddleware at 50, whose exceptions it sees first).

    - HTTP errors left after retries (HttpError: no errback took them) -> `skipped/http_4xx|5xx`;
    - an exception in an article/album callback (the extractor choking on a page) ->
      `skipped/extract_error`, logged with its traceback; the crawl goes on;
    - records leaving a callback get the response's guard reason codes, and `title_too_long`,
      added to `quality_issues`.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.guards = Guards.for_crawler(crawler)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> GuardSpiderMiddleware:
        return cls(crawler)

    def process_spider_exception(
        self, response: Response, exception: Exception, spider: Spider | None = None
    ) -> Iterable[Any] | None:
        if isinstance(exception, HttpError):
            status = exception.response.status
            self.guards.skip(response.url, f"http_{status // 100}xx", f"HTTP {status}")
            return None  # HttpErrorMiddleware still counts httperror/* and logs it
        request = getattr(response, "request", None)
        if isinstance(exception, IgnoreRequest) or request is None or not is_item_request(request):
            return None
        self.guards.stats.inc_value("skipped/extract_error")
        logger.error(
            "skipped %s: extract_error (%s: %s)",
            response.url,
            type(exception).__name__,
            exception,
            exc_info=exception,
        )
        return []

    def process_spider_output(
        self, response: Response, result: Iterable[Any], spider: Spider | None = None
    ) -> Iterable[Any]:
        for obj in result:
            yield self._annotate(response, obj)

    async def process_spider_output_async(
        self, response: Response, result: AsyncIterator[Any], spider: Spider | None = None
    ) -> AsyncIterator[Any]:
        async for obj in result:
            yield self._annotate(response, obj)

    def _annotate(self, response: Response, obj: Any) -> Any:
        if not ItemAdapter.is_item(obj):
            return obj
        adapter = ItemAdapter(obj)
        if "quality_issues" not in adapter or adapter.get("_tombstone"):
            return obj
        issues = list(response.meta.get(GUARD_ISSUES, ()))
        title = adapter.get("title")
        if isinstance(title, str) and len(title) > self.guards.title_max:
            issues.append("title_too_long")
            self.guards.flag(response.url, "title_too_long", f"{len(title)} characters, kept whole")
        if issues:
            adapter["quality_issues"] = sorted(set(adapter["quality_issues"] or ()) | set(issues))
        if adapter["quality_issues"]:
            logger.info(
                "record %s: quality issues %s", response.url, ", ".join(adapter["quality_issues"])
            )
        return obj
