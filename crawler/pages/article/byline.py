"""Byline: the author line after the body text.

Rules, in order: `right-aligned-bold` (the last right-aligned bold paragraph after the body text),
`right-aligned-last`, `class-author` (author, byline, tac-gia ...), `last-bold-paragraph`,
`after-end-mark` (bold after the closing `./.` of the last paragraph), `above-body` (the
byline printed between the header and the body: a short right-aligned or bold line reading like a
byline, after the title and lead, before the first body paragraph) and `on-date-line` (the name
printed on the date's own line, `Thanh Hải - 12/06/2025, 15:48`).
"""

from __future__ import annotations

import re

from crawler.pages.article.body import in_furniture, is_end_block, is_related_line
from crawler.pages.article.lead import after_header
from crawler.pages.article.page import (
    BYLINE_START_RE,
    FAR,
    Anchors,
    ArticlePage,
    Found,
    bold_only,
    paragraphs,
    title_anchor,
)
from crawler.pages.common import (
    WEEKDAY_RE,
    Element,
    collapse,
    find_date,
    is_site_name,
    style_right,
    text_of,
)
from crawler.pages.parsing import has_tag, holds

__all__ = ["END_MARK", "find_byline", "find_closing_note", "with_closing_note"]

_AUTHOR_HINT_RE = re.compile(
    r"(?<![a-z])(?:author|authors|byline|tac-?gia|tacgia|writer|nguoi-?viet|but-?danh)(?![a-z])"
)
END_MARK = "./."
"""How bodies often end (docs/site.md): never a byline."""


def find_byline(pg: ArticlePage, at: Anchors) -> Found:
    tail = _tail_blocks(pg, at)
    inside = [(el, t) for el, t in tail if t != END_MARK and at.container in el.iterancestors()]
    # 1. the right-aligned bold paragraph, the last such, with no long text after it.
    for i in range(len(tail) - 1, -1, -1):
        el, text = tail[i]
        if text != END_MARK and _right_aligned(el) and bold_only(el):
            # "Bài: Minh Thư" over "Ảnh: Quốc Thanh": a byline printed on two labelled lines
            if i and _LABELLED_RE.match(text) and _LABELLED_RE.match(tail[i - 1][1]):
                prev, before = tail[i - 1]
                if _right_aligned(prev) and bold_only(prev) and BYLINE_START_RE.match(before):
                    return Found(f"{before} - {text}", "right-aligned-bold", prev)
            return _with_author_above(pg, at, Found(text, "right-aligned-bold", el))
    # 2. the body's last block, right-aligned and short: the byline's place, printed plainly.
    if inside:
        el, text = inside[-1]
        if len(text) <= 80 and _right_aligned(el) and _looks_like_byline(text):
            return Found(text, "right-aligned-last", el)
    # 3. an author-classed element in the article area.
    for el in _author_classed(pg, at):
        return Found(_several_names(pg, el), "class-author", el)
    # 4. the body's last block, short and bold, reading like a byline.
    if inside:
        el, text = inside[-1]
        if len(text) <= 80 and bold_only(el) and _looks_like_byline(text):
            return Found(text, "last-bold-paragraph", el)
    # 4b. the last block, short and opening with a byline label and its colon ("Bài và ảnh:").
    if tail:
        el, text = tail[-1]
        if len(text) <= 80 and _LABELLED_RE.match(text) and _looks_like_byline(text):
            return Found(text, "labelled-last", el)
    # 5. bold at the end of the body's last paragraph, after the closing "./.".
    found = _after_end_mark(pg, at)
    if found.value:
        return found
    # 6. printed above the body, under the header.
    found = _above_body(pg, at)
    if found.value:
        return found
    # 7. on the date's line.
    return _on_date_line(pg, at)


