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
    "find_date",
    "is_site_name",
    "slugify",
    "strip_site_name",
]


def collapse(s: str | None) -> str:
    """Whitespace collapsed to single spaces and trimmed (Python's \\s includes NBSP)."""
    return " ".join(s.split()) if s else ""


def block_text(el: Element) -> str:
    """Visible text of an element with `<br>` read as a space, whitespace collapsed.

    `text_content()` would glue the words on either side of a `<br>` together.
    """
    if not len(el):  # childless: its own text, nothing to look for
        return collapse(el.text)
    if not has_tag(el, "br"):
        return collapse(text_of(el))
    parts: list[str] = []
    for event, node in etree.iterwalk(el, events=("start", "end")):
        if event == "start":
            if node.tag == "br":
                parts.append(" ")
            elif node.text and isinstance(node.tag, str):
                parts.append(node.text)
        elif node is not el and node.tail:
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
# Dates as the portal prints them: `20/01/2022 - 18:20` (docs/site.md); a time may also come first or
# be missing. Only slash dates: the site's one documented format, and cheap to pre-filter.

DATE_RE = re.compile(
    r"(?<![\d/])(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>(?:19|20)\d\d)(?![\d/])"
    r"(?:\s*(?:[-–|,]|lúc|at)?\s*(?P<H>\d{1,2})\s*[:h]\s*(?P<M>\d\d)(?!\d)"
    r"(?:\s*(?:SA|CH|AM|PM|am|pm)(?![A-Za-z]))?)?"
)
TIME_FIRST_RE = re.compile(
    r"(?<![\d:])(?P<H>\d{1,2}):(?P<M>\d\d)(?:\s*(?:SA|CH|AM|PM|am|pm))?\s*(?:[-–|,]|ngày)?\s*"
    r"(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>(?:19|20)\d\d)(?![\d/])"
)


# Same groups as DATE_RE; H and M can never match, so they read as None (no time).
_DATE_ONLY_RE = re.compile(
    r"(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>(?:19|20)\d\d)(?P<H>(?!))?(?P<M>(?!))?"
)


def _plausible_day(m: re.Match[str]) -> bool:
    return 1 <= int(m["d"]) <= 31 and 1 <= int(m["m"]) <= 12


def _plausible_time(m: re.Match[str]) -> bool:
    return m["H"] is None or (int(m["H"]) <= 23 and int(m["M"]) <= 59)


def find_date(text: str) -> re.Match[str] | None:
    """The first plausible date(-time) in `text` (a time-first form when it starts earlier).
    A date followed by an impossible time is still a date (the time is dropped)."""
    best: re.Match[str] | None = None
    for rx in (TIME_FIRST_RE, DATE_RE):
        for found in rx.finditer(text):
            if not _plausible_day(found):
                continue
            m = found
            if not _plausible_time(found):
                if rx is TIME_FIRST_RE:
                    continue
                m = _DATE_ONLY_RE.match(text, found.start())
                assert m is not None
            if best is None or m.start() < best.start():
                best = m
            break
    return best
