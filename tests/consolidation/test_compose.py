"""Composing the consolidated review report from plain data: golden lines, table, chart,
numbering, closing parts, what changed after a recompute, JSON round trip, size."""

from __future__ import annotations

import dataclasses
import json
from datetime import date
from decimal import Decimal

import pytest

from baocao.consolidation.compose import (
    ComposedReport,
    ComposeInput,
    IndicatorDef,
    Outline,
    Part,
    SectionDef,
    UnitRef,
    compose,
    default_parts,
    figure_changes,
    format_cell,
    format_change_pct,
    format_value,
    roman,
)
from baocao.core.errors import AppError
from baocao.reporting.choices import NarrativeKind

D = Decimal

BA_BE = UnitRef(1, "BABE", "Phòng Văn hóa và Thông tin huyện Ba Bể", "Huyện Ba Bể")
NA_RI = UnitRef(2, "NARI", "Phòng Văn hóa và Thông tin huyện Na Rì", "Huyện Na Rì")
BAC_KAN = UnitRef(3, "TPBK", "Phòng Văn hóa và Thông tin thành phố Bắc Kạn", "Thành phố Bắc Kạn")
PAC_NAM = UnitRef(4, "PACNAM", "Phòng Văn hóa và Thông tin huyện Pác Nặm", "Huyện Pác Nặm")

POST_TELECOM = SectionDef("BCVT", "Bưu chính, viễn thông", (
    IndicatorDef("BTS", "Số trạm BTS", "trạm", "integer", "sum"),
    IndicatorDef("BB_SUB", "Số thuê bao băng rộng cố định", "thuê bao", "integer", "sum"),
    IndicatorDef("COVER", "Tỷ lệ thôn có sóng di động", "%", "percent", "average"),
    IndicatorDef("DRILL", "Tổ chức diễn tập thông tin liên lạc", "", "yes_no", "sum"),
    IndicatorDef("NOTE", "Ghi chú", "", "text", "sum"),
))
DIGITAL = SectionDef("CDS", "Công nghệ thông tin, chuyển đổi số", (
    IndicatorDef("TCNS", "Số Tổ Công nghệ số cộng đồng", "tổ", "integer", "sum"),
    IndicatorDef("MEMBERS", "Số thành viên Tổ Công nghệ số cộng đồng", "người", "integer", "sum"),
    IndicatorDef("ONLINE", "Tỷ lệ hồ sơ trực tuyến", "%", "percent", "average"),
), key_indicators=("TCNS", "ONLINE"))

SHARED = "Chỉ đạo các doanh nghiệp bảo đảm thông tin liên lạc phục vụ phòng, chống thiên tai."


