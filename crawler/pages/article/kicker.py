"""Kicker: the short line above the title (a place, a person's title).

Rules, in order: `class-kicker` (a kicker-classed line just above the title), `above-title` (the
short line right above it), `class-kicker:no-title`; never a date, a link, a menu label, the
language switch or the site name.
"""

from __future__ import annotations

import re

from crawler.editions import TOP_SECTIONS, article_id
from crawler.pages.article.page import KICKER_HINT_RE, Anchors, ArticlePage, Found
from crawler.pages.common import (
    HEADINGS,
    SIDE_HINT_RE,
    Element,
    collapse,
    find_date,
    is_site_name,
    slugify,
    text_of,
)
from crawler.pages.parsing import has_tag

__all__ = ["find_kicker"]

_LANG_SWITCH_RE = re.compile(r"tiếng việt|vietnamese|english", re.I)
_REFUSED_TAGS = frozenset(("a", "img", "nav", "ul", "ol", "form", "input", "button", "select"))


def find_kicker(pg: ArticlePage, at: Anchors) -> Found:
    el, strategy = _kicker(pg, at)
    return Found(pg.text(el), strategy, el) if el is not None else Found()


def _kicker(pg: ArticlePage, at: Anchors) -> tuple[Element | None, str]:
    t = at.title
    if t is None:
        return _kicker_without_title(pg, at)
    # A kicker-classed element just above the title (or wrapping it with the title).
    start = pg.idx(t)
    for el in _preceding(t, 6):
        if KICKER_HINT_RE.search(pg.hint(el)) and _kicker_ok(pg, at, el, hinted=True):
            return el, "class-kicker"
    for el in t.iterchildren():
        if KICKER_HINT_RE.search(pg.hint(el)) and _kicker_ok(pg, at, el):
            return None, ""  # inside the title: the title text already includes it
    # The non-empty sibling right before the title (or before the title's own wrapper).
    node = t
    for _ in range(3):
        prev = _prev_nonempty(node)
        if prev is not None:
            if pg.idx(prev) < start and _kicker_ok(pg, at, prev):
                return prev, "above-title"
            return None, ""
        parent = node.getparent()
        if parent is None or collapse(text_of(parent)) != collapse(text_of(node)):
            return None, ""
        node = parent
    return None, ""


def _kicker_without_title(pg: ArticlePage, at: Anchors) -> tuple[Element | None, str]:
    """No title element to stand above: a kicker-classed line shortly before the body."""
    if at.container is None:
        return None, ""
    body_at = pg.idx(at.container)
    for el in reversed(pg.classed()):
        pos = pg.idx(el)
        if pos >= body_at or pos < body_at - 12:
            continue
        if KICKER_HINT_RE.search(pg.hint(el)) and _kicker_ok(pg, at, el, hinted=True):
            return el, "class-kicker:no-title"
    return None, ""


def _preceding(el: Element, n: int) -> list[Element]:
    out: list[Element] = []
    for p in el.itersiblings(preceding=True):
        out.append(p)
        out.extend(p.iterdescendants())
        if len(out) >= n:
            break
    parent = el.getparent()
    if parent is not None and len(out) < n:
        out.extend(x for x in parent.itersiblings(preceding=True))
    return out[:n]


def _prev_nonempty(el: Element) -> Element | None:
    if (el.getparent() is not None) and _prev_text_is_loose(el):
        return None
    for p in el.itersiblings(preceding=True):
        if not isinstance(p.tag, str):
            continue
        if collapse(text_of(p)) or has_tag(p, "img"):
            return p
        if p.tail and p.tail.strip():
            return None
    return None


def _prev_text_is_loose(el: Element) -> bool:
    """Loose text right before the element (not in an element) is not a kicker we can name."""
    prev = el.getprevious()
    if prev is not None:
        return bool(prev.tail and prev.tail.strip())
    parent = el.getparent()
    return bool(parent is not None and parent.text and parent.text.strip())


def _series_link(pg: ArticlePage, el: Element, text: str) -> bool:
    """A kicker-classed line that links to its series' page (`p.entry-subtitle > a`, WordPress):
    a kicker still, unless the link is to an article, or the line is a category: a top-level
    section, or a label linked elsewhere on the page too (the menu)."""
    links = list(el.iter("a"))
    if len(links) != 1 or article_id(links[0].get("href") or "") is not None:
        return False
    slug = slugify(text)
    if slug in TOP_SECTIONS:
        return False
    return not any(
        a is not links[0] and slugify(collapse(text_of(a))) == slug for a in pg.root.iter("a")
    )


def _date_line(text: str) -> bool:
    """A date line, not a kicker that names a day ("Kỷ niệm 50 năm Ngày Giải phóng miền Nam (30/4/1975
    - 30/4/2025)"): a date with a clock time, or a date with few words beside it."""
    m = find_date(text)
    if m is None:
        return False
    if m.group("H") is not None:
        return True
    return sum(c.isalpha() for c in text[: m.start()] + text[m.end() :]) < _KICKER_WORDS


_KICKER_WORDS = 25  # letters beside the date: "Thứ Năm, ngày" is a date line's, a kicker has more


def _kicker_ok(pg: ArticlePage, at: Anchors, el: Element, hinted: bool = False) -> bool:
    text = pg.text(el)
    if not 2 <= len(text) <= 150 or _date_line(text):
        return False
    if el.tag in _REFUSED_TAGS:
        return False
    if has_tag(el, "img") or has_tag(el, "h1"):
        return False
    if has_tag(el, "a") and not (hinted and _series_link(pg, el, text)):
        return False
    if "breadcrumb" in pg.hint(el) or SIDE_HINT_RE.search(pg.hint(el)):
        return False
    if _LANG_SWITCH_RE.search(text) and ("|" in text or "/" in text):
        return False
    if is_site_name(text) or (not hinted and slugify(text) in pg.menu_names()):
        return False
    if at.regions.in_chrome(el):
        return False
    # A heading bigger than the title is a section banner, not a kicker.
    t = at.title
    return not (el.tag in HEADINGS and t is not None and t.tag in HEADINGS and el.tag < t.tag)
