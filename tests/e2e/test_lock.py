"""The OUTPUT_DIR lock survives the deletion of its lock file: a second run is still turned away."""

from __future__ import annotations

import pytest

from crawler.status import EXIT_CODES
from tests.e2e.processes import kill, log_tail, start, wait_paused
from tests.support import replica, run_crawl

NO_REQUISITES = {"FETCH_REQUISITES": "False"}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    with replica(tmp_path_factory.mktemp("lock-site"), articles=60, seed=5) as rep:
        yield rep


def test_deleting_run_lock_does_not_let_a_second_run_in(site, tmp_path):
    out = tmp_path / "out"
    # The first run sleeps mid-crawl, alive and holding the lock.
    first = start(site, out, pause_at="listing:2", settings=NO_REQUISITES)
    try:
        wait_paused(first, out, "listing")
        (out / "run.lock").unlink()
        second = run_crawl(site, out, settings=NO_REQUISITES, timeout=120)
        assert second.returncode == EXIT_CODES["output_locked"], log_tail(out)
        assert "locked by another run" in log_tail(out, 2000)
        assert first.poll() is None, "the first run must be untouched"
    finally:
        kill(first)
    # Lock released by the holder's death: the same command resumes and finishes the run.
    (out / "paused-listing").unlink()
    done = run_crawl(site, out, settings=NO_REQUISITES)
    assert done.returncode in (0, 3), log_tail(out)
