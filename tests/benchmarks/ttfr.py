"""Time to first record of a full crawl at the polite profile (issue 14 "Done when"): at most 2
minutes after the first article page is fetched, and at any moment at least 95 % of the articles
fetched more than 5 minutes earlier are on disk as records.

    python -m tests.benchmarks.ttfr [--minutes 8] [--articles 1000] [--every 5]

A fresh replica (`--no-irregular`), `scrapy crawl baolongan` at the default (polite) profile for
--minutes, then SIGTERM. Every --every seconds: which article ids the replica has served (its
access log, with times) and which ids are lines under records/articles/ (read as a user would,
a torn last line skipped). Prints the figures and writes tests/benchmarks/results/ttfr-<time>.json;
asserts nothing.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import re
import signal
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tests.benchmarks import harness as h
from tests.support import ROOT

ARTICLE_PATH = re.compile(r"-a(\d+)\.html$")
LAG_S = 300  # "fetched more than 5 minutes earlier"
RESULTS_DIR = Path(__file__).resolve().parent / "results"


def fetched_articles(access_log: Path) -> dict[str, float]:
    """Article id -> when the replica first served its page (epoch seconds)."""
    out: dict[str, float] = {}
    for e in _read(access_log):
        m = ARTICLE_PATH.search(e["path"].split("?", 1)[0])
        if m and e["status"] == 200:
            out.setdefault(f"baolongan:{m.group(1)}", h.parse_time(e["time"]))
    return out


def _read(path: Path) -> list[dict]:
    """The access log, read while the replica appends to it (a torn last line skipped)."""
    rows = []
    if path.exists():
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            with contextlib.suppress(ValueError):
                rows.append(json.loads(line))
    return rows


def records_on_disk(out: Path) -> set[str]:
    ids: set[str] = set()
    for path in (out / "records" / "articles").glob("*/*.jsonl"):
        for line in path.read_bytes().splitlines():
            with contextlib.suppress(ValueError):
                ids.add(json.loads(line)["id"])
    return ids


def measure(minutes: float, articles: int, every: float, work: Path) -> dict[str, Any]:
    samples: list[dict[str, Any]] = []
    first_record_at = None
    with h.serve(work / "replica", articles, seed=1) as srv:
        out = work / "out"
        out.mkdir(parents=True, exist_ok=True)
        cmd = h.crawl_command(srv, out, profile=None)  # the default profile: polite
        with open(out / "crawl.log", "ab") as log:
            proc = subprocess.Popen(cmd, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
            t0 = time.time()
            while time.time() - t0 < minutes * 60 and proc.poll() is None:
                time.sleep(every)
                now = time.time()
                fetched = fetched_articles(srv.access_log)
                on_disk = records_on_disk(out)
                if on_disk and first_record_at is None:
                    first_record_at = now
                due = {i for i, t in fetched.items() if t <= now - LAG_S}
                samples.append(
                    {
                        "t": round(now - t0, 1),
                        "fetched": len(fetched),
                        "records": len(on_disk),
                        "due": len(due),
                        "due_on_disk": len(due & on_disk),
                    }
                )
                print(
                    f"{now - t0:6.0f} s  articles fetched {len(fetched):5d}  records on disk "
                    f"{len(on_disk):5d}  fetched >5 min ago {len(due):5d}, of them on disk "
                    f"{len(due & on_disk):5d}",
                    flush=True,
                )
            proc.send_signal(signal.SIGTERM)
            code = proc.wait(timeout=300)
        fetched = fetched_articles(srv.access_log)
    first_article_at = min(fetched.values()) if fetched else None
    shares = [s["due_on_disk"] / s["due"] for s in samples if s["due"]]
    return {
        "minutes": minutes,
        "articles": articles,
        "exit_after_sigterm": code,
        "first_article_s": round(first_article_at - t0, 1) if first_article_at else None,
        "first_record_s": round(first_record_at - t0, 1) if first_record_at else None,
        "ttfr_s": (
            round(first_record_at - first_article_at, 1)
            if first_record_at and first_article_at
            else None
        ),
        "min_share_due_on_disk": round(min(shares), 4) if shares else None,
        "samples": samples,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--minutes", type=float, default=8)
    ap.add_argument("--articles", type=int, default=1000)
    ap.add_argument("--every", type=float, default=5)
    ap.add_argument("--workdir", type=Path)
    args = ap.parse_args(argv)
    work = args.workdir or Path(tempfile.mkdtemp(prefix="baolongan-ttfr-"))
    res = measure(args.minutes, args.articles, args.every, work)
    res["code"] = h.code_version()
    res["started"] = datetime.now(UTC).isoformat(timespec="seconds")
    RESULTS_DIR.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    (RESULTS_DIR / f"ttfr-{stamp}.json").write_text(json.dumps(res, indent=1))
    ttfr, share = res["ttfr_s"], res["min_share_due_on_disk"]
    ttfr_text = f"{ttfr:.0f} s" if ttfr is not None else "none within the run"
    share_text = f"{100 * share:.1f} %" if share is not None else "n/a (run under 5 minutes)"
    print(
        f"first article fetched at {res['first_article_s']} s, first record on disk at "
        f"{res['first_record_s']} s: time to first record {ttfr_text} (goal <= 120 s); lowest "
        f"share of articles fetched > 5 min earlier on disk: {share_text} (goal >= 95 %); exit "
        f"after SIGTERM {res['exit_after_sigterm']}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