def make_input(**changes) -> ComposeInput:
    inp = ComposeInput(
        regime_name="Chế độ báo cáo định kỳ ngành Thông tin và Truyền thông",
        unit_name="Sở Thông tin và Truyền thông",
        period_code="2022S1", period_label="6 tháng đầu năm 2022", previous_period_label="6 tháng đầu năm 2021",
        window_start=date(2021, 12, 15), window_end=date(2022, 6, 14),
        sections=(POST_TELECOM, DIGITAL),
        units=(BA_BE, NA_RI, BAC_KAN, PAC_NAM),
        approved={
            1: {"BTS": D(120), "BB_SUB": D(1500), "COVER": D("92.5"), "DRILL": D(1), "TCNS": D(16),
                "MEMBERS": D(80), "ONLINE": D("40.5")},
            2: {"BTS": D(95), "BB_SUB": D(1200), "COVER": D(88), "DRILL": D(0), "TCNS": D(22),
                "MEMBERS": D(110), "ONLINE": None},
            3: {"BTS": D(135), "BB_SUB": D(9800), "COVER": D(100), "DRILL": D(1), "TCNS": D(15),
                "MEMBERS": D(75), "ONLINE": D("61.25")},
        },
        # Last year's totals include a unit that no longer exists (id 99).
        previous={"BTS": D(310), "BB_SUB": D(12500), "COVER": D(90), "TCNS": D(0), "ONLINE": D("50.875")},
        previous_by_unit={1: {"BTS": D(100)}, 3: {"BTS": D(130)}, 99: {"BTS": D(80)}},
        narratives={
            1: {("BCVT", "results"): f"{SHARED} Phát triển thêm 20 trạm BTS.",
                ("BCVT", "difficulties"): "Kinh phí còn hạn chế.",
                ("CDS", "difficulties"): "- Hạ tầng mạng tại các xã vùng cao còn yếu;\n- Kinh phí còn hạn chế."},
            2: {("BCVT", "results"): "chỉ đạo các doanh nghiệp bảo đảm thông tin liên lạc  phục vụ phòng chống "
                                     "thiên tai!",
                ("CDS", "proposals"): "Đề nghị Sở hỗ trợ tập huấn chuyển đổi số cho cán bộ xã."},
            3: {("BCVT", "results"): f"{SHARED} Thành lập 15 Tổ Công nghệ số cộng đồng tại các phường, xã.",
                ("BCVT", "other"): "Hỗ trợ Tuần du lịch – di sản văn hóa Ba Bể 2022.",
                ("CDS", "difficulties"): "Kinh phí còn hạn chế",
                ("CDS", "next_tasks"): "Tiếp tục triển khai Đề án chuyển đổi số."},
        },
        targets={"BTS": D(400)},
        missing=(PAC_NAM,),
        late=(NA_RI,),
    )
    return dataclasses.replace(inp, **changes)


def part(report: ComposedReport, key: str) -> Part:
    return next(p for p in report.parts if p.key == key)


def test_parts_and_numbering() -> None:
    report = compose(make_input())
    assert [(p.key, p.number, p.heading) for p in report.parts] == [
        ("intro", "", ""),
        ("units", "", ""),
        ("section:BCVT", "I", "Bưu chính, viễn thông"),
        ("section:CDS", "II", "Công nghệ thông tin, chuyển đổi số"),
        ("tasks", "III", "Tình hình thực hiện nhiệm vụ"),
        ("assessment", "IV", "Đánh giá chung"),
        ("closing:difficulties", "V", "Khó khăn, vướng mắc"),
        ("closing:next_tasks", "VI", "Phương hướng, nhiệm vụ kỳ tới"),  # no next period known
        ("closing:proposals", "VII", "Đề xuất, kiến nghị"),
        ("ending", "", ""),
    ]
    assert default_parts((POST_TELECOM, DIGITAL)) == (
        "intro", "units", "section:BCVT", "section:CDS", "tasks", "assessment", "closing:difficulties",
        "closing:next_tasks", "closing:proposals",
    )


def test_intro_and_units_statement() -> None:
    """Issue 12: the opening is one sentence (no legal basis here: none is cited), the reporting status
    is said once, in the units part, with unit counts unpadded ("3/4", "1 đơn vị")."""
    report = compose(make_input())
    assert part(report, "intro").narrative == [
        "Sở Thông tin và Truyền thông báo cáo kết quả thực hiện Chế độ báo cáo định kỳ ngành Thông tin và Truyền "
        "thông 6 tháng đầu năm 2022 (số liệu tính từ ngày 15/12/2021 đến ngày 14/6/2022) như sau:"
    ]
    assert part(report, "units").narrative == [
        "Đã có 3/4 đơn vị gửi báo cáo được duyệt.",
        "Có 1 đơn vị gửi báo cáo chậm so với thời hạn: huyện Na Rì.",
        "Còn 1 đơn vị chưa có báo cáo được duyệt: huyện Pác Nặm.",
    ]
    approved = {**make_input().approved, 4: {"BTS": D(10)}}
    everyone = compose(make_input(missing=(), late=(), approved=approved))
    assert part(everyone, "units").narrative == ["Đã có 4/4 đơn vị gửi báo cáo đúng hạn và được duyệt."]
    assert "đơn vị" not in part(everyone, "intro").narrative[0]


