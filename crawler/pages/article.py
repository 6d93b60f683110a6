"""Article pages (`/<slug>-a<ID>.html`) on both editions: raw field values from one parse.

The portal's page chrome is unknown (site.md), so every field is found by ordered fallbacks and the
one that won is named in `Extraction.strategies[field]`. Strategy names, in order of preference:

- body: `div.detail-content` / `div.content-fck` (seen on real pages; the inner one when nested and
  holding most text) / `itemprop=articleBody`, else `density` (the element with most paragraph
  text outside chrome boxes; a lone paragraph beside a text-rich block is left out as the lead);
- title: `<tag>+slug` (the visible element whose slug equals the URL slug; headings and
  title-classed elements first), `<tag>=<meta>+slug` / `<meta>+slug` (a metadata title matching the
  slug, its visible twin preferred), `<tag>+slug~` (slug nearly equal or truncated); when nothing
  matches the slug (issue title_slug_mismatch): `<tag>=jsonld|og:title`, `h1`,
  `heading-above-body`, then `jsonld` / `og:title` / `twitter:title` / `title-tag` (site name
  stripped). Elements in chrome boxes or links to other pages are never the title;
- published_raw: `class-date` / `near-title` (a `DD/MM/YYYY - HH:MM` text nearest the title, not
  in chrome boxes, not in the body, not behind the site menu, not the site clock; `:day` when no
  time is shown), then `meta:article:published_time`, `jsonld:datePublished`, `meta:date`,
  `time[datetime]`;
- kicker: `class-kicker` (a kicker-classed line just above the title), `above-title` (the short
  line right above it), `class-kicker:no-title`; never a date, a link, a menu label, the
  language switch or the site name;
- lead: `class-lead` (sapo, lead, summary, description, `fontd` ...), `after-title` (the first text
  block between title and body), `first-bold-paragraph` (a fully bold paragraph opening the
  body), and last `meta:og:description` / `meta:description` / `jsonld:description` (issue
  lead_from_meta; never a site-wide description or one repeating the body's first paragraph);
- byline_raw: `right-aligned-bold` (the last right-aligned bold paragraph after the body text),
  `right-aligned-last`, `class-author` (author, byline, tac-gia ...), `last-bold-paragraph`;
- canonical_url: `link-canonical` / `og:url` when they name this article on a portal host, else
  `constructed:<edition>-host` from the URL slug and the serving host's edition.

The body is then cut out of its container (header parts, lead, byline, share and useful-links
blocks, related boxes dropped) and serialized exactly as docs/contract.md prescribes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from urllib.parse import unquote, urlsplit

import lxml.html
from lxml import etree

from crawler.editions import Editions, article_id, section_slug
from crawler.pages.common import (
    HEADINGS,
    SIDE_HINT_RE,
    Element,
    Extraction,
    Meta,
    PageRegions,
    absolute_url,
    block_text,
    canonical_host_url,
    collapse,
    drop_invisible,
    drop_tag,
    drop_tree,
    find_date,
    hints,
    is_site_name,
    parse_html,
    portal_article_id,
    read_meta,
    slugify,
    strip_site_name,
    style_right,
    text_of,
)

__all__ = ["parse_article", "ArticlePage"]

# Body containers seen on real pages (site.md), then schema.org's marker.
_KNOWN_BODY_CLASSES = frozenset(("detail-content", "content-fck"))
# XPath objects are compiled once (root.xpath(str) recompiles on every call). Attribute tests are
# done in Python over the cached element list instead: XPath's @class scans were the slowest step.
_SLASH_TEXT_XPATH = etree.XPath("//body//text()[contains(., '/')]")
_YEAR_RE = re.compile(r"\d/(?:19|20)\d\d")
_SIZED_TEXT_XPATH = etree.XPath(
    "//body//*[text()[normalize-space()]]"
    "[string-length(normalize-space()) >= $lo and string-length(normalize-space()) <= $hi]"
)
_TITLE_HINT_RE = re.compile(r"(?<![a-z])(?:title|headline|tieu-?de|tieude|heading)(?![a-z])")
_KICKER_HINT_RE = re.compile(
    r"(?<![a-z])(?:kicker|sub-?title|subtitle|sup-?title|upper|super-?title|pre-?title|over-?line|eyebrow"
    r"|tieu-?de-?phu|dau-?de|rubric|top-?title)(?![a-z])"
)
_LEAD_HINT_RE = re.compile(
    r"(?<![a-z])(?:sapo|lead|summary|description|desc|intro|chapeau|excerpt|tom-?tat|tomtat"
    r"|teaser|abstract|standfirst|fontd)(?![a-z])"
)
_AUTHOR_HINT_RE = re.compile(
    r"(?<![a-z])(?:author|authors|byline|tac-?gia|tacgia|writer|nguoi-?viet|but-?danh)(?![a-z])"
)
_DATE_HINT_RE = re.compile(r"date|time|pubdate|publish|ngay|thoi-?gian|posted")
# The site header's clock ("Thứ Hai, 24/11/2025"): article dates carry no weekday (site.md).
# Not "clock": date lines often start with a clock icon.
_CLOCK_HINT_RE = re.compile(r"today|current-?date|hom-?nay|homnay|weather|(?<![a-z])now(?![a-z])")
_WEEKDAY_RE = re.compile(
    r"\b(?:thứ\s*(?:hai|ba|tư|năm|sáu|bảy|[2-7])|chủ nhật|monday|tuesday|wednesday|thursday"
    r"|friday|saturday|sunday)\b",
    re.I,
)
_MENU_HINT_RE = re.compile(r"(?<![a-z])(?:menu|nav|navbar|navigation)(?![a-z])")
# Blocks that end the article (reading order 8 and 9 in site.md) when found in the container.
_END_LABEL_RE = re.compile(
    r"^(?:chia sẻ(?: bài viết)?|share(?: this)?(?: article| post)?|liên kết hữu ích|useful links?"
    r"|links?)\s*:?$",
    re.I,
)
_END_LABEL_PREFIX_RE = re.compile(r"^(?:chia sẻ bài viết|liên kết hữu ích|useful links?)\b", re.I)
_LANG_SWITCH_RE = re.compile(r"tiếng việt|vietnamese|english", re.I)
_BYLINE_START_RE = re.compile(r"^(?:by|ctv|theo|bài(?: và ảnh)?|ảnh|tin|nhóm pv|pv)\b", re.I)
_BOLD_STYLE_RE = re.compile(r"font-weight\s*:\s*(?:bold|[6-9]00)")
_END_MARK = "./."

# Elements kept in body_html (contract); all others are unwrapped.
_HTML_KEEP = frozenset(
    ("p", "strong", "b", "em", "i", "a", "img", "br", "h2", "h3", "h4", "ul", "ol", "li")
    + ("table", "tr", "td", "th", "figure", "figcaption")
)
_HTML_ATTRS = {"a": ("href",), "img": ("src", "alt")}
_TEXT_BLOCKS = ("p", "h2", "h3", "h4", "li", "tr")


_SCANNED_TAGS = frozenset(("h1", "h2", "h3", "h4", "nav"))
_UNCLASSED_TAGS = frozenset(("html", "body", "head", "meta", "link", "title"))


@dataclass
class ArticlePage:
    """Parse state shared by the field functions of one page (parsed once, read many times)."""

    root: Element
    url: str
    editions: Editions
    meta: Meta
    slug: str
    strategies: dict[str, str] = field(default_factory=dict)
    issues: list[str] = field(default_factory=list)
    container: Element | None = None
    title_el: Element | None = None
    date_el: Element | None = None
    kicker_el: Element | None = None
    lead_el: Element | None = None
    byline_el: Element | None = None
    regions: PageRegions = field(default_factory=PageRegions)
    caption_blocks: set[Element] = field(default_factory=set)
    """Paragraphs that are image or caption blocks (never body_text entries)."""
    _order: dict[Element, int] = field(default_factory=dict)
    _elements: list[Element] = field(default_factory=list)
    _classed: list[Element] = field(default_factory=list)
    _tagged: dict[str, list[Element]] = field(default_factory=dict)
    _hints: dict[Element, str] = field(default_factory=dict)
    _menu_names: set[str] | None = None
    _texts: dict[Element, str] = field(default_factory=dict)
    _first_para: Element | bool | None = None
    _boxes: dict[Element, bool] = field(default_factory=dict)

    def scan(self) -> None:
        """One walk over the tree collecting what the field rules look up: document order,
        class/id hints, classed elements, headings, nav elements, articleBody markers. (Each
        separate walk costs as much as a field rule, so there is only this one.)"""
        hints_, classed = self._hints, self._classed
        elements = list(self.root.iter())
        self._order = dict(zip(elements, range(len(elements)), strict=False))
        self._elements = elements
        for el in elements:
            a = el.attrib
            if not a:
                continue
            c = a.get("class")
            d = a.get("id")
            if c is not None or d is not None:
                hints_[el] = f"{c or ''} {d or ''}".lower()
                if el.tag not in _UNCLASSED_TAGS and isinstance(el.tag, str):
                    classed.append(el)
            elif a.get("itemprop") == "articleBody":
                classed.append(el)
        tagged: dict[str, list[Element]] = {t: [] for t in _SCANNED_TAGS}
        for el in self.root.iter(*_SCANNED_TAGS):
            tagged[el.tag].append(el)
        self._tagged = tagged

    def idx(self, el: Element) -> int:
        return self._order.get(el, -1)

    def elements(self) -> list[Element]:
        """Every element in document order."""
        return self._elements

    def classed(self) -> list[Element]:
        """Elements inside <body> that carry a class or an id (or mark the articleBody)."""
        return self._classed

    def tagged(self, *tags: str) -> list[Element]:
        """Headings / nav elements in document order (only the scanned tags)."""
        if len(tags) == 1:
            return self._tagged[tags[0]]
        return sorted((el for t in tags for el in self._tagged[t]), key=self._order.__getitem__)

    def between(self, after: int, before: int) -> list[Element]:
        """Elements strictly between two document positions."""
        return self._elements[max(after + 1, 0) : max(before, 0)]

    def hint(self, el: Element) -> str:
        """Lower-cased class and id (hints()), from the scan."""
        return self._hints.get(el, "")

    def regions_for(self, *protect: Element | None) -> PageRegions:
        """A PageRegions protecting the given elements, sharing this page's box cache."""
        return PageRegions(protect=[x for x in protect if x is not None], boxes=self._boxes)

    def text(self, el: Element) -> str:
        """block_text, cached: the same element is measured by several field rules."""
        t = self._texts.get(el)
        if t is None:
            t = self._texts[el] = block_text(el)
        return t

    def menu_names(self) -> set[str]:
        """Slugs of the section names linked on the page (a kicker is never one of them)."""
        if self._menu_names is None:
            names: set[str] = set()
            for a in self.root.iter("a"):
                if section_slug(a.get("href") or "") is not None:
                    t = collapse(text_of(a))
                    if t:
                        names.add(slugify(t))
            self._menu_names = names
        return self._menu_names


