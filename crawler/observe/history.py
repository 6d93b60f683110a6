"""Facts about a run that live in the state store, and the previous comparable run.

The state store outlives a crash, so counts taken from it are right for a resumed run too (the
stats of one process are not). Every function takes the store as an argument and only reads.

The previous comparable run ("baseline") is the newest earlier run with the same signature (same
mode and editions: crawler.spiders.baolongan builds it from the spider arguments) that finished with
`success` or `success_with_warnings` and left a report with the same mode and editions. A failed run
is never the baseline: comparing with a half-finished crawl would hide a real drop, and comparing with
a run that failed its own record-count gate would let the count ratchet down.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)

BASELINE_STATUSES = ("success", "success_with_warnings")
MAX_CANDIDATES = 50  # earlier runs looked at when searching the baseline
UNKNOWN_MONTH = "unknown"


def run_mode(spider: Any, run: Any = None) -> str:
    """What kind of run this is, for baselines and the record-count gate.

    `urls_file`, `ids` or `canary` (limit=N) when the spider arguments narrow the run; otherwise the
    run's own mode (`RunContext.mode`: `full`, or `incremental` for a refresh that stops paging at
    known items), else the spider's `mode`/`incremental` attributes, else `full`.
    """
    if getattr(spider, "urls_file", None):
        return "urls_file"
    if getattr(spider, "id_range", None):
        return "ids"
    if getattr(spider, "limit", None):
        return "canary"
    for mode in (getattr(run, "mode", None), getattr(spider, "mode", None)):
        if isinstance(mode, str) and mode:
            return mode
    if getattr(spider, "incremental", False):
        return "incremental"
    return "full"


def seen_counts(state: Any, run_id: str) -> dict[str, dict[str, int]]:
    """{edition: {type: n}} of live items this run archived or found unchanged."""
    out: dict[str, dict[str, int]] = {}
    for row in state.db.execute(
        "SELECT edition, type, count(*) FROM items WHERE last_run=? AND status='live' "
        "GROUP BY edition, type ORDER BY edition, type",
        (run_id,),
    ):
        out.setdefault(row[0] or "?", {})[row[1] or "?"] = row[2]
    return out


def section_counts(state: Any, run_id: str) -> list[dict[str, Any]]:
    """Per (edition, section): live items this run found listed there. An item in several
    sections counts in each."""
    rows = state.db.execute(
        "SELECT i.edition, s.value, max(s.extra), count(DISTINCT s.id) "
        "FROM sightings s JOIN items i ON i.id = s.id "
        "WHERE s.run_id=? AND s.kind='section' AND i.last_run=? AND i.status='live' "
        "GROUP BY i.edition, s.value ORDER BY i.edition, s.value",
        (run_id, run_id),
    )
    return [{"edition": e, "slug": slug, "name": name, "records": n} for e, slug, name, n in rows]


def archive_months(state: Any) -> dict[str, dict[str, int]]:
    """{edition: {YYYY-MM: n}} of every live item in the archive by month of publication.

    `published_at` is stored with its +07:00 offset, so its first seven characters are the month in
    Asia/Ho_Chi_Minh time. Items without a date count under `unknown`.
    """
    out: dict[str, dict[str, int]] = {}
    for edition, month, n in state.db.execute(
        "SELECT edition, substr(published_at, 1, 7), count(*) FROM items WHERE status='live' "
        "GROUP BY 1, 2 ORDER BY 1, 2"
    ):
        out.setdefault(edition or "?", {})[month or UNKNOWN_MONTH] = n
    return out


def find_baseline(
    state: Any, reports_dir: Path, signature: str, run_id: str, mode: str, editions: list[str]
) -> dict[str, Any] | None:
    """The previous comparable run's report (see the module docstring), or None."""
    for row in state.previous_runs(signature, run_id)[:MAX_CANDIDATES]:
        if row["status"] not in BASELINE_STATUSES:
            continue
        path = reports_dir / f"{row['run_id']}.json"
        try:
            report = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            logger.info("run %s has no readable report; not a baseline", row["run_id"])
            continue
        if report.get("mode") == mode and sorted(report.get("editions") or []) == sorted(editions):
            return report
    return None


def _delta(current: float | int | None, previous: float | int | None) -> dict[str, Any]:
    out: dict[str, Any] = {"current": current, "previous": previous, "change": None, "ratio": None}
    if current is not None and previous is not None:
        out["change"] = round(current - previous, 4)
        if previous:
            out["ratio"] = round(current / previous, 4)
    return out


def _section_key(s: dict[str, Any]) -> str:
    return f"{s['edition']}:{s['slug']}"


def compare(
    current: dict[str, Any], baseline: dict[str, Any], min_articles: int = 1
) -> dict[str, Any]:
    """Deltas between two reports: records (total, per edition and type), sections (new, vanished,
    changed), field coverage of articles, and the run's size and duration.

    Coverage is compared only when both runs wrote at least `min_articles` articles: a refresh that
    rewrote a few changed articles says nothing about the coverage of the whole site.
    """
    per_group: dict[str, Any] = {}
    cur_seen, prev_seen = current.get("seen") or {}, baseline.get("seen") or {}
    for edition in sorted(set(cur_seen) | set(prev_seen)):
        for kind in sorted(set(cur_seen.get(edition, {})) | set(prev_seen.get(edition, {}))):
            per_group[f"{edition}/{kind}"] = _delta(
                cur_seen.get(edition, {}).get(kind, 0), prev_seen.get(edition, {}).get(kind, 0)
            )
    cur_sections = {_section_key(s): s for s in current.get("sections") or []}
    prev_sections = {_section_key(s): s for s in baseline.get("sections") or []}
    changed = [
        {
            "section": key,
            "name": cur_sections[key]["name"],
            **_delta(cur_sections[key]["records"], prev_sections[key]["records"]),
        }
        for key in sorted(set(cur_sections) & set(prev_sections))
        if cur_sections[key]["records"] != prev_sections[key]["records"]
    ]
    changed.sort(key=lambda d: (-abs(d["change"]), d["section"]))
    coverage = {}
    cur_art = (current.get("coverage") or {}).get("article", {})
    prev_art = (baseline.get("coverage") or {}).get("article", {})
    if min(cur_art.get("records", 0), prev_art.get("records", 0)) >= max(min_articles, 1):
        cur_cov, prev_cov = cur_art["fields"], prev_art["fields"]
        for name in cur_cov:
            if name in prev_cov:
                coverage[name] = _delta(cur_cov[name]["share"], prev_cov[name]["share"])
    return {
        "run_id": baseline.get("run_id"),
        "status": baseline.get("status"),
        "started_at": baseline.get("started_at"),
        "record_count": _delta(current.get("record_count"), baseline.get("record_count")),
        "records": per_group,
        "new_sections": [
            {"section": k, "name": cur_sections[k]["name"], "records": cur_sections[k]["records"]}
            for k in sorted(set(cur_sections) - set(prev_sections))
        ],
        "vanished_sections": [
            {"section": k, "name": prev_sections[k]["name"], "records": prev_sections[k]["records"]}
            for k in sorted(set(prev_sections) - set(cur_sections))
        ],
        "changed_sections": changed,
        "coverage": coverage,
        "duration_s": _delta(current.get("duration_s"), baseline.get("duration_s")),
        "requests": _delta(current.get("requests"), baseline.get("requests")),
        "bytes": _delta(current.get("bytes"), baseline.get("bytes")),
    }
