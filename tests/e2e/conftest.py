"""Session-scoped crawls of the replica, shared by the end-to-end tests so the suite stays fast."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.replica import Replica
from tests.support import ReplicaHandle, folded_records, latest_report, replica, run_crawl

# Three seeds that select different page chromes and pagination styles (checked in test_seeds_differ).
SEEDS = (1, 2, 3)
# Each seed used to crawl 3,000 articles; it now gets the fewest that still give every listing of
# its site a next page, as 3,000 did: the English photo section, the shortest listing, has
# articles // 160 albums, so it needs 160 * (page size + 1) articles (1,920 to 2,720 for these
# seeds: 4 pages of the Vietnamese photo section, 11 or more of every other section; checked by
# test_full_crawl.py::test_every_listing_has_a_next_page). Never fewer than MIN_ARTICLES: at 1,500
# the truth files of all three seeds hold every kind of item they hold at 3,000 (every irregular
# page, undated and lead-less articles, translations, agency credits, cross-posts, each date
# precision, and editions_seen, author, translator, image, link and section counts up to 4+).
MIN_ARTICLES = 1500


def articles(seed: int) -> int:
    return max(MIN_ARTICLES, 160 * (Replica(articles=20, seed=seed).cfg.page_size + 1))


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
            rep = stack.enter_context(
                replica(folder / "replica", articles=articles(seed), seed=seed)
            )
            out = folder / "out"
            # Page requisites are the archive tests' business; here they would only triple the time.
            result = run_crawl(rep, out, settings={"FETCH_REQUISITES": "False"})
            crawls[seed] = Crawl(
                seed, rep, out, result.returncode, folded_records(out), rep.truth_records(),
                latest_report(out),
            )  # fmt: skip
        yield crawls
