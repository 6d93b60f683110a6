"""FrontierScheduler: Scrapy's scheduler interface over the on-disk frontier (crawler/frontier/store.py).

Why not Scrapy's own: its in-memory queue costs ~655 bytes per pending request and its duplicate
filter ~98 bytes per URL (docs/pitfalls.md), which a 200,000-article first crawl cannot afford;
its JOBDIR disk queue pops destructively and loses requests in flight on SIGKILL. Here:

- a request is pickled (crawler/frontier/codec.py: Request.to_dict's dict, callbacks by name,
  spider methods and mixins alike) into the queue table; taking it marks it taken, and it leaves
  the file only when the engine is completely done with it (crawler.distributed.engine_hooks),
  so a killed run's taken requests are handed back when the same command resumes it (as the
  Redis processing sets do);
- priorities are honoured within a download slot (listings before articles before requisites), and
  the slot with the fewest active downloads goes first, as scrapy.pqueues.DownloaderAwarePriorityQueue
  does (the project's choice before the frontier);
- the duplicate filter is the `seen` table: an article or album is one key whatever host or slug
  names it (like the Redis mode's ItemDupeFilter), anything else its Scrapy fingerprint. A request
  that cannot be pickled (a lambda callback, an object in meta) waits in memory, with a warning
  and counted as frontier/memory. Its key is then filtered in memory and not kept as seen in the
  file: a kill loses the request, and a resumed run that finds its link again fetches it, where a
  key on disk would have filtered it out for good.
"""

from __future__ import annotations

import contextlib
import heapq
import itertools
import logging
import pickle
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

from scrapy import Request
from scrapy.core.scheduler import BaseScheduler
from scrapy.crawler import Crawler
from twisted.internet import task

from crawler import editions as urls
from crawler.distributed import engine_hooks
from crawler.frontier.codec import RequestCodec
from crawler.frontier.store import FRONTIER_FILE, FrontierStore
from crawler.run import (
    RESUMABLE_REASONS,
    get_run,
    is_write_failure,
    opens_run,
    stop_for_write_failure,
)

logger = logging.getLogger(__name__)


def frontier_path(output_dir: Path) -> Path:
    return output_dir / FRONTIER_FILE


def frontier_key(request: Request, fingerprint: Callable[[Request], bytes]) -> bytes:
    """The key a request is queued and filtered under: one per article or album (a redirect keeps
    URL keys: its target names the item its origin claimed), as
    crawler.distributed.scheduler.ItemDupeFilter; else Scrapy's request fingerprint."""
    if not request.dont_filter and not request.meta.get("redirect_times"):
        item = request.meta.get("dedup_key") or urls.item_id(request.url)
        if item:
            return b"item:" + item.encode()
    return fingerprint(request)


def request_kind(request: Request) -> str:
    """What a pending request is, for `scrapy status` and the progress lines."""
    meta = request.meta
    if meta.get("listing"):
        return "listing"
    if meta.get("requisite"):
        return "requisite"
    if "probe_id" in meta:
        return "probe"
    if "recheck_id" in meta:
        return "recheck"
    return "item" if urls.item_id(request.url) else "other"


