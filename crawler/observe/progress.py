"""Progress: a line in the log every PROGRESS_INTERVAL seconds, and a live bar on a terminal.

    progress 4m30s: 2,310 pages (520/min), 1,804 records (410/min; vi 1,200, en 604), 1,600 written,
    queue 380, listings 0 left, ETA 1m

Settings:
    PROGRESS            `auto` (default): lines, plus a live bar when stderr is a terminal;
                        `lines`: lines only; `quiet`: neither (cron: only warnings and errors then
                        reach the log, with LOG_LEVEL=WARNING nothing else does).
    PROGRESS_INTERVAL   seconds between progress lines (default 30).
    PROGRESS_BAR_INTERVAL  seconds between redraws of the bar (default 1).

The remaining time is shown only when it is knowable: for `ids=START-END` from the ids still to
probe; otherwise once every listing has been crawled and every start request handed over (no new
articles can be discovered after that), from the requests still queued or in flight. Before that
(the listing phase of a first crawl, which lasts hours on the real site) the line gives a lower
bound, `ETA >= ...`: the requests known so far at the current rate, with the listings left.
Rates shown are over the last interval (like Scrapy's LogStats, which this extension replaces);
the ETA uses the rate over the last ETA_WINDOW seconds, steadier over a run of days.

Every interval (also with PROGRESS=quiet) the figures go to OUTPUT_DIR/progress.json
(crawler/observe/progress_file.py), which `scrapy status` and the deploy scripts read.

The bar is one status line at the bottom of the terminal, redrawn with `\\r`. Log records go to the
same stream, so the bar wraps the emit of every logging handler writing there: it erases itself,
the record is written, and it draws itself again below it — log lines are never garbled, and the
bar is erased for good when the spider closes.
"""

from __future__ import annotations

import logging
import shutil
import sys
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, TextIO

from scrapy import signals
from scrapy.utils.asyncio import create_looping_call

from crawler.errors import BadSettingError
from crawler.observe import progress_file
from crawler.run import get_run, opens_run

logger = logging.getLogger(__name__)

MODES = ("auto", "lines", "quiet")
ETA_WINDOW = 900.0  # seconds of history behind the ETA's rate
CLEAR = "\r\x1b[2K"  # carriage return, erase the whole line


@dataclass
class Snapshot:
    """The figures one progress line shows."""

    elapsed: float
    pages: int
    pages_per_min: float
    records: int
    records_per_min: float
    per_edition: dict[str, int]
    written: int
    queue: int | None
    listings_left: int | None
    remaining: int | None
    eta: float | None
    why_unknown: str = ""
    extra: dict[str, Any] = field(default_factory=dict)
    phase: str = "items"  # listings, items or ids
    eta_at_least: float | None = None  # the listing phase's lower bound
    eta_pages_per_min: float = 0.0  # the rate behind the ETA

    @property
    def done_share(self) -> float | None:
        """Share of the work done, when the remaining work is known."""
        if self.remaining is None:
            return None
        done = self.pages
        return done / (done + self.remaining) if done + self.remaining else 1.0


def fmt_duration(seconds: float | None) -> str:
    if seconds is None:
        return "?"
    s = int(round(seconds))
    if s >= 86400:
        d, rem = divmod(s, 86400)
        return f"{d}d{rem // 3600:02d}h"
    h, rem = divmod(s, 3600)
    m, sec = divmod(rem, 60)
    if h:
        return f"{h}h{m:02d}m"
    if m:
        return f"{m}m{sec:02d}s"
    return f"{sec}s"


def _eta_text(snap: Snapshot) -> str:
    if snap.eta is not None:
        return f"ETA {fmt_duration(snap.eta)}"
    if snap.eta_at_least is not None:
        return f"ETA >= {fmt_duration(snap.eta_at_least)} ({snap.why_unknown})"
    return f"ETA unknown ({snap.why_unknown})" if snap.why_unknown else "ETA unknown"


