"""Scrapy's own commands as a user types them (`.venv/bin/scrapy ...`) against the replica."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.support import REFERENCE_NOW, ROOT, ReplicaHandle, replica

SCRAPY = str(Path(sys.executable).with_name("scrapy"))


@dataclass
class Result:
    returncode: int
    stdout: str
    stderr: str


def scrapy(*args: str, cwd: Path = ROOT, env: dict | None = None, timeout: float = 300) -> Result:
    """One `scrapy` process, run from the project folder like a user would."""
    done = subprocess.run(
        [SCRAPY, *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})},
    )
    return Result(done.returncode, done.stdout, done.stderr)


def replica_settings(rep: ReplicaHandle, output_dir: Path) -> list[str]:
    return [
        "-s", "CRAWL_PROFILE=loopback",
        "-s", f"EDITION_URL_VI={rep.vi}", "-s", f"EDITION_URL_EN={rep.en}",
        "-s", f"OUTPUT_DIR={output_dir}", "-s", f"REFERENCE_NOW={REFERENCE_NOW}",
        "-s", "FETCH_REQUISITES=False", "-s", "PROGRESS=quiet",
    ]  # fmt: skip


def written(folder: Path) -> list[str]:
    """Everything under a folder, as relative paths (empty when it does not exist)."""
    if not folder.exists():
        return []
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


@pytest.fixture(scope="module")
def small_replica(tmp_path_factory) -> ReplicaHandle:
    # A robots.txt Crawl-delay of 1 s: the loopback profile ignores it, and the archive must say so.
    folder = tmp_path_factory.mktemp("tools-replica")
    with replica(folder, articles=40, seed=3, extra=["--crawl-delay", "1"]) as rep:
        yield rep
