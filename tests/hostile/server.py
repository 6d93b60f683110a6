"""The hostile portal: every case of `cases/` served on loopback ports, beside good articles.

Three stdlib servers on 127.0.0.1: the vi edition, the en edition and an "other host" that offsite
redirects point to (it must never be contacted). Routes:

- `/robots.txt` allows everything; `/` of vi is a home page listing every case article (a listing
  of one case) and every good article, with a menu of three sections; `van-hoa-giai-tri` lists none;
- a case's `path` (on its `host`) is answered by its `serve` spec, its `also` paths by theirs;
- good articles on their edition's host; anything else 404.

A `serve` spec: `status`, `headers` (values may hold `{vi}`, `{en}`, `{other}`, `{path}`), a static
`body` file of the case folder (`template: true` substitutes the same names written `{{vi}}` ...), or
a `generate` name with `params` (bodies too big or too odd to commit: 32 MiB+, gzip bombs, 5,000-deep
nesting, stalled or cut connections), `delay` seconds before answering, and `statuses`: a status
per hit before the spec itself answers (a burst of 5xx that recovers).
"""

from __future__ import annotations

import contextlib
import gzip
import json
import socket
import threading
import time
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from tests.hostile import pages
from tests.hostile.pages import ArticleSpec, GoodArticle

CASES_DIR = Path(__file__).resolve().parent / "cases"
MIB = 1024 * 1024
HTML = "text/html; charset=utf-8"


@dataclass
class Case:
    name: str
    folder: Path
    meta: dict[str, Any]

    @property
    def host(self) -> str:
        return self.meta.get("host", "vi")

    @property
    def path(self) -> str:
        return self.meta["path"]

    @property
    def expect(self) -> dict[str, Any]:
        return self.meta["expect"]

    @property
    def listed(self) -> bool:
        """Linked from the vi home page as an article (start URLs and sections are not)."""
        return self.meta.get("listed", True)


def load_cases() -> list[Case]:
    cases = []
    for meta_file in sorted(CASES_DIR.glob("*/meta.json")):
        meta = json.loads(meta_file.read_text(encoding="utf-8"))
        cases.append(Case(meta_file.parent.name, meta_file.parent, meta))
    return cases


@dataclass
class Hit:
    host: str
    path: str  # with query
    at: float


