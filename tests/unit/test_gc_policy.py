"""crawler/gc_policy.py: the collector is set at engine start, objects alive then are frozen,
cyclic garbage made later is still collected, and bad settings are refused."""

from __future__ import annotations

import gc
import weakref

import pytest
from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.utils.test import get_crawler

from crawler.errors import BadSettingError
from crawler.gc_policy import GcPolicyExtension, gc_thresholds

QUIET = {"MEMUSAGE_ENABLED": False}  # its engine_started wants a running reactor


@pytest.fixture
def gc_restored():
    before = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*before)


class Node:
    def __init__(self) -> None:
        self.me = self  # a reference cycle: only the cyclic collector frees it


def test_engine_start_freezes_and_sets_thresholds(gc_restored):
    crawler = get_crawler(
        settings_dict={"GC_THRESHOLDS": (12_345, 7, 9), "GC_FREEZE_AT_START": True, **QUIET}
    )
    crawler.stats.open_spider()
    extension = GcPolicyExtension.from_crawler(crawler)  # signals hold receivers weakly
    alive_at_start = Node()
    assert gc.is_tracked(alive_at_start)
    assert any(o is alive_at_start for o in gc.get_objects())

    crawler.signals.send_catch_log(signals.engine_started)

    assert extension.freeze and gc.get_threshold() == (12_345, 7, 9)
    # Counted at the freeze (frozen objects freed by reference count since leave the count).
    assert crawler.stats.get_value("gc/frozen_objects") >= gc.get_freeze_count() > 1000
    # Frozen: out of every generation the collector walks.
    assert not any(o is alive_at_start for o in gc.get_objects())
    # Garbage made after the start is still collected.
    later = Node()
    ref = weakref.ref(later)
    del later
    gc.collect()
    assert ref() is None


def test_nothing_to_do_is_not_configured():
    crawler = get_crawler(settings_dict={"GC_THRESHOLDS": None, "GC_FREEZE_AT_START": False})
    with pytest.raises(NotConfigured):
        GcPolicyExtension.from_crawler(crawler)


def test_thresholds_only(gc_restored):
    crawler = get_crawler(
        settings_dict={"GC_THRESHOLDS": "5000,10,10", "GC_FREEZE_AT_START": False, **QUIET}
    )
    crawler.stats.open_spider()
    extension = GcPolicyExtension.from_crawler(crawler)
    crawler.signals.send_catch_log(signals.engine_started)
    assert not extension.freeze and gc.get_threshold() == (5000, 10, 10)
    assert gc.get_freeze_count() == 0
    assert crawler.stats.get_value("gc/frozen_objects") is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [((20_000, 10, 10), (20_000, 10, 10)), ("700,10,10", (700, 10, 10)), (None, None), ("", None)],
)
def test_thresholds_accepted(value, expected):
    assert gc_thresholds(value) == expected


@pytest.mark.parametrize("value", [(1, 2), "a,b,c", (0, 10, 10), (5000, -1, 10), 7])
def test_bad_thresholds_refused(value):
    with pytest.raises(BadSettingError, match="GC_THRESHOLDS"):
        gc_thresholds(value)


def test_the_project_turns_it_on():
    from crawler import settings

    assert settings.EXTENSIONS["crawler.gc_policy.GcPolicyExtension"] is not None
    assert gc_thresholds(settings.GC_THRESHOLDS) is not None and settings.GC_FREEZE_AT_START
