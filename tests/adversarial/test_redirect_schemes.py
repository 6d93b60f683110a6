"""Issue 15 item 11: redirects to schemes that can never be fetched.

A `Location: javascript:...` made Scrapy raise ValueError while building the redirected request:
an ERROR with a traceback that counts toward the error limit (the run exited 1). `file:` and
`ftp:` targets were left to HttpErrorMiddleware and counted as `http_3xx`. Each is now a counted
skip with its own reason (`javascript_redirect`, `non_http_redirect`), nothing is requested and
the rest of the crawl is archived.
"""

from __future__ import annotations

import pytest

from crawler.guards.downloader import unfollowable_redirect
from tests.adversarial import crawl
from tests.adversarial.server import Answer, article, home, redirect, sites


def _meta_refresh(target: str) -> Answer:
    body = f'<html><head><meta http-equiv="refresh" content="0; url={target}"></head></html>'
    return Answer(body=body.encode())


def test_javascript_file_and_ftp_redirects_are_counted_skips(tmp_path):
    with sites({}, {}) as (vi, en):
        vi.routes.update(
            home(
                [
                    ("/chuyen-huong-js-a1.html", "JavaScript"),
                    ("/chuyen-huong-file-a2.html", "Tệp"),
                    ("/chuyen-huong-ftp-a3.html", "FTP"),
                    ("/lam-moi-js-a4.html", "Làm mới JavaScript"),
                    ("/bai-tot-a5.html", "Bài tốt"),
                ]
            )
        )
        vi.routes.update(
            {
                "/chuyen-huong-js-a1.html": redirect("javascript:location='/bai-tot-a5.html'"),
                "/chuyen-huong-file-a2.html": redirect("file:///etc/passwd", 301),
                "/chuyen-huong-ftp-a3.html": redirect("ftp://baolongan.vn/bai-a3.html", 307),
                "/lam-moi-js-a4.html": _meta_refresh("javascript:alert(1)"),
                "/bai-tot-a5.html": article("Bài tốt vẫn được lưu"),
            }
        )
        result = crawl.run(vi.base, en.base, tmp_path / "out", "edition=vi", timeout=240)
        hits = vi.paths()
    assert result.exit_code in (0, 3), result.log[-3000:]
    assert "ERROR" not in result.log, result.log[-3000:]
    assert result.stats.get("log_count/ERROR", 0) == 0
    assert result.stats.get("skipped/javascript_redirect") == 2, result.stats
    assert result.stats.get("skipped/non_http_redirect") == 2, result.stats
    assert "skipped/http_3xx" not in result.stats
    assert result.report["skipped"].get("javascript_redirect") == 2
    assert result.report["skipped"].get("non_http_redirect") == 2
    for path in ("/chuyen-huong-js-a1.html", "/chuyen-huong-file-a2.html"):
        assert hits.count(path) == 1, hits
    assert "skipped http" in result.log and "javascript_redirect (HTTP 302 to" in result.log
    assert result.record(5) is not None
    assert all(result.record(i) is None for i in (1, 2, 3, 4))


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("javascript:location='/x-a1.html'", "javascript_redirect"),
        ("JavaScript:void(0)", "javascript_redirect"),
        ("java\tscript:alert(1)", "javascript_redirect"),
        ("file:///etc/passwd", "non_http_redirect"),
        ("ftp://baolongan.vn/x-a1.html", "non_http_redirect"),
        ("data:text/html,<p>x</p>", "non_http_redirect"),
        ("mailto:toasoan@baolongan.vn", "non_http_redirect"),
        ("http://baolongan.vn/x-a1.html", None),
        ("HTTPS://baolongan.vn/x-a1.html", None),
    ],
)
def test_unfollowable_redirect(url, reason):
    found = unfollowable_redirect(url)
    assert (found and found[0]) == reason


def test_a_long_script_is_not_logged_whole():
    reason, detail = unfollowable_redirect("javascript:" + "a" * 100_000)
    assert reason == "javascript_redirect"
    assert len(detail) < 300
