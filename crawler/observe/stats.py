"""The crawl's stats collector: Scrapy's MemoryStatsCollector without the per-call shim.

Scrapy 2.19 gives `StatsCollector` a `__getattribute__` that wraps every stats method to warn
about a deprecated `spider=` argument, and looks each attribute up through a raised and caught
AttributeError first (even `self._stats` inside `inc_value`). One `inc_value` then costs ~3.8 µs
instead of ~0.2 µs (measured on this machine). A crawl makes some twenty stats calls per request
(Scrapy's own and ours), so the shim was ~3 % of the crawler's samples in the throughput profile
(tests/benchmarks/RESULTS.md). Plain attribute lookup restores Scrapy's earlier behaviour; the
methods and what they store are MemoryStatsCollector's, unchanged (`spider=` is still accepted,
silently, as before 2.19).

Set as STATS_CLASS in crawler/settings.py; the throughput benchmark's bare spider uses it too, so
the ceiling it measures is not lowered by the shim either.
"""

from __future__ import annotations

from scrapy.statscollectors import MemoryStatsCollector

__all__ = ["StatsCollector"]


class StatsCollector(MemoryStatsCollector):
    __getattribute__ = object.__getattribute__