# Notes closing an article on a line of their own, after (or apart from) the byline: a translator
# ("(Translated by Kim Khanh)", an English article whose "By Thanh Nga" is printed over the body;
# an album's description ends with it too, album.py) or a source named without a URL ("Source:
# Long An Online", "Nguồn: Báo Tây Ninh"; a source line with a URL is sources.py's).
_CLOSING_NOTE_RE = re.compile(
    r"^\(?\s*(?:translated\s+by|translation\s+by|translator\s*:|người\s+dịch\s*:)[^()]{2,60}\)?\.?$"
    r"|^\(?\s*(?:sources?|nguồn)\s*:\s*[^()/:]{2,60}\)?\.?$"
    r"|^\(?\s*theo\s+(?:báo|tạp\s+chí|đài|ttxvn|vna|vov|vtv)\b[^()/:]{0,60}\)?\.?$",
    re.I,
)


def find_closing_note(container: Element | None) -> Element | None:
    """The last block of the body when it is such a note alone. Taken out before the byline rules
    (it would hide the byline above it) and added to the byline after them."""
    if container is None:
        return None
    # (the last p or div with text, read backwards: cheaper than `paragraphs` on every page)
    for el in reversed(list(container.iter("p", "div"))):
        text = collapse(text_of(el))
        if text:
            return el if _CLOSING_NOTE_RE.match(text) else None
    return None


def with_closing_note(found: Found, note: str | None) -> Found:
    """The byline with the closing note after it: "By Thanh Nga (Translated by Kim Khanh)",
    "Story: Thanh Nga – Photos: Chi Tam Source: Long An Online"."""
    if not note or (found.value and note.lower() in found.value.lower()):
        return found
    if not found.value:
        return Found(note, "closing-note", None)
    return Found(f"{found.value} {note}", f"{found.strategy}+closing-note", found.el)


def _with_author_above(pg: ArticlePage, at: Anchors, found: Found) -> Found:
    """A closing agency credit in parentheses ("(VNA/VNS)") after a reporter named over the body
    ("Reported by Le Duc Hoa"): the byline is both."""
    value = found.value or ""
    if not (value.startswith("(") and value.endswith(")")) or at.container is None:
        return found
    for el in _author_classed(pg, at):
        if pg.idx(el) < pg.idx(at.container):
            name = _several_names(pg, el)
            return Found(f"{name} {value}", f"class-author+{found.strategy}", found.el)
    return found


def _after_end_mark(pg: ArticlePage, at: Anchors) -> Found:
    """`<p>… trên 90%./. <b>Quốc Thanh</b></p>`: the byline run on into the last paragraph,
    after the mark that ends the text (docs/site.md), in bold."""
    c = at.container
    if c is None:
        return Found()
    last = next((p for p in reversed(list(paragraphs(c))) if pg.text(p)), None)
    if last is None or not len(last):
        return Found()
    bold = last[-1]
    if bold.tag not in ("b", "strong") or (bold.tail and bold.tail.strip()):
        return Found()
    whole, name = pg.text(last), pg.text(bold)
    if not name or len(name) > 60 or not whole.endswith(name):
        return Found()
    if whole[: -len(name)].rstrip().endswith(END_MARK) and _looks_like_byline(name):
        return Found(name, "after-end-mark", bold)
    return Found()


def _above_body(pg: ArticlePage, at: Anchors) -> Found:
    header = [x for x in (at.title, at.lead) if x is not None]
    if not header or at.container is None:
        return Found()
    for el in pg.between(max(pg.end(x) for x in header), FAR):
        if el.tag not in ("p", "div", "span", "strong", "b", "em", "i"):
            continue
        text = pg.text(el)
        if not text or has_tag(el, "p") or has_tag(el, "div"):
            continue
        if find_date(text) is not None or (at.date is not None and at.date in el.iter()):
            continue  # the date line may sit between the lead and the byline
        if in_furniture(el, at.container) or at.regions.in_chrome(el):
            continue  # a cookie notice, an ad, a related box printed before the body
        if len(text) > 80 or has_tag(el, "img"):
            return Found()  # body text (or an image) comes first: no byline on top
        if has_tag(el, "a"):
            continue
        if (_right_aligned(el) or bold_only(el)) and _looks_like_byline(text):
            return Found(text, "above-body", _byline_block(el))
    return Found()