# ============================================================================================
# Entry point


def parse_article(html: str, url: str, editions: Editions) -> Extraction:
    """Raw record fields of an article page. `url` is the URL it was fetched from."""
    pg = load(html, url, editions)
    aid = article_id(url)
    find_container(pg)
    title = find_title(pg)
    published = find_published(pg)
    kicker = find_kicker(pg)
    lead = find_lead(pg)
    byline = find_byline(pg)
    canonical = find_canonical(pg, aid)
    body = cut_body(pg)
    images = body_images(pg, body)
    links = body_links(pg, body, aid)
    link_urls = body_link_urls(pg, body, aid)
    html_out = body_html(pg, body)
    text_out = body_text(body, pg.caption_blocks)
    if not text_out and not images:
        pg.issues.append("no_body")
    fields = {
        "article_id": aid,
        "canonical_url": canonical,
        "kicker": kicker,
        "title": title,
        "lead": lead,
        "body_text": text_out,
        "body_html": html_out,
        "images": images,
        "byline_raw": byline,
        "published_raw": published,
        "links": links,
        "link_urls": link_urls,
    }
    return Extraction(fields=fields, strategies=pg.strategies, issues=pg.issues)


def load(html: str, url: str, editions: Editions) -> ArticlePage:
    """Parse once; read metadata before scripts (JSON-LD) are dropped."""
    root = parse_html(html)
    meta = read_meta(root)
    drop_invisible(root)
    pg = ArticlePage(root=root, url=url, editions=editions, meta=meta, slug=url_slug(url))
    pg.scan()
    return pg


def url_slug(url: str) -> str:
    """`cho-tre-lam-quen-voi-tieng-anh` from `/cho-tre-lam-quen-voi-tieng-anh-a188491.html`;
    albums: `<slug>` from `/xem-albumphoto/<slug>.<id>.html`."""
    path = unquote(urlsplit(url).path).rsplit("/", 1)[-1]
    m = re.match(r"^(.*?)-a\d+\.html?$", path)
    if m:
        return slugify(m.group(1))
    m = re.match(r"^(.*?)\.\d+\.html?$", path)
    return slugify(m.group(1)) if m else ""


# ============================================================================================
# Body container


def find_container(pg: ArticlePage) -> None:
    """The element whose content is the article body (before the header/footer parts are cut)."""
    known = [
        el
        for el in pg.classed()
        if (
            (("detail-content" in pg.hint(el) or "content-fck" in pg.hint(el))
             and _KNOWN_BODY_CLASSES & set(el.get("class", "").split()))
            or el.get("itemprop") == "articleBody"
        )
        and not _boxed(el)
    ]  # fmt: skip
    if known:
        pg.container = _best_known(known)
        pg.strategies["body"] = _describe(pg.container)
        return
    best = _densest(pg.root)
    pg.container = best
    pg.strategies["body"] = "density" if best is not None else "none"


def _describe(el: Element) -> str:
    if el.get("itemprop") == "articleBody":
        return "itemprop=articleBody"
    cls = el.get("class") or ""
    return "div.content-fck" if "content-fck" in cls.split() else "div.detail-content"


