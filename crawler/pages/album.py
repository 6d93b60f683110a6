"""Photo-album pages (vi `/xem-albumphoto/<slug>.<id>.html?pid=n`, en `/view-albumphoto/...`).

Album markup has not been seen (docs/site.md), so the album is read like an article whose body is a run
of photos: the same title/date strategies, the description found like a lead (with the
"(Translated by …)" note split off into `byline_raw`), and the photos taken from the element that
holds most content images, each with the caption the article forms give (em in the image's
paragraph, em paragraph after the image block, figcaption) or the text of its own photo item.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from crawler.editions import ALBUM_RE, Editions, album_id, article_id
from crawler.pages.article import Anchors, ArticlePage, locate_header
from crawler.pages.article.images import caption_of, image_position, img_src
from crawler.pages.article.page import FAR, load
from crawler.pages.common import (
    Element,
    Extraction,
    absolute_url,
    block_text,
    canonical_host_url,
    collapse,
    text_of,
)
from crawler.pages.parsing import has_tag

__all__ = ["parse_album"]

# "(Translated by Kim Khanh)" at the end of an English album description (docs/site.md).
_NOTE_RE = re.compile(
    r"\s*(\((?:translated|translation|translator|người dịch|dịch)\b[^()]*\))\s*$", re.I
)
_DESC_HINT_RE = re.compile(
    r"(?<![a-z])(?:sapo|lead|summary|description|desc|intro|mo-?ta|gioi-?thieu|excerpt|fontd)(?![a-z])"
)
_CAPTION_HINT_RE = re.compile(
    r"(?<![a-z])(?:caption|chu[-_]?thich|desc|description|mo[-_]?ta|text|note|title)(?![a-z])"
)


def parse_album(
    html: str,
    url: str,
    editions: Editions,
    chrome: frozenset[str] = frozenset(),
    learn: bool = False,
    *,
    requisites: bool = False,
) -> Extraction:
    """Raw record fields of a photo-album page. `url` is the URL it was fetched from; `chrome` as
    for parse_article."""
    pg = load(html, url, editions, chrome, learn, requisites)
    alb = album_id(url)
    container = _photo_container(pg)
    pg.strategies["body"] = "most-images" if container is not None else "none"
    at, found = locate_header(pg, Anchors(container=container))
    description = _description(pg, at)
    lead, note = _split_note(description)
    if description is None:
        pg.issues.append("no_lead")
    photos = _photos(pg, at)
    if not photos:
        pg.issues.append("no_photos")
    fields = {
        "album_id": alb,
        "canonical_url": _canonical(pg, alb),
        "kicker": None,
        "title": found["title"].value or None,
        "lead": lead,
        "body_text": None,
        "body_html": None,
        "images": photos,
        "byline_raw": note,
        "published_raw": found["published_raw"].value,
        "links": [],
    }
    if note:
        pg.strategies["byline_raw"] = "description-note"
    return Extraction(fields, pg.strategies, pg.issues, frozenset(pg.blocks), pg.requisites)


# ---------------------------------------------------------------------------------------------


def _photo_container(pg: ArticlePage) -> Element | None:
    """The element holding most album photos: images not inside links to other pages, counted
    for their parent and grandparent (a slider is a list of items)."""
    scores: dict[Element, int] = {}
    regions = pg.regions_for()
    for img in pg.root.iter("img"):
        if _linked_elsewhere(img, pg) or not img_src(img) or regions.in_chrome(img):
            continue  # thumbnails of other albums, the site logo in the header
        node = img.getparent()
        for _ in range(4):
            if node is None or node.tag in ("body", "html"):
                break
            scores[node] = scores.get(node, 0) + 1
            node = node.getparent()
    if not scores:
        return None
    best_n = max(scores.values())
    # The innermost element that still holds all the photos.
    best = [el for el, n in scores.items() if n == best_n and not regions.in_chrome(el)]
    if not best:
        return None
    return max(best, key=lambda el: sum(1 for _ in el.iterancestors()))


_THUMB_HINT_RE = re.compile(r"thumb|carousel-?nav|slick-?dots|pager|owl-?dots")


def _linked_elsewhere(img: Element, pg: ArticlePage) -> bool:
    """Not an album photo: a thumbnail (navigation strip, `/thumbnail/` path) or an image linking
    to another album or article (an "other albums" strip)."""
    if "/thumbnail/" in (img_src(img) or ""):
        return True
    for anc in img.iterancestors():
        if anc.tag in ("body", "html"):
            return False
        if _THUMB_HINT_RE.search(f"{anc.get('class') or ''} {anc.get('id') or ''}".lower()):
            return True
    for anc in img.iterancestors():
        if anc.tag == "a":
            href = anc.get("href") or ""
            path = urlsplit(href).path
            if article_id(href) is not None:
                return True
            m = ALBUM_RE.match(path)
            return bool(m) and int(m.group(2)) != album_id(pg.url)
        if anc.tag in ("body", "html"):
            return False
    return False


def _description(pg: ArticlePage, at: Anchors) -> str | None:
    el, strategy = _description_el(pg, at)
    if el is not None:
        pg.strategies["lead"] = strategy
        return block_text(el)
    v = collapse(pg.meta.get("og:description", "description"))
    if v:
        pg.strategies["lead"] = "meta:description"
        pg.issues.append("lead_from_meta")
        return v
    return None


def _description_el(pg: ArticlePage, at: Anchors) -> tuple[Element | None, str]:
    after = pg.end(at.title) if at.title is not None else -1
    limit = _first_photo_at(pg, at.container)
    for el in pg.classed():
        h = f"{el.get('class') or ''} {el.get('id') or ''}".lower()
        if not _DESC_HINT_RE.search(h):
            continue
        pos = pg.idx(el)
        if not after < pos <= limit or has_tag(el, "img"):
            continue
        if len(block_text(el)) >= 10 and not at.regions.in_chrome(el):
            return el, "class-description"
    for el in pg.root.iter("p", "div", "h2", "h3", "span", "em", "strong"):
        pos = pg.idx(el)
        if pos <= after or pos >= limit:
            continue
        if has_tag(el, "p") or has_tag(el, "div") or has_tag(el, "img"):
            continue
        text = block_text(el)
        if len(text) < 30 or at.regions.in_chrome(el) or has_tag(el, "a"):
            continue
        if el is at.date or (at.date is not None and at.date in el.iterdescendants()):
            continue
        return el, "after-title"
    return None, ""


def _first_photo_at(pg: ArticlePage, container: Element | None) -> int:
    if container is None:
        return FAR
    for img in container.iter("img"):
        return pg.idx(img)
    return pg.idx(container)


def _split_note(description: str | None) -> tuple[str | None, str | None]:
    """ "Photos of … (Translated by Kim Khanh)" -> ("Photos of …", "(Translated by Kim Khanh)")."""
    if not description:
        return None, None
    m = _NOTE_RE.search(description)
    if m is None:
        return description, None
    return collapse(description[: m.start()]) or None, collapse(m.group(1))


def _photos(pg: ArticlePage, at: Anchors) -> list[dict]:
    c = at.container
    if c is None:
        return []
    caption_blocks: set[Element] = set()
    out: list[dict] = []
    seen: set[str] = set()
    for img in c.iter("img"):
        src = img_src(img)
        if not src or _linked_elsewhere(img, pg):
            continue
        url = absolute_url(src, pg.base, pg.editions)
        if url in seen:  # a thumbnail strip repeating the slider
            continue
        seen.add(url)
        cap = caption_of(img, c, caption_blocks)
        if cap is None:
            cap = _item_caption(img, c)
        text = block_text(cap) if cap is not None else ""
        out.append(
            {"url": url, "position": image_position(img, c, len(out)), "caption_raw": text or None}
        )
    return out


def _item_caption(img: Element, c: Element) -> Element | None:
    """The photo's own item (the largest ancestor holding only this image): its caption-classed
    element, or its text."""
    item = None
    node = img.getparent()
    while node is not None and node is not c:
        if len(node.findall(".//img")) > 1:
            break
        item = node
        node = node.getparent()
    if item is None:
        return None
    for el in item.iter():
        if (
            el is not item
            and isinstance(el.tag, str)
            and _CAPTION_HINT_RE.search(f"{el.get('class') or ''}".lower())
        ):
            return el
    return item if collapse(text_of(item)) else None


def _canonical(pg: ArticlePage, alb: int | None) -> str | None:
    href = pg.meta.canonical
    if href:
        url = absolute_url(href, pg.base, pg.editions)
        m = ALBUM_RE.match(urlsplit(url).path)
        if pg.editions.edition_of(url) is not None and m and int(m.group(2)) == alb:
            pg.strategies["canonical_url"] = "link-canonical"
            return canonical_host_url(url)
    if alb is None:
        return None
    path = urlsplit(pg.url).path
    m = re.match(r"^/(xem|view)-albumphoto/(.*?)\.?\d+\.html?$", path)
    slug = m.group(2).rstrip(".") if m else ""
    edition = {"xem": "vi", "view": "en"}.get(m.group(1) if m else "", "vi")
    pg.strategies["canonical_url"] = "constructed:url-prefix"
    return pg.editions.canonical_album_url(edition, slug, alb)
