"""A lost or damaged state store: a crawl refuses to start (exit 2, one line) instead of writing
every item again as version 1; `scrapy rebuild_state` makes a new one from the records and WARC
files, and the next refresh continues the versions."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from collections import Counter

import pytest

from crawler.status import EXIT_CODES
from tests.support import ROOT, article_records, replica, run_crawl

ARTICLES = 80
SEED = 5
STATE = "state.sqlite3"
ITEM_FIELDS = (
    "type, edition, status, version, content_hash, first_seen, published_at, url, canonical_url, "
    "etag, last_modified, warc_filename, warc_record_id, warc_payload_digest, sections, "
    "editions_seen"
)


def drop_state(out) -> None:
    for suffix in ("", "-wal", "-shm"):
        (out / f"{STATE}{suffix}").unlink(missing_ok=True)


def items(path) -> dict:
    db = sqlite3.connect(path)
    try:
        return {r[0]: r[1:] for r in db.execute(f"SELECT id, {ITEM_FIELDS} FROM items")}
    finally:
        db.close()


def sighted(path) -> dict:
    """What each run's record of an id and its sightings lines add up to (the sightings stream)."""
    db = sqlite3.connect(path)
    try:
        return {(r[0], r[1]): r[2:] for r in db.execute("SELECT * FROM sighted WHERE lines > 0")}
    finally:
        db.close()


def crawl_log(out) -> str:
    return (out / "crawl.log").read_text(encoding="utf-8", errors="replace")


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    folder = tmp_path_factory.mktemp("state-loss")
    out = folder / "archive"
    with replica(folder / "run1", articles=ARTICLES, seed=SEED, epoch=0) as rep:
        result = run_crawl(rep, out)
        assert result.returncode in (0, 3), crawl_log(out)[-3000:]
    # Checkpointed copy of the good state store, to compare the rebuilt one with.
    db = sqlite3.connect(out / STATE)
    db.execute("VACUUM INTO ?", (str(folder / "good.sqlite3"),))
    db.close()
    return {"out": out, "good": folder / "good.sqlite3", "folder": folder}


def damage(out, how: str) -> None:
    path = out / STATE
    if how == "deleted":
        drop_state(out)
    elif how == "emptied":
        drop_state(out)
        path.write_bytes(b"")
    elif how == "zeroed":
        size = path.stat().st_size
        drop_state(out)
        path.write_bytes(b"\0" * size)
    elif how == "half-truncated":
        # Checkpoint the WAL into the file first, so the cut really loses committed pages.
        db = sqlite3.connect(path)
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        db.close()
        with open(path, "r+b") as fh:
            fh.truncate(path.stat().st_size // 2)


@pytest.mark.parametrize("how", ["deleted", "emptied", "zeroed", "half-truncated"])
def test_a_crawl_refuses_an_archive_without_usable_state(archive, tmp_path, how):
    out = tmp_path / "archive"
    shutil.copytree(archive["out"], out)
    before = article_records(out)
    damage(out, how)
    with replica(tmp_path / "site", articles=ARTICLES, seed=SEED, epoch=1) as rep:
        result = run_crawl(rep, out, timeout=120)
        requests = len(rep.access())
    log = crawl_log(out)
    assert result.returncode == EXIT_CODES["bad_arguments"], log[-3000:]
    assert "rebuild_state" in log and "Traceback" not in log, log[-3000:]
    errors = [line for line in log.splitlines() if line.startswith("error:")]
    assert len(errors) == 1, errors
    assert requests == 0
    assert article_records(out) == before


def test_rebuild_state_restores_the_archive_and_versions_continue(archive, tmp_path):
    out = tmp_path / "archive"
    shutil.copytree(archive["out"], out)
    drop_state(out)
    with replica(tmp_path / "site", articles=ARTICLES, seed=SEED, epoch=1) as rep:
        done = subprocess.run(
            [sys.executable, "-m", "scrapy", "rebuild_state", "-s", f"OUTPUT_DIR={out}",
             "-s", f"EDITION_URL_VI={rep.vi}", "-s", f"EDITION_URL_EN={rep.en}"],
            cwd=ROOT, capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr[-3000:]
        assert "state store rebuilt" in done.stdout
        # Per id, the rebuilt store says what the lost one said.
        assert items(out / STATE) == items(archive["good"])
        assert sighted(out / STATE) == sighted(archive["good"])
        first = article_records(out)
        result = run_crawl(rep, out)
        assert result.returncode in (0, 3), crawl_log(out)[-3000:]
    records = article_records(out)
    new = records[len(first) :] if records[: len(first)] == first else None
    assert new is not None, "earlier lines were changed"
    assert new, "the refresh at epoch 1 should find changed or new items"
    counts = Counter((r["id"], r["version"]) for r in records)
    assert [k for k, n in counts.items() if n > 1] == []
    highest = {}
    for r in first:
        highest[r["id"]] = max(highest.get(r["id"], 0), r["version"])
    for r in new:
        assert r["version"] == highest.get(r["id"], 0) + 1, (r["id"], r["version"])
    assert any(r["id"] in highest for r in new), "no archived item got a new version"
