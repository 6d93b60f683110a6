"""Real Scrapy crawls (subprocesses) against a real local HTTP server, checked record by record.

Two crawls share one OUTPUT_DIR (the second one revisits), with a tiny WARC_MAX_SIZE so files
rotate; a third crawl is SIGKILLed mid-write and a fourth restarts on its folder.
"""

from __future__ import annotations

import gzip
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
import zlib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from warcio.archiveiterator import ArchiveIterator

from crawler.warc.archive import iter_responses, lookup, resolve
from crawler.warc.index import MANIFEST, read_manifest, sha256_file
from crawler.warc.middleware import PROFILE_IDENTICAL, PROFILE_NOT_MODIFIED, payload_digest
from crawler.warc.writer import FILENAME_RE, OPEN_SUFFIX, closed_files
from tests.warc.server import PNG, TITLE, ArchiveServer, page_html

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = Path(__file__).with_name("crawl_spider.py")
WARCIO = Path(sys.executable).with_name("warcio")

FIRST = [
    "/page/1", "/page/2", "/chunked", "/gzip-chunked", "/close-delimited", "/deflate", "/img.png", "/old",
    "/missing", "/boom", "/cond", "/changing", "/private/secret",
]  # fmt: skip
ETAG = {"If-None-Match": '"v1"'}


@dataclass
class Crawl:
    out: Path
    sent: list[dict]  # what the server sent during this crawl
    files: list[Path]  # WARC files that exist after this crawl
    new_files: list[Path]  # ... and were made by it
    stats: dict
    pointers: list[dict]


def plan_file(server: ArchiveServer, out: Path, requests: list, settings: dict) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    path = out.parent / f"{out.name}-plan-{time.monotonic_ns()}.json"
    plan = {"base": server.base, "output_dir": str(out), "requests": requests}
    path.write_text(json.dumps({**plan, "settings": settings}))
    return path


def start_crawl(server, out, requests, settings) -> subprocess.Popen:
    plan = plan_file(server, out, requests, settings)
    log = open(out / "crawl.log", "ab")  # noqa: SIM115 - closed with the process
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen(
        [sys.executable, str(SCRIPT), str(plan)], cwd=ROOT, stdout=log, stderr=log, env=env
    )


def read_pointers(out: Path) -> list[dict]:
    path = out / "pointers.jsonl"
    if not path.exists():
        return []
    lines = path.read_text().split("\n")
    return [json.loads(line) for line in lines[:-1]]  # a line cut by a kill has no newline


def crawl(server, out, requests, settings=None) -> Crawl:
    before = set(closed_files(out / "warc")) if (out / "warc").exists() else set()
    done = len(read_pointers(out))
    server.take()
    proc = start_crawl(server, out, requests, {"WARC_MAX_SIZE": 6000, **(settings or {})})
    assert proc.wait(timeout=60) == 0, (out / "crawl.log").read_text()[-3000:]
    files = closed_files(out / "warc")
    stats = json.loads((out / "stats.json").read_text())
    new = [p for p in files if p not in before]
    return Crawl(out, server.take(), files, new, stats, read_pointers(out)[done:])


def records(files: list[Path]) -> list[dict]:
    """Every record of the files, flattened for assertions."""
    out = []
    for path in files:
        with open(path, "rb") as fh:
            it = ArchiveIterator(fh)
            for rec in it:
                h = rec.rec_headers
                raw = rec.raw_stream.read()
                http = rec.http_headers
                out.append(
                    {
                        "type": rec.rec_type,
                        "id": h.get_header("WARC-Record-ID"),
                        "url": h.get_header("WARC-Target-URI") or "",
                        "path": urlsplit(h.get_header("WARC-Target-URI") or "").path,
                        # A 304 revisit that refers to its original has no HTTP block (so replay
                        # shows the original): its status is the profile's.
                        "status": int(http.get_statuscode()) if rec.rec_type != "request" and http and http.statusline
                        else 304 if h.get_header("WARC-Profile") == PROFILE_NOT_MODIFIED else None,
                        "http": http,
                        "digest": h.get_header("WARC-Payload-Digest"),
                        "profile": h.get_header("WARC-Profile"),
                        "refers_to": h.get_header("WARC-Refers-To"),
                        "concurrent_to": h.get_header("WARC-Concurrent-To"),
                        "payload": raw,
                        "file": path.name,
                        "offset": it.get_record_offset(),
                        "warc": h,
                    }
                )  # fmt: skip
    return out


