"""The run's exit status, decided when the spider closes: success, or the most severe problem of
the run (crawler.status.SEVERITY). Each check below names one kind of problem; the worst wins.
Read from the crawl context (crawler/context.py): what was asked for, the run, the gates."""

from __future__ import annotations

import logging
from typing import Any

from crawler import gap_report, requested
from crawler.context import crawl_context
from crawler.distributed.connect import get_coordinator
from crawler.guards.common import PAGES_DOWN, site_down
from crawler.observe.facts import asked_of, error_share, evaluate_gates
from crawler.observe.report_markdown import gate_sentence
from crawler.run import find_run
from crawler.status import worst

logger = logging.getLogger(__name__)

MAX_ERROR_SHARE = 0.05  # more logged errors than this share of responses fails the run


def decide_status(crawler: Any, reason: str) -> str:
    """success, or the most severe problem of the run (crawler.status.SEVERITY)."""
    stats = crawler.stats.get_stats()
    statuses = ["success", *_finish(reason, stats), *_warc_lost(stats)]
    if error_share(stats) > MAX_ERROR_SHARE:
        statuses.append("crawl_failed")
    statuses += _empty_editions(crawler, reason, stats)
    statuses += _requested(crawler)
    statuses += _id_gaps(crawler)
    statuses += _gates(crawler)
    return worst(*statuses)


def _finish(reason: str, stats: dict[str, Any]) -> list[str]:
    """What the finish reason says of the run (a site that never answered included)."""
    if reason == "site_unavailable":
        return ["site_unavailable"]
    if reason in ("disk_full", "output_unwritable"):
        return [reason]
    if reason != "finished":
        return ["crawl_failed"]
    if site_down(stats):
        # robots.txt was read, but no page answered: the site is down, not the crawler broken.
        logger.error(
            "site unavailable: no page answered; %d page(s) failed with 5xx or network errors",
            stats.get(PAGES_DOWN, 0),
        )
        return ["site_unavailable"]
    return []


def _warc_lost(stats: dict[str, Any]) -> list[str]:
    if not stats.get("warc/lost"):
        return []
    logger.error(
        "WARC file(s) lost during the run: %s; %d record(s) point into them (see the report)",
        ", ".join(stats["warc/lost"]),
        len(stats.get("warc/lost_records") or []),
    )
    return ["warc_lost"]


def _empty_editions(crawler: Any, reason: str, stats: dict[str, Any]) -> list[str]:
    """A full listing crawl that finished must have archived something of every edition."""
    asked, run = asked_of(crawler), find_run(crawler)
    if not (
        asked.listing_crawl and reason == "finished" and getattr(run, "mode", "full") == "full"
    ):
        return []
    # Counted over the whole run from the state store, so a resumed run that only had the rest to
    # do still sees what its killed predecessor wrote.
    per_edition = run.state.items_per_edition(run.run_id) if run and run.state else {}
    # In Redis mode a worker may get no item of an edition; the crawl as a whole must.
    dist = get_coordinator(crawler)
    statuses = []
    for edition in asked.editions:
        if dist is not None and dist.counts().get(f"items/{edition}", 0):
            continue
        if not stats.get(f"items/{edition}", 0) and not per_edition.get(edition):
            logger.error("edition %s yielded no article or album", edition)
            statuses.append("crawl_failed")
    return statuses


def _requested(crawler: Any) -> list[str]:
    """urls_file / ids: every URL or id asked for and not archived is a miss (crawler.requested)."""
    asked = requested.outcome(crawler)
    if asked is None:
        return []
    (logger.warning if asked["archived"] else logger.error)("%s", requested.summary_line(asked))
    return [requested.status_of(asked)]


def _id_gaps(crawler: Any) -> list[str]:
    try:
        figures = gap_report.summary(crawler, find_run(crawler))
    except Exception as e:  # never lose the run's status over a figure (one line: no traceback)
        logger.error("id gaps could not be computed: %s", e)
        crawl_context(crawler).gaps = None
        return []
    if figures is None:
        return []
    logger.info("%s", gap_report.summary_line(figures))
    return [gap_report.status_of(figures)]


def _gates(crawler: Any) -> list[str]:
    context = crawl_context(crawler)
    try:
        context.gates = evaluate_gates(crawler)
    except Exception:  # never lose the run's status over a report figure
        logger.exception("quality gates could not be evaluated")
        context.gates = []
    for gate in context.gates:
        if gate["result"] in ("warn", "fail"):
            log = logger.error if gate["result"] == "fail" else logger.warning
            word = "FAILED" if gate["result"] == "fail" else "warning"
            log("quality gate %s: %s — %s", word, gate_sentence(gate), gate["detail"])
    return [gate["status"] for gate in context.gates]
