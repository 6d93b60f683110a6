"""Test support: start the replica as a real server process, run real crawls, read their output.

Shared by the end-to-end tests, the demo and the benchmarks. Only 127.0.0.1 is ever contacted.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from crawler.records.sightings import fold

ROOT = Path(__file__).resolve().parent.parent
TODAY = "2025-06-30"
REFERENCE_NOW = "2025-06-30T23:00:00+07:00"


@dataclass
class ReplicaHandle:
    vi: str
    en: str
    truth: Path
    access_log: Path
    manifest: Path
    proc: subprocess.Popen

    def truth_records(self) -> list[dict]:
        return read_jsonl(self.truth)

    def access(self) -> list[dict]:
        return read_jsonl(self.access_log)


@contextlib.contextmanager
def replica(
    folder: Path,
    articles: int = 300,
    seed: int = 1,
    epoch: int = 0,
    today: str = TODAY,
    extra: list[str] | None = None,
) -> Iterator[ReplicaHandle]:
    """Serve the replica on free loopback ports until the block ends."""
    folder.mkdir(parents=True, exist_ok=True)
    truth, log, manifest = folder / "truth.jsonl", folder / "access.jsonl", folder / "manifest.json"
    cmd = [
        sys.executable, "-m", "tests.replica", "--port-vi", "0", "--port-en", "0",
        "--articles", str(articles), "--seed", str(seed), "--epoch", str(epoch),
        "--today", today, "--truth", str(truth), "--access-log", str(log),
        "--manifest", str(manifest), "--crawl-delay", "0", *(extra or []),
    ]  # fmt: skip
    with open(folder / "replica.err", "wb") as err:
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=err, text=True)
    try:
        line = proc.stdout.readline()
        if not line:
            raise RuntimeError(f"replica did not start: {(folder / 'replica.err').read_text()}")
        ready = json.loads(line)
        yield ReplicaHandle(ready["vi"], ready["en"], truth, log, manifest, proc)
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def crawl_command(
    rep: ReplicaHandle, output_dir: Path, *spider_args: str, settings: dict | None = None
) -> list[str]:
    cmd = [
        sys.executable, "-m", "scrapy", "crawl", "baolongan",
        "-s", "CRAWL_PROFILE=loopback",
        "-s", f"EDITION_URL_VI={rep.vi}", "-s", f"EDITION_URL_EN={rep.en}",
        "-s", f"OUTPUT_DIR={output_dir}", "-s", f"REFERENCE_NOW={REFERENCE_NOW}",
    ]  # fmt: skip
    for key, value in (settings or {}).items():
        cmd += ["-s", f"{key}={value}"]
    for arg in spider_args:
        cmd += ["-a", arg]
    return cmd


def run_crawl(
    rep: ReplicaHandle,
    output_dir: Path,
    *spider_args: str,
    settings: dict | None = None,
    timeout: float = 600,
) -> subprocess.CompletedProcess:
    """A real `scrapy crawl` process against the replica; its log goes to OUTPUT_DIR/crawl.log."""
    output_dir.mkdir(parents=True, exist_ok=True)
    cmd = crawl_command(rep, output_dir, *spider_args, settings=settings)
    with open(output_dir / "crawl.log", "ab") as log:
        return subprocess.run(
            cmd, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, timeout=timeout,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )  # fmt: skip


def read_jsonl(path: Path) -> list[dict]:
    if not path.exists():
        return []
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def article_records(output_dir: Path) -> list[dict]:
    records: list[dict] = []
    for path in sorted((output_dir / "records" / "articles").glob("*/*.jsonl")):
        records.extend(read_jsonl(path))
    return records


def sighting_lines(output_dir: Path) -> list[dict]:
    lines: list[dict] = []
    for path in sorted((output_dir / "records" / "sightings").glob("*.jsonl")):
        lines.extend(read_jsonl(path))
    return lines


def folded_records(output_dir: Path) -> list[dict]:
    """The article records with the sightings of their run folded in: sections, urls_seen,
    editions_seen and edition as the latest view shows them (records stream before the run has
    seen every listing and link; what it sees later is in records/sightings/)."""
    later: dict[tuple[str, str], list[dict]] = {}
    for line in sighting_lines(output_dir):
        later.setdefault((line["run_id"], line["id"]), []).append(line)
    return [fold(r, later.get((r["run_id"], r["id"]), [])) for r in article_records(output_dir)]


def latest_report(output_dir: Path) -> dict:
    reports = sorted((output_dir / "reports").glob("*.json"))
    return json.loads(reports[-1].read_text(encoding="utf-8"))