def exchanges(recs: list[dict]) -> list[dict]:
    return [r for r in recs if r["type"] in ("response", "revisit")]


@pytest.fixture(scope="module")
def server():
    srv = ArchiveServer().start()
    yield srv
    srv.shutdown()


@pytest.fixture(scope="module")
def first(server, tmp_path_factory) -> Crawl:
    out = tmp_path_factory.mktemp("warc-crawl") / "out"
    requests = [[p, {}] for p in FIRST] + [["/cond-new", ETAG]]
    return crawl(server, out, requests)


@pytest.fixture(scope="module")
def second(server, first) -> Crawl:
    requests = [[p, {}] for p in ("/page/1", "/page/2", "/img.png", "/changing", "/chunked")]
    return crawl(server, first.out, [*requests, ["/cond", ETAG]])


def check_every_sent_response(c: Crawl) -> None:
    recs = exchanges(records(c.new_files))
    sent = Counter((s["path"], s["status"], s["digest"]) for s in c.sent if s["status"] != 304)
    archived = Counter((r["path"], r["status"], r["digest"]) for r in recs if r["status"] != 304)
    assert archived == sent
    for r in recs:
        if r["type"] == "response":  # the stored bytes themselves, not only the header
            assert payload_digest(r["payload"]) == r["digest"]
    not_modified = [r for r in recs if r["status"] == 304]
    assert len(not_modified) == sum(1 for s in c.sent if s["status"] == 304) > 0
    assert all(r["profile"] == PROFILE_NOT_MODIFIED for r in not_modified)


def test_every_served_response_is_archived_with_the_digest_the_server_sent(first, second):
    paths = {s["path"] for s in first.sent}
    assert {"/robots.txt", "/old", "/missing", "/boom", "/img.png"} <= paths
    assert "/private/secret" not in paths  # robots.txt obeyed: never fetched, never archived
    assert Counter(s["path"] for s in first.sent)["/boom"] == 2  # the retried 500 too
    check_every_sent_response(first)
    check_every_sent_response(second)


def test_payload_is_as_received_before_decoding(first):
    by_path = {r["path"]: r for r in exchanges(records(first.new_files)) if r["type"] == "response"}
    gz = by_path["/page/1"]
    assert gz["payload"] == gzip.compress(page_html(1), mtime=0)
    assert gz["http"].get_header("Content-Encoding") == "gzip"
    assert zlib.decompress(by_path["/deflate"]["payload"]) == page_html(102)
    assert by_path["/img.png"]["payload"] == PNG
    # Non-ASCII header bytes are stored as sent, not percent-encoded.
    assert ("X-Title: " + TITLE).encode() in gzip.decompress(
        (first.out / "warc" / by_path["/page/2"]["file"]).read_bytes()
    )
    for path in ("/chunked", "/gzip-chunked", "/close-delimited"):
        http = by_path[path]["http"]
        names = {k.lower() for k, _ in http.headers}
        # De-chunked by Twisted: no chunk framing and no Transfer-Encoding claim in the record,
        # only the note, and only where the body really came chunked.
        assert "transfer-encoding" not in names and "content-length" not in names
        note = http.get_header("X-Archive-Orig-Transfer-Encoding")
        assert note == (None if path == "/close-delimited" else "chunked"), path
    assert by_path["/page/1"]["http"].get_header("X-Archive-Orig-Transfer-Encoding") is None
    assert by_path["/chunked"]["payload"] == page_html(100)
    assert by_path["/close-delimited"]["payload"] == page_html(103)
    assert gzip.decompress(by_path["/gzip-chunked"]["payload"]) == page_html(101)


