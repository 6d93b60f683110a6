"""Article bodies three ways, all from the model: the served markup (CMS-style, with spans, styles,
image wrappers), the clean `body_html` of docs/contract.md (built as an lxml tree, never parsed from
the served markup) and `body_text`."""

from __future__ import annotations

import html

import lxml.etree as ET
import lxml.html

from .model import Article, Block, Image, Link

CAPTION_STYLE_A = (
    "font-size: small; color: rgb(128, 128, 128); float: left; width: 100%; text-align: center;"
)
CAPTION_STYLE_B = "color:#808080;float:left;font-size:small;width:100%;text-align:center;"


def esc(s: str) -> str:
    return html.escape(s, quote=False)


def attr(s: str) -> str:
    return html.escape(s, quote=True)


def visible_blocks(art: Article, breaks: frozenset[str]) -> list[Block]:
    """The body blocks a page shows once `--break` has removed what it removes."""
    if "body" in breaks:
        return []
    out = []
    for b in art.blocks:
        if b.kind == "img":
            if "images" in breaks:
                continue
            if "captions" in breaks:  # the image without its caption and credits
                image = Image(b.image.url, b.image.pos, b.image.form, None, None, None)
                out.append(Block("img", image=image))
                continue
        out.append(b)
    return out


def collapse(s: str) -> str:
    return " ".join(s.split())


# ---------------------------------------------------------------------------------------------------------
# served markup


def _served_segments(segments) -> str:
    out = []
    for s in segments:
        if isinstance(s, Link):
            if s.target is None:
                out.append(f'<a href="{attr(s.href)}" target="_blank">{esc(s.text)}</a>')
            else:
                out.append(
                    f'<a href="{attr(s.href)}"><span style="color:#0000FF;">{esc(s.text)}</span></a>'
                )
        else:
            out.append(esc(s))
    return "".join(out)


def _served_caption(img: Image, style: str) -> str:
    return f'<em style="{style}">' + "<br>".join(esc(x) for x in img.parts) + "</em>"


def served_image(img: Image, title: str | None, canonical: str) -> str:
    t = f' title="{attr(title)}"' if title else ""
    if img.form == "A":
        cap = _served_caption(img, CAPTION_STYLE_A) if img.parts is not None else ""
        return (
            f'<p style="text-align: center;"><span><img class="zoomimg i-img-slider-jsgallery" '
            f'data-pos="{img.pos}"{t} alt="" src="{attr(img.url)}" data-socail-link="{attr(canonical)}" '
            f'style="width: 500px; height: 333px;"></span>{cap}</p>'
        )
    out = (
        f'<div class="b-img-slider-jsgallery" data-pos="{img.pos}"><img class="zoomimg '
        f'i-img-slider-jsgallery"{t} alt="" src="{attr(img.url)}" style="width:100%;"></div>'
    )
    if img.parts is not None:
        out += "\n<p>" + _served_caption(img, CAPTION_STYLE_B) + "</p>"
    return out


def served_blocks(art: Article, breaks: frozenset[str]) -> list[str]:
    """The body's top-level blocks as served, in order. A form-B image and its caption paragraph are
    one block: nothing may come between them (the caption is "the paragraph right after the image")."""
    title = None if "title" in breaks else art.title
    parts = []
    for b in visible_blocks(art, breaks):
        if b.kind == "p":
            parts.append(f"<p{b.style}>{_served_segments(b.segments)}</p>")
        elif b.kind == "sub":
            parts.append(f"<p{b.style}><strong>{esc(b.segments[0])}</strong></p>")
        elif b.kind == "img":
            parts.append(served_image(b.image, title, art.canonical_url))
        elif b.kind == "ul":
            parts.append("<ul>\n" + "".join(f"<li>{esc(i)}</li>\n" for i in b.segments) + "</ul>")
        elif b.kind == "table":
            rows = "".join(
                "<tr>" + "".join(f"<td>{esc(c)}</td>" for c in row) + "</tr>" for row in b.segments
            )
            parts.append(
                '<table border="1" cellpadding="2" cellspacing="0" style="width:100%;">'
                f"<tbody>{rows}</tbody></table>"
            )
    return parts


def served_byline(art: Article, breaks: frozenset[str]) -> str:
    """The byline paragraph in its real form (right-aligned bold), or "" when there is none."""
    if art.byline.raw and "byline" not in breaks:
        return f'<p style="text-align: right;"><strong>{esc(art.byline.raw)}</strong></p>'
    return ""


