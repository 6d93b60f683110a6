"""The WARC writer, recovery and reader on real files, without a crawl (fast)."""

from __future__ import annotations

import errno
import gzip
import os
import zlib
from io import BytesIO
from pathlib import Path

import brotli
import pytest
from scrapy import Request
from scrapy.exceptions import NotConfigured
from scrapy.utils.test import get_crawler
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders

from crawler.warc import writer as writer_mod
from crawler.warc.archive import decode_body, iter_responses, lookup
from crawler.warc.index import MANIFEST, DigestIndex, Original, read_manifest, sha256_file
from crawler.warc.middleware import WarcMiddleware, payload_digest
from crawler.warc.writer import (
    FILENAME_RE,
    OPEN_SUFFIX,
    WarcFileWriter,
    closed_files,
    gzip_member_ends,
    valid_prefix,
)


def make_writer(folder: Path, **kw) -> WarcFileWriter:
    return WarcFileWriter(folder, warcinfo=lambda: [("software", "test")], **kw)


def exchange(w: WarcFileWriter, i: int, size: int = 2000) -> list:
    body = gzip.compress(os.urandom(size), mtime=0)
    http = StatusAndHeaders("200 OK", [("Content-Encoding", "gzip")], protocol="HTTP/1.1")
    url = f"http://example.test/a-{i}.html"
    resp = w.builder.create_warc_record(
        url, "response", payload=BytesIO(body), length=len(body), http_headers=http,
        warc_headers_dict={"WARC-Payload-Digest": payload_digest(body)},
    )  # fmt: skip
    req = w.builder.create_warc_record(
        url, "request", http_headers=StatusAndHeaders(f"GET /a-{i}.html HTTP/1.1", [], is_http_request=True)
    )  # fmt: skip
    return [resp, req]


def open_file(folder: Path) -> Path:
    (path,) = folder.glob("*" + OPEN_SUFFIX)
    return path


def test_names_rotation_and_serials(tmp_path):
    w = make_writer(tmp_path, max_size=1000)
    names = [w.write(exchange(w, i)).filename for i in range(4)]
    w.close()
    files = closed_files(tmp_path)
    assert [p.name for p in files] == sorted(set(names), key=names.index)
    assert len(files) == 4  # every exchange crossed the tiny limit
    serials = [int(FILENAME_RE.match(p.name)["serial"]) for p in files]
    assert serials == [0, 1, 2, 3]
    assert all(FILENAME_RE.match(p.name)["prefix"] == "baolongan" for p in files)
    # a later writer continues the sequence instead of reusing serials
    w2 = make_writer(tmp_path)
    assert FILENAME_RE.match(w2.write(exchange(w2, 9)).filename)["serial"] == "00004"
    w2.close()
    manifest = read_manifest(tmp_path)
    assert set(manifest) == {p.name for p in closed_files(tmp_path)}
    assert all(manifest[p.name] == sha256_file(p) for p in closed_files(tmp_path))
    assert all(Path(f"{p}.cdxj").exists() for p in closed_files(tmp_path))


