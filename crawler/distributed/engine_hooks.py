"""The two places where the distributed mode reaches into Scrapy's engine, kept together.

Scrapy 2.19 offers no public hook for either; both use the engine's per-spider slot (`engine._slot`,
stable since Scrapy 2.0) and fail loudly at start if a Scrapy upgrade changes it, rather than
silently losing acknowledgements (which would keep a crawl from ever ending).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from scrapy import Request
from scrapy.crawler import Crawler


def _slot(crawler: Crawler) -> Any:
    slot = getattr(crawler.engine, "_slot", None)
    if slot is None or not hasattr(slot, "remove_request") or not hasattr(slot, "nextcall"):
        raise RuntimeError(
            "this Scrapy version's engine has no _slot.remove_request/nextcall; the distributed "
            "mode (crawler.distributed.engine_hooks) must be adapted to it"
        )
    return slot


def on_request_done(crawler: Crawler, callback: Callable[[Request], None]) -> None:
    """Call `callback(request)` when the engine is completely done with a request: its callback or
    errback has run, its items have left the pipelines, its child requests (and a retry or redirect
    a downloader middleware made of it) are scheduled. Requests the engine downloads for itself
    (robots.txt) pass here too; the callback ignores what it does not know."""
    slot = _slot(crawler)
    original = slot.remove_request

    def remove_request(request: Request) -> None:
        try:
            callback(request)
        finally:
            original(request)

    slot.remove_request = remove_request


def wake(crawler: Crawler) -> None:
    """Ask the engine to look at the scheduler now rather than at its next 5-second heartbeat: used
    when other workers have queued requests while this one was idle."""
    engine = crawler.engine
    if engine is None or getattr(engine, "_slot", None) is None:
        return
    _slot(crawler).nextcall.schedule()
