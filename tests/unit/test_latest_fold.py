"""The latest view folds a run's sightings into its record (crawler/latest.py), from a real state
store and real files: only the rows with sightings lines change, the others stay byte for byte, and
the state store's trigger queues a sighting only for an id the run has written."""

from __future__ import annotations

import json
from pathlib import Path

from crawler.latest import write_latest
from crawler.records.merge import add_sightings, covered
from crawler.state import StateStore
from crawler.writer import RecordWriter

VI, EN = "http://127.0.0.1:8001", "http://127.0.0.1:8002"


def article(n: int) -> dict:
    return {
        "id": f"baolongan:{n}",
        "type": "article",
        "version": 1,
        "edition": "vi",
        "editions_seen": ["vi"],
        "url": f"{VI}/x-a{n}.html",
        "urls_seen": [f"{VI}/x-a{n}.html"],
        "sections": [{"slug": "b", "name": "B"}],
        "title": "Tiêu đề",
        "translations": [],
    }


def test_latest_folds_sightings_and_keeps_other_rows(tmp_path: Path) -> None:
    state = StateStore(tmp_path / "state.sqlite3")
    writer = RecordWriter(tmp_path, "r1")
    path = writer.path("articles", "vi")
    records = [article(1), article(2)]
    offsets = writer.append(path, records)
    writer.close()
    for record, offset in zip(records, offsets, strict=True):
        state.mark_written("r1", "articles", record["id"], 1, writer.relpath(path), offset)
        state.upsert_item({"id": record["id"], "status": "live", "version": 1})
        state.put_sighted("r1", record["id"], covered(record), 0)
    # Seen later in the run: id 1 in section `a` and on the English host.
    later = [("section", "a", "A"), ("url", f"{EN}/x-a1.html", None), ("edition", "en", None)]
    state.put_sighted("r1", "baolongan:1", add_sightings(covered(records[0]), later), 3)
    _, rows = write_latest(state, tmp_path, "r1", keep=0)
    lines = (tmp_path / "records" / "latest.jsonl").read_bytes().splitlines(keepends=True)
    assert rows == 2
    first = json.loads(lines[0])
    assert first["sections"] == [{"slug": "a", "name": "A"}, {"slug": "b", "name": "B"}]
    assert first["urls_seen"] == [f"{VI}/x-a1.html", f"{EN}/x-a1.html"]  # sorted: 8001 < 8002
    assert (first["editions_seen"], first["edition"]) == (["en", "vi"], "en")
    assert first["title"] == "Tiêu đề" and list(first) == list(records[0])
    assert lines[1] == path.read_bytes().splitlines(keepends=True)[1], "untouched row copied as is"


def test_the_trigger_queues_sightings_of_written_ids_only(tmp_path: Path) -> None:
    state = StateStore(tmp_path / "state.sqlite3")
    state.add_sighting("r1", "baolongan:1", "section", "a", "A")
    assert state.sighted_again("r1") == [], "not written yet: the record will carry it"
    state.mark_written("r1", "articles", "baolongan:1", 1, "f", 0)
    state.add_sighting("r1", "baolongan:1", "section", "a", "A")
    assert state.sighted_again("r1") == [], "a repeated sighting queues nothing"
    state.add_sighting("r1", "baolongan:1", "section", "b", "B")
    state.add_sighting("r2", "baolongan:1", "section", "c", "C")
    assert state.sighted_again("r1") == ["baolongan:1"] and state.sighted_again("r2") == []
    state.done_sighted_again("r1", "baolongan:1")
    assert state.sighted_again("r1") == []


def test_pending_records_are_due_after_their_delay(tmp_path: Path) -> None:
    state = StateStore(tmp_path / "state.sqlite3")
    state.put_pending("r1", "baolongan:1", {"id": "baolongan:1", "v": 1}, staged_at=100.0)
    state.put_pending("r1", "baolongan:2", {"id": "baolongan:2"}, staged_at=200.0)
    # Replaced by a preferred fetch: the delay still runs from the first staging.
    state.put_pending("r1", "baolongan:1", {"id": "baolongan:1", "v": 2}, staged_at=150.0)
    # (each batch is read before the caller deletes it: one read here)
    assert next(state.iter_pending("r1", staged_before=120.0)) == [{"id": "baolongan:1", "v": 2}]
    assert next(state.iter_pending("r1", staged_before=99.0), None) is None
    assert [r["id"] for r in next(state.iter_pending("r1"))] == ["baolongan:1", "baolongan:2"]
