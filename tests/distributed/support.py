"""Test support for the distributed mode: a real redis-server on a free loopback port, and a tiny
site (stdlib HTTP server) with listing pages and articles for crawls that do not need the replica.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import redis

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def redis_server(folder: Path) -> Iterator[str]:
    """A real redis-server (the Debian package; `make system-deps` installs it), no persistence."""
    exe = shutil.which("redis-server")
    if exe is None:
        raise RuntimeError("redis-server is not installed: run `make system-deps`")
    folder.mkdir(parents=True, exist_ok=True)
    for _attempt in range(5):
        port = free_port()
        proc = subprocess.Popen(
            [exe, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(folder), "--logfile", str(folder / "redis.log")],
        )  # fmt: skip
        client = redis.Redis(port=port)
        for _ in range(100):
            try:
                client.ping()
                break
            except redis.ConnectionError:
                if proc.poll() is not None:
                    break
                time.sleep(0.05)
        else:
            proc.kill()
            raise RuntimeError(f"redis-server did not answer: {(folder / 'redis.log').read_text()}")
        if proc.poll() is None:
            break  # else the port was taken between free_port() and the bind: try another
    else:
        raise RuntimeError("could not start redis-server")
    try:
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


# --- a tiny site ---------------------------------------------------------------------------------
@dataclass
class MiniSite:
    """Home → `pages` listing pages (each links the next) → `per_page` articles each."""

    pages: int = 20
    per_page: int = 10
    delay: float = 0.0  # seconds per article response: keeps requests in flight longer
    log: list[dict] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def article_ids(self) -> list[int]:
        return [1000 + i for i in range(self.pages * self.per_page)]

    def page(self, path: str) -> tuple[int, str]:
        if path == "/":
            links = "".join(f'<a class="l" href="/list/{n}/">p{n}</a>' for n in range(1, 4))
            return 200, f"<html><body>{links}</body></html>"
        if path.startswith("/list/"):
            n = int(path.split("/")[2])
            if not 1 <= n <= self.pages:
                return 404, "no such page"
            ids = self.article_ids[(n - 1) * self.per_page : n * self.per_page]
            items = "".join(f'<a class="a" href="/bai-viet-a{i}.html">{i}</a>' for i in ids)
            nxt = f'<a class="l" href="/list/{n + 1}/">next</a>' if n < self.pages else ""
            return 200, f"<html><body>{items}{nxt}</body></html>"
        if path.startswith("/bai-viet-a") and path.endswith(".html"):
            if self.delay:
                time.sleep(self.delay)
            return 200, f"<html><body><h1>{path[11:-5]}</h1></body></html>"
        return 404, "not found"


@contextlib.contextmanager
def mini_site(site: MiniSite) -> Iterator[str]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
            status, body = site.page(self.path)
            data = body.encode()
            with site.lock:
                site.log.append({"t": time.time(), "path": self.path, "status": status})
            self.send_response(status)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


# --- mini-spider workers ---------------------------------------------------------------------------
def mini_worker(
    base: str, redis_url: str, output_dir: Path, settings: dict | None = None
) -> subprocess.Popen:
    """A `scrapy runspider` process of tests/distributed/minispider.py (outside the project's
    settings, so only the distributed components are under test)."""
    output_dir.mkdir(parents=True, exist_ok=True)
    cmd = [
        sys.executable, "-m", "scrapy", "runspider", str(ROOT / "tests/distributed/minispider.py"),
        "-a", f"base={base}", "-s", f"REDIS_URL={redis_url}", "-s", f"OUTPUT_DIR={output_dir}",
        "-s", f"EDITION_URL_VI={base}", "-s", f"EDITION_URL_EN={base.replace('127.0.0.1', 'localhost')}",
    ]  # fmt: skip
    for key, value in (settings or {}).items():
        cmd += ["-s", f"{key}={value}"]
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1"}
    env.pop("SCRAPY_SETTINGS_MODULE", None)
    log = open(output_dir / "crawl.log", "ab")  # noqa: SIM115 - closed with the process
    return subprocess.Popen(
        cmd, cwd=output_dir, stdout=log, stderr=subprocess.STDOUT, env=env,
        start_new_session=True,
    )  # fmt: skip


def read_lines(path: Path) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def kill(proc: subprocess.Popen) -> None:
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
