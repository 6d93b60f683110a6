"""The report's `Id gaps` section (crawler/gaps.py says what a gap is).

After a listing crawl: how many gap ids, in how many ranges, counted by the publication year of
their neighbours (the nearest archived articles below and above), every range in the JSON report.
After `-a ids=gaps`: what each gap id turned out to be, from the state store (so a resumed run
counts what its killed predecessor probed): `article` (archived: reachable only by id), `not_found`
(404/410), `redirected` (off the article), `failed` (a network error or another status),
`not_probed` (the run stopped first). Unanswered ids make the run `success_with_warnings`; a run
whose every probe failed is `crawl_failed` (README, Exit statuses).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from crawler import gaps
from crawler.context import UNSET, crawl_context

MAX_SHOWN = gaps.MAX_SHOWN
CHUNK = 1000  # ids classified per state-store query
OUTCOMES = ("article", "not_found", "redirected", "failed", "not_probed")


def _year_key(below: str, above: str) -> str:
    return below if below == above else f"{below}/{above}"


def found_summary(state: Any, run_id: str) -> dict[str, Any]:
    """The gaps a listing run recorded: totals, ids by neighbours' year, every range."""
    by_year: dict[str, dict[str, int]] = {}
    listed = []
    total = 0
    for first, last, below, above in gaps.ranges(state, run_id):
        count = last - first + 1
        total += count
        year = by_year.setdefault(_year_key(below, above), {"ranges": 0, "ids": 0})
        year["ranges"] += 1
        year["ids"] += count
        listed.append(_range(first, last, below=below, above=above))
    return {
        "kind": "found",
        "run_id": run_id,
        "gap_ids": total,
        "ranges_count": len(listed),
        "by_neighbour_year": dict(sorted(by_year.items())),
        "ranges": listed,
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


def probe_summary(state: Any, run_id: str, gap_run: str) -> dict[str, Any]:
    """What the gaps of `gap_run` turned out to be, after the `ids=gaps` run `run_id`."""
    counts = dict.fromkeys(OUTCOMES, 0)
    listed: list[dict[str, Any]] = []
    for first, last, _below, _above in gaps.ranges(state, gap_run):
        for n, outcome in _classify(state, run_id, first, last):
            counts[outcome] += 1
            if listed and listed[-1]["outcome"] == outcome and listed[-1]["last"] == n - 1:
                listed[-1] = _range(listed[-1]["first"], n, outcome=outcome)
            else:
                listed.append(_range(n, n, outcome=outcome))
    return {
        "kind": "probed",
        "gap_run": gap_run,
        "gap_ids": sum(counts.values()),
        "outcomes": counts,
        "found_only_by_probing": [
            f"baolongan:{n}"
            for r in listed
            if r["outcome"] == "article"
            for n in range(r["first"], r["last"] + 1)
        ],
        "ranges": listed,
    }


def summary(crawler: Any, run: Any) -> dict[str, Any] | None:
    """The section's figures for this run (None when it has none); computed once per crawl."""
    context = crawl_context(crawler)
    if context.gaps is not UNSET:
        return context.gaps
    asked = context.asked  # what the spider was asked for (None: no spider said)
    state = getattr(run, "state", None)
    result = None
    if state is not None and asked is not None and asked.id_gaps:
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
            lines.append("")
        # Not-found ranges are the bulk and say nothing new: the JSON report lists them.
        shown = [r for r in figures["ranges"] if r["outcome"] != "not_found"]
        lines += ["| ids | count | outcome |", "|---|---:|---|"]
        lines += [f"| {r['ids']} | {r['count']:,} | {r['outcome']} |" for r in shown[:MAX_SHOWN]]
        if len(shown) > MAX_SHOWN:
            lines.append(f"\n… {len(shown) - MAX_SHOWN:,} more ranges in the JSON report.")
        return [*lines, ""]
    if len(figures["ranges"]) > MAX_SHOWN:
        lines.append(f"\n… {len(figures['ranges']) - MAX_SHOWN:,} more ranges in the JSON report.")
    return [*lines, ""]
