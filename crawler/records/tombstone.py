"""Tombstones (docs/contract.md "Other streams"): an archived item answered 404/410 or redirected
away, recorded once as gone."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def tombstone(
    item: Mapping[str, Any],
    previous: Mapping[str, Any] | None,
    run_id: str,
    now: str,
    schema_version: str,
) -> dict[str, Any] | None:
    """The tombstone line for `item` (the spider's gone item: id, url, http_status, redirect_to,
    detected_at), or None when the archive never held the id live or knows it gone already."""
    if previous is None or previous["status"] == "gone":
        return None
    return {
        "schema_version": schema_version,
        "type": previous["type"],
        "id": item["id"],
        "url": item["url"],
        "status": "gone",
        "http_status": item["http_status"],
        "redirect_to": item.get("redirect_to"),
        "last_seen_live": previous["last_seen"],
        "detected_at": item.get("detected_at") or now,
        "run_id": run_id,
    }


def gone_row(tomb: Mapping[str, Any]) -> dict[str, Any]:
    """The state row's change once a tombstone is written."""
    return {"id": tomb["id"], "status": "gone", "last_checked": tomb["detected_at"]}
