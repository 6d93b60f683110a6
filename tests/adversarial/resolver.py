"""A DNS resolver for test crawls only: the portal's production host names resolve to 127.0.0.1.

Passed to a test crawl with `-s TWISTED_DNS_RESOLVER=tests.adversarial.resolver.LoopbackResolver`, so a
crawl configured with `EDITION_URL_VI=http://baolongan.vn:PORT` reaches the local test server
and nothing else; any other name fails to resolve (no lookup leaves this machine).
"""

from __future__ import annotations

from typing import Any

from scrapy.resolver import CachingThreadedResolver
from twisted.internet import defer
from twisted.internet.error import DNSLookupError

LOOPBACK_NAMES = frozenset(
    {
        "baolongan.vn",
        "www.baolongan.vn",
        "news.baolongan.vn",
        "www.news.baolongan.vn",
        "image.baolongan.vn",
        "localhost",
        "127.0.0.1",
    }
)


class LoopbackResolver(CachingThreadedResolver):
    def getHostByName(self, name: str, timeout: Any = ()) -> defer.Deferred:  # noqa: N802
        if name.rstrip(".").lower() in LOOPBACK_NAMES:
            return defer.succeed("127.0.0.1")
        return defer.fail(DNSLookupError(f"{name}: not resolved in tests"))
