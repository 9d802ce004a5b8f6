"""Issue 12: the consolidated report reads like a "báo cáo sơ kết / tổng kết" — one opening sentence
citing the regime's basis, the reporting status said once, "Đánh giá chung" drafted from the data,
"Phương hướng, nhiệm vụ <kỳ tới>" from plans and conference conclusions, empty closing parts left
out, the closing "Trên đây là báo cáo …./.", the title speaking of the next period, counts and days
as official documents write them. Pure golden tests on hand-made inputs (no database)."""

from __future__ import annotations

import dataclasses
import json
import re
from datetime import date
from decimal import Decimal

import pytest

from baocao.consolidation import compose as compose_module
from baocao.consolidation.choices import NextPeriodMode
from baocao.consolidation.compose import (
    ComposedReport,
    ComposeInput,
    IndicatorDef,
    Outline,
    Part,
    SectionDef,
    basis_phrase,
    compose,
    speaks_of_next_period,
)
from tests.consolidation.test_compose import BA_BE, BAC_KAN, NA_RI, PAC_NAM, TASKS, make_input

D = Decimal
S1_BASIS = (
    "Nghị định số 09/2019/NĐ-CP ngày 24/01/2019 của Chính phủ quy định về chế độ báo cáo của cơ quan hành chính "
    "nhà nước.\nCăn cứ Kế hoạch số 12/KH-STTTT ngày 05/01/2022 của Sở Thông tin và Truyền thông."
)
NEXT = "6 tháng cuối năm 2022"


def part(report: ComposedReport, key: str) -> Part:
    return next(p for p in report.parts if p.key == key)


def keys(report: ComposedReport) -> list[tuple[str, str]]:
    return [(p.key, p.number) for p in report.parts]


def all_text(report: ComposedReport) -> str:
    texts = [report.meta["summary"]]
    for p in report.parts:
        texts += [p.heading, *p.narrative, *(f.line for f in p.figures)]
    return "\n".join(texts)


# --- the opening ---------------------------------------------------------------------------------


def test_opening_is_one_sentence_citing_the_basis_and_the_window() -> None:
    report = compose(make_input(legal_basis=S1_BASIS, next_period_label=NEXT))
    (opening,) = part(report, "intro").narrative
    assert opening == (
        "Căn cứ Nghị định số 09/2019/NĐ-CP ngày 24/01/2019 của Chính phủ quy định về chế độ báo cáo của cơ quan "
        "hành chính nhà nước; căn cứ Kế hoạch số 12/KH-STTTT ngày 05/01/2022 của Sở Thông tin và Truyền thông, "
        "Sở Thông tin và Truyền thông báo cáo kết quả thực hiện Chế độ báo cáo định kỳ ngành Thông tin và Truyền "
        "thông 6 tháng đầu năm 2022 và phương hướng, nhiệm vụ 6 tháng cuối năm 2022 (số liệu tính từ ngày "
        "15/12/2021 đến ngày 14/6/2022) như sau:"
    )
    assert opening.endswith("như sau:") and "." not in opening  # one sentence
    # The reporting status is said once, in the units part, never in the opening.
    assert "đơn vị gửi" not in opening
    text = all_text(report)
    assert text.count("gửi báo cáo được duyệt") == 1


def test_the_basis_as_written_one_document_a_line() -> None:
    assert basis_phrase("Thực hiện Kế hoạch số 45/KH-UBND ngày 10/3/2022 của UBND tỉnh.") == (
        "Thực hiện Kế hoạch số 45/KH-UBND ngày 10/3/2022 của UBND tỉnh")
    assert basis_phrase("- Luật Báo chí 2016;\n- Căn cứ Quyết định số 7/QĐ-UBND;\n\nThực hiện Công văn số 3") == (
        "Căn cứ Luật Báo chí 2016; căn cứ Quyết định số 7/QĐ-UBND; thực hiện Công văn số 3")
    assert basis_phrase("   ") == "" and basis_phrase("") == ""


