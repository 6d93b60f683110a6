"""Issue 17 point 8: the report leaves out the fields a record type cannot have."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import defaultdict
from pathlib import Path

from crawler.observe import coverage
from tests.commands.conftest import replica_settings, scrapy
from tests.support import latest_report

SVG = "{http://www.w3.org/2000/svg}"
# What albums never have (crawler/pages/album.py): no kicker, no body, a translator note for byline.
NOT_FOR_ALBUMS = {"kicker", "body_text", "body_html", "links", "authors", "source_credit"}


def test_albums_are_shown_only_for_their_fields(small_replica, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = scrapy("crawl", "baolongan", *replica_settings(small_replica, out))
    assert result.returncode in (0, 3), result.stderr[-3000:]
    report = latest_report(out)
    assert report["coverage"]["album"]["records"] > 0, "the replica served no album"

    # Picture: each coverage row is the field's label and, on the same line, "albums N%".
    svg = ET.fromstring((out / "reports" / report["chart"]).read_text(encoding="utf-8"))
    rows: dict[str, list[str]] = defaultdict(list)
    for text in svg.iter(f"{SVG}text"):
        rows[text.get("y")].append(text.text or "")
    album_labels = {
        field: next((t for t in texts if t.startswith("albums ")), None)
        for texts in rows.values()
        for field in texts
        if field in coverage.FIELDS
    }
    assert set(album_labels) == set(coverage.FIELDS)
    for field, label in album_labels.items():
        if field in NOT_FOR_ALBUMS:
            assert label is None, f"{field}: {label}"
        else:
            assert label is not None, field
    assert album_labels["images"] != "albums 0%"

    # The Markdown table says "—" where albums cannot have the field, a share elsewhere.
    md = (out / "reports" / f"{report['run_id']}.md").read_text(encoding="utf-8")
    table = md.split("## Field coverage", 1)[1]
    for field in coverage.FIELDS:
        album_cell = next(
            line for line in table.splitlines() if line.startswith(f"| {field} |")
        ).split(" | ")[2]
        assert (album_cell == "—") == (field in NOT_FOR_ALBUMS), (field, album_cell)
