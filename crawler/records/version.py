"""Content versions (docs/contract.md "Change tracking"): one record per content version of an id,
and of two fetches of one id in a run, the one to keep."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def home_edition(record: Mapping[str, Any]) -> str:
    """The edition whose host the item belongs to, from its canonical URL."""
    return "en" if "//news." in (record.get("canonical_url") or "") else "vi"


def prefer(new: Mapping[str, Any], old: Mapping[str, Any]) -> bool:
    """Of two fetches of one id (each with `_fetch.edition`, the fetching host's edition), keep the
    one from the host of its own edition (its chrome matches its content language), else the first."""
    home = home_edition(new)
    return new["_fetch"]["edition"] == home and old["_fetch"]["edition"] != home


def unchanged(record: Mapping[str, Any], previous: Mapping[str, Any] | None) -> bool:
    """The id is archived live with this very content: no new version."""
    return (
        previous is not None
        and previous["status"] == "live"
        and previous["content_hash"] == record["content_hash"]
    )


def versioned(
    record: dict[str, Any],
    previous: Mapping[str, Any] | None,
    now: str,
    run_id: str,
    schema_version: str,
) -> dict[str, Any]:
    """`record` as the next version of its id: version, first_seen (kept from the first version),
    last_seen, run_id and schema_version set."""
    record["version"] = (previous["version"] if previous else 0) + 1
    record["first_seen"] = previous["first_seen"] if previous else now
    record["last_seen"] = now
    record["run_id"] = run_id
    record["schema_version"] = schema_version
    return record
