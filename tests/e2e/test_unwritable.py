"""Every file under OUTPUT_DIR made immutable mid-crawl (`chattr -R +i`; root ignores plain
permissions): the run stops with its own exit status and a message, never a signal death (the
state store's shared memory used to end it by SIGBUS); made writable again, the same command
resumes the run and writes every record exactly once."""

from __future__ import annotations

import json
import subprocess
import time

import pytest

from crawler.status import EXIT_CODES
from tests.e2e.processes import kill, log_tail, start
from tests.support import article_records, replica, run_crawl


def chattr(flag: str, path) -> subprocess.CompletedProcess:
    return subprocess.run(["chattr", "-R", flag, str(path)], capture_output=True, text=True)


@pytest.fixture
def immutable_ok(tmp_path):
    probe = tmp_path / "probe"
    probe.write_text("x")
    done = chattr("+i", probe)
    assert done.returncode == 0, f"chattr +i unsupported here ({done.stderr.strip()}); needs root"
    chattr("-i", probe)
    yield
    chattr("-i", tmp_path)  # whatever the test did, pytest must be able to delete it


def test_output_dir_made_immutable_mid_crawl(immutable_ok, tmp_path):
    out = tmp_path / "out"
    with replica(tmp_path / "site", articles=120, seed=7) as rep:
        # The log outside OUTPUT_DIR: inside, it would be frozen too.
        log_path = tmp_path / "frozen-run.log"
        proc = start(rep, out, log_path=log_path)
        try:
            deadline = time.monotonic() + 120
            while True:
                assert proc.poll() is None, "the crawl ended before OUTPUT_DIR was frozen"
                assert time.monotonic() < deadline, "the crawl never got going"
                warcs = list((out / "warc").glob("*.open")) if (out / "warc").exists() else []
                if any(p.stat().st_size > 300_000 for p in warcs):
                    break
                time.sleep(0.02)
            assert chattr("+i", out).returncode == 0
            code = proc.wait(timeout=300)
        finally:
            kill(proc)
            chattr("-i", out)
        log = log_path.read_text(encoding="utf-8", errors="replace")
        assert code == EXIT_CODES["output_unwritable"], f"exit {code}: {log[-3000:]}"
        assert "not writable" in log
        assert "Traceback" not in log, log[-5000:]
        # Writable again: the same command resumes the run (same run id) and finishes it.
        result = run_crawl(rep, out)
        assert result.returncode in (0, 3), log_tail(out)
        records = article_records(out)
        ids = [r["id"] for r in records]
        assert len(ids) == len(set(ids)), "a record written twice"
        assert set(ids) == {t["id"] for t in rep.truth_records()}
        assert len({r["run_id"] for r in records}) == 1
        reports = sorted((out / "reports").glob("*.json"))
        assert json.loads(reports[-1].read_text())["status"] in ("success", "success_with_warnings")
