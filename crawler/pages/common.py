"""What the page modules share: `Extraction` (what a page module returns), and their helpers
gathered under one name. Each helper lives in the module of its concern:

    parsing.py   parse once, measure and remove elements, tree helpers
    text.py      collapsed text, `<br>`, slugs, the site name around titles, printed dates
    regions.py   page furniture (sidebars, menus, related boxes) told by what a block holds
    urls.py      links in production form, `<base href>`, article ids, canonical page URLs
    meta.py      `<meta>`, `<link rel=canonical>`, `<title>`, JSON-LD

Nothing here knows a field of the record: the field functions in article/, album.py, video.py and
listing/ stay short because these know how the portal's pages are shaped in general.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from crawler.pages.meta import Meta, read_meta
from crawler.pages.parsing import (
    HEADINGS,
    Element,
    drop_invisible,
    drop_tag,
    drop_tree,
    parse_html,
    style_right,
    text_len,
    text_of,
)
from crawler.pages.regions import (
    SIDE_HINT_RE,
    SIDE_LABEL_RE,
    PageRegions,
    box_label,
    hints,
    holds_photos,
    holds_prose,
)
from crawler.pages.text import (
    DATE_RE,
    TIME_FIRST_RE,
    WEEKDAY_RE,
    block_text,
    collapse,
    date_key,
    find_date,
    is_site_name,
    slugify,
    strip_site_name,
)
from crawler.pages.urls import absolute_url, canonical_host_url, page_base, portal_article_id

__all__ = [
    "DATE_RE",
    "HEADINGS",
    "SIDE_HINT_RE",
    "SIDE_LABEL_RE",
    "TIME_FIRST_RE",
    "WEEKDAY_RE",
    "Element",
    "Extraction",
    "Meta",
    "PageRegions",
    "absolute_url",
    "block_text",
    "box_label",
    "canonical_host_url",
    "collapse",
    "drop_invisible",
    "drop_tag",
    "drop_tree",
    "date_key",
    "find_date",
    "hints",
    "holds_photos",
    "holds_prose",
    "is_site_name",
    "page_base",
    "parse_html",
    "portal_article_id",
    "read_meta",
    "slugify",
    "strip_site_name",
    "style_right",
    "text_len",
    "text_of",
]


@dataclass
class Extraction:
    """What a page module found on one article or album page."""

    fields: dict[str, Any]
    """Raw and structural record fields (docs/architecture.md lists them)."""
    strategies: dict[str, str] = field(default_factory=dict)
    """Field -> name of the fallback that produced it (`h1+slug`, `og:title`, `jsonld`, ...)."""
    issues: list[str] = field(default_factory=list)
    """Quality reason codes noticed while extracting (`no_title`, `lead_from_meta`, ...)."""
    blocks: frozenset[str] = frozenset()
    """Signatures of the page's blocks, to learn the site's template from (template.py)."""
    requisites: list[str] = field(default_factory=list)
    """The page's requisites (requisites.py), read from the same tree when asked for."""