def test_figure_lines_golden() -> None:
    report = compose(make_input())
    assert [f.line for f in part(report, "section:BCVT").figures] == [
        "Số trạm BTS: 350 trạm, tăng 12,9% so với 6 tháng đầu năm 2021, đạt 87,5% kế hoạch năm (400 trạm).",
        "Số thuê bao băng rộng cố định: 12.500 thuê bao, bằng 6 tháng đầu năm 2021.",
        "Tỷ lệ thôn có sóng di động: 93,5%, tăng 3,5 điểm phần trăm so với 6 tháng đầu năm 2021.",
        "Tổ chức diễn tập thông tin liên lạc: 2 đơn vị.",  # yes/no: units that answered "Có"
    ]
    assert [f.line for f in part(report, "section:CDS").figures] == [
        "Số Tổ Công nghệ số cộng đồng: 53 tổ, cùng kỳ chưa có.",  # last year 0: a rise from nothing says so
        "Số thành viên Tổ Công nghệ số cộng đồng: 265 người.",  # no previous figure: no comparison
        "Tỷ lệ hồ sơ trực tuyến: 50,88%, tăng 0,01 điểm phần trăm so với 6 tháng đầu năm 2021.",
    ]


def test_figure_values() -> None:
    bts, subs, cover, drill = part(compose(make_input()), "section:BCVT").figures
    assert (bts.value, bts.previous, bts.change, bts.change_pct, bts.target, bts.achieved_pct, bts.sources) == (
        D(350), D(310), D(40), D("12.9"), D(400), D("87.5"), 3)
    assert (subs.change, subs.change_pct) == (D(0), D(0))
    assert cover.value == D("93.5") and cover.change == D("3.5")
    assert drill.value == D(2) and drill.previous is None
    online = part(compose(make_input()), "section:CDS").figures[2]
    assert online.sources == 2 and online.value == D("50.88")  # Na Rì left it blank
    # Text indicators have no figure.
    assert "NOTE" not in [f.code for f in part(compose(make_input()), "section:BCVT").figures]


def test_trend_words_and_decrease() -> None:
    inp = make_input(previous={"BTS": D(400), "BB_SUB": D(11000)})
    bts, subs, *_ = part(compose(inp), "section:BCVT").figures
    assert bts.line == ("Số trạm BTS: 350 trạm, giảm 12,5% so với 6 tháng đầu năm 2021, đạt 87,5% kế hoạch năm "
                        "(400 trạm).")
    assert subs.line == "Số thuê bao băng rộng cố định: 12.500 thuê bao, tăng 13,6% so với 6 tháng đầu năm 2021."


def test_table_rows_total_and_previous_column() -> None:
    table = part(compose(make_input()), "section:BCVT").table
    assert table is not None
    assert table.columns == [
        "Đơn vị", "Số trạm BTS (trạm)", "Số trạm BTS – 6 tháng đầu năm 2021",
        "Số thuê bao băng rộng cố định (thuê bao)", "Tỷ lệ thôn có sóng di động",
    ]
    assert table.rows == [
        ["Huyện Ba Bể", "120", "100", "1.500", "92,5%"],
        ["Huyện Na Rì", "95", "", "1.200", "88%"],
        ["Thành phố Bắc Kạn", "135", "130", "9.800", "100%"],
    ]  # Pác Nặm has no approved report: no blank row
    # The previous total is last year's aggregate (closed units included), not the sum of the rows.
    assert table.total == ["Tổng hợp", "350", "310", "12.500", "93,5%"]
    assert table.raw[0] == {"unit_id": 1, "code": "BABE", "label": "Huyện Ba Bể", "approved": True,
                            "values": {"BTS": "120", "BB_SUB": "1500", "COVER": "92.5"},
                            "previous": {"BTS": "100"}, "previous_basis": "same_unit", "predecessors": []}
    assert len(table.raw) == 3