# Between the name and the date on a meta line: pipes, bullets, dashes with spaces, slashes.
_META_SEP_RE = re.compile(r"\s*[|•·/–—]\s*|\s+-\s+|\s*\(?\s*(?:gmt|utc)\s*[+-]?\d*\s*\)?", re.I)
_POSTED_BY_RE = re.compile(
    r"^(?:đăng bởi|người đăng|người viết|posted by|written by)\s*:?\s*", re.I
)


def _on_date_line(pg: ArticlePage, at: Anchors) -> Found:
    """`Thanh Hải - 12/06/2025, 15:48`, `<b>Thanh Hải</b> | Thứ Năm, 12/06/2025 15:48`: a
    meta line holding the date and a name beside it. The name must read like one (every word
    capitalized, two words at least unless it opens like a byline); a section name printed
    there is sentence case (`Kinh tế`) or a link to its section, and is left alone."""
    if at.date is None:
        return Found()
    for line in (at.date, at.date.getparent()):
        if line is None or any(
            x is not None and line in x.iterancestors() for x in (at.title, at.container)
        ):
            return Found()  # the line would hold the title or the body: not a meta line
        text = pg.text(line)
        m = find_date(text) if len(text) <= 120 else None
        if m is None:
            continue
        rest = WEEKDAY_RE.sub(" ", text[: m.start()] + " | " + text[m.end() :])
        links = {pg.text(a): a.get("href", "") for a in line.iter("a")}
        for piece in _META_SEP_RE.split(rest):
            name = _POSTED_BY_RE.sub("", piece.strip(" ,;:-|"))
            if not name or any(ch.isdigit() for ch in name) or len(name) > 60 or is_site_name(name):
                continue
            if name in links and not _AUTHOR_HINT_RE.search(links[name].lower()):
                continue  # a section or tag link, not the author
            if "+" in name or any(len(w) == 1 for w in re.split(r"[\s\-–]+", name) if w):
                continue  # the font-size and print buttons ("A- A+ In"), not a name
            if _looks_like_byline(name) and (len(name.split()) >= 2 or BYLINE_START_RE.match(name)):
                return Found(name, "on-date-line", line)
    return Found()


def _byline_block(el: Element) -> Element:
    """The paragraph holding a bold byline (`<p><strong>Name</strong></p>` -> the p)."""
    parent = el.getparent()
    while (
        parent is not None
        and parent.tag in ("p", "div", "strong", "b", "span")
        and (_same_text(parent, el))
    ):
        el, parent = parent, parent.getparent()
    return el


def _same_text(a: Element, b: Element) -> bool:
    return collapse(text_of(a)) == collapse(text_of(b))


def _tail_blocks(pg: ArticlePage, at: Anchors) -> list[tuple[Element, str]]:
    """(block, text) after the body's last prose paragraph (> 100 characters) and before the
    share/useful-links block, in document order, chrome boxes left out. The container and then
    its following siblings are walked backwards: only the end of the article is read."""
    c = at.container
    if c is None:
        return []
    after = after_header(pg, at)
    candidates = [el for el in c.iterdescendants("p", "div") if pg.idx(el) > after]
    for sib in c.itersiblings():
        if isinstance(sib.tag, str):
            candidates.extend(sib.iter("p", "div"))
    tail: list[tuple[Element, str]] = []
    for el in reversed(candidates):
        if el is at.lead or has_tag(el, "p"):
            continue
        if is_end_block(el):
            tail.clear()  # what follows the share block is not the article's
            continue
        if at.regions.in_chrome(el) or in_furniture(el, at.container):
            continue  # a cookie notice or a comment box after the byline is not the article
        text = _signed(el, pg.text(el))
        if not text or is_related_line(el, text):
            continue  # (and "Xem thêm: <a>…</a>" after the byline)
        if len(text) > 100:
            if el.tag != "p" and not holds(c, el):
                continue  # lines after the body (a print view's address and copyright): no prose
            break
        tail.append((el, text))
    tail.reverse()
    return tail


