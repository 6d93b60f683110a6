"""Memory of full crawls as the site grows (issue 14 "Done when"): peak RSS of a full crawl at each
size, the mid-crawl slope per article, and the extrapolation to the real site's ~200,000 ids.

    python -m tests.benchmarks.memory                    # 10,000 and 50,000 articles
    python -m tests.benchmarks.memory --sizes 1000,5000  # quicker

Each size: a fresh replica (`--no-irregular`), one full crawl at the loopback profile with page
requisites off (as section 2 of tests/benchmarks/run.py), RSS sampled every 0.5 s. The slope is
taken inside one crawl: RSS against articles fetched so far (the replica's access log), between 30 %
and 80 % of the article phase, when listings are done and the frontier is full. A script, not a
test: prints figures and writes tests/benchmarks/results/memory-<time>.json, asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tests.benchmarks import harness as h

REAL_ARTICLE_IDS = 200_000
SEED = 1
NO_REQUISITES = {"FETCH_REQUISITES": "False"}
RESULTS_DIR = Path(__file__).resolve().parent / "results"


def articles_over_time(entries: list[dict], t0: float) -> list[float]:
    """Seconds after the crawl's start at which each article or album page was fetched."""
    return sorted(h.parse_time(e["time"]) - t0 for e in entries if h.kind(e) == "article")


def rss_at(samples: list[tuple[float, int]], t: float) -> float:
    """RSS in MB at time t: the median of the samples within 2 s of it."""
    near = sorted(r for s, r in samples if abs(s - t) <= 2.0) or [
        min(samples, key=lambda x: abs(x[0] - t))[1]
    ]
    return near[len(near) // 2] / 2**20


def slope_kb(samples: list[tuple[float, int]], fetched: list[float]) -> dict[str, Any] | None:
    if len(fetched) < 100 or not samples:
        return None
    lo, hi = int(0.3 * len(fetched)), int(0.8 * len(fetched))
    r_lo, r_hi = rss_at(samples, fetched[lo]), rss_at(samples, fetched[hi])
    return {
        "from_article": lo,
        "to_article": hi,
        "rss_mb": (round(r_lo, 1), round(r_hi, 1)),
        "kb_per_article": round(1024 * (r_hi - r_lo) / (hi - lo), 3),
    }


def one_size(n: int, work: Path, stop_after: float | None = None) -> dict[str, Any]:
    folder = work / f"size-{n}"
    out = folder / "archive"
    with h.serve(folder / "replica", n, seed=SEED) as srv:
        print(f"full crawl of {n:,} articles (requisites off, loopback)", flush=True)
        t0 = time.time()
        cmd = h.crawl_command(srv, out, settings=NO_REQUISITES)
        # stop_after: a clean stop (SIGINT) when a full crawl does not fit the time at hand.
        m = h.run_measured(cmd, out / "crawl.log", srv, stop_after=stop_after)
        entries = srv.access()
    fetched = articles_over_time(entries, t0)
    row = {
        "articles": n,
        "returncode": m.returncode,
        "stopped_after_s": stop_after if stop_after and m.wall >= stop_after else None,
        "requests": len(entries),
        "articles_fetched": len(fetched),
        "wall_s": round(m.wall, 1),
        "cpu_s": round(m.cpu, 1),
        "peak_rss_mb": round(m.peak_rss / 2**20, 1),
        "slope": slope_kb(m.rss_samples, fetched),
        "rss_samples": m.rss_samples[:: max(1, len(m.rss_samples) // 200)],
    }
    print(
        f"  {n:,}: exit {m.returncode}, {len(entries):,} requests in {m.wall:.0f} s, peak RSS "
        f"{row['peak_rss_mb']:.0f} MB, mid-crawl "
        f"{row['slope']['kb_per_article'] if row['slope'] else '?'} KB per article",
        flush=True,
    )
    return row


def summarize(rows: list[dict[str, Any]]) -> dict[str, Any]:
    last = rows[-1]
    slopes = [r["slope"]["kb_per_article"] for r in rows if r["slope"]]
    slope = max(slopes) if slopes else None
    out: dict[str, Any] = {"slope_kb_per_article": slope}
    if slope is not None:
        extra = slope * (REAL_ARTICLE_IDS - last["articles"]) / 1024
        out["at_200k_mb"] = round(last["peak_rss_mb"] + max(extra, 0), 1)
    if len(rows) >= 2:
        a, b = rows[-2], rows[-1]
        out["between_sizes_kb_per_article"] = round(
            1024 * (b["peak_rss_mb"] - a["peak_rss_mb"]) / (b["articles"] - a["articles"]), 3
        )
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="10000,50000")
    ap.add_argument("--workdir", type=Path)
    ap.add_argument("--stop-after", type=float, help="stop each crawl cleanly after this many s")
    args = ap.parse_args(argv)
    work = args.workdir or Path(tempfile.mkdtemp(prefix="baolongan-memory-"))
    rows = [one_size(int(n), work, args.stop_after) for n in args.sizes.split(",")]
    result = {
        "started": datetime.now(UTC).isoformat(timespec="seconds"),
        "code": h.code_version(),
        "machine": h.machine(),
        "sizes": rows,
        "summary": summarize(rows),
    }
    RESULTS_DIR.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    (RESULTS_DIR / f"memory-{stamp}.json").write_text(json.dumps(result, indent=1))
    s = result["summary"]
    print(
        "peak RSS: "
        + ", ".join(f"{r['articles']:,} articles {r['peak_rss_mb']:.0f} MB" for r in rows)
        + f"; mid-crawl slope {s.get('slope_kb_per_article')} KB per article"
        + (
            f"; between sizes {s['between_sizes_kb_per_article']} KB"
            if "between_sizes_kb_per_article" in s
            else ""
        )
        + (
            f"; extrapolated to {REAL_ARTICLE_IDS:,}: {s['at_200k_mb']:.0f} MB"
            if "at_200k_mb" in s
            else ""
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
