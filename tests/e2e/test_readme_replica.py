"""README.md's "Pointing at a replica" examples, run as printed (issue 17).

- `<!-- example:replica needs:replica -->`: the replica started in the background with `&` (as
  printed), then the crawl against it. The block runs in its own session; the replica it leaves
  running is stopped by the test when done.
- `<!-- example:replica-parse needs:replica -->`: `scrapy parse` of an article of "the replica
  started above", from its truth file, while that replica still runs.

Substitutions, and only these: the ports 8101 and 8102 become free loopback ports (the printed ones
may be taken on a shared machine); `/tmp/truth.jsonl`, `/tmp/access.jsonl` and
`$PWD/output/by-hand` become files in the test's folder (so concurrent runs, and the next run of
the test, neither share nor refresh them).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess

import pytest

from tests.distributed.support import free_port
from tests.export.test_examples import examples
from tests.support import ROOT, article_records, read_jsonl

pytestmark = pytest.mark.e2e

PRINTED_PORTS = ("8101", "8102")


def by_name(name: str):
    return next(e for e in examples() if (e.doc, e.name) == ("README.md", name))


def substitute(code: str, ports: tuple[int, int], folder) -> str:
    for printed, port in zip(PRINTED_PORTS, ports, strict=True):
        assert printed in code
        code = code.replace(printed, str(port))
    for printed in ("/tmp/truth.jsonl", "/tmp/access.jsonl"):
        code = code.replace(printed, str(folder / printed.removeprefix("/tmp/")))
    return code.replace("$PWD/output/", f"{folder}/output/")


def test_replica_examples_run_as_printed(tmp_path):
    crawl_block, parse_block = by_name("replica"), by_name("replica-parse")
    assert crawl_block.code.rstrip().count("&\n") == 1, "the replica runs in the background"
    assert "/tmp/truth.jsonl" in crawl_block.code and "/tmp/truth.jsonl" in parse_block.code
    ports = (free_port(), free_port())
    out = tmp_path / "crawl.out"
    with open(out, "w") as stdout, open(tmp_path / "crawl.err", "w") as stderr:
        # its own session: the background replica is in the block's process group
        block = subprocess.Popen(
            ["bash", "-e", "-c", substitute(crawl_block.code, ports, tmp_path)],
            cwd=ROOT, stdout=stdout, stderr=stderr, text=True, start_new_session=True,
        )  # fmt: skip
    try:
        crawl_status = block.wait(timeout=600)
        crawl_err = (tmp_path / "crawl.err").read_text()
        # 0 success, 3 success with quality warnings (README: "Exit 3 is a success")
        assert crawl_status in (0, 3), crawl_err[-3000:]
        parse = subprocess.run(
            ["bash", "-e", "-c", substitute(parse_block.code, ports, tmp_path)],
            cwd=ROOT, capture_output=True, text=True, timeout=300,
        )  # fmt: skip
    finally:
        os.killpg(block.pid, signal.SIGTERM)  # the replica the block left running
    truth = read_jsonl(tmp_path / "truth.jsonl")
    records = article_records(tmp_path / "output" / "by-hand")
    assert len(truth) >= 800  # the printed --articles 800 (and the albums)
    assert sorted(r["id"] for r in records) == sorted(t["id"] for t in truth)
    assert ready_line(out)["vi"] == f"http://127.0.0.1:{ports[0]}"

    assert parse.returncode == 0, parse.stdout[-2000:] + parse.stderr[-3000:]
    first = next(t for t in truth if t["type"] == "article" and t["edition"] == "vi")
    assert "Scraped Items" in parse.stdout, parse.stdout[-2000:] + parse.stderr[-2000:]
    assert f"'article_id': {first['article_id']}," in parse.stdout, parse.stdout[:3000]
    assert f"'id': '{first['id']}'," in parse.stdout, parse.stdout[:3000]


def ready_line(out) -> dict:
    """The replica's first line on stdout: where it serves."""
    return json.loads(out.read_text().splitlines()[0])
