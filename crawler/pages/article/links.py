"""Links from the body to other portal articles: ids for the record, URLs for the crawler."""

from __future__ import annotations

from crawler.pages.article.page import ArticlePage
from crawler.pages.common import Element, absolute_url, portal_article_id

__all__ = ["body_link_urls", "body_links"]


def body_links(pg: ArticlePage, body: Element | None, own: int | None) -> list[str]:
    if body is None:
        return []
    out: list[str] = []
    for a in body.iter("a"):
        href = a.get("href")
        if not href:
            continue
        aid = portal_article_id(absolute_url(href, pg.base, pg.editions), pg.editions)
        if aid is not None and aid != own:
            key = f"baolongan:{aid}"
            if key not in out:
                out.append(key)
    return out


def body_link_urls(pg: ArticlePage, body: Element | None, own: int | None) -> list[str]:
    """The URLs (production form, as linked: any slug, scheme or host variant) of the portal
    articles the body links to, for the crawler to follow; not a record field."""
    if body is None:
        return []
    out: dict[str, None] = {}
    for a in body.iter("a"):
        href = a.get("href")
        if not href:
            continue
        url = absolute_url(href, pg.base, pg.editions)
        aid = portal_article_id(url, pg.editions)
        if aid is not None and aid != own:
            out.setdefault(url, None)
    return list(out)


# ----------------------------------------------------------------------------- html and text
