"""Charts for official documents: PNG, Vietnamese labels and numbers, deterministic."""

from __future__ import annotations

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