def test_an_outline_of_its_own_opening_may_use_the_basis_placeholder() -> None:
    outline = Outline(intro_template="[Thực hiện {legal_basis}, ]{unit} tổng kết {period}.")
    report = compose(make_input(outline=outline, legal_basis="Kế hoạch số 45/KH-UBND"))
    # The phrase carries its own verb, so a template that writes one gets "Thực hiện Căn cứ …": the
    # default template leaves the verb to the phrase.
    assert part(report, "intro").narrative == [
        "Thực hiện Căn cứ Kế hoạch số 45/KH-UBND, Sở Thông tin và Truyền thông tổng kết 6 tháng đầu năm 2022."]
    bare = compose(make_input(outline=outline))
    assert part(bare, "intro").narrative == ["Sở Thông tin và Truyền thông tổng kết 6 tháng đầu năm 2022."]


# --- the assessment ------------------------------------------------------------------------------

RADIO = SectionDef("TT", "Thông tin cơ sở", (
    IndicatorDef("STATIONS", "Đài truyền thanh cấp xã", "đài", "integer", "sum"),
    IndicatorDef("IP", "Đài truyền thanh ứng dụng công nghệ thông tin – viễn thông", "đài", "integer", "sum"),
    IndicatorDef("NEWS", "Tin, bài đăng trên Cổng Thông tin điện tử huyện", "tin", "integer", "sum"),
    IndicatorDef("DOCS", "Tài liệu tuyên truyền đã cung cấp", "bản", "integer", "sum"),
    IndicatorDef("FUNDS", "Kinh phí sự nghiệp", "triệu đồng", "decimal", "sum"),
    IndicatorDef("SHARE", "Tỷ lệ xã có đài truyền thanh", "%", "percent", "average"),
    IndicatorDef("DRILL", "Cuộc diễn tập", "cuộc", "integer", "sum"),
    IndicatorDef("SANCTIONS", "Quyết định xử phạt", "quyết định", "integer", "sum"),
))


def radio_input(**changes) -> ComposeInput:
    inp = make_input(
        sections=(RADIO,), units=(BA_BE, NA_RI),
        approved={1: {"STATIONS": D(60), "IP": D(30), "NEWS": D(1500), "DOCS": D(900), "FUNDS": D("120.5"),
                      "SHARE": D(90), "DRILL": D(2), "SANCTIONS": D(0)},
                  2: {"STATIONS": D(48), "IP": D(26), "NEWS": D(1375), "DOCS": D(800), "FUNDS": D("80"),
                      "SHARE": D(70), "DRILL": D(2), "SANCTIONS": D(0)}},
        # Rises: IP 56 from 24 (+133,3%), DRILL 4 from 2 (+100%), FUNDS 200,5 from 180 (+11,4%);
        # falls: NEWS 2.875 from 3.370 (-14,7%), DOCS 1.700 from 1.800 (-5,6%); the rate and the
        # figure of nothing (SANCTIONS, 0 from 2) are no "largest change".
        previous={"STATIONS": D(108), "IP": D(24), "NEWS": D(3370), "DOCS": D(1800), "FUNDS": D(180),
                  "SHARE": D(60), "DRILL": D(2), "SANCTIONS": D(2)},
        previous_by_unit={},
        targets={"STATIONS": D(100), "IP": D(70), "DRILL": D(4)},
        narratives={1: {("TT", "difficulties"): "Kinh phí nâng cấp đài còn hạn chế."},
                    2: {("TT", "difficulties"): "Thiếu nhân lực vận hành đài."}},
        missing=(), late=(NA_RI,),
        tasks=TASKS, next_period_label=NEXT,
        cases={"values": {}, "previous": {}, "sources": {}, "rows": [{"id": 7}],
               "overdue": [{"id": 7, "kind": "Kiến nghị, phản ánh", "received_on": "2022-04-01",
                            "subject": "Bưu cục Ba Bể", "step": "acceptance", "deadline": "2022-04-15"}]},
    )
    return dataclasses.replace(inp, **changes)