def served_source(art: Article, breaks: frozenset[str]) -> str:
    """The closing `Nguồn:`/`Source:` line after the byline, or "" (none, or the body broken)."""
    src = art.source
    if src is None or "body" in breaks:
        return ""
    url = f'<a href="{attr(src.url)}">{esc(src.url)}</a>' if src.linked else esc(src.url)
    line = f"{src.label}: {url}"
    if src.form == "right":
        return f'<p style="text-align: right;">{line}</p>'
    if src.form == "em":
        return f"<p><em>{line}</em></p>"
    return f"<p>{line}</p>"


def wrap_old_cms(art: Article, inner: str) -> str:
    """Old CMS bodies sit in an extra justified <div>."""
    if art.wrap_div and inner:
        return f'<div style="text-align: justify;">\n{inner}\n</div>'
    return inner


def served_body(art: Article, breaks: frozenset[str]) -> str:
    """Inner HTML of the body container: the blocks, the byline paragraph, the source line."""
    body = wrap_old_cms(art, "\n".join(served_blocks(art, breaks)))
    for closing in (served_byline(art, breaks), served_source(art, breaks)):
        if closing:
            body += "\n" + closing
    return body


# ---------------------------------------------------------------------------------------------------------
# clean body_html (contract) and body_text


def _append_text(parent: ET._Element, s: str) -> None:
    if len(parent):
        parent[-1].tail = (parent[-1].tail or "") + s
    else:
        parent.text = (parent.text or "") + s


def _clean_caption(parent: ET._Element, img: Image) -> None:
    em = ET.SubElement(parent, "em")
    for i, piece in enumerate(img.parts):
        if i:
            ET.SubElement(em, "br")
        _append_text(em, piece)


def clean_nodes(art: Article, breaks: frozenset[str]) -> list[ET._Element]:
    nodes: list[ET._Element] = []
    for b in visible_blocks(art, breaks):
        if b.kind == "p":
            p = ET.Element("p")
            for s in b.segments:
                if isinstance(s, Link):
                    a = ET.SubElement(p, "a", href=s.href)
                    a.text = s.text
                else:
                    _append_text(p, s)
            nodes.append(p)
        elif b.kind == "sub":
            p = ET.Element("p")
            ET.SubElement(p, "strong").text = b.segments[0]
            nodes.append(p)
        elif b.kind == "img":
            img = b.image
            if img.form == "A":
                p = ET.Element("p")
                ET.SubElement(p, "img", alt="", src=img.url)
                if img.parts is not None:
                    _clean_caption(p, img)
                nodes.append(p)
            else:
                nodes.append(ET.Element("img", alt="", src=img.url))
                if img.parts is not None:
                    p = ET.Element("p")
                    _clean_caption(p, img)
                    nodes.append(p)
        elif b.kind == "ul":
            ul = ET.Element("ul")
            ul.text = "\n"
            for item in b.segments:
                ET.SubElement(ul, "li").text = item
                ul[-1].tail = "\n"
            nodes.append(ul)
        elif b.kind == "table":
            t = ET.Element("table")
            for row in b.segments:
                tr = ET.SubElement(t, "tr")
                for c in row:
                    ET.SubElement(tr, "td").text = c
            nodes.append(t)
    return nodes


def body_html(art: Article, breaks: frozenset[str]) -> str | None:
    nodes = clean_nodes(art, breaks)
    if not nodes:
        return None
    return "\n".join(lxml.html.tostring(n, encoding="unicode", with_tail=False) for n in nodes)


def body_text(art: Article, breaks: frozenset[str]) -> str | None:
    out = []
    for b in visible_blocks(art, breaks):
        if b.kind == "p":
            out.append(collapse("".join(s.text if isinstance(s, Link) else s for s in b.segments)))
        elif b.kind == "sub":
            out.append(collapse(b.segments[0]))
        elif b.kind == "ul":
            out.extend(collapse(i) for i in b.segments)
        elif b.kind == "table":
            out.extend(" | ".join(collapse(c) for c in row) for row in b.segments)
    out = [x for x in out if x]
    return "\n\n".join(out) or None


def links(art: Article, breaks: frozenset[str]) -> list[str]:
    seen: list[str] = []
    for b in visible_blocks(art, breaks):
        if b.kind == "p":
            for s in b.segments:
                if isinstance(s, Link) and s.target is not None and s.target != art.aid:
                    key = f"baolongan:{s.target}"
                    if key not in seen:
                        seen.append(key)
    return seen
