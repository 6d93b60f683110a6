"""Crawl-delay, Retry-After, back-off and per-host concurrency, measured at a real server."""

from __future__ import annotations

import pytest

import crawler.settings as project_settings
from tests.politeness.harness import crawl, gaps
from tests.politeness.server import Reply, TestServer

# The *-group's 5 s would show up as much longer gaps: the group for our UA must win.
ROBOTS_CRAWL_DELAY = b"""User-agent: *
Crawl-delay: 5

User-agent: testbot
Crawl-delay: 1
Disallow: /private/
"""


def test_crawl_delay_spaces_requests_even_with_autothrottle(tmp_path):
    def respond(path: str, n: int) -> Reply:
        return Reply(200, ROBOTS_CRAWL_DELAY) if path == "/robots.txt" else Reply()

    paths = [f"/page/{i}" for i in range(3)]  # plain AutoThrottle: gaps 1.0, 1.0, 0.5, 0.25
    with TestServer(respond) as server:
        # AutoThrottle on with no minimum of its own: it would bring the delay towards 0 for
        # such a fast server; PoliteAutoThrottle keeps it at the Crawl-delay.
        result = crawl(
            server,
            paths,
            tmp_path,
            AUTOTHROTTLE_ENABLED=True,
            AUTOTHROTTLE_START_DELAY=0,
            AUTOTHROTTLE_TARGET_CONCURRENCY=2.0,
        )
    assert result.reason == "finished"
    hits = result.hits()  # robots.txt, then the pages
    assert [h.path for h in hits[1:]] == paths
    measured = gaps(hits)
    assert min(measured) >= 0.9, measured
    assert max(measured) < 3.0, measured  # 1 s from our UA's group, not the *-group's 5 s
    assert result.stats["politeness/crawl_delay"] == 1.0


def test_crawl_delay_ignored_when_not_honoured(tmp_path):
    def respond(path: str, n: int) -> Reply:
        return Reply(200, ROBOTS_CRAWL_DELAY) if path == "/robots.txt" else Reply()

    with TestServer(respond) as server:
        result = crawl(server, [f"/page/{i}" for i in range(4)], tmp_path, HONOUR_CRAWL_DELAY=False)
    pages = result.pages()
    assert len(pages) == 4
    assert pages[-1].start - pages[0].start < 0.9
    assert result.stats["politeness/crawl_delay_ignored"] == 1.0
    assert "politeness/crawl_delay" not in result.stats


def test_retry_after_delays_the_retry_and_pauses_the_host(tmp_path):
    def respond(path: str, n: int) -> Reply:
        if path == "/robots.txt":
            return Reply(404)
        if path == "/page/0" and n == 0:
            return Reply(503, b"busy", {"Retry-After": "2"})
        return Reply(sleep=0.2)  # slow enough that requests are still queued at the 503

    paths = [f"/page/{i}" for i in range(6)]
    with TestServer(respond) as server:
        result = crawl(server, paths, tmp_path)
    assert result.reason == "finished"
    first, retry = result.hits("/page/0")
    assert first.status == 503 and retry.status == 200
    assert retry.start - first.end >= 1.9
    # The whole host was paused, not only the retried URL: nothing started after the 503 was
    # answered until Retry-After had passed, including requests already queued in the slot.
    during = [h for h in result.pages() if first.end + 0.05 < h.start < first.end + 1.9]
    assert during == []
    assert result.stats["politeness/retry_after_waits"] == 1
    assert result.stats["politeness/backoff_seconds"] >= 2
    assert result.stats["politeness/host_slowdowns"] == 1
    assert result.stats["test/pages"] == 6


def test_429_without_retry_after_backs_off_exponentially(tmp_path):
    def respond(path: str, n: int) -> Reply:
        if path == "/robots.txt":
            return Reply(404)
        return Reply(429, b"slow down")

    with TestServer(respond) as server:
        result = crawl(
            server,
            ["/busy"],
            tmp_path,
            RETRY_TIMES=3,
            RETRY_BACKOFF_BASE=0.25,
            RETRY_BACKOFF_MAX=5,
            RETRY_BACKOFF_JITTER=0.1,
        )
    hits = result.hits("/busy")
    assert len(hits) == 4
    g = [b.start - a.end for a, b in zip(hits, hits[1:], strict=False)]
    assert g[0] >= 0.25 * 0.9, g
    assert g[1] > 1.3 * g[0] and g[2] > 1.3 * g[1], g
    assert result.stats["retry/count"] == 3
    assert result.stats["retry/max_reached"] == 1
    assert 1.5 < result.stats["politeness/backoff_seconds"] < 2.0
    assert "politeness/retry_after_waits" not in result.stats


@pytest.mark.parametrize(
    "download_delay",
    [
        # Plain Scrapy 2.19 had 6 of 8 in flight with 0 (see hosts.MIN_SLOT_DELAY).
        0,
        # A delay shorter than the server's answer: the per-host limit, not the delay, binds.
        0.1,
    ],
)
def test_at_most_two_requests_in_flight_per_host(tmp_path, download_delay):
    def respond(path: str, n: int) -> Reply:
        return Reply(404) if path == "/robots.txt" else Reply(sleep=0.3)

    with TestServer(respond) as server:
        # Many global slots: only CONCURRENT_REQUESTS_PER_DOMAIN (the project's) limits the host.
        result = crawl(
            server,
            [f"/page/{i}" for i in range(6)],
            tmp_path,
            DOWNLOAD_DELAY=download_delay,
            CONCURRENT_REQUESTS_PER_DOMAIN=project_settings.CONCURRENT_REQUESTS_PER_DOMAIN,
        )
    assert project_settings.CONCURRENT_REQUESTS_PER_DOMAIN == 2
    assert result.stats["test/pages"] == 6
    assert server.max_inflight == 2


def test_a_long_retry_after_does_not_hold_up_closing(tmp_path):
    def respond(path: str, n: int) -> Reply:
        if path == "/robots.txt":
            return Reply(404)
        return Reply(503, b"busy", {"Retry-After": "30"})

    with TestServer(respond) as server:
        result = crawl(server, ["/page/0"], tmp_path, CLOSESPIDER_TIMEOUT=1)
    assert result.reason == "closespider_timeout"
    assert len(result.hits("/page/0")) == 1
    assert result.elapsed < 8  # not the 30 s the server asked for
