"""One crawl run: its folder, id, notion of "now", lock and state store, shared by every component.

`get_run(crawler)` creates the RunContext once per crawler; the RunExtension (crawler/lifecycle.py)
takes the lock when the crawl opens, resumes an unfinished run's id after a crash, and decides the
run's exit status when it closes (crawler.status).
"""

from __future__ import annotations

import errno
import fcntl
import logging
import os
import secrets
import sqlite3
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from scrapy.crawler import Crawler
from scrapy.utils.defer import deferred_from_coro

from crawler.clock import utcnow_iso
from crawler.context import crawl_context
from crawler.distributed.connect import get_coordinator
from crawler.editions import Editions
from crawler.errors import BadSettingError, OutputLockedError, StateUnusableError
from crawler.state import StateStore
from crawler.statecheck import state_problem

logger = logging.getLogger(__name__)

# Sent when the spider closes, before the run's status is decided: components that can find a
# problem only then (crawler.warc.integrity) put it into the stats in time.
run_closing = object()


def opens_run(settings) -> bool:
    """Whether this process archives: only `scrapy crawl` (crawler.commands.crawl) opens a run.

    Scrapy builds the same crawler, with every extension and pipeline, for `parse`, `shell`,
    `fetch`, `check` and `view`; a run opened there left a lock, an unfinished run the next crawl
    "resumed", a WARC and a report that became the newest one. settings.py turns it off, the crawl
    command on; a crawler built outside the project's settings (tests' own runners) archives.
    """
    return settings.getbool("OPEN_RUN", True)


def _edition_url(settings, name: str) -> str:
    value = (settings.get(name) or "").rstrip("/")
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.path not in ("", "/"):
        raise BadSettingError(name, value, "an http(s) base URL such as https://baolongan.vn")
    return value


def _reference_now(settings) -> datetime | None:
    value = settings.get("REFERENCE_NOW") or ""
    if not value:
        return None
    try:
        dt = datetime.fromisoformat(value)
    except ValueError:
        raise BadSettingError("REFERENCE_NOW", value, "an ISO 8601 date or date-time") from None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt


