"""Page chrome: three templates of the same CMS, chosen per seed and edition.

What varies between templates (the parts docs/site.md marks unknown):

=============  ===========================  ===============================  ==============================
               fck                          classic                          modern
=============  ===========================  ===============================  ==============================
menu           nested ul.menu-main          div.mega-menu columns            nav.navbar dropdowns
title          h1.title-detail              h2.article-title (h1 = logo)     h1.post-title in <header>
date           span.pubdate                 div.date-time (icon inside)      time.post-date[datetime]
kicker         div.kicker                   h3.sup-title                     p.post-kicker
lead           div.fontd.fw600.justify      div.sapo INSIDE the container     p.post-lead
body           div.content-fck.slider-…     div.detail-content (+share in)   div.post-content > div.fck
meta           og:title " - site",          og:title bare, JSON-LD,          og:title " - site",
               article:published_time,      no canonical                     published_time, JSON-LD,
               canonical                                                     canonical
album date     shown                        not shown                        shown
=============  ===========================  ===============================  ==============================
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import quote

from .model import PROD, SITE_NAME, Album, Article, Section
from .render import attr, esc

LABELS = {
    "vi": {
        "home": "Trang chủ",
        "most_read": "Đọc nhiều",
        "related": "Tin liên quan",
        "share": "Chia sẻ bài viết",
        "useful": "Liên kết hữu ích",
        "switch": ("Tiếng Việt", "English"),
        "search": "Tìm kiếm",
        "next": "Trang sau",
        "last": "Trang cuối",
        "more": "Xem thêm",
        "prev": "Trang trước",
        "not_found": "Không tìm thấy trang bạn yêu cầu",
        "latest": "Tin mới nhất",
        "albums": "Album ảnh",
        "about": "Giới thiệu",
        "contact": "Liên hệ",
        "ads": "Quảng cáo",
        "footer": "Cơ quan chủ quản: Tỉnh ủy Long An. Giấy phép số 436/GP-BTTTT. "
        "Tổng Biên tập: Nguyễn Văn Đức. Địa chỉ: số 8 Võ Văn Tần, Phường 2, TP.Tân An, tỉnh Long An.",
    },
    "en": {
        "home": "Home",
        "most_read": "Most read",
        "related": "Related news",
        "share": "Share",
        "useful": "Useful links",
        "switch": ("Vietnamese", "English"),
        "search": "Search",
        "next": "Next",
        "last": "Last",
        "more": "More",
        "prev": "Previous",
        "not_found": "The page you requested was not found",
        "latest": "Latest news",
        "albums": "Photos",
        "about": "About us",
        "contact": "Contact",
        "ads": "Advertising",
        "footer": "Long An Newspaper - Long An Online. Licence No. 436/GP-BTTTT. "
        "Address: 8 Vo Van Tan street, Ward 2, Tan An city, Long An province.",
    },
}

USEFUL_LINKS = [
    ("https://longan.gov.vn", "Cổng TTĐT tỉnh Long An", "Long An portal"),
    ("https://dangcongsan.vn", "Báo điện tử Đảng Cộng sản Việt Nam", "Communist Party of Viet Nam"),
    ("https://chinhphu.vn", "Cổng TTĐT Chính phủ", "Government portal"),
]


@dataclass(frozen=True)
class BoxItem:
    """One entry of a side box ("most read", "newest"), with what a generated chrome may show."""

    url: str
    title: str
    summary: str
    dt: datetime
    paragraphs: tuple[str, ...]  # the first body paragraphs, for boxes longer than the article


@dataclass(frozen=True)
class Pagination:
    """Where a listing page sits among its pages, with the hrefs in the site's URL style."""

    page: int
    last: int
    numbers: tuple[tuple[int, str], ...]  # a window of numbered pages around the current one
    prev_href: str | None
    next_href: str | None
    last_href: str


class Ctx:
    """What a template needs to know about the page being rendered."""

    def __init__(
        self,
        host: str,
        sections: tuple[Section, ...],
        absolute: bool,
        charset: str = "utf-8",
        today: datetime | None = None,
    ):
        self.host = host  # edition of the serving host: sets the chrome language
        self.sections = sections
        self.absolute = absolute
        self.charset = charset
        self.L = LABELS[host]
        self.today = today  # midnight of the replica's "now" (a header clock shows it)
        self.trail: tuple[Section, ...] = ()  # sections of the article shown (breadcrumbs)

    def href(self, path: str) -> str:
        """A link to a page of the serving host, in the template's link style."""
        return PROD[self.host] + path if self.absolute else path


