"""One page alone, nothing learned: generated chromes whose sidebar holds a static "about" box
longer than most articles (tests/replica/generated.py, `about_box: long`). Before anything is
learned — the first pages of a crawl, `scrapy parse`, one page handed to build_record — the body
is the densest block in the title's column (crawler/pages/article/container.py), not the box.

Pages are rendered in-process by the replica and compared with its truth, field by field."""

from __future__ import annotations

import pytest

from crawler.extract import extract_page
from crawler.normalize.record import normalize_record
from tests.benchmarks.chromes import chrome_pages
from tests.benchmarks.extraction import EDITIONS
from tests.replica.generated import GeneratedChrome

FIELDS = ("title", "lead", "body_text", "body_html", "images", "byline_raw", "authors")
SITE_SEED = 5


def long_about_seeds(count: int) -> list[int]:
    return [n for n in range(200) if GeneratedChrome(n).choices["about_box"] == "long"][:count]


@pytest.mark.parametrize("chrome_seed", long_about_seeds(6))
def test_each_page_alone_equals_the_truth(chrome_seed):
    pages = chrome_pages(chrome_seed, SITE_SEED, articles=40, items=14)
    assert len(pages) == 14
    wrong = []
    for page in pages:
        raw = extract_page(page.body, page.charset, page.url, EDITIONS)  # no chrome, no learning
        got = normalize_record(raw.record)[0]
        wrong += [
            (page.url, field, str(got.get(field))[:80], str(page.truth.get(field))[:80])
            for field in FIELDS
            if got.get(field) != page.truth.get(field)
        ]
    assert not wrong, f"chrome {chrome_seed}: {len(wrong)} fields differ, first {wrong[:3]}"
