"""Run one real `scrapy crawl baolongan` process against test sites and read what it left behind."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.hostile.conftest import stats_from_log
from tests.support import REFERENCE_NOW, ROOT, article_records, read_jsonl

RESOLVER = "tests.adversarial.resolver.LoopbackResolver"


@dataclass
class Crawl:
    exit_code: int
    log: str  # stdout and stderr: Scrapy's log and the command's own messages
    stats: dict[str, int]
    report: dict[str, Any]
    records: list[dict[str, Any]]
    rejected: list[dict[str, Any]]
    output_dir: Path

    def record(self, article_id: int) -> dict[str, Any] | None:
        wanted = f"baolongan:{article_id}"
        return next((r for r in reversed(self.records) if r["id"] == wanted), None)


def run(
    vi: str,
    en: str,
    output_dir: Path,
    *spider_args: str,
    settings: dict[str, Any] | None = None,
    timeout: float = 300,
) -> Crawl:
    """A crawl with the project's own settings plus `settings`; only 127.0.0.1 is contacted (the
    production names resolve there, see resolver.py)."""
    output_dir.mkdir(parents=True, exist_ok=True)
    cmd = [
        sys.executable, "-m", "scrapy", "crawl", "baolongan",
        "-s", "CRAWL_PROFILE=loopback", "-s", f"TWISTED_DNS_RESOLVER={RESOLVER}",
        "-s", f"EDITION_URL_VI={vi}", "-s", f"EDITION_URL_EN={en}",
        "-s", f"OUTPUT_DIR={output_dir}", "-s", f"REFERENCE_NOW={REFERENCE_NOW}",
    ]  # fmt: skip
    for key, value in (settings or {}).items():
        cmd += ["-s", f"{key}={value}"]
    for arg in spider_args:
        cmd += ["-a", arg]
    log_path = output_dir / "crawl.log"
    with open(log_path, "wb") as log:
        proc = subprocess.run(
            cmd, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, timeout=timeout,
            env={**os.environ, "PYTHONUNBUFFERED": "1", "SCRAPY_SETTINGS_MODULE": "crawler.settings"},
        )  # fmt: skip
    log_text = log_path.read_text(encoding="utf-8", errors="replace")
    reports = sorted((output_dir / "reports").glob("*.json"))
    report = json.loads(reports[-1].read_text(encoding="utf-8")) if reports else {}
    rejected = [
        r for p in (output_dir / "records" / "rejected").glob("*.jsonl") for r in read_jsonl(p)
    ]
    return Crawl(
        exit_code=proc.returncode, log=log_text, stats=stats_from_log(log_text),
        report=report, records=article_records(output_dir), rejected=rejected,
        output_dir=output_dir,
    )  # fmt: skip
