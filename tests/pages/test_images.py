"""crawler/pages/article/images.py: image forms as the HTML parser hands them over.

docs/site.md's 2025 forms put a div inside a paragraph. lxml's parser keeps
`<p><em><div>img</div></em></p>` nested but splits `<p><div>img</div><em>caption</em></p>`: the
paragraph closes before the div and the caption em lands beside the image block.
"""

from __future__ import annotations

import pytest

from crawler.editions import Editions
from crawler.extract import build_record

URL = "https://baolongan.vn/tieu-de-bai-viet-thu-a196999.html"
IMG = (
    '<img class="zoomimg i-img-slider-jsgallery" alt="" src="/image/news/2025/20250612/images/{}">'
)
DIV = '<div class="b-img-slider-jsgallery" data-pos="0">' + IMG.format("a.jpg") + "</div>"


def _images(body: str) -> list[dict]:
    html = f"""<html><head><meta charset="utf-8"></head><body>
<span class="pubdate">12/06/2025 - 15:30</span>
<h1 class="margintopbot10 fw600">Tiêu đề bài viết thử</h1>
<p class="fontd">Sapo của bài viết thử nghiệm này khá dài để làm phần dẫn.</p>
<div class="content-fck slider-jsgallery">
<p>Đoạn văn thứ nhất của bài viết có nội dung đủ dài để là thân bài.</p>
{body}
<p>Đoạn văn cuối cùng của bài viết, cũng có nội dung đủ dài./.</p>
<p style="text-align: right;"><strong>Hữu Bằng</strong></p>
</div></body></html>"""
    record, _, _ = build_record(html.encode(), "utf-8", URL, Editions())
    return record["images"]


@pytest.mark.parametrize(
    ("body", "caption_raw"),
    [
        pytest.param(
            f"<p><em>{DIV}</em></p><p><em>Chú thích (Ảnh: X)</em></p>",
            "Chú thích (Ảnh: X)",
            id="div-in-em-p",
        ),
        pytest.param(
            f'<p style="text-align: center;">{DIV}<em>Chú thích (Ảnh: X)</em></p>',
            "Chú thích (Ảnh: X)",
            id="split-centred-p",
        ),
        pytest.param(
            f'<div><p style="text-align: center;">{DIV}<em>Chú thích (Ảnh: X)</em></p></div>',
            "Chú thích (Ảnh: X)",
            id="split-inside-wrapper",
        ),
        pytest.param(
            f'<p style="text-align: center;">{DIV}<em>Chú thích<br>(Ảnh: X)</em></p>',
            "Chú thích (Ảnh: X)",
            id="split-br-before-credit",
        ),
        pytest.param(
            f'<p style="text-align: center;">{DIV}<span><em>Chú thích (Ảnh: X)</em></span></p>',
            "Chú thích (Ảnh: X)",
            id="split-em-in-span",
        ),
        pytest.param(
            f"<p>{DIV}</p><p><em>Chú thích (Ảnh: X)</em></p>",
            "Chú thích (Ảnh: X)",
            id="div-in-p-caption-next-p",
        ),
        pytest.param(
            f'<p style="text-align: center;"><span>{DIV}</span><em>Chú thích (Ảnh: X)</em></p>',
            "Chú thích (Ảnh: X)",
            id="div-in-span-not-split",
        ),
        pytest.param(
            f"{DIV}<em>Nhấn mạnh</em> rồi văn bản chạy tiếp ngoài đoạn.",
            None,
            id="em-running-into-loose-text",
        ),
    ],
)
def test_caption_attaches_to_its_image(body: str, caption_raw: str | None) -> None:
    images = _images(body)
    assert [(im["position"], im["caption_raw"]) for im in images] == [(0, caption_raw)]


@pytest.mark.parametrize(
    ("name", "url_tail"),
    [
        ("IMG%202034%201.JPG", "IMG%202034%201.JPG"),  # already encoded: never re-encoded
        ("bể_lọc_nước.webp", "bể_lọc_nước.webp"),  # raw letters stay (an IRI)
        ("nuoc sach 2.JPG", "nuoc%20sach%202.JPG"),  # a URL holds no space
        ("nuoc\nsach.jpg", "nuocsach.jpg"),  # newlines and tabs are dropped, as browsers do
    ],
)
def test_image_url_whitespace(name: str, url_tail: str) -> None:
    (image,) = _images(f'<p style="text-align: center;">{IMG.format(name)}</p>')
    assert image["url"] == "https://www.baolongan.vn/image/news/2025/20250612/images/" + url_tail