def test_assessment_golden() -> None:
    report = compose(radio_input())
    assessment = part(report, "assessment")
    assert (assessment.number, assessment.heading) == ("III", "Đánh giá chung")
    assert assessment.subheadings == ["1. Ưu điểm", "2. Hạn chế, nguyên nhân"]
    assert assessment.narrative == [
        "1. Ưu điểm",
        "Tăng nhiều nhất so với 6 tháng đầu năm 2021 là đài truyền thanh ứng dụng công nghệ thông tin – viễn "
        "thông (56 đài, tăng 133,3%); cuộc diễn tập (04 cuộc, tăng 100%); kinh phí sự nghiệp (200,5 triệu đồng, "
        "tăng 11,4%).",
        "Có 02 chỉ tiêu đạt, vượt kế hoạch năm: đài truyền thanh cấp xã (đạt 108%); cuộc diễn tập (đạt 100%).",
        "2. Hạn chế, nguyên nhân",
        "Giảm nhiều nhất so với 6 tháng đầu năm 2021 là tin, bài đăng trên Cổng Thông tin điện tử huyện "
        "(2.875 tin, giảm 14,7%); tài liệu tuyên truyền đã cung cấp (1.700 bản, giảm 5,6%).",
        "Có 01 chỉ tiêu chưa đạt kế hoạch năm: đài truyền thanh ứng dụng công nghệ thông tin – viễn thông "
        "(đạt 80%).",
        "Việc chấp hành chế độ báo cáo của một số đơn vị chưa nghiêm: 1 đơn vị gửi báo cáo chậm.",
        "Còn 01 nhiệm vụ quá hạn, trong đó có nhiệm vụ trọng tâm: thí điểm Tổ Công nghệ số cộng đồng, hạn "
        "31/5/2022.",
        "Có 01 vụ việc quá thời hạn xử lý theo quy định: kiến nghị, phản ánh ngày 01/4/2022 – Bưu cục Ba Bể "
        "(quá hạn thụ lý).",
        "Huyện Ba Bể, huyện Na Rì còn gặp khó khăn, vướng mắc trong quá trình thực hiện nhiệm vụ, được nêu cụ "
        "thể tại Mục IV.",
    ]
    # The difficulties themselves are in their own part, not repeated here.
    assert part(report, "closing:difficulties").number == "IV"
    assert not any("Kinh phí nâng cấp" in text for text in assessment.narrative)


def test_assessment_strengths_when_all_went_well_and_zero_counts_in_words() -> None:
    calm = radio_input(late=(), tasks={"by_sector": [{"sector": "Khác", "total": 2,
                                                      "counts": {"done_on_time": 2}}]},
                       cases={"values": {}, "previous": {}, "sources": {}, "rows": [{"id": 1}], "overdue": []},
                       narratives={}, targets={})
    narrative = part(compose(calm), "assessment").narrative
    assert narrative[narrative.index("1. Ưu điểm") + 2:narrative.index("2. Hạn chế, nguyên nhân")] == [
        "Các đơn vị chấp hành tốt chế độ báo cáo, gửi báo cáo đầy đủ, đúng hạn.",
        "Trong kỳ không có nhiệm vụ nào quá hạn.",
        "Các vụ việc thanh tra, kiểm tra, giải quyết đơn thư trong kỳ được xử lý trong thời hạn theo quy định.",
    ]
    # Only the falls are left as shortcomings.
    assert narrative[-1].startswith("Giảm nhiều nhất so với 6 tháng đầu năm 2021 là tin, bài")
    assert not re.search(r"\b00\b", "\n".join(narrative))


def test_a_side_with_nothing_to_say_has_no_sub_heading_and_an_empty_assessment_is_left_out() -> None:
    flat = radio_input(previous={}, targets={}, late=(), tasks=None, cases=None, narratives={})
    report = compose(flat)
    assert part(report, "assessment").narrative == [
        "1. Ưu điểm", "Các đơn vị chấp hành tốt chế độ báo cáo, gửi báo cáo đầy đủ, đúng hạn."]
    nothing = compose(dataclasses.replace(flat, units=(), approved={}))
    assert "assessment" not in [p.key for p in nothing.parts]
    # Numbering stays consecutive without it.
    assert [(p.key, p.number) for p in nothing.parts if p.heading] == [("section:TT", "I"), ("tasks", "II")]


