"""Lead (sapo): the text block between the title and the body.

Rules, in order: `class-lead` (sapo, lead, summary, description, `fontd` ...), `after-title` (the
first text block between title and body), `shown=<meta>` (the block after the title that shows
the metadata description, or its full text when the metadata cut it short with `…`/`...`),
`first-bold-paragraph` (a fully bold paragraph opening the body), `first-heading` (a heading of
100 characters or more opening it), and last `meta:og:description` /
`meta:description` / `jsonld:description` (issue lead_from_meta; never a site-wide description or
one repeating the body's first paragraph).
"""

from __future__ import annotations

import re

from crawler.pages.article.body import in_furniture
from crawler.pages.article.page import (
    FAR,
    LEAD_HINT_RE,
    Anchors,
    ArticlePage,
    Found,
    bold_only,
    short_byline_line,
)
from crawler.pages.common import Element, block_text, collapse, find_date, text_of
from crawler.pages.parsing import has_tag

__all__ = ["after_header", "find_lead"]

_WORD_RE = re.compile(r"\w+")
_HEADING_LEAD_MIN = 100  # characters: a heading this long is sentences, the sapo
_BETWEEN_TAGS = frozenset(("p", "div", "h2", "h3", "h4", "h5", "h6", "span", "strong", "em"))


def find_lead(pg: ArticlePage, at: Anchors) -> Found:
    """A lead taken from metadata is flagged `lead_from_meta` (the page's own text is better)."""
    first = _first_paragraph(pg, at)
    found = _lead_el(pg, at, first)
    if found.el is not None:
        return found
    found = _meta_lead(pg, at, first)
    if found.value:
        pg.issues.append("lead_from_meta")
    return found


def after_header(pg: ArticlePage, at: Anchors) -> int:
    """Document position after which the lead may start: the end of the title. (The date may
    sit below the lead in some chromes, so it does not move this mark; date lines are skipped
    where the lead is looked for.)"""
    if at.title is None:
        return -1
    return pg.end(at.title)


def _is_date_line(pg: ArticlePage, at: Anchors, el: Element) -> bool:
    d = at.date
    if d is not None and (el is d or d in el.iterdescendants() or el in d.iterdescendants()):
        return True
    text = pg.text(el)
    return len(text) <= 120 and find_date(text) is not None


def _first_paragraph(pg: ArticlePage, at: Anchors) -> Element | None:
    """The first text block of the container after the title (not the date line or kicker):
    where the body starts, unless it turns out to be the lead."""
    if at.container is None:
        return None
    after = after_header(pg, at)
    for el in at.container.iterdescendants("p", "h2", "h3", "h4", "div", "blockquote"):
        if el is at.kicker or pg.idx(el) <= after:
            continue
        if el.tag == "div" and has_tag(el, "p"):
            continue
        if not pg.text(el) or _is_date_line(pg, at, el):
            continue
        return el
    return None


def _lead_el(pg: ArticlePage, at: Anchors, first: Element | None) -> Found:
    after = after_header(pg, at)
    first_body = pg.idx(first) if first is not None else FAR
    # 1. lead-classed element between the header and the first body text (or being it).
    for el in pg.classed():
        if not LEAD_HINT_RE.search(pg.hint(el)):
            continue
        pos = pg.idx(el)
        if pos <= after and at.title is not None:
            continue
        if pos > first_body or el is at.container or at.container in el.iterdescendants():
            continue
        if at.title is not None and at.title in el.iterdescendants():
            continue
        if len(pg.text(el)) >= 20 and not at.regions.in_chrome(el):
            return Found(pg.text(el), "class-lead", el)
    # 2. a text block between the header and the body container, outside it.
    if at.container is not None and at.title is not None:
        el = _block_between(pg, at, after, pg.idx(at.container))
        if el is not None:
            return Found(pg.text(el), "after-title", el)
    # 3. the block showing the metadata description: a bare lead inside the container.
    shown = _shown_description(pg, at, after, first)
    if shown.el is not None:
        return shown
    if first is None:
        return Found()
    # 4. the body opens with a fully bold paragraph: the sapo as many CMSs print it.
    if first.tag == "p" and len(pg.text(first)) >= 60 and bold_only(first):
        return Found(pg.text(first), "first-bold-paragraph", first)
    # 5. ... or with a heading of sentences (Facebook Instant Articles' `<header><h2>`): a
    # sub-head is a few words, never this long.
    if first.tag in ("h2", "h3", "h4") and len(pg.text(first)) >= _HEADING_LEAD_MIN:
        return Found(pg.text(first), "first-heading", first)
    # A plain first paragraph equal to the description meta is NOT taken: a CMS that fills the
    # description from the body's opening when an article has no sapo would lose that paragraph.
    return Found()


