"""Throughput against the bare Scrapy ceiling, and where the difference goes (issue 14, point 5).

    python -m tests.benchmarks.cpu_split                  # 1,000 articles, requisites and WARC on
    python -m tests.benchmarks.cpu_split --articles 3000 --profile
    python -m tests.benchmarks.cpu_split --rounds 3        # three pairs; each side's best round

Side by side in one run, each against a fresh replica (`--no-irregular`): a full crawl (loopback
profile), then tests/benchmarks/bare_spider.py on the same requests in the same order with the
same concurrency (as stage 1 of tests/benchmarks/run.py). Prints wall and CPU seconds of both
processes and the ratios. `--profile` runs both under py-spy (sampling, 200 Hz, main thread only)
and splits the crawler's samples into "our code on the stack" and "Scrapy, Twisted and asyncio
alone", beside the bare spider's: the second share says how near the ceiling a crawler with
free extraction, WARC and state could get. py-spy slows both sides alike; the split, not its
seconds, is the figure. A script, not a test: prints figures and writes
tests/benchmarks/results/cpu-split-<time>.json; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
import tempfile
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tests.benchmarks import harness as h
from tests.benchmarks.run import SEED, bare_command, loopback_concurrency

RESULTS_DIR = Path(__file__).resolve().parent / "results"
OWN_FRAME = re.compile(r"\((?:[^()]*/)?crawler/(?!commands/)")  # a frame in crawler/, not the CLI


def spied(command: list[str], out: Path) -> list[str]:
    spy = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
    return [spy, "record", "-r", "200", "-f", "raw", "-o", str(out), "--", *command]


def split(raw: Path) -> dict[str, Any]:
    """Main-thread samples of a py-spy raw profile: all, with our code on the stack, and the
    crawler modules that carry the most (outermost frame of ours)."""
    total = own = 0
    top: Counter[str] = Counter()
    for line in raw.read_text(encoding="utf-8").splitlines():
        stack, _, count = line.rpartition(" ")
        if "Thread._bootstrap" in stack:  # the WARC writer and thread pools: off the reactor
            continue
        n = int(count)
        total += n
        ours = [f for f in stack.split(";") if OWN_FRAME.search(f)]
        if ours:
            own += n
            # Named by the outermost frame of ours below the spider middlewares' pass-through.
            inner = [f for f in ours if "process_spider_output" not in f] or ours
            top[re.sub(r":\d+\)$", ")", inner[0])] += n
    return {
        "samples": total,
        "own": own,
        "top": [(k, round(100 * v / max(total, 1), 1)) for k, v in top.most_common(12)],
    }


def _figures(got: Any, requests: int) -> dict[str, Any]:
    cpu = got.cpu_user + got.cpu_sys
    return {
        "requests": requests,
        "wall_s": round(got.wall, 1),
        "cpu_s": round(cpu, 1),
        "cpu_ms_per_request": round(1000 * cpu / max(requests, 1), 2),
        "peak_rss_mb": round(got.peak_rss / 2**20),
        "returncode": got.returncode,
    }


def _ratios(ours: dict[str, Any], bare: dict[str, Any]) -> dict[str, float]:
    return {
        "ratio_wall": round(bare["wall_s"] / ours["wall_s"], 3),
        "ratio_cpu": round(bare["cpu_ms_per_request"] / ours["cpu_ms_per_request"], 3),
    }


def measure(n: int, work: Path, profile: bool, rounds: int = 1) -> dict[str, Any]:
    """`rounds` pairs, crawl then bare spider, each against a fresh replica; the bare spider
    replays the first crawl's requests every round. The headline figures are each side's best
    round (least wall time): on a shared VM one side's time moves by ±15 % between runs of the
    same code, and the best of a few is the steadier estimate of what each can do."""
    conc = loopback_concurrency()
    res: dict[str, Any] = {"articles": n, "concurrency": conc, "rounds": []}
    urls = work / "urls.txt"
    for i in range(rounds):
        tag = f"-{i + 1}" if i else ""
        with h.serve(work / f"replica-ours{tag}", n, seed=SEED) as srv:
            cmd = h.crawl_command(srv, work / f"ours{tag}")
            if profile:
                cmd = spied(cmd, work / f"ours{tag}.raw")
            m = h.run_measured(cmd, work / f"ours{tag}.log", srv)
            entries = srv.access()
        if not i:
            first_entries = entries
        with h.serve(work / f"replica-bare{tag}", n, seed=SEED) as srv:
            h.write_urls(first_entries, srv, urls)  # the first crawl's requests, on these ports
            cmd = bare_command(urls, conc)
            if profile:
                cmd = spied(cmd, work / f"bare{tag}.raw")
            mb = h.run_measured(cmd, work / f"bare{tag}.log", srv)
            bare_requests = len(srv.access())
        ours, bare = _figures(m, len(entries)), _figures(mb, bare_requests)
        res["rounds"].append({"ours": ours, "bare": bare, **_ratios(ours, bare)})
    res["ours"] = min((r["ours"] for r in res["rounds"]), key=lambda f: f["wall_s"])
    res["bare"] = min((r["bare"] for r in res["rounds"]), key=lambda f: f["wall_s"])
    res.update(_ratios(res["ours"], res["bare"]))
    if profile:
        ours, bare = split(work / "ours.raw"), split(work / "bare.raw")
        scrapy_alone = ours["samples"] - ours["own"]
        res["profile"] = {
            "ours": ours,
            "bare": bare,
            "own_share": round(ours["own"] / max(ours["samples"], 1), 3),
            "scrapy_vs_bare": round(scrapy_alone / max(bare["samples"], 1), 3),
            "ratio_if_our_code_were_free": round(bare["samples"] / max(scrapy_alone, 1), 3),
        }
    return res


def report(res: dict[str, Any]) -> None:
    spied_rss = " (py-spy's)" if res.get("profile") else ""
    if len(res["rounds"]) > 1:
        for i, r in enumerate(res["rounds"], 1):
            print(
                f"round {i}: ours {r['ours']['wall_s']} s ({r['ours']['cpu_ms_per_request']} ms "
                f"CPU a request), bare {r['bare']['wall_s']} s "
                f"({r['bare']['cpu_ms_per_request']} ms): {r['ratio_wall']:.0%} wall, "
                f"{r['ratio_cpu']:.0%} CPU"
            )
        print("best round of each side:")
    for name in ("ours", "bare"):
        f = res[name]
        print(
            f"{name}: {f['requests']:,} requests, {f['wall_s']} s wall, {f['cpu_s']} CPU s "
            f"({f['cpu_ms_per_request']} ms a request), peak RSS {f['peak_rss_mb']} MB"
            f"{spied_rss}, "
            f"exit {f['returncode']}"
        )
    print(f"ratio (bare / ours): {res['ratio_wall']:.0%} wall, {res['ratio_cpu']:.0%} CPU")
    p = res.get("profile")
    if p:
        print(
            f"py-spy main thread: ours {p['ours']['samples']:,} samples, our code on the stack in "
            f"{p['own_share']:.0%}; Scrapy/Twisted/asyncio alone {p['scrapy_vs_bare']:.2f}x the bare "
            f"spider's {p['bare']['samples']:,}: with our code free the ratio would be "
            f"{p['ratio_if_our_code_were_free']:.0%}"
        )
        for frame, share in p["ours"]["top"]:
            print(f"   {share:5.1f} %  {frame}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, default=1000)
    ap.add_argument("--profile", action="store_true", help="both under py-spy: the CPU split")
    ap.add_argument("--rounds", type=int, default=1, help="crawl/bare pairs; each side's best")
    ap.add_argument("--workdir", type=Path)
    args = ap.parse_args(argv)
    work = args.workdir or Path(tempfile.mkdtemp(prefix="baolongan-cpu-split-"))
    res = measure(args.articles, work, args.profile, args.rounds)
    res["code"] = h.code_version()
    res["machine"] = h.machine()
    report(res)
    RESULTS_DIR.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    path = RESULTS_DIR / f"cpu-split-{stamp}.json"
    path.write_text(json.dumps(res, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"written {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