def test_key_indicators_from_section_and_outline() -> None:
    table = part(compose(make_input()), "section:CDS").table
    assert table is not None
    assert table.columns == ["Đơn vị", "Số Tổ Công nghệ số cộng đồng (tổ)", "Tỷ lệ hồ sơ trực tuyến"]
    assert table.total == ["Tổng hợp", "53", "50,88%"]
    outline = Outline(key_indicators={"BCVT": ("DRILL", "BTS", "NOTE", "UNKNOWN")})
    report = compose(make_input(outline=outline))
    table = part(report, "section:BCVT").table
    assert table is not None
    # Last year's column belongs to the first key indicator only (here a yes/no one without it).
    assert table.columns == ["Đơn vị", "Tổ chức diễn tập thông tin liên lạc", "Số trạm BTS (trạm)"]
    assert [row[1] for row in table.rows] == ["Có", "Không", "Có"]
    assert table.total == ["Tổng cộng", "2", "350"]
    # The chart skips the yes/no indicator and takes the next key indicator.
    chart = part(report, "section:BCVT").chart
    assert chart is not None and chart["code"] == "BTS"


def test_chart_data() -> None:
    assert part(compose(make_input()), "section:BCVT").chart == {
        "title": "Số trạm BTS theo đơn vị, 6 tháng đầu năm 2022",
        "code": "BTS",
        "labels": ["Huyện Ba Bể", "Huyện Na Rì", "Thành phố Bắc Kạn"],
        "values": ["120", "95", "135"],
        "value_labels": ["120", "95", "135"],
        "unit": "trạm",
    }
    chart = part(compose(make_input()), "section:CDS").chart
    assert chart is not None and chart["labels"] == ["Huyện Ba Bể", "Huyện Na Rì", "Thành phố Bắc Kạn"]
    nothing = compose(make_input(approved={}))
    assert part(nothing, "section:BCVT").chart is None


def test_section_narrative_merges_results() -> None:
    # The three districts that reported share a sentence: named collectively (Pác Nặm sent no
    # approved report, so it is no exception); their own facts stay attributed, in one paragraph.
    assert part(compose(make_input()), "section:BCVT").narrative == [
        f"Các huyện, thành phố: {SHARED} Huyện Ba Bể: Phát triển thêm 20 trạm BTS. "
        "Thành phố Bắc Kạn: Thành lập 15 Tổ Công nghệ số cộng đồng tại các phường, xã. "
        "Hỗ trợ Tuần du lịch – di sản văn hóa Ba Bể 2022.",
    ]
    assert part(compose(make_input()), "section:CDS").narrative == []


def test_closing_parts_gather_every_section() -> None:
    report = compose(make_input())
    assert part(report, "closing:difficulties").narrative == [
        "Huyện Ba Bể và thành phố Bắc Kạn: Kinh phí còn hạn chế. "
        "Huyện Ba Bể: Hạ tầng mạng tại các xã vùng cao còn yếu.",
    ]
    assert part(report, "closing:next_tasks").narrative == [
        "Thành phố Bắc Kạn: Tiếp tục triển khai Đề án chuyển đổi số."
    ]
    assert part(report, "closing:proposals").narrative == [
        "Huyện Na Rì: Đề nghị Sở hỗ trợ tập huấn chuyển đổi số cho cán bộ xã."
    ]


def test_narrative_kind_names_match_the_model_choices() -> None:
    from baocao.consolidation import compose as module

    kinds = {module.RESULTS, module.OTHER, *module.CLOSING_PARTS.values()}
    assert kinds == set(NarrativeKind.values)