def _boxed(el: Element) -> bool:
    """A container candidate inside a related/sidebar box (looked at up to 4 levels up: a page
    wrapper far above with an unlucky class name must not disqualify the article)."""
    regions = PageRegions()
    node: Element | None = el
    for _ in range(5):
        if node is None or node.tag in ("body", "html"):
            return False
        if regions.is_box(node):
            return True
        node = node.getparent()
    return False


def _p_text(el: Element) -> int:
    return sum(len(text_of(p).strip()) for p in el.iter("p"))


def _best_known(known: list[Element]) -> Element:
    """The known container with most paragraph text; an inner one when it holds nearly all of it
    (a `content-fck` inside a `detail-content` that also holds the title)."""
    if len(known) == 1:
        return known[0]
    scored = [(el, _p_text(el)) for el in known]
    best, best_n = max(scored, key=lambda t: t[1])
    for el, n in scored:
        if el is not best and n >= 0.8 * best_n and best in el.iterancestors():
            if best_n == 0 and el.find(".//img") is None:
                continue
            best, best_n = el, n
    return best


def _densest(root: Element) -> Element | None:
    """Readability-style: each paragraph's text counts for its parent and half for its
    grandparent; the top scorer outside chrome boxes is the container."""
    scores: dict[Element, float] = {}
    for p in root.iter("p"):
        n = len(text_of(p).strip())
        if n < 25:
            continue
        parent = p.getparent()
        if parent is None:
            continue
        scores[parent] = scores.get(parent, 0) + n
        gp = parent.getparent()
        if gp is not None and gp.tag != "html":
            scores[gp] = scores.get(gp, 0) + n / 2
    for el, _ in sorted(scores.items(), key=lambda t: -t[1]):
        if not _boxed(el):
            return _descend(el)
    return None


def _descend(el: Element) -> Element:
    """A wrapper holding one paragraph beside a text-rich block: the block is the body and the
    lone paragraph is the lead (or a caption), not body text."""
    while True:
        children = [c for c in el if isinstance(c.tag, str)]
        texts = [(c, _p_text(c) if c.tag != "p" else len(text_of(c).strip())) for c in children]
        total = sum(n for _, n in texts)
        rich = [c for c, n in texts if c.tag != "p" and n >= 0.5 * total and n > 0]
        if not rich:
            return el
        outside = [c for c, n in texts if c is not rich[0] and n >= 25]
        if len(outside) > 1 or any(c.tag != "p" for c in outside):
            return el
        el = rich[0]


# ============================================================================================
# Title


def find_title(pg: ArticlePage) -> str | None:
    value, strategy, el = _title(pg)
    pg.title_el = el
    pg.regions = pg.regions_for(el, pg.container)
    if value:
        pg.strategies["title"] = strategy
    else:
        pg.issues.append("no_title")
    return value or None


def _meta_titles(pg: ArticlePage) -> list[tuple[str, str]]:
    m = pg.meta
    out = [
        ("jsonld", collapse(m.ld("headline") or m.ld("name"))),
        ("og:title", strip_site_name(m.get("og:title"))),
        ("twitter:title", strip_site_name(m.get("twitter:title"))),
        ("title-tag", strip_site_name(m.title_tag)),
    ]
    return [(n, v) for n, v in out if v]


def _title(pg: ArticlePage) -> tuple[str | None, str, Element | None]:
    if pg.slug:
        el = _visible_matching(pg, lambda s: s == pg.slug)
        if el is not None:
            return pg.text(el), f"{_kind(el)}+slug", el
    metas = _meta_titles(pg)  # only now: most pages are settled by the visible title
    if pg.slug:
        for name, val in metas:
            if slugify(val) == pg.slug:
                el = _visible_equal(pg, val)
                if el is not None:
                    return pg.text(el), f"{_kind(el)}={name}+slug", el
                return val, f"{name}+slug", None
        el = _visible_matching(pg, lambda s: _fuzzy_slug(s, pg.slug))
        if el is not None:
            return pg.text(el), f"{_kind(el)}+slug~", el
        pg.issues.append("title_slug_mismatch")
    for name, val in metas[:2]:
        el = _visible_equal(pg, val)
        if el is not None:
            return pg.text(el), f"{_kind(el)}={name}", el
    el = _article_h1(pg)
    if el is not None:
        return pg.text(el), "h1", el
    el = _heading_above_body(pg)
    if el is not None:
        return pg.text(el), "heading-above-body", el
    if metas:
        return metas[0][1], metas[0][0], None
    return None, "", None


def _kind(el: Element) -> str:
    if el.tag in HEADINGS:
        return el.tag
    return f"{el.tag}.title" if _TITLE_HINT_RE.search(hints(el)) else el.tag


def _fuzzy_slug(s: str, slug: str) -> bool:
    """Same title give or take an edit: most words shared, or a truncated slug."""
    if len(slug) >= 40 and s.startswith(slug):
        return True
    a, b = set(s.split("-")), set(slug.split("-"))
    return len(a & b) >= 0.75 * max(len(a), len(b)) and len(b) >= 4


def _title_candidates(pg: ArticlePage, lo: int, hi: int) -> list[Element]:
    """Elements with their own text whose whole text length lies in [lo, hi]; a title is always
    such an element or sits inside one. (XPath's string-length runs in C: faster than Python.)"""
    return _SIZED_TEXT_XPATH(pg.root, lo=lo, hi=hi)


def _visible_matching(pg: ArticlePage, pred) -> Element | None:  # noqa: ANN001
    n = len(pg.slug)
    lo, hi = max(1, int(n * 0.75)), int(n * 1.6) + 12
    # Headings and title-classed elements first: they hold the title on almost every page, and
    # checking them is far cheaper than measuring every text element.
    for quick in (
        lambda: pg.tagged("h1", "h2", "h3", "h4"),
        lambda: [el for el in pg.classed() if _TITLE_HINT_RE.search(pg.hint(el))],
    ):
        found = [
            el for el in quick() if lo <= len(pg.text(el)) <= hi and pred(slugify(pg.text(el)))
        ]
        best = _best_title_el(pg, found)
        if best is not None and not pg.regions.in_chrome(best):
            return best
    found = [el for el in _title_candidates(pg, lo, hi) if pred(slugify(collapse(text_of(el))))]
    return _best_title_el(pg, found)


def _visible_equal(pg: ArticlePage, value: str) -> Element | None:
    n = len(value)
    want = value.casefold()
    found = [
        el
        for el in _title_candidates(pg, max(1, n - 3), n + 3)
        if collapse(text_of(el)).casefold() == want
    ]
    return _best_title_el(pg, found)


def _best_title_el(pg: ArticlePage, found: list[Element]) -> Element | None:
    """Among elements showing the title: the block that holds it (an `a` inside an h1 -> the h1),
    headings before title-classed elements before others. Never one in a chrome box (the article
    listed in its own "most read" box or breadcrumb) or a link to another page: such an anchor
    would misplace the date, kicker, lead and body searches that start from the title."""
    if not found:
        return None
    regions = pg.regions_for(pg.container)
    own = article_id(pg.url)
    ranked: list[tuple[int, int, Element]] = []
    for i, el in enumerate(found):
        el = _title_block(el)
        if regions.in_chrome(el) or _links_away(el, own):
            continue
        rank = 0 if el.tag in HEADINGS else 1 if _TITLE_HINT_RE.search(pg.hint(el)) else 2
        ranked.append((rank, i, el))
    return min(ranked, key=lambda t: (t[0], t[1]))[2] if ranked else None


