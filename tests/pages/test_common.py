"""Table-driven tests of the page layer's helpers (crawler/pages/common.py) and small rules."""

from __future__ import annotations

import lxml.html
import pytest
from lxml import etree

from crawler.editions import Editions
from crawler.pages.article.page import bold_only, url_slug
from crawler.pages.article.serialize import _serialize_each, _serialize_top_level
from crawler.pages.common import (
    absolute_url,
    block_text,
    canonical_host_url,
    drop_tag,
    find_date,
    parse_html,
    slugify,
    strip_site_name,
)
from crawler.pages.parsing import adopt_break_paragraphs, close_open_paragraphs

PROD = Editions()
REPLICA = Editions(vi_base="http://127.0.0.1:8101", en_base="http://127.0.0.1:8102")


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Cho trẻ làm quen với tiếng Anh", "cho-tre-lam-quen-voi-tieng-anh"),
        ("Đức Hòa: Khánh thành cầu Rạch Tràm", "duc-hoa-khanh-thanh-cau-rach-tram"),
        ("Tây Ninh và Long An hợp nhất từ ngày 1/7", "tay-ninh-va-long-an-hop-nhat-tu-ngay-1-7"),
        ("ĐỒNG THÁP MƯỜI", "dong-thap-muoi"),
        ("\u0110o\u0302\u0300ng Tha\u0301p", "dong-thap"),  # NFD: combining marks
        ("“Tuyến đường hoa” - 100%", "tuyen-duong-hoa-100"),
        ("Culture & Tourism", "culture-tourism"),
    ],
)
def test_slugify(title: str, slug: str) -> None:
    assert slugify(title) == slug


@pytest.mark.parametrize(
    ("raw", "title"),
    [
        ("Cho trẻ làm quen với tiếng Anh - Báo Long An", "Cho trẻ làm quen với tiếng Anh"),
        ("Đức Hòa: Khánh thành cầu | Baolongan", "Đức Hòa: Khánh thành cầu"),
        ("Báo Long An - Mekong Delta rice exports", "Mekong Delta rice exports"),
        ("Long An Online | Beauty of Tan An", "Beauty of Tan An"),
        ("Tân An - Long An", "Tân An - Long An"),  # "Long An" alone is the province
        ("Báo Long An", ""),
        ("Đức Hòa: Khánh thành cầu Rạch Tràm", "Đức Hòa: Khánh thành cầu Rạch Tràm"),
    ],
)
def test_strip_site_name(raw: str, title: str) -> None:
    assert strip_site_name(raw) == title


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("20/01/2022 - 18:20", "20/01/2022 - 18:20"),
        ("Cập nhật: 20/01/2022 - 18:20 GMT+7", "20/01/2022 - 18:20"),
        ("Posted 20/01/2022 08:05", "20/01/2022 08:05"),
        ("18:20 - 20/01/2022", "18:20 - 20/01/2022"),
        ("Thứ Năm, 20/01/2022", "20/01/2022"),
        ("20/01/2022 - 25:99", "20/01/2022"),  # not a time: the date alone
        ("32/01/2022", None),
        ("tấn/ha, 6.500 đồng/kg", None),
        ("ngày 15/3 vừa qua", None),
        ("1/2/2023/4", None),
        # Forms of other chromes (docs/site.md, "Forms from other chromes").
        ("Cập nhật: 14:32, Thứ Sáu 13/6/2025", "14:32, Thứ Sáu 13/6/2025"),
        ("13-06-2025 10:47", "13-06-2025 10:47"),
        ("Đăng 12.06.2025", "12.06.2025"),
        ("Ngày 13 tháng 6 năm 2025", "13 tháng 6 năm 2025"),
        ("June 13, 2025 2:32 PM", "June 13, 2025 2:32 PM"),
        ("12/6/2025 3:05:00 PM", "12/6/2025 3:05:00 PM"),  # ASP.NET: seconds, then PM
        ("15:48:10 12/06/2025", "15:48:10 12/06/2025"),
        ("13 June 2025", "13 June 2025"),
        ("Monday, June 16, 2025", "June 16, 2025"),
        ("05/30/2025", None),  # month first: never read (numbers are day first)
        ("2/15/2023 3:05:00 PM", "2/15/2023 3:05:00 PM"),  # ... but by ASP.NET's US clock
        ("giá 20.000 đồng, năm 2025", None),
        ("2020-2025", None),
    ],
)
def test_find_date(text: str, found: str | None) -> None:
    m = find_date(text)
    assert (m.group(0) if m else None) == found


