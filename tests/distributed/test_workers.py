"""Real worker processes (tests/distributed/minispider.py) sharing one crawl of a tiny site through a
real redis-server: a SIGKILLed worker's requests are handed back, the crawl ends only when all are
idle, every item is written once, and the shared rate holds at the server."""

from __future__ import annotations

import time

import redis
from scrapy.settings import Settings

from crawler.distributed import DistributedAddon
from crawler.distributed.coordinator import Coordinator
from tests.distributed.support import MiniSite, kill, mini_site, mini_worker, read_lines


def wait_for(predicate, timeout: float, what: str, step: float = 0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    raise AssertionError(f"timed out waiting for {what}")


def coordinator_for(redis_url: str) -> Coordinator:
    server = redis.Redis.from_url(redis_url)
    c = Coordinator(server, crawl="default", worker="observer")
    c.run_id = wait_for(lambda: server.get("baolongan:default:current"), 30, "the run").decode()
    return c


def test_without_redis_url_the_addon_changes_nothing():
    settings = Settings({"ADDONS": {}})
    before = settings.copy_to_dict()
    DistributedAddon().update_settings(settings)
    assert settings.copy_to_dict() == before


def test_killed_worker_is_reaped_restarted_and_every_item_is_written_once(tmp_path, redis_url):
    site = MiniSite(pages=40, per_page=15, delay=0.1)
    common = {"DISTRIBUTED_HEARTBEAT_S": 0.5, "DISTRIBUTED_WORKER_TIMEOUT_S": 3}
    outs = [tmp_path / f"w{i}" for i in range(3)]
    with mini_site(site) as base:
        procs = [
            mini_worker(base, redis_url, out, {**common, "DISTRIBUTED_WORKER": f"w{i}"})
            for i, out in enumerate(outs)
        ]
        coord = coordinator_for(redis_url)
        # Kill w0 while it holds requests in its processing set, after it wrote some items.
        wait_for(
            lambda: coord.processing("w0") > 0 and len(read_lines(outs[0] / "items.jsonl")) >= 10,
            60, "w0 to hold requests",
        )  # fmt: skip
        kill(procs[0])
        held = coord.processing("w0")
        assert held > 0
        # Another worker's reaper hands them back once w0's heartbeat is older than the timeout.
        wait_for(lambda: "w0" not in coord.workers(), 15, "the reaper", step=0.2)
        assert coord.processing("w0") == 0
        procs[0] = mini_worker(base, redis_url, outs[0], {**common, "DISTRIBUTED_WORKER": "w0"})
        codes = [p.wait(timeout=120) for p in procs]
    assert codes == [0, 0, 0], [o.joinpath("crawl.log").read_text()[-3000:] for o in outs]
    written = [r for out in outs for r in read_lines(out / "items.jsonl")]
    ids = [r["id"] for r in written]
    assert len(ids) == len(set(ids)), "an item written twice"
    assert set(ids) == {f"baolongan:{i}" for i in site.article_ids}
    assert all(r["sections"] for r in written)  # sightings made by any worker reach the writer
    per_worker = {out.name: sum(r["worker"] == out.name for r in written) for out in outs}
    assert all(n > 0 for n in per_worker.values()), per_worker
    # one shared run, rejoined by the restarted worker
    logs = [out.joinpath("crawl.log").read_text() for out in outs]
    assert "rejoins run " + coord.run_id in logs[0]
    assert coord.queued() == 0 and coord.listings_outstanding() == 0


# How late a reserved request may reach the server on a loaded machine: 0.1 s was exceeded once
# (31 arrivals in a window, bound 30) with the suite and a benchmark on two cores. At 0.2 s the
# bound is 33; workers limited each on its own (3 x 25 = 75 a second) or not at all (111 in a
# fraction of a second) still fail it by far.
JITTER_S = 0.2


def test_shared_rate_holds_at_the_server(tmp_path, redis_url):
    rate, burst = 25, 2
    site = MiniSite(pages=10, per_page=10)
    with mini_site(site) as base:
        procs = [
            mini_worker(base, redis_url, tmp_path / f"w{i}",
                        {"DISTRIBUTED_RATE": rate, "DISTRIBUTED_BURST": burst,
                         "DISTRIBUTED_WORKER": f"w{i}", "DISTRIBUTED_HEARTBEAT_S": 0.5})
            for i in range(3)
        ]  # fmt: skip
        codes = [p.wait(timeout=120) for p in procs]
    assert codes == [0, 0, 0]
    times = sorted(e["t"] for e in site.log)
    assert len(times) == 111
    worst = max(sum(1 for u in times if t <= u < t + 1.0) for t in times)
    # GCRA: at most burst + rate * window reservations in any window. The server sees arrivals,
    # each up to JITTER_S after its reservation (three workers and pytest on two busy cores), so
    # a 1 s window of arrivals holds the reservations of a (1 + JITTER_S) s window, plus 1 for
    # the gap at its edge. Unlimited, the 111 pages arrive in a fraction of a second (see span).
    assert worst <= burst + int(rate * (1 + JITTER_S)) + 1, worst
    span = times[-1] - times[0]
    assert span >= (len(times) - burst) / rate - 0.2, span  # it did not run faster than the rate
