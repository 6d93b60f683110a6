"""crawler/records/: the pure functions a record is built with — merge of what a run saw, content
versions, the state row, tombstones and the sightings stream — checked on plain dicts against
hand-worked values, without Scrapy or a state store."""

from __future__ import annotations

import json

import pytest

from crawler.records.merge import add_sightings, covered, new_sightings, seen_fields
from crawler.records.row import checked_row, folded_columns, version_columns, written_row
from crawler.records.sightings import fold, sighting_lines
from crawler.records.tombstone import gone_row, tombstone
from crawler.records.version import prefer, unchanged, versioned

VI = "http://127.0.0.1:8001"
EN = "http://127.0.0.1:8002"


def seen(sections=(), urls=(), editions=()):
    """What the state store's `sightings()` returns: each kind sorted by value."""
    return {
        "section": sorted(sections),
        "url": sorted((u, None) for u in urls),
        "edition": sorted((e, None) for e in editions),
    }


def test_seen_fields_from_sightings():
    got = seen_fields(
        seen(
            sections=[("z-last", "Z"), ("a/b", "A B")],
            urls=[f"{VI}/x-a1.html", f"{EN}/x-a1.html", f"{VI}/x-a1.html"],
            editions=["vi", "en"],
        )
    )
    assert got == {
        "sections": [{"slug": "a/b", "name": "A B"}, {"slug": "z-last", "name": "Z"}],
        "urls_seen": [f"{VI}/x-a1.html", f"{EN}/x-a1.html"],
        "editions_seen": ["en", "vi"],
        "edition": "en",
    }


def test_seen_fields_keep_the_previous_version_sections_and_editions():
    previous = {"sections": json.dumps([{"slug": "old", "name": "Old"}]), "editions_seen": '["en"]'}
    got = seen_fields(seen(urls=[f"{VI}/x-a1.html"], editions=["vi"]), previous)
    assert got["sections"] == [{"slug": "old", "name": "Old"}]
    assert got["editions_seen"] == ["en", "vi"] and got["edition"] == "en"
    # A listing naming it this run wins over the previous sections.
    got = seen_fields(seen(sections=[("new", "New")], editions=["vi"]), previous)
    assert got["sections"] == [{"slug": "new", "name": "New"}]


def record(**changes):
    r = {
        "id": "baolongan:7",
        "type": "article",
        "url": f"{VI}/x-a7.html",
        "canonical_url": "https://baolongan.vn/x-a7.html",
        "sections": [{"slug": "a", "name": "A"}],
        "urls_seen": [f"{VI}/x-a7.html"],
        "editions_seen": ["vi"],
        "edition": "vi",
    }
    r.update(changes)
    return r


def test_new_sightings_are_what_the_record_lacks():
    done = covered(record())
    assert done == {"section": [["a", "A"]], "url": [f"{VI}/x-a7.html"], "edition": ["vi"]}
    later = seen(
        sections=[("a", "A"), ("b", "B")],
        urls=[f"{VI}/x-a7.html", f"{EN}/x-a7.html"],
        editions=["vi", "en"],
    )
    new = new_sightings(done, later)
    assert new == [("section", "b", "B"), ("url", f"{EN}/x-a7.html", None), ("edition", "en", None)]
    after = add_sightings(done, new)
    assert new_sightings(after, later) == []
    assert add_sightings(after, new) == after, "adding a sighting twice changes nothing"


def test_sighting_lines_and_fold_give_the_merged_view():
    new = [("section", "b", "B"), ("url", f"{EN}/x-a7.html", None), ("edition", "en", None)]
    lines = sighting_lines("baolongan:7", "r1", new, "2025-01-01T00:00:00Z", "1.2.0")
    assert lines[0] == {
        "schema_version": "1.2.0",
        "id": "baolongan:7",
        "run_id": "r1",
        "kind": "section",
        "value": "b",
        "name": "B",
        "seen_at": "2025-01-01T00:00:00Z",
    }
    assert [line["name"] for line in lines] == ["B", None, None]
    folded = fold(record(title="T"), lines)
    assert folded["title"] == "T" and folded["url"] == f"{VI}/x-a7.html"
    assert folded["sections"] == [{"slug": "a", "name": "A"}, {"slug": "b", "name": "B"}]
    assert folded["urls_seen"] == [f"{VI}/x-a7.html", f"{EN}/x-a7.html"]
    assert folded["editions_seen"] == ["en", "vi"] and folded["edition"] == "en"
    # The same as one merge of everything the run saw.
    everything = seen(
        sections=[("a", "A"), ("b", "B")],
        urls=[f"{VI}/x-a7.html", f"{EN}/x-a7.html"],
        editions=["vi", "en"],
    )
    assert {k: folded[k] for k in seen_fields(everything)} == seen_fields(everything)
    assert folded_columns(add_sightings(covered(record()), new)) == {
        "edition": "en",
        "sections": '[{"slug": "a", "name": "A"}, {"slug": "b", "name": "B"}]',
        "editions_seen": '["en", "vi"]',
    }