def format_line(snap: Snapshot) -> str:
    editions = ", ".join(f"{e} {n:,}" for e, n in sorted(snap.per_edition.items()))
    parts = [
        f"{snap.pages:,} pages ({snap.pages_per_min:,.0f}/min)",
        f"{snap.records:,} records ({snap.records_per_min:,.0f}/min"
        + (f"; {editions})" if editions else ")"),
        f"{snap.written:,} written",
    ]
    if snap.queue is not None:
        parts.append(f"queue {snap.queue:,}")
    if snap.listings_left is not None:
        parts.append(f"listings {snap.listings_left:,} left")
    if "ids_left" in snap.extra:
        parts.append(f"ids {snap.extra['ids_left']:,} left")
    parts.append(_eta_text(snap))
    return f"progress {fmt_duration(snap.elapsed)}: " + ", ".join(parts)


def format_bar(snap: Snapshot, width: int) -> str:
    """One terminal line, at most `width` characters."""
    share = snap.done_share
    tail = (
        f" {snap.pages:,} pages {snap.pages_per_min:,.0f}/min | {snap.records:,} records"
        f" | queue {snap.queue if snap.queue is not None else '?'}"
        f" | {fmt_duration(snap.elapsed)} | "
        + (f"ETA {fmt_duration(snap.eta)}" if snap.eta is not None else "ETA ?")
    )
    if share is None:
        left = f": {snap.listings_left:,} left" if snap.listings_left else ""
        head = f"[crawling listings{left}]" if snap.listings_left else "[ETA not known yet]"
    else:
        cells = max(10, min(30, width - len(tail) - 8))
        filled = int(round(share * cells))
        head = "[" + "#" * filled + "." * (cells - filled) + f"] {share * 100:3.0f}%"
    return (head + tail)[: max(width, 1)]


class Rates:
    """Per-minute rates over a sliding window of samples."""

    def __init__(self, window: float) -> None:
        self.window = window
        self.samples: deque[tuple[float, int, int]] = deque()

    def add(self, now: float, pages: int, records: int) -> tuple[float, float]:
        self.samples.append((now, pages, records))
        while len(self.samples) > 2 and now - self.samples[1][0] >= self.window:
            self.samples.popleft()
        t0, p0, r0 = self.samples[0]
        span = now - t0
        if span <= 0:
            return 0.0, 0.0
        return (pages - p0) * 60 / span, (records - r0) * 60 / span


def snapshot(
    stats: dict[str, Any],
    *,
    elapsed: float,
    rates: tuple[float, float],
    queue: int | None,
    in_flight: int | None,
    start_pending: bool,
    listings_left: int | None,
    id_range: tuple[int, int] | None = None,
    eta_rate: float | None = None,
) -> Snapshot:
    """Figures from the crawl's stats and the engine's queue (a pure function, for tests).
    `eta_rate`: pages per minute behind the ETA (default: the interval's rate)."""
    pages_rate, records_rate = rates
    rate = pages_rate if eta_rate is None else eta_rate
    extra: dict[str, Any] = {}
    at_least = None
    if listings_left and queue is not None and rate > 0:
        # Every request known now must still be fetched; listings left add more items.
        at_least = (queue + (in_flight or 0)) / (rate / 60)
    if id_range is not None:
        remaining, why = _ids_left(stats, id_range, extra)
    elif listings_left:
        remaining, why = None, "listings still being crawled"
    elif start_pending:
        remaining, why = None, "start requests still being read"
    elif queue is None:
        remaining, why = None, "queue size not available"
    else:
        remaining, why = queue + (in_flight or 0), ""
    eta = None
    if remaining is not None:
        if remaining == 0:
            eta = 0.0
        elif rate > 0:
            eta = remaining / (rate / 60)
        else:
            why = "no responses in the last interval"
    return Snapshot(
        elapsed=elapsed,
        pages=int(stats.get("response_received_count", 0)),
        pages_per_min=pages_rate,
        records=int(stats.get("item_scraped_count", 0)),
        records_per_min=records_rate,
        per_edition=_per_edition(stats),
        written=sum(stats.get(f"records/written/{kind}", 0) for kind in ("article", "album")),
        queue=queue,
        listings_left=listings_left,
        remaining=remaining,
        eta=eta,
        why_unknown=why,
        extra=extra,
        phase="ids" if id_range is not None else ("listings" if listings_left else "items"),
        eta_at_least=at_least,
        eta_pages_per_min=rate,
    )


