"""Publication date as shown: the date-time text nearest the title in the article's header.

Rules, in order: `class-date` / `near-title` (a date text nearest the title, in any form
crawler/pages/text.py finds (`DD/MM/YYYY - HH:MM` on the portal), not
in chrome boxes, not in the body, not behind the site menu, not the site clock; `:day` when no
time is shown), then `meta:article:published_time`, `jsonld:datePublished`, `meta:date`,
`time[datetime]`.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from datetime import datetime, timedelta

from lxml import etree

from crawler.editions import article_id
from crawler.pages.article.page import (
    FAR,
    LEAD_HINT_RE,
    Anchors,
    ArticlePage,
    Found,
    bold_only,
    title_anchor,
)
from crawler.pages.common import (
    SIDE_HINT_RE,
    WEEKDAY_RE,
    Element,
    collapse,
    date_key,
    find_date,
    hints,
    text_of,
)
from crawler.pages.parsing import text_len

__all__ = ["body_start", "find_published", "meta_date"]

# Only text nodes that can hold a year ("19..", "20.."): the others are never date candidates,
# and each node the XPath returns costs a Python string with a parent reference.
_YEAR_TEXT_XPATH = etree.XPath(
    "/html/body/descendant::text()[contains(., '20') or contains(., '19')]"
)
_YEAR_RE = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
_DATE_HINT_RE = re.compile(r"date|time|pubdate|publish|ngay|thoi-?gian|posted")
# The site header's clock ("Thứ Hai, 24/11/2025"): article dates carry no weekday (docs/site.md).
# Not "clock": date lines often start with a clock icon.
_CLOCK_HINT_RE = re.compile(r"today|current-?date|hom-?nay|homnay|weather|(?<![a-z])now(?![a-z])")
_MENU_HINT_RE = re.compile(r"(?<![a-z])(?:menu|nav|navbar|navigation)(?![a-z])")
_ISO_RE = re.compile(
    r"^\s*(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::\d{2}(?:\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?)?"
)


def find_published(pg: ArticlePage, at: Anchors) -> Found:
    found = _visible_date(pg, at)
    if found.value is None:
        return meta_date(pg, at)
    if found.strategy.endswith(":day"):
        return _with_time(pg, at, found)
    return found


def _with_time(pg: ArticlePage, at: Anchors, shown: Found) -> Found:
    """A day shown without its time (`<time datetime="2025-05-20T07:30:12+07:00">20/05/2025
    </time>`, WordPress themes): the same day with its time in the element's `datetime` or in the
    page's metadata is the more precise value of the same date, and wins."""
    m = find_date(shown.value or "")
    if m is None:
        return shown
    el = shown.el
    timed = (
        [t for t in (el, *el.iterdescendants("time")) if t.get("datetime")]
        if el is not None
        else []
    )
    for found in (
        *(Found(t.get("datetime", "").strip(), "time[datetime]") for t in timed),
        meta_date(pg, at),
    ):
        day = _iso_day(found.value)
        if day is not None and day[1] and day[0] == date_key(m):
            return Found(found.value, found.strategy, el)  # (the element shown stays the anchor)
    return shown


