"""`make demo`: serve the offline replica on loopback, crawl both editions into a fresh folder under
output/, print a summary, stop the replica, and exit non-zero if the crawl failed.

Failure means: the crawl's exit status is neither success nor success-with-warnings (finish reason
not `finished`, more than 5% errors — crawler.report.MAX_ERROR_SHARE — or site unavailable), or an
edition produced zero records. Quality warnings alone are not a failure.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from crawler.report import summary_text
from tests.support import ROOT, crawl_command, folded_records, latest_report, replica

DEFAULT_ARTICLES = 800
# The whole portal as the replica can draw it: video pages, sitemaps and RSS, old section URLs
# (each behind a flag of tests/replica, off for the tests that do not ask for them).
EVERYTHING = ["--videos", "20", "--sitemap", "--old-sections"]
CONTENT_FIELDS = ("title", "published_at", "lead", "body_text", "authors", "images", "kicker")


def summarize(output_dir: Path) -> tuple[str, dict[str, int]]:
    records = folded_records(output_dir)  # sections as the latest view has them
    per_edition = Counter(r["edition"] for r in records)
    per_type = Counter(r["type"] for r in records)
    per_section = Counter(s["slug"] for r in records for s in r["sections"])
    empty = Counter(f for r in records for f in CONTENT_FIELDS if not r.get(f))
    lines = [
        f"records: {len(records)}  by edition: {dict(sorted(per_edition.items()))}  "
        f"by type: {dict(sorted(per_type.items()))}",
        "by section:",
        *(f"  {slug:45s} {n:5d}" for slug, n in sorted(per_section.items())),
        "empty fields: " + (", ".join(f"{f} {n}" for f, n in sorted(empty.items())) or "none"),
    ]
    return "\n".join(lines), dict(per_edition)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=DEFAULT_ARTICLES)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    output_dir = ROOT / "output" / f"demo-{stamp}"  # fresh: a demo never refreshes an earlier one
    started = time.monotonic()
    with replica(
        output_dir / "replica", articles=args.articles, seed=args.seed, extra=EVERYTHING
    ) as rep:
        print(f"replica: vi {rep.vi}  en {rep.en}  ({args.articles} articles, seed {args.seed})")
        cmd = crawl_command(rep, output_dir)
        print("crawling:", " ".join(cmd[2:]))
        with open(output_dir / "crawl.log", "wb") as log:
            code = subprocess.run(cmd, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT).returncode
    text, per_edition = summarize(output_dir)
    report = latest_report(output_dir)
    print(text)
    print(
        f"status: {report['status']} (exit {code}), finish reason {report['finish_reason']}, "
        f"{report['requests']} requests, {report['errors']} errors, "
        f"{time.monotonic() - started:.0f} s"
    )
    print(f"output:  {output_dir}")
    print(f"records: {output_dir}/records/articles/*/*.jsonl")
    print(f"report:  {output_dir}/reports/{report['run_id']}.md")
    print(f"log:     {output_dir}/crawl.log")
    print()
    print(summary_text(report))
    print(f"picture: {output_dir}/reports/{report['chart']}")
    failed = code not in (0, 3) or any(per_edition.get(e, 0) == 0 for e in ("vi", "en"))
    if failed:
        print("DEMO FAILED: see the log and the report", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