def test_assessment_sentences_are_outline_data() -> None:
    outline = Outline(assessment_templates={
        "rises": "Nổi bật: {items} ({count} chỉ tiêu tăng).", "reports_late": "", "strengths_heading": "Kết quả",
    })
    narrative = part(compose(radio_input(outline=outline)), "assessment").narrative
    assert narrative[0] == "1. Kết quả"
    assert narrative[1].startswith("Nổi bật: đài truyền thanh ứng dụng") and narrative[1].endswith("(03 chỉ tiêu tăng).")
    assert not any("chế độ báo cáo" in text for text in narrative)  # an empty template leaves it out


def test_more_than_three_targets_end_with_the_others_counted() -> None:
    targets = {"STATIONS": D(50), "IP": D(50), "NEWS": D(100), "DOCS": D(100), "FUNDS": D(100)}
    narrative = part(compose(radio_input(targets=targets)), "assessment").narrative
    met = next(text for text in narrative if "đạt, vượt" in text)
    assert met.startswith("Có 05 chỉ tiêu đạt, vượt kế hoạch năm: tin, bài đăng")
    assert met.endswith("và 02 chỉ tiêu khác.")


def test_many_units_with_difficulties_are_counted() -> None:
    narratives = {unit.id: {("BCVT", "difficulties"): "Kinh phí còn hạn chế."}
                  for unit in (BA_BE, NA_RI, BAC_KAN, PAC_NAM)}
    approved = {**make_input().approved, 4: {"BTS": D(5)}}
    report = compose(make_input(narratives=narratives, approved=approved, missing=()))
    sentence = part(report, "assessment").narrative[-1]
    assert sentence == ("Có 4 đơn vị còn gặp khó khăn, vướng mắc trong quá trình thực hiện nhiệm vụ, được nêu cụ "
                        "thể tại Mục V.")


# --- next period, closing parts, ending, title ----------------------------------------------------

NEXT_TASKS = {
    "by_sector": [],
    "overdue_key": [],
    "next_period": [
        {"title": "Khảo sát thanh toán không dùng tiền mặt tại trường học.", "lead_unit": "Phòng Công nghệ thông tin",
         "deadline": "2022-09-30", "conclusion": None,
         "plan": {"title": "Kế hoạch hỗ trợ chuyển đổi số trong trường học", "number": "45/KH-UBND",
                  "issued_on": "2022-03-10"}},
        {"title": "Giải báo chí về Thông tin đối ngoại", "lead_unit": "Phòng Thông tin – Báo chí – Xuất bản",
         "deadline": "2022-11-30", "conclusion": None,
         "plan": {"title": "Kế hoạch hoạt động Thông tin đối ngoại năm 2022", "number": "", "issued_on": None}},
        {"title": "Tổng kết Giải báo chí", "lead_unit": "Phòng Thông tin – Báo chí – Xuất bản",
         "deadline": "2022-12-10", "conclusion": None,
         "plan": {"title": "Kế hoạch hoạt động Thông tin đối ngoại năm 2022", "number": "", "issued_on": None}},
        {"title": "Nâng cấp đài truyền thanh cấp xã", "lead_unit": "Phòng VHTT huyện Ba Bể", "deadline": None,
         "plan": None, "conclusion": {"meeting": "Hội nghị sơ kết công tác 6 tháng đầu năm 2022",
                                      "date": "2022-07-07"}},
        {"title": "Rà soát danh mục dịch vụ công", "lead_unit": "Văn phòng Sở", "deadline": "2022-08-05"},
    ],
}