class Chrome:
    name = ""
    css = ""
    js = ""
    has_canonical = True
    has_og_published = True
    has_jsonld = False
    og_suffix = True
    album_date = True

    # -- page skeleton -----------------------------------------------------------------------------------

    def head(self, ctx: Ctx, title: str, extra: str = "") -> str:
        return (
            f'<meta charset="{ctx.charset}">\n<title>{esc(title)}</title>\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f'<link rel="stylesheet" href="{self.css}">\n<script src="{self.js}"></script>\n{extra}'
        )

    def lang_switch(self, ctx: Ctx) -> str:
        vi, en = ctx.L["switch"]
        return (
            f'<div class="lang-switch"><a href="{PROD["vi"]}/">{vi}</a> | '
            f'<a href="{PROD["en"]}/">{en}</a></div>'
        )

    def menu(self, ctx: Ctx) -> str:
        raise NotImplementedError

    def tree(self, ctx: Ctx) -> list[tuple[Section, list[Section]]]:
        tops = [s for s in ctx.sections if s.parent is None]
        return [(t, [s for s in ctx.sections if s.parent == t.slug]) for t in tops]

    def header(self, ctx: Ctx) -> str:
        L = ctx.L
        return (
            f'<div class="top-bar">{self.lang_switch(ctx)}'
            f'<a class="search-link" href="/tim-kiem/?q=long+an">{L["search"]}</a>'
            f'<form action="/tim-kiem/" method="get"><input name="q" type="text"></form></div>\n'
            f'<div class="logo"><a href="/"><img src="/Content/images/logo.png" alt="{SITE_NAME[ctx.host]}"></a></div>\n'
            f"{self.menu(ctx)}"
        )

    def footer(self, ctx: Ctx) -> str:
        L = ctx.L
        secs = "".join(
            f'<li><a href="{ctx.href(s.path)}">{esc(s.name)}</a></li>'
            for s in ctx.sections
            if s.parent is None
        )
        return (
            f'<footer class="footer"><ul class="footer-menu"><li><a href="/">{L["home"]}</a></li>{secs}</ul>'
            f'<ul class="footer-links"><li><a href="/gioi-thieu/">{L["about"]}</a></li>'
            f'<li><a href="/lien-he/">{L["contact"]}</a></li><li><a href="/quang-cao/">{L["ads"]}</a></li>'
            '<li><a href="https://www.facebook.com/baolongan.vn">Facebook</a></li>'
            '<li><a href="https://www.youtube.com/@baolongan">YouTube</a></li></ul>'
            f'<p class="copyright">{esc(L["footer"])}</p><p>© {SITE_NAME[ctx.host]}</p></footer>'
        )

    def most_read(self, ctx: Ctx, items: list[tuple[str, str]]) -> str:
        lis = "".join(f'<li><a href="{attr(u)}">{esc(t)}</a></li>' for u, t in items)
        return f'<div class="box-most-read"><div class="box-title">{ctx.L["most_read"]}</div><ul>{lis}</ul></div>'

    def sidebar(self, ctx: Ctx, boxes) -> str:
        """The side column; `boxes` draws its items only when asked (see pages.Boxes)."""
        return self.most_read(ctx, boxes.most_read())

    def page(self, ctx: Ctx, head: str, main: str, sidebar: str, lang: str, body_class: str) -> str:
        return (
            f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n{head}</head>\n<body class="{body_class}">\n'
            f'<div class="wrapper">\n<header class="header">\n{self.header(ctx)}\n</header>\n'
            f'<div class="container"><div class="main-col">\n{main}\n</div>\n'
            f'<aside class="side-col">\n{sidebar}\n</aside></div>\n{self.footer(ctx)}\n</div>\n'
            "<script>window.dataLayer = window.dataLayer || [];</script>\n</body>\n</html>\n"
        )

    # -- shared pieces -----------------------------------------------------------------------------------

    def meta_article(
        self, ctx: Ctx, art: Article, breaks: frozenset[str], site: str
    ) -> tuple[str, str]:
        """(<title> text, extra head markup)."""
        t = None if "title" in breaks else art.title
        parts = []
        if t and "lead" not in breaks and art.lead:
            parts.append(f'<meta name="description" content="{attr(art.lead)}">')
        if t:
            og = f"{t} - {site}" if self.og_suffix else t
            parts.append(f'<meta property="og:title" content="{attr(og)}">')
        parts.append('<meta property="og:type" content="article">')
        parts.append(f'<meta property="og:url" content="{attr(art.canonical_url)}">')
        if "lead" not in breaks and art.lead:
            parts.append(f'<meta property="og:description" content="{attr(art.lead)}">')
        imgs = art.images if "images" not in breaks and "body" not in breaks else []
        if imgs:
            parts.append(f'<meta property="og:image" content="{attr(imgs[0].url)}">')
        dated = art.show_date and "published" not in breaks
        if self.has_og_published and dated:
            parts.append(f'<meta property="article:published_time" content="{art.published_iso}">')
        if self.has_canonical:
            parts.append(f'<link rel="canonical" href="{attr(art.canonical_url)}">')
        if self.has_jsonld:
            ld: dict = {"@context": "https://schema.org", "@type": "NewsArticle"}
            if t:
                ld["headline"] = t
            if dated:
                ld["datePublished"] = art.published_iso
                ld["dateModified"] = art.modified.strftime("%Y-%m-%dT%H:%M:%S+07:00")
            if art.byline.authors and "byline" not in breaks:
                ld["author"] = [{"@type": "Person", "name": a} for a in art.byline.authors]
            if imgs:
                ld["image"] = [i.url for i in imgs]
            ld["mainEntityOfPage"] = art.canonical_url
            ld["publisher"] = {"@type": "Organization", "name": site}
            js = json.dumps(ld, ensure_ascii=False).replace("</", "<\\/")
            parts.append(f'<script type="application/ld+json">{js}</script>')
        title_tag = f"{t} - {site}" if t else site
        return title_tag, "\n".join(parts) + "\n"

    def share(self, ctx: Ctx, url: str) -> str:
        u = quote(url, safe="")
        return (
            f'<div class="share-box"><span>{ctx.L["share"]}</span> '
            f'<a href="https://www.facebook.com/sharer/sharer.php?u={u}" target="_blank">Facebook</a> '
            f'<a href="https://sp.zalo.me/share?url={u}">Zalo</a> '
            f'<a href="https://twitter.com/intent/tweet?url={u}">Twitter</a></div>'
        )

    def useful(self, ctx: Ctx) -> str:
        k = 1 if ctx.host == "vi" else 2
        lis = "".join(
            f'<li><a href="{u}" target="_blank">{esc(x[k - 1])}</a></li>' for u, *x in USEFUL_LINKS
        )
        return f'<div class="useful-links"><div class="title">{ctx.L["useful"]}</div><ul>{lis}</ul></div>'

    def related(self, ctx: Ctx, items: list[tuple[str, str]]) -> str:
        if not items:
            return ""
        lis = "".join(f'<li><a href="{attr(u)}">{esc(t)}</a></li>' for u, t in items)
        return f'<div class="related-news"><h3>{ctx.L["related"]}</h3><ul>{lis}</ul></div>'

    def byline_free(self, art: Article) -> str:
        return ""

    # -- per-template parts ------------------------------------------------------------------------------

    def article_main(
        self, ctx: Ctx, art: Article, body: str, breaks: frozenset[str], related: str
    ) -> str:
        raise NotImplementedError

    def album_main(self, ctx: Ctx, alb: Album, breaks: frozenset[str]) -> str:
        raise NotImplementedError

    def entry(self, ctx: Ctx, url: str, title: str, summary: str, thumb: str) -> str:
        raise NotImplementedError

    def entries(self, ctx: Ctx, items: list[tuple[str, str, str, str]]) -> list[str]:
        """Listing entries from (url, title, summary, thumb)."""
        return [self.entry(ctx, *it) for it in items]

    def listing_main(self, ctx: Ctx, heading: str, entries: list[str], pager: str) -> str:
        return (
            f'<div class="breadcrumb"><a href="/">{ctx.L["home"]}</a> » <span>{esc(heading)}</span></div>\n'
            f'<div class="list-news">\n' + "\n".join(entries) + f"\n</div>\n{pager}"
        )

    def listing_pager(self, ctx: Ctx, links: list[tuple[str, str, bool]], nav: Pagination) -> str:
        return self.pager(links) if links else ""

    def listing_head(self, ctx: Ctx, nav: Pagination) -> str:
        """Extra head markup of a listing page (e.g. `<link rel="next">`)."""
        return ""

    def home_main(
        self, ctx: Ctx, latest: list[str], albums: Section, album_entries: list[str]
    ) -> str:
        return (
            self.listing_main(ctx, ctx.L["latest"], latest, "")
            + f'\n<div class="home-albums"><h2><a href="{ctx.href(albums.path)}">{esc(albums.name)}</a></h2>\n'
            + "\n".join(album_entries)
            + "</div>"
        )

    def simple_main(self, ctx: Ctx, heading: str, content: str) -> str:
        """About, contact, search and 404 pages."""
        return f'<div class="static-page"><h1 class="page-title">{esc(heading)}</h1>\n{content}\n</div>'

    def pager(self, links: list[tuple[str, str, bool]]) -> str:
        """links: (label, href, is_current)."""
        out = []
        for label, href, cur in links:
            out.append(
                f'<span class="active">{esc(label)}</span>'
                if cur
                else f'<a href="{attr(href)}">{esc(label)}</a>'
            )
        return '<div class="pagination">' + " ".join(out) + "</div>"


