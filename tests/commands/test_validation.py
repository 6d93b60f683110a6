"""Issue 17 point 3: everything is checked before a run opens; SIGINT never looks like success."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from tests.commands.conftest import SCRAPY, replica_settings, scrapy, written
from tests.support import ROOT

KNOWN = "edition, full, ids, limit, urls_file"


def _refused(rep, out: Path, *args: str, message: str, settings: list[str] | None = None) -> None:
    base = settings if settings is not None else replica_settings(rep, out)
    result = scrapy("crawl", "baolongan", *base, *args)
    assert result.returncode == 2, result.stderr[-3000:]
    # One line naming the problem: no traceback, no start-up log.
    assert result.stderr.strip().splitlines() == [message]
    assert written(out) == []


def test_unknown_spider_argument(small_replica, tmp_path: Path) -> None:
    _refused(
        small_replica, tmp_path / "out", "-a", "editon=en",
        message=f"error: bad spider argument editon='en': expected one of the spider's arguments: {KNOWN}",
    )  # fmt: skip


def test_conflicting_spider_arguments(small_replica, tmp_path: Path) -> None:
    urls = tmp_path / "urls.txt"
    urls.write_text(small_replica.vi + "/x-a1.html\n")
    _refused(
        small_replica, tmp_path / "out", "-a", "edition=en", "-a", f"urls_file={urls}",
        message="error: bad spider argument edition='en': expected no edition with urls_file"
        " (the listed URLs name their hosts)",
    )  # fmt: skip


def test_bad_argument_value(small_replica, tmp_path: Path) -> None:
    _refused(
        small_replica, tmp_path / "out", "-a", "limit=many",
        message="error: bad spider argument limit='many': expected a whole number >= 1",
    )  # fmt: skip


@pytest.mark.parametrize(
    "setting, message",
    [
        ("WARC_MAX_SIZE=abc", "bad setting WARC_MAX_SIZE='abc': expected a whole number >= 1"),
        ("RECHECK_BUDGET=-5", "bad setting RECHECK_BUDGET='-5': expected a whole number >= 0"),
        ("DOWNLOAD_DELAY=soon", "bad setting DOWNLOAD_DELAY='soon': expected a number >= 0"),
        ("RECORD_DELAY=-1", "bad setting RECORD_DELAY='-1': expected a number >= 0"),
        ("LATEST_VIEW=maybe", "bad setting LATEST_VIEW='maybe': expected True or False"),
        ("PROGRESS=loud", "bad setting PROGRESS='loud': expected auto or lines or quiet"),
        (
            "CRAWL_PROFILE=fast",
            "bad setting CRAWL_PROFILE='fast': expected one of loopback, polite",
        ),
        (
            "REFERENCE_NOW=yesterday",
            "bad setting REFERENCE_NOW='yesterday': expected an ISO 8601 date or date-time",
        ),
    ],
    ids=lambda v: v.split("=")[0] if "=" in v else "",
)
def test_bad_setting(small_replica, tmp_path: Path, setting: str, message: str) -> None:
    _refused(small_replica, tmp_path / "out", "-s", setting, message=f"error: {message}")


def test_output_dir_that_cannot_be_written(small_replica, tmp_path: Path) -> None:
    a_file = tmp_path / "a-file"
    a_file.write_text("not a folder")
    cases = {
        "/proc/baolongan": "a folder on a real file system, not /proc, /sys or /dev",
        str(a_file): "a writable folder, but it is not a folder",
        str(a_file / "out"): f"a writable folder, but it lies under a file ({a_file})",
    }
    for output_dir, expected in cases.items():
        settings = [
            s.replace(f"OUTPUT_DIR={tmp_path / 'unused'}", f"OUTPUT_DIR={output_dir}")
            for s in replica_settings(small_replica, tmp_path / "unused")
        ]
        _refused(
            small_replica, tmp_path / "unused", settings=settings,
            message=f"error: bad setting OUTPUT_DIR='{output_dir}': expected {expected}",
        )  # fmt: skip
    assert a_file.read_text() == "not a folder"


@pytest.mark.parametrize("delay", [0.2, 0.6, 1.0, 1.5, 2.0, 3.0])
def test_sigint_at_any_moment_is_not_a_success(small_replica, tmp_path: Path, delay) -> None:
    out = tmp_path / "out"
    cmd = [SCRAPY, "crawl", "baolongan", *replica_settings(small_replica, out)]
    proc = subprocess.Popen(
        cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )  # fmt: skip
    time.sleep(delay)
    proc.send_signal(signal.SIGINT)
    _, stderr = proc.communicate(timeout=300)
    reports = sorted((out / "reports").glob("*.json"))
    finished = bool(reports) and json.loads(reports[-1].read_text())["finish_reason"] == "finished"
    # Exit 0 or 3 only for a run that really finished (the signal came too late to matter).
    assert proc.returncode not in (0, 3) or finished, stderr[-3000:]


@pytest.mark.parametrize(
    "args, given",
    [
        (["-O", "{tmp}/feed.jsonl"], "-o/-O"),
        (["-o", "{tmp}/feed.jsonl"], "-o/-O"),
        (["-s", 'FEEDS={{"{tmp}/feed.jsonl": {{"format": "jsonlines"}}}}'], "FEEDS"),
    ],
    ids=["-O", "-o", "FEEDS"],
)
def test_feed_exports_are_refused(small_replica, tmp_path: Path, args, given) -> None:
    # Issue 17 point 1: never half-built items in a feed; a clear refusal instead.
    _refused(
        small_replica, tmp_path / "out", *[a.format(tmp=tmp_path) for a in args],
        message=f"error: feed exports ({given}) are not supported: they would get half-built"
        " items; the records are written to OUTPUT_DIR/records/articles/<run_id>/<edition>.jsonl",
    )  # fmt: skip
    assert not (tmp_path / "feed.jsonl").exists()
