"""Refresh and archive, end to end against the replica, counted at the replica's access log:
run 1 archives everything; run 2 on the same site downloads no article page and writes nothing;
after `--epoch 1` the next run records every new article and every edit and deletion inside the
re-check window, and older ones are caught within the runs the re-check budget implies. Then the
records are rebuilt from the WARC files alone and compared field by field."""

from __future__ import annotations

import json
import math
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.replica import Replica
from tests.support import (
    ROOT,
    article_records,
    folded_records,
    latest_report,
    read_jsonl,
    replica,
    run_crawl,
)

SEED = 5
ARTICLES = 300
BUDGET = 120  # older items re-checked per run: small, so catching up takes several runs
SETTINGS = {"RECHECK_BUDGET": BUDGET}
ARTICLE_PATH = re.compile(r"-a\d+\.html")
REQUISITE = re.compile(r"^/(image/|news/\d{4}/|css/|js/|static/|Content/|Scripts/|assets/|favicon)")
PAGINATED = re.compile(r"[?&](p|page)=\d|/trang-\d")
CONTENT = ("title", "kicker", "lead", "body_text", "body_html", "images", "published_at")


def run_at_epoch(folder: Path, out: Path, epoch: int, name: str) -> dict:
    """One crawl of OUTPUT_DIR `out` against the replica at `epoch`; its own access log."""
    with replica(folder / name, articles=ARTICLES, seed=SEED, epoch=epoch) as rep:
        result = run_crawl(rep, out, settings=SETTINGS)
        access = rep.access()
        truth = rep.truth_records()
    report = latest_report(out)
    return {"exit": result.returncode, "access": access, "truth": truth, "report": report}


def records_of_run(out: Path, run_id: str) -> list[dict]:
    return [r for r in article_records(out) if r["run_id"] == run_id]


def tombstones(out: Path) -> list[dict]:
    rows: list[dict] = []
    for path in sorted((out / "records" / "tombstones").glob("*.jsonl")):
        rows.extend(read_jsonl(path))
    return rows


@pytest.fixture(scope="module")
def history(tmp_path_factory):
    folder = tmp_path_factory.mktemp("refresh")
    out = folder / "archive"
    # As the manifest file has it (JSON: epoch keys are strings).
    changes = json.loads(
        json.dumps(Replica(articles=ARTICLES, seed=SEED, epoch=1).manifest()["changes"])
    )
    runs = [run_at_epoch(folder, out, 0, "run1"), run_at_epoch(folder, out, 0, "run2")]
    old_items = sum(
        1 for r in article_records(out) if r["published_at"] and r["published_at"] < "2025-05-31"
    )
    catch_up = math.ceil(old_items / BUDGET) + 1
    for n in range(catch_up):
        runs.append(run_at_epoch(folder, out, 1, f"run{3 + n}"))
    return {"out": out, "runs": runs, "changes": changes, "catch_up": catch_up}


def test_run1_archives_everything(history):
    run1 = history["runs"][0]
    assert run1["exit"] in (0, 3), run1["report"]["status"]
    got = {r["id"] for r in records_of_run(history["out"], run1["report"]["run_id"])}
    assert got == {t["id"] for t in run1["truth"]}


def test_run2_on_an_unchanged_site_downloads_no_article_and_writes_nothing(history):
    run2 = history["runs"][1]
    assert run2["exit"] in (0, 3)
    assert run2["report"]["mode"] == "incremental"
    article_gets = [a for a in run2["access"] if ARTICLE_PATH.search(a["path"])]
    unconditional = [a for a in article_gets if not (a["if_none_match"] or a["if_modified_since"])]
    assert unconditional == [], "a refresh downloaded article pages"
    assert all(a["status"] == 304 for a in article_gets), "a re-check of an unchanged page"
    assert records_of_run(history["out"], run2["report"]["run_id"]) == []
    # At most one listing page per section: the first, never a further page.
    listing_gets = [
        (a["edition"], a["path"])
        for a in run2["access"]
        if a["path"] not in ("/", "/robots.txt")
        and not ARTICLE_PATH.search(a["path"])
        and "albumphoto" not in a["path"]
        and not REQUISITE.match(a["path"])
    ]
    assert len(listing_gets) == len(set(listing_gets))
    assert not [p for _, p in listing_gets if PAGINATED.search(p)], listing_gets
    # Page requisites were archived by run 1: not one is fetched again.
    assert not [a["path"] for a in run2["access"] if REQUISITE.match(a["path"])]


