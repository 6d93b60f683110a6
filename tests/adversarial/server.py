"""A tiny portal for adversarial crawl tests: one stdlib HTTP server per site on 127.0.0.1.

Each `Site` answers from a route table (path -> `Answer` or a function of the handler returning
one) and keeps its own log of every request: path, when it arrived and when its answer was sent
(`time.monotonic()`, the crawl runs in another process, so the log is the server's own view).
Unknown paths answer 404; `/robots.txt` allows everything unless routed.

Never imports the crawler: expectations must not come from the code under test.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

from tests.hostile import pages

HTML = "text/html; charset=utf-8"


@dataclass
class Answer:
    status: int = 200
    headers: dict[str, str] = field(default_factory=lambda: {"Content-Type": HTML})
    body: bytes = b""


@dataclass
class Hit:
    path: str
    arrived: float
    answered: float | None = None


Route = Answer | Callable[["_Handler"], Answer]


class Site:
    """One HTTP server on 127.0.0.1; `routes` may be changed while it runs."""

    def __init__(self, routes: dict[str, Route] | None = None) -> None:
        self.routes: dict[str, Route] = dict(routes or {})
        self.hits: list[Hit] = []
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._server.daemon_threads = True
        self.port: int = self._server.server_address[1]
        self.base = f"http://127.0.0.1:{self.port}"

    def start(self) -> Site:
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def log(self, path: str) -> Hit:
        hit = Hit(path, time.monotonic())
        with self._lock:
            self.hits.append(hit)
        return hit

    def paths(self) -> list[str]:
        with self._lock:
            return [h.path for h in self.hits]

    def count(self, path: str) -> int:
        return self.paths().count(path)


@contextlib.contextmanager
def sites(*route_tables: dict[str, Route]) -> Iterator[list[Site]]:
    started = [Site(r).start() for r in route_tables]
    try:
        yield started
    finally:
        for s in started:
            s.stop()


def _handler(site: Site) -> type[BaseHTTPRequestHandler]:
    class Handler(_Handler):
        owner = site

    return Handler


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    owner: Site

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass

    def handle_one_request(self) -> None:
        try:
            super().handle_one_request()
        except OSError:  # the client hung up
            self.close_connection = True

    def do_GET(self) -> None:  # noqa: N802
        hit = self.owner.log(self.path)
        route = self.owner.routes.get(self.path) or self.owner.routes.get(urlsplit(self.path).path)
        if route is None:
            if urlsplit(self.path).path == "/robots.txt":
                route = Answer(200, {"Content-Type": "text/plain"}, b"User-agent: *\nAllow: /\n")
            else:
                route = Answer(404, {"Content-Type": HTML}, b"<html><body>404</body></html>")
        answer = route(self) if callable(route) else route
        self.send_response(answer.status)
        for name, value in answer.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(answer.body)))
        self.end_headers()
        try:
            self.wfile.write(answer.body)
            self.wfile.flush()
        finally:
            hit.answered = time.monotonic()


# --- pages --------------------------------------------------------------------------------------


def article(title: str, **spec: Any) -> Answer:
    """A well-formed article page of the portal's markup (tests/hostile/pages.py)."""
    body = pages.article_page(pages.ArticleSpec(title=title, **spec)).encode()
    return Answer(body=body)


def home(links: list[tuple[str, str]]) -> dict[str, Answer]:
    """Routes of a vi portal: a home page listing `links` (href, title) as the latest articles,
    and the menu's sections, each listing nothing."""
    entries = [(href, title, "Tóm tắt.") for href, title in links]
    routes = {"/": Answer(body=pages.listing_page("vi", "Tin mới nhất", entries, []).encode())}
    for slug, name, _parent in pages.SECTIONS:
        routes[f"/{slug}/"] = Answer(body=pages.listing_page("vi", name, [], []).encode())
    return routes


def redirect(location: str, status: int = 302) -> Answer:
    return Answer(status, {"Location": location, "Content-Type": HTML}, b"")
