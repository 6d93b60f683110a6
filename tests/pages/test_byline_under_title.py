"""A short byline printed under the title, before the body, is the byline and never the lead
(crawler/pages/article/lead.py, `short_byline_line`); a lead that opens with "Theo" stays a lead."""

from __future__ import annotations

from crawler.editions import Editions
from crawler.extract import build_record

EDITIONS = Editions(vi_base="http://127.0.0.1:8101", en_base="http://127.0.0.1:8102")
BODY = "".join(
    f"<p>Paragraph {k}: the district has fulfilled the plan for clean water supply for residents "
    f"of {k + 3} communes, leaders said at the meeting on Monday.</p>"
    for k in range(4)
)


def page(under_title: str) -> bytes:
    return (
        "<html><head><title>Vinh Hung district strengthens clean water supply</title></head><body>"
        "<div><a href='/'>Home</a> | <a href='/economy/'>Economy</a></div>"
        "<div><h1>Vinh Hung district strengthens clean water supply</h1>"
        "<div>Monday, 10/03/2025 - 08:15</div>"
        f"<p>{under_title}</p><div>{BODY}</div></div>"
        "<div>© Long An Online</div></body></html>"
    ).encode()


URL = "http://127.0.0.1:8102/vinh-hung-district-strengthens-clean-water-supply-a40649.html"


def test_a_byline_under_the_title_is_the_byline_not_the_lead():
    record, strategies, _ = build_record(
        page("<strong>By Phuong Phuong– Translated by Kim Khanh</strong>"), "utf-8", URL, EDITIONS
    )
    assert record["lead"] is None, strategies
    assert record["byline_raw"] == "By Phuong Phuong– Translated by Kim Khanh"
    assert record["authors"] == ["Phuong Phuong"]
    assert record["translators"] == ["Kim Khanh"]
    assert record["body_text"].startswith("Paragraph 0:")


def test_a_lead_opening_like_a_byline_stays_the_lead():
    lead = (
        "Theo kế hoạch, huyện Vĩnh Hưng sẽ hoàn thành hệ thống cấp nước sạch cho người dân "
        "ở các xã biên giới trước mùa khô năm nay."
    )
    record, strategies, _ = build_record(page(lead), "utf-8", URL, EDITIONS)
    assert record["lead"] == lead, strategies
    assert record["body_text"].startswith("Paragraph 0:")
