"""Quality gates: each threshold has a warning level and a failure level.

A figure at or above its `warn` level passes; below `warn` but at or above `fail` it is a warning
(run status `success_with_warnings`, exit 3); below `fail` it fails (`quality_gate_failed`, exit 4).
`crawler.observe.status.decide_status` evaluates the gates when the spider closes and the report
states each one, with its figure, at the top. In Redis mode every worker's coverage gates judge the
whole crawl's counters, summed in Redis once the crawl is over (crawler.observe.facts).

Gates (settings, all optional; defaults below):
    QUALITY_GATES_BASE / QUALITY_GATES   {field: [warn, fail]}: share of the *articles written* by
        the run whose field is present — counted from the records and their quality_issues, never
        from fallback values (crawler.observe.coverage; syndicated articles credited only to a
        source are left out of `authors`). QUALITY_GATES is merged over the base, so
        `-s 'QUALITY_GATES={"lead": [0.9, 0.8]}'` changes one gate; `null` turns one off.
    QUALITY_GATE_RECORD_COUNT   [warn, fail]: a full run's record count (live items the run archived
        or found unchanged) as a share of the previous comparable full run's (crawler.observe.history).
    QUALITY_GATE_MIN_ARTICLES   below this many articles written, coverage gates are skipped: a
        refresh that rewrote three changed articles says nothing about a selector.

Why not spidermon: its monitors (looked at in 1.27) are the model here — coverage counted into
stats per item and divided at close, rules as a {field: threshold} setting, a skip rule when nothing
was scraped, a comparison with previous jobs filtered by state and arguments. But each rule has one
level (pass/fail), coverage is counted from every scraped item including fallback values, and its
job comparison reads Scrapy Cloud's API. We need two levels, counts from records as written, and
the local state store's run history, so the gates are these few functions instead.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from crawler.context import crawl_context
from crawler.errors import BadSettingError
from crawler.observe.coverage import EXEMPT

DEFAULT_FIELD_GATES: dict[str, tuple[float, float]] = {
    "title": (0.99, 0.95),
    "published_at": (0.99, 0.95),
    "body_text": (0.99, 0.95),
    "lead": (0.99, 0.95),
    "authors": (0.90, 0.75),
}
DEFAULT_RECORD_COUNT_GATE = (0.80, 0.50)
DEFAULT_MIN_ARTICLES = 20
GATED_TYPE = "article"  # the thresholds speak of articles; albums have no body or byline to gate

# A figure this close under a level counts as reaching it (0.99 written as 99/100 in float).
TOLERANCE = 1e-9

RESULT_STATUS = {
    "pass": "success",
    "skip": "success",
    "warn": "success_with_warnings",
    "fail": "quality_gate_failed",
}


@dataclass(frozen=True)
class Levels:
    warn: float  # below this: a warning
    fail: float  # below this: a failure

    def judge(self, figure: float) -> str:
        if figure + TOLERANCE >= self.warn:
            return "pass"
        if figure + TOLERANCE >= self.fail:
            return "warn"
        return "fail"


@dataclass(frozen=True)
class GateRules:
    fields: dict[str, Levels] = field(default_factory=dict)
    record_count: Levels | None = None
    min_articles: int = DEFAULT_MIN_ARTICLES


def _levels(name: str, value: Any) -> Levels | None:
    if value is None or value in ("", "null"):
        return None
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            value = value.split(",")
    if isinstance(value, dict):
        value = (value.get("warn"), value.get("fail"))
    try:
        warn, fail = (float(x) for x in value)
    except (TypeError, ValueError):
        raise BadSettingError(name, value, "[warn, fail] with two numbers from 0 to 1") from None
    if not (0.0 <= fail <= warn <= 1.0 or (name.endswith("RECORD_COUNT") and 0 <= fail <= warn)):
        raise BadSettingError(name, value, "[warn, fail] with 0 <= fail <= warn <= 1")
    return Levels(warn, fail)


def _dict_setting(settings: Any, name: str) -> dict[str, Any]:
    value = settings.get(name)
    if value is None or value == "":
        return {}
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            raise BadSettingError(
                name, value, 'a JSON object such as {"lead": [0.99, 0.95]}'
            ) from None
    try:
        return dict(value)
    except (TypeError, ValueError):
        raise BadSettingError(name, value, 'a dict such as {"lead": [0.99, 0.95]}') from None


def rules_from_settings(settings: Any) -> GateRules:
    """GateRules from Scrapy settings (or any mapping with .get); raises BadSettingError."""
    base = _dict_setting(settings, "QUALITY_GATES_BASE") or dict(DEFAULT_FIELD_GATES)
    merged = {**base, **_dict_setting(settings, "QUALITY_GATES")}
    fields: dict[str, Levels] = {}
    for name, value in merged.items():
        levels = _levels(f"QUALITY_GATES[{name}]", value)
        if levels is not None:
            fields[name] = levels
    raw_count = settings.get("QUALITY_GATE_RECORD_COUNT")
    record_count = _levels(
        "QUALITY_GATE_RECORD_COUNT",
        DEFAULT_RECORD_COUNT_GATE if raw_count is None else raw_count,
    )
    raw_min = settings.get("QUALITY_GATE_MIN_ARTICLES")
    try:
        min_articles = DEFAULT_MIN_ARTICLES if raw_min in (None, "") else int(raw_min)
    except (TypeError, ValueError):
        raise BadSettingError("QUALITY_GATE_MIN_ARTICLES", raw_min, "a whole number >= 0") from None
    if min_articles < 0:
        raise BadSettingError("QUALITY_GATE_MIN_ARTICLES", raw_min, "a whole number >= 0")
    return GateRules(fields, record_count, min_articles)


def _gate(
    gate: str, label: str, figure: float | None, levels: Levels, result: str, detail: str
) -> dict[str, Any]:
    return {
        "gate": gate,
        "label": label,
        "figure": None if figure is None else round(figure, 6),
        "warn": levels.warn,
        "fail": levels.fail,
        "result": result,
        "status": RESULT_STATUS[result],
        "detail": detail,
    }


def evaluate(
    coverage: dict[str, dict[str, Any]],
    rules: GateRules,
    *,
    mode: str,
    record_count: int | None,
    baseline: dict[str, Any] | None,
) -> list[dict[str, Any]]:
    """Every gate as {gate, label, figure, warn, fail, result, status, detail}.

    `coverage` is `crawler.observe.coverage.from_stats(...)`; `baseline` the previous comparable
    run's report (or None). `status` is a crawler.status name, so decide_status can take the worst.
    """
    gates = []
    articles = coverage.get(GATED_TYPE, {"records": 0, "fields": {}})
    total = articles["records"]
    for name, levels in rules.fields.items():
        label = f"{name} present"
        counts = articles["fields"].get(name)
        if total < max(rules.min_articles, 1):
            detail = f"skipped: {total} articles written (gates need {max(rules.min_articles, 1)})"
            gates.append(_gate(f"coverage/{name}", label, None, levels, "skip", detail))
            continue
        present = counts["present"] if counts else 0
        fallback = counts["fallback"] if counts else 0
        exempt = counts.get("exempt", 0) if counts else 0
        applicable = total - exempt
        if applicable <= 0:
            detail = f"skipped: none of the {total} articles can have {name}"
            gates.append(_gate(f"coverage/{name}", label, None, levels, "skip", detail))
            continue
        figure = present / applicable
        detail = f"{present} of {applicable} articles"
        notes = []
        if fallback:
            notes.append(f"{fallback} more only from a fallback, not counted")
        if exempt:
            notes.append(f"{exempt} {EXEMPT[name][1]}, left out")
        if notes:
            detail += f" ({'; '.join(notes)})"
        gates.append(_gate(f"coverage/{name}", label, figure, levels, levels.judge(figure), detail))
    if rules.record_count is not None:
        levels = rules.record_count
        label = "record count vs previous full run"
        previous = (baseline or {}).get("record_count")
        if mode != "full":
            result, figure, detail = "skip", None, f"skipped: a {mode} run, not a full run"
        elif baseline is None:
            result, figure, detail = "skip", None, "skipped: no previous comparable full run"
        elif not previous or record_count is None:
            result, figure, detail = "skip", None, "skipped: the previous run counted no records"
        else:
            figure = record_count / previous
            result = levels.judge(figure)
            detail = f"{record_count} records, previous run {baseline.get('run_id')} had {previous}"
        gates.append(_gate("record_count", label, figure, levels, result, detail))
    return gates


class QualityGatesExtension:
    """Checks the gate settings when the crawl starts, so a typo fails with exit status 2 at once
    instead of at the end of a long run. Evaluation itself happens in
    crawler.observe.status.decide_status."""

    def __init__(self, rules: GateRules) -> None:
        self.rules = rules

    @classmethod
    def from_crawler(cls, crawler: Any) -> QualityGatesExtension:
        rules = crawl_context(crawler).component(
            GateRules, lambda: rules_from_settings(crawler.settings)
        )
        return cls(rules)
