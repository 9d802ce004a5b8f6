"""Sentence templates: optional segments, escapes, validation naming the culprit, tidy output."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from baocao.consolidation.templates import (
    DEFAULT_INDICATOR_LINE,
    DEFAULT_INTRO,
    PLACEHOLDERS_INDICATOR,
    PLACEHOLDERS_INTRO,
    TemplateError,
    render_template,
    template_fields,
    validate_template,
)
from baocao.core.errors import AppError

LINE = "{name}: {value} {unit_of_measure}[, {trend} {change_pct} so với {previous_period}]."
BTS = {"name": "Số trạm BTS", "value": "1.350", "unit_of_measure": "trạm"}


def test_optional_segment_rendered_when_previous_exists() -> None:
    values = {**BTS, "trend": "tăng", "change_pct": "12,5%", "previous_period": "6 tháng đầu năm 2021"}
    assert render_template(LINE, values) == "Số trạm BTS: 1.350 trạm, tăng 12,5% so với 6 tháng đầu năm 2021."


@pytest.mark.parametrize("missing", [None, "", "   "])
def test_optional_segment_dropped_when_a_value_inside_is_missing(missing: str | None) -> None:
    values = {**BTS, "trend": missing, "change_pct": "12,5%", "previous_period": "6 tháng đầu năm 2021"}
    assert render_template(LINE, values) == "Số trạm BTS: 1.350 trạm."
    assert render_template(LINE, BTS) == "Số trạm BTS: 1.350 trạm."


def test_missing_required_value_shows_an_ellipsis_and_spaces_are_tidied() -> None:
    assert render_template(LINE, {"name": "Số trạm BTS", "unit_of_measure": ""}) == "Số trạm BTS: …."
    assert render_template("{name} :  {value} ( {unit_of_measure} ) ,xong", {"name": "A", "value": "5",
                                                                            "unit_of_measure": "trạm"}) == \
        "A: 5 (trạm),xong"


def test_default_indicator_line() -> None:
    full = {**BTS, "comparison": "tăng 12,5% so với 6 tháng đầu năm 2021", "achieved_pct": "90%",
            "target": "1.500"}
    assert render_template(DEFAULT_INDICATOR_LINE, full) == (
        "Số trạm BTS: 1.350 trạm, tăng 12,5% so với 6 tháng đầu năm 2021, đạt 90% kế hoạch năm (1.500 trạm)."
    )
    assert render_template(DEFAULT_INDICATOR_LINE, {**BTS, "unit_of_measure": ""}) == "Số trạm BTS: 1.350."
    assert render_template(DEFAULT_INDICATOR_LINE, {**BTS, "unit_of_measure": None}) == "Số trạm BTS: 1.350 …."


def test_default_intro() -> None:
    values = {
        "regime": "Chế độ báo cáo định kỳ ngành Thông tin và Truyền thông", "unit": "Sở Thông tin và Truyền thông",
        "period": "6 tháng đầu năm 2022", "window_start": "15/12/2021", "window_end": "14/06/2022",
        "approved": "7", "expected": "8", "missing": "01", "late": None,
    }
    assert render_template(DEFAULT_INTRO, values) == (
        "Thực hiện Chế độ báo cáo định kỳ ngành Thông tin và Truyền thông, Sở Thông tin và Truyền thông tổng hợp "
        "kết quả thực hiện nhiệm vụ 6 tháng đầu năm 2022 trên cơ sở báo cáo của các đơn vị; số liệu tính từ ngày "
        "15/12/2021 đến ngày 14/06/2022. Đã có 7/8 đơn vị gửi báo cáo được duyệt; 01 đơn vị chưa có báo cáo "
        "được duyệt."
    )


def test_defaults_use_only_their_placeholders() -> None:
    validate_template(DEFAULT_INTRO, PLACEHOLDERS_INTRO)
    validate_template(DEFAULT_INDICATOR_LINE, PLACEHOLDERS_INDICATOR)
    assert template_fields(DEFAULT_INDICATOR_LINE) == {"name", "value", "unit_of_measure", "comparison",
                                                       "achieved_pct", "target"}


def test_unknown_placeholder_is_rejected_naming_it() -> None:
    with pytest.raises(TemplateError) as caught:
        validate_template("{name}: {value} {abc}", PLACEHOLDERS_INDICATOR)
    error = caught.value
    assert isinstance(error, AppError) and error.status == 400
    assert error.message.startswith("Mẫu câu có trường không hợp lệ: {abc}. Các trường dùng được: ")
    assert "{achieved_pct}" in error.message and "{value}" in error.message
    assert error.extra["field"] == "abc"
    with pytest.raises(TemplateError, match=r"\{previous\}"):
        validate_template("[{previous}]", PLACEHOLDERS_INTRO)


def test_escaped_braces_and_brackets_are_literal() -> None:
    template = "{{mã}} {name} [[ghi chú]] [{{{value}}}]"
    assert template_fields(template) == {"name", "value"}
    assert render_template(template, {"name": "A", "value": "5"}) == "{mã} A [ghi chú] {5}"
    assert render_template(template, {"name": "A"}) == "{mã} A [ghi chú]"


def test_values_are_never_read_as_template_syntax() -> None:
    assert render_template("{name}", {"name": "{value} [x]"}) == "{value} [x]"


def test_spaces_inside_braces_are_allowed() -> None:
    assert template_fields("{ name }") == {"name"}
    assert render_template("{ name }", {"name": "A"}) == "A"


@pytest.mark.parametrize(
    ("template", "fragment"),
    [
        ("{name", "«{» chưa đóng"),
        ("{name {value}", "«{» chưa đóng"),
        ("name}", "«}» thừa"),
        ("[a [b] c]", "không được lồng"),
        ("[{name}", "«[» chưa đóng"),
        ("{name}]", "«]» thừa"),
        ("{}", "trường không hợp lệ: {}"),
        ("{tên}", "trường không hợp lệ: {tên}"),
        ("{a b}", "trường không hợp lệ: {a b}"),
        ("[x]]", "«[» chưa đóng"),  # "]]" is a literal bracket, so the segment stays open
    ],
)
def test_malformed_templates_are_rejected(template: str, fragment: str) -> None:
    with pytest.raises(TemplateError) as caught:
        validate_template(template, PLACEHOLDERS_INDICATOR)
    assert fragment in caught.value.message
    with pytest.raises(TemplateError):
        render_template(template, {})


def test_optional_segment_without_placeholders_is_kept() -> None:
    assert render_template("A[ và B].", {}) == "A và B."


# --- properties --------------------------------------------------------------------------------

FIELDS = sorted(PLACEHOLDERS_INDICATOR)
plain = st.text(alphabet=st.characters(blacklist_characters="{}[]", blacklist_categories=("Cs",)), max_size=12)
escape = st.sampled_from(["{{", "}}", "[[", "]]"])
placeholder = st.sampled_from(FIELDS).map(lambda name: "{" + name + "}")
piece = st.one_of(plain, escape, placeholder)
optional = st.lists(piece, max_size=4).map(lambda parts: "[" + "".join(parts) + "]")
templates = st.lists(st.one_of(piece, optional), max_size=8).map("".join)
values = st.dictionaries(st.sampled_from(FIELDS), st.one_of(st.none(), st.text(max_size=10)))


@settings(max_examples=300)
@given(templates, values)
def test_valid_templates_always_render(template: str, vals: dict[str, str | None]) -> None:
    validate_template(template, PLACEHOLDERS_INDICATOR)
    out = render_template(template, vals)
    assert isinstance(out, str)
    assert out == out.strip()
    assert "  " not in out


@settings(max_examples=300)
@given(st.text(alphabet="{}[]ab_ ,.", max_size=20))
def test_any_text_either_parses_or_raises_template_error(template: str) -> None:
    try:
        fields = template_fields(template)
    except TemplateError:
        return
    assert isinstance(render_template(template, dict.fromkeys(fields, "x")), str)