def test_valid_prefix_cuts_a_torn_member_and_garbage(tmp_path):
    w = make_writer(tmp_path)
    for i in range(3):
        written = w.write(exchange(w, i))
    path = open_file(tmp_path)
    size = path.stat().st_size
    assert gzip_member_ends(path)[-1] == size
    assert valid_prefix(path) == size
    last_start = written.offsets[0]
    with open(path, "rb") as fh:
        fh.seek(last_start)
        last = fh.read()
    with open(path, "r+b") as fh:  # the last exchange torn in the middle of its response member
        fh.truncate(last_start + len(last) // 3)
    assert valid_prefix(path) == last_start
    with open(path, "ab") as fh:
        fh.write(b"\x1f\x8b\x08garbage")
    assert valid_prefix(path) == last_start
    os.close(w._fd)


def test_valid_prefix_cuts_a_whole_member_that_fails_its_digest(tmp_path):
    w = make_writer(tmp_path)
    w.write(exchange(w, 0))
    path = open_file(tmp_path)
    good = path.stat().st_size
    record = w.serialize(exchange(w, 1)[0])
    tampered = gzip.decompress(record).replace(b"Content-Encoding", b"Content-Encodinx")
    with open(path, "ab") as fh:
        fh.write(gzip.compress(tampered))
    assert valid_prefix(path) == good
    os.close(w._fd)


def test_recover_closes_a_killed_runs_file(tmp_path):
    w = make_writer(tmp_path)
    rows = []
    for i in range(3):
        written = w.write(exchange(w, i))
        rows.append((i, written))
    path = open_file(tmp_path)
    name = path.name.removesuffix(OPEN_SUFFIX)
    index = DigestIndex(tmp_path / "digests.sqlite3")
    for i, written in rows:
        index.add(Original(f"u{i}", "d", "id", name, written.offsets[0], "t"))
    os.close(w._fd)  # as a SIGKILL would leave it, plus a torn member
    with open(path, "ab") as fh:
        fh.write(w.serialize(exchange(w, 3)[0])[:500])
    (tmp_path / "baolongan-20000101000000000-00009-x.warc.gz.open").write_bytes(b"\x1f\x8b")
    torn_at = rows[-1][1].offsets[-1] + rows[-1][1].lengths[-1]

    recovered = make_writer(tmp_path).recover(index)

    assert recovered == [name]
    assert not list(tmp_path.glob("*" + OPEN_SUFFIX))  # the empty one is gone too
    final = tmp_path / name
    assert final.stat().st_size == torn_at
    assert read_manifest(tmp_path) == {name: sha256_file(final)}
    assert Path(f"{final}.cdxj").read_text().count("\n") == 3
    with open(final, "rb") as fh:
        assert sum(1 for _ in ArchiveIterator(fh)) == 1 + 3 * 2
    assert index.find("u2", "d") is not None  # rows inside the kept part survive
    assert index.forget_from(name, rows[2][1].offsets[0]) == 1
    assert index.find("u2", "d") is None and index.find("u1", "d") is not None
    index.close()


def test_recover_finishes_files_closed_without_manifest_or_cdxj(tmp_path):
    w = make_writer(tmp_path, max_size=1)
    w.write(exchange(w, 0))
    w.write(exchange(w, 1))
    w.close()
    first, second = closed_files(tmp_path)
    Path(f"{first}.cdxj").unlink()
    lines = (tmp_path / MANIFEST).read_text().splitlines()
    (tmp_path / MANIFEST).write_text(lines[0] + "\n" + lines[1][:20])  # torn second line
    make_writer(tmp_path).recover()
    assert Path(f"{first}.cdxj").exists()
    assert read_manifest(tmp_path) == {p.name: sha256_file(p) for p in (first, second)}


def test_a_failed_write_leaves_no_partial_record(tmp_path, monkeypatch):
    w = make_writer(tmp_path)
    w.write(exchange(w, 0))
    path = open_file(tmp_path)
    size = path.stat().st_size
    real_write = os.write

    def half_then_enospc(fd, data):
        real_write(fd, bytes(data[: len(data) // 2]))
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(writer_mod.os, "write", half_then_enospc)
    with pytest.raises(OSError):
        w.write(exchange(w, 1))
    monkeypatch.undo()
    assert path.stat().st_size == size
    w.write(exchange(w, 2))
    w.close()
    (final,) = closed_files(tmp_path)
    assert valid_prefix(final) == final.stat().st_size


def test_reader_over_writer_output(tmp_path):
    w = make_writer(tmp_path, max_size=3000)
    for i in range(3):
        w.write(exchange(w, i))
    w.close()
    got = list(iter_responses(tmp_path))
    assert [r.url for r in got] == [f"http://example.test/a-{i}.html" for i in range(3)]
    assert all(payload_digest(r.payload) == r.payload_digest for r in got)
    assert all(gzip.compress(r.body, mtime=0) == r.payload for r in got)
    (hit,) = lookup(tmp_path, "http://example.test/a-1.html")
    assert hit == got[1]


def test_decode_body():
    text = "Bản tin Long An".encode() * 50
    assert decode_body(gzip.compress(text), "gzip") == text
    assert decode_body(gzip.compress(text) + gzip.compress(text), "x-gzip") == text * 2
    assert decode_body(zlib.compress(text), "deflate") == text
    raw = zlib.compressobj(wbits=-15)
    assert decode_body(raw.compress(text) + raw.flush(), "Deflate") == text
    assert decode_body(brotli.compress(text), "br") == text
    assert decode_body(gzip.compress(zlib.compress(text)), "deflate, gzip") == text
    assert decode_body(text, None) == text
    assert decode_body(b"??", "compress") == b"??"


def test_warc_disabled():
    with pytest.raises(NotConfigured):
        WarcMiddleware.from_crawler(get_crawler(settings_dict={"WARC_ENABLED": False}))


def test_a_new_request_starts_without_the_previous_pointer(tmp_path):
    settings = {"EDITION_URL_VI": "http://127.0.0.1:9", "EDITION_URL_EN": "http://127.0.0.1:9"}
    crawler = get_crawler(settings_dict={**settings, "OUTPUT_DIR": str(tmp_path)})
    mw = WarcMiddleware.from_crawler(crawler)
    # as RedirectMiddleware builds it: the 301's meta, pointer included, copied over
    request = Request("http://127.0.0.1:9/new", meta={"warc_record_id": "<urn:uuid:x>", "k": 1})
    mw.process_request(request)
    assert request.meta == {"k": 1}