def _description_prefix(v: str) -> tuple[str, bool]:
    """(comparable text, cut short?) of a metadata description: `…`/`...` mark a truncation."""
    v = collapse(v)
    for mark in ("…", "..."):
        if v.endswith(mark):
            return v[: -len(mark)].rstrip().casefold(), True
    return v.casefold(), False


def _shown_description(pg: ArticlePage, at: Anchors, after: int, first: Element | None) -> Found:
    """The block after the title whose text is the description (or starts with its truncated
    prefix). Only the first text block of the container may be it when it is not the only
    paragraph: a CMS that copies the body's opening into the description must not lose it."""
    m = pg.meta
    for name in ("og:description", "description", "twitter:description"):
        v = m.get(name)
        if not v:
            continue
        want, cut = _description_prefix(v)
        if len(want) < 40:
            continue
        for el in pg.between(after, FAR):
            if el.tag not in _BETWEEN_TAGS or has_tag(el, "p"):
                continue
            text = pg.text(el).casefold()
            if not (text == want or (cut and text.startswith(want) and len(text) > len(want))):
                continue
            if at.regions.in_chrome(el) or has_tag(el, "a"):
                break
            if el is first and at.container is not None and not _lead_like(el):
                break
            return Found(pg.text(el), f"shown={name}", el)
    return Found()


def _lead_like(el: Element) -> bool:
    """Set apart from body paragraphs: bold, or not a plain paragraph."""
    return bold_only(el) or el.tag != "p"


def _block_between(pg: ArticlePage, at: Anchors, after: int, before: int) -> Element | None:
    if before <= after:
        return None
    for el in pg.between(after, before):
        if el.tag not in _BETWEEN_TAGS:
            continue
        if has_tag(el, "p") or has_tag(el, "div"):
            continue
        text = pg.text(el)
        if len(text) < 40 or _is_date_line(pg, at, el):
            continue  # (a sapo may name a day: "… thông xe trước ngày 30/6/2025.")
        if has_tag(el, "a") or at.regions.in_chrome(el) or short_byline_line(text):
            continue
        if in_furniture(el, at.container):
            continue  # a cookie notice between the title and the body
        if el.tag in ("span", "strong", "em") and collapse(text_of(el.getparent())) == text:
            continue  # the enclosing block is the lead; reached it already
        return el
    return None


def _meta_lead(pg: ArticlePage, at: Anchors, first: Element | None) -> Found:
    """The description meta as a last resort, unless it merely repeats the title or the body's
    opening (an auto-generated description) or describes the whole site."""
    m = pg.meta
    for name in ("og:description", "description", "twitter:description"):
        v = collapse(m.get(name))
        if v and _usable_description(pg, at, first, v):
            return Found(v, f"meta:{name}")
    v = collapse(m.ld("description"))
    if v and _usable_description(pg, at, first, v):
        return Found(v, "jsonld:description")
    return Found()


def _usable_description(pg: ArticlePage, at: Anchors, first: Element | None, v: str) -> bool:
    low = v.casefold().rstrip(".… ")
    if len(low) < 20 or "báo long an" in low[:60] or "baolongan" in low:
        return False
    if at.title is not None and block_text(at.title).casefold() == low:
        return False
    if first is not None and pg.text(first).casefold().startswith(low[:80]):
        return False
    # Copied from anywhere in the body (a poem's stanza after its dedication, its line breaks
    # printed as commas): no sapo. Compared word for word, punctuation aside.
    if at.container is None:
        return True
    opening = " ".join(_WORD_RE.findall(low)[:10])
    return opening not in " ".join(_WORD_RE.findall(text_of(at.container).casefold()))
