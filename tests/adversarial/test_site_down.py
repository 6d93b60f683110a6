"""Issue 15 item 11: robots.txt fine but every page answers 503 is a site that is down.

The run used to end as "crawl failed" (exit 1: no records, errors logged), which tells an operator
to look for a bug. The rule (crawler/guards/common.py `site_down`): robots.txt was read, not one
page answered below 500 and at least one failed with a 5xx or a network failure after its retries
-> "site unavailable" (exit 5). A site answering 404 everywhere is up: still exit 1.
"""

from __future__ import annotations

import pytest

from crawler.guards.common import PAGES_ANSWERED, PAGES_DOWN, site_down
from tests.adversarial import crawl
from tests.adversarial.server import HTML, Answer, sites
from tests.hostile import pages


def _every_page(status: int) -> dict[str, Answer]:
    """Routes answering `status` for the home page and every section (robots.txt stays 200)."""
    answer = Answer(status, {"Content-Type": HTML}, f"<html><body>{status}</body></html>".encode())
    routes = {"/": answer}
    for slug, _name, _parent in pages.SECTIONS:
        routes[f"/{slug}/"] = answer
    return routes


def test_every_page_503_is_site_unavailable(tmp_path):
    with sites(_every_page(503), _every_page(503)) as (vi, en):
        result = crawl.run(vi.base, en.base, tmp_path / "out", settings={"RETRY_TIMES": 1})
        hits = vi.paths() + en.paths()
    assert hits.count("/robots.txt") == 2
    assert hits.count("/") == 4, hits  # each home page: once, plus one retry
    assert result.exit_code == 5, result.log[-3000:]
    assert result.report["status"] == "site_unavailable"
    assert result.report["exit_code"] == 5
    assert result.stats.get(PAGES_DOWN) == 2, result.stats
    assert "site unavailable: no page answered" in result.log


def test_every_page_404_is_a_failed_crawl_not_a_site_down(tmp_path):
    with sites(_every_page(404), _every_page(404)) as (vi, en):
        result = crawl.run(vi.base, en.base, tmp_path / "out")
    assert result.exit_code == 1, result.log[-3000:]
    assert result.report["status"] == "crawl_failed"
    assert result.stats.get(PAGES_ANSWERED) == 2, result.stats


@pytest.mark.parametrize(
    ("stats", "down"),
    [
        ({PAGES_DOWN: 3}, True),
        ({PAGES_DOWN: 300, PAGES_ANSWERED: 1}, False),  # one page answered: the site is up
        ({PAGES_ANSWERED: 5}, False),
        ({}, False),  # nothing requested at all (e.g. a resumed run with nothing left)
    ],
)
def test_site_down_rule(stats, down):
    assert site_down(stats) is down
