"""The latest view's stable path and retention (crawler/latest.py): `records/latest.jsonl` is the
newest run's view, and previous runs' `records/latest/<run_id>.jsonl` beyond LATEST_KEEP are gone."""

from __future__ import annotations

from pathlib import Path

import pytest

from crawler.latest import prune_latest
from tests.support import read_jsonl, replica, run_crawl

pytestmark = pytest.mark.e2e


def test_two_runs_stable_path_and_pruning(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with replica(tmp_path / "replica", articles=30, seed=2) as rep:
        settings = {"FETCH_REQUISITES": "False", "LATEST_KEEP": "0"}
        first = run_crawl(rep, out, settings=settings)
        assert first.returncode in (0, 3), (out / "crawl.log").read_text()[-3000:]
        copies_after_first = sorted((out / "records" / "latest").glob("*.jsonl"))
        assert len(copies_after_first) == 1
        second = run_crawl(rep, out, settings=settings)
        assert second.returncode in (0, 3), (out / "crawl.log").read_text()[-3000:]
    stable = out / "records" / "latest.jsonl"
    copies = sorted((out / "records" / "latest").glob("*.jsonl"))
    # LATEST_KEEP=0: only the second run's copy is left, and the stable path is that view.
    assert len(copies) == 1 and copies[0] != copies_after_first[0]
    assert stable.read_bytes() == copies[0].read_bytes()
    assert len(read_jsonl(stable)) > 20
    assert not list((out / "records").glob(".latest.*.tmp"))


@pytest.mark.parametrize(
    "keep, left", [(0, ["r4"]), (1, ["r3", "r4"]), (5, ["r1", "r2", "r3", "r4"])]
)
def test_prune_keeps_the_newest(tmp_path: Path, keep: int, left: list[str]) -> None:
    for run_id in ("r1", "r2", "r3", "r4"):
        (tmp_path / f"{run_id}.jsonl").write_text("{}\n")
    prune_latest(tmp_path, "r4", keep)
    assert sorted(p.stem for p in tmp_path.glob("*.jsonl")) == left
