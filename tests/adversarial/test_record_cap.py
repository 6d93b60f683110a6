"""Issue 15 item 11: a 30 MB page became a 57 MB JSON line.

body_text and body_html are each cut to MAX_BODY_CHARS (default 2,000,000) characters at a block
boundary and the record is flagged `body_truncated`; the whole page stays in the WARC.
"""

from __future__ import annotations

import pytest
from warcio.archiveiterator import ArchiveIterator

from crawler.normalize.body import cut_body_html, cut_body_text
from tests.adversarial import crawl
from tests.adversarial.server import Answer, article, home, sites
from tests.hostile import pages

MB = 1_000_000
PARAGRAPH = "Đoạn văn thứ {n:06d} của một trang rất dài, nhắc lại cho đủ ba mươi megabyte. " * 4
DEFAULT_CAP = 2_000_000


def _huge_page(size: int) -> bytes:
    paragraphs, total, n = [], 0, 0
    while total < size:
        text = PARAGRAPH.format(n=n).strip()
        paragraphs.append(text)
        total += len(text.encode()) + 7
        n += 1
    return pages.article_page(
        pages.ArticleSpec(title="Trang ba mươi MB", paragraphs=paragraphs)
    ).encode()


def _warc_payload_sizes(output_dir, path: str) -> list[int]:
    sizes = []
    for warc in (output_dir / "warc").glob("*.warc.gz"):
        with open(warc, "rb") as stream:
            for rec in ArchiveIterator(stream):
                if rec.rec_type == "response" and rec.rec_headers.get_header(
                    "WARC-Target-URI"
                ).endswith(path):
                    sizes.append(len(rec.content_stream().read()))
    return sizes


def test_a_30_mb_page_becomes_a_capped_record_and_stays_whole_in_the_warc(tmp_path):
    page = _huge_page(30 * MB)
    with sites({}, {}) as (vi, en):
        vi.routes.update(
            home([("/trang-ba-muoi-mb-a995001.html", "Ba mươi MB"), ("/bai-a995002.html", "Bài")])
        )
        vi.routes["/trang-ba-muoi-mb-a995001.html"] = Answer(body=page)
        vi.routes["/bai-a995002.html"] = article("Bài bình thường")
        result = crawl.run(vi.base, en.base, tmp_path / "out", "edition=vi", timeout=400)
    assert result.exit_code in (0, 3), result.log[-3000:]
    record = result.record(995001)
    assert record is not None, result.log[-3000:]
    assert "body_truncated" in record["quality_issues"]
    assert 0.9 * DEFAULT_CAP < len(record["body_text"]) <= DEFAULT_CAP
    assert 0.9 * DEFAULT_CAP < len(record["body_html"]) <= DEFAULT_CAP
    # cut at a block boundary: the last block is a whole paragraph
    last = record["body_text"].rsplit("\n\n", 1)[-1]
    assert last.startswith("Đoạn văn thứ") and last.endswith("ba mươi megabyte.")
    assert record["body_html"].endswith("</p>")
    assert result.stats.get("quality/body_truncated") == 1
    assert "body_truncated" not in result.record(995002)["quality_issues"]
    line = max(
        len(raw)
        for f in (result.output_dir / "records" / "articles").rglob("*.jsonl")
        for raw in f.read_bytes().splitlines()
    )
    assert line < 10 * MB, line
    # the WARC keeps the page whole
    assert _warc_payload_sizes(result.output_dir, "/trang-ba-muoi-mb-a995001.html") == [len(page)]


def test_cap_is_a_setting(tmp_path):
    page = _huge_page(MB)
    with sites({}, {}) as (vi, en):
        vi.routes.update(home([("/trang-dai-a995003.html", "Trang dài")]))
        vi.routes["/trang-dai-a995003.html"] = Answer(body=page)
        result = crawl.run(
            vi.base, en.base, tmp_path / "out", "edition=vi", settings={"MAX_BODY_CHARS": 50_000}
        )
    assert result.exit_code in (0, 3), result.log[-3000:]
    record = result.record(995003)
    assert "body_truncated" in record["quality_issues"]
    assert len(record["body_text"]) <= 50_000 and len(record["body_html"]) <= 50_000
    assert "flagged" in result.log and "body_truncated" in result.log


BLOCKS = "Một hai.\n\nBa bốn năm.\n\nSáu."


@pytest.mark.parametrize(
    ("limit", "expected"),
    [
        (100, BLOCKS),
        (len(BLOCKS), BLOCKS),
        (len(BLOCKS) - 1, "Một hai.\n\nBa bốn năm."),
        (12, "Một hai."),
        (5, "Một"),  # no whole block fits: the first cut at a space
        (2, "Mộ"),
    ],
)
def test_cut_body_text(limit, expected):
    assert cut_body_text(BLOCKS, limit) == expected


MARKUP = '<p>Một\n<strong>hai</strong></p>\n<h2>Ba</h2>\n<p>Bốn &amp; <a href="https://baolongan.vn/x">năm</a></p>'


@pytest.mark.parametrize(
    ("limit", "expected"),
    [
        (len(MARKUP), MARKUP),
        (len(MARKUP) - 1, "<p>Một\n<strong>hai</strong></p>\n<h2>Ba</h2>"),
        (33, "<p>Một\n<strong>hai</strong></p>"),
        (10, "<p>Một\n</p>"),  # no whole node fits: the first, cut in its text and closed
    ],
)
def test_cut_body_html(limit, expected):
    assert cut_body_html(MARKUP, limit) == expected
    assert cut_body_html(None, limit) is None


def test_cut_body_html_keeps_an_exact_prefix_on_a_big_body():
    block = "<p>" + "Đoạn văn bản dài. " * 20 + "</p>"
    markup = "\n".join([block] * 50_000)
    cut = cut_body_html(markup, 1_000_000)
    assert markup.startswith(cut) and cut.endswith("</p>")
    assert 1_000_000 - len(block) <= len(cut) <= 1_000_000
    assert markup[len(cut)] == "\n"