def test_next_period_part_from_plans_conclusions_and_the_units() -> None:
    report = compose(make_input(tasks=NEXT_TASKS, next_period_label=NEXT))
    next_part = part(report, "closing:next_tasks")
    assert next_part.heading == "Phương hướng, nhiệm vụ 6 tháng cuối năm 2022"
    assert next_part.narrative == [
        "Thành phố Bắc Kạn: Tiếp tục triển khai Đề án chuyển đổi số.",  # the units' own, as merged
        "Tiếp tục thực hiện các nhiệm vụ theo kế hoạch, chương trình, đề án đã ban hành:",
        "- Kế hoạch hỗ trợ chuyển đổi số trong trường học (số 45/KH-UBND ngày 10/3/2022): khảo sát thanh toán "
        "không dùng tiền mặt tại trường học (chủ trì: Phòng Công nghệ thông tin; hạn: 30/9/2022).",
        "- Kế hoạch hoạt động Thông tin đối ngoại năm 2022: giải báo chí về Thông tin đối ngoại (chủ trì: Phòng "
        "Thông tin – Báo chí – Xuất bản; hạn: 30/11/2022); tổng kết Giải báo chí (chủ trì: Phòng Thông tin – "
        "Báo chí – Xuất bản; hạn: 10/12/2022).",
        "Thực hiện kết luận của Hội nghị sơ kết công tác 6 tháng đầu năm 2022 ngày 07/7/2022:",
        "- Nâng cấp đài truyền thanh cấp xã (chủ trì: Phòng VHTT huyện Ba Bể).",
        "Các nhiệm vụ khác đã giao:",
        "- Rà soát danh mục dịch vụ công (chủ trì: Văn phòng Sở; hạn: 05/8/2022).",
    ]


def test_yearly_report_speaks_of_next_year() -> None:
    inp = make_input(period_code="2022", period_label="Năm 2022", previous_period_label="Năm 2021",
                     next_period_label="Năm 2023", window_end=date(2022, 12, 14))
    report = compose(inp)
    assert report.meta["summary"] == ("Kết quả thực hiện Chế độ báo cáo định kỳ ngành Thông tin và Truyền thông "
                                      "năm 2022 và phương hướng, nhiệm vụ năm 2023")
    assert part(report, "closing:next_tasks").heading == "Phương hướng, nhiệm vụ năm 2023"
    assert part(report, "section:BCVT").figures[0].line.startswith(
        "Số trạm BTS: 350 trạm, tăng 12,9% so với năm 2021")  # never "so với Năm 2021"
    assert report.parts[-1].narrative == [
        "Trên đây là báo cáo kết quả thực hiện Chế độ báo cáo định kỳ ngành Thông tin và Truyền thông năm 2022 và "
        "phương hướng, nhiệm vụ năm 2023 của Sở Thông tin và Truyền thông./."]


def test_the_ending_is_the_last_paragraph_and_follows_the_mode() -> None:
    report = compose(make_input(next_period_label=NEXT))
    last = report.parts[-1]
    assert (last.key, last.number, last.heading) == ("ending", "", "")
    assert last.narrative == [
        "Trên đây là báo cáo kết quả thực hiện Chế độ báo cáo định kỳ ngành Thông tin và Truyền thông 6 tháng đầu "
        "năm 2022 và phương hướng, nhiệm vụ 6 tháng cuối năm 2022 của Sở Thông tin và Truyền thông./."]
    assert report.meta["with_next_period"] is True and report.meta["next_period_label"] == NEXT
    never = compose(make_input(next_period_label=NEXT, outline=Outline(next_period_mode="never")))
    assert never.parts[-1].narrative[0].endswith("6 tháng đầu năm 2022 của Sở Thông tin và Truyền thông./.")
    assert "phương hướng" not in never.meta["summary"]
    # The next tasks' heading names the next period whatever the title says.
    assert part(never, "closing:next_tasks").heading == "Phương hướng, nhiệm vụ 6 tháng cuối năm 2022"
    second_half = make_input(period_code="2022S2", period_label="6 tháng cuối năm 2022",
                             next_period_label="6 tháng đầu năm 2023")
    assert "phương hướng" not in compose(second_half).meta["summary"]
    always = compose(dataclasses.replace(second_half, outline=Outline(next_period_mode="always")))
    assert always.meta["summary"].endswith("6 tháng cuối năm 2022 và phương hướng, nhiệm vụ 6 tháng đầu năm 2023")
    custom = Outline(closing_template="Trên đây là báo cáo {period} của {unit}, kính gửi các cơ quan./.",
                     next_heading_template="Nhiệm vụ trọng tâm {next_period}")
    report = compose(make_input(next_period_label=NEXT, outline=custom))
    assert report.parts[-1].narrative == [
        "Trên đây là báo cáo 6 tháng đầu năm 2022 của Sở Thông tin và Truyền thông, kính gửi các cơ quan./."]
    assert part(report, "closing:next_tasks").heading == "Nhiệm vụ trọng tâm 6 tháng cuối năm 2022"


