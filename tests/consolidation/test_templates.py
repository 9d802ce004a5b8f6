"""Sentence templates: optional segments, escapes, validation naming the culprit, tidy output."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from baocao.consolidation.templates import (
    ASSESSMENT_TEMPLATES,
    DEFAULT_CLOSING,
    DEFAULT_INDICATOR_LINE,
    DEFAULT_INTRO,
    DEFAULT_NEXT_HEADING,
    DEFAULT_SUMMARY,
    PLACEHOLDERS_CLOSING,
    PLACEHOLDERS_INDICATOR,
    PLACEHOLDERS_INTRO,
    PLACEHOLDERS_NEXT_HEADING,
    PLACEHOLDERS_SUMMARY,
    TemplateError,
    render_summary,
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
    """One sentence: the basis (when the regime has one), what is reported, the cut-off window."""
    values = {
        "unit": "Sở Thông tin và Truyền thông", "window_start": "15/12/2021", "window_end": "14/6/2022",
        "summary": "kết quả công tác 6 tháng đầu năm 2022 và phương hướng, nhiệm vụ 6 tháng cuối năm 2022",
        "legal_basis": "Căn cứ Kế hoạch số 12/KH-UBND ngày 10/01/2022 của UBND tỉnh",
    }
    assert render_template(DEFAULT_INTRO, values) == (
        "Căn cứ Kế hoạch số 12/KH-UBND ngày 10/01/2022 của UBND tỉnh, Sở Thông tin và Truyền thông báo cáo kết quả "
        "công tác 6 tháng đầu năm 2022 và phương hướng, nhiệm vụ 6 tháng cuối năm 2022 (số liệu tính từ ngày "
        "15/12/2021 đến ngày 14/6/2022) như sau:"
    )
    assert render_template(DEFAULT_INTRO, {**values, "legal_basis": None}).startswith(
        "Sở Thông tin và Truyền thông báo cáo kết quả công tác")


def test_title_speaks_of_the_next_period_only_when_given() -> None:
    fields = {"regime": "Báo cáo công tác thông tin và truyền thông", "period_code": "2022", "unit": "Sở"}
    assert render_summary(DEFAULT_SUMMARY, period="Năm 2022", next_period="Năm 2023", **fields) == (
        "Kết quả thực hiện Báo cáo công tác thông tin và truyền thông năm 2022 và phương hướng, nhiệm vụ năm 2023")
    assert render_summary("{period}: kết quả", period="Năm 2022", **fields) == "Năm 2022: kết quả"
    assert render_summary(DEFAULT_SUMMARY, period="6 tháng đầu năm 2022", next_period=None, **fields) == (
        "Kết quả thực hiện Báo cáo công tác thông tin và truyền thông 6 tháng đầu năm 2022")


def test_defaults_use_only_their_placeholders() -> None:
    validate_template(DEFAULT_INTRO, PLACEHOLDERS_INTRO)
    validate_template(DEFAULT_INDICATOR_LINE, PLACEHOLDERS_INDICATOR)
    validate_template(DEFAULT_SUMMARY, PLACEHOLDERS_SUMMARY)
    validate_template(DEFAULT_CLOSING, PLACEHOLDERS_CLOSING)
    validate_template(DEFAULT_NEXT_HEADING, PLACEHOLDERS_NEXT_HEADING)
    for text, allowed in ASSESSMENT_TEMPLATES.values():
        validate_template(text, allowed)
    assert template_fields(DEFAULT_INDICATOR_LINE) == {"name", "value", "unit_of_measure", "comparison",
                                                       "achieved_pct", "target"}
    assert "legal_basis" in template_fields(DEFAULT_INTRO) and DEFAULT_CLOSING.endswith("./.")


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
