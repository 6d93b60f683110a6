"""WACZ export: the archive's closed WARC files, a CDXJ index over them and a pages list in one
WACZ 1.1.1 package (zip with datapackage.json and its digests), the form web archivists exchange
and replay (ReplayWeb.page; pywb via `wb-manager add --unpack-wacz`).

The zip, index and datapackage are made by the `wacz` package (`wacz create`). The pages list is
ours: one page per live item of the latest view (crawler/latest.py), at the capture its record
points to (`warc_filename`, `warc_record_id`), with the record's title and publication date, so
the list names articles and albums, not every image and listing the crawl fetched.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from warcio.archiveiterator import ArchiveIterator

from crawler.export.streams import stream_rows

PAGES_HEADER = {
    "format": "json-pages-1.0",
    "id": "pages",
    "title": "Báo Long An: articles and albums",
}


def _pointers(output_dir: Path) -> dict[str, dict[str, dict[str, Any]]]:
    """{warc file name: {record id: latest row}} for the rows that point into the WARC files."""
    found: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
    for row in stream_rows(output_dir, "latest"):
        if row.get("warc_filename") and row.get("warc_record_id"):
            found[row["warc_filename"]][row["warc_record_id"]] = row
    return found


def pages(output_dir: Path, warc_files: list[Path]) -> Iterator[dict[str, Any]]:
    """One page per pointed-to record: the URL and time of its capture as the WARC has them (a
    replay tool looks pages up by both), title and publication date from the record."""
    wanted = _pointers(output_dir)
    for path in warc_files:
        rows = wanted.get(path.name)
        if not rows:
            continue
        with open(path, "rb") as fh:
            for record in ArchiveIterator(fh):
                row = rows.get(record.rec_headers.get_header("WARC-Record-ID"))
                if row is None:
                    continue
                yield {
                    "id": row["id"],
                    "url": record.rec_headers.get_header("WARC-Target-URI"),
                    "ts": record.rec_headers.get_header("WARC-Date"),
                    "title": row.get("title") or row["url"],
                    "published_at": row.get("published_at"),
                }


def export_wacz(output_dir: Path, out: Path, name: str = "baolongan.wacz") -> tuple[Path, int]:
    """Write OUT/NAME (atomically); its path and the number of pages listed."""
    from wacz.main import main as wacz_main

    # Closed files only: a `.warc.gz.open` is still being written (crawler/warc/writer.py).
    warc_files = sorted((output_dir / "warc").glob("*.warc.gz"))
    if not warc_files:
        raise ValueError(f"{output_dir / 'warc'} holds no closed WARC files")
    out.mkdir(parents=True, exist_ok=True)
    pages_file, target = out / ".pages.jsonl", out / name
    tmp = out / f".{name}.tmp"
    count = 0
    with open(pages_file, "w", encoding="utf-8") as fh:
        fh.write(json.dumps(PAGES_HEADER, ensure_ascii=False) + "\n")
        for page in pages(output_dir, warc_files):
            fh.write(json.dumps(page, ensure_ascii=False) + "\n")
            count += 1
    args = ["create", "-o", str(tmp), "-p", str(pages_file), "--copy-pages"]
    args += ["--title", "Báo Long An archive", *map(str, warc_files)]
    said = io.StringIO()
    try:
        with contextlib.redirect_stdout(said):
            status = wacz_main(args)
        if status:
            raise RuntimeError(f"wacz create failed ({status}): {said.getvalue()[-2000:]}")
        os.replace(tmp, target)
    finally:
        pages_file.unlink(missing_ok=True)
        tmp.unlink(missing_ok=True)
    return target, count
