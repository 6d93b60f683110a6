"""Words and forms a generated chrome draws from: class/id vocabularies, chrome-sounding wrapper
names, chrome-only labels, and date forms that Vietnamese CMSs use. Pure data and small pure
functions; `generated.py` does the drawing and the markup."""

from __future__ import annotations

import random
import string
from datetime import datetime

# What each named element is, in the chrome's own vocabulary. A vocabulary maps every role to a
# class name; the same role always gets the same name on every page of one chrome.
VI_WORDS: dict[str, tuple[str, ...]] = {
    "page": ("khung-trang", "toantrang", "trang", "bao-ngoai"),
    "header": ("dau-trang", "phan-dau", "dautrang", "top-trang"),
    "logo": ("bieu-tuong", "logo-bao", "ten-bao"),
    "menu": ("menu-chinh", "danhmuc", "thanh-menu", "menu-ngang"),
    "submenu": ("danhmuc-con", "menu-con", "cap2"),
    "clock": ("ngay-hientai", "dongho", "thoigian-hientai"),
    "main": ("cot-trai", "noidung-chinh", "khoi-chinh", "cot-giua"),
    "side": ("cot-phai", "khoi-phu", "cot-ben", "cot-tin"),
    "footer": ("chan-trang", "phan-cuoi", "chantrang"),
    "article": ("chitiet", "chi-tiet-tin", "tin-chitiet", "baiviet", "khoi-chitiet"),
    "crumb": ("duongdan", "vitri", "dinh-huong"),
    "kicker": ("tieude-phu", "dong-tren", "tieu-de-nho"),
    "title": ("tieude", "tieu-de", "tieude-chitiet", "ten-bai"),
    "date": ("ngaydang", "ngay-dang", "thoigian", "ngay-gio"),
    "lead": ("tomtat", "sapo", "mota", "tom-tat"),
    "body": ("noidung", "noi-dung", "chitiet-noidung", "noidung-tin"),
    "share": ("chiase", "chia-se", "mang-xa-hoi"),
    "related": ("tinlienquan", "tin-lien-quan", "tin-khac"),
    "box": ("khoi", "khoi-tin", "hop-tin", "box-tin"),
    "box_title": ("tieude-khoi", "khoi-tieude", "ten-khoi"),
    "list": ("danhsach", "ds-tin", "danh-sach-tin"),
    "entry": ("tin", "tin-tuc", "muc-tin", "item-tin"),
    "entry_title": ("tieude-tin", "ten-tin"),
    "summary": ("tomtat-tin", "mota-ngan", "trich-dan"),
    "pager": ("phantrang", "phan-trang", "chuyen-trang"),
    "ad": ("quangcao", "quang-cao", "qc-giua"),
    "comments": ("binhluan", "y-kien", "gui-y-kien"),
    "cookie": ("thongbao-cookie", "chap-nhan-cookie"),
    "album": ("album-anh", "chitiet-album", "phong-su-anh"),
    "photo": ("anh-album", "muc-anh", "hinh"),
    "caption": ("chuthich", "chu-thich", "ghichu-anh"),
    "useful": ("lienket", "lien-ket-huu-ich", "website-lien-ket"),
}
EN_WORDS: dict[str, tuple[str, ...]] = {
    "page": ("wrapper", "page", "site-wrap", "container-fluid"),
    "header": ("header", "site-header", "top-header", "masthead"),
    "logo": ("logo", "brand", "site-logo"),
    "menu": ("main-menu", "nav-main", "primary-nav", "menu"),
    "submenu": ("sub-menu", "dropdown", "children"),
    "clock": ("current-date", "today", "header-date"),
    "main": ("main-content", "col-left", "content-area", "primary"),
    "side": ("sidebar", "col-right", "secondary", "aside-content"),
    "footer": ("footer", "site-footer", "bottom"),
    "article": ("article-detail", "post", "news-detail", "entry", "story"),
    "crumb": ("breadcrumb", "breadcrumbs", "path"),
    "kicker": ("kicker", "overline", "sup-title", "eyebrow"),
    "title": ("headline", "post-title", "article-title", "entry-title"),
    "date": ("post-date", "publish-date", "date", "time-stamp"),
    "lead": ("summary", "lead", "excerpt", "standfirst"),
    "body": ("article-body", "entry-content", "post-body", "story-content"),
    "share": ("share", "social-share", "share-tools"),
    "related": ("related", "related-posts", "more-news"),
    "box": ("widget", "panel", "box", "card"),
    "box_title": ("widget-title", "panel-heading", "box-header"),
    "list": ("news-list", "list-items", "feed"),
    "entry": ("item", "news-item", "story-item", "teaser"),
    "entry_title": ("item-title", "teaser-title", "title"),
    "summary": ("teaser-text", "desc", "item-summary"),
    "pager": ("pagination", "pager", "page-nav"),
    "ad": ("advert", "ad-slot", "banner-ads"),
    "comments": ("comments", "comment-box", "discussion"),
    "cookie": ("cookie-notice", "gdpr-banner", "consent"),
    "album": ("gallery", "photo-album", "album-detail"),
    "photo": ("gallery-item", "photo", "slide"),
    "caption": ("caption", "photo-caption", "wp-caption-text"),
    "useful": ("useful-links", "partner-links", "weblinks"),
}
ROLES = tuple(VI_WORDS)
# Landmarks that CMSs commonly also give an id.
ID_ROLES = ("page", "header", "menu", "main", "side", "footer", "article", "body")
# Names that sound like page furniture; generated chromes may wrap the article itself in them.
CHROME_WRAPPERS = (
    "box-content", "box-detail", "block-main", "block-content", "widget-area", "widget-content",
    "sidebar-content", "module", "module-content", "box", "block", "panel-body", "khoi-box",
    "box-news", "block-news-detail",
)  # fmt: skip
UTILITY = (
    "flex", "mt-2", "mt-4", "mb-3", "px-2", "py-4", "col-md-8", "col-sm-12", "col-lg-4", "row",
    "clearfix", "w-100", "d-block", "text-left", "font-bold", "pull-left", "fl", "fr", "cl",
)  # fmt: skip
REAL_BODY_CLASSES = ("content-fck slider-jsgallery", "detail-content")

