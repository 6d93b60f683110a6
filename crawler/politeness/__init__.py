"""Politeness towards a small provincial news server: robots.txt, Crawl-delay, back-off.

Scrapy 2.19 gaps this package closes (docs/pitfalls.md; Scrapy issue #3849):

- robots.txt answering 5xx or unreachable: Scrapy crawls as if allowed (fails open).
  `RobotsMiddleware` retries with back-off, then closes the crawl as "site_unavailable".
- Crawl-delay: parsed, never acted on. `RobotsMiddleware` + `HostPolicy` make it a per-host floor
  under the downloader slot's delay; `PoliteAutoThrottle` keeps AutoThrottle above it.
- Retry-After ignored, retries immediate: `PoliteRetryMiddleware` waits (back-off or Retry-After)
  without blocking the reactor, and `HostPolicy` slows the whole host on 429/503.

Settings (defaults): ROBOTS_MAX_RETRIES 4, ROBOTS_MAX_AGE 86400, HONOUR_CRAWL_DELAY True,
RETRY_BACKOFF_BASE 2, RETRY_BACKOFF_MAX 60, RETRY_BACKOFF_JITTER 0.2, RETRY_AFTER_MAX 300,
RETRY_BUSY_HTTP_CODES [429, 503].
"""

from crawler.politeness.hosts import HostPolicy
from crawler.politeness.retry import PoliteRetryMiddleware
from crawler.politeness.retry_after import parse_retry_after
from crawler.politeness.robots import RobotsMiddleware
from crawler.politeness.throttle import PoliteAutoThrottle

__all__ = [
    "HostPolicy",
    "PoliteAutoThrottle",
    "PoliteRetryMiddleware",
    "RobotsMiddleware",
    "parse_retry_after",
]
