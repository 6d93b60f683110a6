"""What a run saw of an id, merged into its record (docs/contract.md "Where and how it was seen").

`seen` is what the run's sightings store returns for an id (crawler/state.py `sightings`):
{"section": [(slug, name)], "url": [(url, None)], "edition": [(edition, None)]}, each sorted.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

KINDS = ("section", "url", "edition")
Seen = Mapping[str, list[tuple[str, str | None]]]


def edition_of(editions: list[str] | set[str]) -> str:
    """`en` once the item was reached on the English host, else `vi`."""
    return "en" if "en" in editions else "vi"


def seen_fields(seen: Seen, previous: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """sections, urls_seen, editions_seen and edition from the run's sightings of an id.

    `previous` is the id's state row from earlier runs: a re-check or a refresh that stopped paging
    early sees no listing naming the item, so its sections are still those of its last version,
    and an edition it was reached on before stays one it was reached on."""
    sections = [{"slug": s, "name": n} for s, n in sorted(seen.get("section") or [])]
    editions = {e for e, _ in seen.get("edition") or []}
    if previous is not None:
        if not sections and previous.get("sections"):
            sections = json.loads(previous["sections"])
        editions |= set(json.loads(previous.get("editions_seen") or "[]"))
    return {
        "sections": sections,
        "urls_seen": sorted({u for u, _ in seen.get("url") or []}),
        "editions_seen": sorted(editions),
        "edition": edition_of(editions),
    }


def covered(record: Mapping[str, Any]) -> dict[str, list]:
    """What a written record says it was seen as, in the form of `seen` (JSON-ready lists)."""
    return {
        "section": sorted([s["slug"], s["name"]] for s in record.get("sections") or []),
        "url": sorted(record.get("urls_seen") or []),
        "edition": sorted(record.get("editions_seen") or []),
    }


def new_sightings(done: Mapping[str, list], seen: Seen) -> list[tuple[str, str, str | None]]:
    """(kind, value, name) of each sighting in `seen` that `done` (a `covered` dict) lacks, in
    kind order then value order. A section already named under its slug is not new."""
    have_sections = {s for s, _ in done.get("section") or []}
    have = {kind: set(done.get(kind) or []) for kind in ("url", "edition")}
    out: list[tuple[str, str, str | None]] = []
    for slug, name in seen.get("section") or []:
        if slug not in have_sections:
            out.append(("section", slug, name))
    for kind in ("url", "edition"):
        for value, _ in seen.get(kind) or []:
            if value not in have[kind]:
                out.append((kind, value, None))
    return out


def add_sightings(done: Mapping[str, list], new: list[tuple[str, str, str | None]]) -> dict:
    """`done` with `new` sightings added (a union: adding one twice changes nothing)."""
    out = {kind: list(done.get(kind) or []) for kind in KINDS}
    for kind, value, name in new:
        if kind == "section":
            if value not in {s for s, _ in out["section"]}:
                out["section"].append([value, name])
        elif value not in out[kind]:
            out[kind].append(value)
    return {kind: sorted(values) for kind, values in out.items()}


def folded_fields(done: Mapping[str, list]) -> dict[str, Any]:
    """The record fields a `covered` dict stands for: what the latest view shows."""
    editions = sorted(done.get("edition") or [])
    return {
        "sections": [{"slug": s, "name": n} for s, n in sorted(done.get("section") or [])],
        "urls_seen": sorted(done.get("url") or []),
        "editions_seen": editions,
        "edition": edition_of(editions),
    }
