"""URL shapes and the production <-> fetch mapping of both editions."""

from __future__ import annotations

import pytest

from crawler.editions import Editions, album_id, article_id, section_slug

REPLICA = Editions("http://127.0.0.1:8101", "http://127.0.0.1:8102")


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://baolongan.vn/cho-tre-lam-quen-voi-tieng-anh-a188491.html", 188491),
        ("http://www.baolongan.vn/x-a5900.html", 5900),
        ("https://news.baolongan.vn/long-an-s-rice-a48937.html?utm=1", 48937),
        ("https://baolongan.vn/thoi-su-chinh-tri/long-an/", None),
        ("https://baolongan.vn/xem-albumphoto/le-hoi.123.html?pid=4", None),
    ],
)
def test_article_id(url, expected):
    assert article_id(url) == expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://baolongan.vn/xem-albumphoto/le-hoi-dua-ghe.123.html?pid=4", 123),
        ("https://news.baolongan.vn/view-albumphoto/boat-race.77.html", 77),
        ("https://baolongan.vn/x-a5900.html", None),
    ],
)
def test_album_id(url, expected):
    assert album_id(url) == expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://baolongan.vn/thoi-su-chinh-tri/long-an/", "thoi-su-chinh-tri/long-an"),
        ("https://baolongan.vn/doi-song-xa-hoi/", "doi-song-xa-hoi"),
        ("https://baolongan.vn/doi-song-xa-hoi/?p=2&d=", "doi-song-xa-hoi"),
        ("https://baolongan.vn/x-a5900.html", None),
        ("https://baolongan.vn/", None),
    ],
)
def test_section_slug(url, expected):
    assert section_slug(url) == expected


@pytest.mark.parametrize(
    ("url", "fetch"),
    [
        ("https://baolongan.vn/a-a1.html", "http://127.0.0.1:8101/a-a1.html"),
        ("http://www.baolongan.vn/a-a1.html", "http://127.0.0.1:8101/a-a1.html"),
        ("https://news.baolongan.vn/b-a2.html?x=1", "http://127.0.0.1:8102/b-a2.html?x=1"),
        ("https://www.baolongan.vn/image/news/2022/20220120/images/a%20b.jpg",
         "http://127.0.0.1:8101/image/news/2022/20220120/images/a%20b.jpg"),
        ("http://image.baolongan.vn/news/2015/x.jpg", "http://127.0.0.1:8101/news/2015/x.jpg"),
        ("https://example.com/a-a1.html", None),
    ],
)  # fmt: skip
def test_to_fetch_maps_every_portal_host(url, fetch):
    assert REPLICA.to_fetch(url) == fetch


@pytest.mark.parametrize(
    ("url", "production"),
    [
        ("http://127.0.0.1:8101/a-a1.html", "https://baolongan.vn/a-a1.html"),
        ("http://127.0.0.1:8102/b-a2.html", "https://news.baolongan.vn/b-a2.html"),
        ("http://127.0.0.1:8101/image/x.jpg", "https://www.baolongan.vn/image/x.jpg"),
        ("http://127.0.0.1:8101/news/2015/x.jpg", "http://image.baolongan.vn/news/2015/x.jpg"),
        # An English section named /news/ is a page, not the legacy image path.
        ("http://127.0.0.1:8102/news/politics/", "https://news.baolongan.vn/news/politics/"),
        ("https://example.com/x", "https://example.com/x"),
    ],
)
def test_to_production(url, production):
    assert REPLICA.to_production(url) == production


def test_edition_of():
    assert REPLICA.edition_of("http://127.0.0.1:8102/x-a1.html") == "en"
    assert REPLICA.edition_of("https://www.baolongan.vn/x-a1.html") == "vi"
    assert REPLICA.edition_of("https://www.baolongan.vn/image/x.jpg") is None
    assert REPLICA.edition_of("https://example.com/") is None
