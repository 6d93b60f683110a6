"""The replica's old section URLs (`--old-sections`, tests/replica/old_sections.py): the vi host
serves /phap-luat/ and /quoc-phong-an-ninh/ for old articles, across pages, no menu names them, and
the truth file lists exactly those articles with the old section."""

from __future__ import annotations

import gzip
import re

import pytest

from tests.replica.pages import Replica

HREF_RE = re.compile(r'href="(?:https://baolongan\.vn)?(/[^"]*-a\d+\.html)"')


@pytest.fixture(scope="module")
def rep() -> Replica:
    return Replica(articles=600, seed=2, irregular=False, old_sections=True)


def _html(rep: Replica, host: str, path: str) -> tuple[int, str]:
    resp = rep.respond(host, "GET", path, {})
    body = resp.body
    if dict(resp.headers).get("Content-Encoding") == "gzip":
        body = gzip.decompress(body)
    return resp.status, body.decode("utf-8")


@pytest.mark.parametrize("slug", ["phap-luat", "quoc-phong-an-ninh"])
def test_old_section_lists_its_truth_articles(rep, slug) -> None:
    section = rep.old.get("vi", slug)
    truth = {
        t["_path"] for t in rep.truth_records() if any(s["slug"] == slug for s in t["sections"])
    }
    assert len(truth) > rep.cfg.page_size, "more than one page"
    listed: set[str] = set()
    for n in range(1, 10):
        status, html = _html(rep, "vi", rep.page_path(section, n))
        assert status == 200
        listed |= set(HREF_RE.findall(html.split('class="side', 1)[0]))
    assert truth <= listed
    assert all(t["published_at"] < "2020" for t in rep.truth_records() if t["_path"] in truth)
    assert f"/{slug}/" not in _html(rep, "vi", "/")[1]
    assert _html(rep, "en", f"/{slug}/")[0] == 404


def test_without_the_flag_they_are_gone() -> None:
    plain = Replica(articles=60, seed=2, irregular=False)
    assert plain.respond("vi", "GET", "/quoc-phong-an-ninh/", {}).status == 404