def _date_text(art_or_alb) -> str:
    return art_or_alb.published_raw


def _album_photos_fck(alb: Album, breaks: frozenset[str]) -> str:
    out = []
    for ph in alb.photos if "images" not in breaks else ():
        cap = ""
        if ph.parts is not None and "captions" not in breaks:
            cap = '<p class="album-caption">' + "<br>".join(esc(x) for x in ph.parts) + "</p>"
        out.append(
            f'<div class="album-item" data-pos="{ph.pos}"><img class="i-img-slider-jsgallery" '
            f'src="{attr(ph.url)}" alt="">{cap}</div>'
        )
    return "\n".join(out)


class Fck(Chrome):
    name = "fck"
    css = "/Content/css/style.css?v=20240512"
    js = "/Scripts/main.js?v=20240512"

    def menu(self, ctx: Ctx) -> str:
        out = ['<ul class="menu-main">', f'<li class="home"><a href="/">{ctx.L["home"]}</a></li>']
        for top, kids in self.tree(ctx):
            sub = ""
            if kids:
                sub = (
                    '<ul class="sub-menu">'
                    + "".join(
                        f'<li><a href="{ctx.href(k.path)}">{esc(k.name)}</a></li>' for k in kids
                    )
                    + "</ul>"
                )
            cls = ' class="has-sub"' if kids else ""
            out.append(f'<li{cls}><a href="{ctx.href(top.path)}">{esc(top.name)}</a>{sub}</li>')
        out.append("</ul>")
        return "\n".join(out)

    def article_main(self, ctx, art, body, breaks, related):
        parts = ['<div class="detail">']
        if art.show_date and "published" not in breaks:
            parts.append(
                f'<div class="detail-top"><span class="pubdate">{_date_text(art)}</span></div>'
            )
        if art.kicker and "kicker" not in breaks:
            parts.append(f'<div class="kicker">{esc(art.kicker)}</div>')
        if "title" not in breaks:
            parts.append(f'<h1 class="title-detail">{esc(art.title)}</h1>')
        if art.lead and "lead" not in breaks:
            parts.append(f'<div class="fontd fw600 justify">{esc(art.lead)}</div>')
        parts.append(f'<div class="content-fck slider-jsgallery">\n{body}\n</div>')
        parts.append(self.share(ctx, art.canonical_url))
        parts.append(self.useful(ctx))
        parts.append(related)
        parts.append("</div>")
        return "\n".join(parts)

    def album_main(self, ctx, alb, breaks):
        parts = ['<div class="album-detail">']
        if "title" not in breaks:
            parts.append(f'<h1 class="album-title">{esc(alb.title)}</h1>')
        if "published" not in breaks:
            parts.append(f'<span class="pubdate">{_date_text(alb)}</span>')
        if "lead" not in breaks:
            parts.append(f'<div class="album-desc">{esc(alb.shown_description(breaks))}</div>')
        parts.append(
            f'<div class="album-list slider-jsgallery">\n{_album_photos_fck(alb, breaks)}\n</div>'
        )
        parts.append(self.share(ctx, alb.canonical_url))
        parts.append("</div>")
        return "\n".join(parts)

    def entry(self, ctx, url, title, summary, thumb):
        return (
            f'<div class="item-news"><a class="thumb" href="{attr(url)}"><img src="{attr(thumb)}" '
            f'alt="{attr(title)}"></a><h3 class="title-news"><a href="{attr(url)}">{esc(title)}</a></h3>'
            f'<div class="sapo">{esc(summary)}</div></div>'
        )


