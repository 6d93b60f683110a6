"""Page requisites read from the tree the page modules parse (issue 13: every page parsed once):
article, album and listing pages give the same list as a parse of their own, in production form."""

from __future__ import annotations

from crawler.editions import Editions
from crawler.pages import parse_album, parse_article
from crawler.pages.common import parse_html
from crawler.pages.listing import parse_listing
from crawler.pages.requisites import page_requisites

EDITIONS = Editions(vi_base="http://127.0.0.1:8101", en_base="http://127.0.0.1:8102")
PAGE = """<!DOCTYPE html><html><head>
<link rel="stylesheet" href="/assets/css/app.css"><link rel="icon" href="/favicon.ico">
<script src="/assets/js/app.js"></script><script>var x = "<img src='/no.jpg'>";</script>
<meta property="og:image" content="https://www.baolongan.vn/image/news/og.jpg">
<!-- <img src="/commented.jpg"> -->
</head><body>
<h1>Tiêu đề bài viết</h1>
<div class="content"><p>Đoạn văn đủ dài để làm thân bài, nói về mùa lúa ở huyện Cần Giuộc.</p>
<img src="/image/news/2022/a.jpg"><img data-src="/image/news/2022/lazy.jpg" src="data:image/gif;base64,R0lGOD">
<picture><source srcset="/image/news/2022/b.webp 1x, /image/news/2022/b2.webp 2x"></picture>
<img src="https://cdn.example.com/ad.png"></div>
</body></html>"""
WANT = [
    "https://baolongan.vn/assets/css/app.css",
    "https://baolongan.vn/favicon.ico",
    "https://baolongan.vn/assets/js/app.js",
    "https://www.baolongan.vn/image/news/og.jpg",  # page order: the head's meta first
    "https://www.baolongan.vn/image/news/2022/a.jpg",
    "https://www.baolongan.vn/image/news/2022/lazy.jpg",  # (its data: placeholder is no URL)
    "https://www.baolongan.vn/image/news/2022/b.webp",
    "https://www.baolongan.vn/image/news/2022/b2.webp",
]
URL = "http://127.0.0.1:8101/tieu-de-bai-viet-a5.html"


def test_requisites_of_a_tree() -> None:
    assert page_requisites(parse_html(PAGE), URL, EDITIONS) == WANT


def test_page_modules_read_them_from_their_own_parse() -> None:
    assert parse_article(PAGE, URL, EDITIONS, requisites=True).requisites == WANT
    album = "http://127.0.0.1:8101/xem-albumphoto/le-hoi.12.html"
    assert parse_album(PAGE, album, EDITIONS, requisites=True).requisites == WANT
    assert (
        parse_listing(PAGE, "http://127.0.0.1:8101/kinh-te/", EDITIONS, requisites=True).requisites
        == WANT
    )


def test_only_when_asked() -> None:
    assert parse_article(PAGE, URL, EDITIONS).requisites == []
    assert parse_listing(PAGE, "http://127.0.0.1:8101/kinh-te/", EDITIONS).requisites == []
