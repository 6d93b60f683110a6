"""Table of printed bylines and their parsed names and credits (all hand-checked)."""

from __future__ import annotations

import unicodedata

import pytest

from crawler.normalize.bylines import Byline, parse_byline

# (id, raw, authors, translators, source_credit)
CASES = [
    # Vietnamese edition.
    ("one-name", "Thanh Hải", ["Thanh Hải"], [], None),
    ("hyphen-space-after", "Hữu Bằng- Thanh Hiểu", ["Hữu Bằng", "Thanh Hiểu"], [], None),
    ("hyphen-space-before", "Hữu Bằng -Thanh Hiểu", ["Hữu Bằng", "Thanh Hiểu"], [], None),
    ("hyphen-no-space", "Hữu Bằng-Thanh Hiểu", ["Hữu Bằng", "Thanh Hiểu"], [], None),
    ("en-dash", "Hữu Bằng – Thanh Hiểu", ["Hữu Bằng", "Thanh Hiểu"], [], None),
    ("em-dash", "Hữu Bằng—Thanh Hiểu", ["Hữu Bằng", "Thanh Hiểu"], [], None),
    (
        "three-names",
        "Hữu Bằng - Thanh Hiểu - Kim Hoàng",
        ["Hữu Bằng", "Thanh Hiểu", "Kim Hoàng"],
        [],
        None,
    ),
    (
        "comma-va",
        "Hữu Bằng, Thanh Hiểu và Kim Hoàng",
        ["Hữu Bằng", "Thanh Hiểu", "Kim Hoàng"],
        [],
        None,
    ),
    ("ampersand", "Hữu Bằng & Thanh Hiểu", ["Hữu Bằng", "Thanh Hiểu"], [], None),
    ("ampersand-entity", "Hữu Bằng &amp; Thanh Hiểu", ["Hữu Bằng", "Thanh Hiểu"], [], None),
    ("ctv-trailing-dash", "CTV Kim Hoàng –", ["Kim Hoàng"], [], None),
    ("ctv-in-parentheses", "Kim Hoàng (CTV)", ["Kim Hoàng"], [], None),
    ("trailing-end-mark", "Thanh Hải./.", ["Thanh Hải"], [], None),
    ("bai-va-anh", "Bài và ảnh: Hữu Bằng", ["Hữu Bằng"], [], None),
    # An author box's label (a chrome seen in tests/pages/fixtures/unseen_microdata_h2title).
    ("tac-gia-label", "Tác giả: Minh Thư", ["Minh Thư"], [], None),
    ("boi-label", "Bởi Phương Thảo -", ["Phương Thảo"], [], None),  # "by", WordPress in Vietnamese
    ("boi-is-a-name-without-diacritics", "Boi Nguyen", ["Boi Nguyen"], [], None),
    ("tho-label", "Thơ: Lê Minh Chánh", ["Lê Minh Chánh"], [], None),  # "poem:"
    ("author-label", "Author: Van Dat", ["Van Dat"], [], None),
    ("bai-comma-anh", "Bài, ảnh: Hữu Bằng - Thanh Hiểu", ["Hữu Bằng", "Thanh Hiểu"], [], None),
    ("bai-then-anh", "Bài: Hữu Bằng - Ảnh: Thanh Hiểu", ["Hữu Bằng", "Thanh Hiểu"], [], None),
    (
        "irregular-spaces",
        "  Hữu   Bằng  -   Thanh\u00a0Hiểu ",
        ["Hữu Bằng", "Thanh Hiểu"],
        [],
        None,
    ),
    ("nfd-input", unicodedata.normalize("NFD", "Thanh Hải"), ["Thanh Hải"], [], None),
    ("repeated-name", "Thanh Hải - Thanh Hải", ["Thanh Hải"], [], None),
    # Credits.
    ("theo-ttxvn", "Theo TTXVN", [], [], "TTXVN"),
    ("theo-bao", "Theo Báo Nhân Dân", [], [], "Báo Nhân Dân"),
    ("paren-agency", "(TTXVN/Vietnam+)", [], [], "TTXVN/Vietnam+"),
    ("nguon", "Nguồn: Báo Tây Ninh", [], [], "Báo Tây Ninh"),
    ("nguon-no-space", "Nguồn:Báo Tây Ninh", [], [], "Báo Tây Ninh"),
    ("source", "Source: VNA", [], [], "VNA"),
    ("name-paren-theo", "Thanh Hải (Theo TTXVN)", ["Thanh Hải"], [], "TTXVN"),
    ("name-paren-agency", "Thanh Hải (TTXVN)", ["Thanh Hải"], [], "TTXVN"),
    ("name-dash-agency", "Minh Hải - TTXVN", ["Minh Hải"], [], "TTXVN"),
    ("name-dash-theo", "Hữu Bằng – Theo Báo Tây Ninh", ["Hữu Bằng"], [], "Báo Tây Ninh"),
    ("name-then-paren-agency", "Thanh Hải (TTXVN/Vietnam+)", ["Thanh Hải"], [], "TTXVN/Vietnam+"),
    ("agency-only", "TTXVN", [], [], "TTXVN"),
    ("station-in-paren", "Thanh Hải (Đài PT-TH Long An)", ["Thanh Hải"], [], "Đài PT-TH Long An"),
    # English edition.
    ("by-translated", "By Thuy Anh – Translated by Kim Khanh", ["Thuy Anh"], ["Kim Khanh"], None),
    # "Bao" without diacritics is the name Bảo, not "Báo" (newspaper).
    ("bao-is-a-name", "By Bao Tram – Translated by Thanh Nga", ["Bao Tram"], ["Thanh Nga"], None),
    ("bao-alone", "Bao Tram", ["Bao Tram"], [], None),
    (
        "by-translated-tight",
        "By Phuong Phuong –Translated by Dinh Thanh",
        ["Phuong Phuong"],
        ["Dinh Thanh"],
        None,
    ),
    (
        "by-translated-hyphen",
        "By Thuy Anh - Translated by Kim Khanh",
        ["Thuy Anh"],
        ["Kim Khanh"],
        None,
    ),
    (
        "by-translated-no-dash",
        "By Thuy Anh Translated by Kim Khanh",
        ["Thuy Anh"],
        ["Kim Khanh"],
        None,
    ),
    ("album-note", "(Translated by Kim Khanh)", [], ["Kim Khanh"], None),
    ("by-only", "By Thuy Anh", ["Thuy Anh"], [], None),
    ("by-two-and", "By Thuy Anh and Kim Khanh", ["Thuy Anh", "Kim Khanh"], [], None),
    (
        "two-translators",
        "By Le Duc – Translated by Kim Khanh & Dinh Thanh",
        ["Le Duc"],
        ["Kim Khanh", "Dinh Thanh"],
        None,
    ),
    ("story-and-photos", "Story and photos by Le Duc", ["Le Duc"], [], None),
    ("by-theo-is-a-name", "By Theo Smith", ["Theo Smith"], [], None),
    ("by-source-vna", "By Thuy Anh – Source: VNA", ["Thuy Anh"], [], "VNA"),
    ("vi-translator", "Minh Anh - Dịch: Thu Hà", ["Minh Anh"], ["Thu Hà"], None),
    # Nothing.
    ("none", None, [], [], None),
    ("empty", "", [], [], None),
    ("blank", " \u200b ", [], [], None),
    ("only-dash", " – ", [], [], None),
]


@pytest.mark.parametrize(
    ("raw", "authors", "translators", "source_credit"),
    [pytest.param(raw, a, t, c, id=case_id) for case_id, raw, a, t, c in CASES],
)
def test_parse_byline(
    raw: str | None, authors: list[str], translators: list[str], source_credit: str | None
) -> None:
    assert parse_byline(raw) == Byline(authors, translators, source_credit)


def test_table_size() -> None:
    assert len(CASES) >= 32


def test_names_are_nfc() -> None:
    byline = parse_byline(unicodedata.normalize("NFD", "Hữu Bằng- Thanh Hiểu"))
    assert all(unicodedata.is_normalized("NFC", name) for name in byline.authors)
