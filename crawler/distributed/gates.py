"""The crawl-wide quality gates of the Redis mode: each worker's field-coverage counters, summed.

Each worker writes a random share of the articles, so its own share of a field can fall under a
gate's level that the crawl as a whole meets (measured: authors 89.6 % on one worker of two against
a 90 % warning level). So each worker enrols when it joins the run, writes its counters to Redis as
it closes (`cov_members`, `cov:<worker>`, `cov_workers`: crawler/distributed/coordinator.py lists
the keys), and, when the crawl is over, judges the sum of every enrolled worker's
(crawler/observe/facts.py). Enrolment, not the registered workers, says whom to wait for: a worker
busy writing its records at the end can miss heartbeats and be reaped, and it still counts.
"""

from __future__ import annotations

import time
from collections import Counter

from crawler.distributed.coordinator import Coordinator, _text

PUBLISHED = "_published"  # a field every published hash has, so that none is ever empty


def enrol(coordinator: Coordinator) -> None:
    """A worker joining (or rejoining) the run: its peers wait for its counters at the end. A share
    it published before a restart is withdrawn until it publishes again, so no peer sums half."""
    members, published = coordinator.key("cov_members"), coordinator.key("cov_workers")
    pipe = coordinator.server.pipeline(transaction=True)
    pipe.sadd(members, coordinator.worker)
    pipe.srem(published, coordinator.worker)
    pipe.expire(members, coordinator.keep_s)
    pipe.execute()


def publish_coverage(coordinator: Coordinator, counters: dict[str, int]) -> None:
    """This worker's field-coverage counters for the run (crawler.observe.coverage), written whole
    as it closes (also when stopped before the crawl is over: its records count; a restart replaces
    the share)."""
    key = coordinator.key(f"cov:{coordinator.worker}")
    workers_key = coordinator.key("cov_workers")
    pipe = coordinator.server.pipeline(transaction=True)
    pipe.delete(key)
    pipe.hset(key, mapping={PUBLISHED: 1, **counters})
    pipe.sadd(workers_key, coordinator.worker)
    pipe.expire(key, coordinator.keep_s)
    pipe.expire(workers_key, coordinator.keep_s)
    pipe.execute()


def crawl_coverage(
    coordinator: Coordinator, wait_s: float
) -> tuple[dict[str, int], list[str], list[str]]:
    """Every published worker's counters, summed: (counters, the workers summed, the enrolled
    workers that had not published after `wait_s` seconds). The workers close within seconds of
    each other once the crawl is idle; one that died and never came back is waited for to the
    end, and named."""
    server = coordinator.server
    deadline = time.monotonic() + wait_s
    while True:
        published = {_text(w) for w in server.smembers(coordinator.key("cov_workers"))}
        members = {_text(w) for w in server.smembers(coordinator.key("cov_members"))}
        waiting = sorted(members - published - {coordinator.worker})
        if not waiting or time.monotonic() >= deadline:
            break
        time.sleep(0.2)
    totals: Counter[str] = Counter()
    for worker in sorted(published):
        for name, value in server.hgetall(coordinator.key(f"cov:{worker}")).items():
            if _text(name) != PUBLISHED:
                totals[_text(name)] += int(value)
    return dict(totals), sorted(published), waiting
