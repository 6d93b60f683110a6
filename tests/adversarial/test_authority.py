"""Issue 15 item 3: a URL's authority is parsed, not split on ":".

Production host names resolve to 127.0.0.1 inside the test crawl only (resolver.py). The portal is
`http://baolongan.vn:<vi port>`; a redirect to `http://baolongan.vn:1@127.0.0.1:<vi port>/...`
(userinfo: the host is 127.0.0.1) or to `http://baolongan.vn:<other port>/...` is not the portal:
refused and counted (`skipped/bad_authority` for the userinfo, `skipped/offsite_redirect` for
another origin), never requested, and the run goes on.
"""

from __future__ import annotations

import pytest

from crawler.editions import Editions, authority, host_of
from tests.adversarial import crawl
from tests.adversarial.server import article, home, redirect, sites


def test_a_redirect_with_userinfo_or_another_port_is_refused_and_counted(tmp_path):
    with sites({}, {}, {}) as (vi, en, other):
        portal = f"http://baolongan.vn:{vi.port}"
        vi.routes.update(
            home(
                [
                    ("/chuyen-huong-userinfo-a1.html", "Userinfo"),
                    ("/chuyen-huong-cong-khac-a2.html", "Cổng khác"),
                    ("/bai-tot-a3.html", "Bài tốt"),
                    # A link (not a redirect) to another port: never followed either.
                    (f"http://baolongan.vn:{other.port}/lien-ket-a4.html", "Liên kết"),
                ]
            )
        )
        vi.routes.update(
            {
                "/chuyen-huong-userinfo-a1.html": redirect(
                    f"http://baolongan.vn:1@127.0.0.1:{vi.port}/dich-a1.html"
                ),
                "/chuyen-huong-cong-khac-a2.html": redirect(
                    f"http://baolongan.vn:{other.port}/dich-a2.html"
                ),
                "/bai-tot-a3.html": article("Bài tốt vẫn được lưu"),
            }
        )
        result = crawl.run(
            portal, f"http://news.baolongan.vn:{en.port}", tmp_path / "out", "edition=vi",
            timeout=240,
        )  # fmt: skip
        assert result.exit_code in (0, 3), result.log[-3000:]
        assert other.paths() == [], "a URL on another port was requested"
        assert "/dich-a1.html" not in vi.paths(), "the userinfo redirect was followed"
        # userinfo: a malformed authority; another port: another origin, offsite.
        assert result.stats.get("skipped/bad_authority") == 1, result.stats
        assert result.stats.get("skipped/offsite_redirect") == 1, result.stats
        assert result.report["skipped"].get("bad_authority") == 1
        assert result.record(3) is not None
        assert vi.count("/robots.txt") == 1


@pytest.mark.parametrize(
    ("url", "portal"),
    [
        ("http://baolongan.vn:1@127.0.0.1:8101/x-a1.html", False),
        ("http://baolongan.vn@127.0.0.1:8101/x-a1.html", False),
        ("http://127.0.0.1:8101@baolongan.vn/x-a1.html", False),
        ("http://baolongan.vn:8102/x-a1.html", False),
        ("https://baolongan.vn:8443/x-a1.html", False),
        ("http://baolongan.vn:99999/x-a1.html", False),
        ("http://baolongan.vn:abc/x-a1.html", False),
        ("ftp://baolongan.vn/x-a1.html", False),
        ("javascript:location='https://baolongan.vn/x-a1.html'", False),
        ("https://baolongan.vn.evil.example/x-a1.html", False),
        ("http://127.0.0.1:8109/x-a1.html", False),
        ("https://BaoLongAn.VN./x-a1.html", True),
        ("https://baolongan.vn:443/x-a1.html", True),
        ("http://www.baolongan.vn:80/x-a1.html", True),
        ("http://127.0.0.1:8101/x-a1.html", True),
    ],
)
def test_is_portal_parses_the_authority(url, portal):
    editions = Editions("http://127.0.0.1:8101", "http://127.0.0.1:8102")
    assert editions.is_portal(url) is portal
    assert (editions.to_fetch(url) is not None) is portal


def test_production_names_on_another_port_are_a_mirror():
    editions = Editions("http://baolongan.vn:8101", "http://news.baolongan.vn:8102")
    assert editions.mirrored
    assert editions.fetch_edition("http://BAOLONGAN.vn.:8101/x-a1.html") == "vi"
    assert (
        editions.to_fetch("https://baolongan.vn/x-a1.html") == "http://baolongan.vn:8101/x-a1.html"
    )
    assert editions.to_fetch("http://baolongan.vn:8102/x-a1.html") is None
    assert editions.authority_problem("http://baolongan.vn:8102/x-a1.html") is None
    assert "bad port" in editions.authority_problem("http://baolongan.vn:99999/x-a1.html")
    assert "userinfo" in editions.authority_problem("http://a:b@baolongan.vn:8101/x-a1.html")
    assert not Editions().mirrored


def test_host_of_and_authority():
    assert host_of("//WWW.BaoLongAn.vn./image/a.jpg") == "www.baolongan.vn"
    assert host_of("http://baolongan.vn:1@127.0.0.1:8101/") is None
    assert host_of("http://bàolongan.vn/") == "xn--bolongan-zya.vn"
    assert host_of("mailto:a@b.vn") is None
    assert host_of("/relative/path") is None
    auth = authority("HTTPS://baolongan.vn/x")
    assert (auth.scheme, auth.host, auth.port) == ("https", "baolongan.vn", 443)
    assert authority("http://baolongan.vn:70000/") is None
