"""The run report (OUTPUT_DIR/reports/<run_id>.json, .md and .svg) and the run's exit status.

Scrapyd and cron hide or lose a process's logs; the report is where a run says what it fetched,
skipped and why, and whether it succeeded. The JSON is for machines (every figure of the Markdown is
in it), the Markdown for people (status and quality gates first, with their figures), the SVG for a
glance (records per month per edition, field coverage).

Figures come from the crawl's stats, except where a crashed-and-resumed run would get them wrong:
counts of records seen, sections and months come from the state store (crawler.observe.history),
and a resumed run recounts field coverage from its own record files (crawler.observe.coverage).

`python -m crawler.report OUTPUT_DIR` prints the summary of the newest report there.
"""

from __future__ import annotations

import json
import logging
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

from crawler import gap_report, learning, pairs, requested
from crawler.guards.common import PAGES_DOWN, site_down
from crawler.guards.requisites import markdown_lines as requisite_cap_lines
from crawler.guards.requisites import summary as requisite_cap_summary
from crawler.observe import chart, coverage, gates, history
from crawler.status import EXIT_CODES, worst

logger = logging.getLogger(__name__)

MAX_ERROR_SHARE = 0.05  # more logged errors than this share of responses fails the run
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


def _group(stats: dict[str, Any], prefix: str) -> dict[str, Any]:
    return {k[len(prefix) :]: v for k, v in sorted(stats.items()) if k.startswith(prefix)}


def summarize(stats: dict[str, Any]) -> dict[str, Any]:
    """Everything the report shows that the crawl's stats alone tell."""
    strategies: dict[str, dict[str, int]] = defaultdict(dict)
    for key, n in _group(stats, "extract/").items():
        field, _, strategy = key.partition("/")
        strategies[field][strategy] = n
    responses = stats.get("downloader/response_count", 0)
    errors = stats.get("log_count/ERROR", 0)
    dropped = {
        **{f"skipped/{k}": v for k, v in _group(stats, "skipped/").items()},
        **{f"dropped/{k}": v for k, v in _group(stats, "item_dropped_reasons_count/").items()},
    }
    if stats.get("records/rejected"):
        dropped["rejected by the schema (stream rejected)"] = stats["records/rejected"]
    if stats.get("listings/failed"):
        dropped["listings/failed"] = stats["listings/failed"]
    return {
        "records_written": _group(stats, "records/written/"),
        "records": _group(stats, "records/"),
        "listings": _group(stats, "listings/"),
        "skipped": _group(stats, "skipped/"),
        "dropped": dropped,
        "quality_issues": _group(stats, "quality/"),
        "normalization_changes": _group(stats, "normalize/"),
        "extraction_strategies": dict(strategies),
        "http_status": _group(stats, "downloader/response_status_count/"),
        "requests": stats.get("downloader/request_count", 0),
        "responses": responses,
        "bytes": stats.get("downloader/response_bytes", 0),
        "request_bytes": stats.get("downloader/request_bytes", 0),
        "retries": stats.get("retry/count", 0),
        "retry_reasons": _group(stats, "retry/reason_count/"),
        "errors": errors,
        "error_share": round(errors / responses, 4) if responses else (1.0 if errors else 0.0),
        "ids": _group(stats, "ids/"),
        "requisites_capped": requisite_cap_summary(stats),
        "template": stats.get("template/summary") or {},
    }


# --- what the run produced (cached: decide_status and write_report both need it) ---------------


def _run_stats(crawler: Any, run: Any) -> dict[str, Any]:
    """The crawl's stats; for a resumed run, written and coverage counts recounted from its files
    (the crashed process's counters are gone)."""
    stats = dict(crawler.stats.get_stats())
    if run is not None and getattr(run, "resumed", False):
        folder = run.output_dir / "records" / "articles" / run.run_id
        stats = {
            k: v
            for k, v in stats.items()
            if not k.startswith((coverage.PREFIX, "records/written/"))
        }
        stats.update(coverage.recount(sorted(folder.glob("*.jsonl"))))
    return stats


