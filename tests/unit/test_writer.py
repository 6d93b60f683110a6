"""The crash-safe writer: durable appends with offsets, torn last lines cut on recovery."""

from __future__ import annotations

import json

import pytest

from crawler.writer import RecordWriter, truncate_torn_tail


def test_append_returns_offsets_of_each_line(tmp_path):
    writer = RecordWriter(tmp_path, "run1")
    path = writer.path("articles", "vi")
    first = writer.append(path, [{"id": "a", "title": "Đường"}, {"id": "b"}])
    second = writer.append(path, [{"id": "c"}])
    writer.close()
    with open(path, "rb") as fh:
        for offset, expected in zip(first + second, "abc", strict=True):
            fh.seek(offset)
            assert json.loads(fh.readline())["id"] == expected


def test_layout_is_per_stream_run_and_edition(tmp_path):
    writer = RecordWriter(tmp_path, "run1")
    assert writer.path("articles", "en") == tmp_path / "records/articles/run1/en.jsonl"
    assert writer.path("tombstones") == tmp_path / "records/tombstones/run1.jsonl"
    assert writer.relpath(writer.path("rejected")) == "records/rejected/run1.jsonl"


@pytest.mark.parametrize(
    ("content", "kept"),
    [
        (b'{"id":"a"}\n{"id":"b"}\n', b'{"id":"a"}\n{"id":"b"}\n'),  # intact
        (b'{"id":"a"}\n{"id":"b', b'{"id":"a"}\n'),  # torn mid-line
        (b'{"id":"a"}\n{"id":"b"}', b'{"id":"a"}\n'),  # complete JSON but no newline: not durable
        (b'{"id":"a', b""),  # the only line torn
        (b'{"id":"a"}\n{"id"\n', b'{"id":"a"}\n'),  # newline but unparseable
        (b"", b""),
    ],
)
def test_truncate_torn_tail(tmp_path, content, kept):
    path = tmp_path / "f.jsonl"
    path.write_bytes(content)
    truncate_torn_tail(path)
    assert path.read_bytes() == kept


def test_truncate_torn_tail_with_long_lines(tmp_path):
    path = tmp_path / "f.jsonl"
    big = json.dumps({"body": "x" * 200_000}).encode()
    path.write_bytes(big + b"\n" + big[:150_000])
    truncate_torn_tail(path)
    assert path.read_bytes() == big + b"\n"


def test_reconcile_yields_every_complete_line_with_offsets(tmp_path):
    writer = RecordWriter(tmp_path, "run1")
    path = writer.path("articles", "vi")
    offsets = writer.append(path, [{"id": "a", "version": 1}, {"id": "b", "version": 1}])
    writer.close()
    with open(path, "ab") as fh:
        fh.write(b'{"id":"c","vers')
    seen = [(stream, offset, rec["id"]) for stream, _, offset, rec in writer.reconcile()]
    assert seen == [("articles", offsets[0], "a"), ("articles", offsets[1], "b")]


def test_state_store_gains_columns_added_since_an_older_release(tmp_path):
    import sqlite3

    from crawler.state import StateStore

    path = tmp_path / "state.sqlite3"
    old = sqlite3.connect(path)
    old.executescript(
        "CREATE TABLE runs(run_id TEXT PRIMARY KEY, signature TEXT, started_at TEXT,"
        " finished_at TEXT, status TEXT);"
        "INSERT INTO runs VALUES('r1', 'sig', 't', 't', 'success');"
    )
    old.close()
    store = StateStore(path)
    store.start_run("r2", "sig", "t2", "incremental")
    assert store.unfinished_run("sig")["mode"] == "incremental"
    store.close()
