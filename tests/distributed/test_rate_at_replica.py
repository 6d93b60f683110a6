"""The shared rate, binding, with the project's spider: three workers against the replica, and the
replica's access log shows no more than BURST + RATE * T requests to either edition's host in any
T seconds (the limit is per host, like Scrapy's DOWNLOAD_DELAY)."""

from __future__ import annotations

from bisect import bisect_left
from datetime import datetime

import pytest

from tests.distributed.test_three_workers import start_worker
from tests.support import replica

pytestmark = pytest.mark.e2e

RATE, BURST = 10, 2


def test_shared_rate_at_the_replica(tmp_path, redis_url):
    with replica(tmp_path / "replica", articles=40, extra=["--no-irregular"]) as rep:
        settings = {"DISTRIBUTED_RATE": RATE, "DISTRIBUTED_BURST": BURST}
        procs = [
            start_worker(rep, tmp_path / f"w{i}", redis_url, f"w{i}", settings) for i in range(3)
        ]
        try:
            codes = [p.wait(timeout=150) for p in procs]
        finally:
            for p in procs:
                if p.poll() is None:
                    p.kill()
        access = rep.access()
    assert all(c in (0, 3) for c in codes), codes
    for edition in ("vi", "en"):
        times = sorted(
            datetime.fromisoformat(e["time"].replace("Z", "+00:00")).timestamp()
            for e in access
            if e["edition"] == edition
        )
        for window in (1.0, 5.0):
            worst = max(bisect_left(times, t + window) - i for i, t in enumerate(times))
            assert worst <= BURST + RATE * window + 1, (edition, window, worst)
        # binding: the host saw the requests spread as the rate makes them
        assert times[-1] - times[0] >= (len(times) - BURST) / RATE - 0.5, edition
