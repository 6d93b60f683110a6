"""Page chromes nobody wrote by hand: `--chrome-seed N` draws every page in a chrome built from N.

`GeneratedChrome(N)` draws every choice once, at construction, from a random generator seeded by N
(any int; `random.Random("chrome:N")` because `random.Random(-N)` equals `random.Random(N)`), and
records them in `.choices` (JSON-ready; also in the manifest). Each dimension is drawn on its own:

=================  ==========================================================================
vocab              class names: vi CMS words (`noidung`, `chitiet`, `khoi`, `tin-tuc`), en words,
                   both mixed, random tokens (`x7f3k`), utility classes (`col-md-8 mt-2`), none
ids                ids on landmarks: none, words, ASP.NET-style (`ctl00_ContentPlaceHolder1_ctl03`)
depth, wrappers    0-6 divs around the article, named like chrome (`box-…`, `widget-…`, `module`)
                   or from the vocabulary or bare; `article_bare`: article container without class
layout             divs, html5 landmarks, or the whole page in `<table>` cells; sidebar first/last
title              h1/h2/h3/div/strong, inside a link to itself or not, after a breadcrumb or not;
                   the site logo an h1 or an image
date               the holder element (span/div/p/em/`<time datetime>`/`<time>`), split into date
                   and time spans, a weekday before it, an "updated at"/"posted" label, `|` or
                   space between the parts, `GMT+7` or the 12-hour `SA/CH` (`AM/PM`) form after
                   it; before the title, after it, or after the lead; a header clock showing
                   `--today` in the same form; side-box items dated in any of eleven forms
kicker, lead       kicker tag classed or bare; lead p/div/h2/strong, classed or bare;
                   og:description full, cut at a word boundary (`…` or `...`), or absent
byline             the real right-aligned bold paragraph at the end of the body, first in the
                   body container, or right after the lead outside it
boxes              "most read" / "newest" / both, 5 or 20 items, without summaries, with the
                   summary, or with summary and body paragraphs (then often longer than the
                   article), headings or not, labels in the host's language, vi or en
in_body            ads, related box, share/comment/cookie widgets and scripts inside the body
                   container: before, between or after the body blocks (never inside a block,
                   never between an image and its caption paragraph)
listing_form       cards, headings with links, bare ul/li, table rows, or the real 2020 form
                   (`h2.h2cate > a` entries plus `div.boxtinmoi li a`, next page `>` in
                   `div.fright`); pagination as numbers, numbers and next, next only (`>`, `»`,
                   `Trang sau`, `Xem thêm`, `Next`), with `rel="next"` on `<a>`/`<link>` or not
album_form         photo divs, ul/li, `figure/figcaption`, or a table with a caption row
meta               canonical, article:published_time, JSON-LD, og:title suffix: each on or off
=================  ==========================================================================

The body markup stays the real one: the blocks come from `render.served_blocks` untouched, so the
truth's body_html/body_text do not depend on the chrome. Title, kicker, lead, byline, album
description and captions are the truth strings, escaped.

Why the truth file does not change with the chrome
    The record contract says `published_raw` is the text of the element the date came from. A
    generated chrome therefore prints the article's (and album's) date in a holder element whose
    text is exactly the model's `published_raw` (`DD/MM/YYYY - HH:MM`; split spans inside it keep
    that text) and puts every other form in *other* elements: the weekday, the label and `GMT+7`
    or `06:20 CH` in sibling spans, `<time datetime>` as the holder itself, the remaining forms
    on dates that are not the article's (side boxes). The alternative, drawing `published_raw`'s
    form from the site seed, would change the pages and truth of runs without `--chrome-seed`,
    which must stay byte-identical. Whether albums show a date at all is a fact of the site: the
    generated chrome takes `album_date` from the site seed's template (see `Replica.chrome`).
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from .chrome import USEFUL_LINKS, Chrome, Ctx
from .generated_parts import PartsMixin
from .generated_words import (
    CHROME_WRAPPERS,
    EN_WORDS,
    ID_ROLES,
    MORE_LABELS,
    REAL_BODY_CLASSES,
    ROLES,
    UTILITY,
    VI_WORDS,
    WEEKDAYS,
    token,
    truncate,
    twelve_hour,
)
from .model import PROD, SITE_NAME, Article
from .render import attr, esc, served_blocks, served_byline, served_source, wrap_old_cms

# Every scalar dimension and the values it is drawn from (uniformly, each on its own).
DIMENSIONS: dict[str, tuple] = {
    "vocab": ("vi", "en", "mixed", "random", "utility", "none"),
    "ids": ("none", "words", "aspnet"),
    "depth": (0, 1, 2, 3, 4, 5, 6),
    "wrappers": ("chrome-like", "vocab", "bare"),
    "article_bare": (False, True),
    "article_tag": ("div", "article", "section"),
    "body_name": ("real", "vocab", "bare"),
    "layout": ("div", "html5", "table"),
    "sidebar_first": (False, True),
    "head_form": ("meta-charset", "http-equiv"),
    "menu_form": ("nested-ul", "flat", "table"),
    "logo_h1": (False, True),
    "clock": (False, True),
    "cookie_banner": (False, True),
    "title_tag": ("h1", "h2", "h3", "div", "strong"),
    "title_link": (False, True),
    "breadcrumb": (False, True),
    "kicker_tag": ("div", "p", "span", "h4", "strong"),
    "kicker_classed": (False, True),
    "lead_tag": ("p", "div", "h2", "strong"),
    "lead_classed": (False, True),
    "date_at": ("top", "after-title", "after-lead"),
    "date_holder": ("span", "div", "p", "em", "time-dt", "time-bare"),
    "date_split": (False, True),
    "date_weekday": (False, True),
    "date_label": ("none", "updated", "posted"),
    "date_sep": ("space", "pipe"),
    "date_suffix": ("none", "gmt", "12h"),
    "box_dates": (False, True),
    "box_date_form": (
        "site",
        "hm-dmy",
        "hm-ngay",
        "weekday",
        "pipe",
        "luc",
        "gmt",
        "12h",
        "time-dt",
        "time-bare",
        "split",
    ),  # fmt: skip
    "og_desc": ("full", "cut-ellipsis", "cut-dots", "absent"),
    "byline_at": ("end-of-body", "top-of-body", "after-lead"),
    "boxes": ("most-read", "newest", "both"),
    "box_size": ("short", "long"),
    "box_summaries": ("none", "short", "long"),
    "box_headings": (False, True),
    "box_label_lang": ("host", "vi", "en"),
    "box_list": ("ul", "ol", "div"),
    "listing_form": ("cards", "headings", "list", "table", "2020"),
    "thumbs": (False, True),
    "entry_heading": ("h2", "h3", "h4"),
    "pager_form": ("numbers", "numbers-next", "next-only"),
    "next_label": (">", "»", "next", "more", "Next"),
    "rel_next": ("none", "a", "link", "both"),
    "album_form": ("div", "list", "figure", "table"),
    "canonical": (False, True),
    "og_published": (False, True),
    "jsonld": (False, True),
    "og_suffix": (False, True),
}
# Drawn after the others from a stream of their own (see GeneratedChrome.__init__).
LATER_DIMENSIONS: dict[str, tuple] = {
    "about_box": ("none", "none", "short", "long"),
    "about_first": (False, True),
}
WIDGETS = ("ad", "related", "share", "comments", "cookie", "script")
WIDGET_PLACES = ("before", "between", "after")


class Names:
    """The chrome's own name for each role: ` class="…"` (and ` id="…"` on landmarks), or nothing."""

    def __init__(self, r: random.Random, vocab: str, ids: str) -> None:
        self.vocab = vocab
        self.cls = {role: _class_name(r, vocab, role) for role in ROLES}
        self.ids: dict[str, str] = {}
        if vocab != "none" and ids != "none":
            for i, role in enumerate(ID_ROLES):
                if ids == "aspnet":
                    self.ids[role] = f"ctl00_ContentPlaceHolder1_ctl{i:02d}"
                else:
                    suffix = "-" + token(r) if r.random() < 0.5 else ""
                    self.ids[role] = self.cls[role].split()[0] + suffix

    def __call__(self, role: str) -> str:
        c, i = self.cls.get(role, ""), self.ids.get(role, "")
        return (f' class="{c}"' if c else "") + (f' id="{i}"' if i else "")