@dataclass
class RunContext:
    """What every component of one run shares."""

    output_dir: Path
    editions: Editions
    fixed_now: datetime | None
    signature: str = ""
    run_id: str = ""
    state: StateStore | None = None
    # Where sightings go: the state store, or Redis in distributed mode (crawler.distributed).
    sightings: Any = None
    distributed: Any = None  # crawler.distributed.Coordinator when REDIS_URL is set
    resumed: bool = False
    mode: str = "full"
    replay_run_id: str | None = None
    disk_full: bool = False
    write_failure: str | None = None  # disk_full or output_unwritable once writes failed
    status: str | None = None
    notes: list[str] = field(default_factory=list)
    started: datetime = field(default_factory=lambda: datetime.now(UTC))
    _lock_fd: int | None = None
    _dir_lock_fd: int | None = None

    def now(self) -> datetime:
        """REFERENCE_NOW when set (tests line it up with the replica), else when the run began:
        one "now" for the whole run, recorded in the WARC files so a replay decides alike."""
        return self.fixed_now or self.started

    @classmethod
    def from_settings(cls, settings) -> RunContext:
        editions = Editions(
            _edition_url(settings, "EDITION_URL_VI"), _edition_url(settings, "EDITION_URL_EN")
        )
        out = settings.get("OUTPUT_DIR") or ""
        if not out:
            raise BadSettingError("OUTPUT_DIR", out, "a folder path")
        for name in ("RECHECK_WINDOW_DAYS", "RECHECK_BUDGET", "INCREMENTAL_OVERLAP_PAGES"):
            if settings.getint(name) < 0:
                raise BadSettingError(name, settings.get(name), "a number >= 0")
        return cls(
            Path(out).resolve(),
            editions,
            _reference_now(settings),
            replay_run_id=settings.get("REPLAY_RUN_ID") or None,
        )

    def open(self, signature: str, full: bool = False) -> None:
        """Take the lock, open the state store and pick the run id (resuming a crashed run).

        The mode is fixed when a run starts: a refresh (`incremental`) when earlier runs archived
        something and `full` is not asked for. A resumed run keeps its mode, so resuming a killed
        first crawl does not turn it into a refresh that stops paging early.
        """
        self.output_dir.mkdir(parents=True, exist_ok=True)
        self._take_lock()
        if problem := state_problem(self.output_dir):
            self.release()
            raise StateUnusableError(self.output_dir, problem)
        try:
            self.state = StateStore(self.output_dir / "state.sqlite3")
        except sqlite3.DatabaseError as error:  # corrupt, and no records beside it
            self.release()
            raise StateUnusableError(
                self.output_dir, f"its state store is unreadable ({error})"
            ) from None
        self.signature = signature
        self.sightings = self.state
        if self.distributed is not None:
            # One run id shared by all workers: the first creates it, the others (and a restarted
            # worker) join it; refuses incremental refresh with a message.
            self.run_id, self.resumed = self.distributed.join_run(
                self.state, signature, utcnow_iso()
            )
            self.mode = "full"  # Redis mode refuses refreshes (join_run says why)
            self.sightings = self.distributed.sightings
            return
        unfinished = self.state.unfinished_run(signature)
        if self.replay_run_id:
            # Offline re-extraction (crawler.reextract): rebuild the archived run under its own id.
            self.run_id = self.replay_run_id
            self.mode = "incremental" if self.state.count_items() and not full else "full"
            self.state.start_run(self.run_id, signature, utcnow_iso(), self.mode)
        elif unfinished:
            self.run_id, self.mode, self.resumed = unfinished["run_id"], unfinished["mode"], True
            logger.warning("resuming unfinished run %s (%s)", self.run_id, self.mode)
        else:
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
            self.run_id = f"{stamp}-{secrets.token_hex(3)}"
            self.mode = "incremental" if self.state.count_items() and not full else "full"
            self.state.start_run(self.run_id, signature, utcnow_iso(), self.mode)

    def open_preview(self, signature: str) -> None:
        """A run that writes nothing (`scrapy parse` and friends): an in-memory state store, so
        the spider and the record pipeline's merge work exactly as in a crawl of an empty folder."""
        self.signature = signature
        self.state = StateStore(":memory:")
        self.sightings = self.state
        self.run_id = f"{datetime.now(UTC).strftime('%Y%m%dT%H%M%SZ')}-{secrets.token_hex(3)}"
        self.mode = "full"

    def _take_lock(self) -> None:
        # flock, not a pid file: the kernel drops the lock when its holder dies, so a lock left
        # by a killed run is taken over without guessing whether a pid is still alive.
        # Two locks: the folder itself, which cannot be deleted while it holds an archive (a
        # deleted run.lock would otherwise let a second run in beside the first), and run.lock,
        # which names the holder for the message.
        dir_fd = os.open(self.output_dir, os.O_RDONLY | os.O_DIRECTORY)
        path = self.output_dir / "run.lock"
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(dir_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 200, 0).decode(errors="replace").strip()
            os.close(fd)
            os.close(dir_fd)
            raise OutputLockedError(
                f"{self.output_dir} is locked by another run ({holder or 'unknown holder'}); "
                "wait for it to finish or use another OUTPUT_DIR"
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"pid={os.getpid()} started={utcnow_iso()}\n".encode(), 0)
        self._lock_fd, self._dir_lock_fd = fd, dir_fd

    def finish(self, status: str, resumable: bool = False) -> None:
        """Mark the run finished. A run killed before this point, or stopped cleanly with
        SIGTERM/SIGINT (`resumable`), is resumed by the next start of the same command."""
        self.status = status
        if self.state and not resumable:
            self.state.finish_run(self.run_id, utcnow_iso(), status)

    def release(self) -> None:
        if self.state:
            try:
                self.state.close()
            except sqlite3.Error as error:  # an unwritable folder: the WAL is replayed on resume
                logger.error("the state store could not be closed cleanly: %s", error)
            self.state = None
        if self._lock_fd is not None:
            os.close(self._lock_fd)  # releases the flock
            self._lock_fd = None
        if self._dir_lock_fd is not None:
            os.close(self._dir_lock_fd)
            self._dir_lock_fd = None


