"""Rebuild the record streams from the WARC files alone: no network, no state store.

    python -m crawler.reextract WARC_DIR OUTPUT_DIR

Each archived run (a WARC file's warcinfo names its run, spider arguments, mode and "now") is
replayed in order through the ordinary spider and pipelines, with crawler.warc.replay serving
the archived responses. OUTPUT_DIR must be new or empty: it receives a fresh state store and
`records/` with the same run ids, versions, sections and archive pointers as the original.
A run made with `urls_file=` needs that file at the same path.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

from crawler.status import EXIT_CODES
from crawler.warc.replay import archived_runs

REPLAYED_SETTINGS = (
    "FETCH_REQUISITES",
    "RECHECK_WINDOW_DAYS",
    "RECHECK_BUDGET",
    "INCREMENTAL_OVERLAP_PAGES",
    "MAX_IMAGES_PER_PAGE",
    "MAX_BODY_CHARS",
    "MEDIA_MAX_BYTES",
    "EXTRA_DISCOVERY",
    "INCREMENTAL_SITEMAPS",
)
# A replayed run's records are what they are; a gate that failed then fails again now.
ACCEPTED = {EXIT_CODES[s] for s in ("success", "success_with_warnings", "quality_gate_failed")}


def spider_args(signature: str) -> list[str]:
    """`edition=vi,en;urls_file=None;ids=None;limit=None;full=0` -> scrapy `-a` arguments."""
    args = []
    for part in signature.split(";"):
        key, _, value = part.partition("=")
        if not key or value in ("None", ""):
            continue
        if key == "edition":
            value = "both" if value == "vi,en" else value
        if key == "full" and value == "0":
            continue
        args += ["-a", f"{key}={value}"]
    return args


def replay_command(
    warc_dir: Path, output_dir: Path, run_id: str, info: dict[str, str]
) -> list[str]:
    settings = {
        "REPLAY_WARC_DIR": warc_dir,
        "REPLAY_RUN_ID": run_id,
        "OUTPUT_DIR": output_dir,
        "EDITION_URL_VI": info.get("setting-EDITION_URL_VI", "https://baolongan.vn"),
        "EDITION_URL_EN": info.get("setting-EDITION_URL_EN", "https://news.baolongan.vn"),
        "REFERENCE_NOW": info.get("reference-now", ""),
        # The settings that decided which requests the run made, as the run had them.
        **{
            name: info[f"setting-{name}"] for name in REPLAYED_SETTINGS if f"setting-{name}" in info
        },
        "CRAWL_PROFILE": "loopback",  # nothing to be polite to: the "server" is a file
        "WARC_ENABLED": "False",  # the archive is the input, not the output
        "DOWNLOAD_HANDLERS": '{"http": "crawler.warc.replay.ReplayDownloadHandler",'
        ' "https": "crawler.warc.replay.ReplayDownloadHandler"}',
        "PROGRESS": "quiet",
    }
    cmd = [sys.executable, "-m", "scrapy", "crawl", "baolongan"]
    for key, value in settings.items():
        cmd += ["-s", f"{key}={value}"]
    return cmd + spider_args(info.get("run-signature", ""))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "warc_dir", type=Path, help="the WARC folder of an archive (OUTPUT_DIR/warc)"
    )
    parser.add_argument(
        "output_dir", type=Path, help="a new or empty folder for the rebuilt records"
    )
    args = parser.parse_args(argv)
    warc_dir, output_dir = args.warc_dir.resolve(), args.output_dir.resolve()
    if output_dir.exists() and any(output_dir.iterdir()):
        parser.error(f"{output_dir} is not empty")
    runs = archived_runs(warc_dir)
    if not runs:
        parser.error(f"no WARC files with a warcinfo record in {warc_dir}")
    env = {**os.environ, "SCRAPY_SETTINGS_MODULE": "crawler.settings"}
    for n, (run_id, info) in enumerate(runs, 1):
        print(f"[{n}/{len(runs)}] replaying run {run_id}", flush=True)
        # Its exit status is judged below (ACCEPTED), not raised.
        command = replay_command(warc_dir, output_dir, run_id, info)
        result = subprocess.run(command, env=env, check=False)
        if result.returncode not in ACCEPTED:
            print(f"replay of run {run_id} failed (exit {result.returncode})", file=sys.stderr)
            return result.returncode or 1
    print(f"records rebuilt under {output_dir / 'records'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