def _class_name(r: random.Random, vocab: str, role: str) -> str:
    if vocab == "vi":
        return r.choice(VI_WORDS[role])
    if vocab == "en":
        return r.choice(EN_WORDS[role])
    if vocab == "mixed":
        return r.choice(VI_WORDS[role] + EN_WORDS[role])
    if vocab == "random":
        return token(r)
    if vocab == "utility":
        return " ".join(r.sample(UTILITY, r.randint(1, 3)))
    return ""


def draw_choices(r: random.Random) -> dict:
    return {key: r.choice(values) for key, values in DIMENSIONS.items()}


def draw_widgets(r: random.Random) -> list[tuple[str, str]]:
    """Widgets inside the body container, each with its place; related and share at most once."""
    out: list[tuple[str, str]] = []
    for _ in range(r.choice((0, 1, 2, 3, 4))):
        kind, place = r.choice(WIDGETS), r.choice(WIDGET_PLACES)
        if kind in ("related", "share") and any(k == kind for k, _ in out):
            continue
        out.append((kind, place))
    return out


def draw_wrappers(r: random.Random, choices: dict, names: Names) -> list[str]:
    """The class of each wrapper div around the article ("" = bare)."""
    style = choices["wrappers"] if names.vocab != "none" else "bare"
    choices["wrappers"] = style  # what the pages really show
    out = []
    for _ in range(choices["depth"]):
        if style == "chrome-like":
            out.append(r.choice(CHROME_WRAPPERS))
        elif style == "vocab":
            out.append(names.cls[r.choice(("box", "main", "page", "list"))])
        else:
            out.append("")
    return out


