"""One parsed article or album page: the tree, what one walk over it found, and the anchors.

`ArticlePage` holds facts about the page that never change once it is parsed (document order,
class/id hints, headings, metadata) behind small caches, so the field modules can ask them cheaply.
`Anchors` holds what the field modules have located so far (container, title, date, kicker, lead,
byline). Each field module gets the anchors it needs as an argument and returns a `Found`; the
entry point (`parse_article`) threads them in reading order, so no rule depends on another having
left state behind.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

from parsel import Selector

from crawler.editions import TOP_SECTIONS, Editions, section_slug
from crawler.pages.common import (
    Element,
    Meta,
    PageRegions,
    block_text,
    collapse,
    drop_invisible,
    page_base,
    parse_html,
    read_meta,
    slugify,
    text_of,
)
from crawler.pages.parsing import adopt_amp_images, adopt_break_paragraphs, close_open_paragraphs
from crawler.pages.requisites import page_requisites
from crawler.pages.template import block_signatures

__all__ = [
    "Anchors",
    "ArticlePage",
    "Found",
    "bold_only",
    "load",
    "p_text",
    "paragraphs",
    "url_slug",
]

# Class/id words that hint at a field. Hints only break ties and speed up the common case: every
# field also has a rule that reads what a block holds and where it stands (docs/site.md: the
# portal's chrome is unknown and will change).
TITLE_HINT_RE = re.compile(r"(?<![a-z])(?:title|headline|tieu-?de|tieude|heading)(?![a-z])")
KICKER_HINT_RE = re.compile(
    r"(?<![a-z])(?:kicker|sub-?title|title-?sub|subtitle|sup-?title|upper|super-?title|pre-?title|over-?line|eyebrow"
    r"|tieu-?de-?phu|dau-?de|rubric|top-?title)(?![a-z])"
)
LEAD_HINT_RE = re.compile(
    r"(?<![a-z])(?:sapo|lead|summary|description|desc|intro|chapp?eau|excerpt|tom-?tat|tomtat"
    r"|teaser|abstract|standfirst|fontd)(?![a-z])"
)
_BOLD_STYLE_RE = re.compile(r"font-weight\s*:\s*(?:bold|[6-9]00)")
# Bold by a utility class (Bootstrap `fw-bold`, Tailwind `font-bold`). Not the portal's `fw600`:
# its lead paragraph carries it (docs/site.md), and a lead is not a byline.
_BOLD_CLASS_RE = re.compile(
    r"(?<![\w-])(?:fw-bold|fw-bolder|font-weight-bold|font-bold|bold)(?![\w-])"
)
_SCANNED_TAGS = frozenset(("h1", "h2", "h3", "h4", "nav"))
_UNCLASSED_TAGS = frozenset(("html", "body", "head", "meta", "link", "title"))
FAR = 10**9
"""A document position after every element (no such element)."""


@dataclass(frozen=True)
class Found:
    """What a field rule found: the raw value, the rule's name, the element it came from."""

    value: str | None = None
    strategy: str = ""
    el: Element | None = None


NOT_FOUND = Found()


@dataclass(frozen=True)
class Anchors:
    """Elements located so far, in reading order; later rules measure from them."""

    container: Element | None = None
    title: Element | None = None
    date: Element | None = None
    kicker: Element | None = None
    lead: Element | None = None
    byline: Element | None = None
    regions: PageRegions = field(default_factory=PageRegions)
    """Chrome test protecting the title and the container (set with the title)."""

    def with_(self, **kw: object) -> Anchors:
        # (dataclasses.replace re-reads the fields' definitions on every call: 4x the cost)
        return Anchors(**{**self.__dict__, **kw})  # type: ignore[arg-type]


