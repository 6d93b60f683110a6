"""The report's `Id gaps` section (crawler/gaps.py says what a gap is).

After a listing crawl: how many gap ids, in how many ranges, counted by the publication year of
their neighbours (the nearest archived articles below and above), and the ranges themselves.
After `-a ids=gaps`: what each gap id turned out to be, from the state store (so a resumed run
counts what its killed predecessor probed): `article` (archived: reachable only by id), `not_found`
(404/410), `redirected` (off the article), `failed` (a network error or another status),
`not_probed` (the run stopped first). Unanswered ids make the run `success_with_warnings`; a run
whose every probe failed is `crawl_failed` (README, Exit statuses).

Every range goes to `reports/<run_id>.gaps.jsonl`, one JSON object a line, streamed from the state
store; the JSON report holds the totals, the first JSON_RANGES ranges and the first JSON_FOUND ids
found only by probing (their count in full). Holding every range as a
dict cost ~28 MB at the 49,349 ranges of a 50,000-article crawl, the end of the run's peak RSS,
and it grows with the archive (tests/benchmarks/RESULTS.md).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from crawler import gaps
from crawler.context import UNSET, crawl_context
from crawler.distributed import connect as distributed

logger = logging.getLogger(__name__)

MAX_SHOWN = gaps.MAX_SHOWN
JSON_RANGES = 1000  # ranges in the JSON report itself; all of them in the .gaps.jsonl file
JSON_FOUND = 1000  # ids found only by probing named in the JSON report; all in the .gaps.jsonl file
CHUNK = 1000  # ids classified per state-store query
OUTCOMES = ("article", "not_found", "redirected", "failed", "not_probed")


def _year_key(below: str, above: str) -> str:
    return below if below == above else f"{below}/{above}"


def found_ranges(state: Any, run_id: str) -> Iterator[dict[str, Any]]:
    """Every gap range a listing run recorded, ascending, streamed from the state store."""
    for first, last, below, above in gaps.ranges(state, run_id):
        yield _range(first, last, below=below, above=above)


def found_summary(state: Any, run_id: str) -> dict[str, Any]:
    """The gaps a listing run recorded: totals, ids by neighbours' year, the first ranges."""
    by_year: dict[str, dict[str, int]] = {}
    listed: list[dict[str, Any]] = []
    total = ranges_count = 0
    for r in found_ranges(state, run_id):
        total += r["count"]
        ranges_count += 1
        year = by_year.setdefault(_year_key(r["below"], r["above"]), {"ranges": 0, "ids": 0})
        year["ranges"] += 1
        year["ids"] += r["count"]
        if len(listed) < JSON_RANGES:
            listed.append(r)
    return {
        "kind": "found",
        "run_id": run_id,
        "gap_ids": total,
        "ranges_count": ranges_count,
        "by_neighbour_year": dict(sorted(by_year.items())),
        "ranges": listed,
        "ranges_file": None,  # set by write_ranges
    }


def _range(first: int, last: int, **extra: Any) -> dict[str, Any]:
    ids = str(first) if first == last else f"{first}-{last}"
    return {"ids": ids, "first": first, "last": last, "count": last - first + 1, **extra}


def _classify(state: Any, run_id: str, first: int, last: int) -> Iterator[tuple[int, str]]:
    misses = state.misses(run_id)
    for start in range(first, last + 1, CHUNK):
        end = min(start + CHUNK - 1, last)
        probes = state.probes_between(start, end)
        archived = state.known_ids(f"baolongan:{n}" for n in range(start, end + 1))
        for n in range(start, end + 1):
            status, item_id = probes.get(n), f"baolongan:{n}"
            if item_id in archived:
                yield n, "article"
            elif misses.get(item_id, "").startswith("redirected"):
                yield n, "redirected"
            elif status in (404, 410):
                yield n, "not_found"
            elif status is None:
                yield n, "not_probed"
            else:
                yield n, "failed"


def probed_ranges(state: Any, run_id: str, gap_run: str) -> Iterator[dict[str, Any]]:
    """What the gaps of `gap_run` turned out to be after the `ids=gaps` run `run_id`: runs of
    consecutive ids with one outcome, ascending, streamed."""
    current: dict[str, Any] | None = None
    for first, last, _below, _above in gaps.ranges(state, gap_run):
        for n, outcome in _classify(state, run_id, first, last):
            if current and current["outcome"] == outcome and current["last"] == n - 1:
                current = _range(current["first"], n, outcome=outcome)
            else:
                if current:
                    yield current
                current = _range(n, n, outcome=outcome)
    if current:
        yield current


def probe_summary(state: Any, run_id: str, gap_run: str) -> dict[str, Any]:
    """What the gaps of `gap_run` turned out to be, after the `ids=gaps` run `run_id`."""
    counts = dict.fromkeys(OUTCOMES, 0)
    listed: list[dict[str, Any]] = []
    found: list[str] = []
    # Not-found ranges are the bulk and say nothing new: the Markdown report shows the others.
    notable: list[dict[str, Any]] = []
    ranges_count = notable_count = found_count = 0
    for r in probed_ranges(state, run_id, gap_run):
        counts[r["outcome"]] += r["count"]
        ranges_count += 1
        if r["outcome"] == "article":
            found_count += r["count"]
            room = JSON_FOUND - len(found)
            found += [
                f"baolongan:{n}" for n in range(r["first"], r["first"] + min(room, r["count"]))
            ]
        if len(listed) < JSON_RANGES:
            listed.append(r)
        if r["outcome"] != "not_found":
            notable_count += 1
            if len(notable) < MAX_SHOWN:
                notable.append(r)
    return {
        "kind": "probed",
        "gap_run": gap_run,
        "gap_ids": sum(counts.values()),
        "outcomes": counts,
        "found_only_by_probing": found,  # the first JSON_FOUND; all: outcome "article" ranges
        "found_only_by_probing_count": found_count,
        "ranges_count": ranges_count,
        "ranges": listed,
        "ranges_file": None,  # set by write_ranges
        "notable_ranges": notable,
        "notable_ranges_count": notable_count,
    }


