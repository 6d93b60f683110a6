"""Exit with the status of the newest run report under OUTPUT_DIR, as `scrapy crawl` would have.

    .venv/bin/python deploy/check_report.py OUTPUT_DIR [--max-age-hours 26]

Scrapyd hides a crawl's exit status (every job just "finishes"), and a run that never started has
none; the run report is where both surface. Exit 0 success, 3 success with warnings, the other
codes of crawler.status for failures, 1 when there is no report or the newest is older than
--max-age-hours (a missed run) — except while a crawl holds OUTPUT_DIR and makes progress (a
first crawl takes days: crawler/observe/standing.py), which is not a missed run. Prints the
report's summary either way.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from crawler.observe.standing import gather
from crawler.report import latest_report_path, summary_text
from crawler.status import EXIT_CODES


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output_dir", type=Path)
    parser.add_argument("--max-age-hours", type=float, default=None)
    args = parser.parse_args(argv)
    path = latest_report_path(args.output_dir)
    running = gather(args.output_dir, timedelta(hours=args.max_age_hours or 24))["check"]
    if path is None:
        if running == "running":
            print(f"no run report under {args.output_dir}/reports yet: a crawl is running")
            return 0
        print(f"no run report under {args.output_dir}/reports", file=sys.stderr)
        return 1
    report = json.loads(path.read_text(encoding="utf-8"))
    print(summary_text(report))
    if args.max_age_hours is not None:
        age = datetime.now(UTC) - datetime.fromtimestamp(path.stat().st_mtime, UTC)
        if age > timedelta(hours=args.max_age_hours) and running != "running":
            print(f"the newest report is {age} old: a run was missed", file=sys.stderr)
            return 1
    return EXIT_CODES.get(report.get("status"), 1)


if __name__ == "__main__":
    sys.exit(main())