def test_next_period_modes() -> None:
    assert {compose_module.NEXT_AUTO, compose_module.NEXT_ALWAYS, compose_module.NEXT_NEVER} == set(
        NextPeriodMode.values)
    assert [speaks_of_next_period(code, "auto") for code in ("2022S1", "2022S2", "2022", "2022Q2", "2022M06",
                                                             "2022N9", "xyz")] == [
        True, False, True, False, False, False, False]
    assert speaks_of_next_period("2022Q2", "always") and not speaks_of_next_period("2022S1", "never")


def test_empty_closing_parts_are_left_out_and_numbering_stays_consecutive() -> None:
    narratives = {1: {("BCVT", "results"): "Phát triển thêm 20 trạm BTS."}}
    report = compose(make_input(narratives=narratives))
    headed = [(p.key, p.number) for p in report.parts if p.heading]
    assert headed == [("section:BCVT", "I"), ("section:CDS", "II"), ("tasks", "III"), ("assessment", "IV")]
    assert "closing:proposals" not in [p.key for p in report.parts]
    assert report.parts[-1].key == "ending"
    assert "Đề xuất" not in all_text(report)  # no default sentence is invented


# --- numbers and days -------------------------------------------------------------------------------


def test_counts_of_things_padded_units_not_and_never_00() -> None:
    inp = radio_input()
    report = compose(inp)
    lines = [f.line for f in part(report, "section:TT").figures]
    assert "Quyết định xử phạt: không phát sinh, cùng kỳ 02 quyết định." in lines
    assert "Cuộc diễn tập: 04 cuộc, tăng 100% so với 6 tháng đầu năm 2021, đạt 100% kế hoạch năm (04 cuộc)." in lines
    assert part(report, "units").narrative[0] == "Đã có 2/2 đơn vị gửi báo cáo được duyệt."
    assert part(report, "units").narrative[1] == "Có 1 đơn vị gửi báo cáo chậm so với thời hạn: huyện Na Rì."
    text = all_text(report)
    assert not re.search(r"(?<![\d.,/])00(?![\d.,/])", text)
    # One date style in the text: Decree 30's, never "14/06/2022".
    assert "14/6/2022" in text and not re.search(r"\b\d{2}/0[3-9]/\d{4}", text)


# --- data ----------------------------------------------------------------------------------------


def test_round_trip_and_determinism_with_the_new_parts() -> None:
    report = compose(radio_input())
    data = report.to_dict()
    assert ComposedReport.from_dict(json.loads(json.dumps(data, ensure_ascii=False))) == report
    assert data["parts"][[p["key"] for p in data["parts"]].index("assessment")]["subheadings"] == [
        "1. Ưu điểm", "2. Hạn chế, nguyên nhân"]
    assert compose(radio_input()).to_dict() == data
    # A version stored before sub-headings existed still reads.
    old = {**data, "parts": [{k: v for k, v in p.items() if k != "subheadings"} for p in data["parts"]]}
    assert ComposedReport.from_dict(old).parts[0].subheadings == []


@pytest.mark.parametrize("mode", ["auto", "always", "never"])
def test_no_heading_over_nothing(mode: str) -> None:
    report = compose(make_input(units=(), approved={}, narratives={}, missing=(), late=(), tasks=None,
                                outline=Outline(next_period_mode=mode)))
    for p in report.parts:
        assert p.narrative or p.figures or p.table or p.key.startswith("section:"), p.key
