"""Text as the page shows it: whitespace collapsed, `<br>` read as a space, the portal's URL slug of
a title, its site name around titles, and dates as the portal prints them."""

from __future__ import annotations

import re
import unicodedata

from lxml import etree

from crawler.pages.parsing import Element, has_tag, text_of

__all__ = [
    "DATE_RE",
    "TIME_FIRST_RE",
    "block_text",
    "collapse",
    "date_key",
    "find_date",
    "is_site_name",
    "slugify",
    "strip_site_name",
]


def collapse(s: str | None) -> str:
    """Whitespace collapsed to single spaces and trimmed (Python's \\s includes NBSP)."""
    return " ".join(s.split()) if s else ""


def block_text(el: Element, apart: tuple[str, ...] = ()) -> str:
    """Visible text of an element with `<br>` read as a space, whitespace collapsed; the edges of
    the elements named in `apart` separate words too (a caption's `<cite>` credit, its `<p>`).

    `text_content()` would glue the words on either side of a `<br>` together.
    """
    if not len(el):  # childless: its own text, nothing to look for
        return collapse(el.text)
    if not any(has_tag(el, t) for t in ("br", *apart)):
        return collapse(text_of(el))
    parts: list[str] = []
    for event, node in etree.iterwalk(el, events=("start", "end")):
        if event == "start":
            if node.tag == "br" or (node.tag in apart and node is not el):
                parts.append(" ")
            if node.text and isinstance(node.tag, str):
                parts.append(node.text)
        elif node is not el:
            if node.tag in apart:
                parts.append(" ")
            if node.tail:
                parts.append(node.tail)
    return collapse("".join(parts))


def _fold_table() -> dict[int, str | None]:
    """Latin letters with diacritics -> their ASCII base letter; combining marks -> removed.
    Built once: str.translate is an order of magnitude faster than NFD + a per-character loop."""
    table: dict[int, str | None] = {ord("đ"): "d", ord("Đ"): "D"}
    for cp in (*range(0xC0, 0x250), *range(0x1E00, 0x1F00)):
        base = unicodedata.normalize("NFD", chr(cp))[0]
        if base != chr(cp) and base.isascii():
            table[cp] = base
    for cp in range(0x300, 0x370):
        table[cp] = None
    return table


_FOLD = _fold_table()


def slugify(s: str) -> str:
    """The portal's URL slug of a title: lower-case, diacritics stripped, đ→d, hyphenated."""
    return _SLUG_SEP_RE.sub("-", s.translate(_FOLD).lower()).strip("-")


_SLUG_SEP_RE = re.compile(r"[^a-z0-9]+")

# "Title - Báo Long An", "Title | Baolongan", "Báo Long An - Title", "Title - Long An News" ...
# "Long An" alone is the province (a kicker, a section), not the site's name.
_SITE_NAME_SLUG_RE = re.compile(
    r"^bao-?long-?an(?:-(?:online|news|dien-tu|newspaper))?$"
    r"|^long-?an-(?:online|news|newspaper)$|^baolongan(?:-vn)?$"
)
_TITLE_SEP_RE = re.compile(r"\s+[-–—|:•»]+\s+|\s*\|\s*")


def is_site_name(s: str) -> bool:
    return bool(_SITE_NAME_SLUG_RE.match(slugify(s)))


def strip_site_name(s: str | None) -> str:
    """`og:title`/`<title>` without the portal's name before or after a separator."""
    s = collapse(s)
    if not s:
        return ""
    parts = _TITLE_SEP_RE.split(s)
    if len(parts) > 1:
        if is_site_name(parts[-1]):
            return collapse(s[: s.rfind(parts[-1])].rstrip(" -–—|:•»"))
        if is_site_name(parts[0]):
            return collapse(s[len(parts[0]) :].lstrip(" -–—|:•»"))
    return "" if is_site_name(s) else s


# --------------------------------------------------------------------------------------------
# Dates as pages print them. The portal prints `20/01/2022 - 18:20` (docs/site.md); other chromes
# print the time first, a weekday, dashes or dots, words ("13 tháng 6 năm 2025") or English month
# names ("June 13, 2025 2:32 PM"). The page layer only finds where a date is and whether it has a
# time: crawler/normalize/dates.py reads the string it finds. Numbers are always day first.

