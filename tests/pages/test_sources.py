"""Closing source lines (crawler/pages/article/sources.py) on hand-written bodies."""

from __future__ import annotations

import pytest

from crawler.editions import Editions
from crawler.pages.article.sources import find_source_lines
from crawler.pages.common import block_text, parse_html

EDITIONS = Editions(vi_base="http://127.0.0.1:8101", en_base="http://127.0.0.1:8102")
PAGE = "http://127.0.0.1:8102/long-an-a148726.html"
VI_ARTICLE = "https://baolongan.vn/long-an-day-manh-nuoi-tom-a148698.html"
AGENCY = "https://www.vietnamplus.vn/xuat-khau-tang-post1042211.vnp"
BODY = '<p>First paragraph of the article, long enough.</p><p style="text-align: right;"><strong>By Que Lam</strong></p>'


def _find(inner: str, around: str = '<div id="b">{}</div>'):
    root = parse_html(f"<html><body>{around.format(inner)}</body></html>")
    body = root.get_element_by_id("b") if hasattr(root, "get_element_by_id") else None
    body = body if body is not None else root.xpath("//*[@id='b']")[0]
    return find_source_lines(body, EDITIONS, PAGE), body


@pytest.mark.parametrize(
    "line",
    [
        f'<p>Source: <a href="{VI_ARTICLE}">{VI_ARTICLE}</a></p>',
        f"<p>Source: {VI_ARTICLE}</p>",
        f"<p><em>Source: {VI_ARTICLE}</em></p>",
        f'<p style="text-align: right;">Source:{VI_ARTICLE}</p>',
        f'<p>Source: <a href="{VI_ARTICLE}">Báo Long An</a></p>',
        f"<div><p>(Source: {VI_ARTICLE})</p></div>",
    ],
)
def test_translation_line(line: str) -> None:
    found, body = _find(BODY + line)
    assert found.translation_of_url == VI_ARTICLE
    assert found.source_url is None
    assert len(found.lines) == 1
    assert "Source" in block_text(found.lines[0])
    assert found.lines[0].getparent() is body  # the outermost element of the line


def test_agency_line_is_a_source_url() -> None:
    found, _ = _find(BODY + f'<p style="text-align: right;">Nguồn: {AGENCY}</p>')
    assert (found.translation_of_url, found.source_url) == (None, AGENCY)


def test_nfd_and_undiacritized_labels() -> None:
    nfd = "Nguo\u0302\u0300n"
    for label in (nfd, "Nguon", "NGUỒN"):
        found, _ = _find(BODY + f"<p>{label}: {AGENCY}</p>")
        assert found.source_url == AGENCY, label


def test_relative_link_resolved_to_production() -> None:
    found, _ = _find(BODY + '<p>Source: <a href="/bai-goc-a148698.html">Báo Long An</a></p>')
    assert found.translation_of_url == "https://news.baolongan.vn/bai-goc-a148698.html"


def test_both_kinds_and_first_of_each() -> None:
    other = "https://baolongan.vn/khac-a1.html"
    found, _ = _find(
        BODY + f"<p>Source: {VI_ARTICLE}</p><p>Nguồn: {AGENCY}</p><p>Source: {other}</p>"
    )
    assert found.translation_of_url == VI_ARTICLE
    assert found.source_url == AGENCY
    assert len(found.lines) == 3


def test_line_right_after_an_inner_body_wrapper() -> None:
    """Old CMS bodies sit in an extra div: the byline and the line follow it."""
    html = f'<div id="b">{BODY}</div><p>Source: {VI_ARTICLE}</p>'
    found, _ = _find("", around=f"<div>{html}</div>")
    assert found.translation_of_url == VI_ARTICLE


@pytest.mark.parametrize(
    "html",
    [
        "<p>Nguồn: Báo Tây Ninh</p>",  # a byline credit without a URL
        "<p>Theo TTXVN</p>",
        f"<p>Xem thêm tại {VI_ARTICLE} và các bài khác trong chuyên mục.</p>",  # prose with a URL
        f'<p>Nguồn số liệu được công bố tại <a href="{AGENCY}">đây</a> hôm qua.</p>',
        f'<p><img src="https://www.baolongan.vn/image/a.jpg"><em>Nguồn: {AGENCY}</em></p>',  # a caption
        "<p>Source: ftp://example.org/file</p>",
    ],
)
def test_not_a_source_line(html: str) -> None:
    found, _ = _find(BODY + html)
    assert found == (None, None, [])


def test_no_body() -> None:
    assert find_source_lines(None, EDITIONS) == (None, None, [])
