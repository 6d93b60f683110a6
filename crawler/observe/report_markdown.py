"""The run report's Markdown (OUTPUT_DIR/reports/<run_id>.md) and its summary lines, rendered from
the report's JSON (crawler/report.py builds it): status and gates first, then each section."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from crawler import gap_report, learning, media, pairs, requested
from crawler.discovery.sources import markdown_lines as discovery_lines
from crawler.guards.requisites import markdown_lines as requisite_cap_lines
from crawler.observe import coverage

MAX_SECTIONS_SHOWN = 40  # Markdown only; the JSON has them all

# Coverage field -> the field name extraction reports its strategy under (extract/<field>/<how>).
STRATEGY_FIELD = {
    "body_text": "body",
    "body_html": "body",
    "published_at": "published_raw",
    "authors": "byline_raw",
    "translators": "byline_raw",
    "source_credit": "byline_raw",
}


STATUS_WORDS = {
    "success": "success",
    "success_with_warnings": "success with warnings",
    "quality_gate_failed": "quality gate failed",
    "crawl_failed": "crawl failed",
    "site_unavailable": "site unavailable",
    "disk_full": "disk full",
    "warc_lost": "WARC file lost",
    "output_unwritable": "output directory not writable",
    "output_locked": "output locked",
    "bad_arguments": "bad arguments",
}


def status_words(status: str) -> str:
    return STATUS_WORDS.get(status, status)


def _pct(x: float | None, digits: int = 1) -> str:
    return "n/a" if x is None else f"{x * 100:.{digits}f}%"


def _level(x: float) -> str:
    return f"{x * 100:g}%"


def gate_sentence(gate: dict[str, Any]) -> str:
    return (
        f"{gate['label']}: {_pct(gate['figure'])} "
        f"(warning below {_level(gate['warn'])}, failure below {_level(gate['fail'])})"
    )


def _num(n: Any) -> str:
    return f"{n:,}" if isinstance(n, int) else str(n)


def _bytes(n: int) -> str:
    for unit in ("B", "KiB", "MiB", "GiB"):
        if n < 1024 or unit == "GiB":
            return f"{n:,.0f} {unit}" if unit == "B" else f"{n:,.1f} {unit}"
        n /= 1024
    return str(n)  # pragma: no cover


def _duration(s: float | None) -> str:
    if s is None:
        return "n/a"
    s = int(round(s))
    h, rem = divmod(s, 3600)
    m, sec = divmod(rem, 60)
    return f"{h}h {m:02d}m {sec:02d}s" if h else (f"{m}m {sec:02d}s" if m else f"{sec}s")


def _signed(n: float | int | None, fmt: str = "{:+,}") -> str:
    return "n/a" if n is None else fmt.format(n)


def summary_lines(report: dict[str, Any]) -> list[str]:
    """The top of the report: status, the gates that did not pass, and the headline counts."""
    lines = [
        f"Run {report['run_id']}: **{status_words(report['status'])}** "
        f"(exit {report.get('exit_code')})"
    ]
    for gate in report.get("gates") or []:
        if gate["result"] == "fail":
            lines.append(f"- FAILED: {gate_sentence(gate)} — {gate['detail']}")
        elif gate["result"] == "warn":
            lines.append(f"- WARNING: {gate_sentence(gate)} — {gate['detail']}")
    if asked := report.get("requested"):
        lines.append(f"- {requested.summary_line(asked)}")
    if gap_figures := report.get("id_gaps"):
        lines.append(f"- {gap_report.summary_line(gap_figures)}")
    seen = report.get("seen") or {}
    per_edition = ", ".join(f"{e} {sum(by.values()):,}" for e, by in sorted(seen.items()))
    written = report.get("records_written") or {}
    lines.append(
        f"- records: {report.get('record_count', 0):,} ({per_edition or 'none'}); written "
        f"{written.get('article', 0):,} articles, {written.get('album', 0):,} albums, "
        f"{written.get('video', 0):,} videos; "
        f"unchanged {(report.get('records') or {}).get('unchanged', 0):,}; "
        f"rejected {(report.get('records') or {}).get('rejected', 0):,}"
    )
    lines.append(
        f"- {report.get('mode')} run of {', '.join(report.get('editions') or []) or '?'}; "
        f"finish reason {report['finish_reason']}; {_duration(report.get('duration_s'))}; "
        f"{report.get('requests', 0):,} requests; {_bytes(report.get('bytes', 0))}; "
        f"{report.get('errors', 0):,} errors"
    )
    comparison = report.get("comparison")
    if comparison:
        rc = comparison["record_count"]
        lines.append(
            f"- vs previous run {comparison['run_id']}: records {_signed(rc['change'])}"
            f" ({rc['previous']:,} → {rc['current']:,}); "
            f"{len(comparison['new_sections'])} new, "
            f"{len(comparison['vanished_sections'])} vanished sections"
        )
    else:
        lines.append("- no previous comparable run to compare with")
    return lines


def summary_text(report: dict[str, Any]) -> str:
    """The summary as plain text, for a terminal (`make demo`, `python -m crawler.report`)."""
    return "\n".join(summary_lines(report)).replace("**", "")


def render_markdown(report: dict[str, Any]) -> str:
    lines = [f"# Run {report['run_id']}: {status_words(report['status'])}", ""]
    lines += summary_lines(report)[1:]
    lines.append("")
    if lost := report.get("warc_lost"):
        lines += [
            "## Lost WARC files",
            "",
            f"Deleted during the run: {', '.join(f'`{f}`' for f in lost['files'])}. "
            f"{len(lost['records'])} record(s) point into them: "
            + (", ".join(f"`{i}`" for i in lost["records"]) or "none"),
            "",
        ]
    if report.get("gates"):
        lines += [
            "## Quality gates",
            "",
            "| gate | figure | warning below | failure below | result | detail |",
            "|---|---:|---:|---:|---|---|",
        ]
        for g in report["gates"]:
            result = {"fail": "**FAILED**", "warn": "**warning**"}.get(g["result"], g["result"])
            lines.append(
                f"| {g['label']} | {_pct(g['figure'])} | {_level(g['warn'])} | "
                f"{_level(g['fail'])} | {result} | {g['detail']} |"
            )
        lines.append("")
    lines += requested.markdown_lines(report.get("requested"))
    lines += requisite_cap_lines(report.get("requisites_capped"))
    lines += media.markdown_lines(report.get("media_left_out"))
    lines += discovery_lines(report.get("discovery"))
    lines += pairs.markdown_lines(report.get("translation_pairs"))
    lines += gap_report.markdown_lines(report.get("id_gaps"))
    lines += learning.markdown_lines(report.get("template"))
    if report.get("chart"):
        lines += [f"![Records per month per edition; field coverage]({report['chart']})", ""]
    lines += _run_section(report)
    lines += _records_section(report)
    lines += _comparison_section(report)
    lines += _coverage_section(report)
    lines += _sections_section(report)
    lines += _months_section(report)
    lines += _normalization_section(report)
    lines += ["## HTTP status", "", "| status | responses |", "|---|---:|"]
    lines += [f"| {k} | {v:,} |" for k, v in (report.get("http_status") or {}).items()]
    lines.append("")
    return "\n".join(lines)


def _run_section(report: dict[str, Any]) -> list[str]:
    pol = report.get("politeness") or {}
    waits = {
        k: v
        for k, v in pol.items()
        if k
        not in (
            "profile",
            "download_delay_s",
            "autothrottle",
            "concurrent_requests_per_domain",
            "robotstxt_obey",
        )
    }
    lines = [
        "## Run",
        "",
        f"- run id `{report['run_id']}`, mode `{report.get('mode')}`, editions "
        f"{', '.join(report.get('editions') or [])}, resumed: {'yes' if report.get('resumed') else 'no'}",
        f"- started {report.get('started_at')}, duration {_duration(report.get('duration_s'))}, "
        f"finish reason `{report['finish_reason']}`",
        f"- {report.get('requests', 0):,} requests, {report.get('responses', 0):,} responses, "
        f"{_bytes(report.get('bytes', 0))} received, {_bytes(report.get('request_bytes', 0))} sent",
        f"- {report.get('errors', 0):,} errors logged ({_pct(report.get('error_share'), 2)} of "
        f"responses), {report.get('retries', 0):,} retries"
        + (
            " (" + ", ".join(f"{k} {v}" for k, v in report["retry_reasons"].items()) + ")"
            if report.get("retry_reasons")
            else ""
        ),
        f"- politeness: profile `{pol.get('profile')}`, download delay "
        f"{pol.get('download_delay_s')} s, AutoThrottle {'on' if pol.get('autothrottle') else 'off'}, "
        f"{pol.get('concurrent_requests_per_domain')} concurrent requests per host, robots.txt "
        f"{'obeyed' if pol.get('robotstxt_obey') else 'ignored'}",
    ]
    if waits:
        lines.append("- politeness waits: " + ", ".join(f"{k} {v}" for k, v in waits.items()))
    return [*lines, ""]


def _records_section(report: dict[str, Any]) -> list[str]:
    seen = report.get("seen") or {}
    kinds = sorted({k for by in seen.values() for k in by})
    lines = [
        "## Records",
        "",
        "Live items this run archived or found unchanged, per edition and type:",
        "",
        "| edition | " + " | ".join(kinds) + " | total |",
        "|---|" + "---:|" * (len(kinds) + 1),
    ]
    for edition, by in sorted(seen.items()):
        cells = " | ".join(f"{by.get(k, 0):,}" for k in kinds)
        lines.append(f"| {edition} | {cells} | {sum(by.values()):,} |")
    total_cells = " | ".join(f"{sum(by.get(k, 0) for by in seen.values()):,}" for k in kinds)
    lines.append(f"| **all** | {total_cells} | {report.get('record_count', 0):,} |")
    records = report.get("records") or {}
    written = report.get("records_written") or {}
    lines += [
        "",
        "Written by this run (new items and new versions): "
        + (
            ", ".join(f"{k} {v:,}" for k, v in written.items() if k in ("article", "album"))
            or "none"
        )
        + " ("
        + (
            ", ".join(f"{k} {v:,}" for k, v in written.items() if k not in ("article", "album"))
            or "none"
        )
        + ")"
        + f"; unchanged since archived {records.get('unchanged', 0):,}; "
        f"rejected by the schema {records.get('rejected', 0):,}; sightings after the record "
        f"(records/sightings/) {records.get('sightings/written', 0):,}.",
        "",
    ]
    return lines


def _comparison_section(report: dict[str, Any]) -> list[str]:
    c = report.get("comparison")
    if not c:
        return [
            "## Compared with the previous comparable run",
            "",
            "No previous comparable run: none with the same mode and editions finished with "
            "success or warnings under this OUTPUT_DIR.",
            "",
        ]
    lines = [
        f"## Compared with the previous comparable run `{c['run_id']}`",
        "",
        f"Previous run: {c.get('started_at')}, status {status_words(c.get('status') or '?')}.",
        "",
        "| figure | this run | previous | change |",
        "|---|---:|---:|---:|",
    ]
    rows = [("records", c["record_count"])] + list(c["records"].items())
    rows += [("requests", c["requests"]), ("bytes", c["bytes"]), ("duration (s)", c["duration_s"])]
    for name, d in rows:
        lines.append(
            f"| {name} | {_num(d['current'])} | {_num(d['previous'])} | {_signed(d['change'])} |"
        )
    moved = {k: d for k, d in c["coverage"].items() if d["change"]}
    if not c["coverage"]:
        lines += ["", "Field coverage not compared: one of the runs wrote too few articles."]
    elif moved:
        lines += ["", "Field coverage of articles that changed:", ""]
        lines += [f"- {k}: {_pct(d['previous'])} → {_pct(d['current'])}" for k, d in moved.items()]
    for title, key in (
        ("New sections", "new_sections"),
        ("Vanished sections", "vanished_sections"),
    ):
        items = c[key]
        lines += ["", f"{title}:" + (" none" if not items else "")]
        lines += [f"- `{s['section']}` {s['name']} ({s['records']:,} records)" for s in items]
    if c["changed_sections"]:
        lines += ["", "Sections whose record count changed (largest first):", ""]
        lines += [
            f"- `{s['section']}` {s['name']}: {s['previous']:,} → {s['current']:,} "
            f"({_signed(s['change'])})"
            for s in c["changed_sections"][:MAX_SECTIONS_SHOWN]
        ]
    return [*lines, ""]


def _coverage_section(report: dict[str, Any]) -> list[str]:
    strategies = report.get("extraction_strategies") or {}
    lines = [
        "## Field coverage",
        "",
        "Share of the records written by this run with the field present — not counting values "
        "that quality_issues marks as a fallback (e.g. `lead_from_meta`), which are listed apart, "
        "and leaving out records that cannot have the field.",
        "",
    ]
    wide = report.get("coverage_crawl_wide")
    if wide:  # Redis mode: the whole crawl first (what the gates judged), then this worker's share
        lines += [f"Whole crawl ({wide['workers']}):", ""]
        # No strategies column: they are counted per worker, in each worker's own stats.
        lines += _coverage_table(wide["coverage"], None) or ["No records written by the crawl."]
        lines += ["", "This worker's share:", ""]
    table = _coverage_table(report.get("coverage") or {}, strategies)
    return [*lines, *(table or ["No records written by this run."]), ""]


def _coverage_table(cov: dict[str, Any], strategies: dict[str, Any] | None) -> list[str]:
    """One row per field, one column per record kind (and the extraction strategies unless
    None); [] when no records were counted."""
    kinds = [k for k in ("article", "album") if k in cov] + [
        k for k in cov if k not in ("article", "album")
    ]
    if not kinds:
        return []
    with_how = strategies is not None
    lines = [
        "| field | "
        + " | ".join(f"{k}s ({cov[k]['records']:,})" for k in kinds)
        + " | fallbacks | left out |"
        + (" extraction strategies |" if with_how else ""),
        "|---|" + "---:|" * len(kinds) + "---:|---:|" + ("---|" if with_how else ""),
    ]
    for name in coverage.FIELDS:
        cells = " | ".join(
            _pct(cov[k]["fields"][name]["share"]) if coverage.applies(k, name) else "—"
            for k in kinds
        )
        fallbacks = sum(cov[k]["fields"][name]["fallback"] for k in kinds)
        exempt = sum(cov[k]["fields"][name].get("exempt", 0) for k in kinds)
        why = f" ({coverage.EXEMPT[name][1]})" if exempt and name in coverage.EXEMPT else ""
        row = f"| {name} | {cells} | {fallbacks:,} | {exempt:,}{why} |"
        if strategies is not None:
            how = sorted(strategies.get(STRATEGY_FIELD.get(name, name), {}).items(), key=_by_count)
            row += " " + ", ".join(f"{s} {n:,}" for s, n in how) + " |"
        lines.append(row)
    return lines


def _by_count(kv: tuple[str, int]) -> int:
    return -kv[1]


def _sections_section(report: dict[str, Any]) -> list[str]:
    sections = report.get("sections") or []
    lines = ["## Sections", ""]
    if not sections:
        return [*lines, "No section listings named records in this run.", ""]
    lines += ["| edition | section | name | records |", "|---|---|---|---:|"]
    shown = sorted(sections, key=lambda s: (-s["records"], s["edition"], s["slug"]))
    for s in shown[:MAX_SECTIONS_SHOWN]:
        lines.append(f"| {s['edition']} | `{s['slug']}` | {s['name']} | {s['records']:,} |")
    if len(sections) > MAX_SECTIONS_SHOWN:
        lines.append(f"| … | {len(sections) - MAX_SECTIONS_SHOWN} more in the JSON report | | |")
    return [*lines, ""]


def _months_section(report: dict[str, Any]) -> list[str]:
    months = report.get("months") or {}
    editions = sorted(months)
    years: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for edition, by in months.items():
        for month, n in by.items():
            years[month[:4] if month[:4].isdigit() else month][edition] += n
    lines = [
        "## Archive by year of publication",
        "",
        "| year | " + " | ".join(editions) + " |",
        "|---|" + "---:|" * len(editions),
    ]
    for year in sorted(years):
        lines.append(f"| {year} | " + " | ".join(f"{years[year][e]:,}" for e in editions) + " |")
    return [*lines, ""]


def _normalization_section(report: dict[str, Any]) -> list[str]:
    lines = ["## Normalization, quality issues and drops", ""]
    for title, key in (
        ("Values changed by normalization", "normalization_changes"),
        ("Quality issues (records may have several)", "quality_issues"),
        ("Dropped, skipped or rejected, by reason", "dropped"),
    ):
        data = report.get(key) or {}
        lines.append(f"{title}:" + (" none" if not data else ""))
        lines += [f"- {k}: {v:,}" for k, v in data.items()]
        lines.append("")
    return lines
