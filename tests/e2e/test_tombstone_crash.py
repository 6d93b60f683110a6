"""A refresh SIGKILLed between a tombstone's fsync and its state commit: resumed, it records each
deletion exactly once, like records (issue 15: it wrote the tombstone again)."""

from __future__ import annotations

import json
import sqlite3

from tests.e2e.processes import kill, log_tail, start, wait_paused
from tests.support import read_jsonl, replica, run_crawl

ARTICLES = 80
SEED = 5


def tombstone_lines(out) -> list[dict]:
    rows: list[dict] = []
    for path in sorted((out / "records" / "tombstones").glob("*.jsonl")):
        raw = path.read_bytes()
        assert raw.endswith(b"\n"), f"torn tail in {path}"
        rows.extend(read_jsonl(path))
    return rows


def test_kill_between_tombstone_fsync_and_state_commit(tmp_path):
    out = tmp_path / "out"
    with replica(tmp_path / "epoch0", articles=ARTICLES, seed=SEED, epoch=0) as rep:
        assert run_crawl(rep, out).returncode in (0, 3), log_tail(out)
    with replica(tmp_path / "epoch1", articles=ARTICLES, seed=SEED, epoch=1) as rep:
        proc = start(rep, out, pause_at="tombstone_commit:2")
        try:
            marker = wait_paused(proc, out, "tombstone_commit")
        finally:
            kill(proc)
        marker.unlink()
        on_disk = tombstone_lines(out)
        assert len(on_disk) == 2, "killed with two tombstones on disk, the second uncommitted"
        result = run_crawl(rep, out)
        assert result.returncode in (0, 3), log_tail(out)
        changes = json.loads(rep.manifest.read_text(encoding="utf-8"))["changes"]
        deleted = {f"baolongan:{aid}" for aid in changes["deleted"]}
    lines = tombstone_lines(out)
    ids = [t["id"] for t in lines]
    assert len(ids) == len(set(ids)), f"a deletion recorded twice: {sorted(ids)}"
    assert set(ids) == deleted
    assert len({t["run_id"] for t in lines}) == 1, "the resumed run keeps its run_id"
    db = sqlite3.connect(out / "state.sqlite3")
    written = {r[0] for r in db.execute("SELECT id FROM written WHERE stream='tombstones'")}
    gone = {r[0] for r in db.execute("SELECT id FROM items WHERE status='gone'")}
    db.close()
    assert written == gone == deleted
