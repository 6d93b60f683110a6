"""The crawler's CPU seconds for two code trees, crawl after crawl in alternating order.

    python -m tests.benchmarks.alternate OLD_TREE NEW_TREE [--articles 300] [--pairs 8]

OLD_TREE and NEW_TREE are checkouts of this project (`git worktree add ../old <commit>`), both run
with this interpreter. Each crawl is a full crawl (loopback profile, requisites and WARC on) of a
fresh replica. On a shared VM the speed of the machine moves by ±25 % within minutes, so one
crawl of each says little; alternating many short crawls (ABBA order) and comparing medians shows
a change of a few percent. Prints each crawl and the medians; asserts nothing.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

from tests.benchmarks import harness as h
from tests.benchmarks.run import SEED


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("old", type=Path)
    ap.add_argument("new", type=Path)
    ap.add_argument("--articles", type=int, default=300)
    ap.add_argument("--pairs", type=int, default=8)
    args = ap.parse_args(argv)
    trees = {"old": args.old.resolve(), "new": args.new.resolve()}
    cpu: dict[str, list[float]] = {"old": [], "new": []}
    for i in range(args.pairs):
        order = ["old", "new"] if i % 2 == 0 else ["new", "old"]
        for name in order:
            work = Path(tempfile.mkdtemp(prefix=f"baolongan-alternate-{name}-"))
            with h.serve(work / "replica", args.articles, seed=SEED) as srv:
                cmd = h.crawl_command(srv, work / "out")
                m = h.run_measured(cmd, work / "crawl.log", srv, cwd=trees[name])
            seconds = m.cpu_user + m.cpu_sys
            cpu[name].append(seconds)
            print(f"{name} {i + 1}: {seconds:.2f} CPU s, {m.wall:.1f} s wall, exit {m.returncode}")
    old, new = statistics.median(cpu["old"]), statistics.median(cpu["new"])
    print(f"median CPU s: old {old:.2f}, new {new:.2f} ({new / old - 1:+.1%})")
    print(
        f"mean CPU s: old {statistics.mean(cpu['old']):.2f}, new {statistics.mean(cpu['new']):.2f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
