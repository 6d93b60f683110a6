"""Issue 15 items 8 and 10: `ids=` without bounds and odd `urls_file`s, with real crawl processes.

- ids beyond any article id (or the 64-bit range) and ranges wider than IDS_MAX_SPAN: one line,
  exit 2 (bad arguments), no traceback, nothing requested;
- urls_file: a UTF-8 BOM is accepted; a file with a latin-1 byte is refused with its line number
  and exit 2; a 10,000-character URL and a 20 MB one-line file are counted skips
  (`skipped/urls_file/too_long`), never logged whole.
"""

from __future__ import annotations

import pytest

from crawler.urls_file import lines
from tests.adversarial import crawl
from tests.adversarial.server import article, home, sites

BAD_ARGUMENTS = 2


@pytest.mark.parametrize(
    ("ids", "says"),
    [
        ("1-99999999", "IDS_MAX_SPAN"),
        ("1-99999999999999999999999", "article ids up to"),
        ("18446744073709551616-18446744073709551617", "article ids up to"),
    ],
)
def test_ids_that_cannot_be_article_ids_exit_2(tmp_path, ids, says):
    with sites({}, {}) as (vi, en):
        result = crawl.run(vi.base, en.base, tmp_path / "out", f"ids={ids}", timeout=120)
        assert vi.paths() == []
    assert result.exit_code == BAD_ARGUMENTS, result.log[-2000:]
    errors = [line for line in result.log.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "ids" in errors[0] and says in errors[0], result.log[-2000:]
    assert "Traceback" not in result.log and "OverflowError" not in result.log


def _portal(vi) -> None:
    vi.routes.update(home([]))
    vi.routes["/bai-mot-a980001.html"] = article("Bài một")
    vi.routes["/bai-hai-a980002.html"] = article("Bài hai")


def test_a_urls_file_with_a_bom(tmp_path):
    with sites({}, {}) as (vi, en):
        _portal(vi)
        listed = tmp_path / "urls.txt"
        listed.write_bytes(
            b"\xef\xbb\xbfhttps://baolongan.vn/bai-mot-a980001.html\r\n"
            b"https://baolongan.vn/bai-hai-a980002.html\n"
        )
        result = crawl.run(vi.base, en.base, tmp_path / "out", f"urls_file={listed}")
    assert result.exit_code in (0, 3), result.log[-2000:]
    assert result.record(980001) is not None and result.record(980002) is not None
    assert "skipped/urls_file/not_an_article" not in result.stats


def test_an_undecodable_urls_file_exits_2_naming_the_line(tmp_path):
    with sites({}, {}) as (vi, en):
        _portal(vi)
        listed = tmp_path / "urls.txt"
        listed.write_bytes(
            b"https://baolongan.vn/bai-mot-a980001.html\n# ghi ch\xfa\n"
            b"https://baolongan.vn/bai-hai-a980002.html\n"
        )
        result = crawl.run(vi.base, en.base, tmp_path / "out", f"urls_file={listed}")
        assert vi.paths() == []
    assert result.exit_code == BAD_ARGUMENTS, result.log[-2000:]
    errors = [line for line in result.log.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "line 2" in errors[0], result.log[-2000:]
    assert "Traceback" not in result.log


def test_over_long_urls_are_counted_skips_and_never_logged_whole(tmp_path):
    with sites({}, {}) as (vi, en):
        _portal(vi)
        listed = tmp_path / "urls.txt"
        long_url = "https://baolongan.vn/" + "x" * 10_000 + "-a980003.html"
        with open(listed, "w", encoding="utf-8") as fh:
            fh.write("https://baolongan.vn/bai-mot-a980001.html\n")
            fh.write(long_url + "\n")
            fh.write("https://baolongan.vn/bai-hai-a980002.html\n")
            fh.write("https://baolongan.vn/" + "y" * 20_000_000)  # one 20 MB line, no newline
        result = crawl.run(vi.base, en.base, tmp_path / "out", f"urls_file={listed}")
    assert result.exit_code in (0, 3), result.log[-2000:]
    assert result.stats.get("skipped/urls_file/too_long") == 2, result.stats
    assert result.report["skipped"].get("urls_file/too_long") == 2
    assert result.record(980001) is not None and result.record(980002) is not None
    assert "x" * 2_001 not in result.log and len(result.log) < 1_000_000


def test_lines_are_streamed(tmp_path):
    path = tmp_path / "urls.txt"
    path.write_bytes(b"\xef\xbb\xbfa\n" + b"b" * 200_000 + b"\nc\xff\r\nd")
    got = [(x.number, x.text, x.length, x.undecodable) for x in lines(path)]
    assert got == [
        (1, "a", 1, False),
        (2, None, 200_000, False),
        (3, None, 2, True),
        (4, "d", 1, False),
    ]
