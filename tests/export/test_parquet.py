"""`scrapy export --format parquet`, run as a user types it on a real archive: one file per stream,
column types exactly those fixed from the JSON Schema (also for all-null columns), as many rows as
the JSON Lines, and `published_at` the same +07:00 instants."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from tests.support import ROOT, read_jsonl

pytestmark = pytest.mark.e2e

UTC = pa.timestamp("us", tz="UTC")
EXPECTED = {
    "id": pa.string(),
    "article_id": pa.int64(),
    "album_id": pa.int64(),
    "version": pa.int64(),
    "published_at": pa.timestamp("us", tz="+07:00"),
    "fetched_at": UTC,
    "first_seen": UTC,
    "last_seen": UTC,
    "sections": pa.list_(pa.struct([("slug", pa.string()), ("name", pa.string())])),
    "images": pa.list_(
        pa.struct(
            [
                ("url", pa.string()),
                ("position", pa.int64()),
                ("caption_raw", pa.string()),
                ("caption", pa.string()),
                ("credit", pa.string()),
            ]
        )
    ),
    "authors": pa.list_(pa.string()),
    "quality_issues": pa.list_(pa.string()),
    "translations": pa.list_(pa.string()),
}
DUCKDB_EXPECTED = {
    "article_id": "BIGINT",
    "album_id": "BIGINT",
    "published_at": "TIMESTAMP WITH TIME ZONE",
    "fetched_at": "TIMESTAMP WITH TIME ZONE",
    "sections": 'STRUCT(slug VARCHAR, "name" VARCHAR)[]',
    "authors": "VARCHAR[]",
    "images": 'STRUCT(url VARCHAR, "position" BIGINT, caption_raw VARCHAR, caption VARCHAR, '
    "credit VARCHAR)[]",
}
TOMBSTONE_EXPECTED = {"http_status": pa.int64(), "detected_at": UTC, "last_seen_live": UTC}
SIGHTING_EXPECTED = {
    "id": pa.string(),
    "run_id": pa.string(),
    "kind": pa.string(),
    "value": pa.string(),
    "name": pa.string(),
    "seen_at": UTC,
}


def jsonl_rows(archive: Path, stream: str) -> list[dict]:
    records = archive / "records"
    files = {
        "articles": sorted(records.glob("articles/*/*.jsonl")),
        "latest": [records / "latest.jsonl"],
        "tombstones": sorted(records.glob("tombstones/*.jsonl")),
        "sightings": sorted(records.glob("sightings/*.jsonl")),
    }[stream]
    return [row for path in files for row in read_jsonl(path)]


@pytest.fixture(scope="module")
def exported(archive: Path, tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess]:
    out = tmp_path_factory.mktemp("parquet")
    cmd = [sys.executable, "-m", "scrapy", "export", "--format", "parquet", str(archive)]
    result = subprocess.run([*cmd, "--out", str(out)], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-3000:]
    return out, result


def test_one_file_per_stream_with_jsonl_row_counts(archive, exported) -> None:
    out, result = exported
    for stream in ("articles", "latest", "tombstones", "sightings"):
        rows = jsonl_rows(archive, stream)
        assert pq.read_metadata(out / f"{stream}.parquet").num_rows == len(rows), stream
        assert f"{stream}: {len(rows)} rows" in result.stdout
    assert len(jsonl_rows(archive, "articles")) > len(jsonl_rows(archive, "latest")) > 40
    assert jsonl_rows(archive, "tombstones"), "the refresh found no deletion: tombstones untested"


def test_arrow_types_fixed_from_schema(exported) -> None:
    out, _ = exported
    for stream in ("articles", "latest"):
        schema = pq.read_schema(out / f"{stream}.parquet")
        got = {name: schema.field(name).type for name in EXPECTED}
        assert got == EXPECTED, stream
    schema = pq.read_schema(out / "tombstones.parquet")
    assert {name: schema.field(name).type for name in TOMBSTONE_EXPECTED} == TOMBSTONE_EXPECTED
    # The sightings stream: the same columns whether or not the archive has a sighting yet.
    schema = pq.read_schema(out / "sightings.parquet")
    assert {name: schema.field(name).type for name in schema.names} == {
        "schema_version": pa.string(),
        **SIGHTING_EXPECTED,
    }


def test_all_null_column_keeps_its_type(archive, tmp_path) -> None:
    """An archive of articles only: `album_id` is null on every row, and still BIGINT."""
    only = tmp_path / "articles-only"
    rows = [r for r in jsonl_rows(archive, "articles") if r["type"] == "article"]
    (only / "records" / "articles" / "r1").mkdir(parents=True)
    lines = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
    (only / "records" / "articles" / "r1" / "vi.jsonl").write_text(lines, encoding="utf-8")
    cmd = [sys.executable, "-m", "scrapy", "export", "--format", "parquet", str(only)]
    result = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-3000:]
    path = only / "export" / "articles.parquet"
    table = pq.read_table(path)
    assert table.num_rows == len(rows) > 0 and table.column("album_id").null_count == len(rows)
    assert table.schema.field("album_id").type == pa.int64()
    described = duckdb.connect().sql(f"DESCRIBE SELECT * FROM '{path}'").fetchall()
    types = {name: kind for name, kind, *_ in described}
    assert {k: types[k] for k in DUCKDB_EXPECTED} == DUCKDB_EXPECTED
    assert pq.read_metadata(only / "export" / "tombstones.parquet").num_rows == 0


def test_published_at_reads_back_as_plus_seven(archive, exported) -> None:
    out, _ = exported
    expected = {r["id"]: r["published_at"] for r in jsonl_rows(archive, "latest")}
    assert sum(v is not None for v in expected.values()) > 20
    table = pq.read_table(out / "latest.parquet", columns=["id", "published_at"])
    got = dict(
        zip(table.column("id").to_pylist(), table.column("published_at").to_pylist(), strict=True)
    )
    assert {k: v and v.isoformat() for k, v in got.items()} == expected
    con = duckdb.connect()
    con.sql("SET TimeZone = 'Asia/Ho_Chi_Minh'")
    rows = con.sql(f"SELECT id, published_at FROM '{out}/latest.parquet'").fetchall()
    assert {k: v and v.isoformat() for k, v in rows} == expected
    assert all(datetime.fromisoformat(expected[k]) == v for k, v in rows if v is not None)