def _links_away(el: Element, own: int | None) -> bool:
    """The element is (inside) a link to something other than this article."""
    for a in (el, *el.iterancestors()):
        if a.tag == "a":
            return own is None or article_id(a.get("href") or "") != own
    return False


def _title_block(el: Element) -> Element:
    """Climb from an inline element to the block that shows the same text."""
    text = collapse(text_of(el))
    node = el
    while node.tag in ("a", "span", "strong", "b", "em", "i", "font", "u"):
        parent = node.getparent()
        if parent is None or collapse(text_of(parent)) != text:
            break
        node = parent
    return node


def _article_h1(pg: ArticlePage) -> Element | None:
    """An h1 that is not the site logo and not in chrome; the last one before the body."""
    regions = pg.regions_for(pg.container)
    body_at = pg.idx(pg.container) if pg.container is not None else 10**9
    best: Element | None = None
    for h in pg.root.iter("h1"):
        text = collapse(text_of(h))
        if len(text) < 8 or is_site_name(text) or regions.in_chrome(h):
            continue
        if h.find(".//a[@href='/']") is not None or h.find(".//img") is not None:
            continue
        if best is None or pg.idx(h) < body_at:
            best = h
    return best


def _heading_above_body(pg: ArticlePage) -> Element | None:
    """The heading (h1-h4 or a title-classed element) nearest before the body."""
    if pg.container is None:
        return None
    regions = pg.regions_for(pg.container)
    body_at = pg.idx(pg.container)
    best, best_at = None, -1
    for el in pg.root.iter("h1", "h2", "h3", "h4", "div", "p", "span"):
        if el.tag not in HEADINGS and not _TITLE_HINT_RE.search(pg.hint(el)):
            continue
        at = pg.idx(el)
        if at >= body_at and pg.container not in el.iterancestors():
            continue
        text = collapse(text_of(el))
        if not 15 <= len(text) <= 300 or is_site_name(text) or regions.in_chrome(el):
            continue
        if _KICKER_HINT_RE.search(pg.hint(el)):
            continue  # a kicker above a missing title is not the title
        if at > best_at and (at < body_at or _first_in(pg.container, el)):
            best, best_at = el, at
    return best


def _first_in(container: Element, el: Element) -> bool:
    """`el` is inside the container before any paragraph of it."""
    for node in container.iter():
        if node is el:
            return True
        if node.tag == "p" and len(text_of(node).strip()) > 40:
            return False
    return False


# ============================================================================================
# Date


def find_published(pg: ArticlePage) -> str | None:
    raw, strategy, el = _visible_date(pg)
    if raw is None:
        raw, strategy = _meta_date(pg)
    pg.date_el = el
    if raw:
        pg.strategies["published_raw"] = strategy
        return raw
    pg.issues.append("no_date")
    return None


def _anchor(pg: ArticlePage) -> int:
    if pg.title_el is not None:
        return pg.idx(pg.title_el)
    if pg.container is not None:
        return pg.idx(pg.container)
    return -1


def _visible_date(pg: ArticlePage) -> tuple[str | None, str, Element | None]:
    """The date-time text nearest the title, outside chrome boxes, the site header and the body."""
    anchor = _anchor(pg)
    if anchor < 0:
        return None, "", None
    own = article_id(pg.url)
    body_at = _body_start(pg)
    menus: list[int] | None = None  # looked up only for a candidate above the title
    meta_day = _meta_day(pg)
    best: tuple[float, str, str, Element] | None = None
    for t in _SLASH_TEXT_XPATH(pg.root):
        if _YEAR_RE.search(t) is None:
            continue  # "./.", "tấn/ha": most slashes are not dates
        m = find_date(t)
        if m is None:
            continue
        owner = t.getparent()
        if owner is None:
            continue
        if (
            t.is_tail
        ):  # text after an icon (`<i class="icon-clock"></i> 20/01/2022`) is the parent's
            owner = owner.getparent()
            if owner is None:
                continue
        block = owner
        at = pg.idx(owner)
        dist = abs(at - anchor)
        if dist > 80 or at > body_at:
            continue
        line = collapse(text_of(block))
        if len(line) > 120 or pg.regions.in_chrome(owner) or _links_elsewhere(block, own):
            continue
        if at < anchor and menus is None:
            menus = _menu_positions(pg)
        if at < anchor and any(at < x < anchor for x in menus or ()):
            continue  # the site menu lies between: a date in the page header (today's date)
        raw, has_time = _date_raw(m, block)
        near = (owner, block, *_parents(owner, 2))
        hinted = owner.tag == "time" or any(_DATE_HINT_RE.search(pg.hint(x)) for x in near)
        if any(_CLOCK_HINT_RE.search(pg.hint(x)) for x in near):
            continue  # the site's clock ("today", "date-now")
        weekday = bool(_WEEKDAY_RE.search(line))
        score = dist - 30 * has_time - 30 * hinted + 100 * weekday
        if meta_day is not None and (int(m["y"]), int(m["m"]), int(m["d"])) != meta_day:
            score += 60  # the page's own metadata dates the article another day
        if best is None or score < best[0]:
            strategy = ("class-date" if hinted else "near-title") + ("" if has_time else ":day")
            best = (score, raw, strategy, owner)
    if best is None:
        return None, "", None
    return best[1], best[2], best[3]


_ISO_RE = re.compile(
    r"^\s*(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::\d{2}(?:\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?)?"
)


def _meta_day(pg: ArticlePage) -> tuple[int, int, int] | None:
    """The publication day (Vietnam time) the metadata gives, to cross-check visible dates."""
    raw, _ = _meta_date(pg)
    m = _ISO_RE.match(raw or "")
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
    return dt.year, dt.month, dt.day


def _body_start(pg: ArticlePage) -> int:
    """Position of the first body paragraph after the title (dates after it are the body's)."""
    if pg.container is None:
        return 10**9
    after = _anchor(pg)
    for p in pg.container.iterdescendants("p"):
        at = pg.idx(p)
        if at <= after or len(text_of(p).strip()) <= 120:
            continue
        if _LEAD_HINT_RE.search(pg.hint(p)) or bold_only(p):
            continue  # a sapo printed inside the container may precede the date line
        return at
    return 10**9


def _menu_positions(pg: ArticlePage) -> list[int]:
    """Positions of the site's menus (nav elements, menu-classed lists of section links)."""
    out = []
    for el in [*pg.tagged("nav"), *pg.classed()]:
        if el.tag != "nav" and not (
            el.tag in ("ul", "div", "table") and _MENU_HINT_RE.search(pg.hint(el))
        ):
            continue
        if pg.title_el is not None and pg.title_el in el.iterdescendants():
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
    """A date next to a link to another article belongs to that article (a list item)."""
    for a in block.iter("a"):
        aid = article_id(a.get("href") or "")
        if aid is not None and aid != own:
            return True
    return False


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


