"""Article pages (`/<slug>-a<ID>.html`) on both editions: raw field values from one parse.

The portal's page chrome is unknown (docs/site.md), so every field is found by ordered rules and
the one that won is named in `Extraction.strategies[field]`. One module per field family, read in
the page's reading order; each rule gets the elements located before it (`Anchors`) as an
argument and returns a `Found` (value, rule name, element):

    container.py  the body container          title.py      the title
    published.py  the date as shown           kicker.py     the line above the title
    lead.py       the sapo                    byline.py     the author line
    canonical.py  the canonical URL           body.py       the body cut out of its container
    images.py     images and captions         links.py      body links to other articles
    serialize.py  body_html and body_text     page.py       the parsed page, Anchors, Found

Album pages (crawler/pages/album.py) reuse the public helpers of these modules.
"""

from __future__ import annotations

from crawler.editions import Editions, article_id
from crawler.pages.article.body import cut_body, related_lines
from crawler.pages.article.byline import find_byline, find_closing_note, with_closing_note
from crawler.pages.article.canonical import find_canonical
from crawler.pages.article.container import find_container
from crawler.pages.article.images import body_images
from crawler.pages.article.kicker import find_kicker
from crawler.pages.article.lead import find_lead
from crawler.pages.article.links import body_link_urls, body_links
from crawler.pages.article.page import Anchors, ArticlePage, Found, load
from crawler.pages.article.published import find_published
from crawler.pages.article.serialize import body_html, body_text
from crawler.pages.article.sources import find_source_lines
from crawler.pages.article.title import find_title
from crawler.pages.common import Extraction, collapse, drop_tree, text_of

__all__ = ["Anchors", "ArticlePage", "Found", "locate_header", "parse_article"]


def parse_article(
    html: str,
    url: str,
    editions: Editions,
    chrome: frozenset[str] = frozenset(),
    learn: bool = False,
    *,
    requisites: bool = False,
) -> Extraction:
    """Raw record fields of an article page. `url` is the URL it was fetched from; `chrome` the
    block signatures the site's learned template judges chrome (crawler/pages/template.py);
    `requisites`: also the page requisites, from the same tree."""
    pg = load(html, url, editions, chrome, learn, requisites)
    aid = article_id(url)
    container = find_container(pg)
    pg.strategies["body"] = container.strategy
    # Before the byline rules: a source line after the byline would hide it (sources.py).
    sources = find_source_lines(container.el, editions, pg.base)
    for line in sources.lines:
        drop_tree(line)
    note_el = find_closing_note(container.el)
    note = collapse(text_of(note_el)) if note_el is not None else None
    if note_el is not None:
        drop_tree(note_el)
    at, found = locate_header(pg, Anchors(container=container.el))
    kicker = pg.record("kicker", find_kicker(pg, at))
    lead = pg.record("lead", find_lead(pg, at.with_(kicker=kicker.el)), missing="no_lead")
    at = at.with_(kicker=kicker.el, lead=lead.el)
    found_byline = with_closing_note(find_byline(pg, at), note)
    byline = pg.record("byline_raw", found_byline, missing="no_byline")
    at = at.with_(byline=byline.el)
    canonical = pg.record("canonical_url", find_canonical(pg, aid, at.title))
    if aid is None and canonical.value:
        aid = article_id(canonical.value)  # a copy kept outside the portal names its article
    body = cut_body(pg, at)
    related = related_lines(body)
    images, image_blocks = body_images(pg, body, related)
    links, link_urls = body_links(pg, body, aid), body_link_urls(pg, body, aid)
    html_out = body_html(pg, body)  # rewrites the tree: after everything that reads links
    text_out = body_text(body, image_blocks | related)
    if not text_out and not images:
        pg.issues.append("no_body")
    fields = {
        "article_id": aid,
        "canonical_url": canonical.value,
        "kicker": kicker.value,
        "title": found["title"].value or None,
        "lead": lead.value,
        "body_text": text_out,
        "body_html": html_out,
        "images": images,
        "byline_raw": byline.value,
        "published_raw": found["published_raw"].value,
        "links": links,
        "link_urls": [*link_urls, *filter(None, [sources.translation_of_url])],
        "translation_of_url": sources.translation_of_url,
        "source_url": sources.source_url,
    }
    return Extraction(fields, pg.strategies, pg.issues, frozenset(pg.blocks), pg.requisites)


def locate_header(pg: ArticlePage, at: Anchors) -> tuple[Anchors, dict[str, Found]]:
    """Title then date, shared by article and album pages: the anchors with both set, and what
    was found for each (logged in the page's strategies, `no_title` / `no_date` when missing)."""
    title = pg.record("title", find_title(pg, at.container), missing="no_title")
    at = at.with_(title=title.el, regions=pg.regions_for(title.el, at.container))
    published = pg.record("published_raw", find_published(pg, at), missing="no_date")
    return at.with_(date=published.el), {"title": title, "published_raw": published}
