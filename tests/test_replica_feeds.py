"""The replica's sitemaps and RSS feed (`--sitemap`, tests/replica/feeds.py), asked in-process:
robots.txt names the sitemap index only with the flag, the monthly sitemaps of an edition list
exactly its live articles (hidden ones included), the home page names the feed."""

from __future__ import annotations

import re

import pytest

from tests.replica.pages import Replica

LOC_RE = re.compile(r"<loc>([^<]+)</loc>")


@pytest.fixture(scope="module")
def rep() -> Replica:
    return Replica(articles=80, seed=2, irregular=False, sitemap=True, unlisted=3)


def _get(rep: Replica, host: str, path: str) -> str:
    resp = rep.respond(host, "GET", path, {})
    assert resp.status == 200, path
    return resp.body.decode("utf-8")


@pytest.mark.parametrize("host", ["vi", "en"])
def test_sitemaps_list_every_live_article_of_the_edition(rep, host) -> None:
    prod = {"vi": "https://baolongan.vn", "en": "https://news.baolongan.vn"}[host]
    assert f"Sitemap: {prod}/sitemap.xml" in _get(rep, host, "/robots.txt")
    months = LOC_RE.findall(_get(rep, host, "/sitemap.xml"))
    assert months and all(m.startswith(prod + "/sitemaps/") for m in months)
    listed = [u for m in months for u in LOC_RE.findall(_get(rep, host, m.removeprefix(prod)))]
    truth = [t for t in rep.truth_records() if t["type"] == "article" and t["edition"] == host]
    assert sorted(listed) == sorted(prod + t["_path"] for t in truth)
    hidden = {f"baolongan:{rep.site.aid(p)}" for p in rep.site.unlisted}
    assert hidden & {t["id"] for t in truth} <= {t["id"] for t in truth}


def test_home_names_the_feed(rep) -> None:
    assert 'type="application/rss+xml"' in _get(rep, "vi", "/")
    feed = _get(rep, "en", "/rss/home.rss")
    assert len(re.findall(r"<item>", feed)) == len(rep.site.latest("en", 20)) > 10
    assert rep.respond("vi", "GET", "/sitemaps/1999-01.xml", {}).status == 404


def test_without_the_flag_there_is_none() -> None:
    plain = Replica(articles=40, seed=2, irregular=False)
    assert "Sitemap:" not in _get(plain, "vi", "/robots.txt")
    assert "rss" not in _get(plain, "vi", "/")
    assert plain.respond("vi", "GET", "/sitemap.xml", {}).status == 404