class Classic(Chrome):
    name = "classic"
    css = "/css/main.css"
    js = "/js/app.js"
    has_canonical = False
    has_og_published = False
    has_jsonld = True
    og_suffix = False
    album_date = False

    def head(self, ctx, title, extra=""):
        return (
            f'<meta http-equiv="Content-Type" content="text/html; charset={ctx.charset}">\n'
            f"<title>{esc(title)}</title>\n"
            f'<link href="{self.css}" rel="stylesheet" type="text/css">\n'
            f'<script type="text/javascript" src="{self.js}"></script>\n{extra}'
        )

    def header(self, ctx):
        return (
            f'<h1 class="logo"><a href="/">{SITE_NAME[ctx.host]}</a></h1>\n'
            f'<div class="box-lang">{self.lang_switch(ctx)}</div>\n'
            f'<a class="btn-search" href="/tim-kiem/?q=">{ctx.L["search"]}</a>\n{self.menu(ctx)}'
        )

    def menu(self, ctx):
        out = ['<div class="mega-menu">']
        for top, kids in self.tree(ctx):
            ch = "".join(
                f'<a class="cat-child" href="{ctx.href(k.path)}">{esc(k.name)}</a>' for k in kids
            )
            out.append(
                f'<div class="mega-col"><a class="cat-parent" href="{ctx.href(top.path)}">{esc(top.name)}</a>'
                f'<div class="mega-children">{ch}</div></div>'
            )
        out.append("</div>")
        return "\n".join(out)

    def most_read(self, ctx, items):
        lis = "".join(
            f'<li><a title="{attr(t)}" href="{attr(u)}">{esc(t)}</a></li>' for u, t in items
        )
        return f'<div class="widget docnhieu"><h3 class="widget-title">{ctx.L["most_read"]}</h3><ol>{lis}</ol></div>'

    def article_main(self, ctx, art, body, breaks, related):
        parts = ['<div class="article">']
        if art.show_date and "published" not in breaks:
            parts.append(
                f'<div class="article-meta"><div class="date-time"><i class="icon-clock"></i> {_date_text(art)}</div></div>'
            )
        if art.kicker and "kicker" not in breaks:
            parts.append(f'<h3 class="sup-title">{esc(art.kicker)}</h3>')
        if "title" not in breaks:
            parts.append(f'<h2 class="article-title">{esc(art.title)}</h2>')
        inner = ""
        if art.lead and "lead" not in breaks:
            inner = f'<div class="sapo"><strong>{esc(art.lead)}</strong></div>\n'
        parts.append(
            f'<div class="detail-content">\n{inner}{body}\n{self.share(ctx, art.canonical_url)}\n</div>'
        )
        parts.append(self.useful(ctx).replace("useful-links", "lien-ket"))
        parts.append(related)
        parts.append("</div>")
        return "\n".join(parts)

    def album_main(self, ctx, alb, breaks):
        parts = ['<div class="album">']
        if "title" not in breaks:
            parts.append(f'<h2 class="title-album">{esc(alb.title)}</h2>')
        if "lead" not in breaks:
            parts.append(f'<div class="sapo-album">{esc(alb.shown_description(breaks))}</div>')
        lis = []
        for ph in alb.photos if "images" not in breaks else ():
            cap = ""
            if ph.parts is not None and "captions" not in breaks:
                cap = (
                    '<div class="photo-caption">' + "<br>".join(esc(x) for x in ph.parts) + "</div>"
                )
            lis.append(
                f'<li><a class="fancybox" href="{attr(ph.url)}"><img src="{attr(ph.url)}" alt=""></a>{cap}</li>'
            )
        parts.append('<ul class="list-photo">\n' + "\n".join(lis) + "\n</ul>")
        parts.append("</div>")
        return "\n".join(parts)

    def entry(self, ctx, url, title, summary, thumb):
        return (
            f'<li class="news-item"><a href="{attr(url)}"><img src="{attr(thumb)}" alt=""></a>'
            f'<h2><a href="{attr(url)}" title="{attr(title)}">{esc(title)}</a></h2><p>{esc(summary)}</p></li>'
        )

    def listing_main(self, ctx, heading, entries, pager):
        return (
            f'<h1 class="cate-title">{esc(heading)}</h1>\n<ul class="list-cate">\n'
            + "\n".join(entries)
            + f"\n</ul>\n{pager}"
        )

    def pager(self, links):
        out = []
        for label, href, cur in links:
            out.append(
                f'<li class="active"><a>{esc(label)}</a></li>'
                if cur
                else f'<li><a href="{attr(href)}">{esc(label)}</a></li>'
            )
        return '<ul class="paging">' + "".join(out) + "</ul>"


