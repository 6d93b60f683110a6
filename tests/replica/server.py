"""HTTP serving: two ThreadingHTTPServers (vi, en) on 127.0.0.1 over one `Replica`, with the
access log and per-(edition, method, path) attempt counters."""

from __future__ import annotations

import hashlib
import json
import threading
import time
import traceback
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import IO

from .pages import Replica


class ReplicaServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(self, edition: str, port: int, state: ServeState) -> None:
        self.edition = edition
        self.state = state
        super().__init__(("127.0.0.1", port), Handler)
        self.base = f"http://127.0.0.1:{self.server_address[1]}"


class ServeState:
    """Shared between both servers: the site, attempt counters, the access log."""

    def __init__(self, replica: Replica, access_log: str | None) -> None:
        self.replica = replica
        self.lock = threading.Lock()
        self.attempts: dict[tuple[str, str, str], int] = {}
        self.log: IO[str] | None = open(access_log, "a", encoding="utf-8") if access_log else None  # noqa: SIM115

    def next_attempt(self, edition: str, method: str, path: str) -> int:
        with self.lock:
            n = self.attempts.get((edition, method, path), 0) + 1
            self.attempts[(edition, method, path)] = n
            return n

    def write_log(self, entry: dict) -> None:
        if self.log is None:
            return
        line = json.dumps(entry, ensure_ascii=False) + "\n"
        with self.lock:
            self.log.write(line)
            self.log.flush()

    def close(self) -> None:
        if self.log is not None:
            with self.lock:
                self.log.close()
                self.log = None


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "nginx"
    sys_version = ""
    # Headers and body leave in one write, without Nagle: otherwise keep-alive clients wait for a
    # delayed ACK (~40 ms) on every response.
    wbufsize = 1 << 16
    disable_nagle_algorithm = True
    server: ReplicaServer

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - silence stderr logging
        pass

    def do_GET(self) -> None:
        self._serve("GET")

    def do_HEAD(self) -> None:
        self._serve("HEAD")

    def _serve(self, method: str) -> None:
        srv = self.server
        state = srv.state
        path = self.path
        if path.startswith(("http://", "https://")):  # absolute-form request target
            path = "/" + path.split("/", 3)[3] if path.count("/") >= 3 else "/"
        headers = {k.lower(): v for k, v in self.headers.items()}
        attempt = state.next_attempt(srv.edition, method, path)
        try:
            resp = state.replica.respond(srv.edition, method, path, headers, attempt, base=srv.base)
        except Exception as exc:  # a bug in the replica: answer 500 rather than hang the client
            traceback.print_exc()
            body = f"replica error: {exc!r}".encode()
            self.send_response(500)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        if resp.delay:
            time.sleep(resp.delay)
        try:
            sent = self._write(method, resp)
        except (ConnectionError, TimeoutError):  # the client went away: nothing was delivered
            self.close_connection = True
            sent = b""
        state.write_log(
            {
                "time": datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
                "edition": srv.edition,
                "method": method,
                "path": path,
                "status": resp.status,
                "bytes": len(sent),
                "sha1": hashlib.sha1(sent).hexdigest(),
                "content_encoding": dict(resp.headers).get("Content-Encoding"),
                "chunked": bool(resp.chunked and sent),
                "if_none_match": headers.get("if-none-match"),
                "if_modified_since": headers.get("if-modified-since"),
                "user_agent": headers.get("user-agent"),
                "attempt": attempt,
                "irregular": resp.irregular,
            }
        )

    def _write(self, method: str, resp) -> bytes:
        """Send the response; return the entity bytes sent (after content-coding, no chunk framing)."""
        self.send_response(resp.status)
        for k, v in resp.headers:
            self.send_header(k, v)
        body = resp.body
        sent = b""
        if resp.status == 304:
            self.end_headers()
        elif method == "HEAD":
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
        elif resp.chunked:
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for i in range(0, len(body), 8192):
                piece = body[i : i + 8192]
                self.wfile.write(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
            self.wfile.write(b"0\r\n\r\n")
            sent = body
        else:
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            sent = body
        self.wfile.flush()
        return sent


def start(
    replica: Replica, port_vi: int, port_en: int, access_log: str | None
) -> tuple[list[ReplicaServer], ServeState]:
    """Bind both servers and serve each in a daemon thread."""
    state = ServeState(replica, access_log)
    servers = [ReplicaServer("vi", port_vi, state), ReplicaServer("en", port_en, state)]
    for s in servers:
        threading.Thread(target=s.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True).start()
    return servers, state


def stop(servers: list[ReplicaServer], state: ServeState) -> None:
    for s in servers:
        s.shutdown()
        s.server_close()
    state.close()