class GeneratedChrome(PartsMixin, Chrome):
    """A chrome drawn from an integer seed; see the module docstring for its dimensions."""

    def __init__(self, seed: int, album_date: bool = True) -> None:
        r = random.Random(f"chrome:{seed}")
        self.seed = seed
        self.name = f"generated:{seed}"
        self.album_date = album_date
        self.choices = draw_choices(r)
        c = self.choices
        # Dimensions added later draw from their own stream, so earlier seeds keep their pages.
        later = random.Random(f"chrome:{seed}:later")
        for key, values in LATER_DIMENSIONS.items():
            c[key] = later.choice(values)
        self.names = Names(r, c["vocab"], c["ids"])
        self.wrappers = draw_wrappers(r, c, self.names)
        self.widgets = draw_widgets(r)
        c["in_body"] = [f"{k}@{p}" for k, p in self.widgets]
        c["body_class"] = self._body_class(r)
        self.label_pick = r.randrange(3)
        self.clock_minutes = r.randrange(7 * 60, 23 * 60) | 1  # odd: never an epoch article's time
        self.og_limit = r.randint(60, 160)
        tok = token(r)
        self.css = f"/Content/{tok}/style.css?v={r.randint(1, 99999)}"
        self.js = f"/Scripts/{tok}.min.js"
        self.has_canonical = c["canonical"]
        self.has_og_published = c["og_published"]
        self.has_jsonld = c["jsonld"]
        self.og_suffix = c["og_suffix"]

    def _body_class(self, r: random.Random) -> str:
        """The body container's class: a real one of the site, the vocabulary's, or none. A chrome
        without a vocabulary has no class anywhere, this one included."""
        name = self.choices["body_name"] if self.names.vocab != "none" else "bare"
        self.choices["body_name"] = name
        if name == "real":
            return r.choice(REAL_BODY_CLASSES)
        return self.names.cls["body"] if name == "vocab" else ""

    def at(self, role: str) -> str:
        return self.names(role)

    # -- page skeleton -----------------------------------------------------------------------------------

    def head(self, ctx: Ctx, title: str, extra: str = "") -> str:
        if self.choices["head_form"] == "http-equiv":
            charset = (
                f'<meta http-equiv="Content-Type" content="text/html; charset={ctx.charset}">\n'
            )
        else:
            charset = f'<meta charset="{ctx.charset}">\n'
        return (
            f"{charset}<title>{esc(title)}</title>\n"
            f'<link rel="stylesheet" href="{self.css}">\n<script src="{self.js}"></script>\n{extra}'
        )

    def page(self, ctx: Ctx, head: str, main: str, sidebar: str, lang: str, body_class: str) -> str:
        c, at = self.choices, self.at
        cols = [("main", main), ("side", sidebar)]
        if c["sidebar_first"]:
            cols.reverse()
        header, footer = self.header(ctx), self.footer(ctx)
        if c["layout"] == "table":
            cells = "".join(f'<td valign="top"{at(role)}>\n{x}\n</td>' for role, x in cols)
            body = (
                f'<table width="100%" cellpadding="0" cellspacing="0"{at("page")}>\n'
                f'<tr><td colspan="2"{at("header")}>{header}</td></tr>\n<tr>{cells}</tr>\n'
                f'<tr><td colspan="2"{at("footer")}>{footer}</td></tr>\n</table>'
            )
        elif c["layout"] == "html5":
            tags = {"main": "main", "side": "aside"}
            inner = "\n".join(f"<{tags[role]}{at(role)}>\n{x}\n</{tags[role]}>" for role, x in cols)
            body = (
                f"<div{at('page')}>\n<header{at('header')}>{header}</header>\n{inner}\n"
                f"<footer{at('footer')}>{footer}</footer>\n</div>"
            )
        else:
            inner = "\n".join(f"<div{at(role)}>\n{x}\n</div>" for role, x in cols)
            body = (
                f"<div{at('page')}>\n<div{at('header')}>{header}</div>\n{inner}\n"
                f"<div{at('footer')}>{footer}</div>\n</div>"
            )
        bcls = f' class="{body_class}"' if self.names.vocab != "none" else ""
        cookie = self.cookie(ctx) + "\n" if c["cookie_banner"] else ""
        return (
            f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n{head}</head>\n<body{bcls}>\n{body}\n'
            f"{cookie}<script>window.dataLayer = window.dataLayer || [];</script>\n</body>\n</html>\n"
        )

    def header(self, ctx: Ctx) -> str:
        L, name = ctx.L, SITE_NAME[ctx.host]
        vi, en = L["switch"]
        parts = [f'<div><a href="{PROD["vi"]}/">{vi}</a> | <a href="{PROD["en"]}/">{en}</a></div>']
        if self.choices["logo_h1"]:
            parts.append(f'<h1{self.at("logo")}><a href="/">{name}</a></h1>')
        else:
            parts.append(
                f'<div{self.at("logo")}><a href="/"><img src="/Content/images/logo.png" alt="{name}"></a></div>'
            )
        if self.choices["clock"] and ctx.today is not None:
            now = ctx.today + timedelta(minutes=self.clock_minutes)
            parts.append(f"<div{self.at('clock')}>{self.date_line(ctx, now, 'clock')}</div>")
        parts.append(
            f'<form action="/tim-kiem/" method="get"><input name="q" type="text">'
            f'<button type="submit">{L["search"]}</button></form>'
        )
        parts.append(self.menu(ctx))
        return "\n".join(parts)

    def menu(self, ctx: Ctx) -> str:
        form, at = self.choices["menu_form"], self.at
        home = f'<a href="/">{ctx.L["home"]}</a>'

        def link(s) -> str:
            return f'<a href="{ctx.href(s.path)}">{esc(s.name)}</a>'

        if form == "table":
            cells = "".join(
                f"<td>{link(top)}" + "".join(f"<br>{link(k)}" for k in kids) + "</td>"
                for top, kids in self.tree(ctx)
            )
            return f"<table{at('menu')}><tr><td>{home}</td>{cells}</tr></table>"
        if form == "flat":
            links = [home] + [link(s) for top, kids in self.tree(ctx) for s in (top, *kids)]
            return f"<div{at('menu')}>" + " | ".join(links) + "</div>"
        lis = [f"<li>{home}</li>"]
        for top, kids in self.tree(ctx):
            sub = "".join(f"<li>{link(k)}</li>" for k in kids)
            sub = f"<ul{at('submenu')}>{sub}</ul>" if kids else ""
            lis.append(f"<li>{link(top)}{sub}</li>")
        ul = f"<ul{at('menu')}>" + "".join(lis) + "</ul>"
        return f"<nav>{ul}</nav>" if self.choices["layout"] == "html5" else ul

    def footer(self, ctx: Ctx) -> str:
        L = ctx.L
        secs = " | ".join(
            f'<a href="{ctx.href(s.path)}">{esc(s.name)}</a>'
            for s in ctx.sections
            if s.parent is None
        )
        return (
            f'<div>{secs}</div><div><a href="/gioi-thieu/">{L["about"]}</a> | '
            f'<a href="/lien-he/">{L["contact"]}</a> | <a href="/quang-cao/">{L["ads"]}</a></div>'
            f"<p>{esc(L['footer'])}</p><p>© {SITE_NAME[ctx.host]}</p>"
        )

    def wrap(self, inner: str) -> str:
        """The wrapper divs around the main content (innermost last in the list)."""
        for cls in reversed(self.wrappers):
            inner = f'<div class="{cls}">\n{inner}\n</div>' if cls else f"<div>\n{inner}\n</div>"
        return inner

    # -- dates -------------------------------------------------------------------------------------------

    def date_line(self, ctx: Ctx, dt: datetime, what: str) -> str:
        """The date as this chrome prints it. The holder's text is exactly `DD/MM/YYYY - HH:MM`
        (the truth's published_raw for an article or album); the rest sits in sibling elements."""
        c, lang = self.choices, ctx.host
        raw = dt.strftime("%d/%m/%Y - %H:%M")
        inner = raw
        if c["date_split"]:
            day, time = raw.split(" - ")
            inner = f"<span>{day}</span> - <span>{time}</span>"
        holder = c["date_holder"]
        cls = self.at("date") if what != "clock" else ""
        if holder == "time-dt":
            iso = dt.strftime("%Y-%m-%dT%H:%M:%S+07:00")
            el = f'<time datetime="{iso}"{cls}>{inner}</time>'
        elif holder == "time-bare":
            el = f"<time{cls}>{inner}</time>"
        else:
            el = f"<{holder}{cls}>{inner}</{holder}>"
        sep = " | " if c["date_sep"] == "pipe" else " "
        parts = []
        if c["date_label"] != "none":
            parts.append(f"<span>{MORE_LABELS[lang][c['date_label']]}</span>")
        if c["date_weekday"]:
            comma = "," if sep == " " else ""
            parts.append(f"<span>{WEEKDAYS[lang][dt.weekday()]}{comma}</span>")
        parts.append(el)
        if c["date_suffix"] == "gmt":
            parts.append("<span>GMT+7</span>")
        elif c["date_suffix"] == "12h":
            parts.append(f"<span>({twelve_hour(dt, lang)})</span>")
        return sep.join(parts)

    # -- article -----------------------------------------------------------------------------------------

    def meta_article(
        self, ctx: Ctx, art: Article, breaks: frozenset[str], site: str
    ) -> tuple[str, str]:
        title, extra = super().meta_article(ctx, art, breaks, site)
        form = self.choices["og_desc"]
        if art.lead and "lead" not in breaks and form != "full":
            old = f'<meta property="og:description" content="{attr(art.lead)}">\n'
            new = ""
            if form != "absent":
                cut = truncate(art.lead, self.og_limit, "…" if form == "cut-ellipsis" else "...")
                new = f'<meta property="og:description" content="{attr(cut)}">\n'
            extra = extra.replace(old, new)
        return title, extra

    def title_el(self, ctx: Ctx, text: str, path: str) -> str:
        tag, inner = self.choices["title_tag"], esc(text)
        if self.choices["title_link"]:
            inner = f'<a href="{attr(ctx.href(path))}">{inner}</a>'
        return f"<{tag}{self.at('title')}>{inner}</{tag}>"

    def lead_el(self, text: str) -> str:
        tag = self.choices["lead_tag"]
        cls = self.at("lead") if self.choices["lead_classed"] else ""
        return f"<{tag}{cls}>{esc(text)}</{tag}>"

    def crumb(self, ctx: Ctx) -> str:
        trail = list(ctx.trail[:1])
        trail += [s for s in ctx.trail[1:] if trail and s.parent == trail[0].slug][:1]
        links = [f'<a href="/">{ctx.L["home"]}</a>'] + [
            f'<a href="{ctx.href(s.path)}">{esc(s.name)}</a>' for s in trail
        ]
        return f"<div{self.at('crumb')}>" + " » ".join(links) + "</div>"

    def article_head(self, ctx: Ctx, art: Article, breaks: frozenset[str]) -> list[str]:
        """Breadcrumb, kicker, title, lead, byline (when above the body) and date, in this
        chrome's order."""
        c = self.choices
        date = ""
        if art.show_date and "published" not in breaks:
            date = f"<div>{self.date_line(ctx, art.dt, 'article')}</div>"
        out = [self.crumb(ctx) if c["breadcrumb"] else ""]
        out.append(date if c["date_at"] == "top" else "")
        if art.kicker and "kicker" not in breaks:
            cls = self.at("kicker") if c["kicker_classed"] else ""
            out.append(f"<{c['kicker_tag']}{cls}>{esc(art.kicker)}</{c['kicker_tag']}>")
        if "title" not in breaks:
            out.append(self.title_el(ctx, art.title, art.path))
        out.append(date if c["date_at"] == "after-title" else "")
        if art.lead and "lead" not in breaks:
            out.append(self.lead_el(art.lead))
        if c["byline_at"] == "after-lead":
            out.append(served_byline(art, breaks))
        out.append(date if c["date_at"] == "after-lead" else "")
        return [x for x in out if x]

    def body_container(
        self, ctx: Ctx, art: Article, breaks: frozenset[str], widgets: dict[str, list[str]]
    ) -> str:
        """The real body blocks, untouched, with this chrome's widgets before, between or after
        them and the byline paragraph where the chrome puts it."""
        blocks = served_blocks(art, breaks)
        if widgets["between"]:
            mid = len(blocks) // 2
            blocks = blocks[:mid] + widgets["between"] + blocks[mid:]
        byline = served_byline(art, breaks)
        at = self.choices["byline_at"]
        parts = [*widgets["before"]]
        parts.append(byline if at == "top-of-body" else "")
        parts.append(wrap_old_cms(art, "\n".join(blocks)))
        parts.append(byline if at == "end-of-body" else "")
        parts.append(served_source(art, breaks))  # the real line closes the body text
        parts.extend(widgets["after"])
        cls = self.choices["body_class"]
        attrs = f' class="{cls}"' if cls else ""
        if cls and "body" in self.names.ids:
            attrs += f' id="{self.names.ids["body"]}"'
        return f"<div{attrs}>\n" + "\n".join(p for p in parts if p) + "\n</div>"

    def article_main(
        self, ctx: Ctx, art: Article, body: str, breaks: frozenset[str], related: str
    ) -> str:
        share = self.share(ctx, art.canonical_url)
        widgets: dict[str, list[str]] = {p: [] for p in WIDGET_PLACES}
        for kind, place in self.widgets:
            widgets[place].append(self.widget(ctx, kind, art, related, share))
        inside = {k for k, _ in self.widgets}
        parts = self.article_head(ctx, art, breaks)
        parts.append(self.body_container(ctx, art, breaks, widgets))
        parts.append("" if "share" in inside else share)
        parts.append(self.useful(ctx))
        parts.append("" if "related" in inside else related)
        return self.wrap(self.container(parts))

    def container(self, parts: list[str]) -> str:
        tag = self.choices["article_tag"]
        cls = "" if self.choices["article_bare"] else self.at("article")
        return f"<{tag}{cls}>\n" + "\n".join(p for p in parts if p) + f"\n</{tag}>"

    def useful(self, ctx: Ctx) -> str:
        k = 0 if ctx.host == "vi" else 1
        lis = "".join(
            f'<li><a href="{u}" target="_blank">{esc(x[k])}</a></li>' for u, *x in USEFUL_LINKS
        )
        return f"<div{self.at('useful')}><div>{ctx.L['useful']}</div><ul>{lis}</ul></div>"
