"""Reading the archive back: every response of a WARC folder, or one URL through the CDXJ indexes.

For offline re-extraction (rebuild records from the WARCs alone) and for tests. Only closed files
(`*.warc.gz`, in creation order) are read; `.open` files belong to a running or killed crawl.

Revisit records are yielded too, with the payload of the record they refer to (found by
WARC-Refers-To, else by URL + payload digest), so a record's pointer always leads to a body.
A revisit whose original is not in the folder (or a 304 with nothing to refer to) has
payload and body None. `status` is the revisit's own (200, 304, ...).
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

import surt
from warcio.archiveiterator import ArchiveIterator
from warcio.recordloader import ArcWarcRecord

from crawler.warc.index import cdxj_path
from crawler.warc.writer import closed_files


class ArchivedResponse(NamedTuple):
    url: str
    status: int
    headers: list[tuple[str, str]]  # in stored order, repeats kept
    payload: bytes | None  # entity body as received (still content-encoded)
    body: bytes | None  # payload with Content-Encoding undone
    record_id: str  # of this record (a response or a revisit): what pointers name
    filename: str
    payload_digest: str | None
    date: str  # WARC-Date


def get_header(headers: list[tuple[str, str]], name: str) -> str | None:
    name = name.lower()
    return next((v for k, v in headers if k.lower() == name), None)


def decode_body(payload: bytes, content_encoding: str | None) -> bytes:
    """Undo Content-Encoding (gzip, deflate, br), last applied first; unknown codings are kept."""
    codings = [c.strip().lower() for c in (content_encoding or "").split(",") if c.strip()]
    body = payload
    for coding in reversed(codings):
        if coding in ("gzip", "x-gzip"):
            body = _gunzip(body)
        elif coding == "deflate":
            try:
                body = zlib.decompress(body)
            except zlib.error:  # servers that send raw deflate without the zlib wrapper
                body = zlib.decompress(body, -zlib.MAX_WBITS)
        elif coding == "br":
            import brotli

            body = brotli.decompress(body)
        elif coding != "identity":
            break  # as Scrapy does: an unknown coding leaves the bytes as they are
    return body


def _gunzip(data: bytes) -> bytes:
    # Concatenated members are legal gzip; decompress them all.
    out, d = [], zlib.decompressobj(zlib.MAX_WBITS | 16)
    while data:
        out.append(d.decompress(data))
        data = d.unused_data
        if d.eof:
            d = zlib.decompressobj(zlib.MAX_WBITS | 16)
        else:
            break
    return b"".join(out)


NOT_MODIFIED = "http://netpreserve.org/warc/1.1/revisit/server-not-modified"


def _response(record: ArcWarcRecord, filename: str, payload: bytes | None) -> ArchivedResponse:
    h = record.http_headers
    headers = list(h.headers) if h else []
    status = int(h.get_statuscode()) if h else 0
    encoding = get_header(headers, "Content-Encoding")
    if h is None and record.rec_headers.get_header("WARC-Profile") == NOT_MODIFIED:
        # A 304 revisit stored without its HTTP block (see WarcMiddleware._revisit): the payload
        # is the original's, whose own headers are not at hand; gzip shows by its magic bytes.
        status = 304
        encoding = "gzip" if payload and payload[:2] == b"\x1f\x8b" else None
    body = None if payload is None else decode_body(payload, encoding)
    return ArchivedResponse(
        url=record.rec_headers.get_header("WARC-Target-URI"),
        status=status,
        headers=headers,
        payload=payload,
        body=body,
        record_id=record.rec_headers.get_header("WARC-Record-ID"),
        filename=filename,
        payload_digest=record.rec_headers.get_header("WARC-Payload-Digest"),
        date=record.rec_headers.get_header("WARC-Date"),
    )


def _read_at(path: Path, offset: int) -> tuple[ArcWarcRecord, bytes]:
    with open(path, "rb") as fh:
        fh.seek(offset)
        record = next(iter(ArchiveIterator(fh)))
        return record, record.raw_stream.read()


def iter_responses(warc_dir: str | Path) -> Iterator[ArchivedResponse]:
    """Every response and revisit record of the folder's closed WARC files, in file order."""
    warc_dir = Path(warc_dir)
    # Where each full response is, to give revisits their payload. ~150 bytes per response.
    by_id: dict[str, tuple[Path, int]] = {}
    by_digest: dict[tuple[str, str], tuple[Path, int]] = {}
    for path in closed_files(warc_dir):
        with open(path, "rb") as fh:
            it = ArchiveIterator(fh)
            for record in it:
                if record.rec_type == "response":
                    payload = record.raw_stream.read()
                    resp = _response(record, path.name, payload)
                    where = (path, it.get_record_offset())
                    by_id[resp.record_id] = where
                    if resp.payload_digest:
                        by_digest[(resp.url, resp.payload_digest)] = where
                    yield resp
                elif record.rec_type == "revisit":
                    rh = record.rec_headers
                    where = by_id.get(rh.get_header("WARC-Refers-To") or "") or by_digest.get(
                        (
                            rh.get_header("WARC-Refers-To-Target-URI") or "",
                            rh.get_header("WARC-Payload-Digest") or "",
                        )
                    )
                    payload = _read_at(*where)[1] if where else None
                    yield _response(record, path.name, payload)