def observe(crawler: Any, run: Any = None) -> dict[str, Any]:
    """Facts of the run beyond the stats: mode, coverage, counts from the state store, baseline."""
    cached = getattr(crawler, "baolongan_observed", None)
    if cached is not None:
        return cached
    if run is None:
        run = getattr(crawler, "baolongan_run", None)
    spider = getattr(crawler, "spider", None)
    stats = _run_stats(crawler, run)
    facts: dict[str, Any] = {
        "stats": stats,
        "mode": history.run_mode(spider, run),
        "editions": list(getattr(spider, "editions_wanted", []) or []),
        "coverage": coverage.from_stats(stats),
        "seen": {},
        "sections": [],
        "months": {},
        "baseline": None,
    }
    written = sum(
        v for k, v in _group(stats, "records/written/").items() if k in ("article", "album")
    )
    facts["record_count"] = written + stats.get("records/unchanged", 0)
    state = getattr(run, "state", None)
    if state is not None:
        try:
            facts["seen"] = history.seen_counts(state, run.run_id)
            facts["record_count"] = sum(n for by in facts["seen"].values() for n in by.values())
            facts["sections"] = history.section_counts(state, run.run_id)
            facts["months"] = history.archive_months(state)
            facts["baseline"] = history.find_baseline(
                state,
                run.output_dir / "reports",
                run.signature,
                run.run_id,
                facts["mode"],
                facts["editions"],
            )
        except Exception:  # a report with fewer figures beats no report at all
            logger.exception("could not read the run's counts from the state store")
    crawler.baolongan_observed = facts
    return facts


def evaluate_gates(crawler: Any, run: Any = None) -> list[dict[str, Any]]:
    facts = observe(crawler, run)
    rules = getattr(crawler, "baolongan_gate_rules", None) or gates.rules_from_settings(
        crawler.settings
    )
    return gates.evaluate(
        facts["coverage"],
        rules,
        mode=facts["mode"],
        record_count=facts["record_count"],
        baseline=facts["baseline"],
    )


def decide_status(crawler, reason: str) -> str:
    """success, or the most severe problem of the run (crawler.status.SEVERITY)."""
    stats = crawler.stats.get_stats()
    statuses = ["success"]
    if reason == "site_unavailable":
        statuses.append("site_unavailable")
    elif reason in ("disk_full", "output_unwritable"):
        statuses.append(reason)
    elif reason != "finished":
        statuses.append("crawl_failed")
    elif site_down(stats):
        # robots.txt was read, but no page answered: the site is down, not the crawler broken.
        logger.error(
            "site unavailable: no page answered; %d page(s) failed with 5xx or network errors",
            stats.get(PAGES_DOWN, 0),
        )
        statuses.append("site_unavailable")
    if stats.get("warc/lost"):
        logger.error(
            "WARC file(s) lost during the run: %s; %d record(s) point into them (see the report)",
            ", ".join(stats["warc/lost"]),
            len(stats.get("warc/lost_records") or []),
        )
        statuses.append("warc_lost")
    summary = summarize(stats)
    if summary["error_share"] > MAX_ERROR_SHARE:
        statuses.append("crawl_failed")
    spider = crawler.spider
    run = getattr(crawler, "baolongan_run", None)
    full_crawl = not (getattr(spider, "urls_file", None) or getattr(spider, "id_range", None))
    if full_crawl and reason == "finished" and getattr(run, "mode", "full") == "full":
        # Counted over the whole run from the state store, so a resumed run that only had the
        # rest to do still sees what its killed predecessor wrote.
        per_edition = run.state.items_per_edition(run.run_id) if run and run.state else {}
        for edition in getattr(spider, "editions_wanted", []):
            # In Redis mode a worker may get no item of an edition; the crawl as a whole must.
            dist = getattr(crawler, "baolongan_distributed", None)
            if dist is not None and dist.counts().get(f"items/{edition}", 0):
                continue
            if not stats.get(f"items/{edition}", 0) and not per_edition.get(edition):
                logger.error("edition %s yielded no article or album", edition)
                statuses.append("crawl_failed")
    asked = requested.outcome(crawler)
    if asked is not None:
        # urls_file / ids: every URL or id asked for and not archived is a miss (crawler.requested).
        (logger.warning if asked["archived"] else logger.error)("%s", requested.summary_line(asked))
        statuses.append(requested.status_of(asked))
    try:
        gap_figures = gap_report.summary(crawler, run)
    except Exception:  # never lose the run's status over a report figure
        logger.exception("id gaps could not be computed")
        gap_figures = crawler.baolongan_gaps = None
    if gap_figures is not None:
        logger.info("%s", gap_report.summary_line(gap_figures))
        statuses.append(gap_report.status_of(gap_figures))
    try:
        crawler.baolongan_gates = evaluate_gates(crawler)
    except Exception:  # never lose the run's status over a report figure
        logger.exception("quality gates could not be evaluated")
        crawler.baolongan_gates = []
    for gate in crawler.baolongan_gates:
        if gate["result"] in ("warn", "fail"):
            log = logger.error if gate["result"] == "fail" else logger.warning
            word = "FAILED" if gate["result"] == "fail" else "warning"
            log("quality gate %s: %s — %s", word, _gate_sentence(gate), gate["detail"])
        statuses.append(gate["status"])
    return worst(*statuses)


