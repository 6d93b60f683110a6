"""The Retry-After header (RFC 9110 10.2.3): how long the host policy (crawler/politeness/hosts.py)
pauses a host that answered 429 or 503."""

from __future__ import annotations

import math
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime


def parse_retry_after(value: bytes | str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After value (delay-seconds or HTTP-date, RFC 9110 10.2.3).

    None when absent or unparseable; a date in the past gives 0.
    """
    if value is None:
        return None
    if isinstance(value, bytes):
        value = value.decode("latin-1")
    value = value.strip()
    if not value:
        return None
    try:
        seconds = float(value)  # the RFC says digits; be lenient with "2.5"
    except ValueError:
        pass
    else:
        return max(0.0, seconds) if not math.isnan(seconds) and seconds != math.inf else None
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())
