"""The spider's arguments: the checks that refuse a bad one (BadArgumentError, exit 2) before a
run opens."""

from __future__ import annotations

import inspect
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from crawler import urls_file as urls_file_lines
from crawler.errors import BadArgumentError

# Article ids are a CMS sequence (~200,000 in 2025); anything past this cannot be one, and SQLite
# (the state store) overflows above 2**63 - 1.
MAX_ARTICLE_ID = 999_999_999


def parse_ids(value: str) -> tuple[int, int]:
    try:
        start, end = (int(x) for x in value.split("-", 1))
    except ValueError:
        raise BadArgumentError(
            "ids", value, "START-END with integers, e.g. ids=5900-6100, or gaps"
        ) from None
    if start < 1 or end < start:
        raise BadArgumentError("ids", value, "START-END with 1 <= START <= END")
    if end > MAX_ARTICLE_ID:
        raise BadArgumentError("ids", value, f"article ids up to {MAX_ARTICLE_ID:,}")
    return start, end


def check_ids_span(id_range: tuple[int, int] | None, max_span: int) -> None:
    """A range wider than IDS_MAX_SPAN is refused (each id is one request)."""
    if id_range is not None and id_range[1] - id_range[0] + 1 > max_span:
        value = f"{id_range[0]}-{id_range[1]}"
        raise BadArgumentError("ids", value, f"at most {max_span:,} ids (IDS_MAX_SPAN)")


def check_urls_file(path: str) -> None:
    """An undecodable urls file is refused before the run opens, naming the lines."""
    bad = urls_file_lines.undecodable_lines(Path(path))
    if bad:
        where = urls_file_lines.describe(bad)
        raise BadArgumentError("urls_file", path, f"a UTF-8 text file (not UTF-8: line {where})")


class SpiderArguments:
    """check_arguments for a spider class: its own __init__ names the arguments it knows."""

    @classmethod
    def check_arguments(cls, arguments: Mapping[str, Any]) -> None:
        """Unknown or conflicting arguments: BadArgumentError naming them. Also called by the
        crawl command before anything is built: a typo (`editon=en`) would otherwise land in
        **kwargs and silently start a full crawl of both editions."""
        known = [
            p.name
            for p in inspect.signature(cls.__init__).parameters.values()
            if p.kind is p.POSITIONAL_OR_KEYWORD and p.name != "self"
        ]
        for name, value in arguments.items():
            # Underscored names come from scrapyd (`_job`), not from a person.
            if name not in known and not name.startswith("_"):
                raise BadArgumentError(
                    name, value, f"one of the spider's arguments: {', '.join(sorted(known))}"
                )
        edition = arguments.get("edition")
        if arguments.get("urls_file") is not None and edition not in (None, "", "both"):
            raise BadArgumentError(
                "edition", edition, "no edition with urls_file (the listed URLs name their hosts)"
            )
