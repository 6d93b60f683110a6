"""Sapo forms the blind probes found (crawler/pages/article/lead.py): a sapo classed by a word of
another CMS's vocabulary (Lao Động's `chappeau`), and a bare sapo between the title and the body
that names a day. Each page has no metadata description, so the page alone must give the lead."""

from __future__ import annotations

import pytest

from crawler.editions import Editions
from crawler.extract import build_record

EDITIONS = Editions()
URL = "https://baolongan.vn/gap-rut-hoan-thanh-mo-rong-duong-tinh-830-a195204.html"
TITLE = "Gấp rút hoàn thành mở rộng Đường tỉnh 830"
SAPO = (
    "Sau gần 3 năm thi công, dự án mở rộng Đường tỉnh 830 đoạn qua huyện Bến Lức đang về đích, "
    "dự kiến thông xe toàn tuyến trước ngày 30/6/2025."
)
BODY = "".join(
    f"<p>Đoạn {k}: Ban Quản lý dự án đầu tư xây dựng tỉnh cho biết khối lượng thi công đã đạt "
    f"hơn {90 + k}%, các mũi thi công tăng ca để kịp tiến độ.</p>"
    for k in range(4)
)


def page(between: str, opening: str = "") -> bytes:
    return (
        f"<html><head><title>{TITLE}</title></head><body><div class='detail'>"
        f"<h1>{TITLE}</h1><div class='time'>Thứ Năm, 12/06/2025 15:48 (GMT+7)</div>{between}"
        f"<div class='noidung'>{opening}{BODY}</div></div></body></html>"
    ).encode()


@pytest.mark.parametrize(
    "html",
    [
        # A sapo in a bare paragraph between the header and the body, naming a day: a sentence,
        # not a date line.
        page(f"<p>{SAPO}</p>"),
        # `div.chappeau` opening the body container: found by its class alone.
        page("", opening=f"<div class='chappeau'>{SAPO}</div>"),
    ],
    ids=["bare-with-a-day", "chappeau"],
)
def test_the_sapo_is_the_lead(html: bytes) -> None:
    record, strategies, _ = build_record(html, "utf-8", URL, EDITIONS)
    assert record["lead"] == SAPO
    assert record["body_text"].startswith("Đoạn 0:")
    assert SAPO not in record["body_text"]
