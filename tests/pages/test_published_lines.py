"""The visible date among the other dates of the article's header (crawler/pages/article/published.py):
a weekday with a time is an article date, a date beside another article's link is that article's,
and a date the page hides is not the one it shows. Each page holds the article's date and one
rival that the rule must see past."""

from __future__ import annotations

import pytest

from crawler.editions import Editions
from crawler.extract import build_record

EDITIONS = Editions()
URL = "https://baolongan.vn/tan-thanh-nong-dan-xuong-giong-lua-he-thu-a196512.html"
BODY = "".join(
    f"<p>Đoạn {k}: nông dân huyện Tân Thạnh tranh thủ thời tiết thuận lợi để xuống giống lúa "
    f"vụ Hè Thu trên {k + 3}.000ha, theo lịch thời vụ của ngành nông nghiệp tỉnh.</p>"
    for k in range(4)
)


def page(before_title: str, after_title: str) -> bytes:
    return (
        "<html><head><title>Tân Thạnh: Nông dân xuống giống lúa Hè Thu</title></head><body>"
        f"<div class='top'>{before_title}</div>"
        "<div class='chitiet'><h1>Tân Thạnh: Nông dân xuống giống lúa Hè Thu</h1>"
        f"{after_title}<div class='noidung'>{BODY}</div></div></body></html>"
    ).encode()


CASES = {
    # The rival: an "updated" line with no weekday and no time. The article's line has both.
    "weekday_with_time": (
        "",
        "<div class='ngaydang'>Thứ Năm, 12/06/2025 | 08:15</div>"
        "<div><span>Cập nhật 13/06/2025</span></div>",
    ),
    # The rival: a one-item "hot news" teaser above the title, its date beside its link.
    "teaser_date": (
        "<a href='/gia-lua-tang-a196400.html'>Tin nóng: Giá lúa tăng</a>"
        " <span>(15/06/2025 - 09:00)</span>",
        "<p class='sapo'>Nông dân tất bật xuống giống.</p><div><i></i><i></i>"
        "<div>12/06/2025 - 08:15</div></div>",
    ),
    # The rival: a date with a time, hidden by the page (a theme's `updated` stamp).
    "hidden_date": (
        "",
        "<div class='date'>12/06/2025</div>"
        "<div class='date' style='display: none'>13/06/2025 - 09:00</div>",
    ),
}
WANT = {
    "weekday_with_time": "2025-06-12T08:15:00+07:00",
    "teaser_date": "2025-06-12T08:15:00+07:00",
    "hidden_date": "2025-06-12T00:00:00+07:00",
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_articles_own_date_wins(case: str) -> None:
    record, strategies, _ = build_record(page(*CASES[case]), "utf-8", URL, EDITIONS)
    assert record["published_at"] == WANT[case], (record["published_raw"], strategies)
