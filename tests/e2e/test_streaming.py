"""Records stream (issue 14): a record is on disk while the crawl is still running, and what the
run sees of an id after writing its record — another listing naming it, another URL or host — goes
to the sightings stream, which the latest view folds back in: its sections, urls_seen,
editions_seen and edition equal the truth's.

The crawl is made to fetch articles before every listing is parsed: DEPTH_PRIORITY pushes deeper
listing pages (page 3 on) behind the articles of the first pages, one request at a time per host,
so an article listed on page 1 of one section and page 3 of another is written before page 3 is.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections import Counter

import pytest

from tests.e2e.processes import kill, log_tail, start, wait_paused
from tests.support import article_records, read_jsonl, replica, run_crawl, sighting_lines

ARTICLES = 150
SEED = 3
SETTINGS = {
    "RECORD_DELAY": 0,
    "FETCH_REQUISITES": "False",
    "DEPTH_PRIORITY": 1000,
    "DOWNLOAD_DELAY": 0.02,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 1,
}
SEEN = (
    "sections",
    "editions_seen",
    "edition",
)  # the truth has no urls_seen (URLs are the replica's)


def lines_on_disk(out) -> int:
    """Complete article lines written so far (a line still being written is not counted)."""
    return sum(
        p.read_bytes().count(b"\n") for p in (out / "records" / "articles").glob("*/*.jsonl")
    )


@pytest.fixture(scope="module")
def streamed(tmp_path_factory):
    folder = tmp_path_factory.mktemp("streaming")
    out = folder / "out"
    with replica(folder / "site", articles=ARTICLES, seed=SEED) as rep:
        proc = start(rep, out, settings=SETTINGS)
        try:
            started, first = time.monotonic(), None
            while proc.poll() is None:
                if first is None and lines_on_disk(out):
                    first = (time.monotonic() - started, proc.poll() is None)
                time.sleep(0.1)
                assert time.monotonic() - started < 300, "the crawl took too long"
            ended = time.monotonic() - started
        finally:
            kill(proc)
        truth = {t["id"]: t for t in rep.truth_records()}
    assert proc.returncode in (0, 3), log_tail(out)
    return {"out": out, "truth": truth, "first": first, "ended": ended}


def check_streams(out, truth) -> None:
    """Every record and every sighting once, none repeating its record, no torn line; the latest
    view's sections and editions equal the truth's."""
    for path in [
        *(out / "records").glob("articles/*/*.jsonl"),
        *(out / "records").glob("sightings/*"),
    ]:
        raw = path.read_bytes()
        assert raw == b"" or raw.endswith(b"\n"), f"torn tail in {path}"
    records = {r["id"]: r for r in article_records(out)}
    assert len(records) == len(article_records(out)), "an id written twice"
    assert set(records) == set(truth)
    lines = sighting_lines(out)
    keys = [(line["id"], line["kind"], line["value"]) for line in lines]
    assert len(keys) == len(set(keys)), "a sighting written twice"
    for line in lines:
        record = records[line["id"]]
        assert line["run_id"] == record["run_id"]
        had = {
            "section": [s["slug"] for s in record["sections"]],
            "url": record["urls_seen"],
            "edition": record["editions_seen"],
        }[line["kind"]]
        assert line["value"] not in had, f"{line} repeats its record"
    latest = {r["id"]: r for r in read_jsonl(out / "records" / "latest.jsonl")}
    assert set(latest) == set(truth)
    for field in SEEN:
        wrong = [
            (i, r[field], truth[i][field]) for i, r in latest.items() if r[field] != truth[i][field]
        ]
        assert not wrong, f"{len(wrong)} latest rows differ in {field}; first: {wrong[:2]}"


def test_records_are_on_disk_before_the_crawl_ends(streamed):
    assert streamed["first"] is not None, "no record line appeared while the crawl ran"
    at, running = streamed["first"]
    assert running, "the first record appeared only once the crawl had ended"
    # Not at the very end either: streaming, not an idle flush.
    assert at < streamed["ended"] - 3, (at, streamed["ended"])


def test_one_record_per_item_and_sightings_only_for_what_it_lacked(streamed):
    out, truth = streamed["out"], streamed["truth"]
    check_streams(out, truth)
    lines = sighting_lines(out)
    kinds = Counter(line["kind"] for line in lines)
    assert kinds["section"] >= 1, f"no section sighted after its record was written: {kinds}"
    # The records alone miss what the sightings add; no second version was written for it.
    records = {r["id"]: r for r in article_records(out)}
    wrong = [i for i, r in records.items() if r["sections"] != truth[i]["sections"]]
    assert wrong and all(records[i]["version"] == 1 for i in wrong)
    assert {line["id"] for line in lines if line["kind"] == "section"} >= set(wrong)


def test_latest_view_folds_the_sightings_in(streamed):
    out, truth = streamed["out"], streamed["truth"]
    latest = {r["id"]: r for r in read_jsonl(out / "records" / "latest.jsonl")}
    urls = {r["id"]: set(r["urls_seen"]) for r in article_records(out)}
    for line in sighting_lines(out):
        if line["kind"] == "url":
            urls[line["id"]].add(line["value"])
    assert {i: sorted(u) for i, u in urls.items()} == {i: r["urls_seen"] for i, r in latest.items()}
    # The state store agrees with the view (a refresh keeps these as the previous sections).
    db = sqlite3.connect(out / "state.sqlite3")
    rows = dict(db.execute("SELECT id, sections FROM items"))
    db.close()
    assert {i: json.loads(s) for i, s in rows.items()} == {
        i: t["sections"] for i, t in truth.items()
    }


def test_kill_between_sightings_fsync_and_state_commit(tmp_path):
    """SIGKILL with sightings lines on disk and their state not committed: the resumed run
    reconciles them, so each sighting is in the stream once and the latest view is whole."""
    out = tmp_path / "out"
    with replica(tmp_path / "site", articles=ARTICLES, seed=SEED) as rep:
        proc = start(rep, out, pause_at="sightings_commit:1", settings=SETTINGS)
        try:
            marker = wait_paused(proc, out, "sightings_commit")
        finally:
            kill(proc)
        marker.unlink()
        assert sighting_lines(out), "killed with sightings lines on disk"
        result = run_crawl(rep, out, settings=SETTINGS)
        assert result.returncode in (0, 3), log_tail(out)
        truth = {t["id"]: t for t in rep.truth_records()}
    check_streams(out, truth)
    assert "reconciled" in log_tail(out, 10**7)