def _meta_date(pg: ArticlePage) -> tuple[str | None, str]:
    m = pg.meta
    v = m.get("article:published_time")
    if v:
        return v.strip(), "meta:article:published_time"
    v = m.ld("datePublished")
    if v:
        return v, "jsonld:datePublished"
    v = m.get("datepublished", "pubdate", "publishdate", "date", "dc.date.issued")
    if v:
        return v.strip(), "meta:date"
    for t in pg.root.iter("time"):
        if t.get("datetime") and not pg.regions.in_chrome(t):
            return t.get("datetime").strip(), "time[datetime]"
    return None, ""


# ============================================================================================
# Kicker


def find_kicker(pg: ArticlePage) -> str | None:
    el, strategy = _kicker(pg)
    pg.kicker_el = el
    if el is None:
        return None
    pg.strategies["kicker"] = strategy
    return pg.text(el)


def _kicker(pg: ArticlePage) -> tuple[Element | None, str]:
    t = pg.title_el
    if t is None:
        return _kicker_without_title(pg)
    # A kicker-classed element just above the title (or wrapping it with the title).
    start = pg.idx(t)
    for el in _preceding(t, 6):
        if _KICKER_HINT_RE.search(pg.hint(el)) and _kicker_ok(pg, el, hinted=True):
            return el, "class-kicker"
    for el in t.iterchildren():
        if _KICKER_HINT_RE.search(pg.hint(el)) and _kicker_ok(pg, el):
            return None, ""  # inside the title: the title text already includes it
    # The non-empty sibling right before the title (or before the title's own wrapper).
    node = t
    for _ in range(3):
        prev = _prev_nonempty(node)
        if prev is not None:
            if pg.idx(prev) < start and _kicker_ok(pg, prev):
                return prev, "above-title"
            return None, ""
        parent = node.getparent()
        if parent is None or collapse(text_of(parent)) != collapse(text_of(node)):
            return None, ""
        node = parent
    return None, ""


def _kicker_without_title(pg: ArticlePage) -> tuple[Element | None, str]:
    """No title element to stand above: a kicker-classed line shortly before the body."""
    if pg.container is None:
        return None, ""
    body_at = pg.idx(pg.container)
    for el in reversed(pg.classed()):
        at = pg.idx(el)
        if at >= body_at or at < body_at - 12:
            continue
        if _KICKER_HINT_RE.search(pg.hint(el)) and _kicker_ok(pg, el, hinted=True):
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
        if collapse(text_of(p)) or p.find(".//img") is not None:
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


def _kicker_ok(pg: ArticlePage, el: Element, hinted: bool = False) -> bool:
    text = pg.text(el)
    if not 2 <= len(text) <= 150 or find_date(text) is not None:
        return False
    if el.tag in ("a", "img", "nav", "ul", "ol", "form", "input", "button", "select"):
        return False
    if el.find(".//a") is not None or el.find(".//img") is not None or el.find(".//h1") is not None:
        return False
    if "breadcrumb" in pg.hint(el) or SIDE_HINT_RE.search(pg.hint(el)):
        return False
    if _LANG_SWITCH_RE.search(text) and ("|" in text or "/" in text):
        return False
    if is_site_name(text) or (not hinted and slugify(text) in pg.menu_names()):
        return False
    if pg.regions.in_chrome(el):
        return False
    # A heading bigger than the title is a section banner, not a kicker.
    return not (el.tag in HEADINGS and pg.title_el is not None and el.tag < pg.title_el.tag)


# ============================================================================================
# Lead


def find_lead(pg: ArticlePage) -> str | None:
    el, strategy = _lead_el(pg)
    if el is not None:
        pg.lead_el = el
        pg.strategies["lead"] = strategy
        return pg.text(el)
    value, strategy = _meta_lead(pg)
    if value:
        pg.strategies["lead"] = strategy
        pg.issues.append("lead_from_meta")
        return value
    pg.issues.append("no_lead")
    return None


def _after_header(pg: ArticlePage) -> int:
    """Document position after which the lead may start: the end of the title. (The date may
    sit below the lead in some chromes, so it does not move this mark; date lines are skipped
    where the lead is looked for.)"""
    if pg.title_el is None:
        return -1
    return pg.idx(pg.title_el) + sum(1 for _ in pg.title_el.iterdescendants())


def _is_date_line(pg: ArticlePage, el: Element) -> bool:
    d = pg.date_el
    if d is not None and (el is d or d in el.iterdescendants() or el in d.iterdescendants()):
        return True
    text = pg.text(el)
    return len(text) <= 120 and find_date(text) is not None


def _first_paragraph(pg: ArticlePage) -> Element | None:
    """The first text block of the container after the title (not the date line or kicker):
    where the body starts, unless it turns out to be the lead."""
    if pg.container is None:
        return None
    if pg._first_para is not None:
        return None if pg._first_para is False else pg._first_para  # type: ignore[return-value]
    after = _after_header(pg)
    pg._first_para = False
    for el in pg.container.iterdescendants("p", "h2", "h3", "h4", "div", "blockquote"):
        if el is pg.kicker_el or pg.idx(el) <= after:
            continue
        if el.tag == "div" and el.find(".//p") is not None:
            continue
        if not pg.text(el) or _is_date_line(pg, el):
            continue
        pg._first_para = el
        return el
    return None


def _lead_el(pg: ArticlePage) -> tuple[Element | None, str]:
    after = _after_header(pg)
    first = _first_paragraph(pg)
    first_body = pg.idx(first) if first is not None else 10**9
    # 1. lead-classed element between the header and the first body text (or being it).
    for el in pg.classed():
        if not _LEAD_HINT_RE.search(pg.hint(el)):
            continue
        at = pg.idx(el)
        if at <= after and pg.title_el is not None:
            continue
        if at > first_body or el is pg.container or pg.container in el.iterdescendants():
            continue
        if pg.title_el is not None and pg.title_el in el.iterdescendants():
            continue
        if len(pg.text(el)) >= 20 and not pg.regions.in_chrome(el):
            return el, "class-lead"
    # 2. a text block between the header and the body container, outside it.
    if pg.container is not None and pg.title_el is not None:
        el = _block_between(pg, after, pg.idx(pg.container))
        if el is not None:
            return el, "after-title"
    if first is None:
        return None, ""
    # 3. the body opens with a fully bold paragraph: the sapo as many CMSs print it.
    if first.tag == "p" and len(pg.text(first)) >= 60 and bold_only(first):
        return first, "first-bold-paragraph"
    # A plain first paragraph equal to the description meta is NOT taken: a CMS that fills the
    # description from the body's opening when an article has no sapo would lose that paragraph.
    return None, ""


_BETWEEN_TAGS = frozenset(("p", "div", "h2", "h3", "h4", "h5", "h6", "span", "strong", "em"))


