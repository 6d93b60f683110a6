"""Crawls of the replica drawn in page chromes nobody wrote (`--chrome-seed N`): one record per
truth item, every field equal to the truth, compared as the full-crawl test does.

Every run crawls `CHROMES` fresh chrome seeds drawn at random (their base is printed and each test id
names its chrome seed, so a failure reproduces with `python -m tests.replica --chrome-seed N
--seed S`), plus every seed that ever failed (chrome_regressions.txt). Each crawl holds about 100
articles and the albums of both editions. Set CHROME_SEED_BASE to replay a whole run's seeds.
"""

from __future__ import annotations

import os
import random
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.e2e.test_full_crawl import COMPARED
from tests.support import folded_records, latest_report, replica, run_crawl

CHROMES = 30
ARTICLES = 100
HERE = Path(__file__).parent


def _base() -> int:
    # Set once per pytest run (tests/conftest.py) so that xdist workers collect the same seeds.
    return int(os.environ.get("CHROME_SEED_BASE") or random.SystemRandom().randrange(2**40))


def fresh_seeds() -> list[int]:
    r = random.Random(_base())
    return [r.randrange(-(2**31), 2**31) for _ in range(CHROMES)]


def regression_seeds() -> list[int]:
    lines = (HERE / "chrome_regressions.txt").read_text(encoding="utf-8").splitlines()
    return [int(line.split("#")[0]) for line in lines if line.split("#")[0].strip()]


def site_seed(chrome_seed: int) -> int:
    return chrome_seed % 7 + 1


@dataclass
class ChromeCrawl:
    seed: int
    chrome_seed: int
    returncode: int
    records: list[dict]  # with the sightings of their run folded in
    truth: dict[str, dict]
    report: dict


def crawl(folder: Path, chrome_seed: int) -> ChromeCrawl:
    seed = site_seed(chrome_seed)
    extra = ["--chrome-seed", str(chrome_seed)]
    with replica(folder / "replica", articles=ARTICLES, seed=seed, extra=extra) as rep:
        out = folder / "out"
        result = run_crawl(rep, out, settings={"FETCH_REQUISITES": "False"})
        truth = {t["id"]: t for t in rep.truth_records()}
    records, report = folded_records(out), latest_report(out)
    return ChromeCrawl(seed, chrome_seed, result.returncode, records, truth, report)


def compare(crawled: ChromeCrawl) -> None:
    records, truth, report = crawled.records, crawled.truth, crawled.report
    seed, chrome_seed = crawled.seed, crawled.chrome_seed
    again = f"(reproduce: python -m tests.replica --seed {seed} --chrome-seed {chrome_seed})"
    assert crawled.returncode in (0, 3), f"exit {crawled.returncode} {report.get('status')} {again}"
    got = [r["id"] for r in records]
    assert len(got) == len(set(got)), f"duplicate ids {again}"
    assert set(got) == set(truth), (
        f"missed {sorted(set(truth) - set(got))[:5]}, extra {sorted(set(got) - set(truth))[:5]} "
        f"{again}"
    )
    assert sum(t["type"] == "album" for t in truth.values()) > 0
    wrong = {
        field: [(r["id"], r.get(field), truth[r["id"]].get(field)) for r in records
                if r.get(field) != truth[r["id"]].get(field)]
        for field in COMPARED
    }  # fmt: skip
    wrong = {f: w for f, w in wrong.items() if w}
    assert not wrong, f"fields differ {again}: " + "; ".join(
        f"{f}: {len(w)} records, first {str(w[0])[:300]}" for f, w in wrong.items()
    )
    template = report.get("template") or {}
    assert template and all(t["pages_learned_from"] > 0 for t in template.values()), template


# A crawl of 100 articles spends much of its time waiting (the replica's 503s with Retry-After, its
# slow pages, process start-up), so a class's crawls run two at a time in the background, in the
# order of its tests, and each test compares its own crawl. Every crawl is still its own replica
# and its own `scrapy crawl` process. A rerun (TestRegressionChromes) crawls again, alone.
AT_ONCE = 2


@pytest.fixture(scope="class")
def crawls(request, tmp_path_factory) -> Iterator[dict[int, Future]]:
    seeds = [
        i.callspec.params["chrome_seed"] for i in request.session.items if i.cls is request.cls
    ]
    with ThreadPoolExecutor(max_workers=AT_ONCE) as pool:
        futures = {n: pool.submit(crawl, tmp_path_factory.mktemp(f"chrome{n}"), n) for n in seeds}
        try:
            yield futures
        finally:
            for future in futures.values():
                future.cancel()


def crawl_and_compare(request, crawls, tmp_path: Path, chrome_seed: int) -> None:
    if getattr(request.node, "execution_count", 1) > 1:  # a rerun: a fresh crawl
        compare(crawl(tmp_path, chrome_seed))
    else:
        compare(crawls[chrome_seed].result())


# Two classes: with --dist loadscope each goes to its own worker.
class TestFreshChromes:
    @pytest.mark.e2e
    @pytest.mark.parametrize("chrome_seed", fresh_seeds()[: CHROMES // 2])
    def test_crawl_equals_truth(self, request, crawls, tmp_path, chrome_seed):
        crawl_and_compare(request, crawls, tmp_path, chrome_seed)


class TestMoreFreshChromes:
    @pytest.mark.e2e
    @pytest.mark.parametrize("chrome_seed", fresh_seeds()[CHROMES // 2 :])
    def test_crawl_equals_truth(self, request, crawls, tmp_path, chrome_seed):
        crawl_and_compare(request, crawls, tmp_path, chrome_seed)


class TestRegressionChromes:
    @pytest.mark.e2e
    @pytest.mark.parametrize("chrome_seed", regression_seeds())
    def test_crawl_equals_truth(self, request, crawls, tmp_path, chrome_seed):
        crawl_and_compare(request, crawls, tmp_path, chrome_seed)
