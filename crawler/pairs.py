"""Translation pairs (docs/contract.md, `translation_of` / `translations`): an article whose closing
`Source:` line links a portal article names the original it translates.

The `latest` view adds the reverse, `translations` (the ids naming a row), and the run report counts
pairs and pairs whose other half (the named original) is missing from the archive. Both read the
JSON Lines rows as written; only rows that name an original are parsed, so a pass over 200,000 rows
costs a substring test each.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

__all__ = ["pair_summary", "translation_index", "with_translations"]

_NAMES = b'"translation_of":"'
_EMPTY = b'"translations":[]'
_ID_RE = re.compile(rb'"id":"([^"]+)"')
MISSING_LISTED = 50  # ids named in the report; the count covers all


def _named(line: bytes) -> str | None:
    if _NAMES not in line:
        return None
    return json.loads(line).get("translation_of")


def translation_index(lines: Iterable[bytes]) -> dict[str, list[str]]:
    """{original id: ids of the rows naming it}, each list in row order."""
    out: dict[str, list[str]] = {}
    for line in lines:
        target = _named(line)
        if target is not None:
            m = _ID_RE.search(line)
            if m is not None:
                out.setdefault(target, []).append(m.group(1).decode())
    return out


def with_translations(line: bytes, index: dict[str, list[str]]) -> bytes:
    """The row with its `translations` filled from `index` (unchanged when nothing names it).
    Only the key's own `"translations":[]` is replaced: inside a JSON string the quotes would be
    escaped, so the unescaped form can only be the key."""
    m = _ID_RE.search(line)
    ids = index.get(m.group(1).decode()) if m else None
    if not ids or _EMPTY not in line:
        return line
    filled = b'"translations":' + json.dumps(sorted(ids), separators=(",", ":")).encode()
    at = line.rfind(_EMPTY)
    return line[:at] + filled + line[at + len(_EMPTY) :]


def pair_summary(latest: Path | None) -> dict[str, Any] | None:
    """Pairs in a latest view file: how many rows name an original, and which named originals
    are not rows of the archive (gone, never reached, or not an item of it)."""
    if latest is None or not latest.is_file():
        return None
    ids: set[str] = set()
    named: dict[str, str] = {}
    with open(latest, "rb") as fh:
        for line in fh:
            m = _ID_RE.search(line)
            if m is None:
                continue
            ids.add(m.group(1).decode())
            target = _named(line)
            if target is not None:
                named[m.group(1).decode()] = target
    missing = sorted({t for t in named.values() if t not in ids}, key=_id_order)
    return {
        "pairs": len(named),
        "pairs_missing_original": sum(1 for t in named.values() if t not in ids),
        "missing_originals": missing[:MISSING_LISTED],
    }


def _id_order(item_id: str) -> tuple[int, str]:
    tail = item_id.rsplit(":", 1)[-1]
    return (int(tail) if tail.isdigit() else 0, item_id)


def markdown_lines(summary: dict[str, Any] | None) -> list[str]:
    """The report's "Translation pairs" section (nothing when the run wrote no latest view)."""
    if not summary:
        return []
    lines = [
        "## Translation pairs",
        "",
        f"{summary['pairs']:,} item(s) name the portal article they translate; "
        f"{summary['pairs_missing_original']:,} of them name one missing from the archive.",
    ]
    if summary["missing_originals"]:
        shown = ", ".join(f"`{i}`" for i in summary["missing_originals"])
        lines.append(f"Missing originals (first {MISSING_LISTED}): {shown}")
    return [*lines, ""]
