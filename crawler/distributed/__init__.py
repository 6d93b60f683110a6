"""Distributed mode: several workers, on one or several hosts, share one crawl through Redis.

One setting turns it on: `REDIS_URL` (e.g. `-s REDIS_URL=redis://10.0.0.5:6379/0`). Without it
nothing here is loaded and nothing needs Redis. With it (docs/operating.md):

- the scheduler queue and the duplicate filter live in Redis (scheduler.DistributedScheduler over
  scrapy-redis), with per-worker processing sets, acknowledgements and a reaper;
- the run id, the per-id merge sets (sections, urls_seen, editions_seen), write claims and the
  count of outstanding listing requests live in Redis (coordinator.Coordinator);
- the request rate to the portal is shared by all workers (ratelimit.RateLimitedDownloadHandler);
- a worker ends when all workers are idle and the queue is empty (worker.WorkerExtension).

Each worker keeps its own OUTPUT_DIR (lock, state store, WARCs, records, reports).
"""

from __future__ import annotations

from typing import Any

from crawler.distributed.connect import enabled, get_coordinator
from crawler.distributed.coordinator import (
    Coordinator,
    DistributedModeError,
    RedisSightings,
)
from crawler.distributed.worker import WorkerExtension

__all__ = [
    "Coordinator",
    "DistributedAddon",
    "DistributedModeError",
    "RedisSightings",
    "enabled",
    "get_coordinator",
]


class DistributedAddon:
    """Switches the components over when REDIS_URL is set; does nothing otherwise."""

    def update_settings(self, settings: Any) -> None:
        if not enabled(settings):
            return
        if settings.get("JOBDIR"):
            raise DistributedModeError(
                "JOBDIR and REDIS_URL exclude each other: in Redis mode the queue and the "
                "duplicate filter already live in Redis"
            )
        settings.set("SCHEDULER", "crawler.distributed.scheduler.DistributedScheduler", "addon")
        settings.set("DUPEFILTER_CLASS", "crawler.distributed.scheduler.ItemDupeFilter", "addon")
        settings.set("SCHEDULER_PERSIST", True, "addon")
        handlers = dict(settings.getwithbase("DOWNLOAD_HANDLERS"))
        settings.set("DISTRIBUTED_HTTP_HANDLER", handlers.get("http"), "addon")
        for scheme in ("http", "https"):
            handlers[scheme] = "crawler.distributed.ratelimit.RateLimitedDownloadHandler"
        settings.set("DOWNLOAD_HANDLERS", handlers, "addon")
        settings.set_in_component_priority_dict("EXTENSIONS", WorkerExtension, 10)