@pytest.mark.parametrize(
    ("href", "page", "editions", "want"),
    [
        # relative links and fetch hosts -> production; /image/ onto the image host
        ("/image/news/2022/a%20b.jpg", "http://127.0.0.1:8102/x-a1.html", REPLICA,
         "https://www.baolongan.vn/image/news/2022/a%20b.jpg"),
        ("/image/news/2022/a.jpg", "https://news.baolongan.vn/x-a1.html", PROD,
         "https://www.baolongan.vn/image/news/2022/a.jpg"),
        ("/news/2015/20150310/fckimage/1.jpg", "http://127.0.0.1:8101/x-a1.html", REPLICA,
         "http://image.baolongan.vn/news/2015/20150310/fckimage/1.jpg"),
        ("/bai-khac-a12.html", "http://127.0.0.1:8102/x-a1.html", REPLICA,
         "https://news.baolongan.vn/bai-khac-a12.html"),
        ("http://127.0.0.1:8101/kinh-te/", "http://127.0.0.1:8102/", REPLICA,
         "https://baolongan.vn/kinh-te/"),
        # an English section named "news" is not an old image path
        ("/news/politics/", "http://127.0.0.1:8102/", REPLICA, "https://news.baolongan.vn/news/politics/"),
        # an archive's or an AMP cache's copy: the original link inside the rewritten one
        ("https://web.archive.org/web/20240315031245im_/https://www.baolongan.vn/image/news/a.jpg",
         "https://baolongan.vn/y-a1.html", PROD, "https://www.baolongan.vn/image/news/a.jpg"),
        ("/web/20240315031245/https://baolongan.vn/x-a5.html", "https://baolongan.vn/y-a1.html", PROD,
         "https://baolongan.vn/x-a5.html"),
        ("https://news-baolongan-vn.cdn.ampproject.org/i/s/www.baolongan.vn/image/news/b.jpg",
         "https://news.baolongan.vn/y-a1.html", PROD, "https://www.baolongan.vn/image/news/b.jpg"),
        # archive.today, a search engine's cache, Reader View, a mirror's folder per host
        ("https://archive.ph/o/Vq7Lm/https://baolongan.vn/x-a5.html", "https://archive.ph/Vq7Lm",
         PROD, "https://baolongan.vn/x-a5.html"),
        ("https://archive.ph/2025.07.02-034117/https://baolongan.vn/x-a5.html",
         "https://archive.ph/Vq7Lm", PROD, "https://baolongan.vn/x-a5.html"),
        ("https://archive.ph/o/Vq7Lm/http://image.baolongan.vn/news/2015/1.jpg",
         "https://archive.ph/Vq7Lm", PROD, "http://image.baolongan.vn/news/2015/1.jpg"),
        ("https://webcache.googleusercontent.com/search?q=cache:pD3kQ8:https://baolongan.vn/x-a5.html&hl=vi",
         "https://baolongan.vn/", PROD, "https://baolongan.vn/x-a5.html"),
        ("about:reader?url=https%3A%2F%2Fbaolongan.vn%2Fx-a5.html", "https://baolongan.vn/", PROD,
         "https://baolongan.vn/x-a5.html"),
        ("../www.baolongan.vn/image/news/c.jpg",
         "https://mirror.example.org/2025/news.baolongan.vn/y-a1.html", PROD,
         "https://www.baolongan.vn/image/news/c.jpg"),
        # (a share link naming the article in its query is the share service's)
        ("https://www.facebook.com/sharer.php?u=https://baolongan.vn/x-a5.html",
         "https://baolongan.vn/y-a1.html", PROD,
         "https://www.facebook.com/sharer.php?u=https://baolongan.vn/x-a5.html"),
        # production and foreign hosts stay as written
        ("http://www.baolongan.vn/x-a5.html", "http://127.0.0.1:8101/y-a1.html", REPLICA,
         "http://www.baolongan.vn/x-a5.html"),
        ("http://baolongan.vn/x-a5.html", "https://baolongan.vn/y-a1.html", PROD,
         "http://baolongan.vn/x-a5.html"),
        ("https://baochinhphu.vn/a-1.htm", "https://baolongan.vn/y-a1.html", PROD,
         "https://baochinhphu.vn/a-1.htm"),
        ("//www.baolongan.vn/image/a.jpg", "http://127.0.0.1:8101/y-a1.html", REPLICA,
         "https://www.baolongan.vn/image/a.jpg"),
        ("mailto:toasoan@baolongan.vn", "https://baolongan.vn/", PROD, "mailto:toasoan@baolongan.vn"),
    ],
)  # fmt: skip
def test_absolute_url(href: str, page: str, editions: Editions, want: str) -> None:
    assert absolute_url(href, page, editions) == want


