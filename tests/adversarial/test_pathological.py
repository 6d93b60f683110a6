"""Issue 15 item 1: one pathological page must not freeze the crawl.

1 MB and 32 MiB (just under DOWNLOAD_MAXSIZE) pages of unclosed `<script>`, unclosed `<!--`, an
unclosed attribute quote, extreme nesting and one huge attribute are served by a real HTTP server
on 127.0.0.1 to a real crawl. Each must end as a record or as a counted, logged skip, and while
they are processed the crawl must keep requesting other pages: a section's pagination is a chain
of slow pages, each found only once the one before it was parsed, so a blocked reactor shows as a
gap in the server's own log of request times. The bounds are generous (seconds against the
minutes the quadratic scans took); this is not a benchmark.

The unit tests run the guards' pure checks on each input at 32 MiB: they must finish (linear
scans); the time bound only catches a return of the quadratic rescans.
"""

from __future__ import annotations

import re
import time

import pytest

from crawler.guards import (
    flatten_deep_nesting,
    has_visible_text,
    inspect_body,
    looks_truncated,
    repair_headings,
)
from tests.adversarial import crawl
from tests.adversarial.server import HTML, Answer, article, home, sites
from tests.hostile import pages

MB = 1_000_000
MIB = 1 << 20
BIG = 32 * MIB - 64 * 1024  # under DOWNLOAD_MAXSIZE (32 MiB), with room for the page around it
CHAIN = 40  # pagination pages, each found only after the one before it was parsed
CHAIN_DELAY = 0.25  # seconds the server takes per pagination page: the chain lasts >= 10 s
MAX_GAP = 15.0  # seconds without any request while the chain runs: the reactor was blocked


def _page(title: str, inside: bytes) -> bytes:
    """An article page with `inside` right after the opening <body> tag."""
    html = pages.article_page(pages.ArticleSpec(title=title)).encode()
    cut = html.index(b">", html.index(b"<body")) + 1
    return html[:cut] + inside + html[cut:]


