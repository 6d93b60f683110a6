"""Translation pairs in the latest view and the report (crawler/pairs.py)."""

from __future__ import annotations

import json
from pathlib import Path

from crawler.pairs import markdown_lines, pair_summary, translation_index, with_translations


def row(item_id: str, translation_of: str | None = None, body: str = "text") -> bytes:
    rec = {
        "id": item_id,
        "body_text": body,
        "translation_of": translation_of,
        "translations": [],
    }
    return (json.dumps(rec, ensure_ascii=False, separators=(",", ":")) + "\n").encode()


ROWS = [
    row("baolongan:10"),
    row("baolongan:12", "baolongan:10"),
    row("baolongan:13", "baolongan:10"),
    row("baolongan:14", "baolongan:9", body='quoted "translations":[] inside'),
    row("baolongan:15", "baolongan:11"),
]


def test_index_maps_originals_to_their_translations() -> None:
    assert translation_index(ROWS) == {
        "baolongan:10": ["baolongan:12", "baolongan:13"],
        "baolongan:9": ["baolongan:14"],
        "baolongan:11": ["baolongan:15"],
    }


def test_rows_get_their_translations_only() -> None:
    index = translation_index(ROWS)
    filled = json.loads(with_translations(ROWS[0], index))
    assert filled["translations"] == ["baolongan:12", "baolongan:13"]
    assert with_translations(ROWS[1], index) == ROWS[1]  # nothing names it: bytes unchanged
    tricky = row("baolongan:9", body='"translations":[] in a string')
    out = json.loads(with_translations(tricky, index))
    assert out["translations"] == ["baolongan:14"]
    assert out["body_text"] == '"translations":[] in a string'


def test_summary_counts_pairs_and_missing_originals(tmp_path: Path) -> None:
    latest = tmp_path / "latest.jsonl"
    latest.write_bytes(b"".join(ROWS))
    summary = pair_summary(latest)
    assert summary == {
        "pairs": 4,
        "pairs_missing_original": 2,
        "missing_originals": ["baolongan:9", "baolongan:11"],
    }
    text = "\n".join(markdown_lines(summary))
    assert "4 item(s)" in text and "2 of them" in text and "`baolongan:9`" in text
    assert pair_summary(tmp_path / "absent.jsonl") is None
    assert markdown_lines(None) == []