@pytest.mark.parametrize(
    ("url", "want"),
    [
        ("http://www.baolongan.vn/a-a1.html?x=1#y", "https://baolongan.vn/a-a1.html"),
        ("http://www.news.baolongan.vn/a-a1.html", "https://news.baolongan.vn/a-a1.html"),
    ],
)
def test_canonical_host_url(url: str, want: str) -> None:
    assert canonical_host_url(url) == want


@pytest.mark.parametrize(
    ("url", "slug"),
    [
        ("https://baolongan.vn/cho-tre-lam-quen-voi-tieng-anh-a188491.html", "cho-tre-lam-quen-voi-tieng-anh"),
        ("https://baolongan.vn/xem-albumphoto/le-hoi-dua-ghe.1234.html?pid=6", "le-hoi-dua-ghe"),
        ("https://baolongan.vn/c%C3%A2u-a1.html", "cau"),
        ("https://baolongan.vn/a188491.html", ""),
    ],
)  # fmt: skip
def test_url_slug(url: str, slug: str) -> None:
    assert url_slug(url) == slug


@pytest.mark.parametrize(
    ("html", "bold"),
    [
        ("<p><strong>Thanh Hải</strong></p>", True),
        ("<p> <b>CTV Kim Hoàng –</b> </p>", True),
        ("<p><span><strong>A</strong></span><strong>B</strong></p>", True),
        ('<p><span style="font-weight: bold">A</span></p>', True),
        ("<p><strong>A</strong> b</p>", False),
        ("<p></p>", False),
    ],
)
def test_bold_only(html: str, bold: bool) -> None:
    assert bold_only(lxml.html.fragment_fromstring(html)) is bold


def test_block_text_reads_br_as_space() -> None:
    el = lxml.html.fragment_fromstring("<em>Chú thích hai<br>dòng <b>in</b>  đậm</em>")
    assert block_text(el) == "Chú thích hai dòng in đậm"


@pytest.mark.parametrize(
    "html",
    [
        "<div>a<span>b<i>c</i>d</span>e</div>",
        "<div><span>b</span>e<span></span>f</div>",
        "<div>a<span></span>e</div>",
        "<div><b>x</b><span>y<i>z</i></span><u>w</u>tail</div>",
        "<div>a<span>only text</span></div>",
    ],
)
def test_drop_tag_matches_lxml_html(html: str) -> None:
    ours = parse_html(f"<html><body>{html}</body></html>").find(".//div")
    ref = lxml.html.fragment_fromstring(html)
    for el in list(ours.iter("span", "b", "u")):
        drop_tag(el)
    for el in list(ref.iter("span", "b", "u")):
        el.drop_tag()
    assert etree.tostring(ours, encoding="unicode") == etree.tostring(ref, encoding="unicode")


@pytest.mark.parametrize(
    "html", ["", "   ", "<?xml version='1.0' encoding='utf-8'?><p>x</p>", "\x00"]
)
def test_parse_html_never_fails(html: str) -> None:
    assert parse_html(html) is not None


@pytest.mark.parametrize(
    "inner",
    [
        "<p>a</p>\n<p>b &amp; c</p>",
        "  lead text <p>a</p> tail &lt;x&gt; <img src='x.jpg' alt=''>  <em>c</em>",
        "<p>only</p>",
        "text only &amp; more",
        "",
        "\n<ul>\n<li>1</li>\n</ul>\n<table><tr><td>a</td></tr></table>\n",
        "<p>x</p>trailing text",
    ],
)
def test_one_pass_serialization_equals_per_node(inner: str) -> None:
    def body() -> etree._Element:
        return parse_html(f"<html><body><div class='c'>{inner}</div></body></html>").find(".//div")

    assert _serialize_top_level(body()) == _serialize_each(body())


