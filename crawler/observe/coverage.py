"""Field coverage, counted from the records as written — never from fallback values.

The RecordPipeline calls `count(stats, record)` once per article/album line it writes. A field counts
as *present* when the written value is non-empty (not null, "", [] or {}) **and** the record's
`quality_issues` does not say the value is a stand-in. A value that is there but flagged counts as a
*fallback*, not as present: e.g. a lead taken from `og:description` (issue `lead_from_meta`) is not a
lead the page showed, and a gate that counted it would stay green while the lead selector is broken.

Which issue codes disqualify a field (`disqualifying_codes`): for each of the field's names in
`ALIASES`, `no_<name>`, `<name>_fallback` and any `<name>_from_<source>`. So `lead_from_meta`
disqualifies `lead`; `no_byline` disqualifies `byline_raw` and `authors`; `no_date` disqualifies
`published_raw` and `published_at`. Documented sources that are the page's own statement of the value
(a date from `article:published_time`, a title from `og:title` matching the URL slug) carry no such
code and count as present.

A record can also be *exempt* from a field that it cannot have (`EXEMPT`): a syndicated article
credited only to a source (`Theo Báo Tây Ninh`, `(TTXVN/Vietnam+)`: `source_credit` set, `authors`
empty) names no authors, so it counts neither for nor against `authors`. Shares are taken over the
records that are not exempt.

Stats written (namespace `coverage/`), per record type (`article`, `album`):
    coverage/<type>/records            records written
    coverage/<type>/present/<field>    records with the field present
    coverage/<type>/fallback/<field>   records whose value is there but flagged as a stand-in
    coverage/<type>/exempt/<field>     records that cannot have the field

Counters of one process do not survive a crash; a resumed run recounts its own files (`recount`).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

PREFIX = "coverage/"

# Content fields whose coverage is counted, in the order reports show them.
FIELDS: tuple[str, ...] = (
    "title",
    "published_at",
    "body_text",
    "lead",
    "authors",
    "kicker",
    "images",
    "byline_raw",
    "published_raw",
    "translators",
    "source_credit",
    "links",
    "sections",
    "body_html",
)

# The names by which extraction's issue codes refer to a field (see the module docstring).
ALIASES: dict[str, tuple[str, ...]] = {
    "body_text": ("body", "body_text"),
    "body_html": ("body", "body_html"),
    "published_at": ("date", "published", "published_at"),
    "published_raw": ("date", "published", "published_raw"),
    "authors": ("byline", "authors"),
    "byline_raw": ("byline", "byline_raw"),
    "translators": ("translators",),
    "images": ("images", "image"),
}


# field -> (test, why): records for which the field does not apply.
EXEMPT: dict[str, tuple[Any, str]] = {
    "authors": (
        lambda r: not has_value(r.get("authors")) and has_value(r.get("source_credit")),
        "credited only to a source",
    ),
}


# record type -> fields it never has, so reports leave them out instead of showing "0 %".
# Albums (crawler/pages/album.py): no kicker and no body — the photos are the content; their one
# byline is a "(Translated by …)" note, which names translators, never authors or a source.
NOT_APPLICABLE: dict[str, frozenset[str]] = {
    "album": frozenset({"kicker", "body_text", "body_html", "links", "authors", "source_credit"}),
    # Videos (crawler/pages/video.py): a title, a description, a date, a poster and the media.
    "video": frozenset(
        {"kicker", "body_text", "body_html", "links", "authors", "translators", "source_credit"}
    ),
}


def applies(kind: str, field: str) -> bool:
    """Whether a record of this type (`article`, `album`) can have the field at all."""
    return field not in NOT_APPLICABLE.get(kind, ())


def _names(field: str) -> tuple[str, ...]:
    return ALIASES.get(field, (field,))


def disqualifying_codes(field: str, issues: Iterable[str]) -> list[str]:
    """The issue codes among `issues` that say `field`'s value is missing or a stand-in."""
    found = []
    for code in issues:
        for name in _names(field):
            if code in (f"no_{name}", f"{name}_fallback") or code.startswith(f"{name}_from_"):
                found.append(code)
                break
    return found


def has_value(value: Any) -> bool:
    if value is None:
        return False
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, (list, tuple, dict, set)):
        return bool(value)
    return True


def field_state(record: Mapping[str, Any], field: str) -> str:
    """`present`, `fallback` (a value flagged as a stand-in), `exempt` or `missing`."""
    if not has_value(record.get(field)):
        exempt = EXEMPT.get(field)
        return "exempt" if exempt and exempt[0](record) else "missing"
    if disqualifying_codes(field, record.get("quality_issues") or ()):
        return "fallback"
    return "present"


def record_counts(record: Mapping[str, Any]) -> Counter[str]:
    """The coverage stats one written record adds."""
    kind = record.get("type") or "article"
    out: Counter[str] = Counter({f"{PREFIX}{kind}/records": 1})
    for field in FIELDS:
        state = field_state(record, field)
        if state != "missing":
            out[f"{PREFIX}{kind}/{state}/{field}"] += 1
    return out


def count(stats: Any, record: Mapping[str, Any]) -> None:
    """Count one written record into the crawl's stats (a StatsCollector or a plain dict)."""
    for key, n in record_counts(record).items():
        if hasattr(stats, "inc_value"):
            stats.inc_value(key, n)
        else:
            stats[key] = stats.get(key, 0) + n


def recount(paths: Iterable[Path]) -> dict[str, int]:
    """Coverage and written counts from JSON Lines files (a resumed run's own files).

    Returns `coverage/...` keys plus `records/written/<edition>` and `records/written/<type>`, the
    keys the RecordPipeline counts, so the result can replace a crashed process's lost counters.
    """
    total: Counter[str] = Counter()
    for path in paths:
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                if not line.strip():
                    continue
                record = json.loads(line)
                total.update(record_counts(record))
                total[f"records/written/{record.get('edition')}"] += 1
                total[f"records/written/{record.get('type')}"] += 1
    return dict(total)


def from_stats(stats: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """{type: {records, fields: {field: {present, fallback, exempt, share}}}} per type counted.

    `share` is present / (records - exempt), rounded (0.0 when there is no such record); gates
    divide the counts themselves.
    """
    kinds = sorted(
        key[len(PREFIX) : -len("/records")]
        for key in stats
        if key.startswith(PREFIX) and key.endswith("/records") and key.count("/") == 2
    )
    out: dict[str, dict[str, Any]] = {}
    for kind in kinds:
        records = int(stats.get(f"{PREFIX}{kind}/records", 0))
        fields = {}
        for field in FIELDS:
            present = int(stats.get(f"{PREFIX}{kind}/present/{field}", 0))
            fallback = int(stats.get(f"{PREFIX}{kind}/fallback/{field}", 0))
            exempt = int(stats.get(f"{PREFIX}{kind}/exempt/{field}", 0))
            applicable = records - exempt
            fields[field] = {
                "present": present,
                "fallback": fallback,
                "exempt": exempt,
                "share": round(present / applicable, 4) if applicable > 0 else 0.0,
            }
        out[kind] = {"records": records, "fields": fields}
    return out
