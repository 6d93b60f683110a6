"""Benchmark: bytes -> record with the crawler's extractor vs trafilatura, on replica pages.

    python -m tests.benchmarks.extraction [--pages 2000] [--seed 7] [--articles N]

Renders the pages with the replica's in-process API (bytes and charset header exactly as served,
irregular charsets included), then times, over the same pages, one at a time, in alternating
blocks of 100 pages (so that load from other processes weighs on both alike; CPU time and wall
time are both reported):
  * ours:        crawler.extract.build_record(bytes, header charset, url, editions)
  * trafilatura: trafilatura.extract(bytes, url, output_format="json", with_metadata=True), whose
                 date comes from htmldate (`date_extraction_params`: original date, time kept)
and prints pages/s for each, the ratio, and per-field accuracy against the replica's truth on the
fields both produce: title, publication date (day and minute), body text similarity, authors.
A script, not a test: speed is measured and printed, never asserted (house style).
"""

from __future__ import annotations

import argparse
import difflib
import json
import sys
import time
import unicodedata
from dataclasses import dataclass
from typing import Any

from crawler.editions import Editions
from crawler.extract import build_record
from tests.replica import Replica

EDITIONS = Editions(vi_base="http://127.0.0.1:8101", en_base="http://127.0.0.1:8102")
DATE_PARAMS = {
    "original_date": True,
    "extensive_search": True,
    "outputformat": "%Y-%m-%dT%H:%M:%S",
}


@dataclass
class Page:
    url: str
    body: bytes
    charset: str | None
    truth: dict[str, Any]


def render(pages: int, seed: int, articles: int | None) -> list[Page]:
    """`pages` pages as served: every item on every host that links it, until enough."""
    rep = Replica(articles=articles or max(20, pages), seed=seed)
    out: list[Page] = []
    for truth in rep.truth_records():
        for edition in truth["editions_seen"]:
            resp = rep.respond(edition, "GET", truth["_path"], {}, attempt=5)
            if resp.status != 200:
                continue
            ctype = dict((k.lower(), v) for k, v in resp.headers).get("content-type", "")
            charset = ctype.split("charset=", 1)[1].strip() if "charset=" in ctype else None
            out.append(Page(EDITIONS.base(edition) + truth["_path"], resp.body, charset, truth))
            if len(out) == pages:
                return out
    return out


def extract_ours(p: Page) -> dict[str, Any]:
    record, _, _ = build_record(p.body, p.charset, p.url, EDITIONS)
    return record


def extract_trafilatura(p: Page) -> dict[str, Any]:
    import trafilatura

    out = trafilatura.extract(
        p.body,
        url=p.url,
        output_format="json",
        with_metadata=True,
        include_comments=False,
        date_extraction_params=DATE_PARAMS,
    )
    return json.loads(out) if out else {}


@dataclass
class Timing:
    wall: float = 0.0
    cpu: float = 0.0


def run_both(pages: list[Page], block: int = 100) -> tuple[Timing, Timing, list, list]:
    """Both extractors over the same pages, alternating blocks of `block` pages so that load
    from other processes on the machine weighs on both alike."""
    ours, traf = Timing(), Timing()
    ours_out: list[dict[str, Any]] = []
    traf_out: list[dict[str, Any]] = []
    for start in range(0, len(pages), block):
        chunk = pages[start : start + block]
        for fn, timing, out in (
            (extract_ours, ours, ours_out),
            (extract_trafilatura, traf, traf_out),
        ):
            w, c = time.perf_counter(), time.process_time()
            out.extend(fn(p) for p in chunk)
            timing.wall += time.perf_counter() - w
            timing.cpu += time.process_time() - c
    return ours, traf, ours_out, traf_out


# --------------------------------------------------------------------------------------------
# Accuracy


def _norm(s: str | None) -> str:
    return " ".join(unicodedata.normalize("NFC", s).split()) if s else ""


def _similarity(a: str | None, b: str | None) -> float:
    """Word-sequence similarity (difflib ratio on word lists; 1.0 = same words in order)."""
    wa, wb = _norm(a).split(), _norm(b).split()
    if not wa and not wb:
        return 1.0
    return difflib.SequenceMatcher(None, wa, wb, autojunk=False).ratio()


def _same_title(got: str | None, want: str | None) -> bool:
    """Equal, a trailing " - <site name>" / " | <site name>" suffix tolerated (trafilatura keeps
    the <title> suffix; the comparison should not count that against it)."""
    g, w = _norm(got), _norm(want)
    return g == w or (bool(w) and g.startswith((f"{w} - ", f"{w} | ", f"{w} – ")))