def write_ranges(state: Any, run_id: str, figures: dict[str, Any] | None, path: Path) -> None:
    """Every range of the figures' run to `path` (JSON Lines), streamed from the state store,
    and its name into the figures."""
    if not figures:
        return
    if figures["kind"] == "found":
        rows = found_ranges(state, figures["run_id"])
    else:
        rows = probed_ranges(state, run_id, figures["gap_run"])
    with open(path, "w", encoding="utf-8") as fh:
        for r in rows:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    figures["ranges_file"] = path.name


def summary(crawler: Any, run: Any) -> dict[str, Any] | None:
    """The section's figures for this run (None when it has none); computed once per crawl."""
    context = crawl_context(crawler)
    if context.gaps is not UNSET:
        return context.gaps
    asked = context.asked  # what the spider was asked for (None: no spider said)
    state = getattr(run, "state", None)
    result = None
    if distributed.enabled(crawler.settings):
        # A Redis-mode worker's state store holds only its share of the archive: the others'
        # articles would all look like gaps (docs/operating.md, Limits).
        if gaps.applies(asked):
            logger.info("id gaps: not computed in Redis mode (each worker holds only its share)")
    elif state is not None and asked is not None and asked.id_gaps:
        result = probe_summary(state, run.run_id, asked.id_gaps)
    elif state is not None and gaps.applies(asked):
        gaps.record_gaps(state, run.run_id)
        result = found_summary(state, run.run_id)
    context.gaps = result
    return result


def status_of(figures: dict[str, Any] | None) -> str:
    """An `ids=gaps` run: warnings while gap ids stay unanswered, failed when none answered."""
    if not figures or figures["kind"] != "probed" or not figures["gap_ids"]:
        return "success"
    outcomes = figures["outcomes"]
    unanswered = outcomes["failed"] + outcomes["not_probed"]
    if unanswered == figures["gap_ids"]:
        return "crawl_failed"
    return "success_with_warnings" if unanswered else "success"


def summary_line(figures: dict[str, Any]) -> str:
    if figures["kind"] == "found":
        return (
            f"id gaps: {figures['gap_ids']:,} article ids in {figures['ranges_count']:,} ranges "
            "named by no listing or link and not in the archive"
        )
    o = figures["outcomes"]
    return (
        f"id gaps probed: {figures['gap_ids']:,} ids; {o['article']:,} found only by probing, "
        f"{o['not_found']:,} not found, {o['redirected']:,} redirected, {o['failed']:,} failed, "
        f"{o['not_probed']:,} not probed"
    )


def markdown_lines(figures: dict[str, Any] | None) -> list[str]:
    """The `Id gaps` section (nothing for runs without gaps figures)."""
    if not figures:
        return []
    lines = ["## Id gaps", "", summary_line(figures) + ".", ""]
    if figures["kind"] == "found":
        if figures["gap_ids"]:
            lines += ["Probe them with `scrapy crawl baolongan -a ids=gaps`.", ""]
        lines += ["| neighbours' year | ranges | ids |", "|---|---:|---:|"]
        lines += [
            f"| {year} | {v['ranges']:,} | {v['ids']:,} |"
            for year, v in figures["by_neighbour_year"].items()
        ]
        lines += ["", "| ids | count | year below | year above |", "|---|---:|---|---|"]
        lines += [
            f"| {r['ids']} | {r['count']:,} | {r['below']} | {r['above']} |"
            for r in figures["ranges"][:MAX_SHOWN]
        ]
    else:
        found = figures["found_only_by_probing"]
        if found:
            lines += ["Found only by probing: " + ", ".join(f"`{i}`" for i in found[:MAX_SHOWN])]
            more_found = figures.get("found_only_by_probing_count", len(found)) - MAX_SHOWN
            if more_found > 0:
                lines[-1] += f" … and {more_found:,} more (outcome `article` in {_where(figures)})"
            lines.append("")
        shown = figures["notable_ranges"]
        lines += ["| ids | count | outcome |", "|---|---:|---|"]
        lines += [f"| {r['ids']} | {r['count']:,} | {r['outcome']} |" for r in shown]
        more = figures["notable_ranges_count"] - len(shown)
        not_found = figures["ranges_count"] - figures["notable_ranges_count"]
        where = _where(figures)
        if more > 0:
            lines.append(f"\n… {more:,} more ranges in {where}.")
        if not_found:
            lines.append(f"\n{not_found:,} ranges of not-found ids are listed in {where}.")
        return [*lines, ""]
    more = figures["ranges_count"] - min(len(figures["ranges"]), MAX_SHOWN)
    if more > 0:
        lines.append(f"\n… {more:,} more ranges in {_where(figures)}.")
    return [*lines, ""]


def _where(figures: dict[str, Any]) -> str:
    name = figures.get("ranges_file")
    return f"`{name}`" if name else "the JSON report"
