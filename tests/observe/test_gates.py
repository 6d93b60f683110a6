"""Quality gates: a warning level and a failure level per threshold."""

from __future__ import annotations

import pytest
from scrapy.settings import Settings

from crawler.errors import BadSettingError
from crawler.observe import coverage, gates


def cov(n: int, **present: int) -> dict:
    """Coverage of n articles; every gated field present in all of them unless given."""
    stats = {"coverage/article/records": n}
    for field in coverage.FIELDS:
        stats[f"coverage/article/present/{field}"] = present.get(field, n)
    return coverage.from_stats(stats)


def by_gate(result: list[dict]) -> dict[str, dict]:
    return {g["gate"]: g for g in result}


RULES = gates.rules_from_settings(Settings())


def evaluate(coverage_, mode="full", record_count=None, baseline=None, rules=RULES):
    return by_gate(
        gates.evaluate(coverage_, rules, mode=mode, record_count=record_count, baseline=baseline)
    )


def test_defaults_are_the_issue_thresholds():
    assert RULES.fields == {
        "title": gates.Levels(0.99, 0.95),
        "published_at": gates.Levels(0.99, 0.95),
        "body_text": gates.Levels(0.99, 0.95),
        "lead": gates.Levels(0.99, 0.95),
        "authors": gates.Levels(0.90, 0.75),
    }
    assert RULES.record_count == gates.Levels(0.80, 0.50)


@pytest.mark.parametrize(
    ("field", "present", "result", "status"),
    [
        ("title", 1000, "pass", "success"),
        ("title", 990, "pass", "success"),  # exactly 99 %: passes
        ("title", 989, "warn", "success_with_warnings"),
        ("lead", 950, "warn", "success_with_warnings"),  # exactly 95 %: a warning, not a failure
        ("lead", 949, "fail", "quality_gate_failed"),
        ("published_at", 0, "fail", "quality_gate_failed"),
        ("authors", 900, "pass", "success"),
        ("authors", 899, "warn", "success_with_warnings"),
        ("authors", 750, "warn", "success_with_warnings"),
        ("authors", 749, "fail", "quality_gate_failed"),
    ],
)
def test_coverage_levels(field, present, result, status):
    result_by_gate = evaluate(cov(1000, **{field: present}))
    gate = result_by_gate[f"coverage/{field}"]
    assert (gate["result"], gate["status"]) == (result, status)
    assert gate["figure"] == present / 1000
    assert f"{present} of 1000 articles" in gate["detail"]
    others = [g for name, g in result_by_gate.items() if name != f"coverage/{field}"]
    assert all(g["result"] in ("pass", "skip") for g in others)


def test_fallback_values_are_named_in_the_detail():
    stats = {
        "coverage/article/records": 100,
        "coverage/article/present/lead": 60,
        "coverage/article/fallback/lead": 40,
    }
    gate = evaluate(coverage.from_stats(stats))["coverage/lead"]
    assert gate["result"] == "fail"
    assert "40 more only from a fallback" in gate["detail"]


def test_too_few_articles_skip_coverage_gates():
    result = evaluate(cov(5, title=0))
    assert result["coverage/title"]["result"] == "skip"
    assert result["coverage/title"]["status"] == "success"
    assert "5 articles written" in result["coverage/title"]["detail"]
    rules = gates.rules_from_settings(Settings({"QUALITY_GATE_MIN_ARTICLES": 1}))
    assert evaluate(cov(5, title=0), rules=rules)["coverage/title"]["result"] == "fail"


def test_no_articles_skip_even_with_min_zero():
    rules = gates.rules_from_settings(Settings({"QUALITY_GATE_MIN_ARTICLES": 0}))
    assert evaluate({}, rules=rules)["coverage/title"]["result"] == "skip"


@pytest.mark.parametrize(
    ("count", "previous", "result"),
    [
        (100, 100, "pass"),
        (80, 100, "pass"),
        (79, 100, "warn"),
        (50, 100, "warn"),
        (49, 100, "fail"),
        (150, 100, "pass"),
    ],
)
def test_record_count_against_the_previous_full_run(count, previous, result):
    baseline = {"run_id": "R0", "record_count": previous}
    gate = evaluate(cov(100), record_count=count, baseline=baseline)["record_count"]
    assert gate["result"] == result
    assert gate["figure"] == count / previous
    assert "R0" in gate["detail"]


def test_record_count_skipped_without_baseline_or_for_a_partial_run():
    assert evaluate(cov(100), record_count=10)["record_count"]["result"] == "skip"
    baseline = {"run_id": "R0", "record_count": 100}
    gate = evaluate(cov(100), mode="canary", record_count=1, baseline=baseline)["record_count"]
    assert gate["result"] == "skip"
    assert "canary" in gate["detail"]


def test_override_one_gate_from_the_command_line():
    # -s values arrive as strings
    rules = gates.rules_from_settings(
        Settings(
            {
                "QUALITY_GATES": '{"lead": [0.5, 0.25], "authors": null}',
                "QUALITY_GATE_RECORD_COUNT": "0.9,0.6",
            }
        )
    )
    assert rules.fields["lead"] == gates.Levels(0.5, 0.25)
    assert "authors" not in rules.fields
    assert rules.fields["title"] == gates.Levels(0.99, 0.95)
    assert rules.record_count == gates.Levels(0.9, 0.6)


def test_base_setting_replaces_the_defaults():
    rules = gates.rules_from_settings(Settings({"QUALITY_GATES_BASE": {"title": [0.9, 0.8]}}))
    assert rules.fields == {"title": gates.Levels(0.9, 0.8)}


@pytest.mark.parametrize(
    "settings",
    [
        {"QUALITY_GATES": '{"lead": [0.9]}'},
        {"QUALITY_GATES": '{"lead": [0.5, 0.9]}'},  # fail above warn
        {"QUALITY_GATES": '{"lead": [1.5, 0.9]}'},
        {"QUALITY_GATES": "lead=0.9"},
        {"QUALITY_GATE_RECORD_COUNT": "x,y"},
        {"QUALITY_GATE_MIN_ARTICLES": "-1"},
    ],
)
def test_bad_settings_are_refused(settings):
    with pytest.raises(BadSettingError):
        gates.rules_from_settings(Settings(settings))


def test_extension_refuses_bad_settings_at_start():
    from scrapy.utils.test import get_crawler

    crawler = get_crawler(settings_dict={"QUALITY_GATES": '{"lead": [0.2, 0.9]}'})
    with pytest.raises(BadSettingError):
        gates.QualityGatesExtension.from_crawler(crawler)


def test_syndicated_articles_are_left_out_of_authors():
    stats = {
        "coverage/article/records": 100,
        "coverage/article/present/authors": 81,
        "coverage/article/exempt/authors": 10,
    }
    for field in ("title", "published_at", "body_text", "lead"):
        stats[f"coverage/article/present/{field}"] = 100
    gate = evaluate(coverage.from_stats(stats))["coverage/authors"]
    assert gate["figure"] == 81 / 90 and gate["result"] == "pass"
    assert gate["detail"] == "81 of 90 articles (10 credited only to a source, left out)"
