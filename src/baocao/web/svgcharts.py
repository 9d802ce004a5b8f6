"""Charts of the desks drawn on the server as inline SVG (pure: no Django, no database).

Why SVG from our own code rather than a JavaScript chart library: the page is complete when it
arrives (nothing to download, nothing to run, offline deployments included), the strict CSP needs
no exception (no script, no inline style: colours are classes of desk.css, with SVG presentation
attributes such as `fill` as the fallback, which CSP does not govern), it prints as it shows, and
drawing a few dozen rectangles costs microseconds. See docs/architecture.md, "Charts of the desks".

Every chart is an `<svg role="img">` with a `<title>` and a `<desc>` (the figures in words) and is
labelled by them (`aria-labelledby`); the page puts the same figures in a table next to it. Texts
are escaped; numbers are written the Vietnamese way (1.234; 12,5%). The same input gives the same
text, so a chart can be compared in tests.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from html import escape

from baocao.core.vietnamese import format_number, format_percent

Number = Decimal | float | int

HBAR_SPAN = 84.0  # per cent of the chart's width the longest bar takes; the rest is room for its value
HBAR_LABEL_HEIGHT = 18
HBAR_BAR_HEIGHT = 14
HBAR_BAR_GAP = 3
HBAR_GROUP_GAP = 12
LEGEND_HEIGHT = 24

COLUMN_WIDTH = 320
COLUMN_HEIGHT = 190
COLUMN_TOP = 28  # room for the value above the tallest bar
COLUMN_BOTTOM = 34  # room for the period labels
COLUMN_SIDE = 8
MISSING = "–"


@dataclass(frozen=True)
class Series:
    """One set of bars: its name (legend), its values (None: no figure) and its colour class."""

    name: str
    values: Sequence[Number | None]
    css: str = "s1"


def _attr(text: str) -> str:
    return escape(text, quote=True)


def _num(value: float) -> str:
    """A coordinate: at most one decimal, never exponent form."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _open(*, chart_id: str, width: int, height: int, title: str, desc: str, css: str) -> list[str]:
    cid = _attr(chart_id)
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart {css}" id="{cid}" role="img" '
        f'viewBox="0 0 {width} {height}" preserveAspectRatio="xMinYMin meet" '
        f'aria-labelledby="{cid}-t {cid}-d">',
        f'<title id="{cid}-t">{escape(title)}</title>',
        f'<desc id="{cid}-d">{escape(desc)}</desc>',
    ]


def percent_text(value: Number | None) -> str:
    return MISSING if value is None else format_percent(value, 1)


def hbar_chart(*, chart_id: str, title: str, desc: str, categories: Sequence[str], series: Sequence[Series],
               maximum: Number = 100, value_text=percent_text) -> str:
    """Horizontal bars, one group per category (its label above the bars), one bar per series;
    bars scale from 0 to `maximum` (a value above it is drawn full length).

    The chart has no viewBox: it is as wide as its box and its bars are percentages of that width,
    so its text keeps its size on a phone as on a desktop (a scaled drawing would shrink it)."""
    for s in series:
        if len(s.values) != len(categories):
            raise ValueError(f"series {s.name!r} has {len(s.values)} values for {len(categories)} categories")
    top = {float(v) for s in series for v in s.values if v is not None}
    maximum = float(maximum) if float(maximum) > 0 else (max(top) if top and max(top) > 0 else 1.0)
    group = HBAR_LABEL_HEIGHT + len(series) * (HBAR_BAR_HEIGHT + HBAR_BAR_GAP) + HBAR_GROUP_GAP
    height = LEGEND_HEIGHT + max(1, len(categories)) * group
    cid = _attr(chart_id)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-hbar" id="{cid}" role="img" width="100%" '
        f'height="{height}" aria-labelledby="{cid}-t {cid}-d">',
        f'<title id="{cid}-t">{escape(title)}</title>',
        f'<desc id="{cid}-d">{escape(desc)}</desc>',
    ]
    # Legend.
    x = 0.0
    for s in series:
        out.append(f'<rect class="bar {_attr(s.css)}" x="{_num(x)}" y="4" width="12" height="12" fill="#0b4f8a"/>')
        out.append(f'<text class="legend" x="{_num(x + 16)}" y="14" font-size="13">{escape(s.name)}</text>')
        x += 28 + 7.5 * len(s.name)
    # Grid at 0, 50% and 100% of the scale.
    bottom = height - HBAR_GROUP_GAP / 2
    for fraction in (0.0, 0.5, 1.0):
        gx = _num(HBAR_SPAN * fraction)
        out.append(f'<line class="grid" x1="{gx}%" y1="{LEGEND_HEIGHT}" x2="{gx}%" y2="{_num(bottom)}" '
                   f'stroke="#d9dee7" stroke-width="1"/>')
    y = float(LEGEND_HEIGHT)
    for index, category in enumerate(categories):
        out.append(f'<text class="label" x="0" y="{_num(y + 13)}" font-size="13">{escape(category)}</text>')
        by = y + HBAR_LABEL_HEIGHT
        for s in series:
            value = s.values[index]
            length = 0.0 if value is None else HBAR_SPAN * min(max(float(value), 0.0), maximum) / maximum
            out.append(f'<rect class="bar {_attr(s.css)}" x="0" y="{_num(by)}" width="{_num(length)}%" '
                       f'height="{HBAR_BAR_HEIGHT}" fill="#0b4f8a"/>')
            out.append(f'<text class="value" x="{_num(length)}%" dx="4" y="{_num(by + HBAR_BAR_HEIGHT - 3)}" '
                       f'font-size="12">{escape(value_text(value))}</text>')
            by += HBAR_BAR_HEIGHT + HBAR_BAR_GAP
        y += group
    out.append("</svg>")
    return "".join(out)


