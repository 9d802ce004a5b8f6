"""The desks' SVG charts (web/svgcharts.py): well-formed, accessible (role, title, desc), escaped,
bars in proportion, missing figures shown as missing, the target where it belongs."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest

from baocao.web.svgcharts import Series, column_chart, hbar_chart, nice_ceiling

SVG = "{http://www.w3.org/2000/svg}"


def parse(text: str) -> ET.Element:
    return ET.fromstring(text)


def bars(root: ET.Element) -> list[ET.Element]:
    return [r for r in root.iter(f"{SVG}rect") if "bar" in r.get("class", "") and r.get("y") != "4"]


class TestHbar:
    def chart(self, **kw):
        args = {"chart_id": "c1", "title": "Tính đầy đủ <và> kịp thời", "desc": "BC-XA: 50%",
                "categories": ["BC-XA · 6 tháng đầu năm 2026", "BC-XA & kỳ trước"],
                "series": [Series("Đầy đủ", [50, 100], "s1"), Series("Đúng hạn", [25, None], "s2")]}
        args.update(kw)
        return hbar_chart(**args)

    def test_accessible_and_escaped(self):
        text = self.chart()
        root = parse(text)
        assert root.get("role") == "img" and root.get("aria-labelledby") == "c1-t c1-d"
        assert root.find(f"{SVG}title").text == "Tính đầy đủ <và> kịp thời"
        assert root.find(f"{SVG}desc").text == "BC-XA: 50%"
        assert "&lt;và&gt;" in text and "BC-XA &amp; kỳ trước" in text
        assert "style=" not in text  # the CSP refuses inline styles

    def test_bars_in_proportion_of_the_width(self):
        widths = [r.get("width") for r in bars(parse(self.chart()))]
        # 84% of the width is 100%; a missing value is a bar of no length.
        assert widths == ["42%", "21%", "84%", "0%"]

    def test_values_in_vietnamese(self):
        text = self.chart(series=[Series("Đầy đủ", [12.5, 100.0])])
        assert ">12,5%<" in text and ">100%<" in text
        assert ">–<" in self.chart()  # the missing one

    def test_values_above_the_maximum_are_drawn_full_length(self):
        widths = [r.get("width") for r in bars(parse(self.chart(series=[Series("x", [150, -5])])))]
        assert widths == ["84%", "0%"]

    def test_series_of_the_wrong_length_are_refused(self):
        with pytest.raises(ValueError):
            self.chart(series=[Series("x", [1])])

    def test_same_input_same_text(self):
        assert self.chart() == self.chart()


class TestColumns:
    def chart(self, **kw):
        args = {"chart_id": "k", "title": "Số đơn", "desc": "…", "labels": ["2021S1", "2022S1", "2022S2"],
                "values": [Decimal(40), Decimal(80), None], "target": Decimal(100)}
        args.update(kw)
        return column_chart(**args)

    def test_accessible(self):
        root = parse(self.chart())
        assert root.get("role") == "img" and root.find(f"{SVG}title").text == "Số đơn"

    def test_heights_against_a_nice_scale_and_the_latest_marked(self):
        root = parse(self.chart(values=[Decimal(40), Decimal(80), Decimal(20)]))
        heights = [float(r.get("height")) for r in bars(root)]
        # Scale 100 (the target), plot height 128: 40 -> 51.2, 80 -> 102.4.
        assert heights == [51.2, 102.4, 25.6]
        assert "latest" in bars(root)[-1].get("class")

    def test_missing_figure_is_a_dash_not_a_zero_column(self):
        root = parse(self.chart())
        assert len(bars(root)) == 2
        assert any(t.text == "–" for t in root.iter(f"{SVG}text"))

    def test_target_line_and_label(self):
        text = self.chart(target_label="KH 2022")
        line = next(e for e in parse(text).iter(f"{SVG}line") if e.get("class") == "target")
        assert line.get("y1") == line.get("y2") == "28"  # the top of the plot: the target is the scale
        assert "KH 2022: 100" in text

    def test_without_target_or_figures(self):
        text = self.chart(values=[None, None, None], target=None)
        assert 'class="target"' not in text and bars(parse(text)) == []

    def test_thousands_in_vietnamese(self):
        assert ">12.345<" in self.chart(values=[Decimal(12345), None, None], target=None)


@pytest.mark.parametrize(("value", "expected"), [(0, 1), (-3, 1), (0.7, 1), (1, 1), (1.2, 2), (2.1, 2.5),
                                                 (3, 5), (7, 10), (80, 100), (101, 200), (17828, 20000)])
def test_nice_ceiling(value, expected):
    assert nice_ceiling(value) == expected