@pytest.mark.parametrize(
    ("listing", "link", "same"),
    [
        ("https://baolongan.vn/kinh-te/", "https://baolongan.vn/kinh-te/?p=2&d=", True),
        ("https://baolongan.vn/kinh-te/?p=3&d=", "https://baolongan.vn/kinh-te/", True),
        ("https://baolongan.vn/kinh-te/trang-2/", "https://baolongan.vn/kinh-te/trang-3/", True),
        ("https://baolongan.vn/kinh-te/", "https://baolongan.vn/kinh-te/page/2/", True),
        ("https://news.baolongan.vn/business/", "https://news.baolongan.vn/business/?page=4", True),
        ("https://baolongan.vn/kinh-te/", "https://baolongan.vn/kinh-te/nong-nghiep/", False),
        ("https://baolongan.vn/kinh-te/", "https://baolongan.vn/doi-song-xa-hoi/?p=2&d=", False),
        ("https://baolongan.vn/kinh-te/", "https://news.baolongan.vn/kinh-te/?p=2", False),
    ],
)
def test_pagination_key(listing: str, link: str, same: bool) -> None:
    from crawler.pages.listing import _has_page_number, _page_key

    paged = _has_page_number(listing) or _has_page_number(link)
    assert (_page_key(listing) == _page_key(link) and paged) is same


def test_break_paragraphs() -> None:
    """`<br><br>` between runs of text (old editors) makes paragraphs; a single `<br>` stays a
    line break; blocks keep their place; a short menu line is left alone."""
    prose = "Theo Ban Quản lý Khu du lịch, lượng khách tăng mạnh trong dịp Tết Nguyên đán năm nay"
    root = parse_html(
        f"<html><body><td>{prose} <a href='/x-a1.html'>link</a>.<br><br><br>Hai<br>dòng"
        "<br><br><table><tr><td>ảnh</td></tr></table><br>Sau bảng<br><br><b>Tiêu đề</b>"
        "<br><br><div align='right'><b>Tên</b></div>đuôi</td>"
        "<div>Trang chủ<br><br>Tin tức</div></body></html>"
    )
    adopt_break_paragraphs(root)
    td, menu = root.find("body/td"), root.find("body/div")
    assert [c.tag for c in td] == ["p", "p", "table", "p", "p", "div", "p"]
    assert [block_text(c) for c in td.findall("p")] == [
        f"{prose} link.",
        "Hai dòng",
        "Sau bảng",
        "Tiêu đề",
        "đuôi",
    ]
    assert td.text is None and td.findall("p")[1].find("br") is not None
    assert menu.find("p") is None and menu.text == "Trang chủ"


def test_break_paragraphs_under_styling_wrappers() -> None:
    """A body pasted whole into `<font>` and a style-only `<span>` still splits at `<br><br>`
    (the wrappers only style it, and go); a class-marked span or a link is no such wrapper."""
    one = "Những ngày đầu tháng 10, vườn thanh long của ông Bảy ở xã Thanh Vĩnh Đông vào vụ thu hoạch."
    two = "Ông Bảy cho biết, gia đình tham gia sản xuất theo tiêu chuẩn VietGAP từ năm 2018."
    root = parse_html(
        f"<html><body><div><font face='Arial'><span style='font-size:14px'>{one}<br>\n<br>{two}"
        f"<br></span></font></div><div><span class='note'>{one}<br><br>{two}</span></div>"
        "</body></html>"
    )
    adopt_break_paragraphs(root)
    styled, marked = root.findall("body/div")
    assert [c.tag for c in styled] == ["p", "p"]
    assert [block_text(c) for c in styled] == [one, two]
    assert [c.tag for c in marked] == ["span"]  # left as it was


def test_open_paragraphs_closed_as_a_browser_does() -> None:
    """`<P><FONT>one<P>two<P>three` (never closed): libxml2 nests two and three inside one; a
    browser shows three paragraphs, and text after the first paragraph's end stays last."""
    root = parse_html(
        "<html><body><div><P ALIGN=justify><FONT>one<P>two <b>bold</b> end<P>three</FONT></P>"
        "after<div>box</div></div></body></html>"
    )
    div = root.find("body/div")
    assert len(div.findall("p")) == 1  # as libxml2 nests them
    close_open_paragraphs(root)
    assert [c.tag for c in div] == ["p", "p", "p", "div"]
    assert [block_text(p) for p in div.findall("p")] == ["one", "two bold end", "three"]
    assert div.findall("p")[-1].tail == "after"
    assert root.find(".//p//p") is None


def test_a_root_closed_before_the_page_is_ignored() -> None:
    """`<html lang="vi"></html><head>…` (a template's broken first line): libxml2 would end the
    document there and the page would parse empty; a browser ignores the end tag."""
    body = "".join(
        f"<p>Đoạn {k}: nội dung bài viết đủ dài để vượt qua ngưỡng.</p>" for k in range(30)
    )
    root = parse_html(
        f'<!DOCTYPE html>\n<html lang="vi"></html>\n<head><title>T</title></head>'
        f"<body><h1>Tiêu đề</h1>{body}</body></html>"
    )
    assert root.find(".//h1") is not None and len(root.findall(".//p")) == 30
