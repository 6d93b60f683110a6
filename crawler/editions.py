"""The portal's hosts and URL shapes: which edition a URL belongs to, what it points at, and how
production URLs map onto the hosts we actually fetch from (the live portal, a mirror or the replica).

Fetched URLs are in *fetch form* (the configured `EDITION_URL_VI/EN`); every URL written into a content
field is in *production form* (docs/contract.md). This module is the only place that knows both.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
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
# Vietnamese sections no longer in the menu (docs/site.md: a 2020 spider for the site listed them;
# old section URLs may still serve old articles). A crawl of the vi listings tries those its menu
# does not name; a 404 is a counted skip. Names as the old menus are thought to have said them.
OLD_SECTIONS = (("phap-luat", "Pháp luật"), ("quoc-phong-an-ninh", "Quốc phòng - An ninh"))
# The top-level sections docs/site.md names (Vietnamese edition; display names are probable). A
# page printing one of them above its title (a print view, a chrome without a menu) shows its
# category there, not a kicker.
TOP_SECTIONS = (
    "thoi-su-chinh-tri",
    "kinh-te",
    "doi-song-xa-hoi",
    "van-hoa-giai-tri",
    "quoc-phong",
    *(slug for slug, _ in OLD_SECTIONS),
)
# Video pages: only the vi form is known (docs/site.md, `/video/xem-video/<slug>-<videoId>.html`);
# the English form is unknown, so no other path is taken for a video (a guess would mint ids).
VIDEO_RE = re.compile(r"^/video/(xem)-video/(?:[^/]*-)?(\d+)\.html?$")
VIDEO_PREFIX = {"vi": "xem"}
# Media files (video poster images live under /image/ like every image) on the image host.
MEDIA_PATH_RE = re.compile(r"^/media/")
# Image paths on the fetch hosts. `/news/` alone is not enough: an English section may be
# `/news/politics/`; old images live under `/news/<year>/...` on image.baolongan.vn.
LEGACY_IMAGE_RE = re.compile(r"^/news/\d{4}/")
# Old images live at `image.baolongan.vn/news/YYYY/...`; `/news/<slug>/` is also a possible English
# section, so only a year after `/news/` marks an image path.
OLD_IMAGE_PATH_RE = re.compile(r"^/news/\d{4}/")


def _is_image_path(path: str) -> bool:
    """An image or media file path (served from the image host, never a page)."""
    return (
        path.startswith("/image/")
        or bool(LEGACY_IMAGE_RE.match(path))
        or bool(MEDIA_PATH_RE.match(path))
    )


# --- Item identity: the one answer to "which item is this URL?" (docs/contract.md) ---------------
# The spider, the distributed scheduler, replay, extraction, guards and the requested-URL report all
# ask here (tests/unit/test_identity.py checks that they agree). An album's edition comes from its
# path (`xem-` = vi, `view-` = en), never from the host that serves it.

ITEM_ID_PREFIX = "baolongan:"
ALBUM_EDITIONS = {prefix: edition for edition, prefix in ALBUM_PREFIX.items()}
VIDEO_EDITIONS = {prefix: edition for edition, prefix in VIDEO_PREFIX.items()}


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
    return ALBUM_EDITIONS[m.group(1)] if m else None


def video_id(url: str) -> int | None:
    """The numeric video id of a video page URL (`/video/xem-video/<slug>-<id>.html`), else None."""
    m = VIDEO_RE.match(urlsplit(url).path)
    return int(m.group(2)) if m else None


def video_edition(url: str) -> str | None:
    """The edition a video URL's path names (`xem-video` = vi), else None."""
    m = VIDEO_RE.match(urlsplit(url).path)
    return VIDEO_EDITIONS[m.group(1)] if m else None


def video_item_id(edition: str, vid: int) -> str:
    """The record id of video `vid` of `edition`: `baolongan:video:<edition>:<vid>`."""
    return f"{ITEM_ID_PREFIX}video:{edition}:{vid}"


def article_item_id(aid: int) -> str:
    """The record id of article `aid`: `baolongan:<aid>`."""
    return f"{ITEM_ID_PREFIX}{aid}"


def album_item_id(edition: str, alb: int) -> str:
    """The record id of album `alb` of `edition`: `baolongan:album:<edition>:<alb>`."""
    return f"{ITEM_ID_PREFIX}album:{edition}:{alb}"


