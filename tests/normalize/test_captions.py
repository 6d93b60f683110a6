"""Table of caption lines and their (caption, credit) split (all hand-checked)."""

from __future__ import annotations

import unicodedata

import pytest

from crawler.normalize.captions import split_caption

TITLE = "Cho trẻ làm quen với tiếng Anh"

# (id, raw, article_title, caption, credit)
CASES = [
    # Plain captions.
    ("plain-vi", "Du khách tham quan khu di tích", None, "Du khách tham quan khu di tích", None),
    (
        "plain-en",
        "Farmers harvest rice in Tan An city",
        None,
        "Farmers harvest rice in Tan An city",
        None,
    ),
    ("trimmed", "  Du khách   tham quan \u00a0", None, "Du khách tham quan", None),
    ("entity", "Lúa &amp; rau màu", None, "Lúa & rau màu", None),
    ("nfd", unicodedata.normalize("NFD", "Người dân"), None, "Người dân", None),
    ("note-without-colon-stays", "Ảnh minh họa", None, "Ảnh minh họa", None),
    ("paren-note-stays", "Cầu Tân An (Ảnh tư liệu)", None, "Cầu Tân An (Ảnh tư liệu)", None),
    (
        "lower-anh-in-sentence",
        "Triển lãm ảnh: nhiều tác phẩm đẹp",
        None,
        "Triển lãm ảnh: nhiều tác phẩm đẹp",
        None,
    ),
    # Credits.
    (
        "credit-inside-the-caption",  # one photo, two scenes, credited scene by scene
        "Tiêm vắc-xin tại Trạm Y tế xã Phước Lại (Ảnh: Mai Hương) và tại ấp 3 (Ảnh: CDC cung cấp)",
        None,
        "Tiêm vắc-xin tại Trạm Y tế xã Phước Lại và tại ấp 3",
        "Mai Hương; CDC cung cấp",
    ),
    (
        "vna-photo-after-a-dash",
        "Trucks queue at Binh Hiep border gate. — VNA/VNS Photo Le Duc Hoa",
        None,
        "Trucks queue at Binh Hiep border gate.",
        "VNA/VNS Photo Le Duc Hoa",
    ),
    (
        "anh-paren",
        "Du khách tham quan (Ảnh: KDL cung cấp)",
        None,
        "Du khách tham quan",
        "KDL cung cấp",
    ),
    (
        "photo-nvcc",
        "Mr. Tran receives the award (Photo: NVCC)",
        None,
        "Mr. Tran receives the award",
        "NVCC",
    ),
    (
        "photo-internet",
        "A view of Long An (Photo: Internet)",
        None,
        "A view of Long An",
        "Internet",
    ),
    ("photo-lower", "Students in class (photo: Chi Tam)", None, "Students in class", "Chi Tam"),
    (
        "photograph-after-period",
        "Officials visit the site. Photograph: Thanh Nga",
        None,
        "Officials visit the site.",
        "Thanh Nga",
    ),
    (
        "photograph-after-dash",
        "Officials visit the site - Photograph: Thanh Nga",
        None,
        "Officials visit the site",
        "Thanh Nga",
    ),
    (
        "photograph-after-space",
        "Officials visit the site Photograph: Thanh Nga",
        None,
        "Officials visit the site",
        "Thanh Nga",
    ),
    (
        "anh-bare-after-space",
        "Người dân tham gia Ảnh: Thanh Hải",
        None,
        "Người dân tham gia",
        "Thanh Hải",
    ),
    ("credit-only-bare", "Ảnh: Hữu Bằng", None, None, "Hữu Bằng"),
    ("credit-only-paren", "(Ảnh: Hữu Bằng)", None, None, "Hữu Bằng"),
    ("credit-trailing-period", "Cầu Tân An. (Ảnh: Thanh Hải).", None, "Cầu Tân An.", "Thanh Hải"),
    ("credit-inner-period", "Cầu Tân An (Ảnh: Thanh Hải.)", None, "Cầu Tân An", "Thanh Hải"),
    (
        "two-parens",
        "Cảnh sát tuần tra (Ảnh: Hữu Bằng) (Ảnh: Thanh Hiểu)",
        None,
        "Cảnh sát tuần tra",
        "Hữu Bằng; Thanh Hiểu",
    ),
    (
        "two-in-one-paren",
        "Cảnh sát tuần tra (Ảnh: Hữu Bằng - Photo: Thanh Hiểu)",
        None,
        "Cảnh sát tuần tra",
        "Hữu Bằng; Thanh Hiểu",
    ),
    (
        "bare-then-paren",
        "Cảnh sát tuần tra - Ảnh: Hữu Bằng (Photo: Thanh Hiểu)",
        None,
        "Cảnh sát tuần tra",
        "Hữu Bằng; Thanh Hiểu",
    ),
    ("same-credit-twice", "Cảnh sát (Ảnh: Hữu Bằng) (Ảnh: Hữu Bằng)", None, "Cảnh sát", "Hữu Bằng"),
    ("bilingual-label", "Lễ hội (Ảnh/Photo: Kim Hoàng)", None, "Lễ hội", "Kim Hoàng"),
    ("nguon", "Ảnh minh họa (Nguồn: Internet)", None, "Ảnh minh họa", "Internet"),
    ("photo-by", "Rice fields (Photo by Le Duc)", None, "Rice fields", "Le Duc"),
    (
        "photo-by-lower",
        "Children play on the water slides (photo by Happyland)",
        None,
        "Children play on the water slides",
        "Happyland",
    ),
    (
        "illustration-note-stays",
        "Người dân sử dụng nước sạch (ảnh minh họa)",
        None,
        "Người dân sử dụng nước sạch (ảnh minh họa)",
        None,
    ),
    ("full-width-colon", "Lễ hội (Ảnh： Kim Hoàng)", None, "Lễ hội", "Kim Hoàng"),
    # Duplicated captions (English edition).
    ("dup-space", "Farmers harvest rice Farmers harvest rice", None, "Farmers harvest rice", None),
    (
        "dup-no-space",
        "Farmers harvest rice.Farmers harvest rice.",
        None,
        "Farmers harvest rice.",
        None,
    ),
    (
        "dup-br-newline",
        "Farmers harvest rice\nFarmers harvest rice",
        None,
        "Farmers harvest rice",
        None,
    ),
    (
        "dup-with-credit",
        "Farmers harvest rice (Photo: NVCC) Farmers harvest rice (Photo: NVCC)",
        None,
        "Farmers harvest rice",
        "NVCC",
    ),
    (
        "dup-then-credit",
        "Farmers harvest rice Farmers harvest rice (Photo: NVCC)",
        None,
        "Farmers harvest rice",
        "NVCC",
    ),
    ("short-repeat-kept", "Bye Bye", None, "Bye Bye", None),
    # Not captions.
    ("title-leak", TITLE, TITLE, None, None),
    ("title-leak-spacing", "  Cho trẻ làm quen  với tiếng Anh ", TITLE, None, None),
    ("title-leak-duplicated", f"{TITLE} {TITLE}", TITLE, None, None),
    ("title-with-credit-is-caption", f"{TITLE} (Ảnh: Hữu Bằng)", TITLE, TITLE, "Hữu Bằng"),
    ("filename", "IMG_1234.jpg", None, None, None),
    ("filename-space-webp", "anh 1.webp", None, None, None),
    ("filename-upper", "DSC_0012.JPG", None, None, None),
    ("url", "https://www.baolongan.vn/image/news/2022/20220120/images/a.jpg", None, None, None),
    ("none", None, None, None, None),
    ("empty", "", None, None, None),
    ("blank", " \u200b\u00a0", None, None, None),
]


@pytest.mark.parametrize(
    ("raw", "title", "caption", "credit"),
    [pytest.param(raw, title, cap, cred, id=case_id) for case_id, raw, title, cap, cred in CASES],
)
def test_split_caption(
    raw: str | None, title: str | None, caption: str | None, credit: str | None
) -> None:
    assert split_caption(raw, title) == (caption, credit)


def test_table_size() -> None:
    assert len(CASES) >= 32


def test_title_defaults_to_none() -> None:
    assert split_caption(TITLE) == (TITLE, None)
