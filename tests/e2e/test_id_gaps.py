"""Completeness you can prove (issue 16 point 4): a full crawl reports the article ids no listing or
link named; `-a ids=gaps` probes exactly those and archives the articles only an id reaches.
Real crawls against a replica whose ids are dense (`--id-span`) and which hides five articles from
every page (`--unlisted 5`)."""

from __future__ import annotations

import json
import re

import pytest

from crawler.status import EXIT_CODES
from tests.support import article_records, latest_report, replica, run_crawl

NO_REQUISITES = {"FETCH_REQUISITES": "False"}
PROBE_RE = re.compile(r"^/x-a(\d+)\.html$")
ARTICLES, HIDDEN = 150, 5


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    extra = ["--slugless", "resolve", "--unlisted", str(HIDDEN), "--id-span", str(2 * ARTICLES)]
    with replica(tmp_path_factory.mktemp("gaps"), articles=ARTICLES, seed=7, extra=extra) as rep:
        yield rep


def _log(out):
    return (out / "crawl.log").read_text(encoding="utf-8")[-4000:]


def _markdown(out):
    return sorted((out / "reports").glob("*.md"))[-1].read_text(encoding="utf-8")


def _ranges_file(out, figures):
    path = out / "reports" / figures["ranges_file"]
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _ids(ranges):
    return {n for r in ranges for n in range(r["first"], r["last"] + 1)}


def test_full_crawl_reports_gaps_and_ids_gaps_finds_the_unlisted(site, tmp_path):
    hidden = set(json.loads(site.manifest.read_text())["unlisted"]["article_ids"])
    truth = {t["id"] for t in site.truth_records()}
    out = tmp_path / "out"
    result = run_crawl(site, out, settings=NO_REQUISITES)
    assert result.returncode in (0, 3), _log(out)
    archived = {r["id"] for r in article_records(out)}
    assert archived == truth - {f"baolongan:{n}" for n in hidden}, "the unlisted stay unreached"
    found = latest_report(out)["id_gaps"]
    every_range = _ranges_file(out, found)
    assert found["ranges"] == every_range[: len(found["ranges"])]
    assert found["ranges_count"] == len(every_range)
    gap_ids = _ids(every_range)
    assert found["kind"] == "found" and found["gap_ids"] == len(gap_ids)
    assert hidden <= gap_ids
    article_ids = sorted(int(i.rsplit(":", 1)[1]) for i in archived if i.count(":") == 1)
    assert min(gap_ids) > article_ids[0] and max(gap_ids) < article_ids[-1]
    assert not gap_ids & set(article_ids)
    assert sum(v["ids"] for v in found["by_neighbour_year"].values()) == len(gap_ids)
    assert "## Id gaps" in _markdown(out)

    before = len(site.access())
    result = run_crawl(site, out, "ids=gaps", settings=NO_REQUISITES)
    assert result.returncode == EXIT_CODES["success"], _log(out)
    assert {r["id"] for r in article_records(out)} == truth, "every unlisted article archived"
    probed = {int(m.group(1)) for a in site.access()[before:] if (m := PROBE_RE.match(a["path"]))}
    assert len(probed - gap_ids) == 1, "beyond the gaps, only the known-id check"
    assert gap_ids <= probed, "every gap probed"
    report = latest_report(out)["id_gaps"]
    assert report["kind"] == "probed" and report["gap_ids"] == len(gap_ids)
    assert report["outcomes"]["article"] == HIDDEN
    assert report["outcomes"]["not_found"] == len(gap_ids) - HIDDEN
    assert report["outcomes"]["failed"] == report["outcomes"]["not_probed"] == 0
    assert set(report["found_only_by_probing"]) == {f"baolongan:{n}" for n in hidden}
    probed_ranges = _ranges_file(out, report)
    assert _ids(probed_ranges) == gap_ids
    assert {
        n
        for r in probed_ranges
        if r["outcome"] == "article"
        for n in range(r["first"], r["last"] + 1)
    } == hidden
    assert f"{HIDDEN} found only by probing" in _markdown(out)

    # The same command again probes nothing new: what was probed is remembered.
    before = len(site.access())
    result = run_crawl(site, out, "ids=gaps", settings=NO_REQUISITES)
    assert result.returncode == EXIT_CODES["success"], _log(out)
    again = [a for a in site.access()[before:] if PROBE_RE.match(a["path"])]
    assert len(again) == 1, f"only the known-id check: {again}"
    assert latest_report(out)["id_gaps"]["outcomes"]["article"] == HIDDEN


def test_ids_gaps_without_a_full_crawl_is_refused(site, tmp_path):
    out = tmp_path / "out"
    result = run_crawl(site, out, "ids=gaps", settings=NO_REQUISITES)
    assert result.returncode == EXIT_CODES["bad_arguments"]
    assert "no id gaps are recorded yet" in (out / "crawl.log").read_text(encoding="utf-8")