def item_id(url: str | None) -> str | None:
    """The record id an article, album or video URL stands for (docs/contract.md), else None."""
    if not url:
        return None
    m = VIDEO_RE.match(urlsplit(url).path)
    if m is not None:  # the video path decides, whatever its slug looks like
        return video_item_id(VIDEO_EDITIONS[m.group(1)], int(m.group(2)))
    aid = article_id(url)
    if aid is not None:
        return article_item_id(aid)
    m = ALBUM_RE.match(urlsplit(url).path)
    if m is not None:
        # The album's edition is in its path (xem- = vi, view- = en), whichever host serves it.
        return album_item_id(ALBUM_EDITIONS[m.group(1)], int(m.group(2)))
    return None


def home_edition(canonical_url: str | None, strategy: str | None) -> str | None:
    """The edition an article page names as its home: the production host of its own canonical
    link or og:url (`strategy` as extraction logged it), never a URL the crawler built. The CMS
    knows each article's edition, so an English article served on the vi host (docs/site.md) is
    English when its page says so (docs/contract.md, `edition`)."""
    if not canonical_url or not strategy or strategy.startswith("constructed"):
        return None
    auth = authority(canonical_url)
    return PAGE_HOSTS.get(auth.host) if is_production_authority(auth) else None


def is_item_url(url: str) -> bool:
    """An article, album or video URL (any host, any slug)."""
    return item_id(url) is not None


def section_slug(url: str) -> str | None:
    """`thoi-su-chinh-tri/long-an` for a section listing URL (any page of it), else None."""
    path = urlsplit(url).path
    return path.strip("/") if SECTION_RE.match(path) else None


DEFAULT_PORTS = {"http": 80, "https": 443}


@dataclass(frozen=True)
class Authority:
    """Who a web URL names: scheme, host (lower case, no trailing dot, IDNA/ASCII) and port (the
    scheme's default when none is written)."""

    scheme: str
    host: str
    port: int


@lru_cache(maxsize=1024)
def _normal_host(host: str | None) -> str | None:
    # Cached: Python's IDNA codec costs ~6 µs a call, and a crawl names a handful of hosts.
    # `.hostname` already lower-cases; a trailing dot names the same host (DNS root).
    host = (host or "").rstrip(".")
    if not host:
        return None
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError:
        return None


def _parts(url: str):
    """urlsplit plus its port, or None when the authority is unusable: userinfo (`a:b@host`,
    which string splitting mistook for host `a`), a port that is not a number or out of range,
    a backslash (browsers read it as a slash)."""
    parts = urlsplit(url.strip())
    if "@" in parts.netloc or "\\" in parts.netloc:
        return None
    try:
        port = parts.port
    except ValueError:
        return None
    return parts, port


@lru_cache(maxsize=8192)
def authority(url: str) -> Authority | None:
    """The authority of an absolute http(s) URL, parsed by the standard parser; None for other
    schemes, relative URLs, userinfo or a bad port. Cached (Authority is frozen): a listing page
    asks it ~350 times, mostly of the same few dozen URLs (crawler/pages/listing/)."""
    parsed = _parts(url)
    if parsed is None:
        return None
    parts, port = parsed
    scheme = parts.scheme.lower()
    host = _normal_host(parts.hostname)
    if scheme not in DEFAULT_PORTS or host is None:
        return None
    return Authority(scheme, host, port if port is not None else DEFAULT_PORTS[scheme])


def host_of(url: str) -> str | None:
    """The host an http(s) or protocol-relative (`//host/...`) URL names, normalised (lower case,
    no trailing dot, IDNA); None for other schemes, no host, userinfo or a bad port. Use it
    instead of `netloc.split(":")[0]`, which reads `http://baolongan.vn:1@evil/` as baolongan.vn."""
    parsed = _parts(url)
    if parsed is None:
        return None
    parts, _port = parsed
    if parts.scheme and parts.scheme.lower() not in DEFAULT_PORTS:
        return None
    return _normal_host(parts.hostname)


def is_production_authority(auth: Authority | None) -> bool:
    """A production host of the portal on its scheme's default port."""
    return (
        auth is not None
        and (auth.host in PAGE_HOSTS or auth.host in IMAGE_HOSTS)
        and auth.port == DEFAULT_PORTS[auth.scheme]
    )