def _fill(unit: bytes, size: int) -> bytes:
    return unit * (size // len(unit))


def pathological(kind: str, size: int) -> bytes:
    """A page of about `size` bytes whose bulk is `kind`."""
    if kind == "unclosed_script":
        return b"<!DOCTYPE html><html><head>" + _fill(b"<script>var a=1;", size)
    if kind == "unclosed_comment":
        return b"<!DOCTYPE html><html><head></head><body>" + _fill(b"<!-- c ", size)
    if kind == "unclosed_quote":
        return _page("Thuộc tính không đóng", b'<p title="' + _fill(b"x>y ", size))
    if kind == "extreme_nesting":
        return _page("Lồng quá sâu", _fill(b"<div>", size))
    if kind == "huge_attribute":
        return _page("Thuộc tính khổng lồ", b'<p data-x="' + _fill(b"A", size) + b'"></p>')
    raise ValueError(kind)


KINDS = [
    "unclosed_script",
    "unclosed_comment",
    "unclosed_quote",
    "extreme_nesting",
    "huge_attribute",
]


# --- unit: every check finishes on each input at 32 MiB ---------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_every_guard_check_is_linear_on_32_mib(kind):
    body = pathological(kind, BIG)
    # Each check alone, then all of them as the middleware runs them (item and listing).
    checks = [
        lambda: has_visible_text(body),
        lambda: repair_headings(body),
        lambda: looks_truncated(body),
        lambda: inspect_body(body, HTML, item=True, max_depth=200, max_tags=500_000),
        lambda: inspect_body(body, HTML, item=False, max_depth=200, max_tags=500_000),
    ]
    for check in checks:
        started = time.monotonic()
        check()
        # The quadratic scans took minutes at 1 MB; a linear one takes ~1 s at 32 MiB.
        assert time.monotonic() - started < 20


@pytest.mark.parametrize("kind", KINDS)
def test_the_nesting_scan_is_linear_on_1_mb(kind):
    # Below the tag limit the per-tag scan runs: it must stay one step per tag.
    body = pathological(kind, MB)
    started = time.monotonic()
    flatten_deep_nesting(body, 200)
    assert time.monotonic() - started < 20


def test_the_verdicts_on_pathological_pages():
    item = dict(item=True, max_depth=200, max_tags=500_000)
    assert inspect_body(pathological("unclosed_script", MB), HTML, **item).skip[0] == "script_only"
    assert inspect_body(pathological("unclosed_comment", MB), HTML, **item).skip[0] == "blank_page"
    nested = inspect_body(pathological("extreme_nesting", MB), HTML, **item)
    assert nested.skip is None and [f[0] for f in nested.flags] == ["deep_nesting"]
    assert inspect_body(pathological("extreme_nesting", BIG), HTML, **item).skip[0] == (
        "too_many_tags"
    )
    assert inspect_body(pathological("huge_attribute", BIG), HTML, **item).skip is None
    # A quote never closed swallows the rest of the page, as in a browser; the title stays shown.
    assert has_visible_text(pathological("unclosed_quote", MB))
    assert not has_visible_text(b'<html><body><p title="' + b"x>y " * 1000)


# --- a real crawl ------------------------------------------------------------------------------


def _chain_page(n: int, article_path: str) -> Answer:
    """Page n of a section: one entry and a link to page n + 1 (the last page links nowhere)."""
    entry = pages.entry(article_path, f"Bài số {n}", "Tóm tắt.")
    pager = (
        f'<div class="pagination"><a href="/thoi-su-chinh-tri/?p={n + 1}&amp;d=">{n + 1}</a></div>'
        if n < CHAIN
        else ""
    )
    main = f'<div class="list-news">{entry}</div>{pager}'
    body = pages.page("vi", f"Thời sự trang {n}", main, body_class="page-list").encode()
    return Answer(body=body)


def _slow(answer: Answer):
    def route(handler) -> Answer:
        time.sleep(CHAIN_DELAY)  # a slow server, not a synchronisation
        return answer

    return route


def test_pathological_pages_do_not_freeze_the_crawl(tmp_path):
    bad = {}  # path -> (kind, size)
    aid = 950001
    for size in (MB, BIG):
        for kind in KINDS:
            bad[f"/trang-benh-{kind.replace('_', '-')}-a{aid}.html"] = (kind, size)
            aid += 1
    with sites({}, {}) as (vi, en):
        routes = home([(path, kind) for path, (kind, _) in bad.items()])
        for path, (kind, size) in bad.items():
            routes[path] = Answer(body=pathological(kind, size))
        for n in range(1, CHAIN + 1):
            good = f"/bai-tot-so-{n}-a{960000 + n}.html"
            routes[good] = article(f"Bài tốt số {n}")
            page = _chain_page(n, good)
            routes["/thoi-su-chinh-tri/" if n == 1 else f"/thoi-su-chinh-tri/?p={n}&d="] = _slow(
                page
            )
        vi.routes.update(routes)
        # Coverage gates are not what this test is about (the bad pages have no lead).
        settings = {"QUALITY_GATE_MIN_ARTICLES": 1000}
        result = crawl.run(
            vi.base, en.base, tmp_path / "out", "edition=vi", settings=settings, timeout=600
        )
        log = vi.hits

    assert result.exit_code in (0, 3), result.log[-3000:]
    # Every pathological page became a record or a counted skip with a reason.
    outcomes = {}
    for path, (kind, size) in bad.items():
        url = vi.base + path
        article_id = int(path.rsplit("-a", 1)[1].split(".")[0])
        skipped = re.search(rf"skipped {re.escape(url)}: (\w+) ", result.log)
        if skipped:
            assert result.stats.get(f"skipped/{skipped.group(1)}", 0) >= 1, skipped.group(0)
        else:
            assert result.record(article_id) is not None, f"{kind} {size}: no outcome"
        outcomes[(kind, size)] = skipped.group(1) if skipped else "record"
    # The whole chain was crawled, and it was still running when the last bad page was answered.
    chain = [h for h in log if h.path.split("?")[0] == "/thoi-su-chinh-tri/"]
    assert len(chain) == CHAIN
    bad_answered = max(h.answered or 0 for h in log if h.path in bad)
    assert chain[-1].arrived > bad_answered, "the chain ended before the bad pages were served"
    # No request-free gap: the reactor never stood still while the bad pages were processed.
    arrivals = sorted(h.arrived for h in log)
    gaps = [b - a for a, b in zip(arrivals, arrivals[1:], strict=False) if b <= chain[-1].arrived]
    print(f"longest gap between requests: {max(gaps):.2f} s; outcomes: {outcomes}")
    assert max(gaps) < MAX_GAP, f"the crawl stood still for {max(gaps):.1f} s"
    # The good articles all came through.
    for n in range(1, CHAIN + 1):
        assert result.record(960000 + n) is not None, n
