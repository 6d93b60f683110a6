"""The report's SVG: well-formed, and the figures a person reads off it."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from crawler.observe import chart, coverage

SVG = "{http://www.w3.org/2000/svg}"


@pytest.mark.parametrize(
    ("peak", "ticks"),
    [
        (47, [0, 10, 20, 30, 40, 50]),
        (3, [0, 1, 2, 3]),
        (1, [0, 1]),
        (0, [0, 1]),
        (12_345, [0, 5000, 10000, 15000]),
        (100, [0, 20, 40, 60, 80, 100]),
    ],
)
def test_axis_ticks(peak, ticks):
    assert chart.axis_ticks(peak) == ticks


def test_month_range_crosses_years():
    assert chart.month_range("2024-11", "2025-02") == ["2024-11", "2024-12", "2025-01", "2025-02"]


def render(months, cov=None, gates=()):
    cov = cov or coverage.from_stats(
        {
            "coverage/article/records": 10,
            "coverage/article/present/title": 10,
            "coverage/article/present/lead": 4,
        }
    )
    svg = chart.render_svg("Run R: test", months, cov, list(gates), list(coverage.FIELDS))
    return ET.fromstring(svg)


def test_bars_per_month_and_edition_with_gaps_filled():
    root = render({"vi": {"2024-01": 3, "2024-03": 1, "unknown": 2}, "en": {"2024-01": 2}})
    tips = sorted(t.text for t in root.iter(f"{SVG}title"))
    assert "2024-01 vi: 3" in tips and "2024-01 en: 2" in tips and "2024-03 vi: 1" in tips
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "2 without a date (not shown)" in texts
    assert "vi: 6" in texts and "en: 2" in texts
    assert "2024-02" in texts  # an empty month still has its place on the axis


def test_coverage_bars_coloured_by_gate():
    gates = [{"gate": "coverage/lead", "result": "fail", "warn": 0.99, "fail": 0.95}]
    root = render({}, gates=gates)
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "no dated records" in texts
    assert "40.0%  FAILED" in texts and "100.0%" in texts
    lead_bar = [
        r for r in root.iter(f"{SVG}rect") if r.findtext(f"{SVG}title", "").startswith("lead:")
    ]
    assert lead_bar[0].get("fill") == chart.RESULT_COLOURS["fail"]
    assert float(lead_bar[0].get("width")) > 0


def test_text_is_escaped():
    root = render({"vi": {"2024-01": 1}}, cov={}, gates=())
    assert root is not None
    svg = chart.render_svg("<&>", {}, {}, [], ["title"])
    assert "&lt;&amp;&gt;" in svg
