"""crawler/spiders/common.py RecentUrls: a bounded set of the URLs added last."""

from __future__ import annotations

from crawler.spiders.common import RecentUrls


def test_remembers_the_last_ones_and_forgets_the_oldest():
    recent = RecentUrls(3)
    assert [recent.seen(u) for u in ("a", "b", "c")] == [False, False, False]
    assert recent.seen("a")  # asked again: now the newest
    assert not recent.seen("d")  # "b", the oldest, is forgotten
    assert len(recent) == 3
    assert not recent.seen("b")
    assert recent.seen("a") and recent.seen("d")


def test_what_comes_on_every_page_stays_while_the_rest_passes_through():
    recent = RecentUrls(4)
    chrome = ["style.css", "main.js"]
    for page in range(100):
        for url in [*chrome, f"img-{page}-1.jpg", f"img-{page}-2.jpg"]:
            first = recent.seen(url)
            assert first == (url in chrome and page > 0)
    assert len(recent) == 4
