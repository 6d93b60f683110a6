"""The wall clock as the crawler writes it: UTC, whole seconds, ISO 8601 with a `Z`."""

from __future__ import annotations

from datetime import UTC, datetime


def utcnow_iso() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
