"""The run report (OUTPUT_DIR/reports/<run_id>.json, .md and .svg) and the run's exit status.

Scrapyd and cron hide or lose a process's logs; the report is where a run says what it fetched,
skipped and why, and whether it succeeded. The JSON is for machines (every figure of the Markdown is
in it), the Markdown for people (status and quality gates first, with their figures), the SVG for a
glance (records per month per edition, field coverage). The Markdown is rendered from the JSON by
crawler/observe/report_markdown.py. The facts beyond the stats come from crawler/observe/facts.py,
the exit status from crawler/observe/status.py.

`python -m crawler.report OUTPUT_DIR` prints the summary of the newest report there.
"""

from __future__ import annotations

import json
import logging
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

from crawler import gap_report, media, pairs, requested
from crawler.context import crawl_context
from crawler.discovery.sources import summary as discovery_summary
from crawler.guards.requisites import summary as requisite_cap_summary
from crawler.observe import chart, coverage, history
from crawler.observe.facts import (
    crawl_wide_coverage,
    error_share,
    evaluate_gates,
    gate_rules,
    group,
    observe,
)
from crawler.observe.report_markdown import (
    STATUS_WORDS,  # noqa: F401 (the Markdown's names stay importable from crawler.report)
    render_markdown,
    status_words,
    summary_lines,  # noqa: F401
    summary_text,
)
from crawler.status import EXIT_CODES

logger = logging.getLogger(__name__)

_group = group


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
        "error_share": error_share(stats),
        "ids": _group(stats, "ids/"),
        "requisites_capped": requisite_cap_summary(stats),
        "media_left_out": media.summary(stats),
        "discovery": discovery_summary(stats),
        "template": stats.get("template/summary") or {},
    }


def _crawl_wide(crawler: Any) -> dict[str, Any] | None:
    """Redis mode: the coverage of every worker's records together (`coverage` is this worker's
    share), as the quality gates judged it; None in one-process mode."""
    found = crawl_wide_coverage(crawler)
    if found is None:
        return None
    figures, note = found
    return {"workers": note, "coverage": figures}


def write_report(crawler, run, reason: str, status: str) -> dict[str, Any]:
    """OUTPUT_DIR/reports/<run_id>.json, .md and .svg; the report as a dict."""
    facts = observe(crawler, run)
    stats = facts["stats"]
    gate_list = crawl_context(crawler).gates
    if gate_list is None:
        gate_list = evaluate_gates(crawler, run)
    report: dict[str, Any] = {
        **_run_lines(run, reason, status, facts),
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
        "coverage_crawl_wide": _crawl_wide(crawler),
        "sections": facts["sections"],
        "months": facts["months"],
        "politeness": _politeness(crawler.settings, stats),
    }
    baseline = facts["baseline"]
    min_articles = gate_rules(crawler).min_articles
    report["comparison"] = (
        history.compare(report, baseline, min_articles=min_articles) if baseline else None
    )
    folder = run.output_dir / "reports"
    folder.mkdir(parents=True, exist_ok=True)
    report["chart"] = _draw_chart(folder, run.run_id, status, facts, gate_list)
    if report["id_gaps"]:  # every range, streamed beside the report (crawler/gap_report.py)
        path = folder / f"{run.run_id}.gaps.jsonl"
        gap_report.write_ranges(run.state, run.run_id, report["id_gaps"], path)
    # json.dump streams its chunks to the file: json.dumps with `indent` built the whole text
    # from a list of small strings first, +63 MB for a report that listed the 49,349 gap ranges
    # of a 50,000-article crawl, the run's peak RSS (tests/benchmarks/RESULTS.md).
    with open(folder / f"{run.run_id}.json", "w", encoding="utf-8") as fh:
        json.dump(report, fh, ensure_ascii=False, indent=2, default=str)
    (folder / f"{run.run_id}.md").write_text(render_markdown(report), encoding="utf-8")
    logger.info("run %s: status %s, report in %s", run.run_id, status, folder)
    return report


def _run_lines(run: Any, reason: str, status: str, facts: dict[str, Any]) -> dict[str, Any]:
    """Which run this is, how it ended, and when."""
    stats = facts["stats"]
    start, finish = stats.get("start_time"), stats.get("finish_time")
    return {
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
    }


def _politeness(settings: Any, stats: dict[str, Any]) -> dict[str, Any]:
    return {
        "profile": settings.get("CRAWL_PROFILE"),
        "download_delay_s": settings.getfloat("DOWNLOAD_DELAY"),
        "autothrottle": settings.getbool("AUTOTHROTTLE_ENABLED"),
        "concurrent_requests_per_domain": settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN"),
        "robotstxt_obey": settings.getbool("ROBOTSTXT_OBEY"),
        **_group(stats, "politeness/"),
    }


def _draw_chart(
    folder: Path, run_id: str, status: str, facts: dict[str, Any], gate_list: list[dict]
) -> str | None:
    """The report's picture (<run_id>.svg); None when it could not be drawn."""
    name = f"{run_id}.svg"
    try:
        svg = chart.render_svg(
            f"Run {run_id}: {status_words(status)}",
            facts["months"],
            facts["coverage"],
            gate_list,
            list(coverage.FIELDS),
        )
        (folder / name).write_text(svg, encoding="utf-8")
    except Exception:
        logger.exception("could not draw the report's chart")
        return None
    return name


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
