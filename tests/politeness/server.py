"""A real HTTP server on 127.0.0.1 in a thread, with an in-memory access log.

Each test gives it a `respond(path, n)` function (n: how many times that path was asked before)
returning a `Reply`. The log records when each request arrived and left, and the server counts
the requests in flight at once, so politeness is measured where the site would see it.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Reply:
    status: int = 200
    body: bytes = b"<html><body>ok</body></html>"
    headers: dict[str, str] = field(default_factory=dict)
    sleep: float = 0.0  # seconds before answering (timeouts, overlap for concurrency)


@dataclass
class Hit:
    start: float  # time.monotonic() in the test process
    end: float  # inf while the request is being answered
    path: str
    status: int
    n: int  # earlier hits on the same path


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        owner = self.server.owner
        start = time.monotonic()
        with owner.lock:
            n = owner.counts[self.path]
            owner.counts[self.path] += 1
            owner.inflight += 1
            owner.max_inflight = max(owner.max_inflight, owner.inflight)
            reply = owner.respond(self.path, n)
            # Logged on arrival: a request the crawler timed out on may still be sleeping here
            # when the test reads the log.
            hit = Hit(start, float("inf"), self.path, reply.status, n)
            owner.hits.append(hit)
        try:
            if reply.sleep:
                time.sleep(reply.sleep)
            self.send_response(reply.status)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(reply.body)))
            for name, value in reply.headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(reply.body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the crawler gave up (timeout)
        finally:
            with owner.lock:
                owner.inflight -= 1
                hit.end = time.monotonic()

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    owner: TestServer


class TestServer:
    __test__ = False  # not a pytest class

    def __init__(self, respond: Callable[[str, int], Reply]):
        self.respond = respond
        self.lock = threading.Lock()
        self.counts: Counter[str] = Counter()
        self.hits: list[Hit] = []
        self.inflight = 0
        self.max_inflight = 0
        self._httpd = _Server(("127.0.0.1", 0), _Handler)
        self._httpd.owner = self
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> TestServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def log(self, prefix: str = "") -> list[Hit]:
        with self.lock:
            return sorted(
                (h for h in self.hits if h.path.startswith(prefix)), key=lambda h: h.start
            )
