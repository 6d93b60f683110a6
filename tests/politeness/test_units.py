"""In-process checks of the pieces: Retry-After parsing, back-off, slot floors, wiring errors."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from types import SimpleNamespace

import pytest
from scrapy.core.downloader import Slot
from scrapy.exceptions import NotConfigured
from scrapy.http import Response
from scrapy.utils.test import get_crawler

from crawler.errors import BadSettingError
from crawler.politeness import (
    HostPolicy,
    PoliteRetryMiddleware,
    RobotsMiddleware,
    parse_retry_after,
)
from tests.politeness.harness import BASE_SETTINGS

NOW = datetime(2025, 6, 30, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        ("2", 2.0),
        (b" 120 ", 120.0),
        ("2.5", 2.5),
        ("-5", 0.0),
        (format_datetime(NOW + timedelta(seconds=10), usegmt=True), 10.0),
        (format_datetime(NOW - timedelta(hours=1), usegmt=True), 0.0),
        ("Mon, 30 Jun 2025 12:00:30 GMT", 30.0),
        ("soon", None),
        ("nan", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_retry_after(value, seconds):
    assert parse_retry_after(value, now=NOW) == seconds


def _policy(**settings) -> tuple[HostPolicy, dict[str, Slot]]:
    crawler = get_crawler(settings_dict={**BASE_SETTINGS, **settings})
    slots: dict[str, Slot] = {}
    crawler.engine = SimpleNamespace(downloader=SimpleNamespace(slots=slots))
    return HostPolicy(crawler), slots


def test_backoff_doubles_up_to_the_cap_and_retry_after_is_capped():
    policy, _ = _policy(RETRY_BACKOFF_BASE=2, RETRY_BACKOFF_MAX=60, RETRY_AFTER_MAX=300)
    assert [policy.backoff(a) for a in range(7)] == [2, 4, 8, 16, 32, 60, 60]
    response = Response("http://127.0.0.1/", status=503, headers={"Retry-After": "86400"})
    assert policy.retry_after(response) == 300


def test_crawl_delay_is_a_strict_floor_despite_jitter():
    policy, slots = _policy(DOWNLOAD_DELAY=0.5, DOWNLOAD_DELAY_JITTER=0.5)
    slots["h"] = slot = Slot(2, 0.5, 0.5)
    assert policy.set_crawl_delay("h", 2.0) == 2.0
    assert slot.delay == 2.0 and slot.jitter == 0.0
    assert min(slot.download_delay() for _ in range(200)) >= 2.0


def test_autothrottle_may_raise_the_delay_and_jitter_stays_above_the_floor():
    policy, slots = _policy(AUTOTHROTTLE_ENABLED=True, DOWNLOAD_DELAY_JITTER=0.5)
    slots["h"] = slot = Slot(2, 0.1, 0.5)
    policy.set_crawl_delay("h", 2.0)
    slot.delay = 3.0  # AutoThrottle, for a slow answer
    policy.enforce("h")
    assert slot.delay == 3.0 and slot.jitter == pytest.approx(1 / 3)
    slot.delay = 0.2  # AutoThrottle, for a fast answer
    policy.enforce("h")
    assert slot.delay == 2.0


def test_busy_host_slows_down_then_recovers():
    policy, slots = _policy(DOWNLOAD_DELAY=0.0, RETRY_BACKOFF_BASE=1.0, RETRY_BACKOFF_MAX=8.0)
    slots["h"] = slot = Slot(2, 0.0, 0.5)
    policy.note_busy("h", None)
    policy.note_busy("h", None)
    assert slot.delay == 2.0 and slot.jitter == 0.0
    for _ in range(5):
        policy.note_busy("h", None)
    assert slot.delay == 8.0  # capped at RETRY_BACKOFF_MAX
    for _ in range(40):
        policy.note_good("h")
    assert policy.host("h").busy_delay == 0.0
    assert (
        slot.jitter == 0.5 and slot.delay < 0.01
    )  # back to DOWNLOAD_DELAY (0, see MIN_SLOT_DELAY)


def test_robots_middleware_respects_robotstxt_obey():
    with pytest.raises(NotConfigured):
        RobotsMiddleware(get_crawler(settings_dict={**BASE_SETTINGS, "ROBOTSTXT_OBEY": False}))


def test_scrapys_own_middlewares_must_be_disabled():
    ours_only = {"crawler.politeness.RobotsMiddleware": 100}
    crawler = get_crawler(settings_dict={**BASE_SETTINGS, "DOWNLOADER_MIDDLEWARES": ours_only})
    with pytest.raises(BadSettingError, match="RobotsTxtMiddleware"):
        RobotsMiddleware(crawler)
    with pytest.raises(BadSettingError, match="RetryMiddleware"):
        PoliteRetryMiddleware.from_crawler(crawler)
