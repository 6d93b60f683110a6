"""The run report (OUTPUT_DIR/reports/<run_id>.json and .md) and the run's exit status.

Scrapyd and cron hide or lose a process's logs; the report is where a run says what it fetched,
skipped and why, and whether it succeeded.
"""

from __future__ import annotations

import json
import logging
from collections import defaultdict
from typing import Any

from crawler.status import worst

logger = logging.getLogger(__name__)

MAX_ERROR_SHARE = 0.05  # more logged errors than this share of responses fails the run


def _group(stats: dict[str, Any], prefix: str) -> dict[str, Any]:
    return {k[len(prefix) :]: v for k, v in sorted(stats.items()) if k.startswith(prefix)}


def summarize(stats: dict[str, Any]) -> dict[str, Any]:
    """Everything the report shows, from the crawl's stats."""
    strategies: dict[str, dict[str, int]] = defaultdict(dict)
    for key, count in _group(stats, "extract/").items():
        field, _, strategy = key.partition("/")
        strategies[field][strategy] = count
    responses = stats.get("downloader/response_count", 0)
    errors = stats.get("log_count/ERROR", 0)
    return {
        "records_written": _group(stats, "records/written/"),
        "records": _group(stats, "records/"),
        "listings": _group(stats, "listings/"),
        "skipped": _group(stats, "skipped/"),
        "quality_issues": _group(stats, "quality/"),
        "normalization_changes": _group(stats, "normalize/"),
        "extraction_strategies": dict(strategies),
        "http_status": _group(stats, "downloader/response_status_count/"),
        "requests": stats.get("downloader/request_count", 0),
        "responses": responses,
        "bytes": stats.get("downloader/response_bytes", 0),
        "errors": errors,
        "error_share": round(errors / responses, 4) if responses else (1.0 if errors else 0.0),
        "ids": _group(stats, "ids/"),
    }


def decide_status(crawler, reason: str) -> str:
    """success, or the most severe problem of the run (crawler.status.SEVERITY)."""
    stats = crawler.stats.get_stats()
    statuses = ["success"]
    if reason == "site_unavailable":
        statuses.append("site_unavailable")
    elif reason == "disk_full":
        statuses.append("disk_full")
    elif reason != "finished":
        statuses.append("crawl_failed")
    summary = summarize(stats)
    if summary["error_share"] > MAX_ERROR_SHARE:
        statuses.append("crawl_failed")
    spider = crawler.spider
    full_crawl = not (getattr(spider, "urls_file", None) or getattr(spider, "id_range", None))
    if full_crawl and reason == "finished":
        for edition in getattr(spider, "editions_wanted", []):
            if not stats.get(f"items/{edition}", 0):
                logger.error("edition %s yielded no article or album", edition)
                statuses.append("crawl_failed")
    for gate in getattr(crawler, "baolongan_gates", []):
        statuses.append(gate["status"])
    return worst(*statuses)


def write_report(crawler, run, reason: str, status: str) -> dict[str, Any]:
    stats = crawler.stats.get_stats()
    start, finish = stats.get("start_time"), stats.get("finish_time")
    report = {
        "run_id": run.run_id,
        "status": status,
        "finish_reason": reason,
        "resumed": run.resumed,
        "signature": run.signature,
        "started_at": start.isoformat() if start else None,
        "duration_s": round((finish - start).total_seconds(), 1) if start and finish else None,
        **summarize(stats),
    }
    folder = run.output_dir / "reports"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{run.run_id}.json").write_text(
        json.dumps(report, ensure_ascii=False, indent=2, default=str), encoding="utf-8"
    )
    (folder / f"{run.run_id}.md").write_text(render_markdown(report), encoding="utf-8")
    logger.info("run %s: status %s, report in %s", run.run_id, status, folder)
    return report


def render_markdown(report: dict[str, Any]) -> str:
    lines = [
        f"# Run {report['run_id']}: {report['status']}",
        "",
        f"Finish reason `{report['finish_reason']}`, {report['duration_s']} s, "
        f"{report['requests']} requests, {report['bytes']} bytes, {report['errors']} errors.",
        "",
        "## Records written",
        *(f"- {k}: {v}" for k, v in report["records_written"].items()),
        "",
        "## Skipped",
        *(f"- {k}: {v}" for k, v in report["skipped"].items()),
        "",
        "## Quality issues",
        *(f"- {k}: {v}" for k, v in report["quality_issues"].items()),
        "",
        "## Extraction strategies",
        *(
            f"- {field}: " + ", ".join(f"{s} {n}" for s, n in sorted(by.items()))
            for field, by in sorted(report["extraction_strategies"].items())
        ),
        "",
        "## HTTP status",
        *(f"- {k}: {v}" for k, v in report["http_status"].items()),
        "",
    ]
    return "\n".join(lines)