def write_report(crawler, run, reason: str, status: str) -> dict[str, Any]:
    facts = observe(crawler, run)
    stats = facts["stats"]
    start, finish = stats.get("start_time"), stats.get("finish_time")
    gate_list = getattr(crawler, "baolongan_gates", None)
    if gate_list is None:
        gate_list = evaluate_gates(crawler, run)
    settings = crawler.settings
    report: dict[str, Any] = {
        "run_id": run.run_id,
        "status": status,
        "exit_code": EXIT_CODES.get(status),
        "finish_reason": reason,
        "resumed": run.resumed,
        "signature": run.signature,
        "mode": facts["mode"],
        "editions": facts["editions"],
        "started_at": start.isoformat() if start else None,
        "finished_at": finish.isoformat() if finish else None,
        "duration_s": round((finish - start).total_seconds(), 1) if start and finish else None,
        "gates": gate_list,
        # WARC files deleted during the run and the records pointing into them (integrity.py).
        "warc_lost": {"files": stats["warc/lost"], "records": stats.get("warc/lost_records", [])}
        if stats.get("warc/lost")
        else None,
        "record_count": facts["record_count"],
        "requested": requested.outcome(crawler),
        "id_gaps": gap_report.summary(crawler, run),
        "translation_pairs": pairs.pair_summary(
            run.output_dir / "records" / "latest" / f"{run.run_id}.jsonl"
        ),
        "seen": facts["seen"],
        **summarize(stats),
        "coverage": facts["coverage"],
        "sections": facts["sections"],
        "months": facts["months"],
        "politeness": {
            "profile": settings.get("CRAWL_PROFILE"),
            "download_delay_s": settings.getfloat("DOWNLOAD_DELAY"),
            "autothrottle": settings.getbool("AUTOTHROTTLE_ENABLED"),
            "concurrent_requests_per_domain": settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN"),
            "robotstxt_obey": settings.getbool("ROBOTSTXT_OBEY"),
            **_group(stats, "politeness/"),
        },
    }
    baseline = facts["baseline"]
    rules = getattr(crawler, "baolongan_gate_rules", None) or gates.rules_from_settings(settings)
    report["comparison"] = (
        history.compare(report, baseline, min_articles=rules.min_articles) if baseline else None
    )
    folder = run.output_dir / "reports"
    folder.mkdir(parents=True, exist_ok=True)
    report["chart"] = f"{run.run_id}.svg"
    try:
        svg = chart.render_svg(
            f"Run {run.run_id}: {_status_words(status)}",
            facts["months"],
            facts["coverage"],
            gate_list,
            list(coverage.FIELDS),
        )
        (folder / report["chart"]).write_text(svg, encoding="utf-8")
    except Exception:
        logger.exception("could not draw the report's chart")
        report["chart"] = None
    (folder / f"{run.run_id}.json").write_text(
        json.dumps(report, ensure_ascii=False, indent=2, default=str), encoding="utf-8"
    )
    (folder / f"{run.run_id}.md").write_text(render_markdown(report), encoding="utf-8")
    logger.info("run %s: status %s, report in %s", run.run_id, status, folder)
    return report


# --- Markdown ----------------------------------------------------------------------------------

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


