"""Progress figures and the live bar, without a crawl (end-to-end versions in test_e2e.py)."""

from __future__ import annotations

import io
import logging

import pytest

from crawler.errors import BadSettingError
from crawler.observe import progress
from tests.observe.terminal import screen

STATS = {
    "response_received_count": 1234,
    "item_scraped_count": 800,
    "items/vi": 500,
    "items/en": 300,
    "records/written/article": 600,
    "records/written/album": 40,
    "records/written/vi": 400,
}


def snap(**kwargs):
    args = dict(
        elapsed=312,
        rates=(240.0, 150.0),
        queue=400,
        in_flight=20,
        start_pending=False,
        listings_left=0,
    )
    args.update(kwargs)
    return progress.snapshot(kwargs.pop("stats", STATS), **args)


def test_line_has_every_figure():
    line = progress.format_line(snap())
    assert line == (
        "progress 5m12s: 1,234 pages (240/min), 800 records (150/min; en 300, vi 500), "
        "640 written, queue 400, listings 0 left, ETA 1m45s"
    )


@pytest.mark.parametrize(
    ("kwargs", "why"),
    [
        ({"listings_left": 3, "rates": (0.0, 0.0)}, "listings still being crawled"),
        ({"start_pending": True}, "start requests still being read"),
        ({"queue": None}, "queue size not available"),
        ({"rates": (0.0, 0.0)}, "no responses in the last interval"),
    ],
)
def test_eta_unknown_says_why(kwargs, why):
    s = snap(**kwargs)
    assert s.eta is None
    assert progress.format_line(s).endswith(f"ETA unknown ({why})")


def test_listing_phase_gives_a_lower_bound_and_days():
    # Listings left: more items will be found, so the requests known now bound the ETA below.
    s = snap(listings_left=3, queue=1_000_000, in_flight=0, eta_rate=240.0)
    assert s.eta is None and s.phase == "listings"
    assert s.eta_at_least == 1_000_000 / 4
    assert progress.format_line(s).endswith(
        "listings 3 left, ETA >= 2d21h (listings still being crawled)"
    )
    # The ETA's rate is the long window's, not the last interval's.
    assert snap(rates=(2400.0, 0.0), eta_rate=240.0).eta == 420 / 4


def test_eta_from_ids_left():
    stats = {**STATS, "ids/slugless": True, "ids/already_probed": 100, "ids/probed": 400}
    s = progress.snapshot(
        stats,
        elapsed=60,
        rates=(600.0, 10.0),
        queue=5000,
        in_flight=0,
        start_pending=False,
        listings_left=0,
        id_range=(1, 1000),
    )
    assert s.remaining == 500 and s.eta == 50.0
    assert "ids 500 left" in progress.format_line(s)


def test_nothing_left_is_eta_zero_and_full_bar():
    s = snap(queue=0, in_flight=0)
    assert s.eta == 0.0
    bar = progress.format_bar(s, 120)
    assert bar.startswith("[" + "#" * 10) and "100%" in bar
    assert len(progress.format_bar(s, 40)) <= 40


def test_rates_over_a_window():
    rates = progress.Rates(window=60)
    assert rates.add(0, 0, 0) == (0.0, 0.0)
    assert rates.add(30, 100, 50) == (200.0, 100.0)
    assert rates.add(60, 300, 50) == (300.0, 50.0)
    assert rates.add(120, 300, 50) == (0.0, 0.0)  # nothing in the last minute


class TTY(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture
def tty_logger():
    stream = TTY()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(asctime)s [%(name)s] %(levelname)s: %(message)s"))
    logging.root.addHandler(handler)
    log = logging.getLogger("some.component")
    old = log.level
    log.setLevel(logging.INFO)
    yield stream, log
    log.setLevel(old)
    logging.root.removeHandler(handler)


def test_bar_never_garbles_log_lines(tty_logger):
    stream, log = tty_logger
    bar = progress.LiveBar(stream)
    bar.attach()
    for i in range(5):
        bar.update(f"[####......]  40% {i:,} pages")
        log.info("log line %d with some length to it", i)
    bar.update("[##########] 100% done")
    shown = screen(stream.getvalue())
    assert shown[-1] == "[##########] 100% done"  # the bar sits below the log
    logged = [line for line in shown if "log line" in line]
    assert len(logged) == 5
    for i, line in enumerate(logged):
        assert line.endswith(f"INFO: log line {i} with some length to it")
        assert "[" not in line.split(" [some.component]")[0]  # no bar before the time stamp
        assert "pages" not in line
    bar.detach()
    shown = screen(stream.getvalue())
    assert shown[-1] == ""  # erased for good when the spider closes
    log.info("after")
    assert screen(stream.getvalue())[-2].endswith("INFO: after")


def test_bar_only_wraps_handlers_of_its_stream(tty_logger):
    stream, log = tty_logger
    other = io.StringIO()
    handler = logging.StreamHandler(other)
    logging.root.addHandler(handler)
    try:
        bar = progress.LiveBar(stream)
        bar.attach()
        bar.update("BAR")
        log.info("hello")
        assert "BAR" not in other.getvalue()
        bar.detach()
    finally:
        logging.root.removeHandler(handler)


@pytest.mark.parametrize(
    ("settings", "error"),
    [
        ({"PROGRESS": "loud"}, "PROGRESS"),
        ({"PROGRESS_INTERVAL": 0}, "PROGRESS_INTERVAL"),
        ({"PROGRESS_INTERVAL": "soon"}, "PROGRESS_INTERVAL"),
    ],
)
def test_bad_settings_are_refused(settings, error):
    from scrapy.utils.test import get_crawler

    with pytest.raises(BadSettingError, match=error):
        progress.ProgressExtension.from_crawler(get_crawler(settings_dict=settings))


def test_bar_only_on_a_terminal_in_auto_mode():
    from scrapy.utils.test import get_crawler

    crawler = get_crawler()
    assert progress.ProgressExtension(crawler, "auto", 30, 1, TTY()).bar_wanted
    assert not progress.ProgressExtension(crawler, "lines", 30, 1, TTY()).bar_wanted
    assert not progress.ProgressExtension(crawler, "auto", 30, 1, io.StringIO()).bar_wanted


def test_bar_before_the_work_is_known():
    assert progress.format_bar(snap(listings_left=7), 200).startswith("[crawling listings: 7 left]")
    assert progress.format_bar(snap(start_pending=True), 200).startswith("[ETA not known yet]")
