"""Pagination of a listing: links to other pages of the same listing, in any form.

The site's own form is unknown (docs/site.md: the sister CMS uses `?p=N&d=`; the 2020 spider
followed a `>` link inside `div.fright`), so a pagination link is told by where it leads, not by
its container's class: the same host and path once a page segment (`/trang-N/`, `/page/N/`) is
taken off, the same query once page numbers are. A link that names a page number is pagination
whatever its text; a link back to the bare listing (page 1) only when its text is a number or a
next/previous word, so the menu's link to the section is not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlsplit

from crawler.pages.common import Element, absolute_url, collapse

# A page segment at the end of a path: /trang-2/, /page/2/, /page-2/, /p2/, /2/
_PATH_PAGE_RE = re.compile(r"/(?:(?:trang|page|p|pg|pages?)[-_/]?)?(\d{1,5})/?$", re.I)
NAV_TEXT_RE = re.compile(
    r"^(?:\d{1,5}|[«»‹›<>]+|next|previous|prev|first|last|older|newer|more|next page"
    r"|sau|tiếp|tiếp theo|trang sau|trang trước|trước|đầu|cuối|trang đầu|trang cuối|xem tiếp"
    r"|xem thêm|\.\.\.|…)\W*$",
    re.I,
)


@dataclass
class Link:
    el: Element
    url: str  # absolute, production form
    text: str
    key: str | None  # record id for article/album links


def _page_key(url: str) -> tuple[str, str, tuple]:
    """(host, path without page segment, query without page-number/empty params)."""
    parts = urlsplit(url)
    path = parts.path or "/"
    m = _PATH_PAGE_RE.search(path)
    if m and path[: m.start()].strip("/"):
        path = path[: m.start()] + "/"
    query = tuple(
        sorted(
            (k, v)
            for k, v in parse_qsl(parts.query, keep_blank_values=True)
            if v and not v.isdigit()
        )
    )
    host = parts.netloc.lower().removeprefix("www.")
    return host, path, query


def _has_page_number(url: str) -> bool:
    parts = urlsplit(url)
    if any(v.isdigit() for _, v in parse_qsl(parts.query)):
        return True
    m = _PATH_PAGE_RE.search(parts.path)
    return bool(m and parts.path[: m.start()].strip("/"))


def pagination_links(links: list[Link], page_url: str, editions) -> list[Link]:
    """The page's links to other pages of its own listing, in page order."""
    here = absolute_url(page_url, page_url, editions)
    key = _page_key(here)
    here_numbered = _has_page_number(here)
    out: list[Link] = []
    for ln in links:
        if ln.key is not None or ln.url == here or _page_key(ln.url) != key:
            continue
        numbered = _has_page_number(ln.url)
        if not (numbered or here_numbered):
            continue
        rel = (ln.el.get("rel") or "").lower().split()
        text = ln.text or collapse(ln.el.get("title") or ln.el.get("aria-label"))
        if numbered or NAV_TEXT_RE.match(text) or "next" in rel or "prev" in rel:
            out.append(ln)
    return out


def head_pagination(root: Element, page_url: str, editions) -> list[str]:
    """`<link rel="next|prev" href>` targets (in the head, or anywhere a page puts them)."""
    out = []
    for el in root.iter("link"):
        rel = (el.get("rel") or "").lower().split()
        href = el.get("href")
        if href and ("next" in rel or "prev" in rel):
            out.append(absolute_url(href, page_url, editions))
    return out
