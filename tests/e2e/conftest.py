"""Session-scoped crawls of the replica, shared by the end-to-end tests so the suite stays fast."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.support import ReplicaHandle, folded_records, latest_report, replica, run_crawl

# Three seeds that select different page chromes and pagination styles (checked in test_seeds_differ).
SEEDS = (1, 2, 3)
ARTICLES = 3000


@dataclass
class Crawl:
    seed: int
    replica: ReplicaHandle
    output_dir: Path
    exit_code: int
    records: list[dict]  # with the run's sightings folded in, as the latest view shows them
    truth: list[dict]
    report: dict


@pytest.fixture(scope="session")
def full_crawls(tmp_path_factory) -> dict[int, Crawl]:
    crawls: dict[int, Crawl] = {}
    with contextlib.ExitStack() as stack:
        for seed in SEEDS:
            folder = tmp_path_factory.mktemp(f"full-seed{seed}")
            rep = stack.enter_context(replica(folder / "replica", articles=ARTICLES, seed=seed))
            out = folder / "out"
            # Page requisites are the archive tests' business; here they would only triple the time.
            result = run_crawl(rep, out, settings={"FETCH_REQUISITES": "False"})
            crawls[seed] = Crawl(
                seed, rep, out, result.returncode, folded_records(out), rep.truth_records(),
                latest_report(out),
            )  # fmt: skip
        yield crawls
