"""Charts for official documents: PNG, Vietnamese labels and numbers, deterministic."""

from __future__ import annotations

import os
import re
import struct
import warnings

import pytest

from baocao.documents.charts import CHART_DPI, CHART_WIDTH_CM, bar_chart, format_value
from tests.documents.samples import BTS_4G, DISTRICTS

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def _chunk_types(data: bytes) -> list[bytes]:
    types, offset = [], len(PNG_SIGNATURE)
    while offset < len(data):
        (length,) = struct.unpack(">I", data[offset : offset + 4])
        types.append(data[offset + 4 : offset + 8])
        offset += 12 + length
    return types


def test_bar_chart_is_a_png_about_16_cm_wide(artifacts_dir):
    png = bar_chart(list(DISTRICTS), list(BTS_4G), title="Số trạm BTS 4G theo huyện, thành phố", unit="trạm")
    assert png.startswith(PNG_SIGNATURE)
    width, height = _png_size(png)
    assert width == pytest.approx(CHART_WIDTH_CM / 2.54 * CHART_DPI, abs=2)
    assert height > 8 * 40  # a readable row per district
    (artifacts_dir / "chart_bts_4g.png").write_bytes(png)


def test_vietnamese_labels_render_without_missing_glyphs():
    labels = ["Thành phố Bắc Kạn", "Ngân Sơn", "Pác Nặm", "Chợ Đồn", "Bạch Thông", "Ba Bể"]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # matplotlib warns "Glyph … missing from font(s)"
        png = bar_chart(
            labels, [12.5, 1234, None, 0, 7, 99.75], title="Tỷ lệ hồ sơ trực tuyến ở Pác Nặm", unit="%"
        )
    assert png.startswith(PNG_SIGNATURE)


def test_same_input_gives_the_same_bytes_without_software_metadata():
    args = (["Ba Bể", "Na Rì"], [3, 4])
    first = bar_chart(*args, title="Giống nhau")
    second = bar_chart(*args, title="Giống nhau")
    assert first == second
    assert b"tEXt" not in _chunk_types(first)
    assert b"Software" not in first and b"matplotlib" not in first.lower()


def test_negative_and_missing_values_are_drawn():
    png = bar_chart(["Tăng", "Giảm", "Chưa báo cáo"], [12.5, -3.25, None], title="Tăng trưởng", unit="%")
    assert png.startswith(PNG_SIGNATURE)


def test_labels_and_values_must_pair_up():
    with pytest.raises(ValueError):
        bar_chart(["Ba Bể"], [1, 2], title="Sai")
    with pytest.raises(ValueError):
        bar_chart(["Ba Bể"], [float("nan")], title="Sai")


@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [
        (1234, "", "1.234"),
        (1234567.0, "", "1.234.567"),
        (12.5, "%", "12,5%"),
        (99.756, "%", "99,76%"),
        (35, "trạm", "35 trạm"),
        (-3.25, "%", "-3,25%"),
        (None, "", "chưa có số liệu"),
    ],
)
def test_value_labels_use_vietnamese_number_format(value, unit, expected):
    assert format_value(value, unit) == expected


def test_chart_texts_are_set_in_the_documents_font(tmp_path):
    """The chart's labels, values and title are in the font of the document's body (Times New Roman,
    else its metric-compatible Liberation Serif), through FontProperties on every text."""
    from matplotlib import rc_context
    from matplotlib.backends.backend_svg import FigureCanvasSVG
    from matplotlib.text import Text

    from baocao.documents import decree30 as d30
    from baocao.documents.charts import bar_figure, chart_font_family

    family = chart_font_family()
    if family not in (d30.FONT_NAME, *d30.FONT_FALLBACKS):
        message = f"neither {d30.FONT_NAME} nor {', '.join(d30.FONT_FALLBACKS)} is installed (fonts-liberation2)"
        if os.environ.get("BAOCAO_REQUIRE_OFFICE"):
            pytest.fail(message)
        pytest.skip(message)
    figure = bar_figure(["Ba Bể", "Na Rì", "Pác Nặm"], [3, None, 4.5], title="Số trạm", unit="trạm")
    texts = [text for text in figure.findobj(Text) if text.get_text().strip()]
    assert {"Ba Bể", "Na Rì", "Pác Nặm", "Số trạm", "3 trạm", "4,5 trạm", " chưa có số liệu"} <= {
        text.get_text() for text in texts
    }
    assert {text.get_fontname() for text in texts} == {family}
    # As written out: an SVG with its texts as text names the font.
    with rc_context({"svg.fonttype": "none", "svg.hashsalt": "baocao"}):
        svg = tmp_path / "chart.svg"
        FigureCanvasSVG(figure).print_svg(str(svg))
    families = set(re.findall(r"font-family:\s*'?([^;'\"]+)", svg.read_text(encoding="utf-8")))
    assert families == {family}, families
