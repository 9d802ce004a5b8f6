"""Charts for official documents: PNG pictures drawn with matplotlib's object API.

The Agg canvas is used directly (no pyplot), so drawing keeps no global state and is safe in
threads. Every text is set in the document's font (decree30: Times New Roman, else its
metric-compatible Liberation Serif, which has every Vietnamese letter), passed to each text as
FontProperties rather than through the global rcParams; numbers are written the Vietnamese way
("1.234", "12,5"). The same input gives the same bytes on a machine: the PNG carries no software
or date metadata.
"""

from __future__ import annotations

import functools
import io
import logging
import math
import threading
from collections.abc import Sequence

from matplotlib import font_manager
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.textpath import TextToPath

from baocao.core.vietnamese import format_number

from . import decree30 as d30

logger = logging.getLogger(__name__)

# When neither the document's font nor a stand-in is installed: ships with matplotlib, serif,
# every Vietnamese letter.
LAST_RESORT_FONT = "DejaVu Serif"
CHART_DPI = 150
CHART_WIDTH_CM = 16.0
BAR_PITCH_CM = 0.75  # height per bar
CHART_MARGIN_CM = 1.6  # title and padding
BAR_COLOR = "#1f4e79"
MISSING_TEXT = "chưa có số liệu"
_CM_PER_INCH = 2.54
LABEL_SIZE_PT = 10.0
VALUE_SIZE_PT = 9.5
TITLE_SIZE_PT = 11.5
_CM_PER_PT = 2.54 / 72
_FONT_LOOKUP = threading.Lock()


def _installed(family: str) -> bool:
    try:
        font_manager.findfont(FontProperties(family=family), fallback_to_default=False)
    except ValueError:
        return False
    return True


@functools.lru_cache(maxsize=1)
def chart_font_family() -> str:
    """The document's font as matplotlib knows it: Times New Roman, else the first stand-in.

    matplotlib lists the system's fonts once and caches the list in its configuration folder, so
    a font installed later is unknown to it: the system's font files are then added to it once."""
    wanted = [name for name in (d30.FONT_NAME, *d30.FONT_FALLBACKS) if name not in ("serif", "sans-serif")]
    with _FONT_LOOKUP:  # matplotlib's font list is global
        for attempt in range(2):
            for family in wanted:
                if _installed(family):
                    return family
            if attempt == 0:
                for path in font_manager.findSystemFonts():
                    try:
                        font_manager.fontManager.addfont(path)
                    except (OSError, RuntimeError, ValueError):  # a file FreeType cannot read
                        continue
    logger.warning("charts: none of %s is installed; labels are set in %s", ", ".join(wanted), LAST_RESORT_FONT)
    return LAST_RESORT_FONT


def chart_font(size_pt: float, *, bold: bool = False, italic: bool = False) -> FontProperties:
    """The font of a chart's texts at ``size_pt``."""
    return FontProperties(
        family=chart_font_family(), size=size_pt, weight="bold" if bold else "normal",
        style="italic" if italic else "normal",
    )


def _text_width_cm(texts: Sequence[str], font: FontProperties) -> float:
    measure = TextToPath()
    widest = max((measure.get_text_width_height_descent(text, font, ismath=False)[0] for text in texts),
                 default=0.0)
    return widest * _CM_PER_PT


def format_value(value: float | None, unit: str = "") -> str:
    """A bar's label: "1.234", "12,5%", "35 trạm"; at most two decimals."""
    if value is None:
        return MISSING_TEXT
    rounded = round(float(value), 2)
    text = format_number(int(rounded) if rounded.is_integer() else rounded)
    if not unit:
        return text
    return f"{text}{unit}" if unit == "%" else f"{text} {unit}"


def bar_chart(labels: Sequence[str], values: Sequence[float | None], *, title: str, unit: str = "") -> bytes:
    """Horizontal bars, the first label at the top, each bar labelled with its value; PNG bytes.

    A None value (a unit that has not reported) gets no bar and the text "chưa có số liệu".
    """
    figure = bar_figure(labels, values, title=title, unit=unit)
    buffer = io.BytesIO()
    # Level 3 deflate: a tenth of the encoding time of the default 6, a few per cent larger.
    FigureCanvasAgg(figure).print_png(buffer, metadata={"Software": None}, pil_kwargs={"compress_level": 3})
    return buffer.getvalue()


def bar_figure(labels: Sequence[str], values: Sequence[float | None], *, title: str, unit: str = "") -> Figure:
    """The matplotlib figure that `bar_chart` prints (see there)."""
    if len(labels) != len(values):
        raise ValueError(f"{len(labels)} labels but {len(values)} values")
    numbers = [None if value is None else float(value) for value in values]
    if any(number is not None and not math.isfinite(number) for number in numbers):
        raise ValueError("chart values must be finite numbers")

    count = max(1, len(labels))
    title_cm = 0.9 if title else 0.0
    height_cm = CHART_MARGIN_CM + title_cm + BAR_PITCH_CM * count
    figure = Figure(figsize=(CHART_WIDTH_CM / _CM_PER_INCH, height_cm / _CM_PER_INCH), dpi=CHART_DPI)
    label_font = chart_font(LABEL_SIZE_PT)
    value_font = chart_font(VALUE_SIZE_PT)
    # Fixed margins from the longest label, measured in the chart's font, instead of matplotlib's
    # constrained layout, which measures every text twice and costs more than the drawing itself.
    label_cm = min(CHART_WIDTH_CM * 0.45, 0.3 + _text_width_cm(list(labels) or ["x"], label_font))
    figure.subplots_adjust(
        left=label_cm / CHART_WIDTH_CM, right=0.97,
        bottom=0.4 / height_cm, top=1 - (0.4 + title_cm) / height_cm,
    )
    axes = figure.add_subplot()

    positions = list(range(len(labels)))
    present = [0.0 if number is None else number for number in numbers]
    axes.barh(positions, present, height=0.62, color=BAR_COLOR)
    axes.set_yticks(positions, labels=list(labels), fontproperties=label_font)
    axes.invert_yaxis()  # as given: the first label on top
    axes.set_title(title, loc="center", fontproperties=chart_font(TITLE_SIZE_PT, bold=True))

    known = [number for number in numbers if number is not None]
    low = min([0.0, *known])
    high = max([0.0, *known])
    span = (high - low) or 1.0
    # Room beside the bars for their labels.
    axes.set_xlim(low - (0.18 * span if low < 0 else 0), high + 0.18 * span)
    for position, number in zip(positions, numbers, strict=True):
        text = format_value(number, unit)
        if number is None:
            axes.text(
                0,
                position,
                " " + text,
                va="center",
                ha="left",
                color="#555555",
                fontproperties=chart_font(VALUE_SIZE_PT - 0.5, italic=True),
            )
        else:
            offset = 0.01 * span
            x, align = (number + offset, "left") if number >= 0 else (number - offset, "right")
            axes.text(x, position, text, va="center", ha=align, color="#000000", fontproperties=value_font)

    axes.xaxis.set_visible(False)
    for side in ("top", "right", "bottom", "left"):
        axes.spines[side].set_visible(False)
    # The zero line stands in for the left axis, so negative bars extend to its left.
    axes.axvline(0, color="#000000", linewidth=0.8)
    axes.tick_params(axis="y", length=0)
    axes.set_axisbelow(True)
    return figure
