"""crawler.guards piece by piece, without a crawl: the byte checks as tables, the middlewares with a
test crawler. The crawl over the whole corpus is test_hostile.py."""

from __future__ import annotations

import gzip

import lxml.html
import pytest
from scrapy.exceptions import (
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from scrapy.http import HtmlResponse, Request, Response
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.test import get_crawler

from crawler import guards
from crawler.errors import BadSettingError
from crawler.guards import (
    GUARD_ISSUES,
    GuardedHttpCompressionMiddleware,
    GuardedMetaRefreshMiddleware,
    GuardedRedirectMiddleware,
    GuardSkip,
    GuardSpiderMiddleware,
    PortalHostsMiddleware,
    ResponseGuardMiddleware,
    classify_body,
    flatten_deep_nesting,
    looks_truncated,
    repair_headings,
)
from tests.hostile.conftest import GUARD_DOWNLOADER_MIDDLEWARES, GUARD_SPIDER_MIDDLEWARES

VI, EN = "http://127.0.0.1:8001", "http://127.0.0.1:8002"
ARTICLE = f"{VI}/tin-tuc-a123.html"
PAGE = (
    '<!DOCTYPE html><html><head><meta charset="utf-8"><title>Tin</title></head><body>'
    '<h1 class="title-detail">Tiêu đề</h1><div class="content-fck"><p>Đoạn một.</p></div>'
    "</body></html>"
).encode()


def crawler_for(vi: str = VI, en: str = EN, **settings):
    return get_crawler(
        settings_dict={
            "EDITION_URL_VI": vi,
            "EDITION_URL_EN": en,
            "OUTPUT_DIR": "/tmp/hostile-unit-unused",
            "DOWNLOADER_MIDDLEWARES": GUARD_DOWNLOADER_MIDDLEWARES,
            "SPIDER_MIDDLEWARES": GUARD_SPIDER_MIDDLEWARES,
            **settings,
        }
    )


def html(url: str, body: bytes = PAGE, status: int = 200, **headers) -> HtmlResponse:
    headers.setdefault("Content-Type", "text/html; charset=utf-8")
    return HtmlResponse(url, status=status, body=body, headers=headers, request=Request(url))


# --- byte checks -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body,ctype,verdict",
    [
        (b"", "text/html", "empty_body"),
        (b" \r\n\t ", "text/html", "empty_body"),
        (b'{"a": 1}', "application/json", "not_html"),
        (b"%PDF-1.4\n...", "text/html; charset=utf-8", "not_html"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "", "not_html"),
        (
            b"<html><head><title>T</title></head><body><div>&nbsp;</div></body></html>",
            "",
            "blank_page",
        ),
        (
            b"<html><body><script>location='/'</script><noscript>Bat JS</noscript></body></html>",
            "text/html",
            "script_only",
        ),  # fmt: skip
        (b"<html><body><p>Tin</p><script>x</script></body></html>", "text/html", None),
        (b"<html><body><img src='/a.jpg'></body></html>", "text/html", None),  # a photo page
        ("<html><body><p>Tin</p></body></html>".encode("utf-16"), "text/html", None),
        (PAGE, "", None),  # no Content-Type: HTML by its bytes
        (PAGE, "application/xhtml+xml", None),
    ],
)
def test_classify_body(body, ctype, verdict):
    result = classify_body(body, ctype)
    assert (result[0] if result else None) == verdict


def test_deep_nesting_is_unwrapped_and_the_content_survives():
    deep = (
        b"<html><body><h1>T</h1>"
        + b"<div>" * 5000
        + b"<p>DEEP TEXT</p>"
        + b"</div>" * 5000
        + b"<p>AFTER</p></body></html>"
    )
    text = lxml.html.document_fromstring(deep).text_content()
    assert "DEEP TEXT" not in text and "AFTER" not in text  # the trap (docs/pitfalls.md)
    flat, deepest = flatten_deep_nesting(deep, 200)
    assert deepest > 5000
    text = lxml.html.document_fromstring(flat).text_content()
    assert "DEEP TEXT" in text and "AFTER" in text