def test_outline_order_headings_and_templates() -> None:
    outline = Outline(
        intro_template="Báo cáo {period} ({period_code}) của {unit}.",
        indicator_template="{name}: {value} {unit_of_measure}[ ({trend} {change} so với {previous_period})].",
        indicator_templates={"BTS": "Trạm BTS: {value}[; kế hoạch {target}]."},
        parts=("section:CDS", "intro", "closing:proposals", "section:GONE", "section:BCVT"),
        headings={"intro": "Tình hình chung", "closing:proposals": "", "section:CDS": "Chuyển đổi số"},
    )
    report = compose(make_input(outline=outline))
    assert [(p.key, p.number, p.heading) for p in report.parts] == [
        ("section:CDS", "I", "Chuyển đổi số"),
        ("intro", "II", "Tình hình chung"),
        ("closing:proposals", "", ""),
        ("section:BCVT", "III", "Bưu chính, viễn thông"),
        ("ending", "", ""),
    ]
    assert part(report, "intro").narrative == [
        "Báo cáo 6 tháng đầu năm 2022 (2022S1) của Sở Thông tin và Truyền thông."
    ]
    lines = [f.line for f in part(report, "section:BCVT").figures]
    assert lines[:2] == [
        "Trạm BTS: 350; kế hoạch 400.",
        "Số thuê bao băng rộng cố định: 12.500 thuê bao (bằng 0 so với 6 tháng đầu năm 2021).",
    ]
    with pytest.raises(AppError, match="closing:other"):
        compose(make_input(outline=Outline(parts=("intro", "closing:other"))))


def test_missing_value_writes_no_sentence() -> None:
    report = compose(make_input(approved={1: {"BTS": None}}))
    figure = part(report, "section:BCVT").figures[0]
    assert figure.value is None and figure.line == ""


def test_meta() -> None:
    meta = compose(make_input()).meta
    assert meta["period"] == "2022S1" and meta["period_label"] == "6 tháng đầu năm 2022"
    assert (meta["window_start"], meta["window_end"]) == ("2021-12-15", "2022-06-14")
    assert (meta["expected_count"], meta["approved_count"], meta["missing_count"], meta["late_count"]) == (4, 3, 1, 1)
    assert meta["missing"] == [{"id": 4, "code": "PACNAM", "name": "Phòng Văn hóa và Thông tin huyện Pác Nặm",
                                "label": "Huyện Pác Nặm", "kind": "", "area": ""}]
    assert [u["code"] for u in meta["late"]] == ["NARI"]


def test_to_dict_is_json_and_round_trips() -> None:
    report = compose(make_input())
    data = report.to_dict()
    text = json.dumps(data, ensure_ascii=False)
    assert ComposedReport.from_dict(json.loads(text)) == report
    assert ComposedReport.from_dict(data).to_dict() == data
    bts = data["parts"][2]["figures"][0]
    assert bts["value"] == "350" and bts["change_pct"] == "12.9" and bts["achieved_pct"] == "87.5"
    assert compose(make_input()).to_dict() == data  # deterministic


def test_figure_changes_after_one_unit_changes() -> None:
    old = compose(make_input())
    approved = {**make_input().approved, 1: {**make_input().approved[1], "BTS": D(130)}}
    new = compose(make_input(approved=approved))
    expected = [{
        "kind": "figure", "part": "section:BCVT", "code": "BTS", "name": "Số trạm BTS", "field": "value",
        "old": "350", "new": "360", "old_value": "350", "new_value": "360",
    }]
    assert figure_changes(old, new) == expected
    assert figure_changes(old.to_dict(), new.to_dict()) == expected
    assert figure_changes(old, old.to_dict()) == []


