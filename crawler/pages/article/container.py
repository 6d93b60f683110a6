"""The body container: the element whose content is the article body (before header parts and
end matter are cut from it).

Rules, in order: a container class seen on real portal pages (`div.detail-content`,
`div.content-fck`) or schema.org's `itemprop=articleBody`; else `density` (readability-style: the
element with most paragraph text outside chrome boxes, a lone paragraph beside a text-rich block
left out as the lead), or `density+title` when the densest block stands in another column than
the article's title and a block of several paragraphs in the title's column comes close to it, or
`density+sections` when the densest block is one of a run of like sections that together are the
body. Paragraphs are `p` elements and divs written as paragraphs (page.py, `paragraphs`).
"""

from __future__ import annotations

from collections.abc import Callable

from crawler.pages.article.page import ArticlePage, Found, p_text, paragraphs
from crawler.pages.article.title import slug_heading
from crawler.pages.common import Element, PageRegions, holds_prose, text_of
from crawler.pages.parsing import has_tag, holds
from crawler.pages.regions import common_ancestor

__all__ = ["find_container"]

# Body containers seen on real pages (docs/site.md), then schema.org's marker.
_KNOWN_BODY_CLASSES = frozenset(("detail-content", "content-fck"))


def find_container(pg: ArticlePage) -> Found:
    """`Found.el` is the container; `Found.strategy` names the rule."""
    regions = pg.regions_for()
    known = [el for el in pg.classed() if _known_container(pg, el) and not _boxed(el, regions)]
    if known:
        best = _best_known(known)
        return Found(None, _describe(best), best)
    best, strategy = _densest(pg.root, regions, lambda: slug_heading(pg))
    return Found(None, strategy, best)


def _known_container(pg: ArticlePage, el: Element) -> bool:
    if el.get("itemprop") == "articleBody":
        return True
    h = pg.hint(el)
    return ("detail-content" in h or "content-fck" in h) and bool(
        _KNOWN_BODY_CLASSES & set(el.get("class", "").split())
    )


def _describe(el: Element) -> str:
    if el.get("itemprop") == "articleBody":
        return "itemprop=articleBody"
    cls = el.get("class") or ""
    return "div.content-fck" if "content-fck" in cls.split() else "div.detail-content"


def _boxed(el: Element, regions: PageRegions) -> bool:
    """A container candidate that is page furniture or sits in a box (a teaser list, a "most
    read" box). The climb stops at the first wrapper that holds running text: from there up,
    the verdict is about the article's surroundings, not the candidate."""
    node: Element | None = el
    for _ in range(6):
        if node is None or node.tag in ("body", "html"):
            return False
        if regions.is_box(node):
            return True
        if node is not el and holds_prose(node):
            return False
        node = node.getparent()
    return False


def _best_known(known: list[Element]) -> Element:
    """The known container with most paragraph text; an inner one when it holds nearly all of it
    (a `content-fck` inside a `detail-content` that also holds the title)."""
    if len(known) == 1:
        return known[0]
    scored = [(el, p_text(el)) for el in known]
    best, best_n = max(scored, key=lambda t: t[1])
    for el, n in scored:
        if el is not best and n >= 0.8 * best_n and best in el.iterancestors():
            if best_n == 0 and not has_tag(el, "img"):
                continue
            best, best_n = el, n
    return best


# A block in the title's column wins over a denser one elsewhere when it has at least this share
# of its paragraph text: a static "about us" box in a sidebar can be eight times as long as a
# short article (4,800 against 600 characters in the replica's generated chromes).
NEAR_TITLE_SHARE = 0.1


