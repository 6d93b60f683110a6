"""`scrapy export --format parquet|wacz [OUTPUT_DIR] [--out DIR]`: data products of an archive.

    parquet   one Parquet file per stream (articles, latest, tombstones, sightings), column types from
              the JSON Schemas (crawler/export/parquet.py)
    wacz      the WARC files, their CDXJ index and a pages list in one WACZ package
              (crawler/export/wacz.py)

Written under OUTPUT_DIR/export/ unless --out names another folder. Reads only finished files and
never takes the run lock, so it is safe beside a running crawl (whose newest lines it may miss).
"""

from __future__ import annotations

from pathlib import Path

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

FORMATS = ("parquet", "wacz")


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = False
    default_settings = {"LOG_ENABLED": False}

    def syntax(self) -> str:
        return "--format parquet|wacz [OUTPUT_DIR] [--out DIR]"

    def short_desc(self) -> str:
        return "Export OUTPUT_DIR's records as Parquet, or its WARC files as a WACZ package"

    def add_options(self, parser) -> None:
        super().add_options(parser)
        parser.add_argument("--format", dest="fmt", choices=FORMATS, required=True)
        parser.add_argument("--out", help="folder to write into (default OUTPUT_DIR/export)")

    def run(self, args, opts) -> None:
        assert self.settings is not None
        if len(args) > 1:
            raise UsageError("give at most one OUTPUT_DIR")
        folder = Path(args[0] if args else self.settings.get("OUTPUT_DIR") or "output").resolve()
        if not (folder / "records").is_dir():
            raise UsageError(f"{folder} is not an archive (no records/ folder)")
        out = Path(opts.out).resolve() if opts.out else folder / "export"
        if opts.fmt == "parquet":
            from crawler.export.parquet import export_parquet

            for stream, (path, rows) in export_parquet(folder, out).items():
                print(f"{stream}: {rows} rows -> {path}")
        else:
            from crawler.export.wacz import export_wacz

            path, pages = export_wacz(folder, out)
            print(f"wacz: {pages} pages -> {path}")