@dataclass
class HostileServer:
    cases: list[Case]
    goods: list[GoodArticle]
    bases: dict[str, str] = field(default_factory=dict)
    hits: list[Hit] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _servers: list[ThreadingHTTPServer] = field(default_factory=list)

    # -- the shape tests.support.crawl_command expects ----------------------------------------
    @property
    def vi(self) -> str:
        return self.bases["vi"]

    @property
    def en(self) -> str:
        return self.bases["en"]

    def url(self, host: str, path: str) -> str:
        return self.bases[host] + path

    def count(self, host: str, path: str, *, query: bool = True) -> int:
        """Requests for `path` on `host`; `query=False` counts every query string of the path."""
        with self._lock:
            if query:
                return sum(1 for h in self.hits if h.host == host and h.path == path)
            return sum(1 for h in self.hits if h.host == host and h.path.split("?")[0] == path)

    def hosts_hit(self) -> Counter:
        with self._lock:
            return Counter(h.host for h in self.hits)

    # -- lifecycle ---------------------------------------------------------------------------
    def __enter__(self) -> HostileServer:
        self.routes: dict[tuple[str, str], tuple[Case | None, dict[str, Any]]] = {}
        for case in self.cases:
            self.routes[(case.host, case.path)] = (case, case.meta["serve"])
            for path, spec in case.meta.get("also", {}).items():
                self.routes[(case.host, path)] = (case, spec)
        self.good_routes = {(g.edition, g.path): g for g in self.goods}
        for host in ("vi", "en", "other"):
            server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self, host))
            server.daemon_threads = True
            self._servers.append(server)
            self.bases[host] = f"http://127.0.0.1:{server.server_address[1]}"
            threading.Thread(
                target=server.serve_forever, name=f"hostile-{host}", daemon=True
            ).start()
        return self

    def __exit__(self, *exc: object) -> None:
        for server in self._servers:
            server.shutdown()
            server.server_close()

    def record(self, host: str, path: str) -> int:
        """Log a request; return how many times this exact path was requested, this one included."""
        with self._lock:
            self.hits.append(Hit(host, path, time.monotonic()))
            return sum(1 for h in self.hits if h.host == host and h.path == path)

    def substitute(self, text: str, path: str, double: bool = False) -> str:
        names = {**self.bases, "path": path}
        for name, value in names.items():
            text = text.replace("{{" + name + "}}" if double else "{" + name + "}", value)
        return text

    # -- pages of the portal itself -----------------------------------------------------------
    def most_read(self) -> list[tuple[str, str]]:
        return [(g.path, g.title) for g in self.goods[:3] if g.edition == "vi"]

    def home(self) -> bytes:
        entries = []
        for case in self.cases:
            if case.host == "vi" and case.listed and "-a" in case.path:
                title = case.meta.get("title") or case.name
                entries.append((case.path, title, case.meta["why"][:120]))
        for g in self.goods:
            link = g.path if g.edition == "vi" else g.production_url
            entries.append((link, g.title, g.lead))
        main = pages.listing_page("vi", pages.LABELS["vi"]["latest"], entries, self.most_read())
        return main.encode()

    def section(self, slug: str) -> bytes | None:
        names = {s: n for s, n, _ in pages.SECTIONS}
        if slug not in names:
            return None
        vi_goods = [g for g in self.goods if g.edition == "vi"]
        chosen = {
            "thoi-su-chinh-tri": vi_goods[:10],
            "thoi-su-chinh-tri/long-an": vi_goods[10:20],
            pages.EMPTY_SECTION: [],
        }[slug]
        entries = [(g.path, g.title, g.lead) for g in chosen]
        return pages.listing_page("vi", names[slug], entries, self.most_read()).encode()


def _handler(server: HostileServer, host: str) -> type[BaseHTTPRequestHandler]:
    class Handler(_Handler):
        portal = server
        edition = host

    return Handler


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    portal: HostileServer
    edition: str

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass

    def handle_one_request(self) -> None:
        try:
            super().handle_one_request()
        except OSError:  # the client hung up (BrokenPipe, reset, timeout)
            self.close_connection = True

    def do_GET(self) -> None:  # noqa: N802
        full = self.path
        path = urlsplit(full).path
        hit_no = self.portal.record(self.edition, full)
        if path == "/robots.txt":
            return self.send(200, {"Content-Type": "text/plain"}, b"User-agent: *\nAllow: /\n")
        if self.edition == "other":
            return self.send(
                200, {"Content-Type": HTML}, b"<html><body><p>offsite</p></body></html>"
            )
        route = self.portal.routes.get((self.edition, path))
        if route is not None:
            case, spec = route
            return self.serve(case, spec, hit_no)
        if self.edition == "vi" and path == "/":
            return self.send(200, {"Content-Type": HTML}, self.portal.home())
        if self.edition == "vi" and path.endswith("/"):
            body = self.portal.section(path.strip("/"))
            if body is not None:
                return self.send(200, {"Content-Type": HTML}, body)
        good = self.portal.good_routes.get((self.edition, path))
        if good is not None:
            return self.send(200, {"Content-Type": HTML}, pages.article_page(good.spec()).encode())
        return self.send(404, {"Content-Type": HTML}, b"<html><body><p>404</p></body></html>")

    # -- plumbing ----------------------------------------------------------------------------
    def send(
        self, status: int, headers: dict[str, str], body: bytes, *, length: bool = True
    ) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        if length:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        self.wfile.flush()

    def serve(self, case: Case, spec: dict[str, Any], hit_no: int) -> None:
        statuses = spec.get("statuses", [])
        if hit_no <= len(statuses):
            status = statuses[hit_no - 1]
            body = f"<html><body><p>{status}</p></body></html>".encode()
            self.send(status, {"Content-Type": HTML}, body)
            return
        if spec.get("delay"):
            time.sleep(spec["delay"])
        headers = {
            k: self.portal.substitute(v, self.path) for k, v in spec.get("headers", {}).items()
        }
        status = spec.get("status", 200)
        if "generate" in spec:
            generator = GENERATORS[spec["generate"]]
            generator(self, case, spec.get("params", {}), status, headers)
            return
        body = b""
        if spec.get("body"):
            body = (case.folder / spec["body"]).read_bytes()
            if spec.get("template"):
                body = self.portal.substitute(body.decode(), self.path, double=True).encode()
        self.send(status, headers, body)


