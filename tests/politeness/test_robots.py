"""robots.txt per RFC 9309, measured at a real server: 4xx allows, 5xx/timeouts fail closed."""

from __future__ import annotations

from tests.politeness.harness import crawl
from tests.politeness.server import Reply, TestServer

PAGES = ["/page/1", "/page/2", "/page/3"]


def robots_then_pages(respond_robots):
    def respond(path: str, n: int) -> Reply:
        return respond_robots(n) if path == "/robots.txt" else Reply()

    return respond


def test_robots_404_allows_everything(tmp_path):
    with TestServer(robots_then_pages(lambda n: Reply(404, b"not found"))) as server:
        result = crawl(server, PAGES, tmp_path)
    assert result.reason == "finished"
    assert len(result.robots()) == 1
    assert sorted(h.path for h in result.pages()) == PAGES
    assert result.stats["politeness/robots/status/404"] == 1


def test_robots_500_always_stops_the_crawl(tmp_path):
    with TestServer(robots_then_pages(lambda n: Reply(500, b"oops"))) as server:
        result = crawl(server, PAGES, tmp_path)  # ROBOTS_MAX_RETRIES default: 4
    assert result.reason == "site_unavailable"
    assert len(result.robots()) == 4 + 1
    assert result.pages() == []  # never crawled past an unreadable robots.txt
    assert result.stats["politeness/robots/unavailable"] == 1
    assert result.stats["skipped/site_unavailable"] >= 1
    assert result.stats["politeness/backoff_seconds"] > 0


def test_robots_500_twice_then_200_proceeds(tmp_path):
    def robots(n: int) -> Reply:
        return Reply(500) if n < 2 else Reply(200, b"User-agent: *\nDisallow: /private/\n")

    with TestServer(robots_then_pages(robots)) as server:
        result = crawl(server, PAGES, tmp_path, ROBOTS_MAX_RETRIES=3)
    assert result.reason == "finished"
    robots_hits = result.robots()
    assert [h.status for h in robots_hits] == [500, 500, 200]
    pages = result.pages()
    assert sorted(h.path for h in pages) == PAGES
    # Nothing went to the host while its robots.txt was unresolved.
    assert min(h.start for h in pages) >= robots_hits[-1].end


def test_robots_timeout_counts_as_unreachable(tmp_path):
    with TestServer(robots_then_pages(lambda n: Reply(200, b"", sleep=1.6))) as server:
        result = crawl(server, PAGES, tmp_path, DOWNLOAD_TIMEOUT=1, ROBOTS_MAX_RETRIES=1)
    assert result.reason == "site_unavailable"
    assert len(result.robots()) == 2
    assert result.pages() == []
    # Scrapy 2.19 raises scrapy.exceptions.DownloadTimeoutError (older: twisted's TimeoutError).
    timeouts = {k: v for k, v in result.stats.items() if k.startswith("politeness/robots/errors/")}
    assert list(timeouts.values()) == [2] and "TimeoutError" in next(iter(timeouts)), timeouts


def test_disallow_is_honoured_and_counted(tmp_path):
    robots = b"User-agent: *\nDisallow: /private/\n"
    paths = ["/page/1", "/private/1", "/page/2", "/private/2"]
    with TestServer(robots_then_pages(lambda n: Reply(200, robots))) as server:
        result = crawl(server, paths, tmp_path)
    assert result.reason == "finished"
    assert sorted(h.path for h in result.pages()) == ["/page/1", "/page/2"]
    assert result.stats["skipped/robots"] == 2
    assert "Forbidden by robots.txt: " in result.log


def test_robots_obey_false_fetches_no_robots(tmp_path):
    with TestServer(robots_then_pages(lambda n: Reply(500))) as server:
        result = crawl(server, PAGES, tmp_path, ROBOTSTXT_OBEY=False)
    assert result.reason == "finished"
    assert result.robots() == []
    assert len(result.pages()) == 3
