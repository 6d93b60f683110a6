"""Parquet export: one file per stream, its column types fixed from the stream's JSON Schema
(crawler/schemas/*.schema.json) rather than guessed from the values, so every export of every
archive has the same types — even a column whose values are all null in this archive (issue 17
point 5: DuckDB read `album_id` as "NULL" from one run file and BIGINT from another).

Mapping: integer -> int64; string -> string; a string in the `utc` form -> timestamp (UTC), in the
`local` form (`+07:00`, docs/data.md "Times") -> timestamp with zone +07:00, which DuckDB reads as
TIMESTAMP WITH TIME ZONE; array -> list of its item type; object -> struct of its properties.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from crawler.export.streams import STREAMS, stream_rows
from crawler.schema import load_schema

# Time zone of each date-time form in the schemas' $defs (crawler/schemas/article.schema.json).
TIMEZONES = {"utc": "UTC", "local": "+07:00"}
BATCH_ROWS = 5000  # rows converted and written at a time: memory stays flat on a full archive


def _ref_name(node: dict[str, Any]) -> str | None:
    ref = node.get("$ref")
    return ref.rsplit("/", 1)[-1] if ref else None


def _resolve(node: dict[str, Any], root: dict[str, Any]) -> dict[str, Any]:
    name = _ref_name(node)
    if name is None:
        return node
    return {**root["$defs"][name], **{k: v for k, v in node.items() if k != "$ref"}}


def arrow_type(node: dict[str, Any], root: dict[str, Any]) -> pa.DataType:
    ref, node = _ref_name(node), _resolve(node, root)
    kinds = node.get("type", [])
    kinds = [kinds] if isinstance(kinds, str) else kinds
    kind = next((k for k in kinds if k != "null"), None)
    if kind == "string" and node.get("format") == "date-time":
        if ref not in TIMEZONES:
            raise ValueError(f"date-time form {ref!r} has no known time zone")
        return pa.timestamp("us", tz=TIMEZONES[ref])
    if kind == "string":
        return pa.string()
    if kind == "integer":
        return pa.int64()
    if kind == "boolean":
        return pa.bool_()
    if kind == "array":
        return pa.list_(arrow_type(node["items"], root))
    if kind == "object" and node.get("properties"):
        return pa.struct(_fields(node, root))
    raise ValueError(f"no Parquet column type for schema node {node!r}")


def _fields(node: dict[str, Any], root: dict[str, Any]) -> list[pa.Field]:
    # Every column nullable: records of an older schema_version may lack a field added since
    # (it reads back as null); the crawler checks `required` when it writes a record.
    return [pa.field(name, arrow_type(prop, root)) for name, prop in node["properties"].items()]


def arrow_schema(schema_stream: str) -> pa.Schema:
    """The Arrow schema of a JSON Schema stream (`articles`, `tombstones`, `sightings`)."""
    root = load_schema(schema_stream)
    return pa.schema(_fields(root, root))


def _converted(rows: Iterable[dict[str, Any]], schema: pa.Schema) -> Iterator[dict[str, Any]]:
    """Timestamps parsed from their ISO 8601 strings (top-level: the schemas nest none)."""
    times = [f.name for f in schema if pa.types.is_timestamp(f.type)]
    for row in rows:
        for name in times:
            if row.get(name) is not None:
                row[name] = datetime.fromisoformat(row[name])
        yield row


def _batches(rows: Iterator[dict[str, Any]], schema: pa.Schema) -> Iterator[pa.RecordBatch]:
    chunk: list[dict[str, Any]] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= BATCH_ROWS:
            yield pa.RecordBatch.from_pylist(chunk, schema=schema)
            chunk = []
    if chunk:
        yield pa.RecordBatch.from_pylist(chunk, schema=schema)


def export_stream(output_dir: Path, stream: str, target: Path) -> int:
    """Write `stream` as Parquet to `target` (atomically); the number of rows."""
    schema = arrow_schema(STREAMS[stream][0])
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.tmp")
    rows = 0
    with pq.ParquetWriter(tmp, schema, compression="zstd") as writer:
        for batch in _batches(_converted(stream_rows(output_dir, stream), schema), schema):
            writer.write_batch(batch)
            rows += batch.num_rows
    os.replace(tmp, target)
    return rows


def export_parquet(output_dir: Path, out: Path) -> dict[str, tuple[Path, int]]:
    """Every stream of the archive: {stream: (file, rows)}. An empty stream still gets its file,
    with the same columns and no rows, so readers need no special case."""
    return {
        stream: (target, export_stream(output_dir, stream, target))
        for stream in STREAMS
        for target in [out / f"{stream}.parquet"]
    }