def _visible_date(pg: ArticlePage, at: Anchors) -> Found:
    """The date-time text nearest the title, outside chrome boxes, the site header and the body."""
    anchor = title_anchor(pg, at)
    if anchor < 0:
        return Found()
    own = article_id(pg.url)
    body_at = body_start(pg, at)
    menus: list[int] | None = None  # looked up only for a candidate above the title
    meta_day = _meta_day(pg, at)
    best: tuple[float, str, str, Element] | None = None
    for t in _YEAR_TEXT_XPATH(pg.root):
        if _YEAR_RE.search(t) is None:
            continue  # "20.000 đồng", "ngày 15/3": most such numbers are not years
        owner = t.getparent()
        if owner is not None and t.is_tail:
            # text after an icon (`<i class="icon-clock"></i> 20/01/2022`) is the parent's
            owner = owner.getparent()
        if owner is None:
            continue
        pos = pg.idx(owner)
        dist = abs(pos - anchor)
        if dist > 80 or pos > body_at:
            continue
        m = find_date(t)
        if m is None:
            continue
        line = collapse(text_of(owner))
        if len(line) > 120 or _not_the_articles(owner, at, own):
            continue
        if pos < anchor and menus is None:
            menus = _menu_positions(pg, at, anchor)
        if pos < anchor and any(pos < x < anchor for x in menus or ()):
            continue  # the site menu lies between: a date in the page header (today's date)
        near = (owner, *_parents(owner, 2))
        if any(_CLOCK_HINT_RE.search(pg.hint(x)) for x in near):
            continue  # the site's clock ("today", "date-now")
        raw, has_time = _date_raw(m, owner)
        hinted = owner.tag == "time" or any(_DATE_HINT_RE.search(pg.hint(x)) for x in near)
        doubts = _doubts(pg, owner, t, m, not has_time and bool(WEEKDAY_RE.search(line)), meta_day)
        score = dist - 30 * has_time - 30 * hinted + doubts
        if best is None or score < best[0]:
            strategy = ("class-date" if hinted else "near-title") + ("" if has_time else ":day")
            best = (score, raw, strategy, owner)
    if best is None:
        return Found()
    return Found(best[1], best[2], best[3])


def _doubts(
    pg: ArticlePage,
    owner: Element,
    text: str,
    m: re.Match[str],
    weekday_no_time: bool,
    meta_day: tuple[int, int, int] | None,
) -> int:
    """What speaks against a visible date being the publication date (added to its score)."""
    doubt = 0
    # A weekday without a time is the site's clock ("Thứ Hai, 24/11/2025"); with a time it is
    # some chromes' article date ("Thứ Năm, 12/06/2025 | 08:15").
    if weekday_no_time:
        doubt += 100
    if _UPDATED_RE.search(pg.hint(owner)) or _UPDATED_RE.search(text[: m.start()]):
        doubt += 45  # "Cập nhật: 13/06/2025 08:00" beside "Đăng: 12/06/2025 15:48"
    if meta_day is not None and date_key(m) != meta_day:
        doubt += 60  # the page's own metadata dates the article another day
    return doubt


def _meta_day(pg: ArticlePage, at: Anchors) -> tuple[int, int, int] | None:
    """The publication day (Vietnam time) the metadata gives, to cross-check visible dates."""
    day = _iso_day(meta_date(pg, at).value)
    return day[0] if day is not None else None


def _iso_day(value: str | None) -> tuple[tuple[int, int, int], bool] | None:
    """The day (Vietnam time) of an ISO 8601 value, and whether it gives a time."""
    m = _ISO_RE.match(value or "")
    if m is None:
        return None
    try:
        dt = datetime(int(m[1]), int(m[2]), int(m[3]), int(m[4] or 0), int(m[5] or 0))
    except ValueError:
        return None
    zone = m[6]
    if zone:
        sign = -1 if zone.startswith("-") else 1
        off = 0 if zone == "Z" else sign * (int(zone[1:3]) * 60 + int(zone[-2:]))
        dt += timedelta(minutes=7 * 60 - off)
    return (dt.year, dt.month, dt.day), m[4] is not None


def body_start(pg: ArticlePage, at: Anchors) -> int:
    """Position of the first body paragraph after the title (dates after it are the body's)."""
    if at.container is None:
        return FAR
    after = title_anchor(pg, at)
    for p in at.container.iterdescendants("p"):
        pos = pg.idx(p)
        if pos <= after or len(text_of(p).strip()) <= 120:
            continue
        if LEAD_HINT_RE.search(pg.hint(p)) or bold_only(p):
            continue  # a sapo printed inside the container may precede the date line
        return pos
    return FAR


