"""Issue 15 item 4, end to end: pages with a few bad bytes land in `articles`, flagged, never in
`rejected` (the unit tests with the same bytes are tests/normalize/test_bad_bytes.py)."""

from __future__ import annotations

from tests.adversarial import crawl
from tests.adversarial.server import Answer, home, sites
from tests.hostile import pages


def _page(title: str, paragraphs: list[str]) -> bytes:
    return pages.article_page(pages.ArticleSpec(title=title, paragraphs=paragraphs)).encode()


CASES = {
    # id: (bytes, what the record's title must be, the flag it must carry)
    970001: (
        _page("Ông Út nói về mùa lúa", ["QQMùa này tốtRR, ông Út nói."] * 3)
        .replace(b"QQ", b"\x93")
        .replace(b"RR", b"\x94"),
        "Ông Út nói về mùa lúa",
        "charset_repaired",
    ),
    970002: (
        _page("Rác sau thẻ đóng trang", ["Nội dung bài viết."]) + bytes(range(128, 256)),
        "Rác sau thẻ đóng trang",
        "charset_repaired",
    ),
    970003: (
        _page("Hai byte XX hỏng", ["Nội dung bài viết."]).replace(b"XX", b"\xff\xfe"),
        "Hai byte ÿþ hỏng",
        "charset_repaired",
    ),
    970004: (
        _page("Tham chiếu XX sai", ["Nội dung bài viết."]).replace(b"XX", b"&#xD800;"),
        "Tham chiếu sai",
        "replacement_characters",
    ),
}


def test_pages_with_a_few_bad_bytes_are_archived(tmp_path):
    with sites({}, {}) as (vi, en):
        links = [(f"/bai-byte-hong-a{i}.html", f"Bài {i}") for i in CASES]
        vi.routes.update(home(links))
        for i, (body, _, _) in CASES.items():
            vi.routes[f"/bai-byte-hong-a{i}.html"] = Answer(body=body)
        result = crawl.run(vi.base, en.base, tmp_path / "out", "edition=vi")
    assert result.exit_code in (0, 3), result.log[-3000:]
    assert result.rejected == []
    for i, (_, title, flag) in CASES.items():
        record = result.record(i)
        assert record is not None, i
        assert record["title"] == title
        assert flag in record["quality_issues"], (i, record["quality_issues"])
        assert "\ufffd" not in (record["body_text"] or "")
    assert "Mùa này tốt" in result.record(970001)["body_text"]
    assert "\u201cMùa này tốt\u201d" in result.record(970001)["body_text"]