def _block_between(pg: ArticlePage, after: int, before: int) -> Element | None:
    if before <= after:
        return None
    for el in pg.between(after, before):
        if el.tag not in _BETWEEN_TAGS:
            continue
        if el.find(".//p") is not None or el.find(".//div") is not None:
            continue
        text = pg.text(el)
        if len(text) < 40 or find_date(text) is not None:
            continue
        if el.find(".//a") is not None or pg.regions.in_chrome(el):
            continue
        if el.tag in ("span", "strong", "em") and collapse(text_of(el.getparent())) == text:
            continue  # the enclosing block is the lead; reached it already
        return el
    return None


def _meta_description(pg: ArticlePage) -> str | None:
    m = pg.meta
    return m.get("og:description", "description", "twitter:description") or m.ld("description")


def _meta_lead(pg: ArticlePage) -> tuple[str | None, str]:
    """The description meta as a last resort, unless it merely repeats the title or the body's
    opening (an auto-generated description) or describes the whole site."""
    m = pg.meta
    for name in ("og:description", "description", "twitter:description"):
        v = collapse(m.get(name))
        if v and _usable_description(pg, v):
            return v, f"meta:{name}"
    v = collapse(m.ld("description"))
    if v and _usable_description(pg, v):
        return v, "jsonld:description"
    return None, ""


def _usable_description(pg: ArticlePage, v: str) -> bool:
    low = v.casefold().rstrip(".… ")
    if len(low) < 20 or "báo long an" in low[:60] or "baolongan" in low:
        return False
    if pg.title_el is not None and block_text(pg.title_el).casefold() == low:
        return False
    first = _first_paragraph(pg)
    return not (first is not None and pg.text(first).casefold().startswith(low[:80]))


def bold_only(el: Element) -> bool:
    """All of the element's text sits inside strong/b (or a bold inline style)."""
    has_text = False

    def walk(node: Element, bold: bool) -> bool:
        nonlocal has_text
        bold = (
            bold
            or node.tag in ("strong", "b")
            or bool(_BOLD_STYLE_RE.search(node.get("style") or ""))
        )
        if node.text and node.text.strip():
            if not bold:
                return False
            has_text = True
        for c in node:
            if not isinstance(c.tag, str):
                continue
            if not walk(c, bold):
                return False
            if c.tail and c.tail.strip():
                if not bold:
                    return False
                has_text = True
        return True

    return walk(el, False) and has_text


# ============================================================================================
# Byline


def find_byline(pg: ArticlePage) -> str | None:
    el, strategy = _byline_el(pg)
    if el is None:
        pg.issues.append("no_byline")
        return None
    pg.byline_el = el
    pg.strategies["byline_raw"] = strategy
    return pg.text(el)


def _tail_blocks(pg: ArticlePage) -> list[tuple[Element, str]]:
    """(block, text) after the body's last prose paragraph (> 100 characters) and before the
    share/useful-links block, in document order, chrome boxes left out. The container and then
    its following siblings are walked backwards: only the end of the article is read."""
    c = pg.container
    if c is None:
        return []
    after = _after_header(pg)
    candidates = [el for el in c.iterdescendants("p", "div") if pg.idx(el) > after]
    for sib in c.itersiblings():
        if isinstance(sib.tag, str):
            candidates.extend(sib.iter("p", "div"))
    tail: list[tuple[Element, str]] = []
    for el in reversed(candidates):
        if el is pg.lead_el or el.find(".//p") is not None:
            continue
        if _is_end_block(el):
            tail.clear()  # what follows the share block is not the article's
            continue
        if pg.regions.in_chrome(el):
            continue
        text = pg.text(el)
        if not text:
            continue
        if len(text) > 100:
            break
        tail.append((el, text))
    tail.reverse()
    return tail


def _byline_el(pg: ArticlePage) -> tuple[Element | None, str]:
    tail = _tail_blocks(pg)
    inside = [(el, t) for el, t in tail if t != _END_MARK and pg.container in el.iterancestors()]
    # 1. the right-aligned bold paragraph, the last such, with no long text after it.
    for el, text in reversed(tail):
        if text != _END_MARK and _right_aligned(el) and bold_only(el):
            return el, "right-aligned-bold"
    # 2. the body's last block, right-aligned and short: the byline's place, printed plainly.
    if inside:
        el, text = inside[-1]
        if len(text) <= 80 and _right_aligned(el) and _looks_like_byline(text):
            return el, "right-aligned-last"
    # 3. an author-classed element in the article area.
    for el in _author_classed(pg):
        return el, "class-author"
    # 4. the body's last block, short and bold, reading like a byline.
    if inside:
        el, text = inside[-1]
        if len(text) <= 80 and bold_only(el) and _looks_like_byline(text):
            return el, "last-bold-paragraph"
    return None, ""


def _right_aligned(el: Element) -> bool:
    return style_right(el) or any(style_right(x) for x in el.iterdescendants())


def _author_classed(pg: ArticlePage) -> list[Element]:
    out = []
    start = _anchor(pg)
    for el in pg.classed():
        if not _AUTHOR_HINT_RE.search(pg.hint(el)) or pg.idx(el) < start:
            continue
        text = pg.text(el)
        if not 2 <= len(text) <= 150 or find_date(text) is not None:
            continue
        if pg.regions.in_chrome(el) or (el.find(".//a[@href]") is not None and len(text) >= 60):
            continue
        out.append(el)
    return out[-1:] if out else []


def _looks_like_byline(text: str) -> bool:
    if _BYLINE_START_RE.match(text):
        return True
    if text.endswith((".", "?", "!", ":")) or len(text.split()) > 8:
        return False
    words = [w for w in re.split(r"[\s\-–—,]+", text) if w]
    return bool(words) and all(w[0].isupper() for w in words if w[0].isalpha())


# ============================================================================================
# Canonical URL


def find_canonical(pg: ArticlePage, aid: int | None) -> str | None:
    for name, href in (("link-canonical", pg.meta.canonical), ("og:url", pg.meta.get("og:url"))):
        if not href:
            continue
        url = absolute_url(href, pg.url, pg.editions)
        if pg.editions.edition_of(url) is not None and article_id(url) == aid and aid is not None:
            pg.strategies["canonical_url"] = name
            return canonical_host_url(url)
    if aid is None:
        return None
    edition = pg.editions.edition_of(pg.url) or "vi"
    # The URL's own slug as written; a slugless URL borrows the title's (the id is the identity).
    slug = _url_slug_raw(pg.url) or slugify(pg.text(pg.title_el) if pg.title_el is not None else "")
    pg.strategies["canonical_url"] = f"constructed:{edition}-host"
    return pg.editions.canonical_article_url(edition, slug, aid)


def _url_slug_raw(url: str) -> str:
    path = urlsplit(url).path.rsplit("/", 1)[-1]
    m = re.match(r"^(.*?)-a\d+\.html?$", path)
    return m.group(1) if m else ""


# ============================================================================================
# Body


_SHARE_HINT_RE = re.compile(r"(?<![a-z])(?:share|sharing|social)")
_END_START_RE = re.compile(r"^\s*(?:chia|share|liên|useful|links?)", re.I)


