"""The replica as a site you can ask for pages in-process: routing, page assembly, HTTP semantics
(redirects, 404, conditional requests), irregular behaviour and transfer plans. `server.py` only
moves the bytes this module produces."""

from __future__ import annotations

import base64
import email.utils
import gzip
import hashlib
import random
import re
import struct
import unicodedata
import zlib
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

from . import text as T
from .chrome import TEMPLATES, BoxItem, Chrome, Ctx, Pagination
from .feeds import FEED_LINK, Feeds
from .generated import GeneratedChrome
from .model import PROD, SITE_NAME, Article, Section, Site
from .old_sections import OldSections
from .render import esc, served_body
from .video import VIDEO_SECTION, Video, Videos, media_bytes, video_head, video_main

ARTICLE_RE = re.compile(r"^/([^/]*?)-?a(\d+)\.html?$")
ALBUM_RE = re.compile(r"^/(xem|view)-albumphoto/([^/]*)\.(\d+)\.html?$")
TRANG_RE = re.compile(r"^(.*)/trang-(\d+)$")
STATIC_PREFIXES = ("/Content/", "/Scripts/", "/css/", "/js/", "/assets/")
STATIC_PAGES = {"/gioi-thieu/": "about", "/lien-he/": "contact", "/quang-cao/": "ads"}

# Small valid images (CPython's own test images, PSF licence) and a PNG built here.
JPEG = base64.b64decode(
    "/9j/4AAQSkZJRgABAQEAAQABAAD/2wBDAAMCAgICAgMCAgIDAwMDBAYEBAQEBAgGBgUGCQgKCgkICQkKDA8MCgsOCwkJDRENDg8Q"
    "EBEQCgwSExIQEw8QEBD/2wBDAQMDAwQDBAgEBAgQCwkLEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQ"
    "EBAQEBAQEBD/wAARCAAQABADASIAAhEBAxEB/8QAFgABAQEAAAAAAAAAAAAAAAAABwQF/8QAJBAAAQQBBAICAwAAAAAAAAAAAQID"
    "BAUGBwgSExEiABQJMTL/xAAVAQEBAAAAAAAAAAAAAAAAAAAABv/EACMRAAECBQMFAAAAAAAAAAAAAAECEQMEBQYhABIxFRZhgeH/"
    "2gAMAwEAAhEDEQA/ABSm0mobc8HmExLUlRzzEWPkJWW+ulrsaUVAseUgslSlH9LKuPryIKuWPZdskzXmm3fX5m2nF4GlVxx/HOpx"
    "4ks51+MiU/Iaad7UcUo4tILoS4kqcWkezS0hO/HvuRp0rO6hWnWO1UisZVuFi4GFeyEpmGepa5S5SWVPuciFKRFLgSrwetnyPIB+"
    "Vb4N9mKhQMzo5po9XLdDs9d6ZVix2VEhiL9kuNPxw2gEKcDQ/rs8AuA8VAe0vdl7VOYn+27flGAUgmITjbhSmCg3BYlyeWDkMolv"
    "w4KOp1KM6iCNvngZHwetf//Z"
)
WEBP = base64.b64decode(
    "UklGRqgBAABXRUJQVlA4WAoAAAAQAAAADwAADwAAQUxQSMMAAAABJ6KokSTleucYX+ffKpmImP90cY3gJjDi4Yt3MsjBEVyDKzDo"
    "sHgVjnhRNcEIDAJPkqBqsFUZHNa2bUYvTsZ2PLbtd/uvKa4hov9J0f2PkPe6REkkGzolkTTzFG0Ox9PlFiD0CxS+kOGDtxoynjaC"
    "fx0pfk52CPuInrOR75lzRugygtv4zEiy90UwfSD9NheMITJWLaXWayO8XeOlWRXVnIGk2W6WdYoYMQ+KqixQNPowgt+6a1BSKbUt"
    "z+lUFAoBAAAAVlA4IL4AAACQAgCdASoQABAAAwA0JbACdDBPCIUMfAMdCCz96AD+/XSg/QKbH4r3Q3ycN/bSDK/T/zVo4u6nvclv"
    "G/SqxWOuup+XhN9BojvaW+Tv+MvxvX/hr/o/5Qns9LtmX/+qKdl/yWznhuasl7nkxvSTI4xf3Y85VSB/lU/8Ofj/b9JrA+ifvIOY"
    "Zm2x1RP/dhfmsf5diuSfR7+z+r/+HR3zEo/+XM/B+vkYw73Pzx+ROaAB/ZoBSzEs3rzZe6qsAAAA"
)