def test_normal_pages_are_not_scanned_or_changed():
    paragraph = '<p style="text-align: justify;"><span>Đoạn <strong>đậm</strong> và <a href="/x-a1.html">liên kết</a>.</span><br></p>\n'
    body = PAGE.replace(b"<p>", paragraph.encode() * 400 + b"<p>")  # ~45 KB, ~2,800 tags
    flat, deepest = flatten_deep_nesting(body, 200)
    assert flat is body and deepest == 0  # deepest 0: the C-speed bound ruled a scan out


def test_nesting_under_the_limit_is_left_alone():
    body = b"<html><body>" + b"<div>" * 150 + b"<p>x</p>" + b"</div>" * 150 + b"</body></html>"
    assert flatten_deep_nesting(body, 200)[0] is body


@pytest.mark.parametrize(
    "body,fixed,count",
    [
        (b"<h1 class=t>Title</h2><div>x</div>", b"<h1 class=t>Title</h1><div>x</div>", 1),
        (b"<H3>a</h4><h2>b</h2>", b"<H3>a</h3><h2>b</h2>", 1),
        (b"<h1>a</h1><header>b</header><h2>c</h2>", None, 0),
    ],
)
def test_repair_headings(body, fixed, count):
    out, n = repair_headings(body)
    assert n == count
    assert out == (fixed if fixed is not None else body)


def test_looks_truncated():
    assert not looks_truncated(PAGE)
    assert looks_truncated(PAGE[:-20])
    assert not looks_truncated(b"<html><body><p>x</p></BODY>\n" + b" " * 10000)


# --- hosts and redirects -----------------------------------------------------------------------


def test_a_mirror_never_sends_requests_to_production():
    g = guards.Guards(crawler_for())
    assert g.mirrored
    assert g.fetchable(f"{VI}/x-a1.html") and g.fetchable(f"{EN}/")
    assert not g.fetchable("https://baolongan.vn/x-a1.html")
    assert g.redirect_target("https://baolongan.vn/x-a1.html") == f"{VI}/x-a1.html"
    assert g.redirect_target("https://news.baolongan.vn/y-a2.html") == f"{EN}/y-a2.html"
    assert g.redirect_target("http://127.0.0.1:9999/x-a1.html") is None
    assert g.redirect_target("https://facebook.com/") is None


def test_production_redirects_between_portal_hosts_stay_as_they_are():
    g = guards.Guards(crawler_for("https://baolongan.vn", "https://news.baolongan.vn"))
    assert not g.mirrored
    # http <-> https and www: followed as given, never mapped back (that would look like a loop).
    assert g.redirect_target("http://baolongan.vn/x-a1.html") == "http://baolongan.vn/x-a1.html"
    assert g.fetchable("https://www.baolongan.vn/image/a.jpg")
    assert g.redirect_target("https://example.com/") is None


def redirect(mw, url: str, location: str, status: int = 302, **meta):
    request = Request(url, meta=meta)
    response = Response(url, status=status, headers={"Location": location}, request=request)
    return mw.process_response(request, response)


def test_redirect_guard():
    crawler = crawler_for()
    mw = GuardedRedirectMiddleware.from_crawler(crawler)
    stats = crawler.stats
    with pytest.raises(GuardSkip, match="offsite_redirect"):
        redirect(mw, ARTICLE, "https://example.com/ads")
    with pytest.raises(GuardSkip, match="redirect_loop"):
        redirect(mw, ARTICLE, ARTICLE)
    with pytest.raises(GuardSkip, match="redirect_loop"):
        redirect(mw, f"{VI}/b-a123.html", ARTICLE, redirect_urls=[ARTICLE])
    with pytest.raises(GuardSkip, match="redirect_not_article"):
        redirect(mw, ARTICLE, "/")
    with pytest.raises(GuardSkip, match="too_many_redirects"):
        redirect(mw, f"{ARTICLE}?hop=20", f"{ARTICLE}?hop=21", redirect_times=20, redirect_ttl=0)
    followed = redirect(mw, ARTICLE, "https://baolongan.vn/tin-moi-a123.html", status=301)
    assert followed.url == f"{VI}/tin-moi-a123.html"
    listing = redirect(mw, f"{VI}/kinh-te/", "/kinh-te/nong-nghiep/", listing=True)
    assert listing.url == f"{VI}/kinh-te/nong-nghiep/"
    for reason in (
        "offsite_redirect",
        "redirect_loop",
        "redirect_not_article",
        "too_many_redirects",
    ):
        assert stats.get_value(f"skipped/{reason}")
    assert stats.get_value("skipped/redirect_loop") == 2
    assert stats.get_value("guards/redirect_to_mirror") == 1


