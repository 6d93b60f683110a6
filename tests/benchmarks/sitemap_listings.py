"""How many listing pages a sitemap saves: `python -m tests.benchmarks.sitemap_listings [--articles N]`.

One real crawl of a replica that serves sitemaps and feeds (`--sitemap`, a few articles hidden from
the listings by `--unlisted`). From the replica's access log it counts the listing pages (home pages
and every page of every section) and the sitemap files the crawl fetched, and from the run report
the items each discovery source found. Discovering every article through the listings takes all
those listing pages; through the sitemap it takes the sitemap files alone, so the listing pages
saved are the difference. (The crawler still pages the listings: they name each item's sections,
which no sitemap does; the figure says what a sitemap-only discovery pass would cost.)

Measured 2026-12-03 (seed 1, 5 hidden): 1,000 articles: 149 listing pages, 241 sitemap files (-92:
one sitemap per month of ten years outnumbers a small site's listing pages); 5,000 articles: 688
listing pages, 254 sitemap files, 434 saved. At the real site's ~200,000 articles the monthly
sitemaps stay near 250 while the listing pages grow with the articles.
"""

from __future__ import annotations

import argparse
import re
import tempfile
from pathlib import Path

from tests.support import latest_report, replica, run_crawl

LISTING_RE = re.compile(r"^/(?:[a-z0-9-]+/){1,2}(?:trang-\d+/)?(?:\?.*)?$")


def measure(articles: int, seed: int, unlisted: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        extra = ["--sitemap", "--unlisted", str(unlisted), "--no-irregular"]
        with replica(folder / "replica", articles=articles, seed=seed, extra=extra) as rep:
            run_crawl(rep, folder / "out", settings={"FETCH_REQUISITES": "False"}, timeout=3600)
            access = [e for e in rep.access() if e["method"] == "GET" and e["status"] == 200]
            truth = [t for t in rep.truth_records() if t["type"] == "article"]
        report = latest_report(folder / "out")
    paths = [(e["edition"], e["path"]) for e in access]
    listing = {p for p in paths if p[1] == "/" or LISTING_RE.match(p[1])}
    listing -= {p for p in listing if p[1].startswith(("/sitemaps/", "/rss/"))}
    sitemaps = {p for p in paths if p[1] == "/sitemap.xml" or p[1].startswith("/sitemaps/")}
    discovery = report["discovery"]
    return {
        "articles": len(truth),
        "listing_pages": len(listing),
        "sitemap_files": len(sitemaps),
        "saved": len(listing) - len(sitemaps),
        "found": discovery["found"],
        "only": discovery["only"],
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--unlisted", type=int, default=5)
    args = ap.parse_args(argv)
    m = measure(args.articles, args.seed, args.unlisted)
    print(f"articles in the replica: {m['articles']:,} ({args.unlisted} hidden from listings)")
    print(
        f"listing pages fetched (home pages, every page of every section): {m['listing_pages']:,}"
    )
    print(f"sitemap files fetched (indexes and monthly sitemaps): {m['sitemap_files']:,}")
    cost = " (negative: the sitemap files outnumber the listing pages)" if m["saved"] < 0 else ""
    print(f"listing pages the sitemap saved for discovery: {m['saved']:,}{cost}")
    print(f"items found by source: {m['found']}")
    print(f"items only that source found: {m['only']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