# --- through the CDXJ indexes ----------------------------------------------------------------
def _cdxj_files(index: Path) -> list[Path]:
    if index.is_dir():
        return [cdxj_path(p) for p in closed_files(index) if cdxj_path(p).exists()]
    return [index]


def _entries(index: Path) -> Iterator[tuple[str, str, dict]]:
    for path in _cdxj_files(index):
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                key, ts, data = line.rstrip("\n").split(" ", 2)
                yield key, ts, json.loads(data)


def read_record(warc_dir: str | Path, filename: str, offset: int) -> ArchivedResponse:
    """The response (or revisit, with its original's payload) at `offset` in `filename`."""
    warc_dir = Path(warc_dir)
    record, raw = _read_at(warc_dir / filename, offset)
    if record.rec_type != "revisit":
        return _response(record, filename, raw)
    return _response(record, filename, _revisit_payload(warc_dir, record))


def _revisit_payload(warc_dir: Path, record: ArcWarcRecord) -> bytes | None:
    rh = record.rec_headers
    refers_to = rh.get_header("WARC-Refers-To")
    target = rh.get_header("WARC-Refers-To-Target-URI")
    digest = rh.get_header("WARC-Payload-Digest")
    if not (refers_to or (target and digest)):
        return None
    key = surt.surt(target) if target else None
    for k, _ts, entry in _entries(warc_dir):
        if entry.get("mime") == "warc/revisit":
            continue
        if (refers_to and entry.get("warc-record-id") == refers_to) or (
            k == key and entry.get("url") == target and entry.get("digest") == digest
        ):
            return _read_at(warc_dir / entry["filename"], int(entry["offset"]))[1]
    return None


def lookup(index: str | Path, url: str) -> list[ArchivedResponse]:
    """Captures of `url` (SURT-equal URLs included) found through a CDXJ file or a WARC folder's
    CDXJ files, oldest first. The WARC files are looked for next to the index."""
    index = Path(index)
    warc_dir = index if index.is_dir() else index.parent
    key = surt.surt(url)
    hits = [(ts, e) for k, ts, e in _entries(index) if k == key]
    hits.sort(key=lambda h: h[0])
    return [read_record(warc_dir, e["filename"], int(e["offset"])) for _ts, e in hits]


def resolve(warc_dir: str | Path, filename: str, record_id: str) -> ArchivedResponse | None:
    """Follow an archive pointer (warc_filename + warc_record_id) to its record."""
    warc_dir = Path(warc_dir)
    index = cdxj_path(warc_dir / filename)
    if index.exists():
        for _k, _ts, e in _entries(index):
            if e.get("warc-record-id") == record_id:
                return read_record(warc_dir, filename, int(e["offset"]))
        return None
    with open(warc_dir / filename, "rb") as fh:  # no index (yet): scan the file
        it = ArchiveIterator(fh)
        for record in it:
            if record.rec_headers.get_header("WARC-Record-ID") == record_id:
                return read_record(warc_dir, filename, it.get_record_offset())
    return None
