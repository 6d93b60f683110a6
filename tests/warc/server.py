"""A tiny real HTTP/1.1 server for the WARC tests (stdlib, in a thread, 127.0.0.1 only).

It logs what it sent for every request: path, status and the sha1 of the entity body exactly as
written to the socket (gzip bytes for gzip responses, the chunks' data without framing for chunked
ones), so tests can compare WARC payload digests with the server's own account.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import random
import threading
import time
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ROBOTS = b"User-agent: *\nDisallow: /private/\n"
PNG = b"\x89PNG\r\n\x1a\n" + random.Random(7).randbytes(3000)
TITLE = "Đường về quê"  # non-ASCII in a header, sent as UTF-8 bytes


def page_html(n: int) -> bytes:
    filler = "".join(f"<p>Đoạn {i} của bài {n}: tin tức Long An.</p>" for i in range(40))
    return (
        f"<html><head><meta charset='utf-8'><title>Bài {n}</title></head>"
        f"<body><h1>Bài {n}</h1>{filler}<img src='/img.png'></body></html>"
    ).encode()


def sha1_b32(data: bytes) -> str:
    return "sha1:" + base64.b32encode(hashlib.sha1(data).digest()).decode()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive and chunked need 1.1
    server: ArchiveServer

    def log_message(self, *args) -> None:  # quiet
        pass

    def do_GET(self) -> None:
        status, headers, body, chunked = self.route()
        close_delimited = self.path == "/close-delimited"
        self.send_response(status)
        for k, v in headers:
            self.send_header(k, v)
        if chunked:
            self.send_header("Transfer-Encoding", "chunked")
        elif close_delimited:  # no length at all: the body ends when the connection does
            self.send_header("Connection", "close")
            self.close_connection = True
        elif status != 304:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if chunked:
            third = max(1, len(body) // 3)
            for i in range(0, len(body), third):
                part = body[i : i + third]
                self.wfile.write(f"{len(part):x}\r\n".encode() + part + b"\r\n")
            self.wfile.write(b"0\r\n\r\n")
        elif status != 304:
            self.wfile.write(body)
        self.server.record(self.path, status, body)

    def route(self) -> tuple[int, list[tuple[str, str]], bytes, bool]:
        p = self.path
        html = [("Content-Type", "text/html; charset=utf-8")]
        if p == "/robots.txt":
            return 200, [("Content-Type", "text/plain")], ROBOTS, False
        if p.startswith("/page/"):
            n = int(p.rsplit("/", 1)[1])
            # mtime=0: the same page gzips to the same bytes every time (revisits across runs).
            extra = [("X-Title", TITLE.encode().decode("latin-1"))] if n == 2 else []
            gz = gzip.compress(page_html(n), mtime=0)
            return 200, [*html, ("Content-Encoding", "gzip"), *extra], gz, False
        if p == "/chunked":
            return 200, html, page_html(100), True
        if p == "/gzip-chunked":
            return (
                200,
                [*html, ("Content-Encoding", "gzip")],
                gzip.compress(page_html(101), mtime=0),
                True,
            )
        if p == "/deflate":
            return (
                200,
                [*html, ("Content-Encoding", "deflate")],
                zlib.compress(page_html(102)),
                False,
            )
        if p == "/close-delimited":
            return 200, html, page_html(103), False
        if p == "/img.png":
            return 200, [("Content-Type", "image/png")], PNG, False
        if p == "/old":
            return 301, [("Location", "/page/1"), *html], b"<a href='/page/1'>moved</a>", False
        if p == "/missing":
            return 404, html, b"<html>not here</html>", False
        if p == "/boom":
            return 500, html, b"<html>boom</html>", False
        if p.startswith("/cond"):
            etag = '"v1"'
            if self.headers.get("If-None-Match") == etag:
                return 304, [("ETag", etag)], b"", False
            return 200, [*html, ("ETag", etag)], b"<html>conditional v1</html>", False
        if p == "/changing":
            return 200, html, f"<html>visit {self.server.next_count()}</html>".encode(), False
        if p.startswith("/big/"):
            time.sleep(0.004)  # slow enough for the kill test to land mid-crawl
            n = int(p.rsplit("/", 1)[1])
            body = random.Random(n).randbytes(8000)
            return 200, [("Content-Type", "application/octet-stream")], body, False
        return 404, html, b"<html>no route</html>", False


class ArchiveServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.lock = threading.Lock()
        self.sent: list[dict] = []
        self._count = 0

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def handle_error(self, request, client_address) -> None:
        pass  # connections reset by the killed crawl are expected

    def record(self, path: str, status: int, body: bytes) -> None:
        with self.lock:
            self.sent.append({"path": path, "status": status, "digest": sha1_b32(body)})

    def next_count(self) -> int:
        with self.lock:
            self._count += 1
            return self._count

    def take(self) -> list[dict]:
        """What was sent since the last take()."""
        with self.lock:
            out, self.sent = self.sent, []
        return out

    def start(self) -> ArchiveServer:
        threading.Thread(target=self.serve_forever, daemon=True).start()
        return self
