"""`-a ids=1-99999999` against a 1,000-article replica (issue 14 "Done when"): RSS every 10 s for 2
minutes (probes are handed out lazily, crawler/probes.py; the frontier holds what is queued on
disk, crawler/frontier), then SIGTERM, then the same command again for 30 s to show it resumes
where it stopped. A script, not a test: prints the table and a summary (RSS first and last, its
slope over the second half, exit statuses, ids already probed at the resume) and writes
tests/benchmarks/results/ids-memory-<time>.json.

    .venv/bin/python -m tests.benchmarks.ids_memory [--seconds 120] [--every 10] [--ids 1-99999999]
"""

from __future__ import annotations

import argparse
import json
import re
import signal
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from tests.e2e import processes
from tests.support import replica

RESULTS_DIR = Path(__file__).resolve().parent / "results"


def rss_mb(pid: int) -> float:
    text = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmRSS:\s+(\d+)", text).group(1)) / 1024


def probed(out: Path) -> int:
    lines = re.findall(r"probed (\d+) this run", (out / "crawl.log").read_text(errors="replace"))
    return int(lines[-1]) if lines else 0


def sample(proc, out: Path, seconds: float, every: float) -> list[tuple[float, float, int]]:
    rows = []
    start = time.monotonic()
    while (t := time.monotonic() - start) <= seconds and proc.poll() is None:
        row = (round(t), round(rss_mb(proc.pid), 1), probed(out))
        rows.append(row)
        print(f"{row[0]:6.0f} s  RSS {row[1]:7.1f} MB  probed {row[2]}", flush=True)
        time.sleep(every)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=120)
    parser.add_argument("--every", type=float, default=10)
    parser.add_argument("--ids", default="1-99999999")
    args = parser.parse_args()
    start, end = (int(x) for x in args.ids.split("-"))
    # As a user would run it (WARC on), with the span allowed.
    settings = {
        "FETCH_REQUISITES": "False",
        "PROGRESS": "quiet",
        "IDS_MAX_SPAN": str(end - start + 1),
    }
    arg = f"ids={args.ids}"
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        with replica(
            folder / "site", articles=1000, seed=3, extra=["--slugless", "resolve"]
        ) as rep:
            out = folder / "out"
            proc = processes.start(rep, out, arg, settings=settings)
            rows = sample(proc, out, args.seconds, args.every)
            proc.send_signal(signal.SIGTERM)
            code = proc.wait(timeout=120)
            stopped_at = probed(out)
            print(f"SIGTERM: exit {code}; probed {stopped_at}")
            again = processes.start(rep, out, arg, settings=settings)
            time.sleep(30)
            log = (out / "crawl.log").read_text(errors="replace")
            resumed = re.findall(rf"ids {start}-{end}: (\d+) of \d+ already probed, resuming", log)
            again_rss = rss_mb(again.pid)
            print(f"same command again: {resumed[-1] if resumed else '?'} ids already probed")
            print(f"  RSS after 30 s {again_rss:.1f} MB; probed {probed(out)} in this run")
            again.send_signal(signal.SIGTERM)
            again_code = again.wait(timeout=120)
            print(f"  SIGTERM: exit {again_code}")
    half = [r for r in rows if r[0] >= rows[-1][0] / 2] if rows else []
    slope = (
        60 * (half[-1][1] - half[0][1]) / (half[-1][0] - half[0][0])
        if len(half) >= 2 and half[-1][0] > half[0][0]
        else None
    )
    summary = {
        "ids": args.ids,
        "samples": rows,
        "rss_first_mb": rows[0][1] if rows else None,
        "rss_last_mb": rows[-1][1] if rows else None,
        "rss_slope_second_half_mb_per_min": round(slope, 2) if slope is not None else None,
        "exit_after_sigterm": code,
        "probed_when_stopped": stopped_at,
        "already_probed_at_resume": int(resumed[-1]) if resumed else None,
        "rss_after_resume_30s_mb": round(again_rss, 1),
        "exit_after_second_sigterm": again_code,
    }
    RESULTS_DIR.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    (RESULTS_DIR / f"ids-memory-{stamp}.json").write_text(json.dumps(summary, indent=1))
    print(
        f"RSS {summary['rss_first_mb']} -> {summary['rss_last_mb']} MB, second half "
        f"{summary['rss_slope_second_half_mb_per_min']} MB/min; SIGTERM exit {code} after "
        f"{stopped_at} probes; the same command resumed with "
        f"{summary['already_probed_at_resume']} ids already probed"
    )


if __name__ == "__main__":
    main()