def _authors_of(value: str | None) -> list[str]:
    if not value:
        return []
    return [_norm(x) for x in value.replace(",", ";").split(";") if _norm(x)]


@dataclass
class Score:
    title: int = 0
    date_day: int = 0
    date_minute: int = 0
    body_exact: int = 0
    body_similarity: float = 0.0
    authors: int = 0


def score(pages: list[Page], results: list[dict[str, Any]], ours: bool) -> Score:
    s = Score()
    for p, r in zip(pages, results, strict=True):
        t = p.truth
        if ours:
            title, date, text, authors = r["title"], r["published_at"], r["body_text"], r["authors"]
            truth_text = t["body_text"]
        else:
            title, date, text = r.get("title"), r.get("date"), r.get("text")
            authors = _authors_of(r.get("author"))
            # trafilatura has no lead/body split: compare its text with lead + body
            truth_text = "\n\n".join(x for x in (t["lead"], t["body_text"]) if x)
        s.title += _same_title(title, t["title"])
        want = t["published_at"]
        s.date_day += (date or "")[:10] == (want or "")[:10]
        s.date_minute += (date or "")[:16] == (want or "")[:16]
        s.body_exact += _norm(text) == _norm(truth_text)
        s.body_similarity += _similarity(text, truth_text)
        s.authors += [_norm(a) for a in authors] == [_norm(a) for a in t["authors"]]
    return s


def print_accuracy(
    pages: list[Page], ours: list[dict[str, Any]], traf: list[dict[str, Any]], truth: str
) -> None:
    """Both extractors' accuracy on the fields both produce, one row a field."""
    n = len(pages)
    a, b = score(pages, ours, True), score(pages, traf, False)
    print(f"\n{'accuracy vs ' + truth:30s} ours     trafilatura")
    rows = [
        ("title (site suffix ok)", a.title, b.title),
        ("date (day)", a.date_day, b.date_day),
        ("date (minute)", a.date_minute, b.date_minute),
        ("body text exact", a.body_exact, b.body_exact),
        ("authors exact", a.authors, b.authors),
    ]
    for name, x, y in rows:
        print(f"  {name:26s} {100 * x / n:6.1f}%  {100 * y / n:8.1f}%")
    print(f"  {'body text similarity':26s} {100 * a.body_similarity / n:6.1f}%  "
          f"{100 * b.body_similarity / n:8.1f}%")  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pages", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--articles", type=int, default=None, help="replica size (default: --pages)")
    args = ap.parse_args(argv)

    t0 = time.perf_counter()
    pages = render(args.pages, args.seed, args.articles)
    size = sum(len(p.body) for p in pages) / max(1, len(pages))
    print(f"rendered {len(pages)} replica pages (seed {args.seed}, mean {size / 1024:.1f} KiB) "
          f"in {time.perf_counter() - t0:.1f}s")  # fmt: skip
    n = len(pages)

    extract_ours(pages[0])  # warm-up: imports and caches
    extract_trafilatura(pages[0])
    t_ours, t_traf, ours, traf = run_both(pages)
    print(f"{'':13s} {'pages/s (CPU)':>14s} {'pages/s (wall)':>15s}")
    print(f"{'ours':13s} {n / t_ours.cpu:14.1f} {n / t_ours.wall:15.1f}")
    print(f"{'trafilatura':13s} {n / t_traf.cpu:14.1f} {n / t_traf.wall:15.1f}")
    print(f"{'ratio':13s} {t_traf.cpu / t_ours.cpu:13.1f}x {t_traf.wall / t_ours.wall:14.1f}x")
    print_accuracy(pages, ours, traf, "replica truth")
    fields = ("title", "kicker", "lead", "body_text", "body_html", "images", "byline_raw",
              "published_raw", "published_at", "links", "canonical_url", "authors", "translators",
              "source_credit", "language")  # fmt: skip
    all_ok = sum(all(r[k] == p.truth[k] for k in fields) for p, r in zip(pages, ours, strict=True))
    print(
        f"\nours: every content field equal to truth on {all_ok}/{n} pages ({100 * all_ok / n:.1f}%)"
    )
    for k in fields:
        wrong = sum(r[k] != p.truth[k] for p, r in zip(pages, ours, strict=True))
        if wrong:
            print(f"  {k}: {wrong} pages differ")
    return 0


if __name__ == "__main__":
    sys.exit(main())
