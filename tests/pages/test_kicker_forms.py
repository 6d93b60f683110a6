"""The line right above the title (crawler/pages/article/kicker.py): a kicker may name a day (an
anniversary), a date line never is one, however many words stand beside its date."""

from __future__ import annotations

import pytest

from crawler.editions import Editions
from crawler.extract import build_record

EDITIONS = Editions()
URL = "https://baolongan.vn/ngay-30-4-le-thuong-co-tai-thanh-pho-tan-an-a194615.html"
TITLE = "Ngày 30/4: Lễ thượng cờ tại thành phố Tân An"
BODY = "".join(
    f"<p>Đoạn {k}: sáng 30/4, hàng nghìn người dân và cán bộ, chiến sĩ dự lễ thượng cờ tại Quảng "
    f"trường tỉnh, theo chương trình của Ban Tổ chức lễ kỷ niệm lần thứ {k + 1}.</p>"
    for k in range(4)
)


def page(above_title: str) -> bytes:
    return (
        f"<html><head><title>{TITLE}</title></head><body><div class='detail'>"
        f"<div class='top'>{above_title}</div><h1>{TITLE}</h1>"
        f"<div class='noidung'>{BODY}<p style='text-align: right;'><strong>Thanh Nga</strong>"
        "</p></div></div></body></html>"
    ).encode()


@pytest.mark.parametrize(
    ("above", "kicker"),
    [
        # An anniversary named with its days: a kicker.
        (
            "Kỷ niệm 50 năm Ngày Giải phóng miền Nam, thống nhất đất nước (30/4/1975 - 30/4/2025)",
            "Kỷ niệm 50 năm Ngày Giải phóng miền Nam, thống nhất đất nước (30/4/1975 - 30/4/2025)",
        ),
        # A date line with a clock time and many words beside it (a view and comment count).
        ("Thứ Năm, ngày 1 tháng 5 năm 2025 lúc 08:30 (GMT+7) | Lượt xem: 1.234 | Bình luận", None),
        # A date line with few words and no time.
        ("Thứ Năm, 01/05/2025", None),
    ],
    ids=["anniversary", "date-line-with-time", "date-line"],
)
def test_kicker_or_date_line(above: str, kicker: str | None) -> None:
    record, _, _ = build_record(page(above), "utf-8", URL, EDITIONS)
    assert record["title"] == TITLE
    assert record["kicker"] == kicker
