"""docs/operating.md's Redis-mode examples, run as printed against a real redis-server and the
replica (issue 17).

- `<!-- example:redis-workers needs:redis -->`: the commands of "host A" and "host B", each in
  its own process at the same time (as on two hosts), from this checkout. They must share one run:
  together they write every item of the replica's truth file, each exactly once.
- `<!-- example:redis-watch needs:redis -->`: the inspection and clean-up block, run after the
  workers ended: it must find the run, an empty queue, the items fetched per edition (as many as
  the workers wrote), and leave no key of the crawl behind.

Substitutions, and only these: `redis://10.0.0.5:6379` becomes the test's redis-server on a free
loopback port; the `/srv/baolongan` prefix a folder of the test. The printed commands crawl the
live portal: where the crawl goes comes from the environment instead (BAOLONGAN_EDITION_URL_VI/EN
naming the replica, BAOLONGAN_CRAWL_PROFILE=loopback, as tests/scrapyd/test_operating_examples.py
does), never from the examples.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections import Counter

import pytest
import redis

from tests.export.test_examples import examples
from tests.scrapyd.test_operating_examples import portal_env
from tests.support import ROOT, article_records, replica

pytestmark = pytest.mark.e2e

ARTICLES = 60  # enough pages that both workers join the run before it ends
PREFIX = "/srv/baolongan"
PRINTED_REDIS = "redis://10.0.0.5:6379"


def by_name(name: str):
    return next(e for e in examples() if (e.doc, e.name) == ("operating.md", name))


def hosts(code: str) -> list[str]:
    """The block's commands, one per `# on host ...` comment."""
    parts = re.split(r"^# on host .*\n", code, flags=re.M)
    assert parts[0].strip() == "", code
    return parts[1:]


def test_redis_examples_run_as_printed(tmp_path, redis_url):
    workers, watch = by_name("redis-workers"), by_name("redis-watch")
    local = redis_url.removesuffix("/0")  # redis://127.0.0.1:PORT
    assert f"{PRINTED_REDIS}/0" in workers.code and f"{PRINTED_REDIS}/0" in watch.code
    commands = [
        c.replace(PRINTED_REDIS, local).replace(PREFIX, str(tmp_path)) for c in hosts(workers.code)
    ]
    assert len(commands) == 2, workers.code
    with replica(tmp_path / "replica", articles=ARTICLES) as rep:
        env = {**os.environ, **portal_env(rep), "PYTHONUNBUFFERED": "1"}
        procs = [
            subprocess.Popen(
                ["bash", "-e", "-c", command],
                cwd=ROOT,
                env=env,
                text=True,
                stdout=subprocess.DEVNULL,
                stderr=open(tmp_path / f"host{i}.err", "w"),  # noqa: SIM115
            )  # fmt: skip
            for i, command in enumerate(commands)
        ]
        statuses = [p.wait(timeout=300) for p in procs]
        truth = rep.truth_records()
    logs = [(tmp_path / f"host{i}.err").read_text() for i in range(2)]
    assert all(s in (0, 3) for s in statuses), (statuses, [log[-3000:] for log in logs])
    written = [r for part in ("archive-a", "archive-b") for r in article_records(tmp_path / part)]
    ids = [r["id"] for r in written]
    assert len(ids) == len(set(ids)), "an item written by both workers"
    assert set(ids) == {t["id"] for t in truth}

    server = redis.Redis.from_url(redis_url)
    run = server.get("baolongan:default:current").decode()
    result = subprocess.run(
        ["bash", "-e", "-c", watch.code.replace(PRINTED_REDIS, local)],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    lines = result.stdout.splitlines()
    assert lines[0] == "0", result.stdout  # requests queued
    fetched = Counter(f"items/{r['edition']}" for r in written)
    # HGETALL's field and value lines: items fetched per edition, all workers
    counts = {k: int(v) for k, v in zip(lines, lines[1:], strict=False) if k.startswith("items/")}
    assert counts == dict(fetched), result.stdout
    assert int(lines[-1]) > 0, result.stdout  # the keys DEL removed
    assert run and not list(server.scan_iter("baolongan:default:*")), "the crawl's keys remain"
    server.close()
