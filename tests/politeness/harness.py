"""Run a real Scrapy crawl in a subprocess against a TestServer and collect what happened."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.politeness.server import Hit, TestServer

ROOT = Path(__file__).resolve().parents[2]
RUNNER = Path(__file__).resolve().parent / "run_crawl.py"

# The politeness wiring proposed for crawler/settings.py, with small delays for tests.
BASE_SETTINGS: dict[str, Any] = {
    "USER_AGENT": "testbot/1.0 (+http://127.0.0.1/contact)",
    "ROBOTSTXT_OBEY": True,
    "DOWNLOADER_MIDDLEWARES": {
        "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
        "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
        "crawler.politeness.RobotsMiddleware": 100,
        "crawler.politeness.PoliteRetryMiddleware": 550,
    },
    "EXTENSIONS": {
        "scrapy.extensions.throttle.AutoThrottle": None,
        "crawler.politeness.PoliteAutoThrottle": 0,
    },
    "TELNETCONSOLE_ENABLED": False,
    # Scrapy 2.19 turns on an HTTP code-execution server per crawl (and writes its token to the
    # user's profile directory); nothing should listen during tests.
    "REMOTE_CONTROL_ENABLED": False,
    "LOG_LEVEL": "INFO",
    "DOWNLOAD_DELAY": 0,
    "AUTOTHROTTLE_ENABLED": False,
    "CONCURRENT_REQUESTS": 16,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 2,
    "DOWNLOAD_TIMEOUT": 5,
    "RETRY_TIMES": 3,
    "RETRY_BACKOFF_BASE": 0.05,
    "RETRY_BACKOFF_MAX": 0.5,
}


@dataclass
class Result:
    reason: str
    stats: dict[str, Any]
    log: str
    server: TestServer
    elapsed: float  # seconds, the whole subprocess

    def hits(self, prefix: str = "") -> list[Hit]:
        return self.server.log(prefix)

    def pages(self) -> list[Hit]:
        return [h for h in self.hits() if h.path != "/robots.txt"]

    def robots(self) -> list[Hit]:
        return self.hits("/robots.txt")


def crawl(server: TestServer, paths: list[str], tmp_path: Path, **settings: Any) -> Result:
    out = tmp_path / "result.json"
    config = {
        "settings": {**BASE_SETTINGS, **settings},
        "spider": {"base": server.url, "paths": ",".join(paths), "out": str(out)},
    }
    config_path = tmp_path / "config.json"
    config_path.write_text(json.dumps(config), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("SCRAPY_")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    started = time.monotonic()
    proc = subprocess.run(
        [sys.executable, str(RUNNER), str(config_path)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=45,
    )
    if not out.exists():
        raise AssertionError(
            f"crawl wrote no result (rc {proc.returncode}):\n{proc.stderr[-4000:]}"
        )
    data = json.loads(out.read_text(encoding="utf-8"))
    return Result(data["reason"], data["stats"], proc.stderr, server, time.monotonic() - started)


def gaps(hits: list[Hit]) -> list[float]:
    """Seconds between the starts of consecutive requests."""
    return [b.start - a.start for a, b in zip(hits, hits[1:], strict=False)]
