"""The state store's row for an id (crawler/state.py `items`), from a record."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from crawler.records.merge import folded_fields

WARC_POINTERS = ("warc_filename", "warc_record_id", "warc_payload_digest")


def seen_columns(record: Mapping[str, Any]) -> dict[str, Any]:
    """The row's columns for where the id was seen (`sections`, `editions_seen` as JSON)."""
    return {
        "edition": record["edition"],
        "sections": json.dumps(record["sections"], ensure_ascii=False),
        "editions_seen": json.dumps(record["editions_seen"]),
    }


def checked_row(
    record: Mapping[str, Any], fetch: Mapping[str, Any], run_id: str, production_url: str, now: str
) -> dict[str, Any]:
    """What every fetch of a live id updates, a new version or not. `production_url`: the exact
    page (path and query) the validators came from, in production form, so a refresh re-checks it
    wherever the portal is fetched from then."""
    return {
        "id": record["id"],
        "type": record["type"],
        "status": "live",
        "last_seen": now,
        "last_checked": now,
        "url": production_url,
        "canonical_url": record.get("canonical_url"),
        "published_at": record.get("published_at"),
        "etag": fetch.get("etag"),
        "last_modified": fetch.get("last_modified"),
        "last_run": run_id,
        **seen_columns(record),
    }


def version_columns(record: Mapping[str, Any]) -> dict[str, Any]:
    """What a new version adds to the row: its number, hash, first sighting and archive pointers."""
    return {
        "version": record["version"],
        "content_hash": record["content_hash"],
        "first_seen": record["first_seen"],
        **{k: record.get(k) for k in WARC_POINTERS},
    }


def written_row(record: Mapping[str, Any], production_url: str, run_id: str) -> dict[str, Any]:
    """The row of an article line found on disk (a crash between the line and its state commit)."""
    return {
        "id": record["id"],
        "type": record["type"],
        "status": "live",
        "last_seen": record["last_seen"],
        "last_checked": record["last_seen"],
        "published_at": record.get("published_at"),
        "url": production_url,
        "canonical_url": record.get("canonical_url"),
        "last_run": run_id,
        **version_columns(record),
        **seen_columns(record),
    }


def folded_columns(done: Mapping[str, list]) -> dict[str, Any]:
    """The row's seen columns after sightings were added (a `covered` dict, crawler.records.merge)."""
    return seen_columns(folded_fields(done))