class Modern(Chrome):
    name = "modern"
    css = "/assets/css/app.min.css"
    js = "/assets/js/app.min.js"
    has_jsonld = True

    def menu(self, ctx):
        out = ['<nav class="navbar"><ul class="nav">']
        for top, kids in self.tree(ctx):
            if kids:
                items = "".join(
                    f'<a class="dropdown-item" href="{ctx.href(k.path)}">{esc(k.name)}</a>'
                    for k in kids
                )
                out.append(
                    f'<li class="dropdown"><a class="dropdown-toggle" href="{ctx.href(top.path)}">{esc(top.name)}</a>'
                    f'<div class="dropdown-menu">{items}</div></li>'
                )
            else:
                out.append(
                    f'<li class="nav-item"><a class="nav-link" href="{ctx.href(top.path)}">{esc(top.name)}</a></li>'
                )
        out.append("</ul></nav>")
        return "\n".join(out)

    def most_read(self, ctx, items):
        links = "".join(f'<a class="mr-item" href="{attr(u)}">{esc(t)}</a>' for u, t in items)
        return f'<section class="most-read"><h2>{ctx.L["most_read"]}</h2>{links}</section>'

    def article_main(self, ctx, art, body, breaks, related):
        head = []
        if art.show_date and "published" not in breaks:
            head.append(
                f'<time class="post-date" datetime="{art.published_iso}">{_date_text(art)}</time>'
            )
        if art.kicker and "kicker" not in breaks:
            head.append(f'<p class="post-kicker">{esc(art.kicker)}</p>')
        if "title" not in breaks:
            head.append(f'<h1 class="post-title">{esc(art.title)}</h1>')
        parts = ['<article class="post-detail">', "<header>", *head, "</header>"]
        if art.lead and "lead" not in breaks:
            parts.append(f'<p class="post-lead">{esc(art.lead)}</p>')
        parts.append(f'<div class="post-content"><div class="fck">\n{body}\n</div></div>')
        parts.append(self.share(ctx, art.canonical_url).replace("share-box", "post-share"))
        parts.append(self.useful(ctx))
        parts.append("</article>")
        parts.append(related)
        return "\n".join(parts)

    def album_main(self, ctx, alb, breaks):
        parts = ['<article class="album">', "<header>"]
        if "published" not in breaks:
            parts.append(
                f'<time datetime="{alb.dt.strftime("%Y-%m-%dT%H:%M:%S+07:00")}">{_date_text(alb)}</time>'
            )
        if "title" not in breaks:
            parts.append(f'<h1 class="album-title">{esc(alb.title)}</h1>')
        parts.append("</header>")
        if "lead" not in breaks:
            parts.append(f'<p class="album-lead">{esc(alb.shown_description(breaks))}</p>')
        for ph in alb.photos if "images" not in breaks else ():
            cap = ""
            if ph.parts is not None and "captions" not in breaks:
                cap = "<figcaption>" + "<br>".join(esc(x) for x in ph.parts) + "</figcaption>"
            parts.append(
                f'<figure class="album-photo"><img src="{attr(ph.url)}" alt="">{cap}</figure>'
            )
        parts.append("</article>")
        return "\n".join(parts)

    def entry(self, ctx, url, title, summary, thumb):
        return (
            f'<article class="card"><a href="{attr(url)}"><img class="card-img" src="{attr(thumb)}" alt=""></a>'
            f'<div class="card-body"><h3 class="card-title"><a href="{attr(url)}">{esc(title)}</a></h3>'
            f'<p class="card-text">{esc(summary)}</p></div></article>'
        )


TEMPLATES: dict[str, Chrome] = {c.name: c for c in (Fck(), Classic(), Modern())}

# Where each template puts the body container (for tests that re-check body_html against pages).
BODY_CONTAINER_XPATH = {
    "fck": '//div[@class="content-fck slider-jsgallery"]',
    "classic": '//div[@class="detail-content"]',
    "modern": '//div[@class="post-content"]/div[@class="fck"]',
}
# The box whose links vary on every visit.
MOST_READ_RE = {
    "fck": r'<div class="box-most-read">.*?</ul></div>',
    "classic": r'<div class="widget docnhieu">.*?</ol></div>',
    "modern": r'<section class="most-read">.*?</section>',
}