class FrontierScheduler(BaseScheduler):
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        settings = crawler.settings
        self.commit_every = settings.getint("FRONTIER_COMMIT_EVERY", 500)
        self.commit_interval = settings.getfloat("FRONTIER_COMMIT_INTERVAL", 1.0)
        self.store: FrontierStore | None = None
        self.spider: Any = None
        self.codec: RequestCodec | None = None
        self.queued: dict[str, int] = {}  # slot -> requests queued in the file
        self.taken: dict[Request, int] = {}  # handed to the engine -> its row
        self.memory: list[tuple[int, int, Request]] = []  # unpicklable requests (rare)
        self.memory_keys: set[bytes] = set()  # their keys: filtered here, not in the file
        self._order = itertools.count()
        self._timer: task.LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> FrontierScheduler:
        return cls(crawler)

    # --- open and close -------------------------------------------------------------------------
    def open(self, spider: Any) -> None:
        self.spider = spider
        self.codec = RequestCodec(spider)
        run = get_run(self.crawler)
        archiving = opens_run(self.crawler.settings)
        if archiving and run.state is None:  # a spider that does not open the run itself
            run.open(getattr(spider, "signature", spider.name))
        if archiving:
            path = frontier_path(run.output_dir)
            path.parent.mkdir(parents=True, exist_ok=True)
            self.store = FrontierStore(path, self.commit_every)
        else:  # `scrapy parse` and friends write nothing under OUTPUT_DIR
            self.store = FrontierStore(":memory:", self.commit_every)
        if run.resumed and self.store.run_id() == run.run_id:
            handed_back = self.store.hand_back()
            if handed_back:
                logger.warning("handed back %d requests the stopped run had taken", handed_back)
            self.stats.set_value("frontier/handed_back", handed_back)
        else:
            self.store.reset(run.run_id)
        self.queued = self.store.queued_by_slot()
        resumed = sum(self.queued.values())
        if resumed:
            logger.info("frontier: %d requests queued from before the resume", resumed)
            self.stats.set_value("frontier/resumed_queued", resumed)
        engine_hooks.on_request_done(self.crawler, self._request_done)
        self._timer = task.LoopingCall(self._commit)
        self._timer.start(self.commit_interval, now=False)

    def close(self, reason: str) -> None:
        if self._timer is not None and self._timer.running:
            self._timer.stop()
        if self.store is None:
            return
        self.stats.set_value("frontier/left_queued", len(self))
        try:
            self.store.close()
        except sqlite3.Error as error:  # an unwritable folder: the last batch is fetched again
            logger.error("the frontier could not be closed cleanly: %s", error)
        path = self.store.path
        if isinstance(path, Path) and reason not in RESUMABLE_REASONS:
            # The run ends here (crawler.lifecycle): nothing will resume this frontier.
            for name in (path.name, path.name + "-wal", path.name + "-shm"):
                path.with_name(name).unlink(missing_ok=True)
            with contextlib.suppress(OSError):  # state/ goes too when nothing else is in it
                path.parent.rmdir()
        self.store = None

    # --- the interface the engine uses ----------------------------------------------------------
    def has_pending_requests(self) -> bool:
        return len(self) > 0

    def __len__(self) -> int:
        return sum(self.queued.values()) + len(self.memory)

    def enqueue_request(self, request: Request) -> bool:
        try:
            return self._enqueue(request)
        except sqlite3.Error as error:
            self._write_failed(error)
            return False

    def next_request(self) -> Request | None:
        if self.memory:
            _priority, _order, request = heapq.heappop(self.memory)
            self.stats.inc_value("scheduler/dequeued/memory")
            self.stats.inc_value("scheduler/dequeued")
            return request
        try:
            return self._next_from_file()
        except sqlite3.Error as error:
            self._write_failed(error)
            return None

    # --- inside ---------------------------------------------------------------------------------
    def _enqueue(self, request: Request) -> bool:
        assert self.store is not None and self.codec is not None
        key = frontier_key(request, self.crawler.request_fingerprinter.fingerprint)
        filtered = not request.dont_filter
        if filtered and (key in self.memory_keys or not self.store.first_sight(key)):
            self.stats.inc_value("frontier/filtered_duplicate")
            return False
        try:
            data = self.codec.encode(request)
        except (ValueError, TypeError, AttributeError, pickle.PicklingError) as error:
            self._keep_in_memory(request, key if filtered else None, error)
            return True
        slot = self.crawler.engine.downloader.get_slot_key(request)
        if self.store.push(slot, request.priority, request_kind(request), key, data) is None:
            self.stats.inc_value("frontier/already_queued")  # e.g. a resumed run's start()
            return False
        self.queued[slot] = self.queued.get(slot, 0) + 1
        self.stats.inc_value("scheduler/enqueued/disk")
        self.stats.inc_value("scheduler/enqueued")
        return True

    def _keep_in_memory(self, request: Request, key: bytes | None, error: Exception) -> None:
        assert self.store is not None
        if key is not None:
            self.store.forget(key)  # seen on disk with no queued request: never fetched again
            self.memory_keys.add(key)
        logger.warning(
            "kept in memory, not in the frontier file (a kill loses it; a resumed run fetches it"
            " when it finds it again): cannot be pickled (%s): %s",
            error,
            request,
        )
        heapq.heappush(self.memory, (-request.priority, next(self._order), request))
        self.stats.inc_value("frontier/memory")
        self.stats.inc_value("scheduler/enqueued")

    def _next_slot(self) -> str | None:
        slots = self.crawler.engine.downloader.slots
        waiting = [s for s, n in self.queued.items() if n > 0]
        if not waiting:
            return None
        return min(waiting, key=lambda s: (len(slots[s].active) if s in slots else 0, s))

    def _next_from_file(self) -> Request | None:
        assert self.store is not None and self.codec is not None
        while (slot := self._next_slot()) is not None:
            got = self.store.take(slot)
            if got is None:  # the count drifted from the file: believe the file
                self.queued[slot] = 0
                continue
            self.queued[slot] -= 1
            seq, data = got
            try:
                request = self.codec.decode(data)
            except (ValueError, TypeError, AttributeError, pickle.UnpicklingError) as error:
                # A callback renamed between the kill and the resume: nothing can run it.
                logger.error("dropped a queued request that cannot be rebuilt: %s", error)
                self.stats.inc_value("frontier/undecodable")
                self.store.finish(seq)
                continue
            self.taken[request] = seq
            self.stats.inc_value("scheduler/dequeued/disk")
            self.stats.inc_value("scheduler/dequeued")
            return request
        return None

    def _request_done(self, request: Request) -> None:
        seq = self.taken.pop(request, None)
        if seq is None or self.store is None:
            return
        try:
            self.store.finish(seq)
        except sqlite3.Error as error:
            self._write_failed(error)

    def _commit(self) -> None:
        if self.store is None:
            return
        try:
            self.store.commit()
        except sqlite3.Error as error:
            self._write_failed(error)

    def _write_failed(self, error: sqlite3.Error) -> None:
        if not is_write_failure(error):
            raise error
        stop_for_write_failure(self.crawler, error)
