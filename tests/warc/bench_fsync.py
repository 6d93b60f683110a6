"""What fsync per WARC record costs here: prints ms per exchange with and without it.

    .venv/bin/python -m tests.warc.bench_fsync [FOLDER] [N]

Each exchange is a response record (a ~78 KB article page, served gzipped (~19 KB) or plain)
plus its request record, written through WarcFileWriter exactly as the middleware does. FOLDER should be on
the disk the crawl will write to (default: a temporary folder under the current directory).
"""

from __future__ import annotations

import gzip
import random
import sys
import tempfile
import time
from io import BytesIO
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders

from crawler.warc.writer import WarcFileWriter


def bench(folder: Path, n: int, fsync_each_record: bool, gzipped: bool = True) -> float:
    rng = random.Random(1)
    writer = WarcFileWriter(
        folder, warcinfo=lambda: [("software", "bench")], fsync_each_record=fsync_each_record
    )
    words = [f"từ{i}" for i in range(3000)]
    pages = [" ".join(rng.choices(words, k=9000)).encode() for _ in range(20)]  # ~78 KB
    if gzipped:
        pages = [gzip.compress(p, mtime=0) for p in pages]
    b = writer.builder
    start = time.perf_counter()
    for i in range(n):
        body = pages[i % len(pages)]
        http = StatusAndHeaders("200 OK", [("Content-Encoding", "gzip")], protocol="HTTP/1.1")
        resp = b.create_warc_record(
            f"https://baolongan.vn/a-{i}.html", "response", payload=BytesIO(body),
            length=len(body), http_headers=http,
        )  # fmt: skip
        req_http = StatusAndHeaders(f"GET /a-{i}.html HTTP/1.1", [], is_http_request=True)
        req = b.create_warc_record(
            f"https://baolongan.vn/a-{i}.html", "request", http_headers=req_http
        )
        writer.write([resp, req])
    elapsed = time.perf_counter() - start
    writer.close()
    return elapsed / n * 1000


def main() -> None:
    base = Path(sys.argv[1]) if len(sys.argv) > 1 else Path.cwd()
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 300
    for gzipped in (True, False):
        for fsync_each in (False, True):
            with tempfile.TemporaryDirectory(dir=base) as tmp:
                ms = bench(Path(tmp), n, fsync_each, gzipped)
            kind = "gzip page ~19 KB" if gzipped else "plain page ~78 KB"
            print(f"{kind}  fsync per record={fsync_each!s:5}  {ms:.3f} ms/exchange  (n={n})")


if __name__ == "__main__":
    main()
