"""Benchmark: ours vs trafilatura on the pages written blind (tests/pages/fixtures/*/truth.json).

    python -m tests.benchmarks.blind

The replica's chromes are ours; these pages are not: their writers read the site facts and the
record contract but never crawler/, and wrote each page's truth by hand (tests/pages/
test_blind_truth.py). Both extractors read the same bytes; accuracy is scored as in
tests/benchmarks/extraction.py (title, date to the day and to the minute, body text exact and by
word similarity, authors), and for ours every checked field of the truth as well. A script, not a
test: figures are printed, never asserted (house style).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from crawler.editions import Editions
from crawler.extract import build_record
from tests.benchmarks.extraction import Page, extract_trafilatura, print_accuracy, run_both

FIXTURES = Path(__file__).resolve().parents[1] / "pages" / "fixtures"
FIELDS = ("id", "language", "kicker", "title", "lead", "body_text", "published_at", "authors")
FIELDS += ("translators", "source_credit", "images")


def load() -> list[Page]:
    pages = []
    for folder in sorted(p for p in FIXTURES.iterdir() if (p / "truth.json").exists()):
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        truth = json.loads((folder / "truth.json").read_text(encoding="utf-8"))
        body = (folder / "page.html").read_bytes()
        pages.append(Page(meta["url"], body, meta.get("charset"), truth))
    return pages


def _ours_fields(p: Page) -> dict:
    record, _, _ = build_record(p.body, p.charset, p.url, Editions())
    record["images"] = [
        {"url": i["url"], "caption": i["caption"], "credit": i["credit"]} for i in record["images"]
    ]
    return record


def main() -> int:
    pages = load()
    n = len(pages)
    print(f"{n} pages written blind (tests/pages/fixtures/*/truth.json)")
    _ours_fields(pages[0])  # warm-up: imports and caches
    extract_trafilatura(pages[0])
    t_ours, t_traf, _, traf = run_both(pages, block=n)
    ours = [_ours_fields(p) for p in pages]
    print(f"{'':13s} {'pages/s (CPU)':>14s}")
    print(f"{'ours':13s} {n / t_ours.cpu:14.1f}")
    print(f"{'trafilatura':13s} {n / t_traf.cpu:14.1f}")
    print_accuracy(pages, ours, traf, "the writers' truth")
    right = sum(r[k] == p.truth[k] for p, r in zip(pages, ours, strict=True) for k in FIELDS)
    print(f"\nours: {right} of {n * len(FIELDS)} checked fields equal to the truth")
    for k in FIELDS:
        wrong = [p.url for p, r in zip(pages, ours, strict=True) if r[k] != p.truth[k]]
        if wrong:
            print(f"  {k}: {len(wrong)} pages differ ({', '.join(wrong)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