# --- generators: (handler, case, params, status, headers) -> None ---------------------------------


def _article(
    h: _Handler, case: Case, p: dict[str, Any], status: int, headers: dict[str, str]
) -> None:
    """An article page from params. `encoding`: utf-8 (default), cp1258 or utf-16 (with BOM);
    `meta_charset`: the <meta charset> (null: none); `nfd`: decompose every string;
    `no_content_type`: send no Content-Type header;
    `title_repeat`: the title repeated N times (absurd titles); `head_extra`/`body_prefix`/
    `body_suffix`: raw markup ({path} substituted)."""
    title = p.get("title", "Tiêu đề")
    if title and p.get("title_repeat"):
        title = " ".join([title] * p["title_repeat"])
    spec = ArticleSpec(
        title=title,
        date=p.get("date", "20/01/2022 - 18:20"),
        kicker=p.get("kicker"),
        lead=p.get("lead", "Sapo của bài viết."),
        paragraphs=p.get("paragraphs", ["Đoạn thứ nhất."]),
        byline=p.get("byline", "Thanh Hải"),
        charset=p.get("meta_charset", "utf-8"),
        head_extra=h.portal.substitute(p.get("head_extra", ""), h.path),
        body_prefix=p.get("body_prefix", ""),
        body_suffix=p.get("body_suffix", ""),
    )
    text = pages.article_page(spec)
    if p.get("nfd"):
        text = unicodedata.normalize("NFD", text)
    encoding = p.get("encoding", "utf-8")
    if encoding == "cp1258":
        body = encode_cp1258(text)
    elif encoding == "utf-16":
        body = text.encode("utf-16")  # with BOM, little-endian here
    else:
        body = text.encode("utf-8")
    if not p.get("no_content_type"):
        headers.setdefault("Content-Type", HTML)
    h.send(status, headers, body)


def encode_cp1258(text: str) -> bytes:
    """Windows-1258 as Vietnamese Windows software wrote it: a base letter it has precomposed
    (â ê ô ơ ư ă đ ...) followed by combining tone marks (0xCC, 0xEC, 0xD2, 0xDE, 0xF2)."""
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        base, *marks = unicodedata.normalize("NFD", ch)
        for mark in marks:  # fold the one mark cp1258 has precomposed with this base (ê = e + ̂)
            composed = unicodedata.normalize("NFC", base + mark)
            if len(composed) == 1 and composed.encode("cp1258", errors="ignore"):
                base = composed
                marks.remove(mark)
                break
        out += base.encode("cp1258") + "".join(marks).encode("cp1258")
    return bytes(out)


def _deep_nesting(
    h: _Handler, case: Case, p: dict[str, Any], status: int, headers: dict[str, str]
) -> None:
    """An article whose body sits inside `depth` nested divs, one paragraph after them."""
    depth = p["depth"]
    deep = f'<p style="text-align: justify;">{pages.esc(p["deep_text"])}</p>'
    prefix = "<div>" * depth + deep + "</div>" * depth
    params = {**p, "body_prefix": prefix}
    _article(h, case, params, status, headers)


