"""The facts of a run beyond its stats, gathered once at close for the exit status and the report:
mode, editions, field coverage, counts from the state store, the baseline run, the quality gates.

Figures come from the crawl's stats, except where a crashed-and-resumed run would get them wrong:
counts of records seen, sections and months come from the state store (crawler.observe.history),
and a resumed run recounts field coverage from its own record files (crawler.observe.coverage).
"""

from __future__ import annotations

import logging
from typing import Any

from crawler.context import UNSET, Asked, crawl_context
from crawler.distributed.connect import get_coordinator
from crawler.distributed.gates import crawl_coverage
from crawler.observe import coverage, gates, history
from crawler.run import find_run

logger = logging.getLogger(__name__)


def group(stats: dict[str, Any], prefix: str) -> dict[str, Any]:
    return {k[len(prefix) :]: v for k, v in sorted(stats.items()) if k.startswith(prefix)}


def error_share(stats: dict[str, Any]) -> float:
    """Logged errors per response (1.0 for errors without a single response)."""
    responses = stats.get("downloader/response_count", 0)
    errors = stats.get("log_count/ERROR", 0)
    return round(errors / responses, 4) if responses else (1.0 if errors else 0.0)


def asked_of(crawler: Any) -> Asked:
    """What the spider was asked for; nothing (no edition to check) when no spider said."""
    return crawl_context(crawler).asked or Asked(editions=())


def gate_rules(crawler: Any) -> gates.GateRules:
    return crawl_context(crawler).component(
        gates.GateRules, lambda: gates.rules_from_settings(crawler.settings)
    )


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


def coverage_counters(crawler: Any) -> dict[str, int]:
    """The run's field-coverage counters (recounted from its files when resumed): what a Redis-mode
    worker publishes for the crawl-wide quality gates."""
    stats = _run_stats(crawler, find_run(crawler))
    return {k: int(v) for k, v in stats.items() if k.startswith(coverage.PREFIX)}


def crawl_wide_coverage(crawler: Any) -> tuple[dict[str, Any], str] | None:
    """In Redis mode, once the crawl is over: the coverage of every worker's records together, and
    a note saying whose (why: crawler/distributed/gates.py). Asked once per crawl: the gates and
    the report both show it, and the first asking may wait for the other workers."""
    context = crawl_context(crawler)
    if context.crawl_coverage is UNSET:
        context.crawl_coverage = _crawl_wide_coverage(crawler)
    return context.crawl_coverage


def _crawl_wide_coverage(crawler: Any) -> tuple[dict[str, Any], str] | None:
    dist = get_coordinator(crawler)
    if dist is None or not dist.finished:
        return None
    wait_s = crawler.settings.getfloat("DISTRIBUTED_GATES_WAIT_S", 60.0)
    counters, summed, waiting = crawl_coverage(dist, wait_s)
    if dist.worker not in summed:  # this worker's own counters did not reach Redis
        return None
    note = f"crawl-wide, {len(summed)} worker(s): {', '.join(summed)}"
    if waiting:
        logger.warning(
            "quality gates: %d worker(s) had not reported their coverage after %.0f s: %s",
            len(waiting),
            wait_s,
            ", ".join(waiting),
        )
        note += f"; not reported: {', '.join(waiting)}"
    return coverage.from_stats(counters), note


def _from_state(facts: dict[str, Any], run: Any) -> None:
    """Counts of the run from the state store (right for a resumed run too), and its baseline."""
    state = getattr(run, "state", None)
    if state is None:
        return
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


def observe(crawler: Any, run: Any = None) -> dict[str, Any]:
    """Facts of the run beyond the stats; computed once (the status and the report both need
    them)."""
    context = crawl_context(crawler)
    if context.observed is not None:
        return context.observed
    if run is None:
        run = find_run(crawler)
    asked = asked_of(crawler)
    stats = _run_stats(crawler, run)
    facts: dict[str, Any] = {
        "stats": stats,
        "mode": history.run_mode(asked, run),
        "editions": list(asked.editions),
        "coverage": coverage.from_stats(stats),
        "seen": {},
        "sections": [],
        "months": {},
        "baseline": None,
    }
    written = sum(
        v for k, v in group(stats, "records/written/").items() if k in ("article", "album")
    )
    facts["record_count"] = written + stats.get("records/unchanged", 0)
    _from_state(facts, run)
    context.observed = facts
    return facts


def evaluate_gates(crawler: Any, run: Any = None) -> list[dict[str, Any]]:
    """The quality gates; in Redis mode the coverage gates judge the whole crawl's figures."""
    facts = observe(crawler, run)
    figures, note = facts["coverage"], ""
    crawl_wide = crawl_wide_coverage(crawler)
    if crawl_wide is not None:
        figures, note = crawl_wide
    judged = gates.evaluate(
        figures,
        gate_rules(crawler),
        mode=facts["mode"],
        record_count=facts["record_count"],
        baseline=facts["baseline"],
    )
    for gate in judged:
        if note and gate["gate"].startswith("coverage/"):
            gate["detail"] += f" ({note})"
    return judged