# Errors writing under OUTPUT_DIR that no retry fixes: the run stops, resumably, with the reason.
WRITE_ERRNOS = {
    errno.ENOSPC: "disk_full",
    errno.EDQUOT: "disk_full",
    errno.EROFS: "output_unwritable",  # remounted read-only
    errno.EACCES: "output_unwritable",  # permissions
    errno.EPERM: "output_unwritable",  # immutable (chattr +i)
    errno.EIO: "output_unwritable",  # a failing disk
}
SQLITE_UNWRITABLE = ("disk I/O error", "readonly database", "unable to open database file")
# Stops after which the same command resumes the run (RunContext.finish leaves it unfinished).
RESUMABLE_REASONS = ("shutdown", "disk_full", "output_unwritable")


def write_failure(error: BaseException) -> str | None:
    """`disk_full` or `output_unwritable` when `error` is a failed write under OUTPUT_DIR."""
    if isinstance(error, OSError):
        return WRITE_ERRNOS.get(error.errno)
    if isinstance(error, sqlite3.OperationalError):
        message = str(error)
        if "full" in message:
            return "disk_full"
        if any(m in message for m in SQLITE_UNWRITABLE):
            return "output_unwritable"
    return None


def is_write_failure(error: BaseException) -> bool:
    return write_failure(error) is not None


def is_disk_full(error: BaseException) -> bool:
    return write_failure(error) == "disk_full"


def stop_for_write_failure(crawler: Crawler, error: BaseException) -> None:
    """OUTPUT_DIR takes no more writes (full, read-only, immutable, failing): stop the run
    cleanly with that reason (exit status disk_full or output_unwritable). Lines on disk are
    whole and agree with the state store; the run is left unfinished, so the same command
    resumes it once the folder is writable again."""
    run = get_run(crawler)
    if run.write_failure:
        return
    reason = write_failure(error) or "output_unwritable"
    run.write_failure = reason
    run.disk_full = reason == "disk_full"
    if run.disk_full:
        logger.error("disk full under %s: stopping the run (%s)", run.output_dir, error)
    else:
        logger.error(
            "OUTPUT_DIR %s is not writable (%s): stopping the run; make it writable and run "
            "the same command to resume",
            run.output_dir,
            error,
        )
    crawler.stats.set_value(f"run/{reason}", str(error))
    if crawler.engine is not None:
        # A Deferred, so the close runs: a bare coroutine would never be awaited here.
        deferred_from_coro(crawler.engine.close_spider_async(reason=reason))


stop_for_full_disk = stop_for_write_failure  # the name callers used before any write failure


class DiskFullSpiderMiddleware:
    """A callback that hits a full disk (the state store is under OUTPUT_DIR) stops the run
    instead of becoming one spider error among many."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DiskFullSpiderMiddleware:
        return cls(crawler)

    def process_spider_exception(self, response, exception, spider=None):
        if is_write_failure(exception):
            stop_for_write_failure(self.crawler, exception)
            return []
        return None


def get_run(crawler: Crawler) -> RunContext:
    def make() -> RunContext:
        run = RunContext.from_settings(crawler.settings)
        run.distributed = get_coordinator(crawler)  # None unless REDIS_URL is set
        return run

    return crawl_context(crawler).component(RunContext, make)


def find_run(crawler: Any) -> RunContext | None:
    """The crawler's run if one was made (a report or status of a run that never opened)."""
    return crawl_context(crawler).find(RunContext)
