"""A full disk stops the run cleanly with its own exit status: no torn line, no corrupt state or
WARC file; moved to a bigger disk, the same command finishes the run with every record once."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from crawler.status import EXIT_CODES
from tests.support import article_records, replica, run_crawl

SMALL = "1500k"  # fills during the crawl of this replica


@pytest.fixture
def small_disk(tmp_path):
    mount = tmp_path / "small-disk"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={SMALL}", "tmpfs", str(mount)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, (
        f"cannot mount a small tmpfs ({done.stderr.strip()}): this test needs root, as CI has"
    )
    yield mount
    subprocess.run(["umount", "-l", str(mount)], capture_output=True)


def test_disk_full_stops_cleanly_and_the_run_resumes_elsewhere(small_disk, tmp_path):
    with replica(tmp_path / "site", articles=150, seed=4) as rep:
        out = small_disk / "out"
        result = run_crawl(rep, out, settings={"WARC_MAX_SIZE": 200_000})
        log = (out / "crawl.log").read_text(encoding="utf-8", errors="replace")
        assert result.returncode == EXIT_CODES["disk_full"], log[-3000:]
        # Whatever reached the disk is whole.
        for path in (out / "records").rglob("*.jsonl"):
            raw = path.read_bytes()
            assert raw == b"" or raw.endswith(b"\n"), path
            for line in raw.splitlines():
                json.loads(line)
        db = sqlite3.connect(out / "state.sqlite3")
        # As the crawler opens it (crawler.state): no `-shm` file to create on the full disk.
        db.execute("PRAGMA locking_mode=EXCLUSIVE")
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        db.close()
        closed = sorted((out / "warc").glob("*.warc.gz"))
        if closed:
            warcio = Path(sys.executable).with_name("warcio")
            check = subprocess.run([warcio, "check", *map(str, closed)], capture_output=True)
            assert check.returncode == 0, check.stdout[-2000:]
        # The operator moves the archive to a bigger disk; the same command finishes the run.
        bigger = tmp_path / "bigger"
        shutil.copytree(out, bigger, symlinks=True)
        result = run_crawl(rep, bigger, settings={"WARC_MAX_SIZE": 200_000})
        assert result.returncode in (0, 3), (bigger / "crawl.log").read_text()[-3000:]
        ids = [r["id"] for r in article_records(bigger)]
        assert len(ids) == len(set(ids))
        assert set(ids) == {t["id"] for t in rep.truth_records()}
        assert len({r["run_id"] for r in article_records(bigger)}) == 1