def _densest(
    root: Element, regions: PageRegions, title: Callable[[], Element | None]
) -> tuple[Element | None, str]:
    """Readability-style: each paragraph's text counts for its parent and half for its
    grandparent; the top scorer outside chrome boxes is the container. Paragraphs the learned
    template knows (a static "about us" box longer than the article) do not count; before the
    template is learned, or on a single page, the title's column decides (`_near_title`)."""
    scores: dict[Element, float] = {}
    counts: dict[Element, int] = {}
    learned = regions.learned
    for p in paragraphs(root):
        n = len(text_of(p).strip())
        if n < 25 or (p.tag == "div" and _mostly_links(p, n)):
            continue  # (a line of links in a div is a menu or a teaser, not a paragraph)
        parent = p.getparent()
        if parent is None or p in learned or parent in learned:
            continue  # the same paragraph on page after page: the template's, not an article's
        scores[parent] = scores.get(parent, 0) + n
        counts[parent] = counts.get(parent, 0) + 1
        gp = parent.getparent()
        if gp is not None and gp.tag != "html":
            scores[gp] = scores.get(gp, 0) + n / 2
            counts[gp] = counts.get(gp, 0) + 1
    ranked = sorted(scores.items(), key=lambda t: -t[1])
    for i, (el, score) in enumerate(ranked):
        if not _boxed(el, regions):
            near = _near_title(el, score, ranked[i + 1 :], counts, regions, title())
            if near is not None:
                return _descend(near), "density+title"
            joined = _joined(el, regions)
            if joined is not el:
                return joined, "density+sections"
            return _descend(el), "density"
    return None, "none"


def _joined(el: Element, regions: PageRegions) -> Element:
    """A body the CMS writes as a run of like sections (`<section class="block">` after
    `<section class="block">`, each with its sub-head, paragraphs and photos): the densest is only
    one of them, and their parent is the body. A sibling counts when it has the same tag and the
    same attributes (a class, or a framework's scoping mark: Vue's `data-v-7b1e4c2a`), and holds
    running text outside chrome boxes (a teaser list of the same class does not). Bare elements
    are never joined: in class-less markup every block looks alike."""
    marks = sorted(el.attrib.items())
    parent = el.getparent()
    if not marks or parent is None or parent.tag in ("body", "html") or _boxed(parent, regions):
        return el
    for sib in parent:
        if sib is el or sib.tag != el.tag or sorted(sib.attrib.items()) != marks:
            continue
        if (holds_prose(sib) or _closing_section(sib)) and not _boxed(sib, regions):
            return parent
    return el


def _closing_section(sib: Element) -> bool:
    """A short section of the same run (its last paragraph and the byline, after a box set in
    the body): a sentence-long paragraph and no link at all, where a teaser has its link."""
    return not has_tag(sib, "a") and any(len(text_of(p).strip()) >= 80 for p in sib.iter("p"))


def _mostly_links(el: Element, n: int) -> bool:
    return 2 * sum(len(text_of(a).strip()) for a in el.iter("a")) > n


def _near_title(
    best: Element,
    score: float,
    rest: list[tuple[Element, float]],
    counts: dict[Element, int],
    regions: PageRegions,
    title: Element | None,
) -> Element | None:
    """A block standing nearer the title than `best` (their common ancestor deeper in the tree
    than best's with the title), with at least NEAR_TITLE_SHARE of best's paragraph text in two
    or more paragraphs (not the lone lead under the title), outside chrome boxes; None when
    `best` holds the title or none qualifies. Cheap on most pages: the body holds the title's
    column already, and the loop stops at the first block below the share."""
    if title is None or best is title or holds(best, title):
        return None
    top = title.getroottree().getroot()
    far = _depth(common_ancestor([best, title], top))
    for el, other in rest:
        if other < NEAR_TITLE_SHARE * score:
            return None
        if (
            counts.get(el, 0) >= 2
            and _depth(common_ancestor([el, title], top)) > far
            and not _boxed(el, regions)
        ):
            return el
    return None


def _depth(el: Element) -> int:
    return sum(1 for _ in el.iterancestors())


def _descend(el: Element) -> Element:
    """A wrapper holding one paragraph beside a text-rich block: the block is the body and the
    lone paragraph is the lead (or a caption), not body text."""
    while True:
        children = [c for c in el if isinstance(c.tag, str)]
        texts = [(c, p_text(c) if c.tag != "p" else len(text_of(c).strip())) for c in children]
        total = sum(n for _, n in texts)
        rich = [c for c, n in texts if c.tag != "p" and n >= 0.5 * total and n > 0]
        if not rich:
            return el
        outside = [c for c, n in texts if c is not rich[0] and n >= 25]
        if len(outside) > 1 or any(c.tag != "p" for c in outside):
            return el
        el = rich[0]
