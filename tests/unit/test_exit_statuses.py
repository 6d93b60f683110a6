"""Bad arguments, bad settings and a locked OUTPUT_DIR end a run at once with their own status."""

from __future__ import annotations

import fcntl
import subprocess
import sys

import pytest

from crawler.status import EXIT_CODES
from tests.support import ROOT

# A closed port: none of these runs may get as far as a request.
NOWHERE = "http://127.0.0.1:9"


def crawl(tmp_path, *extra: str) -> subprocess.CompletedProcess:
    cmd = [
        sys.executable, "-m", "scrapy", "crawl", "baolongan", "-s", "CRAWL_PROFILE=loopback",
        "-s", f"EDITION_URL_VI={NOWHERE}", "-s", f"EDITION_URL_EN={NOWHERE}",
        "-s", f"OUTPUT_DIR={tmp_path / 'out'}", *extra,
    ]  # fmt: skip
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize(
    ("extra", "named"),
    [
        (["-a", "edition=fr"], "edition"),
        (["-a", "limit=abc"], "limit"),
        (["-a", "limit=0"], "limit"),
        (["-a", "ids=9-3"], "ids"),
        (["-a", "ids=a-b"], "ids"),
        (["-a", "full=yes"], "full"),
        (["-a", "urls_file=/nonexistent/list.txt"], "urls_file"),
        (["-s", "EDITION_URL_VI=baolongan.vn"], "EDITION_URL_VI"),
        (["-s", "EDITION_URL_EN=ftp://news.baolongan.vn"], "EDITION_URL_EN"),
        (["-s", "CRAWL_PROFILE=fast"], "CRAWL_PROFILE"),
        (["-s", "RECHECK_BUDGET=-1"], "RECHECK_BUDGET"),
        (["-s", "REFERENCE_NOW=yesterday"], "REFERENCE_NOW"),
    ],
)
def test_bad_arguments_and_settings(tmp_path, extra, named):
    result = crawl(tmp_path, *extra)
    assert result.returncode == EXIT_CODES["bad_arguments"], result.stderr[-2000:]
    assert named in result.stderr


def test_locked_output_dir_turns_a_second_run_away(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    with open(out / "run.lock", "w") as holder:
        fcntl.flock(holder, fcntl.LOCK_EX | fcntl.LOCK_NB)
        holder.write("pid=12345 started=test\n")
        holder.flush()
        result = crawl(tmp_path)
    assert result.returncode == EXIT_CODES["output_locked"], result.stderr[-2000:]
    assert "locked by another run" in result.stderr
    assert "pid=12345" in result.stderr


def test_lock_left_by_a_dead_process_is_taken_over(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    # A lock file with nobody holding it, as a SIGKILLed run leaves it.
    (out / "run.lock").write_text("pid=999999 started=long-ago\n")
    result = crawl(tmp_path)
    assert result.returncode != EXIT_CODES["output_locked"], result.stderr[-2000:]
    assert "pid=999999" not in (out / "run.lock").read_text()
    # Nothing listens there: robots.txt is unreadable after its retries, so the run stops
    # without crawling past it, as "site unavailable".
    assert result.returncode == EXIT_CODES["site_unavailable"]
