"""Real crawls of the replica for the observability tests, shared by the session.

`history`: a full crawl (`full=1`) of the replica at epoch 0, then a second one into the same
OUTPUT_DIR after the site moved on one epoch (new, edited and deleted articles) — two comparable
runs (same arguments, both full), so the second report compares, and the articles stream holds two
versions of some ids.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.support import article_records, replica, run_crawl

ARTICLES = 240
SEED = 2


@dataclass
class Run:
    output_dir: Path
    exit_code: int
    report: dict
    log: str

    def file(self, ext: str) -> Path:
        return self.output_dir / "reports" / f"{self.report['run_id']}.{ext}"


def crawl(rep, output_dir: Path, *spider_args: str, settings: dict | None = None) -> Run:
    """One `scrapy crawl` process; its report and its own part of OUTPUT_DIR/crawl.log."""
    log_path = output_dir / "crawl.log"
    before = log_path.stat().st_size if log_path.exists() else 0
    known = set((output_dir / "reports").glob("*.json"))
    result = run_crawl(rep, output_dir, *spider_args, settings=settings)
    with open(log_path, "rb") as fh:
        fh.seek(before)
        log = fh.read().decode("utf-8", errors="replace")
    new = sorted(set((output_dir / "reports").glob("*.json")) - known)
    assert new, f"the crawl wrote no report (exit {result.returncode}):\n{log[-3000:]}"
    report = json.loads(new[-1].read_text(encoding="utf-8"))
    return Run(output_dir, result.returncode, report, log)


@dataclass
class History:
    output_dir: Path
    first: Run
    second: Run
    truth_first: list[dict]
    truth_second: list[dict]

    def records(self) -> list[dict]:
        return article_records(self.output_dir)


@pytest.fixture(scope="session")
def history(tmp_path_factory) -> History:
    folder = tmp_path_factory.mktemp("observe-history")
    out = folder / "out"
    with replica(folder / "rep0", articles=ARTICLES, seed=SEED) as rep:
        first = crawl(rep, out, "full=1", settings={"PROGRESS_INTERVAL": 1})
        truth_first = rep.truth_records()
    with replica(folder / "rep1", articles=ARTICLES, seed=SEED, epoch=1) as rep:
        second = crawl(rep, out, "full=1")
        truth_second = rep.truth_records()
    return History(out, first, second, truth_first, truth_second)