def test_figure_changes_for_previous_target_and_vanished_figures() -> None:
    old = compose(make_input())
    new = compose(make_input(previous={**make_input().previous, "BB_SUB": D("12500.0")},  # same number
                             targets={"BTS": D(450)},
                             sections=(POST_TELECOM,)))
    changes = figure_changes(old, new)
    assert [(c["code"], c["field"], c["name"], c["old"], c["new"]) for c in changes] == [
        ("BTS", "target", "Số trạm BTS (kế hoạch)", "400", "450"),
        ("TCNS", "value", "Số Tổ Công nghệ số cộng đồng", "53", ""),
        ("TCNS", "previous", "Số Tổ Công nghệ số cộng đồng (số cùng kỳ)", "0", ""),
        ("MEMBERS", "value", "Số thành viên Tổ Công nghệ số cộng đồng", "265", ""),
        ("ONLINE", "value", "Tỷ lệ hồ sơ trực tuyến", "50,88%", ""),
        ("ONLINE", "previous", "Tỷ lệ hồ sơ trực tuyến (số cùng kỳ)", "50,88%", ""),
    ]


def test_formatting_helpers() -> None:
    assert format_value(D(1234567), "integer") == "1.234.567"
    assert format_value(D("1234.567"), "decimal") == "1.234,57"
    assert format_value(D("12.5"), "percent") == "12,5%"
    assert format_value(None, "integer") == ""
    assert format_value(D("99999999999999999999.995"), "decimal") == "100.000.000.000.000.000.000"
    assert [format_change_pct(D(p)) for p in ("12.5", "0.04", "0", "100")] == ["12,5%", "0,04%", "0%", "100%"]
    assert format_cell(D(1), "yes_no") == "Có" and format_cell(D(0), "yes_no") == "Không"
    assert [roman(n) for n in (1, 2, 3, 4, 9, 14, 40)] == ["I", "II", "III", "IV", "IX", "XIV", "XL"]


def test_empty_report() -> None:
    report = compose(make_input(units=(), approved={}, narratives={}, missing=(), late=()))
    assert part(report, "units").narrative == ["Kỳ này không có đơn vị nào phải gửi báo cáo."]
    assert part(report, "section:BCVT").table is None
    # Nothing reported: no sentence for the figure (it stays in the data as missing).
    assert part(report, "section:BCVT").figures[0].line == ""


def test_large_report_composes() -> None:
    """100 units × 200 indicators with narratives: runs in well under a second (not asserted)."""
    types = ["integer", "decimal", "percent", "yes_no"]
    rules = ["sum", "average", "min", "max", "last"]
    indicators = [IndicatorDef(f"I{i}", f"Chỉ tiêu {i}", "cái", types[i % 4], rules[i % 5]) for i in range(200)]
    sections = tuple(SectionDef(f"S{k}", f"Phần {k}", tuple(indicators[k * 40:(k + 1) * 40])) for k in range(5))
    units = tuple(UnitRef(u, f"U{u}", f"Đơn vị {u}", f"Huyện {u}") for u in range(100))
    approved = {u: {f"I{i}": D((u * 7 + i * 13) % 97) if i % 4 != 3 else D((u + i) % 2) for i in range(200)}
                for u in range(100)}
    narratives = {u: {(f"S{k}", kind): f"Nội dung chung {k}. Nội dung riêng {u} {k}; - gạch đầu dòng {u % 5}."
                      for k in range(5) for kind in ("results", "difficulties", "next_tasks", "proposals")}
                  for u in range(100)}
    inp = make_input(sections=sections, units=units, approved=approved, narratives=narratives,
                     previous={f"I{i}": D(i) for i in range(200)}, targets={f"I{i}": D(100) for i in range(200)},
                     previous_by_unit={u: {f"I{i}": D(1) for i in range(200)} for u in range(100)},
                     missing=(), late=())
    report = compose(inp)
    assert sum(len(p.figures) for p in report.parts) == 200
    assert ComposedReport.from_dict(report.to_dict()) == report


