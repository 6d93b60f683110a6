"""`scrapy status [OUTPUT_DIR]`: where an archive stands (crawler/observe/standing.py).

    .venv/bin/scrapy status /srv/baolongan/archive            for people
    .venv/bin/scrapy status /srv/baolongan/archive --json     every figure, for machines
    .venv/bin/scrapy status /srv/baolongan/archive --check    one word: running, stalled, first
                                                              or idle (deploy/daily-refresh.sh)

Reads only: safe beside a running crawl, whose lock and state store it never takes.
"""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

from crawler.observe import standing as standing_mod
from crawler.observe.progress import fmt_duration


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = False
    default_settings = {"LOG_ENABLED": False}

    def syntax(self) -> str:
        return "[OUTPUT_DIR] [--json | --check] [--stall-minutes N]"

    def short_desc(self) -> str:
        return "Print where OUTPUT_DIR stands: runs, records, pending work, a running crawl's ETA"

    def add_options(self, parser) -> None:
        super().add_options(parser)
        parser.add_argument("--json", action="store_true", help="every figure as JSON")
        parser.add_argument(
            "--check", action="store_true", help="one word: running, stalled, first or idle"
        )
        parser.add_argument(
            "--stall-minutes",
            type=float,
            default=120.0,
            help="a running crawl with no response for this long is stalled (default 120)",
        )

    def run(self, args, opts) -> None:
        assert self.settings is not None
        if len(args) > 1:
            raise UsageError("give at most one OUTPUT_DIR")
        folder = Path(args[0] if args else self.settings.get("OUTPUT_DIR") or "output").resolve()
        if not folder.is_dir():
            raise UsageError(f"{folder} is not a folder")
        found = standing_mod.gather(folder, timedelta(minutes=opts.stall_minutes))
        if opts.check:
            print(found["check"])
        elif opts.json:
            print(json.dumps(found, ensure_ascii=False, indent=2, default=str))
        else:
            print("\n".join(render(found)))


def render(found: dict[str, Any]) -> list[str]:
    lines = [f"{found['output_dir']}: {_headline(found)}"]
    if found["running"]:
        lines += _running_lines(found.get("progress") or {}, found.get("silent_s"))
    state = found.get("state")
    runs = (state or {}).get("runs") or found["reports"]
    counts: dict[str, int] = {}
    for r in runs:
        key = r.get("status") or "unfinished"
        counts[key] = counts.get(key, 0) + 1
    lines.append(
        f"runs: {len(runs)}"
        + (f" ({', '.join(f'{k} {v}' for k, v in sorted(counts.items()))})" if runs else "")
        + ("" if state else " (from the reports; the state store is in use or absent)")
    )
    for r in runs[-5:]:
        lines.append(
            f"  {r['run_id']}  {r.get('mode') or '?':<11} {r.get('status') or 'unfinished':<22}"
            f" started {r.get('started_at') or '?'}, finished {r.get('finished_at') or '-'}"
            + (f", {r['pending_records']:,} records pending" if r.get("pending_records") else "")
        )
    if state:
        items = state["items"]
        live = sum(n for k, n in items.items() if k.endswith("/live"))
        per = ", ".join(f"{k} {n:,}" for k, n in sorted(items.items()))
        lines.append(
            f"records: {live:,} live items ({per or 'none'}); "
            f"{state['versions_written']:,} versions written"
        )
        pending = sum(r.get("pending_records") or 0 for r in state["runs"])
        unfinished = [r["run_id"] for r in state["runs"] if not r.get("finished_at")]
        lines.append(
            f"pending: {pending:,} staged records; unfinished runs: "
            f"{', '.join(unfinished) or 'none'} (the same command resumes them)"
        )
        if frontier := state.get("frontier"):
            kinds = ", ".join(f"{k} {n:,}" for k, n in sorted(frontier.items()))
            lines.append(f"frontier: {sum(frontier.values()):,} requests to resume ({kinds})")
    best = standing_mod.last_success(found)
    lines.append(
        f"last success: {best['run_id']} ({best['status']}), finished {best['finished_at']}"
        if best
        else "last success: none yet"
    )
    return lines


def _headline(found: dict[str, Any]) -> str:
    return {
        "running": "a crawl is running",
        "stalled": "a crawl holds the folder but has made NO PROGRESS",
        "first": "no crawl running; no full crawl finished yet (the next crawl is the first)",
        "idle": "no crawl running; the next crawl is a refresh",
    }[found["check"]]


def _running_lines(p: dict[str, Any], silent_s: int | None) -> list[str]:
    if not p:
        return ["  (no progress.json yet)"]
    if p.get("eta_s") is not None:
        eta = f"ETA {fmt_duration(p['eta_s'])} (at {p.get('eta_at')})"
    elif p.get("eta_at_least_s") is not None:
        eta = f"ETA >= {fmt_duration(p['eta_at_least_s'])} ({p.get('why_unknown')})"
    else:
        eta = f"ETA unknown ({p.get('why_unknown') or '?'})"
    left = [
        f"{name} {p[key]:,} left"
        for name, key in (("listings", "listings_left"), ("ids", "ids_left"))
        if p.get(key)
    ]
    return [
        f"  run {p.get('run_id')} (pid {p.get('pid')}, {p.get('mode')}), "
        f"started {p.get('started_at')}, phase {p.get('phase')}",
        f"  {p.get('pages', 0):,} pages at {p.get('pages_per_min', 0):,.0f}/min, "
        f"{p.get('records', 0):,} records, {p.get('written', 0):,} written, "
        f"queue {p.get('queue') if p.get('queue') is not None else '?'}"
        + (f", {', '.join(left)}" if left else ""),
        f"  {eta}",
        f"  last response {fmt_duration(silent_s)} ago; figures of {p.get('updated_at')}",
    ]