def _per_edition(stats: dict[str, Any]) -> dict[str, int]:
    """Records per edition (`items/vi`, `items/en`), in the stats' order."""
    return {
        k[len("items/") :]: v
        for k, v in stats.items()
        if k.startswith("items/") and "/" not in k[6:]
    }


def _ids_left(
    stats: dict[str, Any], id_range: tuple[int, int], extra: dict[str, Any]
) -> tuple[int | None, str]:
    """An ids= run: the ids left to probe (into `extra`), and whether they make an ETA yet."""
    start, end = id_range
    left = (
        (end - start + 1)
        - int(stats.get("ids/already_probed", 0))
        - int(stats.get("ids/probed", 0))
    )
    extra["ids_left"] = max(left, 0)
    if "ids/slugless" in stats:
        return max(left, 0), ""
    return None, "checking that the server resolves bare ids"


class LiveBar:
    """A status line at the bottom of a terminal that log records never garble."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.text = ""
        self.shown = False
        self.lock = threading.RLock()
        self._wrapped: list[tuple[logging.Handler, Any]] = []

    def attach(self) -> None:
        """Wrap the emit of every handler that writes to our stream: erase, emit, redraw."""
        for handler in logging.root.handlers:
            if getattr(handler, "stream", None) is not self.stream:
                continue
            original = handler.emit

            def emit(record: logging.LogRecord, _original: Any = original) -> None:
                with self.lock:
                    self._erase()
                    _original(record)
                    self._draw()

            handler.emit = emit  # type: ignore[method-assign]
            self._wrapped.append((handler, original))

    def detach(self) -> None:
        with self.lock:
            self._erase()
            for handler, original in self._wrapped:
                handler.emit = original  # type: ignore[method-assign]
            self._wrapped.clear()
            self.text = ""

    def update(self, text: str) -> None:
        with self.lock:
            self.text = text
            self._erase()
            self._draw()

    def _erase(self) -> None:
        if self.shown:
            self.stream.write(CLEAR)
            self.stream.flush()
            self.shown = False

    def _draw(self) -> None:
        if self.text:
            self.stream.write(CLEAR + self.text)
            self.stream.flush()
            self.shown = True


class ProgressExtension:
    """Periodic progress lines and, on a terminal, a live bar (see the module docstring)."""

    def __init__(
        self, crawler: Any, mode: str, interval: float, bar_interval: float, stream: TextIO
    ) -> None:
        self.crawler = crawler
        self.mode = mode
        self.interval = interval
        self.bar_interval = bar_interval
        self.stream = stream
        self.started: float | None = None
        self.line_rates = Rates(interval)
        self.bar_rates = Rates(max(interval, 10.0))
        self.bar: LiveBar | None = None
        self.tasks: list[Any] = []
        self.eta_rates = Rates(ETA_WINDOW)
        # progress.json only for a crawl that opens a run (not `scrapy parse`, `shell`, ...).
        self.writes_file = opens_run(crawler.settings)
        self.started_at = datetime.now(UTC)
        self.progress_at = self.started_at
        self.last_pages = 0

    @classmethod
    def from_crawler(cls, crawler: Any) -> ProgressExtension:
        settings = crawler.settings
        mode = (settings.get("PROGRESS") or "auto").strip().lower()
        if mode not in MODES:
            raise BadSettingError("PROGRESS", mode, " or ".join(MODES))
        try:
            interval = settings.getfloat("PROGRESS_INTERVAL", 30.0)
            bar_interval = settings.getfloat("PROGRESS_BAR_INTERVAL", 1.0)
        except ValueError:
            raise BadSettingError(
                "PROGRESS_INTERVAL", settings.get("PROGRESS_INTERVAL"), "seconds > 0"
            ) from None
        if interval <= 0 or bar_interval <= 0:
            raise BadSettingError("PROGRESS_INTERVAL", interval, "seconds > 0")
        ext = cls(crawler, mode, interval, bar_interval, sys.stderr)
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    @property
    def bar_wanted(self) -> bool:
        isatty = getattr(self.stream, "isatty", None)
        return self.mode == "auto" and bool(isatty and isatty())

    def spider_opened(self, spider: Any) -> None:
        self.started = time.monotonic()
        # Rates over the first interval count from the start, not from the first sample.
        self.line_rates.add(self.started, 0, 0)
        self.bar_rates.add(self.started, 0, 0)
        self.eta_rates.add(self.started, 0, 0)
        self.started_at = self.progress_at = datetime.now(UTC)
        task = create_looping_call(self.log_line)
        task.start(self.interval, now=False)
        self.tasks.append(task)
        self.write_file(self.snapshot(self.line_rates))
        if self.mode == "quiet":
            return
        if self.bar_wanted:
            self.bar = LiveBar(self.stream)
            self.bar.attach()
            task = create_looping_call(self.draw_bar)
            task.start(self.bar_interval, now=True)
            self.tasks.append(task)

    def spider_closed(self, spider: Any, reason: str) -> None:
        for task in self.tasks:
            if task.running:
                task.stop()
        self.tasks.clear()
        if self.bar is not None:
            self.bar.detach()
            self.bar = None
        if self.started is not None:
            snap = self.snapshot(self.line_rates)
            self.write_file(snap, finished=reason)
        if self.mode != "quiet" and self.started is not None:
            logger.info(
                "progress done in %s (%s): %s pages, %s records, %s written",
                fmt_duration(snap.elapsed),
                reason,
                f"{snap.pages:,}",
                f"{snap.records:,}",
                f"{snap.written:,}",
            )

    # --- figures ------------------------------------------------------------------------------
    def snapshot(self, rates: Rates) -> Snapshot:
        stats = self.crawler.stats.get_stats()
        now = time.monotonic()
        engine = getattr(self.crawler, "engine", None)
        spider = getattr(self.crawler, "spider", None)
        scheduler = getattr(engine, "scheduler", None)
        try:
            queue = len(scheduler) if scheduler is not None else None
        except Exception:  # a scheduler without __len__, or a shared queue out of reach
            queue = None
        downloader = getattr(engine, "downloader", None)
        in_flight = len(getattr(downloader, "active", ()) or ())
        listings_left = getattr(spider, "listings_outstanding", None)
        return snapshot(
            stats,
            elapsed=now - (self.started or now),
            rates=rates.add(
                now,
                int(stats.get("response_received_count", 0)),
                int(stats.get("item_scraped_count", 0)),
            ),
            queue=queue,
            in_flight=in_flight,
            # Scrapy keeps the start-request iterator until it is exhausted.
            start_pending=getattr(engine, "_start", None) is not None,
            listings_left=listings_left,
            id_range=getattr(spider, "id_range", None),
            eta_rate=self.eta_rates.add(now, int(stats.get("response_received_count", 0)), 0)[0],
        )

    def log_line(self) -> None:
        try:
            snap = self.snapshot(self.line_rates)
        except Exception:  # progress is never worth an error (errors count against the run)
            logger.debug("no progress figures", exc_info=True)
            return
        self.write_file(snap)
        if self.mode != "quiet":
            logger.info(format_line(snap), extra={"progress": snap})

    def write_file(self, snap: Snapshot, finished: str | None = None) -> None:
        """OUTPUT_DIR/progress.json (crawler/observe/progress_file.py); never fails the run."""
        if not self.writes_file:
            return
        if snap.pages > self.last_pages:
            self.last_pages, self.progress_at = snap.pages, datetime.now(UTC)
        try:
            run = get_run(self.crawler)
            if not run.run_id:
                return
            data = progress_file.record(
                snap, run=run, started=self.started_at, progress_at=self.progress_at
            )
            if finished:
                data.update(finished=True, finish_reason=finished, eta_s=0, eta_at=None)
            progress_file.write(run.output_dir, data)
        except OSError:
            logger.debug("progress.json not written", exc_info=True)

    def draw_bar(self) -> None:
        if self.bar is None:
            return
        try:
            width = shutil.get_terminal_size((100, 24)).columns - 1
            self.bar.update(format_bar(self.snapshot(self.bar_rates), width))
        except Exception:
            logger.debug("no progress bar", exc_info=True)
