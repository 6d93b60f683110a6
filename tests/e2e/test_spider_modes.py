"""The spider's other modes, end to end against the replica: urls_file, ids (both server
behaviours) and the limit canary."""

from __future__ import annotations

import re

import pytest

from crawler.status import EXIT_CODES
from tests.support import article_records, latest_report, replica, run_crawl

ARTICLE_PATH = re.compile(r"-a(\d+)\.html")
NO_REQUISITES = {"FETCH_REQUISITES": "False"}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    with replica(tmp_path_factory.mktemp("modes"), articles=150, seed=11) as rep:
        yield rep


def test_urls_file_fetches_exactly_the_listed_items(site, tmp_path):
    truth = site.truth_records()
    vi = [t for t in truth if t["type"] == "article" and t["edition"] == "vi"][:3]
    en = [t for t in truth if t["type"] == "article" and t["edition"] == "en"][:2]
    album = [t for t in truth if t["type"] == "album"][:1]
    lines = [
        vi[0]["canonical_url"].replace("https://", "http://"),
        vi[1]["canonical_url"].replace("https://", "https://www."),
        vi[2]["canonical_url"] + "  ",
        en[0]["canonical_url"],
        # An English article written on the Vietnamese host: fetched there, still one record.
        en[1]["canonical_url"].replace("news.baolongan.vn", "baolongan.vn"),
        album[0]["canonical_url"],
        "# a comment line",
        "https://example.com/not-the-portal-a1.html",
        "https://baolongan.vn/kinh-te/",
    ]
    listed = tmp_path / "urls.txt"
    listed.write_text("\n".join(lines) + "\n", encoding="utf-8")
    start = len(site.access())
    result = run_crawl(site, tmp_path / "out", f"urls_file={listed}", settings=NO_REQUISITES)
    assert result.returncode in (0, 3)
    got = {r["id"] for r in article_records(tmp_path / "out")}
    assert got == {t["id"] for t in vi + en + album}
    requested = [a["path"] for a in site.access()[start:] if a["path"] != "/robots.txt"]
    assert len(requested) == 6, requested  # the listed items, nothing else
    assert latest_report(tmp_path / "out")["skipped"].get("urls_file/not_an_article") == 2


@pytest.mark.parametrize("behaviour", ["resolve", "strict"])
def test_ids_probe(behaviour, tmp_path):
    with replica(tmp_path / "site", articles=150, seed=11, extra=["--slugless", behaviour]) as rep:
        truth = rep.truth_records()
        article_ids = sorted(t["article_id"] for t in truth if t["type"] == "article")
        start, end = article_ids[10], article_ids[10] + 400
        out = tmp_path / "out"
        result = run_crawl(rep, out, f"ids={start}-{end}", settings=NO_REQUISITES)
        if behaviour == "strict":
            assert result.returncode == EXIT_CODES["crawl_failed"]
            log = (out / "crawl.log").read_text(encoding="utf-8")
            assert "does not resolve an article id without its slug" in log
            assert article_records(out) == []
            return
        assert result.returncode in (0, 3), (out / "crawl.log").read_text()[-3000:]
        expected = {f"baolongan:{n}" for n in article_ids if start <= n <= end}
        assert {r["id"] for r in article_records(out)} == expected
        report = latest_report(out)
        assert report["ids"]["probed"] == end - start + 1
        assert report["ids"]["found"] == len(expected)
        # A second run over the same range probes nothing again: the backfill resumes.
        before = len(rep.access())
        result = run_crawl(rep, out, f"ids={start}-{end}", settings=NO_REQUISITES)
        assert result.returncode in (0, 3)
        probed = {
            m.group(1) for a in rep.access()[before:] if (m := ARTICLE_PATH.search(a["path"]))
        }
        assert len(probed) == 1, f"only the known-id check (and its redirect): {probed}"


def test_limit_is_a_canary_with_strategies_in_its_report(site, tmp_path):
    out = tmp_path / "out"
    result = run_crawl(site, out, "limit=4", settings=NO_REQUISITES)
    assert result.returncode in (0, 3)
    records = article_records(out)
    articles = [r for r in records if r["type"] == "article"]
    fetched_on = {"vi": 0, "en": 0}
    for r in articles:
        fetched_on["en" if r["url"].startswith(site.en) else "vi"] += 1
    assert 0 < fetched_on["vi"] <= 4 and 0 < fetched_on["en"] <= 4
    strategies = latest_report(out)["extraction_strategies"]
    for field in ("title", "published_raw", "lead", "body"):
        assert strategies.get(field), f"no strategy reported for {field}"