def test_request_records_are_paired_and_reconstructed(first):
    recs = records(first.new_files)
    ids = {r["id"] for r in exchanges(recs)}
    requests = [r for r in recs if r["type"] == "request"]
    assert len(requests) == len(ids)
    assert {r["concurrent_to"] for r in requests} == ids
    req = next(r for r in requests if r["path"] == "/chunked")
    http = req["http"]
    assert (http.protocol, http.statusline) == ("GET", "/chunked HTTP/1.1")
    assert http.get_header("Host") == urlsplit(req["url"]).netloc
    assert http.get_header("User-Agent").startswith("baolongan-archive-crawler/test")
    assert "gzip" in http.get_header("Accept-Encoding")
    cond = next(r for r in requests if r["path"] == "/cond-new")
    assert cond["http"].get_header("If-None-Match") == '"v1"'


def test_files_rotate_with_manifest_cdxj_and_warcinfo(first, second):
    warc_dir = first.out / "warc"
    assert len(first.new_files) >= 3 and second.new_files
    assert not list(warc_dir.glob("*" + OPEN_SUFFIX))
    manifest = read_manifest(warc_dir)
    assert set(manifest) == {p.name for p in second.files}
    for path in second.files:
        m = FILENAME_RE.match(path.name)
        assert m and m["prefix"] == "baolongan" and len(m["ts"]) == 17
        assert manifest[path.name] == sha256_file(path)
        recs = records([path])
        info = recs[0]
        assert info["type"] == "warcinfo"
        assert info["warc"].get_header("WARC-Filename") == path.name
        fields = dict(line.split(": ", 1) for line in info["payload"].decode().splitlines() if line)
        assert fields["crawler-version"] == "0.1.0"
        assert fields["crawler-git-commit"]
        assert fields["setting-USER_AGENT"].startswith("baolongan-archive-crawler/test")
        assert fields["robots"] == "obey" and "reconstructed" in fields["request-records"]
        assert "Transfer-Encoding" in fields["transfer-encoding"]
        cdxj = Path(f"{path}.cdxj").read_text().splitlines()
        assert len(cdxj) == len(exchanges(recs))
    subprocess.run(
        ["sha256sum", "--check", "--quiet", MANIFEST], cwd=warc_dir, check=True
    )  # the manifest is in sha256sum's own format