def _status_words(status: str) -> str:
    return STATUS_WORDS.get(status, status)


def _pct(x: float | None, digits: int = 1) -> str:
    return "n/a" if x is None else f"{x * 100:.{digits}f}%"


def _level(x: float) -> str:
    return f"{x * 100:g}%"


def _gate_sentence(gate: dict[str, Any]) -> str:
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
        f"Run {report['run_id']}: **{_status_words(report['status'])}** "
        f"(exit {report.get('exit_code')})"
    ]
    for gate in report.get("gates") or []:
        if gate["result"] == "fail":
            lines.append(f"- FAILED: {_gate_sentence(gate)} — {gate['detail']}")
        elif gate["result"] == "warn":
            lines.append(f"- WARNING: {_gate_sentence(gate)} — {gate['detail']}")
    if asked := report.get("requested"):
        lines.append(f"- {requested.summary_line(asked)}")
    if gap_figures := report.get("id_gaps"):
        lines.append(f"- {gap_report.summary_line(gap_figures)}")
    seen = report.get("seen") or {}
    per_edition = ", ".join(f"{e} {sum(by.values()):,}" for e, by in sorted(seen.items()))
    written = report.get("records_written") or {}
    lines.append(
        f"- records: {report.get('record_count', 0):,} ({per_edition or 'none'}); written "
        f"{written.get('article', 0):,} articles, {written.get('album', 0):,} albums; "
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
    lines = [f"# Run {report['run_id']}: {_status_words(report['status'])}", ""]
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
        f"rejected by the schema {records.get('rejected', 0):,}.",
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
        f"Previous run: {c.get('started_at')}, status {_status_words(c.get('status') or '?')}.",
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
    cov = report.get("coverage") or {}
    kinds = [k for k in ("article", "album") if k in cov] + [
        k for k in cov if k not in ("article", "album")
    ]
    strategies = report.get("extraction_strategies") or {}
    lines = [
        "## Field coverage",
        "",
        "Share of the records written by this run with the field present — not counting values "
        "that quality_issues marks as a fallback (e.g. `lead_from_meta`), which are listed apart, "
        "and leaving out records that cannot have the field.",
        "",
    ]
    if not kinds:
        return [*lines, "No records written by this run.", ""]
    lines += [
        "| field | "
        + " | ".join(f"{k}s ({cov[k]['records']:,})" for k in kinds)
        + " | fallbacks | left out | extraction strategies |",
        "|---|" + "---:|" * len(kinds) + "---:|---:|---|",
    ]
    for name in coverage.FIELDS:
        cells = " | ".join(
            _pct(cov[k]["fields"][name]["share"]) if coverage.applies(k, name) else "—"
            for k in kinds
        )
        fallbacks = sum(cov[k]["fields"][name]["fallback"] for k in kinds)
        exempt = sum(cov[k]["fields"][name].get("exempt", 0) for k in kinds)
        why = f" ({coverage.EXEMPT[name][1]})" if exempt and name in coverage.EXEMPT else ""
        how = strategies.get(STRATEGY_FIELD.get(name, name), {})
        how_text = ", ".join(f"{s} {n:,}" for s, n in sorted(how.items(), key=lambda kv: -kv[1]))
        lines.append(f"| {name} | {cells} | {fallbacks:,} | {exempt:,}{why} | {how_text} |")
    return [*lines, ""]


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


# --- command line ------------------------------------------------------------------------------


def latest_report_path(output_dir: Path) -> Path | None:
    reports = sorted((output_dir / "reports").glob("*.json"))
    return reports[-1] if reports else None


def main(argv: list[str] | None = None) -> int:
    """`python -m crawler.report OUTPUT_DIR`: the newest report's summary."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m crawler.report OUTPUT_DIR", file=sys.stderr)
        return 2
    path = latest_report_path(Path(args[0]))
    if path is None:
        print(f"no report under {args[0]}/reports", file=sys.stderr)
        return 1
    report = json.loads(path.read_text(encoding="utf-8"))
    print(summary_text(report))
    print(f"- report: {path.with_suffix('.md')}")
    if report.get("chart"):
        print(f"- picture: {path.parent / report['chart']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
