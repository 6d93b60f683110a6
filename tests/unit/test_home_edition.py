"""An English article reached only through the vi host (an `ids=` probe, a vi body link) is an
English-edition item when the page's own canonical link or og:url names the English host: the CMS
knows each article's home edition (docs/contract.md, `edition`; the replica's truth says `en`). A
page that names no home edition keeps the edition of the host it was reached on."""

from __future__ import annotations

import re

import pytest
from scrapy.http import HtmlResponse, Request
from scrapy.utils.test import get_crawler

from crawler.spiders.baolongan import BaolonganSpider
from tests.replica.pages import Replica

VI, EN = "http://127.0.0.1:8101", "http://127.0.0.1:8102"


@pytest.fixture(scope="module")
def site() -> Replica:
    return Replica(articles=60, seed=3, irregular=False)


@pytest.fixture
def spider(tmp_path) -> BaolonganSpider:
    crawler = get_crawler(
        BaolonganSpider,
        settings_dict={
            "OPEN_RUN": False,
            "OUTPUT_DIR": str(tmp_path),
            "EDITION_URL_VI": VI,
            "EDITION_URL_EN": EN,
            "REPLAY_WARC_DIR": "",
            "FETCH_REQUISITES": False,
        },
    )
    return BaolonganSpider.from_crawler(crawler)


def _record(spider: BaolonganSpider, url: str, body: bytes) -> dict:
    response = HtmlResponse(
        url, body=body, headers={"Content-Type": "text/html; charset=utf-8"}, request=Request(url)
    )
    return next(x for x in spider.parse_item(response) if isinstance(x, dict))


def _page(site: Replica, lang: str) -> tuple[str, bytes]:
    p = next(p for p in site.site.live_positions() if site.site.lang(p) == lang)
    path = site.site.article(p).path
    resp = site.respond("vi", "GET", path, {})  # served by the vi host whatever its language
    assert resp.status == 200
    return path, resp.body


def test_english_article_reached_on_the_vi_host_is_english(spider, site) -> None:
    path, body = _page(site, "en")
    assert b"https://news.baolongan.vn/" in body  # its canonical link or og:url
    record = _record(spider, VI + path, body)
    assert record["language"] == "en"
    assert record["edition"] == "en"
    assert record["editions_seen"] == ["en", "vi"]
    assert record["canonical_url"].startswith("https://news.baolongan.vn/")


def test_vietnamese_article_stays_vietnamese(spider, site) -> None:
    path, body = _page(site, "vi")
    record = _record(spider, VI + path, body)
    assert (record["edition"], record["editions_seen"]) == ("vi", ["vi"])


def test_no_home_edition_named_keeps_the_host_edition(spider, site) -> None:
    path, body = _page(site, "en")
    bare = re.sub(rb'<(link rel="canonical"|meta property="og:url")[^>]*>', b"", body)
    bare = re.sub(rb'"mainEntityOfPage":\s*"[^"]*",?', b"", bare)
    record = _record(spider, VI + path, bare)
    assert record["canonical_url"].startswith("https://baolongan.vn/")
    assert (record["edition"], record["editions_seen"]) == ("vi", ["vi"])
