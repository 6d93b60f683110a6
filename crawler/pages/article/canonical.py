"""Canonical URL: `link-canonical` / `og:url` when they name this article on a portal host, else
`constructed:<edition>-host` from the URL slug and the serving host's edition."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from crawler.editions import article_id
from crawler.pages.article.page import ArticlePage, Found
from crawler.pages.common import Element, absolute_url, canonical_host_url, slugify

__all__ = ["find_canonical"]

_SLUG_ID_RE = re.compile(r"^(.*?)-a\d+\.html?$")


def find_canonical(pg: ArticlePage, aid: int | None, title: Element | None) -> Found:
    if aid is None and pg.editions.edition_of(pg.url) is None:
        return _kept_copy(pg)
    for name, href in (("link-canonical", pg.meta.canonical), ("og:url", pg.meta.get("og:url"))):
        if not href:
            continue
        url = absolute_url(href, pg.base, pg.editions)
        if pg.editions.edition_of(url) is not None and aid is not None and article_id(url) == aid:
            return Found(canonical_host_url(url), name)
    if aid is None:
        return Found()
    edition = pg.editions.edition_of(pg.url) or "vi"
    # The URL's own slug as written; a slugless URL borrows the title's (the id is the identity).
    slug = _url_slug_raw(pg.url) or slugify(pg.text(title) if title is not None else "")
    url = pg.editions.canonical_article_url(edition, slug, aid)
    return Found(url, f"constructed:{edition}-host")


def _kept_copy(pg: ArticlePage) -> Found:
    """A page read from outside the portal (an archive's, a cache's or a mirror's copy, a saved
    file): the portal article it is a copy of, as the first of these names it -- the URL it was
    read from (an archive's URL holds the original), the canonical link, `og:url`, the
    `source-url` a web clipper writes, archive.today's bookmark link."""
    m = pg.meta
    for name, href in (
        ("kept-copy:url", pg.url),
        ("kept-copy:link-canonical", m.canonical),
        ("kept-copy:og:url", m.get("og:url")),
        ("kept-copy:source-url", m.get("source-url")),
        ("kept-copy:bookmark", m.bookmark),
    ):
        if not href:
            continue
        url = absolute_url(href, pg.base, pg.editions)
        if pg.editions.edition_of(url) is not None and article_id(url) is not None:
            return Found(canonical_host_url(url), name)
    return Found()


def _url_slug_raw(url: str) -> str:
    m = _SLUG_ID_RE.match(urlsplit(url).path.rsplit("/", 1)[-1])
    return m.group(1) if m else ""