def nice_ceiling(value: float) -> float:
    """The smallest of 1, 2, 2.5, 5 × 10^k not below `value` (0 and below give 1)."""
    if value <= 0 or not math.isfinite(value):
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if step * power >= value * (1 - 1e-12):
            return step * power
    return 10 * power


def column_chart(*, chart_id: str, title: str, desc: str, labels: Sequence[str], values: Sequence[Number | None],
                 target: Number | None = None, target_label: str = "Kế hoạch năm",
                 value_text=format_number) -> str:
    """Columns of one figure over periods (oldest left), with the year's target as a dashed line
    when there is one. A missing figure is a dash on the axis, not a zero column."""
    if len(values) != len(labels):
        raise ValueError(f"{len(values)} values for {len(labels)} labels")
    present = [float(v) for v in values if v is not None]
    if target is not None:
        present.append(float(target))
    scale = nice_ceiling(max(present) if present else 0.0)
    plot_height = COLUMN_HEIGHT - COLUMN_TOP - COLUMN_BOTTOM
    base = COLUMN_HEIGHT - COLUMN_BOTTOM
    slot = (COLUMN_WIDTH - 2 * COLUMN_SIDE) / max(1, len(labels))
    bar = min(56.0, slot * 0.6)
    out = _open(chart_id=chart_id, width=COLUMN_WIDTH, height=COLUMN_HEIGHT, title=title, desc=desc,
                css="chart-columns")
    out.append(f'<line class="axis" x1="{COLUMN_SIDE}" y1="{base}" x2="{COLUMN_WIDTH - COLUMN_SIDE}" y2="{base}" '
               f'stroke="#5b6473" stroke-width="1"/>')
    last = len(labels) - 1
    for index, (label, value) in enumerate(zip(labels, values, strict=True)):
        cx = COLUMN_SIDE + slot * index + slot / 2
        css = "bar s1 latest" if index == last else "bar s1"
        if value is None:
            out.append(f'<text class="value missing" x="{_num(cx)}" y="{_num(base - 4)}" font-size="12" '
                       f'text-anchor="middle">{MISSING}</text>')
        else:
            h = plot_height * max(float(value), 0.0) / scale
            out.append(f'<rect class="{css}" x="{_num(cx - bar / 2)}" y="{_num(base - h)}" width="{_num(bar)}" '
                       f'height="{_num(h)}" fill="#0b4f8a"/>')
            out.append(f'<text class="value" x="{_num(cx)}" y="{_num(base - h - 4)}" font-size="12" '
                       f'text-anchor="middle">{escape(value_text(value))}</text>')
        out.append(f'<text class="label" x="{_num(cx)}" y="{_num(base + 16)}" font-size="12" '
                   f'text-anchor="middle">{escape(label)}</text>')
    if target is not None:
        ty = base - plot_height * max(float(target), 0.0) / scale
        out.append(f'<line class="target" x1="{COLUMN_SIDE}" y1="{_num(ty)}" x2="{COLUMN_WIDTH - COLUMN_SIDE}" '
                   f'y2="{_num(ty)}" stroke="#a36200" stroke-width="2" stroke-dasharray="6 4"/>')
        out.append(f'<text class="target-label" x="{COLUMN_WIDTH - COLUMN_SIDE}" y="{_num(max(ty - 4, 11))}" '
                   f'font-size="11" text-anchor="end">{escape(target_label)}: {escape(value_text(target))}</text>')
    out.append("</svg>")
    return "".join(out)