def test_after_epoch_1_new_articles_and_recent_changes_are_recorded(history):
    out, changes = history["out"], history["changes"]
    run3 = history["runs"][2]
    assert run3["exit"] in (0, 3)
    written = {r["id"]: r for r in records_of_run(out, run3["report"]["run_id"])}
    for aid in changes["new"]:
        assert written[f"baolongan:{aid}"]["version"] == 1
    truth = {t["id"]: t for t in run3["truth"]}
    recent_edits = [aid for aid, _kind, recent in changes["edited_by_epoch"]["1"] if recent]
    for aid in recent_edits:
        record = written[f"baolongan:{aid}"]
        assert record["version"] == 2
        for field in CONTENT:
            assert record[field] == truth[record["id"]][field], (aid, field)
    gone = {t["id"] for t in tombstones(out) if t["run_id"] == run3["report"]["run_id"]}
    recent_deletions = {
        f"baolongan:{aid}" for aid, recent in changes["deleted_by_epoch"]["1"] if recent
    }
    assert recent_deletions <= gone


def test_older_changes_are_caught_within_the_budget_runs(history):
    out, changes = history["out"], history["changes"]
    records = article_records(out)
    versions = {}
    for r in records:
        versions[r["id"]] = max(versions.get(r["id"], 0), r["version"])
    for aid, _kind, _recent in changes["edited_by_epoch"]["1"]:
        assert versions[f"baolongan:{aid}"] == 2, f"edit of {aid} never caught"
    gone = [t["id"] for t in tombstones(out)]
    assert len(gone) == len(set(gone)), "a deletion recorded twice"
    assert {f"baolongan:{aid}" for aid in changes["deleted"]} == set(gone)
    # One record per id and version across all runs: nothing re-written unchanged.
    keys = [(r["id"], r["version"]) for r in records]
    assert len(keys) == len(set(keys))


def test_warc_payloads_match_what_the_replica_sent(history):
    """Every 200 the replica sent in every run has a WARC record with that payload sha1."""
    from crawler.warc.archive import iter_responses

    digests = set()
    for archived in iter_responses(history["out"] / "warc"):
        if archived.payload is not None and archived.status != 304:
            import hashlib

            digests.add(hashlib.sha1(archived.payload).hexdigest())
    missing = [
        (a["path"], a["status"])
        for run in history["runs"]
        for a in run["access"]
        if a["status"] == 200 and a["sha1"] not in digests
    ]
    assert missing == []


def test_reextraction_from_the_warc_files_alone_reproduces_every_record(history, tmp_path):
    out = history["out"]
    rebuilt = tmp_path / "rebuilt"
    warc_copy = tmp_path / "warc"
    shutil.copytree(out / "warc", warc_copy)  # the archive alone: no records, no state store
    result = subprocess.run(
        [sys.executable, "-m", "crawler.reextract", str(warc_copy), str(rebuilt)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-3000:]
    # Records stream: where an item was seen is split between its record and the run's sightings
    # lines in whatever order the responses came; folded together they are the same.
    original = sorted(folded_records(out), key=lambda r: (r["id"], r["version"]))
    again = sorted(folded_records(rebuilt), key=lambda r: (r["id"], r["version"]))
    assert len(again) == len(original)
    for a, b in zip(original, again, strict=True):
        assert a == b, next(k for k in a if a[k] != b.get(k))
    assert tombstones(rebuilt) == tombstones(out)
