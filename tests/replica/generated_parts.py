"""The furniture of a generated chrome: side boxes, widgets, listings and pagination.

A mixin of `generated.GeneratedChrome` (which draws `self.choices` and `self.names`); kept apart so
each module reads in one sitting."""

from __future__ import annotations

from urllib.parse import quote

from .chrome import BoxItem, Ctx, Pagination
from .generated_words import ABOUT_TEXT, MORE_LABELS, box_date
from .model import Album, Article, Section
from .render import attr, esc


class PartsMixin:
    """Side boxes, widgets, listings, pagination, albums and static pages of a generated chrome."""

    choices: dict
    label_pick: int
    album_date: bool

    def at(self, role: str) -> str:
        raise NotImplementedError

    def wrap(self, inner: str) -> str:
        raise NotImplementedError

    def container(self, parts: list[str]) -> str:
        raise NotImplementedError

    def title_el(self, ctx: Ctx, text: str, path: str) -> str:
        raise NotImplementedError

    def lead_el(self, text: str) -> str:
        raise NotImplementedError

    def date_line(self, ctx: Ctx, dt, what: str) -> str:
        raise NotImplementedError

    # -- side boxes --------------------------------------------------------------------------------------

    def sidebar(self, ctx: Ctx, boxes) -> str:
        c = self.choices
        k = 5 if c["box_size"] == "short" else 20
        out = []
        if c["boxes"] in ("most-read", "both"):
            out.append(self.box(ctx, "most_read", boxes.most_read_items(k)))
        if c["boxes"] in ("newest", "both"):
            out.append(self.box(ctx, "newest", boxes.newest_items(k)))
        about = self.about_box(ctx)
        if about:
            out.insert(0 if c.get("about_first") else len(out), about)
        return "\n".join(out)

    def about_box(self, ctx: Ctx) -> str:
        """A static box of prose (the newspaper's introduction), the same on every page and with
        no link: nothing in one page tells it from an article, only its repetition across pages
        does. "long" holds more paragraph text than most articles."""
        size = self.choices.get("about_box", "none")
        if size == "none":
            return ""
        n = 3 if size == "short" else 14
        paras = "".join(f"<p>{esc(line)}</p>" for line in ABOUT_TEXT[ctx.host][:n])
        return f"<div{self.at('box')}>{paras}</div>"

    def box_label(self, ctx: Ctx, kind: str) -> str:
        lang = self.choices["box_label_lang"]
        return MORE_LABELS[ctx.host if lang == "host" else lang][kind][self.label_pick]

    def box(self, ctx: Ctx, kind: str, items: list[BoxItem]) -> str:
        c, at = self.choices, self.at
        head = f"<h3{at('box_title')}>{self.box_label(ctx, kind)}</h3>" if c["box_headings"] else ""
        form = c["box_list"]
        if form == "div":
            body = "".join(f"<div{at('entry')}>{self.box_item(ctx, it)}</div>" for it in items)
        else:
            body = f"<{form}>" + "".join(f"<li>{self.box_item(ctx, it)}</li>" for it in items)
            body += f"</{form}>"
        return f"<div{at('box')}>{head}{body}</div>"

    def box_item(self, ctx: Ctx, it: BoxItem) -> str:
        c = self.choices
        out = f'<a href="{attr(it.url)}">{esc(it.title)}</a>'
        if c["box_dates"]:
            out += f"<span>{box_date(it.dt, c['box_date_form'], ctx.host)}</span>"
        if c["box_summaries"] != "none":
            out += f"<p{self.at('summary')}>{esc(it.summary)}</p>"
        if c["box_summaries"] == "long":  # boxes that hold more text than the article itself
            out += "".join(f"<p>{esc(p)}</p>" for p in it.paragraphs)
        return out

    def related(self, ctx: Ctx, items: list[tuple[str, str]]) -> str:
        if not items:
            return ""
        lis = "".join(f'<li><a href="{attr(u)}">{esc(t)}</a></li>' for u, t in items)
        head = f"<h3>{ctx.L['related']}</h3>" if self.choices["box_headings"] else ""
        return f"<div{self.at('related')}>{head}<ul>{lis}</ul></div>"

    # -- widgets -----------------------------------------------------------------------------------------

    def share(self, ctx: Ctx, url: str) -> str:
        u = quote(url, safe="")
        return (
            f"<div{self.at('share')}><span>{ctx.L['share']}</span> "
            f'<a href="https://www.facebook.com/sharer/sharer.php?u={u}" target="_blank">Facebook</a> '
            f'<a href="https://sp.zalo.me/share?url={u}">Zalo</a></div>'
        )

    def cookie(self, ctx: Ctx) -> str:
        words = MORE_LABELS[ctx.host]
        return (
            f"<div{self.at('cookie')}><p>{esc(words['cookie'])}</p>"
            f'<button type="button">{words["accept"]}</button></div>'
        )

    def widget(self, ctx: Ctx, kind: str, art: Article, related: str, share: str) -> str:
        """One widget placed inside the body container."""
        words = MORE_LABELS[ctx.host]
        if kind == "ad":
            n = art.aid % 7 + 1
            return (
                f"<div{self.at('ad')}><span>{words['ad']}</span>"
                f'<a href="https://qc.baolongan.vn/click?b={n}" target="_blank" rel="nofollow">'
                f'<img src="/Content/ads/banner-{n}.jpg" alt=""></a></div>'
            )
        if kind == "related":
            return related
        if kind == "share":
            return share
        if kind == "comments":
            return (
                f"<div{self.at('comments')}><h3>{words['comments']}</h3>"
                f'<form action="/binh-luan/" method="post"><textarea name="noidung"></textarea>'
                f'<button type="submit">{words["send"]}</button></form>'
                f'<div data-href="{attr(art.canonical_url)}" data-numposts="5"></div></div>'
            )
        if kind == "cookie":
            return self.cookie(ctx)
        return (
            '<script type="text/javascript">var qcSlot = "body-' + str(art.aid) + '";'
            " document.write('<div class=\"qc-inline\"><\\/div>');</script>"
        )

    # -- listings ----------------------------------------------------------------------------------------

    def entries(self, ctx: Ctx, items: list[tuple[str, str, str, str]]) -> list[str]:
        if self.choices["listing_form"] != "2020":
            return [self.entry(ctx, *it) for it in items]
        # The real 2020 form: the first entries as h2.h2cate links with a summary, the rest of
        # the page's entries as the div.boxtinmoi list.
        half = (len(items) + 1) // 2
        out = [
            f'<div><h2 class="h2cate"><a href="{attr(u)}">{esc(t)}</a></h2><p>{esc(s)}</p></div>'
            for u, t, s, _ in items[:half]
        ]
        rest = "".join(f'<li><a href="{attr(u)}">{esc(t)}</a></li>' for u, t, _, _ in items[half:])
        if rest:
            out.append(f'<div class="boxtinmoi"><ul>{rest}</ul></div>')
        return out

    def entry(self, ctx: Ctx, url: str, title: str, summary: str, thumb: str) -> str:
        c, at = self.choices, self.at
        u, t, s = attr(url), esc(title), esc(summary)
        img = f'<a href="{u}"><img src="{attr(thumb)}" alt=""></a>' if c["thumbs"] else ""
        form, h = c["listing_form"], c["entry_heading"]
        if form == "list":
            return f'<li>{img}<a href="{u}">{t}</a></li>'
        if form == "table":
            return f'<tr><td>{img}</td><td><a href="{u}">{t}</a></td><td>{s}</td></tr>'
        if form == "headings":
            return f'<{h}><a href="{u}">{t}</a></{h}>{img}<p>{s}</p>'
        return (
            f'<div{at("entry")}>{img}<{h}{at("entry_title")}><a href="{u}">{t}</a></{h}>'
            f"<p{at('summary')}>{s}</p></div>"
        )

    def entry_list(self, entries: list[str]) -> str:
        form, at = self.choices["listing_form"], self.at
        inner = "\n".join(entries)
        if form == "list":
            return f"<ul{at('list')}>\n{inner}\n</ul>"
        if form == "table":
            return f"<table{at('list')}>\n{inner}\n</table>"
        return f"<div{at('list')}>\n{inner}\n</div>"

    def listing_main(self, ctx: Ctx, heading: str, entries: list[str], pager: str) -> str:
        h = "h1" if self.choices["title_tag"] != "h1" else "h2"
        top = f"<{h}{self.at('box_title')}>{esc(heading)}</{h}>"
        return self.wrap(f"{top}\n{self.entry_list(entries)}\n{pager}")

    def home_main(
        self, ctx: Ctx, latest: list[str], albums: Section, album_entries: list[str]
    ) -> str:
        head = f'<h2><a href="{ctx.href(albums.path)}">{esc(albums.name)}</a></h2>'
        return (
            self.listing_main(ctx, ctx.L["latest"], latest, "")
            + f"\n<div{self.at('box')}>{head}\n{self.entry_list(album_entries)}\n</div>"
        )

    # -- pagination --------------------------------------------------------------------------------------

    def next_text(self, ctx: Ctx) -> str:
        label = self.choices["next_label"]
        return {">": "&gt;", "next": ctx.L["next"], "more": ctx.L["more"]}.get(label, label)

    def listing_pager(self, ctx: Ctx, links: list[tuple[str, str, bool]], nav: Pagination) -> str:
        c = self.choices
        rel = ' rel="next"' if c["rel_next"] in ("a", "both") else ""
        if c["listing_form"] == "2020":
            out = ""
            if nav.prev_href:
                out += f'<div class="fleft"><a href="{attr(nav.prev_href)}">&lt;</a></div>'
            if nav.next_href:
                out += f'<div class="fright"><a href="{attr(nav.next_href)}"{rel}>&gt;</a></div>'
            return out
        parts = []
        if c["pager_form"] == "next-only" and nav.prev_href:
            parts.append(f'<a href="{attr(nav.prev_href)}">{ctx.L["prev"]}</a>')
        if c["pager_form"] != "next-only":
            for n, href in nav.numbers:
                if n == nav.page:
                    parts.append(f"<strong>{n}</strong>")
                else:
                    r = rel if n == nav.page + 1 and c["pager_form"] == "numbers" else ""
                    parts.append(f'<a href="{attr(href)}"{r}>{n}</a>')
        if c["pager_form"] != "numbers" and nav.next_href:
            parts.append(f'<a href="{attr(nav.next_href)}"{rel}>{self.next_text(ctx)}</a>')
        if c["pager_form"] == "numbers-next" and nav.page < nav.last:
            parts.append(f'<a href="{attr(nav.last_href)}">{ctx.L["last"]}</a>')
        return f"<div{self.at('pager')}>" + " ".join(parts) + "</div>" if parts else ""

    def listing_head(self, ctx: Ctx, nav: Pagination) -> str:
        if self.choices["rel_next"] in ("link", "both") and nav.next_href:
            return f'<link rel="next" href="{attr(nav.next_href)}">\n'
        return ""

    # -- album -------------------------------------------------------------------------------------------

    def album_main(self, ctx: Ctx, alb: Album, breaks: frozenset[str]) -> str:
        c = self.choices
        date = ""
        if self.album_date and "published" not in breaks:
            date = f"<div>{self.date_line(ctx, alb.dt, 'album')}</div>"
        parts = [date if c["date_at"] == "top" else ""]
        if "title" not in breaks:
            parts.append(self.title_el(ctx, alb.title, alb.path))
        parts.append(date if c["date_at"] == "after-title" else "")
        if "lead" not in breaks:
            parts.append(self.lead_el(alb.shown_description(breaks)))
        parts.append(date if c["date_at"] == "after-lead" else "")
        parts.append(self.photos(alb, breaks))
        parts.append(self.share(ctx, alb.canonical_url))
        return self.wrap(self.container(parts))

    def photos(self, alb: Album, breaks: frozenset[str]) -> str:
        """Album photos in this chrome's form; captions are the model's parts joined by <br>."""
        form, at = self.choices["album_form"], self.at
        out = []
        for ph in alb.photos if "images" not in breaks else ():
            cap = None
            if ph.parts is not None and "captions" not in breaks:
                cap = "<br>".join(esc(x) for x in ph.parts)
            img = f'<img src="{attr(ph.url)}" alt="">'
            if form == "figure":
                fc = f"<figcaption>{cap}</figcaption>" if cap is not None else ""
                out.append(f"<figure{at('photo')}>{img}{fc}</figure>")
            elif form == "table":
                row = f"<tr><td{at('caption')}>{cap}</td></tr>" if cap is not None else ""
                out.append(f"<tr><td>{img}</td></tr>{row}")
            elif form == "list":
                dc = f"<div{at('caption')}>{cap}</div>" if cap is not None else ""
                out.append(f"<li>{img}{dc}</li>")
            else:
                pc = f"<p{at('caption')}>{cap}</p>" if cap is not None else ""
                out.append(f"<div{at('photo')}>{img}{pc}</div>")
        body = "\n".join(out)
        if form == "table":
            return f"<table{at('album')}>\n{body}\n</table>"
        if form == "list":
            return f"<ul{at('album')}>\n{body}\n</ul>"
        return f"<div{at('album')}>\n{body}\n</div>"

    def simple_main(self, ctx: Ctx, heading: str, content: str) -> str:
        tag = self.choices["title_tag"]
        return self.wrap(
            self.container([f"<{tag}{self.at('title')}>{esc(heading)}</{tag}>", content])
        )
