"""The CDXJ index of a closed WARC file is sorted in bounded memory (crawler/warc/index.py: cdxj-
indexer's external sort in chunks of CDXJ_SORT_BUFFER): the index equals the one sorted whole."""

from __future__ import annotations

import random
from io import BytesIO

from cdxj_indexer import main as cdxj_indexer
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from crawler.warc import index


def a_warc(path, records: int) -> None:
    rnd = random.Random(7)
    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for n in rnd.sample(range(records * 10), records):
            body = f"<html><body>Bài số {n}</body></html>".encode()
            headers = StatusAndHeaders(
                "200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1"
            )
            writer.write_record(
                writer.create_warc_record(
                    f"http://127.0.0.1:8101/bai-so-{n}-a{n}.html",
                    "response",
                    payload=BytesIO(body),
                    length=len(body),
                    http_headers=headers,
                )
            )


def test_the_index_sorted_in_chunks_equals_the_index_sorted_whole(tmp_path, monkeypatch):
    warc = tmp_path / "x.warc.gz"
    a_warc(warc, 400)
    monkeypatch.setattr(index, "CDXJ_SORT_BUFFER", 1 << 30)  # one chunk: sorted in memory
    whole = index.write_cdxj(warc).read_text(encoding="utf-8")
    monkeypatch.setattr(index, "CDXJ_SORT_BUFFER", 4096)  # chunks merged from temp files
    chunks = []
    spill = cdxj_indexer.SortingWriter.write_to_temp
    monkeypatch.setattr(
        cdxj_indexer.SortingWriter, "write_to_temp", lambda self: chunks.append(1) or spill(self)
    )
    chunked = index.write_cdxj(warc).read_text(encoding="utf-8")
    assert len(chunks) > 10  # the bound was applied: never the whole index in memory
    lines = chunked.splitlines()
    assert len(lines) == 400
    assert lines == sorted(lines)
    assert chunked == whole
