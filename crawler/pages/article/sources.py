"""Closing source lines: `Source: <url>` after an English translation's byline names its
Vietnamese original on the portal; `Nguồn: <url>` after an agency piece's `(TTXVN/Vietnam+)`
names the original on the agency's site (docs/site.md, "Bylines and credits as printed").

A source line is a block whose whole text is a label, a colon and one URL (printed as text or as
a link; a link's href counts when its text is not a URL). `Nguồn: Báo Tây Ninh` names no URL: it
is a byline credit and stays for the byline rules. The lines are found in the body container
before the byline rules run, because the byline rules read the last blocks of the body and a line
after the byline would hide it (crawler/pages/article/__init__.py calls this first).
"""

from __future__ import annotations

import re
import unicodedata
from typing import NamedTuple

from crawler.editions import Editions, article_id
from crawler.pages.common import Element, absolute_url, block_text, text_of
from crawler.pages.parsing import has_tag

__all__ = ["SourceLines", "find_source_lines"]

# "Nguồn" with or without its diacritics (matched on NFC text: NFD pages exist), "Source(s)",
# "Theo nguồn"; the colon may be full-width or missing before the URL.
_LINE_RE = re.compile(
    r"^\(?\s*(?:theo\s+)?(?:ngu[ồo]n|sources?)\s*[:：]?\s*(?P<rest>.*?)\s*\)?\.?$",
    re.IGNORECASE,
)
_URL_RE = re.compile(r"^<?(?P<url>https?://\S+?)>?$", re.IGNORECASE)
_BLOCKS = ("p", "div", "section", "em", "i", "strong", "b", "span", "h4", "h5", "h6")
_INLINE = frozenset(("em", "i", "strong", "b", "span"))
_MAX_LINE = 600  # a source line is one label and one URL; a paragraph of prose is not one


class SourceLines(NamedTuple):
    """What the closing source lines name, and the elements to take out of the body."""

    translation_of_url: str | None
    """A portal article URL named by a source line (production form, as printed)."""
    source_url: str | None
    """An external original (not a portal article) named by a source line, as printed."""
    lines: list[Element]
    """The outermost element of each source line, in document order."""


def find_source_lines(
    body: Element | None, editions: Editions, page_url: str | None = None
) -> SourceLines:
    """Source lines inside `body` (not `body` itself) or among the elements following it in its
    parent: when the body container found is an inner wrapper (old CMS bodies sit in an extra
    `div`), the byline and the line close the article right after it. The first line naming a
    portal article gives `translation_of_url`, the first naming anything else gives
    `source_url`. A relative link is resolved against `page_url` (production form) if given."""
    translation_of_url: str | None = None
    source_url: str | None = None
    lines: list[Element] = []
    if body is None or not _may_hold_line(body):
        return SourceLines(None, None, [])
    for el in _candidates(body):
        if not _OPENING_RE.match(next((t for t in el.itertext() if t.strip()), "")):
            continue  # cheap exit first: nearly every block opens with something else
        if _skipped(el, lines):
            continue
        url = _line_url(el)
        if url is None:
            continue
        if page_url is not None:
            url = absolute_url(url, page_url, editions)
        lines.append(el)
        if _is_portal_article(url, editions):
            translation_of_url = translation_of_url or url
        else:
            source_url = source_url or url
    return SourceLines(translation_of_url, source_url, lines)


# What a source line's first text chunk opens with (`Source`, `Nguồn`/`Nguon` in any form).
_OPENING_RE = re.compile(r"\s*\(?\s*(?:theo\s+)?(?:source|ngu)", re.I)


def _may_hold_line(body: Element) -> bool:
    """The body or what follows it names a source at all (`source`, `nguồn`, `nguon` or its NFD
    form, any case): one search over the text instead of a test per block, and most pages have
    no source line. (NFD and half-composed forms included.)"""
    texts = [text_of(body)]
    texts.extend(text_of(s) for s in body.itersiblings() if isinstance(s.tag, str))
    text = " ".join(texts).lower()
    return "source" in text or "nguồ" in text or "nguo" in text or "nguô" in text


def _candidates(body: Element):
    yield from body.iterdescendants(*_BLOCKS)
    for sibling in body.itersiblings():
        if isinstance(sibling.tag, str):
            yield from sibling.iter(*_BLOCKS)


def _skipped(el: Element, lines: list[Element]) -> bool:
    """Inside a line already taken, or an image's block (a caption naming a URL stays)."""
    if any(el is line or line in el.iterancestors() for line in lines):
        return True
    if has_tag(el, "img"):
        return True
    # An inline element beside an image in the same paragraph is that image's caption (form A).
    parent = el.getparent()
    return el.tag in _INLINE and parent is not None and has_tag(parent, "img")


def _line_url(el: Element) -> str | None:
    """The URL a source line names, or None when `el` is not a whole source line."""
    text = unicodedata.normalize("NFC", block_text(el))
    if not text or len(text) > _MAX_LINE:
        return None
    m = _LINE_RE.match(text)
    if m is None or not m.group("rest"):
        return None
    rest = m.group("rest")
    url = _URL_RE.match(rest)
    if url is not None:
        return _href_for(el, url.group("url")) or url.group("url")
    # `Source: <a href="…">Vietnam+</a>`: one link, the line's only text after the label.
    links = [a for a in el.iter("a") if (a.get("href") or "").strip()]
    if len(links) == 1 and unicodedata.normalize("NFC", block_text(links[0])) == rest:
        href = links[0].get("href", "").strip()
        if href.startswith(("http://", "https://", "/")):
            return href
    return None


def _href_for(el: Element, shown: str) -> str | None:
    """The href of a link in `el` whose text is the URL shown (the href is what was linked)."""
    for a in el.iter("a"):
        href = (a.get("href") or "").strip()
        if href and block_text(a) == shown and _URL_RE.match(href):
            return href
    return None


def _is_portal_article(url: str, editions: Editions) -> bool:
    return editions.is_portal(url) and article_id(url) is not None