@dataclass
class ArticlePage:
    """The page parsed once, with the lookups every field rule shares (read many times)."""

    root: Element
    url: str
    editions: Editions
    meta: Meta
    slug: str
    base: str = ""
    """What relative links resolve against: the portal `<base href>`, else `url`."""
    strategies: dict[str, str] = field(default_factory=dict)
    """Field -> winning rule: a log the entry point writes, never read by rules."""
    issues: list[str] = field(default_factory=list)
    _order: dict[Element, int] = field(default_factory=dict)
    _elements: list[Element] = field(default_factory=list)
    _classed: list[Element] = field(default_factory=list)
    _tagged: dict[str, list[Element]] = field(default_factory=dict)
    _hints: dict[Element, str] = field(default_factory=dict)
    _menu_names: set[str] | None = None
    _texts: dict[Element, str] = field(default_factory=dict)
    blocks: dict[str, Element] = field(default_factory=dict)
    """Block signature -> element, what the site's template is learned from (template.py)."""
    learned: frozenset[Element] = frozenset()
    """Blocks the learned template judges chrome on this page."""
    _boxes: dict[Element, bool] = field(default_factory=dict)
    _links: dict[Element, tuple[int, bool]] = field(default_factory=dict)
    _selector: Selector | None = None
    requisites: list[str] = field(default_factory=list)
    """Page requisites (crawler/pages/requisites.py), when `load` was asked for them."""

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

    @property
    def selector(self) -> Selector:
        """A parsel Selector over the same tree (no re-parse), for CSS/XPath lookups."""
        if self._selector is None:
            self._selector = Selector(root=self.root, type="html")
        return self._selector

    def idx(self, el: Element | None) -> int:
        return -1 if el is None else self._order.get(el, -1)

    def end(self, el: Element) -> int:
        """Document position of the last element inside `el`."""
        return self.idx(el) + sum(1 for _ in el.iterdescendants())

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
        """Lower-cased class and id, from the scan."""
        return self._hints.get(el, "")

    def regions_for(self, *protect: Element | None) -> PageRegions:
        """A PageRegions protecting the given elements, sharing this page's box cache."""
        return PageRegions(
            protect=[x for x in protect if x is not None],
            boxes=self._boxes,
            learned=self.learned,
            links=self._links,
        )

    def text(self, el: Element) -> str:
        """block_text, cached: the same element is measured by several field rules."""
        t = self._texts.get(el)
        if t is None:
            t = self._texts[el] = block_text(el)
        return t

    def menu_names(self) -> set[str]:
        """Slugs of the section names linked on the page and of the portal's top-level sections
        (a kicker is never one of them)."""
        if self._menu_names is None:
            names: set[str] = set(TOP_SECTIONS)
            for a in self.root.iter("a"):
                if _section_link(a.get("href") or ""):
                    t = collapse(text_of(a))
                    if t:
                        names.add(slugify(t))
            self._menu_names = names
        return self._menu_names

    def record(self, name: str, found: Found, missing: str | None = None) -> Found:
        """Log the winning rule of a field (or the issue code when nothing was found)."""
        if found.value:
            self.strategies[name] = found.strategy
        elif missing:
            self.issues.append(missing)
        return found


def load(
    html: str,
    url: str,
    editions: Editions,
    chrome: frozenset[str] = frozenset(),
    learn: bool = False,
    requisites: bool = False,
) -> ArticlePage:
    """Parse once; read metadata (JSON-LD) and, with `requisites`, the page requisites before
    scripts are dropped. `chrome`: signatures of the blocks the site's learned template judges
    chrome; `learn`: collect the page's block signatures to learn from (the crawl does; a one-off
    extraction need not pay for it, nor for the requisites)."""
    root = parse_html(html)
    meta = read_meta(root)
    wanted = page_requisites(root, url, editions) if requisites else []
    drop_invisible(root)
    adopt_amp_images(root)
    adopt_break_paragraphs(root)
    close_open_paragraphs(root)
    pg = ArticlePage(root=root, url=url, editions=editions, meta=meta, slug=url_slug(url))
    pg.requisites = wanted
    pg.base, ignored = page_base(root, url, editions)
    if ignored:
        pg.issues.append("base_href_ignored")
    pg.scan()
    if learn or chrome:
        pg.blocks = block_signatures(root)
        # A block holding the page's own title or description is not chrome on its own page,
        # whatever other pages' "latest news" boxes taught (crawler/pages/template.py).
        own = meta.own_texts()
        learned = {
            el
            for sig, el in pg.blocks.items()
            if sig in chrome and collapse(text_of(el)) not in own
        }
        pg.learned = frozenset(el for el in learned if not _quoted_elsewhere(el, learned))
    return pg