_MONTH_NUMBERS = {
    m: i
    for i, m in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1
    )
}
_MONTH = (
    r"(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)(?![a-z])\.?"
)
_YEAR = r"(?P<y>(?:19|20)\d\d)(?!\d)"
_NUMERIC = (
    r"(?<![\d/.\-])(?P<d>\d{1,2})(?P<sep>[/.\-])(?P<m>\d{1,2})(?P=sep)" + _YEAR + r"(?![/]|[.\-]\d)"
)
_FORMS = (
    _NUMERIC,
    r"(?<!\d)(?P<d>\d{1,2})\s+tháng\s+(?P<m>\d{1,2})\s*(?:,|năm)?\s*" + _YEAR,
    r"(?<![a-z])" + _MONTH + r"\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?\s*,?\s*" + _YEAR,
    r"(?<!\d)(?P<d>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MONTH + r"\s*,?\s*" + _YEAR,
)
_TIME = (
    r"(?P<H>\d{1,2})\s*[:h]\s*(?P<M>\d\d)(?::\d\d)?(?!\d)"
    r"(?:\s*(?P<ap>sa|ch|am|pm|a\.m\.|p\.m\.)(?![a-z]))?"
)
_WEEKDAY = (
    r"(?:thứ\s*(?:hai|ba|tư|năm|sáu|bảy|[2-7])|chủ\s*nhật"
    r"|(?:mon|tues|wednes|thurs|fri|satur|sun)day)"
)
# H and M can never match: a date-only form reads them as None.
_NO_TIME = r"(?P<H>(?!))?(?P<M>(?!))?"


def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.I)


# Each form with the time after it (the portal's order) and alone (when that time is impossible).
_DATE_FORMS = tuple(
    (
        _compiled(form + r"(?:\s*(?:[-–|,]|lúc|at)?\s*" + _TIME + ")?"),
        _compiled(form + _NO_TIME),
    )
    for form in _FORMS
)
# The time first: "18:20 - 20/01/2022", "18:20 ngày 20/01/2022", "14:32, Thứ Sáu 13/6/2025".
_TIME_FIRST = tuple(
    _compiled(
        r"(?<![\d:])" + _TIME + r"\s*(?:[-–|,]|ngày)?\s*(?:" + _WEEKDAY + r"\s*,?\s*)?"
        r"(?:ngày\s*)?" + form
    )
    for form in _FORMS
)
WEEKDAY_RE = _compiled(r"(?<!\w)" + _WEEKDAY + r"(?!\w)")
"""A weekday name, Vietnamese or English: `Thứ Năm`, `Thứ 5`, `Chủ nhật`, `Thursday`."""
DATE_RE = _DATE_FORMS[0][0]
"""The portal's own form (numeric, time after): `20/01/2022 - 18:20`."""
TIME_FIRST_RE = _TIME_FIRST[0]


def date_key(m: re.Match[str]) -> tuple[int, int, int]:
    """(year, month, day) of a date `find_date` found."""
    mon = m["mon"] if "mon" in m.re.groupindex else None
    if mon:
        return int(m["y"]), _MONTH_NUMBERS[mon[:3].lower()], int(m["d"])
    day, month = int(m["d"]), int(m["m"])
    if month > 12 >= day and us_clock(m.group(0), m["sep"] if "sep" in m.re.groupindex else ""):
        day, month = month, day
    return int(m["y"]), month, day


_US_CLOCK_RE = re.compile(r"\d:\d\d\s*[ap]\.?m\b", re.I)


def us_clock(text: str, sep: str) -> bool:
    """`2/15/2023 3:05:00 PM`: slashes and an English AM/PM clock, as ASP.NET prints a date in its
    US culture. Such a date reads month first when day first is impossible (a 15th month);
    everywhere else numbers are day first (docs/site.md)."""
    return sep == "/" and bool(_US_CLOCK_RE.search(text))


def _plausible_day(m: re.Match[str]) -> bool:
    _, month, day = date_key(m)
    return 1 <= day <= 31 and 1 <= month <= 12


def _plausible_time(m: re.Match[str]) -> bool:
    return m["H"] is None or (int(m["H"]) <= 23 and int(m["M"]) <= 59)


def find_date(text: str) -> re.Match[str] | None:
    """The first plausible date(-time) in `text`, in any form above (a time-first form when it
    starts earlier). A date followed by an impossible time is still a date (the time is
    dropped). Groups: d, y, m or mon, and H, M (None without a time)."""
    best: re.Match[str] | None = None
    for rx in _TIME_FIRST:
        for found in rx.finditer(text):
            if _plausible_day(found) and _plausible_time(found):
                if best is None or found.start() < best.start():
                    best = found
                break
    for rx, alone in _DATE_FORMS:
        for found in rx.finditer(text):
            if not _plausible_day(found):
                continue
            m = found if _plausible_time(found) else alone.match(text, found.start())
            assert m is not None
            if best is None or m.start() < best.start():
                best = m
            break
    return best
