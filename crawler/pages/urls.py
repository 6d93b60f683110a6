"""URL forms on a page: links resolved against the page (or its portal `<base href>`) and mapped
to production form, article ids of portal URLs, the canonical form of a page URL."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urljoin, urlsplit, urlunsplit

from crawler.editions import IMAGE_HOSTS, PAGE_HOSTS, Editions, article_id
from crawler.pages.parsing import Element

__all__ = ["absolute_url", "canonical_host_url", "original_url", "page_base", "portal_article_id"]


def _fetch_netlocs(editions: Editions) -> set[str]:
    return {urlsplit(editions.vi_base).netloc.lower(), urlsplit(editions.en_base).netloc.lower()}


def absolute_url(href: str, page_url: str, editions: Editions) -> str:
    """`href` as found on the page -> absolute URL in production form.

    Relative links and links on the fetch hosts (a mirror, the replica) are resolved against the
    page as fetched and mapped to production (`/image/...` onto the image host). A link that
    already names a production or foreign host is left as written (contract: never re-encoded),
    so a production crawl and a replica crawl of the same page give the same URLs.
    """
    href = original_url(href.strip())
    parts = urlsplit(href)
    if parts.netloc:
        host = parts.netloc.lower().split(":")[0]
        production = host in PAGE_HOSTS or host in IMAGE_HOSTS
        if production and not parts.scheme:  # protocol-relative: scheme of the host, not the page
            scheme = IMAGE_HOSTS.get(host, "https")
            return f"{scheme}:{href}"
        if production or parts.netloc.lower() not in _fetch_netlocs(editions):
            return urljoin(page_url, href) if not parts.scheme else href
    if parts.scheme and parts.scheme not in ("http", "https"):
        return href  # mailto:, javascript:, data: stay as they are
    return editions.to_production(original_url(urljoin(page_url, href)))


# Copies of a page kept by an archive or served by a cache rewrite every link onto their own host
# with the original inside it: `https://web.archive.org/web/20240315031245im_/https://www.baolongan.vn/
# image/…` (also host-relative, `/web/…`), `https://news-baolongan-vn.cdn.ampproject.org/i/s/
# www.baolongan.vn/image/…` (`s/` for https), Next.js's `/_next/image?url=<original>&w=…`. The link
# the page made is the original.
_WAYBACK_RE = re.compile(
    r"^(?:(?:https?:)?//(?:web\.)?archive\.org)?/web/\d{4,14}(?:[a-z]{2}_)?/(?P<url>(?:https?:)?//.+)$",
    re.I,
)
_AMP_CACHE_RE = re.compile(
    r"^(?:https?:)?//[^/]+\.cdn\.ampproject\.org/[a-z]/(?P<https>s/)?(?P<rest>[^/]+\..+)$", re.I
)
# archive.today (`https://archive.ph/o/Vq7Lm/<original>`, `…/2025.07.02-034117/<original>`); a
# search engine's cache (`…/search?q=cache:<key>:<original>`); Firefox's Reader View
# (`about:reader?url=<original, encoded>`); a mirror (wget, HTTrack) keeping each host in a folder
# of its name (`https://mirror.example.org/2025/www.baolongan.vn/image/…`).
_ARCHIVE_TODAY_RE = re.compile(
    r"^(?:https?:)?//archive\.(?:ph|today|is|li|md|vn|fo)/(?:o/[A-Za-z0-9]+/"
    r"|\d{4}\.\d\d\.\d\d-\d{6}/)(?P<url>https?://.+)$",
    re.I,
)
_MIRROR_FOLDER_RE = re.compile(
    r"^https?://[^/?#]+/(?:[^?#]*/)?(?P<host>(?:www\.|news\.)?baolongan\.vn)/(?P<rest>.*)$", re.I
)


def original_url(href: str) -> str:
    """The original URL of a link an archive or an AMP cache rewrote; any other link as it is."""
    if "/web/" in href:
        m = _WAYBACK_RE.match(href)
        if m is not None:
            url = m["url"]
            return "https:" + url if url.startswith("//") else url
    if "/_next/image" in href:  # Next.js's image optimizer: `/_next/image?url=<original>&w=…`
        query = parse_qs(urlsplit(href).query)
        if query.get("url"):
            return query["url"][0]
    if "ampproject.org" in href:
        m = _AMP_CACHE_RE.match(href)
        if m is not None:
            return ("https://" if m["https"] else "http://") + m["rest"]
    if "archive." in href:
        m = _ARCHIVE_TODAY_RE.match(href)
        if m is not None:
            return m["url"]
    if "cache:" in href or href.startswith("about:reader"):
        query = parse_qs(urlsplit(href).query)
        wanted = (query.get("q") or query.get("url") or [""])[0]
        at = wanted.find("http")
        if at >= 0 and (href.startswith("about:reader") or wanted.startswith("cache:")):
            return wanted[at:]
    if "baolongan.vn/" in href:
        m = _MIRROR_FOLDER_RE.match(href)
        if m is not None and m["host"].lower() != (urlsplit(href).hostname or ""):
            return f"https://{m['host']}/{m['rest']}"
    return href


def page_base(root: Element, url: str, editions: Editions) -> tuple[str, bool]:
    """The URL relative links of the page resolve against: its `<base href>` when that names the
    portal (a fetch or production host), else the URL it was fetched from. Returns (base, True)
    when a `<base href>` pointing elsewhere was ignored: an offsite base must not send the
    crawler's links off the portal, and the caller counts it."""
    for el in root.iter("base"):
        href = (el.get("href") or "").strip()
        if not href:
            continue
        base = urljoin(url, href)
        if urlsplit(base).scheme in ("http", "https") and editions.is_portal(base):
            return base, False
        return url, True
    return url, False


def portal_article_id(url: str, editions: Editions) -> int | None:
    """Article id of an absolute URL on a portal host (any scheme, www or not), else None."""
    if not editions.is_portal(url):
        return None
    return article_id(url)


def canonical_host_url(url: str) -> str:
    """A production page URL in its canonical form: https, no `www.`, no query or fragment."""
    parts = urlsplit(url)
    host = parts.netloc.lower().split(":")[0]
    if host.startswith("www.") and host[4:] in PAGE_HOSTS:
        host = host[4:]
    return urlunsplit(("https", host, parts.path, "", ""))
