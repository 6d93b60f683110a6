"""Benchmark: per-field accuracy over generated page chromes, ours vs trafilatura, side by side.

    python -m tests.benchmarks.chromes [--chromes 200] [--first 0] [--items 12] [--seed 5]
                                       [--show 3] [--no-trafilatura]

For each chrome seed N in [first, first + chromes) the replica (in-process, no server) draws the
same site (`--seed`) in the chrome generated from N (`--chrome-seed N` on the command line), and
the item pages (articles and albums, both editions, as served: charset header and bytes) are
extracted by both tools and compared with the replica's truth, field by field. Ours learns the
chrome's page template as a crawl does (crawler/pages/template.py): first from the home page and
the first page of each section, then from every item page it extracts; `--no-learning` extracts
each page on its own. trafilatura has
no kicker, byline, images or canonical URL: those rows show "n/a" for it. `--show K` prints the
first K differences per field with the chrome seed, so a failure reproduces with
`python -m tests.replica --chrome-seed N`. A script, not a test: it prints, it asserts nothing.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections import defaultdict
from typing import Any

from crawler.extract import extract_page
from crawler.normalize.record import normalize_record
from crawler.pages.listing import parse_listing
from crawler.pages.template import Template
from tests.benchmarks.extraction import (
    EDITIONS,
    Page,
    _authors_of,
    _norm,
    _same_title,
    _similarity,
    extract_ours,
    extract_trafilatura,
)
from tests.replica import Replica

# Record fields compared for ours (every content field of the contract).
OURS_FIELDS = (
    "title", "kicker", "lead", "body_text", "body_html", "images", "byline_raw", "authors",
    "translators", "source_credit", "published_raw", "published_at", "published_precision",
    "canonical_url", "links", "language",
)  # fmt: skip


def learned_templates(rep: Replica) -> dict[str, Template]:
    """Per edition, the template a crawl knows before its first item page: learned from the home
    page and the first page of every section."""
    out = {}
    for ed in ("vi", "en"):
        t = out[ed] = Template()
        paths = ["/", *(rep.page_path(s, 1) for s in rep.cfg.sections[ed])]
        for path in paths:
            page = rep.route(ed, path, random.Random(0))
            html = (
                page.body.decode("utf-8", "replace") if isinstance(page.body, bytes) else page.body
            )
            t.observe(parse_listing(html, EDITIONS.base(ed) + path, EDITIONS, learn=True).blocks)
    return out


def extract_learning(p: Page, t: Template) -> dict[str, Any]:
    """Ours as the crawler runs it: with the learned chrome, then learning from the page."""
    page = extract_page(p.body, p.charset, p.url, EDITIONS, chrome=t.chrome(), learn=True)
    t.observe(page.blocks)
    return normalize_record(page.record)[0]  # what NormalizePipeline makes of the raw fields


def chrome_pages(chrome_seed: int, seed: int, articles: int, items: int) -> list[Page]:
    """Up to `items` item pages of one generated chrome: albums first (there are few), then
    articles, every edition that serves them."""
    rep = replica(chrome_seed, seed, articles)
    truths = list(rep.truth_records())
    albums = [t for t in truths if t["type"] == "album"][: max(2, items // 4)]
    ordered = albums + [t for t in truths if t["type"] != "album"]
    out: list[Page] = []
    for truth in ordered:
        for edition in truth["editions_seen"]:
            resp = rep.respond(edition, "GET", truth["_path"], {}, attempt=5)
            if resp.status != 200:
                continue
            ctype = dict((k.lower(), v) for k, v in resp.headers).get("content-type", "")
            charset = ctype.split("charset=", 1)[1].strip() if "charset=" in ctype else None
            out.append(Page(EDITIONS.base(edition) + truth["_path"], resp.body, charset, truth))
            if len(out) >= items:
                return out
    return out


def replica(chrome_seed: int, seed: int, articles: int) -> Replica:
    return Replica(articles=articles, seed=seed, chrome_seed=chrome_seed)


def ours_ok(field: str, got: dict[str, Any], want: dict[str, Any]) -> bool:
    return got.get(field) == want.get(field)


def trafilatura_ok(field: str, got: dict[str, Any], want: dict[str, Any]) -> bool | None:
    """None: trafilatura has no such field."""
    if field == "title":
        return _same_title(got.get("title"), want["title"])
    if field == "lead":
        return _norm(got.get("description")) == _norm(want["lead"])
    if field == "published_at":
        return (got.get("date") or "")[:16] == (want["published_at"] or "")[:16]
    if field == "body_text":  # trafilatura has no lead/body split: lead + body
        truth = "\n\n".join(x for x in (want["lead"], want["body_text"]) if x)
        return _similarity(got.get("text"), truth) >= 0.95
    if field == "authors":
        return [_norm(a) for a in _authors_of(got.get("author"))] == want["authors"]
    return None


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--chromes", type=int, default=200)
    ap.add_argument("--first", type=int, default=0, help="first chrome seed")
    ap.add_argument("--items", type=int, default=12, help="item pages per chrome")
    ap.add_argument("--seed", type=int, default=5, help="site seed (content, sections)")
    ap.add_argument("--articles", type=int, default=60)
    ap.add_argument("--show", type=int, default=0, help="differences to print per field")
    ap.add_argument("--no-trafilatura", action="store_true")
    ap.add_argument("--no-learning", action="store_true", help="extract each page on its own")
    args = ap.parse_args(argv)

    ok: dict[str, list[int]] = defaultdict(lambda: [0, 0])  # field -> [ours, trafilatura]
    n_traf: dict[str, int] = defaultdict(int)
    bad_chromes: dict[str, set[int]] = defaultdict(set)
    shown: dict[str, int] = defaultdict(int)
    total = 0
    t0 = time.perf_counter()
    for chrome_seed in range(args.first, args.first + args.chromes):
        templates = learned_templates(replica(chrome_seed, args.seed, args.articles))
        for page in chrome_pages(chrome_seed, args.seed, args.articles, args.items):
            total += 1
            edition = EDITIONS.edition_of(page.url) or "vi"
            if args.no_learning:
                ours = extract_ours(page)
            else:
                ours = extract_learning(page, templates[edition])
            traf = {} if args.no_trafilatura else extract_trafilatura(page)
            for field in OURS_FIELDS:
                if ours_ok(field, ours, page.truth):
                    ok[field][0] += 1
                else:
                    bad_chromes[field].add(chrome_seed)
                    if shown[field] < args.show:
                        shown[field] += 1
                        print(f"[{field}] chrome {chrome_seed} {page.url}\n"
                              f"   got:  {ours.get(field)!r:.300}\n"
                              f"   want: {page.truth.get(field)!r:.300}")  # fmt: skip
                t = None if args.no_trafilatura else trafilatura_ok(field, traf, page.truth)
                if t is not None:
                    n_traf[field] += 1
                    ok[field][1] += t
    took = time.perf_counter() - t0
    print(f"\n{args.chromes} generated chromes (seeds {args.first}..{args.first + args.chromes - 1}),"
          f" {total} item pages, site seed {args.seed}, {took:.0f}s\n")  # fmt: skip
    print(f"{'field':22s} {'ours':>8s} {'trafilatura':>12s}   chromes with a miss (ours)")
    for field in OURS_FIELDS:
        o = 100 * ok[field][0] / max(1, total)
        t = f"{100 * ok[field][1] / n_traf[field]:11.1f}%" if n_traf[field] else f"{'n/a':>12s}"
        seeds = sorted(bad_chromes[field])
        print(f"{field:22s} {o:7.1f}% {t}   {len(seeds)} {seeds[:8]}")
    all_ok = sum(not bad_chromes[f] for f in OURS_FIELDS)
    print(f"\nfields at 100% over every chrome (ours): {all_ok}/{len(OURS_FIELDS)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
