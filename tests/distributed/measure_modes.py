"""Measure what each way of running costs on the replica: one process, a scrapyd job, Redis mode with
one and with three workers. Prints a Markdown table (docs/operating.md quotes it).

    .venv/bin/python -m tests.distributed.measure_modes --articles 1000

Wall time is from start to the last process's exit; CPU is user+system of the crawler processes
(and, separately, of scrapyd's daemon or redis-server), never of the replica; requests are counted
in the replica's access log. Figures depend on the machine and on what else runs on it.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.distributed.support import redis_server
from tests.scrapyd.support import project_copy, scrapyd
from tests.support import REFERENCE_NOW, ROOT, article_records, crawl_command, replica


def cpu_children() -> float:
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


PROFILE = {"CRAWL_PROFILE": "loopback"}


def one_process(rep, folder: Path) -> dict:
    out = folder / "out"
    out.mkdir(parents=True)
    cpu0, t0 = cpu_children(), time.monotonic()
    cmd = crawl_command(rep, out, settings=PROFILE)
    with open(out / "crawl.log", "wb") as log:
        code = subprocess.run(cmd, cwd=ROOT, stdout=log, stderr=log).returncode
    return {
        "wall_s": time.monotonic() - t0,
        "cpu_s": cpu_children() - cpu0,
        "records": len(article_records(out)),
        "exit": code,
    }


def redis_mode(rep, folder: Path, workers: int) -> dict:
    outs = [folder / f"w{i}" for i in range(workers)]
    cpu_start = cpu_children()
    with redis_server(folder / "redis") as url:
        cpu0, t0 = cpu_children(), time.monotonic()
        procs = []
        for i, out in enumerate(outs):
            out.mkdir(parents=True)
            settings = {"REDIS_URL": url, "DISTRIBUTED_WORKER": f"w{i}", **PROFILE}
            with open(out / "crawl.log", "wb") as log:
                procs.append(
                    subprocess.Popen(
                        crawl_command(rep, out, settings=settings),
                        cwd=ROOT,
                        stdout=log,
                        stderr=subprocess.STDOUT,
                    )  # fmt: skip
                )
        codes = [p.wait() for p in procs]
        wall, cpu = time.monotonic() - t0, cpu_children() - cpu0
    redis_cpu = cpu_children() - cpu_start - cpu
    return {
        "wall_s": wall,
        "cpu_s": cpu,
        "other_cpu_s": redis_cpu,
        "records": sum(len(article_records(out)) for out in outs),
        "exit": max(codes),
    }


def scrapyd_job(rep, folder: Path) -> dict:
    project = project_copy(folder / "project")
    cpu_start = cpu_children()
    with scrapyd(folder / "scrapyd") as daemon:
        cpu0, t0 = cpu_children(), time.monotonic()
        deploy = daemon.deploy(project)
        if deploy.returncode:
            raise RuntimeError(deploy.stderr)
        deploy_wall, deploy_cpu = time.monotonic() - t0, cpu_children() - cpu0
        out = folder / "out"
        t0 = time.monotonic()
        settings = {
            "EDITION_URL_VI": rep.vi,
            "EDITION_URL_EN": rep.en,
            "OUTPUT_DIR": str(out),
            "REFERENCE_NOW": REFERENCE_NOW,
            **PROFILE,
        }
        daemon.wait(daemon.schedule(settings), timeout=1800)
        wall = time.monotonic() - t0
    # scrapyd's daemon and its job processes are counted once the daemon has exited
    total = cpu_children() - cpu_start - deploy_cpu
    return {
        "wall_s": wall,
        "cpu_s": total,
        "other_cpu_s": deploy_cpu,
        "deploy_wall_s": deploy_wall,
        "records": len(article_records(out)),
        "exit": "n/a (scrapyd)",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--modes", default="one,scrapyd,redis1,redis3")
    parser.add_argument("--profile", default="loopback", help="loopback or polite")
    args = parser.parse_args()
    PROFILE["CRAWL_PROFILE"] = args.profile
    rows = []
    with tempfile.TemporaryDirectory(prefix="measure-modes-") as tmp:
        for mode in args.modes.split(","):
            folder = Path(tmp) / mode
            with replica(folder / "replica", articles=args.articles) as rep:
                if mode == "one":
                    row = one_process(rep, folder)
                elif mode == "scrapyd":
                    row = scrapyd_job(rep, folder)
                elif mode.startswith("redis"):
                    row = redis_mode(rep, folder, int(mode[5:]))
                else:
                    raise SystemExit(f"unknown mode {mode}")
                row["requests"] = len(rep.access())
            row["mode"] = mode
            rows.append(row)
            print(row, file=sys.stderr, flush=True)
    print(f"\n{args.articles} articles, profile {args.profile}, {os.cpu_count()} cores\n")
    print("| mode | wall s | crawler CPU s | other CPU s | requests | records | exit |")
    print("|---|---|---|---|---|---|---|")
    for r in rows:
        print(
            f"| {r['mode']} | {r['wall_s']:.1f} | {r['cpu_s']:.1f} | "
            f"{r.get('other_cpu_s', 0):.1f} | {r['requests']} | {r['records']} | {r['exit']} |"
        )


if __name__ == "__main__":
    main()
