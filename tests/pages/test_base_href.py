"""`<base href>`: honoured when it names the portal, ignored and counted when it names another
site (issue 15: it used to be ignored everywhere, so relative links resolved against the wrong
folder, and an offsite base must never send the crawler's links off the portal)."""

from __future__ import annotations

import pytest

from crawler.editions import Editions
from crawler.pages import parse_article, parse_listing

EDITIONS = Editions(vi_base="http://127.0.0.1:8101", en_base="http://127.0.0.1:8102")
URL = "http://127.0.0.1:8101/thu-hoach-lua-a190001.html"


def article(base: str) -> str:
    head = f'<base href="{base}">' if base else ""
    return (
        f"<html><head>{head}<title>Thu hoạch lúa</title></head><body><div class='detail'>"
        "<h1>Thu hoạch lúa</h1><div>20/01/2022 - 18:20</div><div class='detail-content'>"
        "<p>Nông dân huyện Cần Đước thu hoạch lúa đông xuân sớm, năng suất đạt 7 tấn mỗi hecta, "
        "cao hơn vụ trước; giá lúa tại ruộng ổn định (Xem <a href='gia-lua-a190002.html'>giá lúa"
        "</a>).</p><p style='text-align: center;'><img src='anh/lua.jpg' alt=''>"
        "<em>Thu hoạch lúa (Ảnh: Thanh Hải)</em></p>"
        "<p>Ngành nông nghiệp khuyến cáo nông dân xuống giống vụ hè thu đúng lịch thời vụ.</p>"
        "<p style='text-align: right;'><strong>Thanh Hải</strong></p></div></div></body></html>"
    )


@pytest.mark.parametrize(
    ("base", "image", "link", "ignored"),
    [
        # a portal base: relative links resolve against its folder
        ("https://baolongan.vn/tin-tuc/", "https://baolongan.vn/tin-tuc/anh/lua.jpg",
         "https://baolongan.vn/tin-tuc/gia-lua-a190002.html", False),
        # the fetch host (a mirror, the replica): mapped to production like any link
        ("/kinh-te/", "https://baolongan.vn/kinh-te/anh/lua.jpg",
         "https://baolongan.vn/kinh-te/gia-lua-a190002.html", False),
        # another site: ignored (the page URL is the base) and flagged
        ("https://evil.example/x/", "https://baolongan.vn/anh/lua.jpg",
         "https://baolongan.vn/gia-lua-a190002.html", True),
        # no base at all
        ("", "https://baolongan.vn/anh/lua.jpg", "https://baolongan.vn/gia-lua-a190002.html",
         False),
    ],
)  # fmt: skip
def test_article_links_resolve_against_a_portal_base(base, image, link, ignored):
    ex = parse_article(article(base), URL, EDITIONS)
    assert [im["url"] for im in ex.fields["images"]] == [image]
    assert ex.fields["link_urls"] == [link]
    assert ex.fields["links"] == ["baolongan:190002"]
    assert f'src="{image}"' in ex.fields["body_html"]
    assert ("base_href_ignored" in ex.issues) is ignored


def listing(base: str) -> str:
    entries = "".join(
        f"<div><h3><a href='bai-so-{n}-a{190100 + n}.html'>Bài số {n}</a></h3>"
        f"<p>Tóm tắt bài số {n} về nông nghiệp tỉnh Long An trong năm nay.</p></div>"
        for n in range(4)
    )
    return (
        f"<html><head><base href='{base}'><title>Kinh tế - Báo Long An</title></head><body>"
        f"<h1>Kinh tế</h1>{entries}<div><a href='?p=2&amp;d='>2</a> "
        "<a href='?p=2&amp;d='>Trang sau</a></div></body></html>"
    )


def test_listing_entries_resolve_against_a_portal_base_and_ignore_another():
    page_url = "http://127.0.0.1:8101/kinh-te/"
    got = parse_listing(listing("https://baolongan.vn/kinh-te/nong-nghiep/"), page_url, EDITIONS)
    assert got.entries[0] == "https://baolongan.vn/kinh-te/nong-nghiep/bai-so-0-a190100.html"
    assert not got.base_href_ignored
    other = parse_listing(listing("https://evil.example/"), page_url, EDITIONS)
    assert other.entries[0] == "https://baolongan.vn/kinh-te/bai-so-0-a190100.html"
    assert other.base_href_ignored
    assert other.fingerprint == got.fingerprint  # the same items, whatever the base