def _png(seed: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    rgb = bytes([seed & 255, (seed >> 8) & 255, (seed >> 16) & 255])
    raw = b"".join(b"\x00" + rgb * 2 for _ in range(2))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def image_bytes(path: str) -> tuple[bytes, str] | None:
    ext = path.rsplit(".", 1)[-1].lower() if "." in path.rsplit("/", 1)[-1] else ""
    tag = hashlib.sha1(path.encode()).digest()
    if ext in ("jpg", "jpeg", "jfif"):
        com = (
            b"\xff\xfe" + struct.pack(">H", len(tag) + 2) + tag
        )  # a comment segment: bytes vary per path
        return JPEG[:2] + com + JPEG[2:], "image/jpeg"
    if ext == "png":
        return _png(int.from_bytes(tag[:3], "big")), "image/png"
    if ext == "webp":
        return WEBP, "image/webp"
    if ext == "gif":
        return b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;", "image/gif"  # fmt: skip
    if ext == "ico":
        return _png(1), "image/x-icon"
    return None


def http_date(dt: datetime) -> str:
    return email.utils.format_datetime(dt.astimezone(UTC).replace(microsecond=0), usegmt=True)


@dataclass
class Page:
    status: int
    body: str | bytes = ""
    content_type: str = "text/html"
    headers: dict[str, str] = field(default_factory=dict)
    etag: str | None = None
    last_modified: datetime | None = None
    key: str | None = None  # special key for irregular rendering


@dataclass
class Response:
    """One HTTP answer, bytes as they go on the wire (before chunk framing)."""

    status: int
    headers: list[tuple[str, str]]
    body: bytes
    chunked: bool = False
    delay: float = 0.0
    irregular: list[str] = field(default_factory=list)


class Replica:
    """The site at one epoch, answering requests in-process.

    >>> r = Replica(articles=200, seed=1)
    >>> resp = r.respond("vi", "GET", "/", {})      # a Response
    >>> records = list(r.truth_records())            # docs/contract.md truth records
    """

    def __init__(
        self,
        articles: int = 200,
        seed: int = 0,
        epoch: int = 0,
        today: str = "2025-06-30",
        breaks: tuple[str, ...] | list[str] = (),
        slugless: str | None = None,
        irregular: bool = True,
        crawl_delay: float = 5.0,
        chrome_seed: int | None = None,
        unlisted: int = 0,
        id_span: int | None = None,
        videos: int = 0,
        sitemap: bool = False,
        old_sections: bool = False,
    ) -> None:
        self.site = Site(
            articles, seed, epoch, today, tuple(breaks), slugless, chrome_seed, unlisted, id_span
        )
        # --videos N: N vi video pages and a Video section in the vi menu, before the albums
        # (tests/replica/video.py); drawn from their own random streams, so nothing else changes.
        self.videos = Videos(seed, videos, self.site.midnight) if videos else None
        if self.videos is not None:
            vi = self.site.cfg.sections["vi"]
            sections = {**self.site.cfg.sections, "vi": (*vi[:-1], VIDEO_SECTION, vi[-1])}
            self.site.cfg = replace(self.site.cfg, sections=sections)
        self.cfg = self.site.cfg
        # --sitemap: robots.txt names a sitemap index, the home page an RSS feed (feeds.py).
        self.feeds = Feeds(self.site) if sitemap else None
        # --old-sections: /phap-luat/ and /quoc-phong-an-ninh/ list old articles, no menu names them.
        self.old = OldSections(self.site) if old_sections else None
        self._generated: dict[str, GeneratedChrome] = {}
        self.irregular = irregular
        self.crawl_delay = crawl_delay
        self.breaks = self.site.breaks
        self._plan: dict[tuple[str, str], dict] | None = None

    # -- truth -------------------------------------------------------------------------------------------

    def truth_records(self):
        """Every live article and album of this epoch, as docs/contract.md truth records."""
        from .truth import truth_records

        return truth_records(self)

    def write_truth(self, path) -> int:
        from .truth import write_truth

        return write_truth(self, path)

    # -- URLs --------------------------------------------------------------------------------------------

    def page_path(self, section: Section, n: int, *, number_link: bool = False) -> str:
        style = self.cfg.pagination
        if n <= 1 and not (number_link and style == "query"):
            return section.path
        if style == "query":
            return f"{section.path}?p={n}&d="
        if style == "trang":
            return f"{section.path}trang-{n}/"
        return f"{section.path}?page={n}"

    def article_href(self, ctx: Ctx, p: int, host: str | None = None) -> str:
        path = self.site.path(p)
        if host is not None:  # content links: always the article's home edition, absolute
            return PROD[host] + path
        return ctx.href(path)

    def key_paths(self, key: str) -> tuple[str, str]:
        """(edition, path) of a special page key."""
        kind, _, rest = key.partition(":")
        if kind == "a":
            art = self.site.article(int(rest))
            return art.lang, art.path
        if kind == "al":
            ed, i = rest.split(":")
            return ed, self.site.album(ed, int(i)).path
        ed, slug, n = rest.split(":")
        return ed, self.page_path(self.site.section(ed, slug), int(n))

    # -- irregular plan ----------------------------------------------------------------------------------

    def plan(self) -> dict[tuple[str, str], dict]:
        """(edition, path with query) -> what is irregular about it."""
        if self._plan is None:
            plan: dict[tuple[str, str], dict] = {}
            sp = self.site.specials
            if self.irregular:
                for key, statuses in sp.status:
                    plan.setdefault(self.key_paths(key), {})["statuses"] = list(statuses)
                for key, delay in sp.slow:
                    plan.setdefault(self.key_paths(key), {})["delay"] = delay
                for key in sp.nfd:
                    plan.setdefault(self.key_paths(key), {})["nfd"] = True
                for key in sp.charset_lie:
                    plan.setdefault(self.key_paths(key), {})["charset_lie"] = True
                for key in sp.cp1258:
                    plan.setdefault(self.key_paths(key), {})["cp1258"] = True
            self._plan = plan
        return self._plan

    def transfer_plan(self, edition: str, path: str) -> dict[str, bool]:
        """Whether a text response for this URL is gzip-compressed (when the client accepts gzip) and
        whether it is sent chunked. Rule: gzip unless blake2b(seed, edition, path) % 10 == 0;
        chunked when blake2b(...) % 6 == 0 and irregularities are on."""
        h = T.h64(self.site.seed, "xfer", edition, path)
        return {"gzip": h % 10 != 0, "chunked": self.irregular and (h // 10) % 6 == 0}

    def manifest(self, vi: str | None = None, en: str | None = None) -> dict:
        site = self.site
        entries: list[dict] = []

        def url(ed: str, path: str) -> str | None:
            base = vi if ed == "vi" else en
            return base + path if base else None

        for (ed, path), info in sorted(self.plan().items()):
            if "statuses" in info:
                entries.append(
                    {"kind": "status", "edition": ed, "path": path, "url": url(ed, path),
                     "statuses": info["statuses"], "retry_after": 1}
                )  # fmt: skip
            if "delay" in info:
                entries.append(
                    {
                        "kind": "slow",
                        "edition": ed,
                        "path": path,
                        "url": url(ed, path),
                        "delay": info["delay"],
                    }
                )
            if info.get("nfd"):
                entries.append({"kind": "nfd", "edition": ed, "path": path, "url": url(ed, path)})
            if info.get("charset_lie"):
                entries.append(
                    {"kind": "charset_lie", "edition": ed, "path": path, "url": url(ed, path),
                     "header": "text/html; charset=ISO-8859-1", "meta_charset": "utf-8", "bytes": "utf-8"}
                )  # fmt: skip
            if info.get("cp1258"):
                entries.append(
                    {"kind": "cp1258", "edition": ed, "path": path, "url": url(ed, path),
                     "header": "text/html; charset=windows-1258", "meta_charset": "windows-1258"}
                )  # fmt: skip
        for p in sorted(site.old_titled | set(site.edits)):
            if not site.live(p):
                continue
            ed, aid = site.lang(p), site.aid(p)
            for old in site.old_slugs(p):
                path = f"/{old}-a{aid}.html"
                entries.append(
                    {"kind": "redirect", "edition": ed, "path": path, "url": url(ed, path),
                     "status": 301, "location": site.path(p), "linked_from": [site.aid(y) for y in site.inbound(p)]}
                )  # fmt: skip
        gone = [p for p in range(site.M) if site.is_ghost(p)] + sorted(site.deleted)
        for p in gone:
            by_url: dict[tuple[str, str], list[int]] = {}
            for y in site.inbound(p):
                href = urlsplit(site.link_href(y, p))
                ed = "en" if href.netloc.endswith("news.baolongan.vn") else "vi"
                by_url.setdefault((ed, href.path), []).append(site.aid(y))
            if not by_url:
                by_url[
                    (site.lang(p), f"/{T.slugify(site.original_title(p))}-a{site.aid(p)}.html")
                ] = []
            for (ed, path), linkers in sorted(by_url.items()):
                entries.append(
                    {"kind": "gone", "edition": ed, "path": path, "url": url(ed, path), "status": 404,
                     "article_id": site.aid(p), "deleted_at_epoch": site.deleted.get(p, 0),
                     "linked_from": linkers}
                )  # fmt: skip
        return {
            "seed": site.seed,
            "articles": site.n,
            "epoch": site.epoch,
            "today": site.today.isoformat(),
            "irregular": self.irregular,
            "breaks": sorted(self.breaks),
            "vi": vi,
            "en": en,
            "config": {
                "chrome": self.cfg.chrome,
                **self._chrome_seed_config(),
                "pagination": self.cfg.pagination,
                "page_size": self.cfg.page_size,
                "slugless": self.cfg.slugless,
                "album_pid": self.cfg.album_pid,
                "absolute_listing_links": self.cfg.absolute_listing_links,
                "sections": {
                    ed: [
                        {"slug": s.slug, "name": s.name, "parent": s.parent, "albums": s.albums}
                        for s in secs
                    ]
                    for ed, secs in self.cfg.sections.items()
                },
            },
            "encoding": {
                "gzip": "text responses are gzip-compressed when Accept-Encoding allows it, except when "
                "blake2b(seed, edition, path) % 10 == 0 (see Replica.transfer_plan)",
                "chunked": "text responses are sent with Transfer-Encoding: chunked when "
                "(blake2b(seed, edition, path) // 10) % 6 == 0 (off with --no-irregular)",
                "statuses": "attempt n (1-based, per edition+method+path) answers statuses[n-1]; later attempts 200",
            },
            "entries": entries,
            "changes": site.changes(),
            **self._unlisted_manifest(),
            **self._video_manifest(),
        }

    def _video_manifest(self) -> dict:
        """--videos keys (absent without it)."""
        if self.videos is None:
            return {}
        return {
            "videos": {
                "forms": list(self.videos.forms),
                "pages": [
                    {"path": v.path, "form": v.form, "media_path": v.media_path,
                     "media_bytes": v.media_size, "embed": v.embed, "og_video": v.og_video}
                    for v in self.videos.items
                ],
            }
        }  # fmt: skip

    def _unlisted_manifest(self) -> dict:
        """--unlisted / --id-span keys (absent without them: the manifest stays as it was)."""
        site, out = self.site, {}
        if site.unlisted:
            ids = sorted(site.aid(p) for p in site.unlisted)
            out["unlisted"] = {"article_ids": ids, "ids": [f"baolongan:{a}" for a in ids]}
        if site.id_span is not None:
            out["id_span"] = site.id_span
        return out

    # -- page assembly -----------------------------------------------------------------------------------

    def _chrome_seed_config(self) -> dict:
        """Manifest keys of a generated chrome (absent without --chrome-seed: the manifest of a
        hand-written chrome stays as it was)."""
        if self.cfg.chrome_seed is None:
            return {}
        return {
            "chrome_seed": self.cfg.chrome_seed,
            "base_chrome": self.cfg.base_chrome,
            "chrome_choices": self.chrome("vi").choices,
        }

    def ctx(self, host: str, charset: str = "utf-8") -> Ctx:
        return Ctx(
            host,
            self.cfg.sections[host],
            self.cfg.absolute_listing_links,
            charset,
            self.site.midnight,
        )

    def chrome(self, host: str) -> Chrome:
        """The page chrome of an edition host: the seed's hand-written template, or the chrome
        generated from --chrome-seed (which keeps the template's album-date behaviour, a fact of
        the site that the truth file depends on)."""
        base = TEMPLATES[self.cfg.base_chrome[host]]
        if self.cfg.chrome_seed is None:
            return base
        if host not in self._generated:
            self._generated[host] = GeneratedChrome(
                self.cfg.chrome_seed, album_date=base.album_date
            )
        return self._generated[host]

    def _most_read_positions(self, ctx: Ctx, rnd: random.Random, k: int = 5) -> list[int]:
        site = self.site
        out: list[int] = []
        for _ in range(40 * k):
            p = rnd.randrange(site.top)
            if (
                p not in out
                and site.live(p)
                and site.lang(p) == ctx.host
                and p not in site.unlisted
            ):
                out.append(p)
                if len(out) == k:
                    break
        return out

    def _most_read(self, ctx: Ctx, rnd: random.Random) -> list[tuple[str, str]]:
        return [
            (self.article_href(ctx, p), self.site.title(p))
            for p in self._most_read_positions(ctx, rnd)
        ]

    def box_item(self, ctx: Ctx, p: int) -> BoxItem:
        art = self.site.article(p)
        paras = tuple(
            "".join(s if isinstance(s, str) else s.text for s in b.segments)
            for b in art.blocks
            if b.kind == "p"
        )[:4]
        return BoxItem(self.article_href(ctx, p), art.title, art.summary, art.dt, paras)

    def _page(
        self,
        ctx: Ctx,
        title: str,
        main: str,
        rnd: random.Random,
        head_extra: str = "",
        cls: str = "",
    ) -> str:
        ch = self.chrome(ctx.host)
        head = ch.head(ctx, title, head_extra)
        sidebar = ch.sidebar(ctx, Boxes(self, ctx, rnd))
        return ch.page(ctx, head, main, sidebar, ctx.host, cls)

    def render_article(self, ctx: Ctx, art: Article, rnd: random.Random) -> str:
        ch = self.chrome(ctx.host)
        site = self.site
        if art.lang == ctx.host:  # breadcrumbs name the article's sections on its own edition
            ctx.trail = tuple(site.sections_of(art.pos))
        body = served_body(art, self.breaks)
        rel = [
            (self.article_href(ctx, q, site.lang(q)), site.title(q)) for q in site.related(art.pos)
        ]
        main = ch.article_main(ctx, art, body, self.breaks, ch.related(ctx, rel))
        title, extra = ch.meta_article(ctx, art, self.breaks, SITE_NAME[ctx.host])
        return self._page(ctx, title, main, rnd, extra, "page-detail")

    def render_album(self, ctx: Ctx, alb, rnd: random.Random) -> str:
        ch = self.chrome(ctx.host)
        t = alb.title if "title" not in self.breaks else None
        extra = f'<meta property="og:title" content="{esc(t)}">\n' if t else ""
        main = ch.album_main(ctx, alb, self.breaks)
        return self._page(
            ctx,
            f"{t} - {SITE_NAME[ctx.host]}" if t else SITE_NAME[ctx.host],
            main,
            rnd,
            extra,
            "page-album",
        )

    def _listing_items(self, host: str, section: Section) -> list[int]:
        if section == VIDEO_SECTION and self.videos is not None:
            return self.videos.newest_first()
        if self.old is not None and section in self.old.sections:
            return self.old.positions(section.slug)
        return self.site.listing_positions(host, section.slug)

    def render_video(self, ctx: Ctx, v: Video, rnd: random.Random) -> str:
        t = v.title if "title" not in self.breaks else None
        return self._page(
            ctx,
            f"{t} - {SITE_NAME[ctx.host]}" if t else SITE_NAME[ctx.host],
            video_main(v, self.breaks),
            rnd,
            video_head(v, self.breaks),
            "page-video",
        )

    def _route_video(self, ctx: Ctx, path: str, rnd: random.Random) -> Page:
        """A video page (vi host only: the English edition shows no videos)."""
        video, slug_ok = self.videos.find(path) if ctx.host == "vi" else (None, False)
        if video is None:
            return self.not_found(ctx, rnd)
        if not slug_ok:
            if self.cfg.slugless == "resolve":
                return Page(301, "", headers={"Location": video.path})
            return self.not_found(ctx, rnd)
        etag = 'W/"' + hashlib.sha1(repr(video).encode()).hexdigest()[:20] + '"'
        return Page(200, self.render_video(ctx, video, rnd), etag=etag, last_modified=video.dt)

    def _route_media(self, ctx: Ctx, path: str, rnd: random.Random) -> Page:
        """A video's media file (`/media/video/YYYY/<id>.mp4`), served by both hosts like images."""
        stem = path.rsplit("/", 1)[-1].removesuffix(".mp4")
        video = self.videos.by_id.get(int(stem)) if stem.isdigit() and self.videos else None
        if video is None or path != video.media_path:
            return self.not_found(ctx, rnd)
        return Page(200, media_bytes(video), "video/mp4")

    def _entries(self, ctx: Ctx, section: Section | None, positions: list[int]) -> list[str]:
        ch = self.chrome(ctx.host)
        items = []
        for p in positions:
            if section == VIDEO_SECTION and self.videos is not None:
                v = self.videos.items[p]
                items.append((ctx.href(v.path), v.title, v.description, v.poster_url))
            elif section is not None and section.albums:
                alb = self.site.album(ctx.host, p)
                items.append((ctx.href(alb.path), alb.title, alb.description, alb.thumb))
            else:
                art = self.site.article(p)
                items.append((ctx.href(art.path), art.title, art.summary, art.thumb))
        return ch.entries(ctx, items)

    def render_listing(self, ctx: Ctx, section: Section, page: int, rnd: random.Random) -> str:
        ch = self.chrome(ctx.host)
        items = self._listing_items(ctx.host, section)
        size = self.cfg.page_size
        last = max(1, -(-len(items) // size))
        page = min(max(page, 1), last)  # past the last page: the last page again
        entries = self._entries(ctx, section, items[(page - 1) * size : page * size])
        L = ctx.L
        links: list[tuple[str, str, bool]] = []
        style = self.cfg.pagination
        if style in ("query", "trang"):
            for n in range(max(1, page - 2), min(last, page + 2) + 1):
                links.append((str(n), self.page_path(section, n, number_link=True), n == page))
            if page < last:
                links.append(
                    (
                        "»" if style == "query" else L["next"],
                        self.page_path(section, page + 1),
                        False,
                    )
                )
            if style == "trang" and page < last:
                links.append((L["last"], self.page_path(section, last), False))
        else:
            if page > 1:
                links.append((L["prev"], self.page_path(section, page - 1), False))
            if page < last:
                links.append((L["more"], self.page_path(section, page + 1), False))
        nav = Pagination(
            page,
            last,
            tuple(
                (n, self.page_path(section, n, number_link=True))
                for n in range(max(1, page - 2), min(last, page + 2) + 1)
            ),
            self.page_path(section, page - 1) if page > 1 else None,
            self.page_path(section, page + 1) if page < last else None,
            self.page_path(section, last, number_link=True),
        )
        pager = ch.listing_pager(ctx, links, nav)
        main = ch.listing_main(ctx, section.name, entries, pager)
        title = f"{section.name} - {SITE_NAME[ctx.host]}"
        return self._page(ctx, title, main, rnd, ch.listing_head(ctx, nav), cls="page-list")

    def render_home(self, ctx: Ctx, rnd: random.Random) -> str:
        ch = self.chrome(ctx.host)
        latest = self._entries(ctx, None, self.site.latest(ctx.host, 12))
        if self.videos is not None and ctx.host == "vi":  # the two newest videos among the news
            latest += self._entries(ctx, VIDEO_SECTION, self.videos.newest_first()[:2])
        albs = self.cfg.album_section[ctx.host]
        alb_entries = self._entries(ctx, albs, self.site.listing_positions(ctx.host, albs.slug)[:3])
        main = ch.home_main(ctx, latest, albs, alb_entries)
        extra = FEED_LINK if self.feeds is not None else ""
        return self._page(ctx, SITE_NAME[ctx.host], main, rnd, extra, cls="page-home")

    def render_simple(self, ctx: Ctx, heading: str, content: str, rnd: random.Random) -> str:
        main = self.chrome(ctx.host).simple_main(ctx, heading, content)
        return self._page(ctx, f"{heading} - {SITE_NAME[ctx.host]}", main, rnd, cls="page-static")

    # -- routing -----------------------------------------------------------------------------------------

    def robots(self, host: str = "vi") -> str:
        d = self.crawl_delay
        d_s = str(int(d)) if float(d).is_integer() else str(d)
        sitemap = self.feeds.robots_lines(host) if self.feeds is not None else ""
        return f"User-agent: *\nCrawl-delay: {d_s}\nDisallow: /tim-kiem/\n{sitemap}"

    def route(
        self, host: str, path_qs: str, rnd: random.Random | None = None, charset: str = "utf-8"
    ) -> Page:
        """Render one URL of one edition host (no irregularities, no conditional logic)."""
        rnd = rnd or random.Random()
        site = self.site
        ctx = self.ctx(host, charset)
        parts = urlsplit(path_qs)
        path, query = parts.path, parse_qs(parts.query, keep_blank_values=True)
        if path == "/":
            return Page(200, self.render_home(ctx, rnd))
        if path == "/robots.txt":
            return Page(200, self.robots(host), "text/plain")
        if self.feeds is not None and (feed := self.feeds.page(host, path)) is not None:
            return Page(200, feed[0], feed[1])
        # Old images live under /news/<year>/...; /news/<section>/ may be an English section.
        if (
            path.startswith("/image/")
            or re.match(r"/news/\d{4}/", path)
            or path.startswith(STATIC_PREFIXES)
            or path == "/favicon.ico"
        ):
            ext = path.rsplit(".", 1)[-1].lower()
            if ext == "css":
                return Page(
                    200,
                    "body{font-family:Arial,sans-serif}.header{background:#0a4c8b}\n",
                    "text/css",
                )
            if ext == "js":
                return Page(200, "(function(){window.bla=1;})();\n", "application/javascript")
            img = image_bytes(path)
            if img:
                return Page(200, img[0], img[1])
            return self.not_found(ctx, rnd)
        if self.videos is not None and path.startswith("/video/xem-video/"):
            return self._route_video(ctx, path, rnd)
        if self.videos is not None and path.startswith("/media/"):
            return self._route_media(ctx, path, rnd)
        m = ARTICLE_RE.match(path)
        if m:
            slug, aid = m.group(1), int(m.group(2))
            p = site.pos_of(aid)
            if p is None or not site.live(p):
                return self.not_found(ctx, rnd)
            art = site.article(p)
            if slug != art.slug:
                if slug in art.old_slugs or self.cfg.slugless == "resolve":
                    return Page(301, "", headers={"Location": art.path})
                return self.not_found(ctx, rnd)
            etag = (
                'W/"'
                + hashlib.sha1((repr(art) + repr(sorted(self.breaks))).encode()).hexdigest()[:20]
                + '"'
            )
            return Page(
                200,
                self.render_article(ctx, art, rnd),
                etag=etag,
                last_modified=art.modified,
                key=f"a:{p}",
            )
        m = ALBUM_RE.match(path)
        if m:
            prefix, slug, alb_id = m.group(1), m.group(2), int(m.group(3))
            if prefix != ("xem" if host == "vi" else "view"):
                return self.not_found(ctx, rnd)
            i = site.album_index(host, alb_id)
            if i is None:
                return self.not_found(ctx, rnd)
            alb = site.album(host, i)
            if slug != alb.slug:
                if self.cfg.slugless == "resolve":
                    return Page(301, "", headers={"Location": alb.path})
                return self.not_found(ctx, rnd)
            etag = (
                'W/"'
                + hashlib.sha1((repr(alb) + repr(sorted(self.breaks))).encode()).hexdigest()[:20]
                + '"'
            )
            return Page(
                200,
                self.render_album(ctx, alb, rnd),
                etag=etag,
                last_modified=alb.dt,
                key=f"al:{host}:{i}",
            )
        if path == "/tim-kiem/":
            q = (query.get("q") or [""])[0]
            latest = self._entries(ctx, None, site.latest(host, 5))
            return Page(
                200, self.render_simple(ctx, f"{ctx.L['search']}: {q}", "\n".join(latest), rnd)
            )
        if path in STATIC_PAGES:
            kind = STATIC_PAGES[path]
            return Page(
                200, self.render_simple(ctx, ctx.L[kind], f"<p>{esc(ctx.L['footer'])}</p>", rnd)
            )
        if path.endswith("/"):
            slug = path.strip("/")
            page = 1
            style = self.cfg.pagination
            mt = TRANG_RE.match(slug)
            if style == "trang" and mt and site.section(host, mt.group(1)):
                slug, page = mt.group(1), int(mt.group(2))
            elif style == "query" and "p" in query:
                page = _int(query["p"][0])
            elif style == "page" and "page" in query:
                page = _int(query["page"][0])
            section = site.section(host, slug) or (self.old and self.old.get(host, slug))
            if section is not None:
                key = f"l:{host}:{slug}:{page}"
                return Page(200, self.render_listing(ctx, section, page, rnd), key=key)
        return self.not_found(ctx, rnd)

    def not_found(self, ctx: Ctx, rnd: random.Random) -> Page:
        return Page(404, self.render_simple(ctx, "404", f"<p>{esc(ctx.L['not_found'])}</p>", rnd))

    # -- HTTP --------------------------------------------------------------------------------------------

    def respond(
        self,
        host: str,
        method: str,
        path_qs: str,
        headers: dict[str, str],
        attempt: int = 1,
        rnd: random.Random | None = None,
        base: str = "",
    ) -> Response:
        """The full answer to a request: irregular statuses, redirects, 304, encodings.

        `headers` keys are lower-case. `attempt` is the 1-based count of requests so far for
        (host, method, path_qs). `base` is the serving host's own base URL (for Location headers)."""
        info = self.plan().get((host, path_qs), {})
        irregular: list[str] = []
        statuses = info.get("statuses", [])
        common: list[tuple[str, str]] = []  # Server and Date come from the HTTP layer
        if attempt <= len(statuses):
            st = statuses[attempt - 1]
            reason = "Service Unavailable" if st == 503 else "Internal Server Error"
            body = f"<html><body><h1>{st} {reason}</h1></body></html>".encode()
            hdrs = [*common, ("Content-Type", "text/html; charset=utf-8"), ("Retry-After", "1")]
            return Response(st, hdrs, body, irregular=[f"status:{st}"])
        delay = info.get("delay", 0.0)
        if delay:
            irregular.append("slow")
        charset = "windows-1258" if info.get("cp1258") else "utf-8"
        page = self.route(host, path_qs, rnd, charset)
        if page.status == 301:
            loc = base + page.headers["Location"]
            hdrs = [*common, ("Location", loc), ("Content-Type", "text/html; charset=utf-8")]
            body = (
                f'<html><body>Moved to <a href="{esc(loc)}">{esc(loc)}</a></body></html>'.encode()
            )
            return Response(301, hdrs, body, delay=delay, irregular=irregular)
        hdrs = list(common)
        if page.etag:
            hdrs.append(("ETag", page.etag))
            hdrs.append(("Last-Modified", http_date(page.last_modified)))
            hdrs.append(("Cache-Control", "max-age=60"))
            if _not_modified(headers, page.etag, page.last_modified):
                return Response(304, hdrs, b"", delay=delay, irregular=irregular)
        if isinstance(page.body, bytes):
            hdrs.append(("Content-Type", page.content_type))
            hdrs.append(("Cache-Control", "max-age=86400"))
            return Response(page.status, hdrs, page.body, delay=delay)
        text = page.body
        ctype = page.content_type
        if info.get("nfd"):
            text = unicodedata.normalize("NFD", text)
            irregular.append("nfd")
        if info.get("cp1258"):
            data = T.to_cp1258(text)
            ctype += "; charset=windows-1258"
            irregular.append("cp1258")
        elif info.get("charset_lie"):
            data = text.encode("utf-8")
            ctype += "; charset=ISO-8859-1"
            irregular.append("charset_lie")
        else:
            data = text.encode("utf-8")
            ctype += "; charset=utf-8"
        hdrs.append(("Content-Type", ctype))
        xfer = self.transfer_plan(host, path_qs)
        if xfer["gzip"] and _accepts_gzip(headers.get("accept-encoding", "")):
            data = gzip.compress(data, compresslevel=5, mtime=0)
            hdrs.append(("Content-Encoding", "gzip"))
        hdrs.append(("Vary", "Accept-Encoding"))
        return Response(
            page.status,
            hdrs,
            data,
            chunked=xfer["chunked"],
            delay=delay,
            irregular=irregular,
        )


class Boxes:
    """What a chrome's side boxes may show, drawn only when the chrome asks: a hand-written template
    asks for five "most read" links (which vary with `rnd`, i.e. per visit), a generated one may ask
    for more, with summaries, dates and body paragraphs."""

    def __init__(self, rep: Replica, ctx: Ctx, rnd: random.Random) -> None:
        self.rep, self.ctx, self.rnd = rep, ctx, rnd

    def most_read(self) -> list[tuple[str, str]]:
        return self.rep._most_read(self.ctx, self.rnd)

    def most_read_items(self, k: int = 5) -> list[BoxItem]:
        return [
            self.rep.box_item(self.ctx, p)
            for p in self.rep._most_read_positions(self.ctx, self.rnd, k)
        ]

    def newest_items(self, k: int = 5) -> list[BoxItem]:
        return [self.rep.box_item(self.ctx, p) for p in self.rep.site.latest(self.ctx.host, k)]


def _int(s: str) -> int:
    try:
        return int(s)
    except ValueError:
        return 1


def _accepts_gzip(value: str) -> bool:
    for part in value.split(","):
        name, _, params = part.strip().partition(";")
        if name.strip().lower() in ("gzip", "*"):
            q = params.strip()
            return not (q.startswith("q=") and float(q[2:] or 0) == 0)
    return False


def _not_modified(headers: dict[str, str], etag: str, last_modified: datetime) -> bool:
    inm = headers.get("if-none-match")
    if inm is not None:
        tags = [t.strip() for t in inm.split(",")]
        bare = etag.removeprefix("W/")
        return any(t == "*" or t.removeprefix("W/") == bare for t in tags)
    ims = headers.get("if-modified-since")
    if ims:
        try:
            when = email.utils.parsedate_to_datetime(ims)
        except (TypeError, ValueError):
            return False
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        return last_modified.replace(second=0, microsecond=0) <= when
    return False
