"""Sitemaps and RSS as extra discovery: one replica seed serves them (`--sitemap`, with articles
hidden from every listing by `--unlisted`), one does not; both crawls end in complete archives.
Where the sitemap exists, the crawl reads it (robots.txt names it, a sitemap index is followed),
finds through it exactly the articles no listing or link shows, and the report counts items by
the sources that found them."""

from __future__ import annotations

import pytest

from tests.support import article_records, latest_report, replica, run_crawl

HIDDEN = 4


@pytest.fixture(scope="module")
def crawls(tmp_path_factory):
    out = {}
    for name, extra in (("sitemap", ["--sitemap", "--unlisted", str(HIDDEN)]), ("plain", [])):
        folder = tmp_path_factory.mktemp(name)
        with replica(folder / "replica", articles=120, seed=5, extra=extra) as rep:
            result = run_crawl(rep, folder / "out", settings={"FETCH_REQUISITES": "False"})
            out[name] = (result.returncode, rep, folder / "out")
    return out


@pytest.mark.parametrize("name", ["sitemap", "plain"])
def test_complete_archive(crawls, name) -> None:
    code, rep, out = crawls[name]
    assert code in (0, 3), code
    ids = sorted(r["id"] for r in article_records(out))
    assert ids == sorted(t["id"] for t in rep.truth_records())


def test_sitemap_and_feed_read_and_counted(crawls) -> None:
    _, rep, out = crawls["sitemap"]
    paths = [(e["edition"], e["path"]) for e in rep.access() if e["status"] == 200]
    for host in ("vi", "en"):
        assert {(host, p) for p in ("/robots.txt", "/sitemap.xml", "/rss/home.rss")} <= set(paths)
    months = [p for p in paths if p[1].startswith("/sitemaps/")]
    assert months and len(months) == len(set(months)), "each monthly sitemap read once"
    discovery = latest_report(out)["discovery"]
    truth = rep.truth_records()
    articles = [t for t in truth if t["type"] == "article"]
    assert discovery["found"]["sitemap"] == len(articles)
    assert discovery["found"]["rss"] > 0
    # The hidden articles are reachable through the sitemap only.
    assert discovery["only"]["sitemap"] == HIDDEN
    assert discovery["files"]["discovery/sitemaps"] == len(months) + 2  # + both indexes
    assert discovery["files"]["discovery/feeds"] == 2
    report_md = next((out / "reports").glob("*.md")).read_text(encoding="utf-8")
    assert "## Discovery sources" in report_md


def test_no_sitemap_no_discovery_file(crawls) -> None:
    _, rep, out = crawls["plain"]
    paths = {e["path"] for e in rep.access()}
    assert "/sitemap.xml" not in paths and "/rss/home.rss" not in paths
    discovery = latest_report(out)["discovery"]
    assert discovery["found"]["sitemap"] == discovery["found"]["rss"] == 0
    assert discovery["found"]["listing"] > 0


def test_a_refresh_reads_only_the_newest_sitemaps(tmp_path) -> None:
    with replica(tmp_path / "replica", articles=60, seed=5, extra=["--sitemap"]) as rep:
        out = tmp_path / "out"
        first = run_crawl(rep, out, settings={"FETCH_REQUISITES": "False"})
        before = len(rep.access())
        second = run_crawl(rep, out, settings={"FETCH_REQUISITES": "False"})
        refresh = rep.access()[before:]
        full = rep.access()[:before]
    assert first.returncode in (0, 3) and second.returncode in (0, 3)
    assert latest_report(out)["mode"] == "incremental"

    def months(entries):
        return sorted(
            (e["edition"], e["path"]) for e in entries if e["path"].startswith("/sitemaps/")
        )

    assert len(months(full)) > 8
    newest = {ed: sorted(p for e, p in months(full) if e == ed)[-2:] for ed in ("vi", "en")}
    assert months(refresh) == sorted((ed, p) for ed, paths in newest.items() for p in paths)