def _is_end_block(el: Element) -> bool:
    """Share block / useful-links block: the article ends here."""
    first = ""
    for t in el.itertext():
        if t.strip():
            first = t
            break
    if not first:
        return bool(_SHARE_HINT_RE.search(hints(el)))
    if not _END_START_RE.match(first):
        return False  # cheap exit: most blocks start with ordinary text
    text = collapse(text_of(el))
    if _END_LABEL_PREFIX_RE.match(text[:60]):
        return True
    return bool(_END_LABEL_RE.match(collapse(first))) and (el.tag != "p" or len(text) <= 30)


def cut_body(pg: ArticlePage) -> Element | None:
    """The container with the header parts, lead, byline and chrome boxes cut away (in place:
    the page is parsed for this one extraction)."""
    c = pg.container
    if c is None:
        return None
    # Header parts inside the container: drop them and everything before them.
    inside = [x for x in (pg.title_el, pg.date_el, pg.kicker_el, pg.lead_el) if x is not None]
    inside = [x for x in inside if c in x.iterancestors()]
    # The byline and the first end block: drop them and everything after them.
    start = max((pg.idx(i) for i in inside), default=-1)
    ends = [x for x in [_first_end_block(pg, c, start)] if x is not None]
    byline = pg.byline_el
    if byline is not None and c in byline.iterancestors() and pg.idx(byline) > start:
        ends.append(byline)
    if inside:
        _drop_before(c, max(inside, key=pg.idx))
    if ends:
        _drop_after(c, min(ends, key=pg.idx))
    for el in list(c.iterdescendants()):
        if el.getparent() is not None and isinstance(el.tag, str) and _is_chrome_box(pg, el):
            drop_tree(el)
    _drop_related_lists(c)
    return c


def _first_end_block(pg: ArticlePage, c: Element, start: int) -> Element | None:
    """The first share/useful-links block after `start` that only page furniture follows (under
    200 characters of paragraph text): a share bar above the text is not the article's end."""
    paras: list[tuple[int, int]] | None = None
    for el in _end_blocks(c):
        at = pg.idx(el)
        if at <= start:
            continue
        if paras is None:
            paras = [(pg.idx(p), len(text_of(p).strip())) for p in c.iter("p")]
        end = at + sum(1 for _ in el.iterdescendants())
        if sum(n for i, n in paras if i > end) < 200:
            return el
    return None


_RELATED_LABEL_RE = re.compile(
    r"^(?:tin|bài|bài viết)\s+(?:liên quan|khác|cùng chuyên mục)|^related(?:\s+(?:news|articles|stories))?"
    r"|^other\s+news|^(?:xem|đọc)\s+thêm|^see\s+also",
    re.I,
)


def _drop_related_lists(c: Element) -> None:
    """ "Tin liên quan:" as a paragraph of its own followed by a list of links is a related box
    written into the body: the label and the list go. (Lists are rare: start from them.)"""
    for lst in list(c.iterdescendants("ul", "ol")):
        block = lst.getprevious()
        if block is None or (lst.getparent() is not None and _text_between(block)):
            continue
        if (
            block.tag not in ("p", "h2", "h3", "h4", "div", "strong")
            or block.find(".//a") is not None
        ):
            continue
        text = collapse(text_of(block)).rstrip(" :")
        if len(text) > 40 or not _RELATED_LABEL_RE.match(text) or not _links_only(lst):
            continue
        drop_tree(lst)
        drop_tree(block)


def _text_between(el: Element) -> bool:
    return bool(el.tail and el.tail.strip())


def _links_only(el: Element) -> bool:
    """All text of the element is link text (a list of article titles)."""
    linked = sum(len(collapse(text_of(a))) for a in el.iter("a"))
    return linked > 0 and linked >= len(collapse(text_of(el))) - 5


def _end_blocks(c: Element) -> list[Element]:
    out = []
    for el in c.iterdescendants("div", "p", "section", "ul", "table", "aside", "nav"):
        if _is_end_block(el):
            out.append(el)
    return out


def _is_chrome_box(pg: ArticlePage, el: Element) -> bool:
    """Related boxes, ads, tag lists inside the body: dropped one by one (text may follow)."""
    if el.tag in ("p", "strong", "b", "em", "i", "a", "img", "span", "br", "li", "td", "tr"):
        return False
    return pg.regions.is_box(el)


def _drop_before(c: Element, el: Element) -> None:
    """Remove `el` and everything before it inside `c` (its tail, text after it, stays)."""
    if c not in el.iterancestors():
        return
    node = el
    while node is not c:
        parent = node.getparent()
        for sib in list(node.itersiblings(preceding=True)):
            parent.remove(sib)  # with its tail: text between header parts is header too
        parent.text = None
        if node is el:
            tail = node.tail
            parent.remove(node)
            parent.text = tail
        node = parent


def _drop_after(c: Element, el: Element) -> None:
    """Remove `el` and everything after it inside `c` (the page's end matter)."""
    if c not in el.iterancestors():
        return
    node = el
    while node is not c:
        parent = node.getparent()
        for sib in list(node.itersiblings()):
            parent.remove(sib)
        if node is el:
            parent.remove(node)
        else:
            node.tail = None
        node = parent


# ----------------------------------------------------------------------------- images


def body_images(pg: ArticlePage, body: Element | None) -> list[dict]:
    """Content images in page order with position and raw caption (forms A and B of site.md,
    plus figure/figcaption)."""
    if body is None:
        return []
    out: list[dict] = []
    for img in body.iter("img"):
        src = _img_src(img)
        if not src:
            continue
        caption_el = _caption_of(img, body, pg.caption_blocks)
        caption = block_text(caption_el) if caption_el is not None else ""
        out.append(
            {
                "url": absolute_url(src, pg.url, pg.editions),
                "position": _position(img, body, len(out)),
                "caption_raw": caption or None,
            }
        )
    return out


_PLACEHOLDER_RE = re.compile(r"^data:|blank\.|spacer\.|placeholder|loading\.|lazy\.", re.I)


def _img_src(img: Element) -> str:
    src = (img.get("src") or "").strip()
    for attr in ("data-src", "data-original", "data-lazy-src"):
        alt = (img.get(attr) or "").strip()
        if alt and (not src or _PLACEHOLDER_RE.search(src)):
            img.set("src", alt)  # body_html shows the real image too
            return alt
    return src


def _position(img: Element, body: Element, index: int) -> int:
    node: Element | None = img
    while node is not None and node is not body:
        pos = node.get("data-pos")
        if pos is not None and pos.strip().isdigit():
            return int(pos.strip())
        node = node.getparent()
    return index


