"""Learning the site's template, end to end against the replica.

1. On its own: a generated chrome with no class or id anywhere (so the article container has none)
   and a static "about" box of prose in the sidebar holding more paragraph text than any article.
   Page by page, with nothing learned, only the title's column tells the article from the box
   (crawler/pages/article/container.py, `density+title`; the case only learning solves, with the
   title in a band of its own, is in tests/pages/test_template.py); a crawl, which learns the
   template from the listings and the pages before, gets every record exact, and its report says
   what it learned.
2. A redesign between two runs on the same OUTPUT_DIR (the replica restarted with another
   `--chrome-seed`): the second run starts from the stored template, notices the pages stopped
   matching, learns again, says so in its report and stats, and its records are still exact.
"""

from __future__ import annotations

import pytest

from crawler.extract import build_record
from tests.benchmarks.extraction import EDITIONS
from tests.e2e.test_full_crawl import COMPARED
from tests.replica import Replica
from tests.replica.generated import GeneratedChrome
from tests.support import folded_records, latest_report, replica, run_crawl

ARTICLES = 100
SETTINGS = {"FETCH_REQUISITES": "False"}


def hard_chrome() -> int:
    """The first chrome seed without any class or id and with the long static prose box."""
    for n in range(10_000):
        c = GeneratedChrome(n).choices
        if c["vocab"] == "none" and c["about_box"] == "long":
            return n
    raise AssertionError("no such chrome seed")


def differing(records: list[dict], truth: dict[str, dict], fields) -> dict[str, int]:
    out: dict[str, int] = {}
    for r in records:
        for f in fields:
            if r.get(f) != truth[r["id"]].get(f):
                out[f] = out.get(f, 0) + 1
    return out


@pytest.fixture(scope="module")
def crawl(tmp_path_factory):
    n = hard_chrome()
    folder = tmp_path_factory.mktemp("learning")
    extra = ["--chrome-seed", str(n)]
    with replica(folder / "rep", articles=ARTICLES, seed=3, extra=extra) as rep:
        result = run_crawl(rep, folder / "out", settings=SETTINGS)
        truth = {t["id"]: t for t in rep.truth_records()}
    out = folder / "out"
    return n, result, truth, folded_records(out), latest_report(out), out


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """Run 1 at epoch 0 in chrome 11, run 2 at epoch 1 in chrome 4242, one OUTPUT_DIR."""
    folder = tmp_path_factory.mktemp("redesign")
    out = folder / "out"
    reports, truths, records = [], [], []
    for epoch, chrome in ((0, 11), (1, 4242)):
        extra = ["--chrome-seed", str(chrome)]
        with replica(
            folder / f"rep{epoch}", articles=ARTICLES, seed=2, epoch=epoch, extra=extra
        ) as rep:
            result = run_crawl(rep, out, settings=SETTINGS)
            truths.append({t["id"]: t for t in rep.truth_records()})
        report = latest_report(out)
        assert result.returncode in (0, 3), report.get("status")
        reports.append(report)
        records.append([r for r in folded_records(out) if r["run_id"] == report["run_id"]])
    return reports, truths, records


class TestLearningOnItsOwn:
    def test_page_by_page_the_title_s_column_tells_the_bodies(self, crawl):
        n = crawl[0]
        rep = Replica(articles=ARTICLES, seed=3, chrome_seed=n)
        wrong = total = by_title = 0
        for t in rep.truth_records():
            if t["type"] != "article":
                continue
            ed = t["editions_seen"][0]
            resp = rep.respond(ed, "GET", t["_path"], {}, attempt=5)
            url = EDITIONS.base(ed) + t["_path"]
            record, strategies, _ = build_record(resp.body, None, url, EDITIONS)
            total += 1
            wrong += record["body_text"] != t["body_text"]
            by_title += strategies.get("body") == "density+title"
        # The box is denser than most articles: without the title's column they came out wrong.
        assert total >= 80 and by_title >= total // 2, (by_title, total)
        assert wrong == 0, (wrong, total)

    def test_the_crawl_learns_and_every_record_is_exact(self, crawl):
        n, result, truth, records, report, _ = crawl
        assert result.returncode in (0, 3), report.get("status")
        assert {r["id"] for r in records} == set(truth)
        assert differing(records, truth, COMPARED) == {}, f"chrome seed {n}"

    def test_the_report_says_what_was_learned(self, crawl):
        _, _, _, _, report, out = crawl
        template = report["template"]
        assert set(template) == {"vi", "en"}
        for t in template.values():
            assert t["fingerprint"] and t["fingerprint_at_start"] == ""
            assert t["pages_learned_from"] >= 10 and t["blocks_judged_chrome"] >= 10
            assert t["redesigns_this_run"] == 0
        md = next((out / "reports").glob(f"{report['run_id']}.md")).read_text(encoding="utf-8")
        assert "## Page template learned from the site" in md
        assert template["vi"]["fingerprint"] in md


class TestRedesignBetweenRuns:
    def test_the_second_run_notices_the_redesign(self, runs):
        reports, _, _ = runs
        first, second = reports[0]["template"], reports[1]["template"]
        assert second["vi"]["fingerprint_at_start"] == first["vi"]["fingerprint"]
        assert second["vi"]["redesigns_this_run"] >= 1
        assert second["vi"]["fingerprint"] not in ("", first["vi"]["fingerprint"])
        assert reports[0]["template"]["vi"]["redesigns_this_run"] == 0

    def test_the_refresh_records_are_still_exact(self, runs):
        _, truths, records = runs
        assert records[1], "the refresh wrote new versions"
        content = [f for f in COMPARED if f not in ("sections",)]
        assert differing(records[1], truths[1], content) == {}