def test_meta_refresh_to_the_page_itself_keeps_the_page():
    crawler = crawler_for()
    mw = GuardedMetaRefreshMiddleware.from_crawler(crawler)
    refresh = f'<meta http-equiv="refresh" content="60; url={ARTICLE}">'.encode()
    body = PAGE.replace(b"<title>", refresh + b"<title>")
    response = html(ARTICLE, body)
    assert mw.process_response(response.request, response) is response
    offsite = html(ARTICLE, body.replace(ARTICLE.encode(), b"http://example.com/"))
    with pytest.raises(GuardSkip, match="offsite_redirect"):
        mw.process_response(offsite.request, offsite)


def test_stock_middleware_alongside_its_guarded_replacement_is_refused():
    crawler = get_crawler(
        settings_dict={"EDITION_URL_VI": VI, "EDITION_URL_EN": EN, "OUTPUT_DIR": "/tmp/x"}
    )
    with pytest.raises(BadSettingError, match="RedirectMiddleware"):
        GuardedRedirectMiddleware.from_crawler(crawler)


def test_only_portal_hosts_are_requested():
    crawler = crawler_for()
    mw = PortalHostsMiddleware.from_crawler(crawler)
    assert mw.process_request(Request(ARTICLE)) is None
    with pytest.raises(GuardSkip, match="offsite_request"):
        mw.process_request(Request("https://baolongan.vn/x-a1.html"))
    with pytest.raises(GuardSkip, match="offsite_redirect"):
        mw.process_request(Request("http://example.com/", meta={"redirect_urls": [ARTICLE]}))


# --- decompression -----------------------------------------------------------------------------


def compressed(body: bytes, **kw) -> Response:
    return Response(
        ARTICLE,
        body=body,
        headers={"Content-Encoding": "gzip", "Content-Type": "text/html"},
        request=Request(ARTICLE),
    )


def test_gzip_bomb_and_corrupt_gzip_are_counted():
    crawler = crawler_for(DOWNLOAD_MAXSIZE=1024 * 1024)
    mw = GuardedHttpCompressionMiddleware.from_crawler(crawler)
    bomb = compressed(gzip.compress(b"<p>" + b"A" * (2 * 1024 * 1024)))
    with pytest.raises(GuardSkip, match="gzip_bomb"):
        mw.process_response(bomb.request, bomb)
    junk = compressed(b"not gzip at all")
    with pytest.raises(GuardSkip, match="bad_encoding"):
        mw.process_response(junk.request, junk)
    fine = compressed(gzip.compress(PAGE))
    assert mw.process_response(fine.request, fine).body == PAGE
    assert crawler.stats.get_value("skipped/gzip_bomb") == 1
    assert crawler.stats.get_value("skipped/bad_encoding") == 1


# --- responses and download errors ---------------------------------------------------------------


@pytest.mark.parametrize(
    "exception,reason",
    [
        (DownloadTimeoutError("took longer than 2.0 seconds"), "timeout"),
        (DownloadCancelledError("larger than download max size"), "too_large"),
        (ResponseDataLossError(), "data_loss"),
        (DownloadConnectionRefusedError(), "connection_error"),
        (DownloadFailedError("ResponseNeverReceived"), "connection_error"),
        (ValueError("something else"), "download_error"),
    ],
)
def test_download_errors_after_retries_become_counted_skips(exception, reason):
    crawler = crawler_for()
    mw = ResponseGuardMiddleware.from_crawler(crawler)
    with pytest.raises(GuardSkip) as raised:
        mw.process_exception(Request(ARTICLE, meta={"retry_times": 2}), exception)
    assert raised.value.reason == reason
    assert isinstance(raised.value, IgnoreRequest)  # errbacks see it; Scrapy logs no error
    assert crawler.stats.get_value(f"skipped/{reason}") == 1


