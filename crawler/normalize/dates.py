"""Publication dates: the page's date string -> ISO 8601 in Vietnam time (+07:00).

Regexes rather than dateparser: the site prints one format (``20/01/2022 - 18:20``), which takes a
fast path, and dateparser both guesses month-first and runs at ~900 parses/s (docs/pitfalls).
Numeric dates are always read day-first. A string whose parts cannot form a real calendar date or
clock time gives no value (reason ``impossible_date``) -- a missing date is better than a wrong one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from typing import Literal

from crawler.normalize.text import clean_text

__all__ = ["PORTAL_FIRST_DAY", "ParsedDate", "VIETNAM_TZ", "out_of_range", "parse_published"]

# Vietnam has kept UTC+07:00 without DST since 1975, so a fixed offset is exact for every date
# this archive can hold, and cheaper than zoneinfo.
VIETNAM_TZ = timezone(timedelta(hours=7))

Precision = Literal["minute", "day"]

# The portal's life: nothing it published predates 2000 (the oldest ids seen are from 2015,
# docs/site.md), and nothing can be published after the crawl's "now"; a day of grace covers clocks
# and time zones. A date outside is kept (it is what the page says) but flagged.
PORTAL_FIRST_DAY = datetime(2000, 1, 1, tzinfo=VIETNAM_TZ)
FUTURE_GRACE = timedelta(days=1)


@dataclass(frozen=True)
class ParsedDate:
    """Result of parsing one ``published_raw`` string."""

    value: str | None
    """ISO 8601 ``YYYY-MM-DDTHH:MM:SS+07:00``, or None when no date could be read."""
    precision: Precision | None
    """``minute`` when the string gives a time of day, ``day`` when it gives only a date."""
    reason: str | None
    """Why ``value`` is None: ``empty``, ``unparseable`` or ``impossible_date``; else None."""


_EMPTY = ParsedDate(None, None, "empty")
_UNPARSEABLE = ParsedDate(None, None, "unparseable")
_IMPOSSIBLE = ParsedDate(None, None, "impossible_date")

_MAX_LEN = 200

# The site's own format, matched before any cleaning.
_FAST_RE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4}) - (\d{1,2}):(\d{2})")

_MONTHS = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
_MONTH_NAME = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)

# Weekday names contain digits in Vietnamese ("Thứ 2"), which would defeat the digit-free label
# rule below, so they are removed first. English weekdays are plain words and need no special case
# but are removed too, for symmetry.
_WEEKDAY_RE = re.compile(
    r"\b(?:th[ứu]\s*(?:[2-7]|hai|ba|t[ưu]|n[ăa]m|s[áa]u|b[ảa]y)|ch[ủu]\s*nh[ậa]t|cn|t[2-7]"
    r"|(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?)\b\.?",
)

# A leading label ("Cập nhật:", "Ngày đăng:", "Posted:", "ngày") may be any text without digits.
_LABEL = r"(?P<label>[^\d]*?)"

_TIME_TEMPLATE = (
    r"(?P<H{n}>\d{{1,2}})\s*[:h]\s*(?P<M{n}>\d{{2}})(?:\s*:\s*(?P<S{n}>\d{{2}}))?"
    r"(?:\s*(?P<ampm{n}>sa|ch|am|pm|a\.m\.|p\.m\.)(?![a-z]))?"
)
_TIME_BEFORE = _TIME_TEMPLATE.format(n=1)
_TIME_AFTER = _TIME_TEMPLATE.format(n=2)
# Between the date and the time: spaces, commas, dashes, pipes, "lúc"/"at"/"T" (ISO-ish), and
# "ngày" when the time comes first ("18:20 ngày 20/01/2022").
_GAP = r"(?:[\s,\-\u2013\u2014|@]|l[úu]c\b|v[àa]o\b|ng[àa]y\b|at\b)*"
# A trailing zone marker such as "GMT+7" or "(UTC+07:00)".
_ZONE = r"(?:\s*\(?\s*(?:gmt|utc)\s*(?P<zone>[+-]\d{1,2}(?::?\d{2})?)?\s*\)?)?"
_END = r"[\s.,;)\]]*"

_DATE_FORMS = (
    # Numeric, day first; one separator used twice: 20/01/2022, 20-1-2022, 20.01.2022.
    r"(?P<d>\d{1,2})\s*(?P<sep>[/.\-])\s*(?P<m>\d{1,2})\s*(?P=sep)\s*(?P<y>\d{4})",
    # Year first (unambiguous: nobody writes year-day-month): 2022/01/20.
    r"(?P<y>\d{4})(?P<sep>[/.\-])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})",
    # Vietnamese words: "20 tháng 1 năm 2022", "ngày 20 tháng 01, 2022".
    r"(?P<d>\d{1,2})\s+th[áa]ng\s+(?P<m>\d{1,2})\s*(?:,|n[ăa]m)?\s*(?P<y>\d{4})",
    # English month first: "January 20, 2022", "Jan. 20th 2022".
    rf"(?P<mon>{_MONTH_NAME})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s*,?\s*(?P<y>\d{{4}})",
    # English day first: "20 January 2022", "20th of Jan, 2022".
    rf"(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<mon>{_MONTH_NAME})\.?\s*,?\s*(?P<y>\d{{4}})",
)

_FORM_RES = tuple(
    re.compile(
        rf"{_LABEL}(?:{_TIME_BEFORE}{_GAP})?(?:{form})(?:{_GAP}{_TIME_AFTER})?{_ZONE}{_END}",
    )
    for form in _DATE_FORMS
)

# ISO 8601 / RFC 3339 as found in metadata; the zone applies only with a time.
_ISO_RE = re.compile(
    _LABEL + r"(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})"
    r"(?:[t ](?P<H>\d{2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:[.,]\d+)?)?"
    r"\s*(?P<zone>z|[+-]\d{2}(?::?\d{2})?)?)?" + _END
)


def _result(dt: datetime, has_time: bool) -> ParsedDate:
    local = dt.astimezone(VIETNAM_TZ)
    return ParsedDate(
        # (isoformat runs in C; strftime parses its format on every call)
        local.replace(tzinfo=None).isoformat(timespec="seconds") + "+07:00",
        "minute" if has_time else "day",
        None,
    )


def _offset(zone: str | None) -> timezone | None:
    """A ``timezone`` for ``Z``, ``+07``, ``+0700``, ``+07:00``, ``-5``; None for no zone."""
    if not zone:
        return None
    if zone == "z":
        return UTC
    sign = -1 if zone[0] == "-" else 1
    digits = zone[1:].replace(":", "")
    if len(digits) <= 2:
        hours, minutes = int(digits), 0
    else:
        hours, minutes = int(digits[:-2]), int(digits[-2:])
    if hours > 14 or minutes > 59:
        raise ValueError(f"bad offset {zone}")
    return timezone(sign * timedelta(hours=hours, minutes=minutes))


def _hour_24(hour: int, ampm: str | None) -> int:
    """Apply SA/CH (sáng/chiều) or AM/PM; raises ValueError on a contradiction like 13:00 SA."""
    if ampm is None:
        return hour
    pm = ampm[0] in "cp"  # "ch", "pm", "p.m."
    if 1 <= hour <= 12:
        if hour == 12:
            return 12 if pm else 0
        return hour + 12 if pm else hour
    # "13:00 CH" is a 24-hour clock with a redundant marker; "0:30 SA" likewise.
    if hour == 0 and not pm:
        return 0
    if 13 <= hour <= 23 and pm:
        return hour
    raise ValueError(f"hour {hour} contradicts {ampm}")


def _build(
    year: str,
    month: int,
    day: str,
    hour: str | None,
    minute: str | None,
    second: str | None,
    ampm: str | None,
    zone: str | None,
) -> ParsedDate:
    try:
        has_time = hour is not None
        h = _hour_24(int(hour), ampm) if hour is not None else 0
        dt = datetime(
            int(year),
            month,
            int(day),
            h,
            int(minute) if minute is not None else 0,
            int(second) if second is not None else 0,
            tzinfo=(_offset(zone) if has_time else None) or VIETNAM_TZ,
        )
    except ValueError:
        return _IMPOSSIBLE
    return _result(dt, has_time)


def parse_published(raw: str | None) -> ParsedDate:
    """Parse a publication date string shown on (or in the metadata of) a page.

    Accepted: ``DD/MM/YYYY - HH:MM`` (the site's format, fast path) and other day-first numeric
    dates with ``/``, ``-`` or ``.``; times ``HH:MM``, ``HH:MM:SS`` or ``HHhMM`` before or after
    the date with optional SA/CH/AM/PM; Vietnamese ``20 tháng 1 năm 2022``; English month names;
    ISO 8601 with ``Z``, an offset or none; leading labels without digits (``Cập nhật:``,
    ``Posted:``) and weekday names (``Thứ 2,``, ``Monday,``). Naive values are Vietnam local time;
    zoned values are converted to +07:00. Seconds are kept when given.
    """
    if raw is None:
        return _EMPTY
    stripped = raw.strip()
    fast = _FAST_RE.fullmatch(stripped)
    if fast is not None:
        d, m, y, hh, mm = fast.groups()
        return _build(y, int(m), d, hh, mm, None, None, None)

    # Entities, NBSP, zero-width characters and NFD all occur in scraped date lines; the
    # display-field rule removes them (NFC matters: "tháng" in NFD would not match).
    cleaned = clean_text(stripped)
    if cleaned is None:
        return _EMPTY
    if len(cleaned) > _MAX_LEN:
        # A paragraph picked up by mistake, not a date line; also bounds regex backtracking.
        return _UNPARSEABLE
    s = cleaned.lower()

    iso = _ISO_RE.fullmatch(s)
    if iso is not None:
        g = iso.groupdict()
        return _build(g["y"], int(g["m"]), g["d"], g["H"], g["M"], g["S"], None, g["zone"])

    s = _WEEKDAY_RE.sub(" ", s)
    for form_re in _FORM_RES:
        match = form_re.fullmatch(s)
        if match is None:
            continue
        g = match.groupdict()
        if g["H1"] is not None and g["H2"] is not None:
            # Two times around one date: which is the publication time is a guess.
            return _UNPARSEABLE
        n = "1" if g["H1"] is not None else "2"
        mon = g.get("mon")
        month = _MONTHS[mon[:3]] if mon else int(g["m"])
        day, ampm = g["d"], g[f"ampm{n}"]
        if month > 12 >= int(day) and g.get("sep") == "/" and ampm and ampm[0] in "ap":
            # `2/15/2023 3:05:00 PM`: ASP.NET's US culture, month first (no 15th month); with
            # anything else numbers stay day first (docs/site.md).
            day, month = str(month), int(day)
        return _build(g["y"], month, day, g[f"H{n}"], g[f"M{n}"], g[f"S{n}"], ampm, g["zone"])
    return _UNPARSEABLE


def out_of_range(published_at: str | None, now: datetime) -> bool:
    """True when ``published_at`` (ISO 8601, as parse_published gives it) lies before
    PORTAL_FIRST_DAY or more than FUTURE_GRACE after ``now`` (aware); False without a date."""
    if not published_at:
        return False
    try:
        when = datetime.fromisoformat(published_at)
    except ValueError:
        return False
    if when.tzinfo is None:
        when = when.replace(tzinfo=VIETNAM_TZ)
    return when < PORTAL_FIRST_DAY or when > now + FUTURE_GRACE
