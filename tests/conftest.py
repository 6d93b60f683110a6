"""Settings of a whole pytest run, shared by every test process.

The generated-chrome crawls draw fresh chrome seeds every run (tests/e2e/test_generated_chromes.py);
the base they are drawn from is fixed here, before xdist starts its workers (which inherit the
environment), so that every worker collects the same seeds, and printed in the header so that a run
can be replayed: `CHROME_SEED_BASE=<base> make test`.
"""

from __future__ import annotations

import os
import random

import pytest


def pytest_configure(config):
    if not os.environ.get("CHROME_SEED_BASE"):
        os.environ["CHROME_SEED_BASE"] = str(random.SystemRandom().randrange(2**40))


def pytest_report_header(config):
    return f"generated chromes: CHROME_SEED_BASE={os.environ['CHROME_SEED_BASE']}"


# -- xdist scheduling (`make test`: -n 2 --dist loadscope) ------------------------------------------
#
# Work units are modules (or classes), as with plain loadscope, with two changes:
#
# - Modules that share a session-scoped crawl form one unit, so the crawl runs once, on one worker,
#   instead of once on each worker that happens to get one of them.
# - Units are handed out longest first (by the seconds below, measured in a full run on a busy
#   2-core machine), so that a long crawl never starts last and keeps one worker busy while the
#   other has nothing left. The figures only order the units; a unit not listed counts half a
#   second per test.

SHARED_CRAWLS = {
    # the `archive` fixture of tests/export/conftest.py (two crawls)
    "tests/export/test_examples.py": "tests/export[archive]",
    "tests/export/test_parquet.py": "tests/export[archive]",
    "tests/export/test_wacz.py": "tests/export[archive]",
    # the `history` fixture of tests/observe/conftest.py (two crawls)
    "tests/observe/test_e2e.py": "tests/observe[history]",
    "tests/observe/test_docs.py": "tests/observe[history]",
}

UNIT_SECONDS = {
    "tests/e2e/test_full_crawl.py": 430,
    "tests/e2e/test_generated_chromes.py::TestFreshChromes": 125,
    "tests/e2e/test_generated_chromes.py::TestMoreFreshChromes": 120,
    "tests/e2e/test_generated_chromes.py::TestRegressionChromes": 110,
    "tests/observe[history]": 195,
    "tests/e2e/test_crash.py": 190,
    "tests/distributed/test_three_workers.py": 170,
    "tests/e2e/test_refresh.py": 150,
    "tests/export[archive]": 80,
    "tests/e2e/test_spider_modes.py": 70,
    "tests/e2e/test_archive.py": 65,
    "tests/adversarial/test_pathological.py": 60,
    "tests/e2e/test_readme_replica.py": 60,
    "tests/e2e/test_make_demo.py": 60,
    "tests/e2e/test_tombstone_crash.py": 55,
    "tests/commands/test_validation.py": 55,
    "tests/e2e/test_sitemaps.py": 55,
    "tests/e2e/test_streaming.py": 50,
    "tests/unit/test_exit_statuses.py": 50,
    "tests/e2e/test_state_loss.py": 50,
    "tests/e2e/test_old_sections.py": 40,
    "tests/e2e/test_unwritable.py": 40,
    "tests/commands/test_no_run.py": 40,
    "tests/distributed/test_workers.py": 35,
    "tests/e2e/test_misses.py": 35,
    "tests/e2e/test_frontier.py": 35,
    "tests/scrapyd/test_operating_examples.py": 35,
    "tests/distributed/test_operating_examples.py": 30,
    "tests/commands/test_status.py": 30,
    "tests/adversarial/test_image_cap.py": 30,
    "tests/politeness/test_delays.py": 30,
    "tests/e2e/test_sources_crawl.py": 30,
    "tests/adversarial/test_arguments.py": 30,
    "tests/export/test_latest_keep.py": 30,
    "tests/e2e/test_id_gaps.py": 30,
    "tests/distributed/test_rate_at_replica.py": 30,
    "tests/e2e/test_disk_full.py": 30,
    "tests/e2e/test_lock.py": 25,
    "tests/scrapyd/test_scrapyd.py": 25,
    "tests/pages/test_listing_chromes.py": 25,
    "tests/adversarial/test_record_cap.py": 25,
    "tests/commands/test_profiles.py": 25,
    "tests/e2e/test_videos.py": 25,
    "tests/e2e/test_template_learning.py::TestRedesignBetweenRuns": 25,
    "tests/politeness/test_robots.py": 25,
    "tests/e2e/test_warc_loss.py": 20,
    "tests/e2e/test_template_learning.py::TestLearningOnItsOwn": 20,
    "tests/test_replica.py": 20,
    "tests/hostile/test_hostile.py": 20,
    "tests/test_generated_chromes.py": 20,
    "tests/warc/test_crawl.py": 15,
    "tests/adversarial/test_site_down.py": 15,
}


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    if config.getvalue("dist") != "loadscope":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class LongestFirstScopes(LoadScopeScheduling):
        _ordered = False

        def _split_scope(self, nodeid: str) -> str:
            scope = super()._split_scope(nodeid)
            return SHARED_CRAWLS.get(scope.split("::", 1)[0], scope)

        def _assign_work_unit(self, node) -> None:
            if not self._ordered:  # the first call: the whole collection is in the queue
                self._ordered = True
                units = sorted(
                    self.workqueue.items(),
                    key=lambda unit: -UNIT_SECONDS.get(unit[0], 0.5 * len(unit[1])),
                )  # fmt: skip
                self.workqueue.clear()
                self.workqueue.update(units)
            super()._assign_work_unit(node)

    return LongestFirstScopes(config, log)
