"""Video pages (vi `/video/xem-video/<slug>-<videoId>.html`; the English form is unknown).

Video markup has not been seen on the real site (docs/site.md), so every part is found by ordered
fallbacks and the winner named in `strategies`:
- media (`media`: `{url, type}` in page order, no repeats): `<video src>` / `<video><source src>`,
  then a player element's `data-src`-like attribute naming a media file, then a player's JSON
  configuration in a script (`"file": "…mp4"`), then `og:video` metadata. A player from another
  host (an `<iframe>` to youtube.com and the like) is kept as `{url, type: "embed"}`; the crawler
  never fetches it.
- poster (the one entry of `images`): `<video poster>`, `data-poster`, the JSON `image`, an `<img>`
  inside the player, then `og:image`.
- title and date as on articles and albums (`locate_header`), the description as an article's lead
  (`find_lead`), measured from the player.
Media and poster URLs are in production form, like images.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from crawler.editions import VIDEO_RE, Editions, video_edition, video_id
from crawler.pages.article import Anchors, ArticlePage, locate_header
from crawler.pages.article.lead import find_lead
from crawler.pages.article.page import load
from crawler.pages.common import Element, Extraction, absolute_url, canonical_host_url

__all__ = ["MEDIA_EXTENSIONS", "parse_video"]

MEDIA_EXTENSIONS = {
    "mp4": "video/mp4",
    "m4v": "video/mp4",
    "webm": "video/webm",
    "ogv": "video/ogg",
    "mov": "video/quicktime",
    "flv": "video/x-flv",
    "m3u8": "application/vnd.apple.mpegurl",
    "mpd": "application/dash+xml",
    "mp3": "audio/mpeg",
}
_MEDIA_PATH_RE = re.compile(r"\.(" + "|".join(MEDIA_EXTENSIONS) + r")(?:$|[?#])", re.I)
_DATA_ATTRS = ("data-src", "data-file", "data-video", "data-video-src", "data-url", "data-mp4")
_POSTER_ATTRS = ("data-poster", "data-image", "data-thumb")
_PLAYER_HINT_RE = re.compile(r"player|jwplayer|video-?js|flowplayer|plyr|mediaelement")
# A player configuration in a script: `"file": "...mp4"` (JW Player), `src`/`source`/`url` (others).
_JSON_MEDIA_RE = re.compile(r"""["']?(?:file|src|source|url|mp4)["']?\s*:\s*["']([^"']+)["']""")
_JSON_POSTER_RE = re.compile(r"""["']?(?:image|poster|thumbnail)["']?\s*:\s*["']([^"']+)["']""")
_SCRIPT_RE = re.compile(r"<script\b[^>]*>(.*?)</script>", re.I | re.S)
# Hosts whose embedded players stand for the video (never fetched: not the portal's).
EMBED_HOSTS = ("youtube.com", "youtube-nocookie.com", "youtu.be", "vimeo.com", "facebook.com",
               "dailymotion.com", "tiktok.com")  # fmt: skip


def parse_video(
    html: str,
    url: str,
    editions: Editions,
    chrome: frozenset[str] = frozenset(),
    learn: bool = False,
    *,
    requisites: bool = False,
) -> Extraction:
    """Raw record fields of a video page. `url` is the URL it was fetched from; `chrome` as for
    parse_article."""
    pg = load(html, url, editions, chrome, learn, requisites)
    vid = video_id(url)
    player = _player(pg)
    pg.strategies["body"] = "player" if player is not None else "none"
    at, found = locate_header(pg, Anchors(container=player))
    lead = pg.record("lead", find_lead(pg, at), missing="no_lead")
    scripts = _SCRIPT_RE.findall(html)
    media = _media(pg, scripts) + _embeds(pg, at)
    if not media:
        pg.issues.append("no_media")
    poster = _poster(pg, player, scripts)
    fields = {
        "video_id": vid,
        "canonical_url": _canonical(pg, vid),
        "kicker": None,
        "title": found["title"].value or None,
        "lead": lead.value,
        "body_text": None,
        "body_html": None,
        "images": [{"url": poster, "position": 0, "caption_raw": None}] if poster else [],
        "byline_raw": None,
        "published_raw": found["published_raw"].value,
        "links": [],
        "media": media,
    }
    return Extraction(fields, pg.strategies, pg.issues, frozenset(pg.blocks), pg.requisites)


def media_type(url: str, declared: str | None = None) -> str:
    """The MIME type a page declares for a media URL, else the one its extension names."""
    if declared and "/" in declared:
        return declared.strip().lower()
    m = _MEDIA_PATH_RE.search(urlsplit(url).path)
    return MEDIA_EXTENSIONS[m.group(1).lower()] if m else "application/octet-stream"


def _is_media(href: str | None) -> bool:
    return bool(href) and bool(_MEDIA_PATH_RE.search(urlsplit(href.strip()).path))


def _player(pg: ArticlePage) -> Element | None:
    """The element that plays the video: a `<video>`, an element naming a media file in a data
    attribute, or one whose class/id says player (a script fills it in)."""
    regions = pg.regions_for()
    for el in pg.root.iter("video"):
        if not regions.in_chrome(el):
            return el
    for el in pg.root.iter():
        if isinstance(el.tag, str) and any(_is_media(el.get(a)) for a in _DATA_ATTRS):
            return el
    for el in pg.root.iter():
        if not isinstance(el.tag, str) or el.tag in ("html", "body", "meta", "link"):
            continue
        # An empty placeholder a script fills in: the chrome test cannot judge it (no text).
        hint = f"{el.get('class') or ''} {el.get('id') or ''}".lower()
        if _PLAYER_HINT_RE.search(hint):
            return el
    for frame in pg.root.iter("iframe"):  # only an embedded player from another host
        if _embed_host(frame.get("src") or ""):
            return frame
    return None


def _embed_host(src: str) -> bool:
    host = (urlsplit(src.strip()).hostname or "").lower() if "//" in src else ""
    return any(host == h or host.endswith("." + h) for h in EMBED_HOSTS)


def _media(pg: ArticlePage, scripts: list[str]) -> list[dict]:
    found: list[tuple[str, str | None, str]] = []  # (href, declared type, rule)
    for video in pg.root.iter("video"):
        if video.get("src"):
            found.append((video.get("src"), video.get("type"), "video-src"))
        found.extend((s.get("src"), s.get("type"), "video-source") for s in video.iter("source"))
    for el in pg.root.iter():
        if isinstance(el.tag, str) and el.tag != "source":
            found.extend(
                (el.get(a), el.get("data-type"), "data-src")
                for a in _DATA_ATTRS
                if _is_media(el.get(a))
            )
    for text in scripts:
        found.extend(
            (h, None, "player-config") for h in _JSON_MEDIA_RE.findall(text) if _is_media(h)
        )
    for name in ("og:video:secure_url", "og:video:url", "og:video", "twitter:player:stream"):
        href = pg.meta.get(name)
        if href and _is_media(href):
            found.append((href, pg.meta.get("og:video:type"), "meta:" + name))
    out: list[dict] = []
    for href, declared, rule in found:
        if not href or not href.strip():
            continue
        url = absolute_url(href.replace("\\/", "/"), pg.base, pg.editions)
        if all(m["url"] != url for m in out):
            pg.strategies.setdefault("media", rule)
            out.append({"url": url, "type": media_type(url, declared)})
    return out


def _embeds(pg: ArticlePage, at: Anchors) -> list[dict]:
    """Players from another host inside the video's own block: the smallest element holding
    the player and the title (a sidebar's channel widget is not this video)."""
    scope = _video_block(at)
    out: list[dict] = []
    for frame in (scope if scope is not None else pg.root).iter("iframe"):
        src = (frame.get("src") or frame.get("data-src") or "").strip()
        if not _embed_host(src):
            continue
        url = src if urlsplit(src).scheme else "https:" + src
        if all(m["url"] != url for m in out):
            out.append({"url": url, "type": "embed"})
    return out


def _video_block(at: Anchors) -> Element | None:
    if at.container is None:
        return None
    if at.title is None:
        return at.container.getparent()
    for anc in at.container.iterancestors():
        if at.title in anc.iterdescendants():
            return anc
    return None


def _poster(pg: ArticlePage, player: Element | None, scripts: list[str]) -> str | None:
    href, rule = None, ""
    for video in pg.root.iter("video"):
        href, rule = video.get("poster"), "video-poster"
        break
    if not href:
        for el in pg.root.iter():
            if isinstance(el.tag, str) and (
                v := next(filter(None, map(el.get, _POSTER_ATTRS)), None)
            ):
                href, rule = v, "data-poster"
                break
    if not href:
        hits = [h for text in scripts for h in _JSON_POSTER_RE.findall(text)]
        href, rule = (hits[0], "player-config") if hits else (None, "")
    if not href and player is not None:
        img = next(player.iter("img"), None)
        href, rule = (img.get("src"), "player-img") if img is not None else (None, "")
    if not href:
        href, rule = pg.meta.get("og:image"), "meta:og:image"
    if not href or not href.strip():
        return None
    pg.strategies["images"] = rule
    return absolute_url(href.replace("\\/", "/"), pg.base, pg.editions)


def _canonical(pg: ArticlePage, vid: int | None) -> str | None:
    href = pg.meta.canonical
    if href:
        url = absolute_url(href, pg.base, pg.editions)
        if pg.editions.edition_of(url) is not None and video_id(url) == vid:
            pg.strategies["canonical_url"] = "link-canonical"
            return canonical_host_url(url)
    if vid is None:
        return None
    m = VIDEO_RE.match(urlsplit(pg.url).path)
    slug = urlsplit(pg.url).path.rsplit("/", 1)[-1].rsplit("-", 1)[0] if m else ""
    slug = "" if slug.isdigit() or slug.endswith(".html") else slug
    pg.strategies["canonical_url"] = "constructed:url-path"
    return pg.editions.canonical_video_url(video_edition(pg.url) or "vi", slug, vid)
