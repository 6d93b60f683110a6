"""One real crawl of the hostile portal, shared by every test of test_hostile.py."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.hostile.pages import GoodArticle, good_articles
from tests.hostile.server import Case, HostileServer, load_cases
from tests.support import article_records, latest_report, read_jsonl, run_crawl

# The guards' wiring (crawler/guards.py docstring), which crawler/settings.py must carry.
GUARD_DOWNLOADER_MIDDLEWARES: dict[str, int | None] = {
    "crawler.guards.PortalHostsMiddleware": 40,
    "crawler.guards.ResponseGuardMiddleware": 540,
    "scrapy.downloadermiddlewares.redirect.MetaRefreshMiddleware": None,
    "crawler.guards.GuardedMetaRefreshMiddleware": 580,
    "scrapy.downloadermiddlewares.httpcompression.HttpCompressionMiddleware": None,
    "crawler.guards.GuardedHttpCompressionMiddleware": 590,
    "scrapy.downloadermiddlewares.redirect.RedirectMiddleware": None,
    "crawler.guards.GuardedRedirectMiddleware": 600,
}
GUARD_SPIDER_MIDDLEWARES: dict[str, int | None] = {"crawler.guards.GuardSpiderMiddleware": 550}

RETRY_TIMES = 2  # each 5xx/timeout case is fetched 1 + 2 times
DOWNLOAD_TIMEOUT = 3  # seconds: the timeout cases stall for 12; a loaded machine still answers in 3


@dataclass
class HostileCrawl:
    server: HostileServer
    cases: list[Case]
    goods: list[GoodArticle]
    output_dir: Path
    exit_code: int
    seconds: float
    report: dict[str, Any]
    stats: dict[str, int]  # every integer stat of the final stats dump
    records: dict[str, dict[str, Any]]  # id -> newest record written
    rejected: list[dict[str, Any]]
    log: str


def _wiring() -> dict[str, str]:
    """The guards must be wired in crawler/settings.py itself: the crawl tests the project's own
    settings, so nothing is added on the command line."""
    from crawler import settings as project

    for name, guards in (
        ("DOWNLOADER_MIDDLEWARES", GUARD_DOWNLOADER_MIDDLEWARES),
        ("SPIDER_MIDDLEWARES", GUARD_SPIDER_MIDDLEWARES),
    ):
        current = dict(getattr(project, name, {}) or {})
        missing = {k: v for k, v in guards.items() if current.get(k, "absent") != v}
        assert not missing, f"crawler/settings.py {name} lacks the guards' wiring: {missing}"
    return {}


_STAT_RE = re.compile(r"^[{\s]*'([^']+)': (-?\d+),?\}?$", re.M)


def stats_from_log(log: str) -> dict[str, int]:
    """The integer stats of Scrapy's "Dumping Scrapy stats" block (the report keeps groups only);
    the block's first key follows its opening brace."""
    start = log.rfind("Dumping Scrapy stats")
    if start < 0:
        return {}
    block = log[start:]
    end = block.find("\n20")  # the next log line starts with a timestamp
    return {k: int(v) for k, v in _STAT_RE.findall(block[: end if end > 0 else None])}


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> HostileCrawl:
    cases, goods = load_cases(), good_articles()
    out = tmp_path_factory.mktemp("hostile") / "out"
    with HostileServer(cases, goods) as server:
        settings = {
            "DOWNLOAD_TIMEOUT": DOWNLOAD_TIMEOUT,
            "RETRY_TIMES": RETRY_TIMES,
            **_wiring(),
        }
        started = time.monotonic()
        result = run_crawl(server, out, settings=settings, timeout=300)
        seconds = time.monotonic() - started
        log = (out / "crawl.log").read_text(encoding="utf-8", errors="replace")
        records: dict[str, dict[str, Any]] = {}
        for rec in article_records(out):
            if rec["id"] not in records or rec["version"] >= records[rec["id"]]["version"]:
                records[rec["id"]] = rec
        rejected = [
            r for p in (out / "records" / "rejected").glob("*.jsonl") for r in read_jsonl(p)
        ]
        yield HostileCrawl(
            server=server, cases=cases, goods=goods, output_dir=out,
            exit_code=result.returncode, seconds=seconds, report=latest_report(out),
            stats=stats_from_log(log), records=records, rejected=rejected, log=log,
        )  # fmt: skip
