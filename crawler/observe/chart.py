"""The report's picture: one hand-written SVG, no plotting library.

Top: records per month of publication, stacked by edition (the archive after the run, from the state
store) — a gap or a cliff shows a section or a date format the crawl lost. Bottom: field coverage of
the articles the run wrote, one bar per field, coloured by its gate (green pass, amber warning, red
failure, grey not gated) with the warning and failure levels marked. The SVG is plain (no script, no
external font or CSS) so browsers, Markdown viewers and image converters all show it the same way.
"""

from __future__ import annotations

import math
from typing import Any
from xml.sax.saxutils import escape, quoteattr

# `coverage` is also the name of the coverage figures passed around below.
from crawler.observe import coverage as coverage_rules

WIDTH = 960
LEFT, RIGHT = 70, 30
PLOT_W = WIDTH - LEFT - RIGHT
MONTHS_H = 260
ROW_H = 22
EDITION_COLOURS = {"vi": "#2f6db5", "en": "#f08a24"}
OTHER_COLOUR = "#7a7a7a"
RESULT_COLOURS = {"pass": "#3a9a48", "warn": "#e0a800", "fail": "#d03a2f", "skip": "#9a9a9a"}
UNGATED = "#a9b4c2"
FONT = 'font-family="DejaVu Sans, Arial, Helvetica, sans-serif"'


def _text(x: float, y: float, s: str, size: int = 12, anchor: str = "start", **attrs: str) -> str:
    extra = "".join(f" {k.replace('_', '-')}={quoteattr(v)}" for k, v in attrs.items())
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}"{extra}>'
        f"{escape(s)}</text>"
    )


def _rect(x: float, y: float, w: float, h: float, fill: str, title: str | None = None) -> str:
    tip = f"<title>{escape(title)}</title>" if title else ""
    return (
        f'<rect x="{x:.2f}" y="{y:.2f}" width="{max(w, 0):.2f}" height="{max(h, 0):.2f}" '
        f'fill="{fill}">{tip}</rect>'
    )


def _line(x1: float, y1: float, x2: float, y2: float, stroke: str, **attrs: str) -> str:
    extra = "".join(f" {k.replace('_', '-')}={quoteattr(v)}" for k, v in attrs.items())
    return (
        f'<line x1="{x1:.2f}" y1="{y1:.2f}" x2="{x2:.2f}" y2="{y2:.2f}" stroke="{stroke}"{extra}/>'
    )


def axis_ticks(peak: float, most: int = 5) -> list[int]:
    """0 up to the first multiple of a 1-2-5 step at or above `peak`, in at most `most` steps."""
    if peak <= 0:
        return [0, 1]
    step = 1
    while True:
        for m in (1, 2, 5):
            if math.ceil(peak / (step * m)) <= most:
                step *= m
                return [step * i for i in range(math.ceil(peak / step) + 1)]
        step *= 10


def month_range(first: str, last: str) -> list[str]:
    """Every YYYY-MM from first to last inclusive."""
    y, m = int(first[:4]), int(first[5:7])
    y2, m2 = int(last[:4]), int(last[5:7])
    out = []
    while (y, m) <= (y2, m2):
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def _is_month(s: str) -> bool:
    return len(s) == 7 and s[4] == "-" and s[:4].isdigit() and s[5:].isdigit()


def _months_panel(months: dict[str, dict[str, int]], top: float) -> list[str]:
    out = [
        _text(
            LEFT,
            top,
            "Records per month of publication, by edition (archive after this run)",
            15,
            font_weight="bold",
        ),
    ]
    editions = sorted(months, key=lambda e: (e not in EDITION_COLOURS, e))
    known = sorted({m for by in months.values() for m in by if _is_month(m)})
    unknown = sum(by.get("unknown", 0) for by in months.values())
    plot_top, plot_bottom = top + 40, top + 40 + MONTHS_H
    out += _edition_legend(months, editions, top)
    if not known:
        middle = (plot_top + plot_bottom) / 2
        out.append(_text(LEFT + PLOT_W / 2, middle, "no dated records", 14, "middle", fill="#666"))
        return out
    axis = month_range(known[0], known[-1])
    stacked = [sum(months[e].get(m, 0) for e in editions) for m in axis]
    ticks = axis_ticks(max(stacked))
    scale = MONTHS_H / ticks[-1]
    for value in ticks:
        y = plot_bottom - value * scale
        out.append(_line(LEFT, y, LEFT + PLOT_W, y, "#e3e3e3"))
        out.append(_text(LEFT - 6, y + 4, f"{value:,}", 11, "end", fill="#555"))
    out += _month_bars(months, editions, axis, plot_bottom, scale)
    out.append(_line(LEFT, plot_bottom, LEFT + PLOT_W, plot_bottom, "#333"))
    out += _month_labels(axis, plot_bottom)
    if unknown:
        note = f"{unknown:,} without a date (not shown)"
        out.append(_text(LEFT + PLOT_W, plot_bottom + 32, note, 11, "end", fill="#666"))
    return out