def test_ignored_requests_and_robots_txt_are_left_alone():
    mw = ResponseGuardMiddleware.from_crawler(crawler_for())
    assert mw.process_exception(Request(ARTICLE), IgnoreRequest("robots")) is None
    assert mw.process_exception(Request(f"{VI}/robots.txt"), DownloadTimeoutError()) is None


def test_article_responses_with_nothing_to_extract_are_skipped():
    crawler = crawler_for()
    mw = ResponseGuardMiddleware.from_crawler(crawler)
    empty = html(ARTICLE, b"")
    with pytest.raises(GuardSkip, match="empty_body"):
        mw.check(empty.request, empty)
    # The same empty body on a listing is the spider's business (its errback, its counters).
    listing = html(f"{VI}/kinh-te/", b"")
    listing.request.meta["listing"] = True
    assert mw.check(listing.request, listing) is listing
    error = html(ARTICLE, b"", status=500)
    assert mw.check(error.request, error) is error


def test_nul_bytes_are_stripped_and_noted():
    crawler = crawler_for()
    mw = ResponseGuardMiddleware.from_crawler(crawler)
    dirty = html(ARTICLE, PAGE.replace("Tiêu".encode(), "Ti\x00êu".encode()))
    clean = mw.check(dirty.request, dirty)
    assert b"\x00" not in clean.body and "Tiêu đề".encode() in clean.body
    assert dirty.request.meta[GUARD_ISSUES] == ["nul_bytes"]
    wide = html(ARTICLE, "<html><body><p>Tin</p></body></html>".encode("utf-16"))
    assert mw.check(wide.request, wide) is wide  # UTF-16: NULs are the encoding


def test_clean_pages_pass_untouched():
    mw = ResponseGuardMiddleware.from_crawler(crawler_for())
    response = html(ARTICLE)
    assert mw.check(response.request, response) is response
    assert GUARD_ISSUES not in response.request.meta


# --- spider side -------------------------------------------------------------------------------


def test_http_errors_left_after_retries_are_counted_and_passed_on():
    crawler = crawler_for()
    mw = GuardSpiderMiddleware.from_crawler(crawler)
    response = html(ARTICLE, status=503)
    assert mw.process_spider_exception(response, HttpError(response, "503")) is None
    assert crawler.stats.get_value("skipped/http_5xx") == 1


def test_an_extraction_crash_costs_one_article_not_the_crawl():
    crawler = crawler_for()
    mw = GuardSpiderMiddleware.from_crawler(crawler)
    assert mw.process_spider_exception(html(ARTICLE), RecursionError("deep")) == []
    assert crawler.stats.get_value("skipped/extract_error") == 1
    listing = html(f"{VI}/kinh-te/")
    listing.request.meta["listing"] = True
    assert mw.process_spider_exception(listing, KeyError("x")) is None  # Scrapy reports it


def test_records_get_the_guard_reasons_and_title_too_long():
    mw = GuardSpiderMiddleware.from_crawler(crawler_for(GUARD_TITLE_MAX=10))
    response = html(ARTICLE)
    response.request.meta[GUARD_ISSUES] = ["nul_bytes"]
    records = [
        {"id": "baolongan:123", "title": "Một tiêu đề dài", "quality_issues": ["no_date"]},
        {"_tombstone": True, "id": "baolongan:1"},
        Request(f"{VI}/khac-a5.html"),
    ]
    out = list(mw.process_spider_output(response, records))
    assert out[0]["quality_issues"] == ["no_date", "nul_bytes", "title_too_long"]
    assert out[0]["title"] == "Một tiêu đề dài"  # kept whole
    assert out[1] == {"_tombstone": True, "id": "baolongan:1"}
    assert isinstance(out[2], Request)
