"""The run report (OUTPUT_DIR/reports/<run_id>.json, .md and .svg) and the run's exit status.

Scrapyd and cron hide or lose a process's logs; the report is where a run says what it fetched,
skipped and why, and whether it succeeded. The JSON is for machines (every figure of the Markdown is
in it), the Markdown for people (status and quality gates first, with their figures), the SVG for a
glance (records per month per edition, field coverage). The Markdown is rendered from the JSON by
crawler/observe/report_markdown.py.

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

from crawler import gap_report, media, pairs, requested
from crawler.discovery.sources import summary as discovery_summary
from crawler.guards.common import PAGES_DOWN, site_down
from crawler.guards.requisites import summary as requisite_cap_summary
from crawler.observe import chart, coverage, gates, history
from crawler.observe.report_markdown import (
    STATUS_WORDS,  # noqa: F401 (the Markdown's names stay importable from crawler.report)
    gate_sentence,
    render_markdown,
    status_words,
    summary_lines,  # noqa: F401
    summary_text,
)
from crawler.status import EXIT_CODES, worst

logger = logging.getLogger(__name__)

MAX_ERROR_SHARE = 0.05  # more logged errors than this share of responses fails the run


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
        "media_left_out": media.summary(stats),
        "discovery": discovery_summary(stats),
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
    except Exception as e:  # never lose the run's status over a figure (one line: no traceback)
        logger.error("id gaps could not be computed: %s", e)
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
            log("quality gate %s: %s — %s", word, gate_sentence(gate), gate["detail"])
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
            f"Run {run.run_id}: {status_words(status)}",
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
