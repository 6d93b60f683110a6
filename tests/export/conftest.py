"""One small real archive shared by the export tests: two runs of the replica, the second after the
site edited, added and removed articles (so the articles stream has versions and tombstones)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support import replica, run_crawl

ARTICLES = 60
# The second run is a refresh that re-checks every archived item, so deletions become tombstones.
SETTINGS = {"FETCH_REQUISITES": "False", "RECHECK_BUDGET": "1000"}


@pytest.fixture(scope="session")
def archive(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("export-archive")
    out = folder / "out"
    for epoch in (0, 1):
        with replica(folder / f"rep{epoch}", articles=ARTICLES, seed=2, epoch=epoch) as rep:
            result = run_crawl(rep, out, settings=SETTINGS)
        assert result.returncode in (0, 3), (out / "crawl.log").read_text()[-3000:]
    return out