@dataclass(frozen=True)
class Editions:
    """Maps between production hosts and the configured fetch hosts of both editions.

    A URL is the portal's when it is http(s) and names, without userinfo, either a configured
    fetch host on its port or a production host on the default port; anything else (another
    port, `user@`, another scheme) is not, whatever its host name says."""

    vi_base: str = PRODUCTION["vi"]
    en_base: str = PRODUCTION["en"]

    def base(self, edition: str) -> str:
        return self.vi_base if edition == "vi" else self.en_base

    @cached_property
    def _fetch_authorities(self) -> dict[tuple[str, int], str]:
        out = {}
        for edition, base in (("vi", self.vi_base), ("en", self.en_base)):
            auth = authority(base)
            if auth is None:
                continue
            out[(auth.host, auth.port)] = edition
            if auth.port == DEFAULT_PORTS[auth.scheme]:
                # No port configured: http and https links to the host are the same site.
                for port in DEFAULT_PORTS.values():
                    out[(auth.host, port)] = edition
        return out

    @property
    def mirrored(self) -> bool:
        """True when the fetch hosts are not the production ones (a mirror, the replica, or
        production names on another port): production hosts must then never be contacted."""
        return not any(is_production_authority(authority(b)) for b in (self.vi_base, self.en_base))

    def fetch_edition(self, url: str) -> str | None:
        """Edition whose configured fetch host (and port) serves `url`, else None."""
        auth = authority(url)
        return None if auth is None else self._fetch_authorities.get((auth.host, auth.port))

    def production_host(self, url: str) -> str | None:
        """The production host `url` names on its default port (`baolongan.vn`, an image host),
        else None (`baolongan.vn:8080`, `x@baolongan.vn` and other hosts are not production)."""
        auth = authority(url)
        return auth.host if is_production_authority(auth) else None

    def authority_problem(self, url: str) -> str | None:
        """Why an http(s) URL's authority is unusable (userinfo, a bad port, a backslash), for
        skip details; None when it is well formed (portal or not: another host or another port
        is simply offsite)."""
        parts = urlsplit(url.strip())
        if parts.scheme.lower() not in DEFAULT_PORTS or _parts(url) is not None:
            return None
        if "@" in parts.netloc:
            return f"userinfo in the authority {parts.netloc!r}"
        if "\\" in parts.netloc:
            return f"backslash in the authority {parts.netloc!r}"
        return f"bad port in {parts.netloc!r}"

    def edition_of(self, url: str) -> str | None:
        """Edition of the host serving `url` (fetch or production form); None for other hosts.
        Image hosts are not editions."""
        edition = self.fetch_edition(url)
        if edition is not None:
            return edition
        host = self.production_host(url)
        if host is None or (host in IMAGE_HOSTS and _is_image_path(urlsplit(url).path)):
            return None
        return PAGE_HOSTS.get(host)

    def is_portal(self, url: str) -> bool:
        return self.fetch_edition(url) is not None or self.production_host(url) is not None

    def to_fetch(self, url: str) -> str | None:
        """Production (http or https, www or not) or fetch-form URL -> the URL to request; None
        if not the portal's (another host or port, userinfo, another scheme)."""
        try:
            url = safe_url_string(url.strip())
        except ValueError:  # w3lib refuses a port out of range: not a URL we may fetch
            return None
        parts = urlsplit(url)
        edition = self.fetch_edition(url)
        if edition is not None:
            base = self.base(edition)
        else:
            host = self.production_host(url)
            if host is None:
                return None
            base = self.vi_base if host in IMAGE_HOSTS else self.base(PAGE_HOSTS[host])
        b = urlsplit(base)
        return urlunsplit((b.scheme, b.netloc, parts.path or "/", parts.query, ""))

    def to_production(self, url: str) -> str:
        """Fetch-form URL -> production form; production and foreign URLs are returned unchanged."""
        parts = urlsplit(url)
        edition = self.fetch_edition(url)
        if edition is None:
            return url
        if parts.path.startswith("/image/") or MEDIA_PATH_RE.match(parts.path):
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

    def canonical_video_url(self, edition: str, slug: str, vid: int) -> str:
        name = f"{slug}-{vid}" if slug else str(vid)
        return f"{PRODUCTION[edition]}/video/{VIDEO_PREFIX[edition]}-video/{name}.html"


def dedup_key(url: str) -> str:
    """A stable key for URL de-duplication (sorted query, no fragment)."""
    return canonicalize_url(url)
