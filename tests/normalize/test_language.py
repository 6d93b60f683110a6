"""Content-language detection on realistic article text."""

from __future__ import annotations

import unicodedata

import pytest

from crawler.normalize.language import detect_language

VI_PARAGRAPH = (
    "Sáng 20/01, Ban Thường vụ Tỉnh ủy Long An tổ chức họp mặt các cơ quan báo chí nhân dịp "
    "Xuân Nhâm Dần 2022. Phát biểu tại buổi họp mặt, Bí thư Tỉnh ủy ghi nhận những đóng góp "
    "của đội ngũ phóng viên trong công tác tuyên truyền, góp phần vào sự phát triển kinh tế - "
    "xã hội của tỉnh."
)
VI_TITLE = "Cho trẻ làm quen với tiếng Anh"
VI_SHORT = "Cần Giuộc: Nông dân trúng mùa dưa hấu"
VI_NO_DIACRITICS = (
    "Nong dan huyen Can Giuoc dang tap trung thu hoach lua, nhieu nguoi cho biet nam nay "
    "duoc mua va duoc gia"
)
EN_PARAGRAPH = (
    "Long An province has approved a plan to develop high-tech agriculture in Tan An city and "
    "the districts of Can Giuoc and Duc Hoa. The plan aims to raise farmers' incomes and was "
    "announced by the provincial People's Committee on January 20."
)
EN_WITH_VI_NAMES = (
    "On January 20, the Standing Board of the Long An Provincial Party Committee met with press "
    "agencies in Tân An city. Farmers in Cần Giuộc and Đức Hòa districts said that the new "
    "irrigation works in Bến Lức have helped them to harvest on time, according to Mr. Nguyễn "
    "Văn Út, chairman of the Cần Giuộc Farmers' Association."
)
EN_CAPTION_WITH_NAMES = "Mr. Nguyễn Văn Út visits a farm in Cần Giuộc district with local officials"
EN_TITLE = "Children get acquainted with English"

# (id, text, expected)
CASES = [
    ("vi-paragraph", VI_PARAGRAPH, "vi"),
    ("vi-paragraph-nfd", unicodedata.normalize("NFD", VI_PARAGRAPH), "vi"),
    ("vi-upper-case", VI_PARAGRAPH.upper(), "vi"),
    ("vi-title", VI_TITLE, "vi"),
    ("vi-short-title-nfd", unicodedata.normalize("NFD", VI_SHORT), "vi"),
    ("vi-without-diacritics", VI_NO_DIACRITICS, "vi"),
    ("vi-quoting-english", VI_PARAGRAPH + ' Khẩu hiệu "Go green for the future" được nêu.', "vi"),
    ("en-paragraph", EN_PARAGRAPH, "en"),
    ("en-with-vietnamese-place-names", EN_WITH_VI_NAMES, "en"),
    ("en-caption-with-names", EN_CAPTION_WITH_NAMES, "en"),
    ("en-title", EN_TITLE, "en"),
    ("en-nfd-names", unicodedata.normalize("NFD", EN_WITH_VI_NAMES), "en"),
]


@pytest.mark.parametrize(("text", "expected"), [pytest.param(t, e, id=i) for i, t, e in CASES])
def test_detect_language(text: str, expected: str) -> None:
    assert detect_language(text) == expected


@pytest.mark.parametrize("text", ["", "   ", "20/01/2022 - 18:20", "./."])
def test_no_letters_gives_default(text: str) -> None:
    assert detect_language(text) == "vi"
    assert detect_language(text, default="en") == "en"