def _quoted_elsewhere(el: Element, learned: set[Element]) -> bool:
    """A paragraph of prose the template knows, standing in a block the template does not: the
    article's own paragraph, which a box on other pages quotes (a "most read" box that shows the
    article's opening at the body's place). A box of the template is learned whole, paragraphs
    and block together (an "about us" box, a footer), and stays chrome."""
    return (
        el.tag == "p"
        and el.getparent() not in learned
        and len(collapse(text_of(el))) >= _QUOTED_PROSE_CHARS
    )


_QUOTED_PROSE_CHARS = 80


def _section_link(href: str) -> bool:
    """A link to a section listing: a section-shaped path with no query, and not a search or
    tag page (`/tim-kiem/?q=Đức+Hòa` names a place the kicker may well name too)."""
    slug = section_slug(href)
    if slug is None or urlsplit(href).query:
        return False
    return slug.split("/", 1)[0] not in _NOT_SECTIONS


_NOT_SECTIONS = frozenset(("tim-kiem", "search", "tag", "tags", "tu-khoa", "chu-de", "topic"))


def url_slug(url: str) -> str:
    """`cho-tre-lam-quen-voi-tieng-anh` from `/cho-tre-lam-quen-voi-tieng-anh-a188491.html`;
    albums: `<slug>` from `/xem-albumphoto/<slug>.<id>.html`."""
    path = unquote(urlsplit(url).path).rsplit("/", 1)[-1]
    m = re.match(r"^(.*?)-a\d+\.html?$", path)
    if m:
        return slugify(m.group(1))
    m = re.match(r"^(.*?)\.\d+\.html?$", path)
    return slugify(m.group(1)) if m else ""


def bold_only(el: Element) -> bool:
    """All of the element's text sits inside strong/b (or a bold inline style)."""
    has_text = False

    def walk(node: Element, bold: bool) -> bool:
        nonlocal has_text
        bold = (
            bold
            or node.tag in ("strong", "b")
            or bool(_BOLD_STYLE_RE.search(node.get("style") or ""))
            or bool(_BOLD_CLASS_RE.search(node.get("class") or ""))
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


BYLINE_START_RE = re.compile(
    r"^(?:by|bởi|ctv|theo|nguồn|source|bài(?: và ảnh)?|ảnh|thơ|đồ họa|tin|nhóm pv|pv|tác giả|authors?)\b",
    re.I,
)
"""How bylines open ("By ...", "Theo TTXVN", "Bài và ảnh: ..."): byline.py finds them, lead.py
leaves a short such line under the title to it."""


def short_byline_line(text: str) -> bool:
    """A line under the title that is a byline, never a lead: opens like one, ten words at most,
    no closing full stop ("By Phuong Phuong– Translated by Kim Khanh")."""
    return bool(BYLINE_START_RE.match(text)) and len(text.split()) <= 10 and not text.endswith(".")


def title_anchor(pg: ArticlePage, at: Anchors) -> int:
    """Where the article's header is: the title, else the body container."""
    if at.title is not None:
        return pg.idx(at.title)
    if at.container is not None:
        return pg.idx(at.container)
    return -1


# Tags that make an element a holder of blocks rather than a paragraph (see `paragraphs`).
_BLOCK_TAGS = (
    "p", "div", "ul", "ol", "li", "table", "section", "article", "aside", "nav", "header",
    "footer", "main", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "figure", "form", "dl",
    "pre",
)  # fmt: skip


def paragraphs(root: Element) -> Iterator[Element]:
    """The page's paragraphs in document order: every `p`, and every `div` written as one. Old
    editors and some CMSs write a body as `<div>text</div>` lines with no `p` at all; such a div
    holds no block of its own (only text and inline markup)."""
    holders: set[Element] = set()
    for el in root.iter(*_BLOCK_TAGS):
        for a in el.iterancestors():
            if a in holders:
                break  # and so are all of its ancestors
            holders.add(a)
    for el in root.iter("p", "div"):
        if el.tag == "p" or el not in holders:
            yield el


def p_text(el: Element) -> int:
    """Characters of paragraph text inside an element."""
    return sum(len(text_of(p).strip()) for p in el.iter("p"))
