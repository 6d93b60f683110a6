"""The replica's `--unlisted K` and `--id-span N`: K articles no page links (only an id probe
reaches them), still served and still in the truth file; everything else as without them.
In-process: every page reachable from both home pages is rendered and its links read."""

from __future__ import annotations

import re
import subprocess
import sys
from collections import deque
from functools import cache
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

from tests.replica import Replica

ROOT = Path(__file__).resolve().parent.parent
HREF_RE = re.compile(r'href="([^"]+)"')
ARTICLE_RE = re.compile(r"-a(\d+)\.html")
HOSTS = {
    "baolongan.vn": "vi",
    "www.baolongan.vn": "vi",
    "news.baolongan.vn": "en",
    "www.news.baolongan.vn": "en",
}


@cache
def replica(unlisted: int = 0, id_span: int | None = None) -> Replica:
    return Replica(articles=150, seed=5, unlisted=unlisted, id_span=id_span, irregular=False)


def linked_article_ids(rep: Replica) -> set[int]:
    """Article ids named by any link of any page reachable from the two home pages."""
    seen: set[tuple[str, str]] = set()
    todo = deque([("vi", "/"), ("en", "/")])
    named: set[int] = set()
    while todo:
        host, path = todo.popleft()
        if (host, path) in seen:
            continue
        seen.add((host, path))
        page = rep.route(host, path)
        if page.status == 301:
            todo.append((host, page.headers["Location"]))
            continue
        if page.status != 200 or not isinstance(page.body, str):
            continue
        for raw in HREF_RE.findall(page.body):
            href = raw.replace("&amp;", "&")
            url = urlsplit(urljoin("https://baolongan.vn" if host == "vi" else "", href))
            target = HOSTS.get(url.netloc, host) if url.netloc else host
            if url.netloc and url.netloc not in HOSTS:
                continue
            if m := ARTICLE_RE.search(url.path):
                named.add(int(m.group(1)))
            last = url.path.rsplit("/", 1)[-1]
            if not m and (url.path.startswith(("/image/", "/news/20")) or "." in last):
                continue  # images, CSS, albums: no links to follow
            todo.append((target, url.path + (f"?{url.query}" if url.query else "")))
    return named


def test_unlisted_articles_are_linked_by_no_page_but_served_and_in_truth():
    rep = replica(unlisted=5)
    hidden = {rep.site.aid(p) for p in rep.site.unlisted}
    assert len(hidden) == 5
    truth_ids = {t["article_id"] for t in rep.truth_records() if t["type"] == "article"}
    assert hidden <= truth_ids
    named = linked_article_ids(rep)
    assert not hidden & named, "an unlisted article is linked"
    assert truth_ids - hidden <= named, "every other live article is still reachable"
    for p in rep.site.unlisted:
        art = rep.site.article(p)
        assert rep.route(art.lang, art.path).status == 200
    # Without --unlisted the same articles are linked: the walk can see them.
    assert hidden <= linked_article_ids(replica())


def test_unlisted_is_deterministic_and_named_in_the_manifest():
    a, b = Replica(articles=150, seed=5, unlisted=5), replica(unlisted=5)
    assert a.site.unlisted == b.site.unlisted
    manifest = a.manifest()
    assert manifest["unlisted"]["article_ids"] == sorted(a.site.aid(p) for p in a.site.unlisted)
    assert "unlisted" not in replica().manifest() and "id_span" not in replica().manifest()


def test_bodies_only_lose_the_link_to_an_unlisted_article():
    plain, hiding = replica(), replica(unlisted=5)
    changed = 0
    for p in hiding.site.live_positions():
        before, after = plain.site.article(p), hiding.site.article(p)
        if before == after:
            continue
        changed += 1
        gone = {seg.target for b in before.blocks for seg in b.segments if hasattr(seg, "target")}
        kept = {seg.target for b in after.blocks for seg in b.segments if hasattr(seg, "target")}
        assert gone - kept <= {hiding.site.aid(q) for q in hiding.site.unlisted}
        assert before.title == after.title and len(before.blocks) == len(after.blocks)
    assert changed, "some body linked an unlisted article before"


def test_id_span_makes_ids_dense():
    rep = replica(id_span=300)
    ids = sorted(t["article_id"] for t in rep.truth_records() if t["type"] == "article")
    assert ids[-1] - ids[0] < 400 and len(ids) >= 150
    assert ids[0] >= 5_900


@pytest.mark.parametrize("option", ["--unlisted", "--id-span"])
def test_help_names_the_option(option):
    out = subprocess.run(
        [sys.executable, "-m", "tests.replica", "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert option in out