def _menu_positions(pg: ArticlePage, at: Anchors, before: int) -> list[int]:
    """Positions of the site's menus (nav elements, menu-classed lists of section links) that
    stand before `before` (the title: only a menu between a date and the title counts)."""
    out = []
    classed = pg.classed()
    upto = bisect_left(classed, before, key=pg.idx)
    for el in [*pg.tagged("nav"), *classed[:upto]]:
        if el.tag != "nav" and not (
            el.tag in ("ul", "div", "table") and _MENU_HINT_RE.search(pg.hint(el))
        ):
            continue
        if at.title is not None and at.title in el.iterdescendants():
            continue
        out.append(pg.idx(el))
    return out


def _parents(el: Element, n: int) -> list[Element]:
    out = []
    node = el.getparent()
    while node is not None and len(out) < n:
        out.append(node)
        node = node.getparent()
    return out


def _links_elsewhere(block: Element, own: int | None) -> bool:
    """A date next to a link to another article belongs to that article: a list item, or a
    teaser whose date sits beside its link (`<li><a>title</a> <i>(13/06/2025)</i></li>`)."""
    parent = block.getparent()
    near = [block]
    if parent is not None and parent.tag not in ("body", "html") and text_len(parent) <= 200:
        near.append(parent)
    for el in near:
        for a in el.iter("a"):
            aid = article_id(a.get("href") or "")
            if aid is not None and aid != own:
                return True
    return False


def _not_the_articles(owner: Element, at: Anchors, own: int | None) -> bool:
    """A date in a chrome box, beside another article's link, or hidden (`<time class="updated"
    style="display:none">`): not the date the page shows for this article."""
    return _in_chrome(at, owner) or _links_elsewhere(owner, own) or _hidden(owner)


_SHARE_RE = re.compile(r"share|sharing|social")
_UPDATED_RE = re.compile(r"cập nhật|update|modif|sửa|chỉnh", re.I)


def _in_chrome(at: Anchors, owner: Element) -> bool:
    """In a chrome box, except one judged so by its share hint alone: the date line often shares
    its wrapper with the share buttons (`div.block_timer_share`, VnExpress)."""
    if not at.regions.in_chrome(owner):
        return False
    node: Element | None = owner
    while node is not None and node.tag not in ("body", "html"):
        if at.regions.is_box(node):
            h = hints(node)
            if not _SHARE_RE.search(h) or SIDE_HINT_RE.search(_SHARE_RE.sub(" ", h)):
                return True
        node = node.getparent()
    return False


def _hidden(el: Element) -> bool:
    """Hidden by its page (`style="display:none"`, `hidden`), itself or a near wrapper."""
    for x in (el, *_parents(el, 2)):
        if x.get("hidden") is not None:
            return True
        style = x.get("style")
        if style and "none" in style and _DISPLAY_NONE_RE.search(style):
            return True
    return False


_DISPLAY_NONE_RE = re.compile(r"display\s*:\s*none", re.I)


def _date_raw(m: re.Match[str], block: Element) -> tuple[str, bool]:
    """The date string as shown; a time printed in a sibling element (`<span>20/01/2022</span>
    <span>18:20</span>`) is taken from the enclosing line's text."""
    if m["H"] is not None:
        return collapse(m.group(0)), True
    for line in (block, block.getparent()):
        if line is None or line.tag in ("body", "html"):
            break
        text = collapse(text_of(line))
        if len(text) > 120:
            break
        whole = find_date(text)
        if (
            whole is not None
            and whole["H"] is not None
            and whole["d"] == m["d"]
            and whole["y"] == m["y"]
        ):
            return collapse(whole.group(0)), True
    return collapse(m.group(0)), False


def meta_date(pg: ArticlePage, at: Anchors) -> Found:
    m = pg.meta
    v = m.get("article:published_time")
    if v:
        return Found(v.strip(), "meta:article:published_time")
    v = m.ld("datePublished")
    if v:
        return Found(v, "jsonld:datePublished")
    v = m.get("datepublished", "pubdate", "publishdate", "date", "dc.date.issued")
    if v:
        return Found(v.strip(), "meta:date")
    for t in pg.root.iter("time"):
        if t.get("datetime") and not at.regions.in_chrome(t):
            return Found(t.get("datetime").strip(), "time[datetime]")
    return Found()