def _edition_legend(
    months: dict[str, dict[str, int]], editions: list[str], top: float
) -> list[str]:
    """A swatch and the record count of each edition, right-aligned above the plot."""
    out = []
    x = LEFT + PLOT_W
    for edition in reversed(editions):
        total = sum(months[edition].values())
        label = f"{edition}: {total:,}"
        x -= 11 + 7.5 * len(label) + 14
        out.append(_rect(x, top + 12, 11, 11, EDITION_COLOURS.get(edition, OTHER_COLOUR)))
        out.append(_text(x + 15, top + 22, label, 12))
    return out


def _month_bars(
    months: dict[str, dict[str, int]],
    editions: list[str],
    axis: list[str],
    plot_bottom: float,
    scale: float,
) -> list[str]:
    """One bar per month, its editions stacked."""
    out = []
    slot = PLOT_W / len(axis)
    gap = 1 if slot > 3 else 0
    for i, month in enumerate(axis):
        y = plot_bottom
        for edition in editions:
            n = months[edition].get(month, 0)
            if not n:
                continue
            h = n * scale
            colour = EDITION_COLOURS.get(edition, OTHER_COLOUR)
            out.append(
                _rect(LEFT + i * slot, y - h, slot - gap, h, colour, f"{month} {edition}: {n}")
            )
            y -= h
    return out


def _month_labels(axis: list[str], plot_bottom: float) -> list[str]:
    """Label every month when there is room, else every January (or every Nth year)."""
    slot = PLOT_W / len(axis)
    if len(axis) * 52 <= PLOT_W:
        ticks = list(enumerate(axis))
    else:
        years = [(i, m[:4]) for i, m in enumerate(axis) if m.endswith("-01") or i == 0]
        every = max(1, math.ceil(len(years) * 40 / PLOT_W))
        ticks = years[::every]
    out = []
    for i, label in ticks:
        x = LEFT + i * slot
        out.append(_line(x, plot_bottom, x, plot_bottom + 4, "#333"))
        out.append(_text(x + 2, plot_bottom + 16, label, 11, fill="#333"))
    return out


def _coverage_panel(
    coverage: dict[str, Any], gates: list[dict[str, Any]], fields: list[str], top: float
) -> list[str]:
    articles = coverage.get("article") or {"records": 0, "fields": {}}
    albums = coverage.get("album")
    title = f"Field coverage of the {articles['records']:,} articles written by this run"
    out = [_text(LEFT, top, title, 15, font_weight="bold")]
    out.append(
        _text(
            LEFT,
            top + 18,
            "share with the field present (fallback values not counted)"
            " · marks: amber = warning level, red = failure level",
            11,
            fill="#555",
        )
    )
    by_field = {
        g["gate"][len("coverage/") :]: g for g in gates if g["gate"].startswith("coverage/")
    }
    label_w = 120
    bar_x, bar_w = LEFT + label_w, PLOT_W - label_w - 230
    y = top + 34
    for name in fields:
        counts = articles["fields"].get(name, {"share": 0.0, "present": 0})
        share = counts["share"] if articles["records"] else 0.0
        gate = by_field.get(name)
        colour = RESULT_COLOURS[gate["result"]] if gate else UNGATED
        out.append(_text(bar_x - 8, y + 15, name, 12, "end"))
        out.append(_rect(bar_x, y + 3, bar_w, ROW_H - 6, "#f1f1f1"))
        tip = f"{name}: {counts.get('present', 0)} of {articles['records']} articles"
        out.append(_rect(bar_x, y + 3, bar_w * share, ROW_H - 6, colour, tip))
        if gate:
            for level, stroke in (
                (gate["warn"], RESULT_COLOURS["warn"]),
                (gate["fail"], RESULT_COLOURS["fail"]),
            ):
                x = bar_x + bar_w * level
                out.append(_line(x, y, x, y + ROW_H, stroke, stroke_width="2"))
        label = f"{share * 100:.1f}%" if articles["records"] else "n/a"
        if gate and gate["result"] in ("warn", "fail"):
            label += "  WARNING" if gate["result"] == "warn" else "  FAILED"
        out.append(_text(bar_x + bar_w + 8, y + 15, label, 12, fill=colour if gate else "#333"))
        if albums and albums["records"] and coverage_rules.applies("album", name):
            share_alb = albums["fields"].get(name, {"share": 0.0})["share"]
            out.append(
                _text(
                    LEFT + PLOT_W, y + 15, f"albums {share_alb * 100:.0f}%", 11, "end", fill="#777"
                )
            )
        y += ROW_H
    return out


def render_svg(
    report_title: str,
    months: dict[str, dict[str, int]],
    coverage: dict[str, Any],
    gates: list[dict[str, Any]],
    fields: list[str],
) -> str:
    """The whole picture as an SVG document."""
    top = 28
    parts = [_text(LEFT, top, report_title, 18, font_weight="bold")]
    parts += _months_panel(months, top + 36)
    cov_top = top + 36 + 40 + MONTHS_H + 60
    parts += _coverage_panel(coverage, gates, fields, cov_top)
    height = int(cov_top + 34 + ROW_H * len(fields) + 20)
    return "\n".join(
        [
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
            f'viewBox="0 0 {WIDTH} {height}" {FONT}>',
            f'<rect width="{WIDTH}" height="{height}" fill="#ffffff"/>',
            *parts,
            "</svg>",
            "",
        ]
    )