WEEKDAYS = {
    "vi": ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}
HALF_DAY = {"vi": ("SA", "CH"), "en": ("AM", "PM")}

# Chrome-only text the hand-written LABELS do not have.
MORE_LABELS = {
    "vi": {
        "newest": ("Tin mới", "Tin mới nhất", "Mới cập nhật"),
        "most_read": ("Đọc nhiều", "Xem nhiều nhất", "Tin đọc nhiều"),
        "updated": "Cập nhật lúc",
        "posted": "Ngày đăng:",
        "comments": "Bình luận",
        "send": "Gửi bình luận",
        "cookie": "Trang web sử dụng cookie để nâng cao trải nghiệm của bạn. "
        "Tiếp tục truy cập nghĩa là bạn đồng ý với chính sách này.",
        "accept": "Đồng ý",
        "ad": "Quảng cáo",
    },
    "en": {
        "newest": ("Latest", "Newest", "Just in"),
        "most_read": ("Most read", "Most viewed", "Popular"),
        "updated": "Updated",
        "posted": "Posted:",
        "comments": "Comments",
        "send": "Send comment",
        "cookie": "This website uses cookies to improve your experience. "
        "By continuing you accept this policy.",
        "accept": "Accept",
        "ad": "Advertisement",
    },
}

# Forms of dates that are not the article's own (side-box items): the truth never reads them, so
# they may take every form Vietnamese CMSs print.
BOX_DATE_FORMS = (
    "site", "hm-dmy", "hm-ngay", "weekday", "pipe", "luc", "gmt", "12h", "time-dt", "time-bare",
    "split",
)  # fmt: skip


def token(r: random.Random) -> str:
    """A class name that means nothing (minified or hashed CSS): `x7f3k`."""
    return r.choice(string.ascii_lowercase) + "".join(
        r.choice(string.ascii_lowercase + string.digits) for _ in range(r.randint(3, 7))
    )


def twelve_hour(dt: datetime, lang: str) -> str:
    am, pm = HALF_DAY[lang]
    return f"{(dt.hour % 12) or 12:02d}:{dt.minute:02d} {pm if dt.hour >= 12 else am}"


def box_date(dt: datetime, form: str, lang: str) -> str:
    """A date as markup in one of BOX_DATE_FORMS (text already safe: digits and fixed words)."""
    d, t = dt.strftime("%d/%m/%Y"), dt.strftime("%H:%M")
    wd = WEEKDAYS[lang][dt.weekday()]
    iso = dt.strftime("%Y-%m-%dT%H:%M:%S+07:00")
    return {
        "site": f"{d} - {t}",
        "hm-dmy": f"{t} {d}",
        "hm-ngay": f"{t} ngày {d}" if lang == "vi" else f"{t}, {d}",
        "weekday": f"{wd}, {d} - {t}",
        "pipe": f"{d} | {t}",
        "luc": f"{d} lúc {t}" if lang == "vi" else f"{d} at {t}",
        "gmt": f"{d} {t} GMT+7",
        "12h": f"{d} {twelve_hour(dt, lang)}",
        "time-dt": f'<time datetime="{iso}">{d} {t}</time>',
        "time-bare": f"<time>{t} {d}</time>",
        "split": f"<span>{d}</span> <span>{t}</span>",
    }[form]


def truncate(text: str, limit: int, ellipsis: str) -> str:
    """Cut at the last word boundary within `limit` characters, as CMSs shorten og:description."""
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(",;:.–- ")
    return cut + ellipsis


# The static "about the newspaper" box of some generated chromes: long paragraphs, the same on every
# page (fourteen of them, well over an article's body).
ABOUT_TEXT = {
    "vi": [
        f"Báo Long An là cơ quan ngôn luận của Đảng bộ tỉnh Long An, tiếng nói của chính quyền và "
        f"nhân dân trong tỉnh; chuyên mục {i} giới thiệu lịch sử hình thành, đội ngũ phóng viên, "
        f"biên tập viên và những chặng đường phát triển của tờ báo qua nhiều thập kỷ phục vụ bạn đọc "
        f"trong và ngoài tỉnh, từ ấn phẩm in đến báo điện tử và các nền tảng số."
        for i in range(1, 15)
    ],
    "en": [
        f"Long An Newspaper is the voice of the Party Committee, the authorities and the people of "
        f"Long An province; section {i} introduces the history of the paper, its reporters and "
        f"editors, and the stages of its development over decades of serving readers in and outside "
        f"the province, from the printed edition to the online newspaper and digital platforms."
        for i in range(1, 15)
    ],
}