_LABELLED_RE = re.compile(r"^[^:]{2,15}:\s*\S")


def _signed(el: Element, text: str) -> str:
    """`<p><strong>Bài, ảnh: </strong><img alt="Hữu Bằng" class="chu-ky"></p>`: a label whose
    name is a signature image reads with the image's alt text."""
    if text.endswith(":"):
        alt = next((collapse(i.get("alt")) for i in el.iter("img") if i.get("alt")), "")
        if alt:
            return f"{text} {alt}"
    return text


def _right_aligned(el: Element) -> bool:
    return style_right(el) or any(style_right(x) for x in el.iterdescendants())


def _author_classed(pg: ArticlePage, at: Anchors) -> list[Element]:
    out = []
    start = title_anchor(pg, at)
    for el in pg.classed():
        if pg.idx(el) < start and not _beside_date(el, at):
            continue
        if not _AUTHOR_HINT_RE.search(pg.hint(el)) and el.get("itemprop") != "author":
            continue  # (schema.org's `itemprop="author"` names it on utility-class pages)
        text = pg.text(el)
        if not 2 <= len(text) <= 150 or find_date(text) is not None:
            continue
        if not BYLINE_START_RE.sub("", text, count=1).strip(" :-–"):
            continue  # the label alone ("Bởi", "Tác giả:"), the name beside it
        if el.find(".//a[@href]") is not None and len(text) >= 60:
            continue
        if at.regions.in_chrome(el) and not _header_name(pg, at, el, text):
            continue
        out.append(el)
    # An author box holds the name and often a description of the author: the name's line.
    named = [el for el in out if _looks_like_byline(pg.text(el))]
    return (named or out)[-1:]


def _beside_date(el: Element, at: Anchors) -> bool:
    """On the date's row, even above the title (VCCorp's `div.detail-top`: date, author, share)."""
    if at.date is None:
        return False
    rows = [a for _, a in zip(range(2), at.date.iterancestors(), strict=False)]
    return el.getparent() in rows


def _several_names(pg: ArticlePage, el: Element) -> str:
    """`By <a class="name">Hoang Nam</a>, <a class="name">Ngoc Tai</a> and <a …>Thuy Anh</a>
    <span class="date">…</span>`: one author-classed element per name, the byline is their line
    (the date printed on it left out)."""
    parent = el.getparent()
    cls = el.get("class")
    if parent is None or not cls or sum(1 for x in parent if x.get("class") == cls) < 2:
        return pg.text(el)
    parts = [parent.text or ""]
    for child in parent:
        if isinstance(child.tag, str) and find_date(text_of(child)) is None:
            parts.append(text_of(child))
        parts.append(child.tail or "")
    return collapse("".join(parts)).strip(" |-–")


def _header_name(pg: ArticlePage, at: Anchors, el: Element, text: str) -> bool:
    """An author's name under the title, before the body, in a box of links (the name links
    to the author's page beside the share buttons: `div.detail-author`): the byline, though
    the box around it reads as chrome. After the body, such names are related items' authors."""
    c = at.container
    return c is not None and pg.idx(el) < pg.idx(c) and len(text) <= 60 and _looks_like_byline(text)


def _looks_like_byline(text: str) -> bool:
    if BYLINE_START_RE.match(text):
        return True
    if text.endswith((".", "?", "!", ":")) or len(text.split()) > 8:
        return False
    words = [w for w in re.split(r"[\s\-–—,]+", text) if w]
    return bool(words) and all(w[0].isupper() for w in words if w[0].isalpha())
