"""A name printed on the date's own line is the byline when nothing else is
(crawler/pages/article/byline.py, `on-date-line`); a section printed there is not."""

from __future__ import annotations

import pytest

from crawler.editions import Editions
from crawler.extract import build_record

EDITIONS = Editions()
URL = "https://baolongan.vn/duc-hoa-khanh-thanh-cau-rach-tram-a197001.html"
BODY = "".join(
    f"<p>Đoạn {k}: cầu Rạch Tràm dài 120m, rộng 9m, được xây dựng thay thế cầu sắt cũ đã xuống "
    f"cấp, giúp {k + 3}.000 người dân trong xã đi lại thuận tiện hơn.</p>"
    for k in range(4)
)


def page(meta_line: str) -> bytes:
    return (
        "<html><head><title>Đức Hòa: Khánh thành cầu Rạch Tràm</title></head><body>"
        "<div class='top'>Báo Long An</div>"
        "<div class='chitiet'><h1>Đức Hòa: Khánh thành cầu Rạch Tràm</h1>"
        f"<div class='info'>{meta_line}</div><div class='noidung'>{BODY}</div></div>"
        "</body></html>"
    ).encode()


CASES = {
    "plain_name_before_date": ("Thanh Hải - 12/06/2025, 15:48", ["Thanh Hải"]),
    "bold_name_weekday_zone": (
        "<b>Thanh Hải</b> | Thứ Năm, 12/06/2025 15:48 (GMT+7)",
        ["Thanh Hải"],
    ),
    "name_after_date": ("12/06/2025 15:48 • Nguyễn Văn Bảy", ["Nguyễn Văn Bảy"]),
    "posted_by_label": ("Đăng bởi: Minh Thư | 12/06/2025 15:48", ["Minh Thư"]),
    "author_link": (
        "<a href='/tac-gia/thanh-hai.html'>Thanh Hải</a> - 12/06/2025 15:48",
        ["Thanh Hải"],
    ),
    # Not names: a section in sentence case, a section link in title case, the site's name.
    "section_text": ("Kinh tế - 12/06/2025 15:48", []),
    "section_link": ("<a href='/kinh-te/'>Kinh Tế</a> | 12/06/2025 15:48", []),
    "site_name": ("Báo Long An | 12/06/2025 15:48", []),
    "label_only": ("Cập nhật lúc 12/06/2025 15:48 (GMT+7)", []),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_name_on_the_date_line(case: str) -> None:
    line, authors = CASES[case]
    record, strategies, _ = build_record(page(line), "utf-8", URL, EDITIONS)
    assert record["published_at"] == "2025-06-12T15:48:00+07:00", strategies
    assert record["authors"] == authors, strategies
    # (a bold name is also a bold line above the body: either rule may take it)
    rules = {"on-date-line", "above-body"} if authors else {None}
    assert strategies.get("byline_raw") in rules
    assert record["body_text"].startswith("Đoạn 0:")
