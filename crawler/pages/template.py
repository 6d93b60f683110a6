"""Learning the site's own page template from the site itself.

A crawl sees hundreds of pages drawn in one chrome. Blocks that come back on page after page of a
host with the same text (menus, the header clock, footers, static sidebars, share and useful-link
boxes) are the template; what varies from page to page is content. `Template` counts, per edition
host, on how many pages each block signature (tag + text) was seen; a block seen on at least
`CHROME_SHARE` of the pages learned from (and on `MIN_PAGES` or more) is chrome. A signature
includes where the block stands, so content quoted in a sidebar elsewhere is not mistaken for it.
Where it stands is not always enough: in a layout without classes a "latest news" box can stand at
the article's own path and quote its title, lead or paragraphs word for word. So on a page, a
block holding the page's own title or description as its metadata names them, or a paragraph of
prose whose enclosing block the template does not know, is never taken for learned chrome (`load`,
crawler/pages/article/page.py): a box of the template is learned whole. The page modules treat learned chrome like any other furniture
(never the title, the date, the lead or the body), which tells the header clock from the article
date and a static sidebar longer than the article from the article.

A redesign shows as pages whose blocks stop matching the learned chrome: after `MISSES_TO_RELEARN`
such pages in a row the template is dropped, learning starts again, and the event is counted.
Memory stays bounded: past `MAX_SIGNATURES` signatures, those seen on one page only are forgotten.
Pure: no Scrapy; the spider keeps one Template per edition and the state store keeps them between
runs (docs/architecture.md).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

from lxml import etree

from crawler.pages.common import Element, text_of

__all__ = ["Template", "block_signatures"]

MIN_PAGES = 4
CHROME_SHARE = 0.5
MIN_REPEATS = 5
"""A block must come back on at least this many pages to be chrome: content that recurs at the
same place now and then (a kicker "Long An", an author's byline) stays content."""
MISSES_TO_RELEARN = 3
MATCH_SHARE = 0.2
"""A page matches the template when it shows at least this share of the learned chrome blocks."""
MAX_SIGNATURES = 50_000
_BLOCK_TAGS = (
    "p",
    "div",
    "section",
    "aside",
    "nav",
    "header",
    "footer",
    "ul",
    "ol",
    "table",
    "form",
)
_MIN_TEXT, _MAX_TEXT = 8, 8_000
_MAX_DESCENDANTS = 300
_DESCENDANTS = etree.XPath("count(descendant::*)")


def block_signatures(root: Element) -> dict[str, Element]:
    """Signature -> element for the page's text blocks (the first element of each signature):
    paragraphs and boxes up to `_MAX_DESCENDANTS` elements in content (page wrappers are left
    out: they differ on every page anyway, and measuring them would cost more than the rest of
    the page). A signature is the block's place (its path of tags and classes from the root) and
    its text: the same box on another page of the template has the same one, while an article's
    lead quoted in another page's "most read" box stands elsewhere and does not."""
    out: dict[str, Element] = {}
    paths: dict[Element, str] = {}
    for el in root.iter(*_BLOCK_TAGS):
        if _DESCENDANTS(el) > _MAX_DESCENDANTS:
            continue
        text = text_of(el)
        if not _MIN_TEXT <= len(text) <= _MAX_TEXT:
            continue
        key = f"{_path(el, paths)}\x00{' '.join(text.split())}"
        out.setdefault(hashlib.blake2b(key.encode(), digest_size=8).hexdigest(), el)
    return out


def _path(el: Element, memo: dict[Element, str]) -> str:
    """`html/body/div.page/aside/ul`: where a block stands, memoized along the tree."""
    path = memo.get(el)
    if path is None:
        parent = el.getparent()
        # <body>'s class names the page type (`page-detail`, `page-list`): not part of the place.
        cls = el.get("class") if el.tag not in ("body", "html") else None
        step = f"{el.tag}.{cls}" if cls else str(el.tag)
        path = memo[el] = step if parent is None else f"{_path(parent, memo)}/{step}"
    return path


@dataclass
class Template:
    """What one edition host's pages have in common, learned page by page."""

    pages: int = 0
    """Pages learned from since the last (re)start of learning."""
    counts: dict[str, int] = field(default_factory=dict)
    """Block signature -> pages it was seen on."""
    redesigns: int = 0
    """Times the pages stopped matching and learning started again."""
    misses: int = 0
    """Pages in a row that did not match the learned chrome."""
    _chrome: frozenset[str] | None = None

    def chrome(self) -> frozenset[str]:
        """Signatures of the blocks judged chrome (none before MIN_PAGES pages)."""
        if self._chrome is None:
            if self.pages < MIN_PAGES:
                self._chrome = frozenset()
            else:
                least = max(MIN_REPEATS, CHROME_SHARE * self.pages)
                self._chrome = frozenset(s for s, n in self.counts.items() if n >= least)
        return self._chrome

    def fingerprint(self) -> str:
        """A short hash of the chrome blocks: changes when the template does."""
        chrome = sorted(self.chrome())
        if not chrome:
            return ""
        return hashlib.blake2b("".join(chrome).encode(), digest_size=6).hexdigest()

    def matches(self, signatures: set[str] | frozenset[str]) -> bool | None:
        """Whether a page shows the learned chrome; None while nothing is learned."""
        chrome = self.chrome()
        if not chrome:
            return None
        return len(chrome & signatures) >= MATCH_SHARE * len(chrome)

    def observe(self, signatures: set[str] | frozenset[str]) -> bool:
        """Learn from one page. True when this page completes a redesign (learning restarts)."""
        relearn = False
        if self.matches(signatures) is False:
            self.misses += 1
            if self.misses >= MISSES_TO_RELEARN:
                self.pages, self.counts, self.misses = 0, {}, 0
                self.redesigns += 1
                relearn = True
        else:
            self.misses = 0
        self.pages += 1
        counts = self.counts
        for s in signatures:
            counts[s] = counts.get(s, 0) + 1
        if len(counts) > MAX_SIGNATURES:
            self.counts = {s: n for s, n in counts.items() if n > 1}
        self._chrome = self._next_chrome(signatures)
        return relearn

    def _next_chrome(self, signatures: set[str] | frozenset[str]) -> frozenset[str] | None:
        """`chrome()` after one more page, from the chrome before it (None: compute in full).

        Recomputing it from every count after each page cost ~0.5 ms a page once the counts
        filled up. After a page, the threshold only rises (`pages` grew) and only this page's
        signatures gained a count, so the chrome is the old chrome's blocks still over the
        threshold plus this page's blocks that reached it. Before MIN_PAGES pages, and when
        learning restarted, the full computation runs instead."""
        before = self._chrome
        if before is None or self.pages <= MIN_PAGES:
            return None
        least = max(MIN_REPEATS, CHROME_SHARE * self.pages)
        counts = self.counts
        kept = {s for s in before if counts.get(s, 0) >= least}
        kept.update(s for s in signatures if counts.get(s, 0) >= least)
        return frozenset(kept)

    def to_json(self) -> str:
        return json.dumps(
            {"pages": self.pages, "counts": self.counts, "redesigns": self.redesigns},
            separators=(",", ":"),
        )

    @classmethod
    def from_json(cls, text: str) -> Template:
        data = json.loads(text)
        return cls(
            pages=int(data.get("pages", 0)),
            counts={str(k): int(v) for k, v in (data.get("counts") or {}).items()},
            redesigns=int(data.get("redesigns", 0)),
        )