def test_warcio_check_passes(first, second):
    result = subprocess.run(
        [str(WARCIO), "check", *map(str, second.files)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_pointers_reach_the_callbacks_and_resolve(first, second):
    warc_dir = first.out / "warc"
    names = {p.name for p in second.files}
    pointers = first.pointers + second.pointers
    by_path = {urlsplit(p["url"]).path: p for p in first.pointers}
    assert set(by_path) >= {"/page/1", "/chunked", "/missing", "/boom", "/cond-new"}
    assert "/old" not in by_path  # followed: the callback got /page/1's pointer
    for p in pointers:
        assert p["warc_filename"] in names
        rec = resolve(warc_dir, p["warc_filename"], p["warc_record_id"])
        assert rec is not None and rec.url == p["url"] and rec.status == p["status"]
        assert rec.payload_digest == p["warc_payload_digest"]
        if p["warc_payload_digest"]:
            assert payload_digest(rec.payload) == p["warc_payload_digest"]
    assert first.stats["warc/files"] == len(first.new_files)
    assert first.stats["warc/bytes"] == sum(p.stat().st_size for p in first.new_files)
    assert first.stats["warc/records"] == len(records(first.new_files))


def test_revisits_only_for_the_same_payload_or_304(first, second):
    old = {r["id"]: r for r in exchanges(records(first.new_files))}
    old_full = {r["path"]: r for r in old.values() if r["type"] == "response"}
    recs = {r["path"]: r for r in exchanges(records(second.new_files))}
    for path in ("/robots.txt", "/page/1", "/page/2", "/img.png", "/chunked"):
        r = recs[path]
        assert (r["type"], r["profile"]) == ("revisit", PROFILE_IDENTICAL), path
        assert r["refers_to"] == old_full[path]["id"] and r["digest"] == old_full[path]["digest"]
        assert r["warc"].get_header("WARC-Refers-To-Target-URI") == old_full[path]["url"]
    assert recs["/changing"]["type"] == "response"  # a changed payload is a full record
    cond = recs["/cond"]
    assert (cond["type"], cond["status"], cond["profile"]) == ("revisit", 304, PROFILE_NOT_MODIFIED)
    assert cond["refers_to"] == old_full["/cond"]["id"]
    assert second.stats["warc/revisits"] == 6
    # Within one run: /old redirected to /page/1, fetched a second time.
    first_page1 = [r for r in old.values() if r["path"] == "/page/1"]
    assert sorted(r["type"] for r in first_page1) == ["response", "revisit"]
    new_304 = next(r for r in old.values() if r["path"] == "/cond-new")
    assert new_304["refers_to"] is None  # nothing archived to refer to


def test_reader_rebuilds_responses_from_the_warcs_alone(first, second):
    warc_dir = first.out / "warc"
    got = list(iter_responses(warc_dir))
    assert len(got) == len(exchanges(records(second.files)))
    page1 = [r for r in got if urlsplit(r.url).path == "/page/1"]
    assert len(page1) == 3 and all(r.body == page_html(1) for r in page1)
    deflated = next(r for r in got if r.url.endswith("/deflate"))
    assert deflated.body == page_html(102)
    url = first.pointers[0]["url"].split("/", 3)[:3]
    hits = lookup(warc_dir, "/".join(url) + "/page/1")
    assert [h.body for h in hits] == [page_html(1)] * 3
    assert [h.record_id for h in hits] == [r.record_id for r in page1]
    one_file = Path(f"{warc_dir / page1[0].filename}.cdxj")
    assert lookup(one_file, page1[0].url)[0].payload == gzip.compress(page_html(1), mtime=0)


def test_sigkill_mid_write_then_restart_leaves_valid_files(server, tmp_path):
    out = tmp_path / "out"
    requests = [[f"/big/{n}", {}] for n in range(1500)]
    proc = start_crawl(server, out, requests, {"WARC_MAX_SIZE": 60_000})
    warc_dir = out / "warc"
    deadline = time.monotonic() + 30
    while proc.poll() is None and time.monotonic() < deadline:
        if len(read_pointers(out)) >= 40:
            # Freeze it, and kill it only while a file is open (right after a rotation none is);
            # stopped, it cannot rotate between our look and the kill.
            proc.send_signal(signal.SIGSTOP)
            if list(warc_dir.glob("*" + OPEN_SUFFIX)):
                break
            proc.send_signal(signal.SIGCONT)
        time.sleep(0.005)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    killed_pointers = read_pointers(out)
    (leftover,) = warc_dir.glob("*" + OPEN_SUFFIX)
    kept = leftover.stat().st_size
    with open(leftover, "ab") as fh:  # and a record torn in the middle, as a kill can leave
        fh.write(gzip.compress(b"WARC/1.1\r\nWARC-Type: response\r\n" + os.urandom(3000))[:1500])
    closed_before = closed_files(warc_dir)
    assert closed_before, "the kill came before the first rotation"
    Path(f"{closed_before[0]}.cdxj").unlink()  # as if killed before its index was written

    c = crawl(server, out, [["/big/1", {}]], {"WARC_MAX_SIZE": 60_000})

    assert not list(warc_dir.glob("*" + OPEN_SUFFIX))
    assert c.stats["warc/recovered_files"] == 1
    recovered = warc_dir / leftover.name.removesuffix(OPEN_SUFFIX)
    assert recovered.stat().st_size == kept  # only the torn record was cut
    result = subprocess.run(
        [str(WARCIO), "check", *map(str, c.files)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
    manifest = read_manifest(warc_dir)
    assert {p.name: sha256_file(p) for p in c.files} == manifest
    assert all(Path(f"{p}.cdxj").exists() for p in c.files)
    for p in killed_pointers:  # every pointer written before the kill still resolves
        rec = resolve(warc_dir, p["warc_filename"], p["warc_record_id"])
        assert rec is not None and rec.url == p["url"]
        assert payload_digest(rec.payload) == p["warc_payload_digest"]
    sizes = {p.name: p.stat().st_size for p in c.files}
    db = sqlite3.connect(warc_dir / "digests.sqlite3")
    for filename, offset in db.execute("SELECT filename, offset FROM payloads"):
        assert offset < sizes[filename]
    db.close()
