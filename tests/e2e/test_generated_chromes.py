"""Crawls of the replica drawn in page chromes nobody wrote (`--chrome-seed N`): one record per
truth item, every field equal to the truth, compared as the 3 x 3,000 full-crawl test does.

Every run crawls `CHROMES` fresh chrome seeds drawn at random (their base is printed and each test id
names its chrome seed, so a failure reproduces with `python -m tests.replica --chrome-seed N
--seed S`), plus every seed that ever failed (chrome_regressions.txt). Each crawl holds about 100
articles and the albums of both editions. Set CHROME_SEED_BASE to replay a whole run's seeds.
"""

from __future__ import annotations

import os
import random
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


def crawl_and_compare(tmp_path: Path, chrome_seed: int) -> None:
    seed = site_seed(chrome_seed)
    extra = ["--chrome-seed", str(chrome_seed)]
    with replica(tmp_path / "replica", articles=ARTICLES, seed=seed, extra=extra) as rep:
        out = tmp_path / "out"
        result = run_crawl(rep, out, settings={"FETCH_REQUISITES": "False"})
        truth = {t["id"]: t for t in rep.truth_records()}
    records = folded_records(out)  # with the sightings of their run folded in
    report = latest_report(out)
    again = f"(reproduce: python -m tests.replica --seed {seed} --chrome-seed {chrome_seed})"
    assert result.returncode in (0, 3), f"exit {result.returncode} {report.get('status')} {again}"
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


# Two classes: with --dist loadscope each goes to its own worker.
class TestFreshChromes:
    @pytest.mark.e2e
    @pytest.mark.parametrize("chrome_seed", fresh_seeds()[: CHROMES // 2])
    def test_crawl_equals_truth(self, tmp_path, chrome_seed):
        crawl_and_compare(tmp_path, chrome_seed)


class TestMoreFreshChromes:
    @pytest.mark.e2e
    @pytest.mark.parametrize("chrome_seed", fresh_seeds()[CHROMES // 2 :])
    def test_crawl_equals_truth(self, tmp_path, chrome_seed):
        crawl_and_compare(tmp_path, chrome_seed)


class TestRegressionChromes:
    @pytest.mark.e2e
    @pytest.mark.parametrize("chrome_seed", regression_seeds())
    def test_crawl_equals_truth(self, tmp_path, chrome_seed):
        crawl_and_compare(tmp_path, chrome_seed)
