"""The open WARC file deleted mid-crawl: the run ends with its own status and report reason, the
records that point into the lost file are named, and the manifest lists only files that exist."""

from __future__ import annotations

import time

from crawler.status import EXIT_CODES
from crawler.warc.index import read_manifest
from tests.e2e.processes import kill, log_tail, start
from tests.support import article_records, latest_report, replica


def test_open_warc_deleted_mid_crawl_is_reported(tmp_path):
    out = tmp_path / "out"
    with replica(tmp_path / "site", articles=120, seed=6) as rep:
        proc = start(rep, out)
        try:
            deadline = time.monotonic() + 120
            lost = None
            while lost is None:
                assert proc.poll() is None, "the crawl ended before the WARC file could be lost"
                assert time.monotonic() < deadline, "no WARC file grew"
                for path in (
                    (out / "warc").glob("*.warc.gz.open") if (out / "warc").exists() else []
                ):
                    if path.stat().st_size > 300_000:
                        path.unlink()
                        lost = path.name.removesuffix(".open")
                time.sleep(0.02)
            code = proc.wait(timeout=300)
        finally:
            kill(proc)
    log = log_tail(out, 10**7)
    assert code == EXIT_CODES["warc_lost"], log[-3000:]
    assert "Traceback" not in log, log[-3000:]
    report = latest_report(out)
    assert report["status"] == "warc_lost"
    assert report["warc_lost"]["files"] == [lost]
    pointing = sorted(r["id"] for r in article_records(out) if r["warc_filename"] == lost)
    assert pointing, "records written before the loss point into the lost file"
    assert report["warc_lost"]["records"] == pointing
    assert (out / "reports" / f"{report['run_id']}.md").read_text().count(lost) >= 1
    # Nothing lists a file that does not exist.
    warc = out / "warc"
    assert lost not in read_manifest(warc)
    assert all((warc / name).exists() for name in read_manifest(warc))
    assert not (warc / lost).exists()
