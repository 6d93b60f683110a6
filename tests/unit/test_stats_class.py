"""crawler/observe/stats.py: the project's stats collector keeps Scrapy's in-memory stats and
drops Scrapy 2.19's per-call shim."""

from __future__ import annotations

import warnings

from scrapy.statscollectors import MemoryStatsCollector
from scrapy.utils.project import get_project_settings
from scrapy.utils.test import get_crawler

from crawler.observe.stats import StatsCollector


def project_crawler():
    settings = get_project_settings()
    return get_crawler(settings_dict={"STATS_CLASS": settings.get("STATS_CLASS")})


def test_the_project_uses_it():
    assert isinstance(project_crawler().stats, StatsCollector)


def test_methods_are_the_collectors_own_not_wrapped():
    stats = project_crawler().stats
    # Scrapy's shim hands out a wrapper function; a plain lookup gives the bound method.
    for name in ("inc_value", "max_value", "set_value", "get_value", "get_stats"):
        method = getattr(stats, name)
        assert getattr(method, "__func__", None) is getattr(MemoryStatsCollector, name), name


def test_counts_as_scrapys_collector_does():
    ours, scrapys = project_crawler().stats, MemoryStatsCollector(get_crawler())
    for stats in (ours, scrapys):
        stats.open_spider()
        stats.inc_value("pages")
        stats.inc_value("pages", 2)
        stats.max_value("depth", 3)
        stats.max_value("depth", 1)
        stats.min_value("first", 5)
        stats.min_value("first", 4)
        stats.set_value("run/id", "x")
    assert (
        ours.get_stats()
        == scrapys.get_stats()
        == {
            "pages": 3,
            "depth": 3,
            "first": 4,
            "run/id": "x",
        }
    )


def test_spider_argument_still_accepted_quietly():
    stats = project_crawler().stats
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        stats.inc_value("pages", spider=None)
    assert stats.get_value("pages") == 1
