"""`-a ids=1-999999` against a 1,000-article replica: RSS every 10 s for 2 minutes (issue 14
point 2; probes are handed out lazily, crawler/probes.py), then SIGTERM, then the same command
again for 30 s to show it resumes. Not a timed test: run it by hand and copy the table into
RESULTS.md.

    .venv/bin/python -m tests.benchmarks.ids_memory [--seconds 120] [--every 10]
"""

from __future__ import annotations

import argparse
import re
import signal
import tempfile
import time
from pathlib import Path

from tests.e2e import processes
from tests.support import replica


def rss_mb(pid: int) -> float:
    text = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmRSS:\s+(\d+)", text).group(1)) / 1024


def probed(out: Path) -> str:
    lines = re.findall(r"probed (\d+) this run", (out / "crawl.log").read_text(errors="replace"))
    return lines[-1] if lines else "0"


def sample(proc, out: Path, seconds: float, every: float) -> None:
    start = time.monotonic()
    while (t := time.monotonic() - start) <= seconds and proc.poll() is None:
        print(f"{t:6.0f} s  RSS {rss_mb(proc.pid):7.1f} MB  probed {probed(out)}", flush=True)
        time.sleep(every)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=120)
    parser.add_argument("--every", type=float, default=10)
    args = parser.parse_args()
    settings = {"FETCH_REQUISITES": "False", "PROGRESS": "quiet", "WARC_ENABLED": "False"}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        with replica(
            folder / "site", articles=1000, seed=3, extra=["--slugless", "resolve"]
        ) as rep:
            out = folder / "out"
            proc = processes.start(rep, out, "ids=1-999999", settings=settings)
            sample(proc, out, args.seconds, args.every)
            proc.send_signal(signal.SIGTERM)
            code = proc.wait(timeout=120)
            print(f"SIGTERM: exit {code}; probed {probed(out)}")
            again = processes.start(rep, out, "ids=1-999999", settings=settings)
            time.sleep(30)
            log = (out / "crawl.log").read_text(errors="replace")
            resumed = re.findall(r"ids 1-999999: (\d+) of 999999 already probed, resuming", log)
            print(f"same command again: {resumed[-1] if resumed else '?'} ids already probed")
            print(f"  RSS after 30 s {rss_mb(again.pid):.1f} MB; probed {probed(out)} in this run")
            again.send_signal(signal.SIGTERM)
            print(f"  SIGTERM: exit {again.wait(timeout=120)}")


if __name__ == "__main__":
    main()
