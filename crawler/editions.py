"""The portal's hosts and URL shapes: which edition a URL belongs to, what it points at, and how
production URLs map onto the hosts we actually fetch from (the live portal, a mirror or the replica).

Fetched URLs are in *fetch form* (the configured `EDITION_URL_VI/EN`); every URL written into a content
field is in *production form* (docs/contract.md). This module is the only place that knows both.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit, urlunsplit

from w3lib.url import canonicalize_url, safe_url_string

PRODUCTION = {"vi": "https://baolongan.vn", "en": "https://news.baolongan.vn"}
# Images of both editions live on the vi site's `www` host; old articles on `image.baolongan.vn/news/...`.
IMAGE_HOSTS = {"www.baolongan.vn": "https", "image.baolongan.vn": "http"}
# Production hostnames (as seen in links) -> edition. `www.` variants circulate for pages too.
PAGE_HOSTS = {
    "baolongan.vn": "vi",
    "www.baolongan.vn": "vi",
    "news.baolongan.vn": "en",
    "www.news.baolongan.vn": "en",
}

ARTICLE_RE = re.compile(r"-a(\d+)\.html?$")
ALBUM_RE = re.compile(r"^/(xem|view)-albumphoto/(?:[^/]*?\.)?(\d+)\.html?$")
SECTION_RE = re.compile(r"^/[a-z0-9][a-z0-9-]*/(?:[a-z0-9][a-z0-9-]*/)?$")
ALBUM_PREFIX = {"vi": "xem", "en": "view"}
# Image paths on the fetch hosts. `/news/` alone is not enough: an English section may be
# `/news/politics/`; old images live under `/news/<year>/...` on image.baolongan.vn.
LEGACY_IMAGE_RE = re.compile(r"^/news/\d{4}/")
# Old images live at `image.baolongan.vn/news/YYYY/...`; `/news/<slug>/` is also a possible English
# section, so only a year after `/news/` marks an image path.
OLD_IMAGE_PATH_RE = re.compile(r"^/news/\d{4}/")


def _is_image_path(path: str) -> bool:
    return path.startswith("/image/") or bool(LEGACY_IMAGE_RE.match(path))


def article_id(url: str) -> int | None:
    """The numeric article id of an article URL (`/<slug>-a<ID>.html`), else None."""
    m = ARTICLE_RE.search(urlsplit(url).path)
    return int(m.group(1)) if m else None


def album_id(url: str) -> int | None:
    """The numeric album id of a photo-album URL, else None (the `pid` query is not identity)."""
    m = ALBUM_RE.match(urlsplit(url).path)
    return int(m.group(2)) if m else None


def album_edition(url: str) -> str | None:
    """`vi` for `/xem-albumphoto/...`, `en` for `/view-albumphoto/...`, else None."""
    m = ALBUM_RE.match(urlsplit(url).path)
    return {"xem": "vi", "view": "en"}[m.group(1)] if m else None


def section_slug(url: str) -> str | None:
    """`thoi-su-chinh-tri/long-an` for a section listing URL (any page of it), else None."""
    path = urlsplit(url).path
    return path.strip("/") if SECTION_RE.match(path) else None


@dataclass(frozen=True)
class Editions:
    """Maps between production hosts and the configured fetch hosts of both editions."""

    vi_base: str = PRODUCTION["vi"]
    en_base: str = PRODUCTION["en"]

    def base(self, edition: str) -> str:
        return self.vi_base if edition == "vi" else self.en_base

    def _fetch_netlocs(self) -> dict[str, str]:
        return {urlsplit(self.vi_base).netloc: "vi", urlsplit(self.en_base).netloc: "en"}

    def edition_of(self, url: str) -> str | None:
        """Edition of the host serving `url` (fetch or production form); None for other hosts.
        Image hosts are not editions."""
        netloc = urlsplit(url).netloc.lower()
        fetch = self._fetch_netlocs()
        if netloc in fetch:
            return fetch[netloc]
        host = netloc.split(":")[0]
        if host in IMAGE_HOSTS and _is_image_path(urlsplit(url).path):
            return None
        return PAGE_HOSTS.get(host)

    def is_portal(self, url: str) -> bool:
        netloc = urlsplit(url).netloc.lower()
        return netloc in self._fetch_netlocs() or netloc.split(":")[0] in {
            *PAGE_HOSTS,
            *IMAGE_HOSTS,
        }

    def to_fetch(self, url: str) -> str | None:
        """Production (any scheme, www or not) or fetch-form URL -> the URL to request; None if offsite."""
        parts = urlsplit(safe_url_string(url.strip()))
        netloc = parts.netloc.lower()
        if netloc in self._fetch_netlocs():
            base = self.base(self._fetch_netlocs()[netloc])
        else:
            host = netloc.split(":")[0]
            if host in IMAGE_HOSTS:
                base = self.vi_base
            elif host in PAGE_HOSTS:
                base = self.base(PAGE_HOSTS[host])
            else:
                return None
        b = urlsplit(base)
        return urlunsplit((b.scheme, b.netloc, parts.path or "/", parts.query, ""))

    def to_production(self, url: str) -> str:
        """Fetch-form URL -> production form; production and foreign URLs are returned unchanged."""
        parts = urlsplit(url)
        fetch = self._fetch_netlocs()
        edition = fetch.get(parts.netloc.lower())
        if edition is None:
            return url
        if parts.path.startswith("/image/"):
            return urlunsplit(
                ("https", "www.baolongan.vn", parts.path, parts.query, parts.fragment)
            )
        if OLD_IMAGE_PATH_RE.match(parts.path):
            return urlunsplit(
                ("http", "image.baolongan.vn", parts.path, parts.query, parts.fragment)
            )
        p = urlsplit(PRODUCTION[edition])
        return urlunsplit((p.scheme, p.netloc, parts.path, parts.query, parts.fragment))

    def absolute(self, href: str, page_url: str) -> str:
        """Resolve `href` against the page it appeared on (fetch or production form), in
        production form: a relative `/image/...` on a replica page becomes www.baolongan.vn's."""
        return self.to_production(urljoin(page_url, href.strip()))

    def canonical_article_url(self, edition: str, slug: str, aid: int) -> str:
        return f"{PRODUCTION[edition]}/{slug}-a{aid}.html"

    def canonical_album_url(self, edition: str, slug: str, alb: int) -> str:
        return f"{PRODUCTION[edition]}/{ALBUM_PREFIX[edition]}-albumphoto/{slug}.{alb}.html"


def dedup_key(url: str) -> str:
    """A stable key for URL de-duplication (sorted query, no fragment)."""
    return canonicalize_url(url)
