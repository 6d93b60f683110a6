"""Markup of the hostile corpus's portal: page chrome, article pages, listings, good articles.

Modelled on the markup seen on real pages (docs/site.md, the replica's "fck" template): date
`DD/MM/YYYY - HH:MM` in `span.pubdate`, `h1.title-detail`, lead in `div.fontd.fw600.justify`, body in
`div.content-fck.slider-jsgallery`, image block form A, byline as a right-aligned bold paragraph.
Never imports the crawler: expectations must not come from the code under test.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass, field

SITE_NAME = {"vi": "Báo Long An", "en": "Long An Newspaper"}
PROD = {"vi": "https://baolongan.vn", "en": "https://news.baolongan.vn"}
LABELS = {
    "vi": {"home": "Trang chủ", "most_read": "Đọc nhiều", "share": "Chia sẻ bài viết",
           "useful": "Liên kết hữu ích", "latest": "Tin mới nhất"},
    "en": {"home": "Home", "most_read": "Most read", "share": "Share",
           "useful": "Useful links", "latest": "Latest news"},
}  # fmt: skip
# The menu of the vi edition: two top sections, one with a sub-section. `van-hoa-giai-tri` lists
# nothing (the "listing with zero entries" case).
SECTIONS = [
    ("thoi-su-chinh-tri", "Thời sự - Chính trị", None),
    ("thoi-su-chinh-tri/long-an", "Long An", "thoi-su-chinh-tri"),
    ("van-hoa-giai-tri", "Văn hóa - Giải trí", None),
]
EMPTY_SECTION = "van-hoa-giai-tri"


def esc(s: str) -> str:
    return html.escape(s, quote=False)


def attr(s: str) -> str:
    return html.escape(s, quote=True)


def slugify(title: str) -> str:
    s = title.replace("đ", "d").replace("Đ", "D")
    s = "".join(c for c in unicodedata.normalize("NFD", s) if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "-", s.lower()).strip("-")


# --- chrome ------------------------------------------------------------------------------------


def menu(edition: str) -> str:
    if edition != "vi":
        return f'<ul class="menu-main"><li class="home"><a href="/">{LABELS[edition]["home"]}</a></li></ul>'
    out = [
        '<ul class="menu-main">',
        f'<li class="home"><a href="/">{LABELS["vi"]["home"]}</a></li>',
    ]
    for slug, name, parent in SECTIONS:
        if parent is not None:
            continue
        kids = [(s, n) for s, n, p in SECTIONS if p == slug]
        sub = "".join(f'<li><a href="/{s}/">{esc(n)}</a></li>' for s, n in kids)
        sub = f'<ul class="sub-menu">{sub}</ul>' if sub else ""
        out.append(f'<li class="has-sub"><a href="/{slug}/">{esc(name)}</a>{sub}</li>')
    out.append("</ul>")
    return "\n".join(out)


def page(
    edition: str,
    title_tag: str,
    main: str,
    *,
    head_extra: str = "",
    charset: str | None = "utf-8",
    most_read: list[tuple[str, str]] = (),
    body_class: str = "page-detail",
) -> str:
    """A whole page of the portal around `main`. `charset=None` leaves out the meta charset."""
    meta = f'<meta charset="{charset}">\n' if charset else ""
    lis = "".join(f'<li><a href="{attr(u)}">{esc(t)}</a></li>' for u, t in most_read)
    side = (
        f'<div class="box-most-read"><div class="box-title">{LABELS[edition]["most_read"]}</div>'
        f"<ul>{lis}</ul></div>"
    )
    switch = (
        f'<div class="lang-switch"><a href="{PROD["vi"]}/">Tiếng Việt</a> | '
        f'<a href="{PROD["en"]}/">English</a></div>'
    )
    return (
        f'<!DOCTYPE html>\n<html lang="{edition}">\n<head>\n{meta}<title>{esc(title_tag)}</title>\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<link rel="stylesheet" href="/Content/css/style.css?v=20240512">\n'
        f'<script src="/Scripts/main.js?v=20240512"></script>\n{head_extra}</head>\n'
        f'<body class="{body_class}">\n<div class="wrapper">\n<header class="header">\n'
        f'<div class="top-bar">{switch}</div>\n'
        f'<div class="logo"><a href="/"><img src="/Content/images/logo.png" alt="{SITE_NAME[edition]}"></a></div>\n'
        f"{menu(edition)}\n</header>\n"
        f'<div class="container"><div class="main-col">\n{main}\n</div>\n'
        f'<aside class="side-col">\n{side}\n</aside></div>\n'
        f'<footer class="footer"><p class="copyright">© {SITE_NAME[edition]}</p></footer>\n</div>\n'
        "<script>window.dataLayer = window.dataLayer || [];</script>\n</body>\n</html>\n"
    )


# --- articles ----------------------------------------------------------------------------------


@dataclass
class ArticleSpec:
    """What an article page shows; None leaves a part out."""

    edition: str = "vi"
    title: str | None = "Tiêu đề"
    date: str | None = "20/01/2022 - 18:20"
    kicker: str | None = None
    lead: str | None = "Sapo của bài viết."
    paragraphs: list[str] = field(default_factory=lambda: ["Đoạn thứ nhất."])
    byline: str | None = "Thanh Hải"
    image: str | None = None  # URL of one body image (form A) with caption "Ảnh minh họa"
    canonical: str | None = None
    head_extra: str = ""
    charset: str | None = "utf-8"  # meta charset; None: leave out
    body_prefix: str = ""  # raw markup before the first paragraph, inside the body container
    body_suffix: str = ""  # raw markup after the last paragraph


def article_main(spec: ArticleSpec) -> str:
    parts = ['<div class="detail">']
    if spec.date:
        parts.append(f'<div class="detail-top"><span class="pubdate">{esc(spec.date)}</span></div>')
    if spec.kicker:
        parts.append(f'<div class="kicker">{esc(spec.kicker)}</div>')
    if spec.title:
        parts.append(f'<h1 class="title-detail">{esc(spec.title)}</h1>')
    if spec.lead:
        parts.append(f'<div class="fontd fw600 justify">{esc(spec.lead)}</div>')
    body = [spec.body_prefix]
    for i, p in enumerate(spec.paragraphs):
        body.append(f'<p style="text-align: justify;">{esc(p)}</p>')
        if i == 0 and spec.image:
            body.append(
                '<p style="text-align: center;"><span><img class="zoomimg i-img-slider-jsgallery" '
                f'data-pos="0" title="{attr(spec.title or "")}" alt="" src="{attr(spec.image)}" '
                'style="width: 500px; height: 333px;"></span><em style="font-size: small; '
                'color: rgb(128, 128, 128); float: left; width: 100%; text-align: center;">'
                "Ảnh minh họa</em></p>"
            )
    body.append(spec.body_suffix)
    if spec.byline:
        body.append(f'<p style="text-align: right;"><strong>{esc(spec.byline)}</strong></p>')
    parts.append('<div class="content-fck slider-jsgallery">\n' + "\n".join(body) + "\n</div>")
    labels = LABELS[spec.edition]
    parts.append(
        f'<div class="share-box"><span>{labels["share"]}</span> '
        '<a href="https://www.facebook.com/sharer/sharer.php">Facebook</a></div>'
    )
    parts.append(
        f'<div class="useful-links"><div class="title">{labels["useful"]}</div><ul><li>'
        '<a href="https://longan.gov.vn" target="_blank">Cổng TTĐT tỉnh Long An</a></li></ul></div>'
    )
    parts.append("</div>")
    return "\n".join(parts)


def article_page(spec: ArticleSpec) -> str:
    site = SITE_NAME[spec.edition]
    head = spec.head_extra
    if spec.title:
        head = f'<meta property="og:title" content="{attr(spec.title)} - {site}">\n' + head
    if spec.canonical:
        head += f'<link rel="canonical" href="{attr(spec.canonical)}">\n'
    title_tag = f"{spec.title} - {site}" if spec.title else site
    return page(spec.edition, title_tag, article_main(spec), head_extra=head, charset=spec.charset)


# --- listings ----------------------------------------------------------------------------------


def entry(url: str, title: str, summary: str) -> str:
    return (
        f'<div class="item-news"><a class="thumb" href="{attr(url)}"><img src="/image/news/2024/'
        f'20240101/thumbnail/510x286/1_1704067200.jpg" alt="{attr(title)}"></a>'
        f'<h3 class="title-news"><a href="{attr(url)}">{esc(title)}</a></h3>'
        f'<div class="sapo">{esc(summary)}</div></div>'
    )


def listing_page(
    edition: str,
    heading: str,
    entries: list[tuple[str, str, str]],
    most_read: list[tuple[str, str]],
) -> str:
    home = LABELS[edition]["home"]
    main = (
        f'<div class="breadcrumb"><a href="/">{home}</a> » <span>{esc(heading)}</span></div>\n'
        '<div class="list-news">\n' + "\n".join(entry(*e) for e in entries) + "\n</div>"
    )
    title_tag = f"{heading} - {SITE_NAME[edition]}"
    return page(edition, title_tag, main, most_read=most_read, body_class="page-list")


# --- good articles: the records that must come through untouched --------------------------------

_SUBJECTS = ["Nông dân", "Thanh niên", "Hội Phụ nữ", "Đoàn viên", "Doanh nghiệp", "Học sinh",
             "Cựu chiến binh", "Hợp tác xã", "Bộ đội Biên phòng", "Ngành Y tế"]  # fmt: skip
_ACTIONS = ["thu hoạch lúa", "trồng cây xanh", "hiến máu tình nguyện", "xây nhà tình nghĩa",
            "tặng quà Tết", "ra quân dọn vệ sinh", "tập huấn kỹ thuật", "đón nhận bằng khen",
            "ký kết hợp tác", "khám bệnh miễn phí"]  # fmt: skip
_PLACES = ["Cần Đước", "Cần Giuộc", "Đức Hòa", "Bến Lức", "Tân Trụ", "Thủ Thừa", "Châu Thành",
           "Mộc Hóa", "Tân Hưng", "Đức Huệ"]  # fmt: skip
_AUTHORS = ["Thanh Hải", "Hữu Bằng", "Kim Hoàng", "Phương Phương", "Thúy Anh"]
_EN_TITLES = [
    "Long An farmers harvest the winter-spring rice crop early",
    "Young volunteers plant trees along the Vam Co Dong river",
    "Provincial hospital opens a new dialysis unit",
]


@dataclass
class GoodArticle:
    edition: str
    article_id: int
    title: str
    date: str  # as printed, DD/MM/YYYY - HH:MM
    published_at: str  # what the record must say
    lead: str
    paragraphs: list[str]
    byline: str

    @property
    def slug(self) -> str:
        return slugify(self.title)

    @property
    def path(self) -> str:
        return f"/{self.slug}-a{self.article_id}.html"

    @property
    def production_url(self) -> str:
        return PROD[self.edition] + self.path

    @property
    def record_id(self) -> str:
        return f"baolongan:{self.article_id}"

    def spec(self) -> ArticleSpec:
        return ArticleSpec(
            edition=self.edition, title=self.title, date=self.date, lead=self.lead,
            paragraphs=self.paragraphs, byline=self.byline, canonical=self.production_url,
            image=f"/image/news/2024/20240115/images/{self.article_id}.jpg"
            if self.article_id % 3 == 0 else None,
        )  # fmt: skip


def good_articles(vi: int = 100) -> list[GoodArticle]:
    out = []
    for i in range(vi):
        subject, action = _SUBJECTS[i % 10], _ACTIONS[(i // 10) % 10]
        place = _PLACES[(i * 7) % 10]
        day, hour, minute = 1 + i % 28, 6 + i % 15, (i * 13) % 60
        title = f"{subject} {place} {action} đợt {i + 1}"
        out.append(
            GoodArticle(
                edition="vi",
                article_id=910001 + i,
                title=title,
                date=f"{day:02d}/03/2024 - {hour:02d}:{minute:02d}",
                published_at=f"2024-03-{day:02d}T{hour:02d}:{minute:02d}:00+07:00",
                lead=f"Sáng nay, {subject.lower()} huyện {place} tổ chức {action} đợt {i + 1}.",
                paragraphs=[
                    f"Theo kế hoạch, hoạt động {action} diễn ra tại các xã của huyện {place}.",
                    f"Đại diện địa phương cho biết đợt {i + 1} thu hút hơn {100 + i} người tham gia.",
                    "Hoạt động sẽ được duy trì thường xuyên trong thời gian tới./.",
                ],
                byline=_AUTHORS[i % len(_AUTHORS)],
            )
        )
    for j, title in enumerate(_EN_TITLES):
        out.append(
            GoodArticle(
                edition="en",
                article_id=920001 + j,
                title=title,
                date=f"{10 + j:02d}/04/2024 - 09:{15 + j:02d}",
                published_at=f"2024-04-{10 + j:02d}T09:{15 + j:02d}:00+07:00",
                lead=f"{title.split()[0]} {title.split()[1]} news from the province this week.",
                paragraphs=[
                    "According to the provincial People's Committee, the work started on Monday.",
                    "Local residents welcomed the project with enthusiasm./.",
                ],
                byline="By Thuy Anh – Translated by Kim Khanh",
            )
        )
    return out
