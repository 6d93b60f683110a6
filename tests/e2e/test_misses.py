"""Misses are failures (issue 14 point 4): urls_file and ids runs list every URL or id they were
asked for and did not archive, with its reason, in the report; exit 3 when any is missing, exit 1
when nothing asked for was archived. Real crawls against the replica."""

from __future__ import annotations

import pytest

from crawler.status import EXIT_CODES
from tests.support import article_records, latest_report, replica, run_crawl

NO_REQUISITES = {"FETCH_REQUISITES": "False"}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    with replica(
        tmp_path_factory.mktemp("misses"), articles=80, seed=11, extra=["--slugless", "resolve"]
    ) as rep:
        yield rep


def _markdown(out):
    return sorted((out / "reports").glob("*.md"))[-1].read_text(encoding="utf-8")


def test_urls_file_lists_each_url_not_archived_with_its_reason(site, tmp_path):
    truth = [t for t in site.truth_records() if t["type"] == "article"]
    top = max(t["article_id"] for t in truth)
    good = [t["canonical_url"] for t in truth[:3]]
    missing_404 = [
        f"https://baolongan.vn/khong-co-a{top + 1000}.html",
        f"https://baolongan.vn/cung-khong-a{top + 2000}.html",
    ]
    lines = [
        *good,
        missing_404[0],
        "# a comment asks for nothing",
        "https://example.com/elsewhere-a5.html",
        "https://baolongan.vn/kinh-te/",
        missing_404[1],
        "",
    ]
    listed = tmp_path / "urls.txt"
    listed.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    result = run_crawl(site, out, f"urls_file={listed}", settings=NO_REQUISITES)
    assert result.returncode == EXIT_CODES["success_with_warnings"], (
        out / "crawl.log"
    ).read_text()[-3000:]
    assert {r["id"] for r in article_records(out)} == {t["id"] for t in truth[:3]}
    asked = latest_report(out)["requested"]
    assert (asked["asked"], asked["archived"], asked["missing_count"]) == (7, 3, 4)
    got = {(m["line"], m["url"], m["reason"]) for m in asked["missing"]}
    assert got == {
        (4, missing_404[0], "http_404"),
        (6, "https://example.com/elsewhere-a5.html", "not_portal"),
        (7, "https://baolongan.vn/kinh-te/", "not_an_item"),
        (8, missing_404[1], "http_404"),
    }
    md = _markdown(out)
    assert "## Not archived" in md
    assert "3 of 7 URLs archived; 4 missing" in md
    for url in (*missing_404, "https://example.com/elsewhere-a5.html"):
        assert f"`{url}`" in md


def test_urls_file_that_archives_nothing_is_a_failed_crawl(site, tmp_path):
    top = max(t["article_id"] for t in site.truth_records() if t["type"] == "article")
    listed = tmp_path / "urls.txt"
    listed.write_text(
        f"https://baolongan.vn/khong-co-a{top + 1000}.html\nhttps://example.com/x-a1.html\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    result = run_crawl(site, out, f"urls_file={listed}", settings=NO_REQUISITES)
    assert result.returncode == EXIT_CODES["crawl_failed"]
    report = latest_report(out)
    assert report["status"] == "crawl_failed"
    assert report["requested"]["archived"] == 0
    assert report["requested"]["missing_by_reason"] == {"http_404": 1, "not_portal": 1}
    assert "0 of 2 URLs archived" in (out / "crawl.log").read_text(encoding="utf-8")


def test_ids_range_with_gaps_lists_the_gaps(site, tmp_path):
    ids = sorted(t["article_id"] for t in site.truth_records() if t["type"] == "article")
    start, end = ids[5], ids[5] + 120
    present = {n for n in ids if start <= n <= end}
    assert 0 < len(present) < end - start + 1, "the range must have gaps"
    out = tmp_path / "out"
    result = run_crawl(site, out, f"ids={start}-{end}", settings=NO_REQUISITES)
    assert result.returncode == EXIT_CODES["success_with_warnings"], (
        out / "crawl.log"
    ).read_text()[-3000:]
    asked = latest_report(out)["requested"]
    assert asked["asked"] == end - start + 1
    assert asked["archived"] == len(present)
    listed = {n for m in asked["missing"] for n in range(m["first"], m["last"] + 1)}
    assert listed == set(range(start, end + 1)) - present
    assert {m["reason"] for m in asked["missing"]} == {"http_404"}
    assert "## Not archived" in _markdown(out)


def test_ids_range_with_no_article_is_a_failed_crawl(site, tmp_path):
    top = max(t["article_id"] for t in site.truth_records() if t["type"] == "article")
    out = tmp_path / "out"
    result = run_crawl(site, out, f"ids={top + 10}-{top + 30}", settings=NO_REQUISITES)
    assert result.returncode == EXIT_CODES["crawl_failed"]
    asked = latest_report(out)["requested"]
    assert asked["missing"] == [
        {
            "ids": f"{top + 10}-{top + 30}",
            "first": top + 10,
            "last": top + 30,
            "count": 21,
            "reason": "http_404",
        }
    ]
