"""The crawler's one Coordinator (crawler/distributed/coordinator.py), connected from its settings:
the run context, the scheduler, the worker extension and the rate limit all ask here."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from crawler.context import crawl_context
from crawler.distributed.coordinator import Coordinator, DistributedModeError, default_worker_id

if TYPE_CHECKING:
    from scrapy.crawler import Crawler


def enabled(settings: Any) -> bool:
    return bool(settings.get("REDIS_URL"))


def get_coordinator(crawler: Crawler) -> Coordinator | None:
    """The crawler's one Coordinator in Redis mode, else None."""
    if not enabled(crawler.settings):
        return None
    return crawl_context(crawler).component(Coordinator, lambda: _connect(crawler.settings))


def _connect(settings: Any) -> Coordinator:
    """A Coordinator on REDIS_URL; DistributedModeError when Redis does not answer."""
    from scrapy_redis.connection import get_redis_from_settings

    server = get_redis_from_settings(settings)
    try:
        server.ping()
    except Exception as exc:
        raise DistributedModeError(
            f"cannot reach Redis at REDIS_URL={settings.get('REDIS_URL')!r}: {exc}"
        ) from None
    output_dir = Path(settings.get("OUTPUT_DIR") or "output")
    return Coordinator(
        server,
        crawl=settings.get("DISTRIBUTED_CRAWL") or "default",
        worker=settings.get("DISTRIBUTED_WORKER") or default_worker_id(output_dir),
        heartbeat_s=settings.getfloat("DISTRIBUTED_HEARTBEAT_S", 2.0),
        worker_timeout_s=settings.getfloat("DISTRIBUTED_WORKER_TIMEOUT_S", 60.0),
        keep_days=settings.getfloat("DISTRIBUTED_KEEP_DAYS", 7.0),
    )