TASKS = {
    "by_sector": [
        {"sector": "Công nghệ thông tin", "total": 5,
         "counts": {"done_on_time": 2, "done_late": 1, "in_progress": 1, "not_started": 0, "overdue": 1}},
        {"sector": "Bưu chính – Viễn thông", "total": 2,
         "counts": {"done_on_time": 1, "done_late": 0, "in_progress": 0, "not_started": 1, "overdue": 0}},
    ],
    "overdue_key": [{"title": "Thí điểm Tổ Công nghệ số cộng đồng", "lead_unit": "Phòng Công nghệ thông tin",
                     "deadline": "2022-05-31"}],
    "next_period": [{"title": "Nâng cấp đài truyền thanh cấp xã.", "lead_unit": "Phòng VHTT huyện Ba Bể",
                     "deadline": "2022-12-15"}],
}


def test_task_part_counts_by_status_per_sector_and_lists_overdue_key_tasks() -> None:
    report = compose(make_input(tasks=TASKS))
    tasks = part(report, "tasks")
    assert tasks.heading == "Tình hình thực hiện nhiệm vụ" and tasks.number
    assert tasks.table is not None
    assert tasks.table.columns[0] == "Lĩnh vực" and tasks.table.columns[-1] == "Tổng số"
    assert tasks.table.rows[0] == ["Công nghệ thông tin", "2", "1", "1", "0", "1", "5"]
    assert tasks.table.total == ["Tổng cộng", "3", "1", "1", "1", "1", "7"]
    assert tasks.narrative[0] == ("Trong kỳ, các đơn vị thực hiện 07 nhiệm vụ; đã hoàn thành 04 nhiệm vụ (03 đúng "
                                  "hạn), đang thực hiện 01, chưa thực hiện 01, quá hạn 01 nhiệm vụ.")
    assert tasks.narrative[-1] == ("- Thí điểm Tổ Công nghệ số cộng đồng (chủ trì: Phòng Công nghệ thông tin; "
                                   "hạn: 31/5/2022).")
    next_tasks = part(report, "closing:next_tasks").narrative
    assert next_tasks[-2:] == ["Các nhiệm vụ đã giao cho kỳ tới:",
                               "- Nâng cấp đài truyền thanh cấp xã (chủ trì: Phòng VHTT huyện Ba Bể; hạn: 15/12/2022)."]


def test_task_part_without_task_data() -> None:
    assert part(compose(make_input()), "tasks").narrative == ["Trong kỳ không có nhiệm vụ nào được theo dõi."]


def test_numbers_of_nothing_are_said_in_words() -> None:
    """Issue 12 item 4: a count of nothing is never "00" nor "0 đồng, giảm 100%"."""
    from baocao.consolidation.compose import _tasks_sentence

    assert _tasks_sentence(3, 3, {"done_on_time": 3, "in_progress": 0, "not_started": 0, "overdue": 0}) == (
        "Trong kỳ, các đơn vị thực hiện 03 nhiệm vụ; đã hoàn thành 03 nhiệm vụ (03 đúng hạn), "
        "không có nhiệm vụ quá hạn.")
    assert _tasks_sentence(2, 0, {"done_on_time": 0, "in_progress": 2, "not_started": 0, "overdue": 0}) == (
        "Trong kỳ, các đơn vị thực hiện 02 nhiệm vụ; đang thực hiện 02, không có nhiệm vụ quá hạn.")
    for text in (_tasks_sentence(3, 3, {"done_on_time": 0, "in_progress": 0, "not_started": 0, "overdue": 0}),):
        assert " 00" not in text and "(00" not in text


def test_a_figure_of_nothing_says_so_with_last_years_figure() -> None:
    from dataclasses import replace

    inp = make_input()
    zeroed = {unit: {**values, "BTS": D(0)} for unit, values in inp.approved.items()}
    bts = part(compose(replace(inp, approved=zeroed)), "section:BCVT").figures[0]
    assert bts.value == 0
    assert bts.line.startswith("Số trạm BTS: không phát sinh, cùng kỳ 310 trạm")
    assert "giảm 100" not in bts.line and ": 0 " not in bts.line
