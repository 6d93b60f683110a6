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
  `bad_authority`, `javascript_redirect` (a redirect or meta refresh to `javascript:`),
  `non_http_redirect` (to `file:`, `ftp:`, `data:` or any scheme but http(s)),
  `redirect_not_article`, `timeout`, `data_loss`, `connection_error`, `dns_error`,
  `download_error`, `http_4xx`, `http_5xx` (after retries), `empty_body`, `not_html`, `blank_page`,
  `script_only`, `too_many_tags` (more than GUARD_MAX_TAGS tags), `extract_error`;
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

from crawler.guards.common import (
    DEFAULT_MAX_DEPTH,
    DEFAULT_MAX_TAGS,
    DEFAULT_TITLE_MAX,
    GUARD_ISSUES,
    Guards,
    GuardSkip,
    is_item_request,
    is_item_url,
)
from crawler.guards.downloader import (
    GuardedHttpCompressionMiddleware,
    GuardedMetaRefreshMiddleware,
    GuardedRedirectMiddleware,
    PortalHostsMiddleware,
    ResponseGuardMiddleware,
)
from crawler.guards.scan import (
    Inspection,
    binary_signature,
    classify_body,
    count_tags,
    flatten_deep_nesting,
    has_visible_text,
    inspect_body,
    is_wide,
    looks_truncated,
    repair_headings,
)
from crawler.guards.spider import GuardSpiderMiddleware

__all__ = [
    "DEFAULT_MAX_DEPTH",
    "DEFAULT_MAX_TAGS",
    "DEFAULT_TITLE_MAX",
    "GUARD_ISSUES",
    "GuardSkip",
    "GuardSpiderMiddleware",
    "GuardedHttpCompressionMiddleware",
    "GuardedMetaRefreshMiddleware",
    "GuardedRedirectMiddleware",
    "Guards",
    "Inspection",
    "PortalHostsMiddleware",
    "ResponseGuardMiddleware",
    "binary_signature",
    "classify_body",
    "count_tags",
    "flatten_deep_nesting",
    "has_visible_text",
    "inspect_body",
    "is_item_request",
    "is_item_url",
    "is_wide",
    "looks_truncated",
    "repair_headings",
]