def _caption_of(img: Element, body: Element, blocks: set) -> Element | None:
    # figure/figcaption
    for anc in img.iterancestors():
        if anc is body:
            break
        if anc.tag == "figure":
            cap = anc.find(".//figcaption")
            return cap
    # an image table (CKEditor, many Vietnamese CMSs): the caption is the next row's text.
    row = _enclosing(img, body, "tr")
    if row is not None and _image_row(row, img):
        blocks.add(row)
        nxt = row.getnext()
        if nxt is not None and nxt.tag == "tr" and nxt.find(".//img") is None:
            blocks.add(nxt)
            return nxt
        return None
    # form A: the em after the image inside the same paragraph.
    p = _enclosing(img, body, "p")
    if p is not None:
        blocks.add(p)
        seen = False
        for node in p.iter():
            if node is img:
                seen = True
            elif seen and node.tag == "img":
                return None
            elif seen and node.tag in ("em", "i"):
                return node
        return _next_caption_p(p, blocks)
    # form B: the image block's next paragraph, when it is just an em.
    top = img
    while top.getparent() is not None and top.getparent() is not body:
        parent = top.getparent()
        if len(parent.findall(".//img")) > 1 or collapse(text_of(parent)):
            break
        top = parent
    return _next_caption_p(top, blocks)


def _image_row(row: Element, img: Element) -> bool:
    """A table row holding just this image (a layout table for one photo and its caption)."""
    table = row.getparent()
    if table is not None and table.tag in ("tbody", "thead"):
        table = table.getparent()
    if table is None or len(table.findall(".//img")) != 1 or len(table.findall(".//tr")) > 3:
        return False
    return not collapse(text_of(row))


def _enclosing(el: Element, body: Element, tag: str) -> Element | None:
    for anc in el.iterancestors():
        if anc is body:
            return None
        if anc.tag == tag:
            return anc
    return None


def _next_caption_p(block: Element, blocks: set) -> Element | None:
    if block.tail and block.tail.strip():
        return None
    nxt = block.getnext()
    while nxt is not None and not isinstance(nxt.tag, str):
        nxt = nxt.getnext()
    if nxt is None or nxt.tag != "p" or nxt.find(".//img") is not None:
        return None
    if not _italic_only(nxt):
        return None
    blocks.add(nxt)
    ems = nxt.findall(".//em") + nxt.findall(".//i")
    return ems[0] if len(ems) == 1 and block_text(ems[0]) == block_text(nxt) else nxt


def _italic_only(el: Element) -> bool:
    """All text of the paragraph is in em/i: a caption line, not prose."""
    if el.text and el.text.strip():
        return False
    found = False
    for c in el:
        if not isinstance(c.tag, str):
            continue
        if c.tail and c.tail.strip():
            return False
        if c.tag in ("em", "i"):
            found = found or bool(collapse(text_of(c)))
        elif c.tag in ("span", "font", "strong", "b") and collapse(text_of(c)):
            if not _italic_only(c):
                return False
            found = True
        elif collapse(text_of(c)):
            return False
    return found


# ----------------------------------------------------------------------------- links


def body_links(pg: ArticlePage, body: Element | None, own: int | None) -> list[str]:
    if body is None:
        return []
    out: list[str] = []
    for a in body.iter("a"):
        href = a.get("href")
        if not href:
            continue
        aid = portal_article_id(absolute_url(href, pg.url, pg.editions), pg.editions)
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
        url = absolute_url(href, pg.url, pg.editions)
        aid = portal_article_id(url, pg.editions)
        if aid is not None and aid != own:
            out.setdefault(url, None)
    return list(out)


# ----------------------------------------------------------------------------- html and text


def body_html(pg: ArticlePage, body: Element | None) -> str | None:
    """Contract: unwrap non-content elements, keep href/src/alt (absolute, production form),
    serialize each top-level node with lxml, join with newlines."""
    if body is None:
        return None
    drops = []
    for el in body.iterdescendants():
        tag = el.tag
        if tag not in _HTML_KEEP:
            if isinstance(tag, str):
                drops.append(el)
            continue
        items = el.items()
        if not items:
            continue
        allowed = _HTML_ATTRS.get(tag, ())
        # Source order is kept (the CMS writes `alt` before `src`).
        keep = [
            (k, absolute_url(v, pg.url, pg.editions) if k != "alt" else v)
            for k, v in items
            if k in allowed
        ]
        if keep != items:
            el.attrib.clear()
            for k, v in keep:
                el.set(k, v)
    for el in drops:
        drop_tag(el)
    return _serialize_top_level(body)


def _serialize_top_level(body: Element) -> str | None:
    """Each top-level node serialized by lxml.html.tostring(node, encoding="unicode",
    with_tail=False), whitespace-only top-level text dropped, joined with "\n" (contract).

    Done as ONE tostring of the container: with the top-level text set to exactly the "\n"
    separators (plus any real text), the container's inner markup is that joined string, and one
    serializer call costs a fraction of one call per node."""
    children = [c for c in body if isinstance(c.tag, str)]
    if len(children) != len(body) or body.tag in _RAW_TEXT_TAGS:
        return _serialize_each(body)  # comments/PIs at top level or a raw-text tag: the slow way
    first = body.text if body.text and body.text.strip() else None
    if not children:
        return _text_node(first) if first else None
    body.text = f"{first}\n" if first else None
    last = len(children) - 1
    for i, child in enumerate(children):
        tail = child.tail if child.tail and child.tail.strip() else None
        if i < last:
            child.tail = f"\n{tail}\n" if tail else "\n"
        else:
            child.tail = f"\n{tail}" if tail else None
    body.attrib.clear()
    body.tail = None
    out = lxml.html.tostring(body, encoding="unicode", with_tail=False)
    return out[len(body.tag) + 2 : -(len(body.tag) + 3)] or None


# Elements whose content the HTML serializer writes raw or with a leading newline.
_RAW_TEXT_TAGS = frozenset(("pre", "textarea", "script", "style", "listing", "xmp", "plaintext"))


def _serialize_each(body: Element) -> str | None:
    parts: list[str] = []
    if body.text and body.text.strip():
        parts.append(_text_node(body.text))
    for child in body:
        parts.append(lxml.html.tostring(child, encoding="unicode", with_tail=False))
        if child.tail and child.tail.strip():
            parts.append(_text_node(child.tail))
    return "\n".join(parts) or None


def _text_node(text: str) -> str:
    """A top-level text node, escaped as lxml escapes text."""
    span = etree.Element("span")
    span.text = text
    return lxml.html.tostring(span, encoding="unicode")[6:-7]


def body_text(body: Element | None, images_blocks: set) -> str | None:
    """Contract: one entry per p (not image/caption), h2-h4, li, table row, joined by a blank line."""
    if body is None:
        return None
    entries: list[str] = []
    for el in body.iter(*_TEXT_BLOCKS):
        if el in images_blocks or (el.tag == "p" and el.find(".//img") is not None):
            continue
        if _inside_row_or_item(el, body):
            continue
        if el.tag == "tr":
            cells = [block_text(c) for c in el if c.tag in ("td", "th")]
            text = " | ".join(cells) if any(cells) else ""  # empty cells keep their place
        else:
            text = block_text(el)
        if text:
            entries.append(text)
    return "\n\n".join(entries) or None


def _inside_row_or_item(el: Element, top: Element) -> bool:
    """A block inside a list item or table row is part of that entry, not one of its own."""
    node = el.getparent()
    while node is not None and node is not top:
        if node.tag in ("li", "tr"):
            return True
        node = node.getparent()
    return False