def _oversize(
    h: _Handler, case: Case, p: dict[str, Any], status: int, headers: dict[str, str]
) -> None:
    """`size_mib` of HTML, with Content-Length (`chunked: false`) or chunked, written until the
    client hangs up."""
    size = int(p["size_mib"] * MIB)
    chunk = (b"<p>" + "Nội dung lặp lại. ".encode() * 200 + b"</p>\n") * 16
    h.send_response(status)
    h.send_header("Content-Type", HTML)
    chunked = p.get("chunked", False)
    if chunked:
        h.send_header("Transfer-Encoding", "chunked")
    else:
        h.send_header("Content-Length", str(size))
    h.close_connection = True
    h.end_headers()
    sent = 0
    try:
        while sent < size:
            piece = chunk[: size - sent]
            h.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece) if chunked else piece)
            sent += len(piece)
        if chunked:
            h.wfile.write(b"0\r\n\r\n")
        h.wfile.flush()
    except OSError:
        pass


@lru_cache(maxsize=1)
def gzip_bomb(size_mib: int) -> bytes:
    """`size_mib` MiB of HTML compressed to ~size_mib * 1 KB (computed once, never committed)."""
    raw = b"<html><body><p>" + b"A" * (size_mib * MIB) + b"</p></body></html>"
    return gzip.compress(raw, compresslevel=6)


def _gzip_bomb(
    h: _Handler, case: Case, p: dict[str, Any], status: int, headers: dict[str, str]
) -> None:
    body = gzip_bomb(int(p["size_mib"]))
    h.send(status, {"Content-Type": HTML, "Content-Encoding": "gzip", **headers}, body)


def _data_loss(
    h: _Handler, case: Case, p: dict[str, Any], status: int, headers: dict[str, str]
) -> None:
    """Declares `declared` bytes, sends the first `sent` of an article page, closes."""
    body = pages.article_page(ArticleSpec(title="Bài bị cắt giữa chừng")).encode()
    body = (body * (p["declared"] // len(body) + 1))[: p["sent"]]
    h.send_response(status)
    h.send_header("Content-Type", HTML)
    h.send_header("Content-Length", str(p["declared"]))
    h.end_headers()
    h.wfile.write(body)
    h.wfile.flush()
    h.close_connection = True


def _drip(h: _Handler, case: Case, p: dict[str, Any], status: int, headers: dict[str, str]) -> None:
    """Headers at once, then `bytes` bytes every `interval` seconds, for `total` seconds."""
    h.send_response(status)
    h.send_header("Content-Type", HTML)
    h.send_header("Content-Length", str(100_000))
    h.end_headers()
    h.close_connection = True
    deadline = time.monotonic() + p["total"]
    try:
        h.wfile.write(b"<!DOCTYPE html><html><body>")
        while time.monotonic() < deadline:
            h.wfile.write(b" " * p["bytes"])
            h.wfile.flush()
            time.sleep(p["interval"])
    except OSError:
        pass


def _reset(
    h: _Handler, case: Case, p: dict[str, Any], status: int, headers: dict[str, str]
) -> None:
    """Read the request, answer nothing, close the connection."""
    h.close_connection = True
    with contextlib.suppress(OSError):
        h.connection.shutdown(socket.SHUT_RDWR)


def _redirect_chain(
    h: _Handler, case: Case, p: dict[str, Any], status: int, headers: dict[str, str]
) -> None:
    """Each hop redirects to the next (`?hop=N+1`), forever."""
    query = urlsplit(h.path).query
    hop = int(query.split("=", 1)[1]) if query.startswith("hop=") else 0
    location = f"{urlsplit(h.path).path}?hop={hop + 1}"
    h.send(status, {"Location": location, "Content-Type": HTML}, b"")


def _section(
    h: _Handler, case: Case, p: dict[str, Any], status: int, headers: dict[str, str]
) -> None:
    """A section listing of the portal (`slug`), as the built-in route would serve it."""
    body = h.portal.section(p["slug"]) or b""
    h.send(status, {"Content-Type": HTML, **headers}, body)


GENERATORS = {
    "section": _section,
    "article": _article,
    "deep_nesting": _deep_nesting,
    "oversize": _oversize,
    "gzip_bomb": _gzip_bomb,
    "data_loss": _data_loss,
    "drip": _drip,
    "reset": _reset,
    "redirect_chain": _redirect_chain,
}