def test_prefer_the_fetch_from_the_home_host():
    en_item = {"canonical_url": "https://news.baolongan.vn/x-a7.html"}
    from_vi = {**en_item, "_fetch": {"edition": "vi"}}
    from_en = {**en_item, "_fetch": {"edition": "en"}}
    assert prefer(from_en, from_vi) is True
    assert prefer(from_vi, from_en) is False
    assert prefer(from_vi, from_vi) is False, "else the first fetch stays"
    vi_item = {"canonical_url": "https://baolongan.vn/x-a7.html"}
    assert prefer(
        {**vi_item, "_fetch": {"edition": "vi"}}, {**vi_item, "_fetch": {"edition": "en"}}
    )


@pytest.mark.parametrize(
    ("previous", "expected"),
    [
        (None, False),
        ({"status": "live", "content_hash": "h1"}, True),
        ({"status": "live", "content_hash": "h0"}, False),
        ({"status": "gone", "content_hash": "h1"}, False),  # back from the dead: a new version
    ],
)
def test_unchanged(previous, expected):
    assert unchanged({"content_hash": "h1"}, previous) is expected


def test_versioned_first_and_next():
    first = versioned({"id": "x"}, None, "2025-01-02T00:00:00Z", "r1", "1.2.0")
    assert first == {
        "id": "x",
        "version": 1,
        "first_seen": "2025-01-02T00:00:00Z",
        "last_seen": "2025-01-02T00:00:00Z",
        "run_id": "r1",
        "schema_version": "1.2.0",
    }
    previous = {"version": 3, "first_seen": "2024-01-01T00:00:00Z"}
    nxt = versioned({"id": "x"}, previous, "2025-01-02T00:00:00Z", "r2", "1.2.0")
    assert (nxt["version"], nxt["first_seen"], nxt["run_id"]) == (4, "2024-01-01T00:00:00Z", "r2")


def test_state_rows():
    r = versioned(record(content_hash="h", warc_filename="w.warc.gz"), None, "T", "r1", "1.2.0")
    fetch = {"etag": '"e"', "last_modified": None}
    row = checked_row(r, fetch, "r1", "https://baolongan.vn/x-a7.html", "T")
    assert row["url"] == "https://baolongan.vn/x-a7.html" and row["etag"] == '"e"'
    assert row["sections"] == '[{"slug": "a", "name": "A"}]' and row["editions_seen"] == '["vi"]'
    assert "version" not in row
    assert version_columns(r) == {
        "version": 1,
        "content_hash": "h",
        "first_seen": "T",
        "warc_filename": "w.warc.gz",
        "warc_record_id": None,
        "warc_payload_digest": None,
    }
    on_disk = written_row(r, "https://baolongan.vn/x-a7.html", "r1")
    assert {k: on_disk[k] for k in row if k not in ("etag", "last_modified")} == {
        k: row[k] for k in row if k not in ("etag", "last_modified")
    }


def test_tombstone_once():
    item = {"id": "baolongan:7", "url": f"{VI}/x-a7.html", "http_status": 404}
    live = {"status": "live", "type": "article", "last_seen": "2025-01-01T00:00:00Z"}
    tomb = tombstone(item, live, "r2", "2025-02-01T00:00:00Z", "1.2.0")
    assert tomb == {
        "schema_version": "1.2.0",
        "type": "article",
        "id": "baolongan:7",
        "url": f"{VI}/x-a7.html",
        "status": "gone",
        "http_status": 404,
        "redirect_to": None,
        "last_seen_live": "2025-01-01T00:00:00Z",
        "detected_at": "2025-02-01T00:00:00Z",
        "run_id": "r2",
    }
    assert gone_row(tomb) == {
        "id": "baolongan:7",
        "status": "gone",
        "last_checked": "2025-02-01T00:00:00Z",
    }
    assert tombstone(item, {**live, "status": "gone"}, "r2", "T", "1.2.0") is None
    assert tombstone(item, None, "r2", "T", "1.2.0") is None
