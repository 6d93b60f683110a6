"""The `sightings` stream (docs/contract.md "Where and how it was seen"): what a run learns about an
id after its record was written — another section listing it, another URL or host linking it.

One line per sighting: {schema_version, id, run_id, kind, value, name, seen_at}; `value` is the
section's slug, the URL as fetched or linked, or the edition; `name` is the section's menu label
(null for the other kinds). Folding a record's run's sightings into it gives what one merge at the
end of the run would have given (crawler/latest.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from crawler.records.merge import add_sightings, covered, folded_fields


def sighting_lines(
    item_id: str,
    run_id: str,
    new: Iterable[tuple[str, str, str | None]],
    seen_at: str,
    schema_version: str,
) -> list[dict[str, Any]]:
    return [
        {
            "schema_version": schema_version,
            "id": item_id,
            "run_id": run_id,
            "kind": kind,
            "value": value,
            "name": name,
            "seen_at": seen_at,
        }
        for kind, value, name in new
    ]


def as_new(lines: Iterable[Mapping[str, Any]]) -> list[tuple[str, str, str | None]]:
    """Sightings lines back as (kind, value, name)."""
    return [(line["kind"], line["value"], line.get("name")) for line in lines]


def fold(record: Mapping[str, Any], lines: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """`record` with the sightings `lines` of its run and id folded in: sections, urls_seen,
    editions_seen and edition as the latest view shows them."""
    done = add_sightings(covered(record), as_new(lines))
    return {**record, **folded_fields(done)}
