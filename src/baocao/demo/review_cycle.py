"""The demo's review cycle after the units' reports: the plans the seed names with their tasks and
progress, the 2022S1 consolidated report presented as a draft, and the seed's conference of
07/7/2022 with its opinions, conclusion and the second-half 2022 tasks set from it.

Facts from the seed (the page of 12/07/2022) are exact: the date, the chair (Giám đốc Hà Văn
Tiến), the presenter of the draft report (Phó Giám đốc Lô Quang Tuyến), the attending groups, the
plans' titles, the article's author (Bế Thị Thanh Hoài). Everything else (task deadlines,
progress, the wording of opinions, the article's author as the conference's secretary too) is
illustrative and says so; the meeting carries the `illustrative` flag (demo.loader).
"""

from __future__ import annotations

from datetime import date, datetime, time

from django.db import IntegrityError

from baocao.accounts.models import User
from baocao.consolidation.models import DocumentNumberRegister
from baocao.consolidation.services import consolidated_report_build
from baocao.core.vietnamese import VIETNAM_TZ
from baocao.meetings.choices import MeetingKind
from baocao.meetings.models import AgendaItem, Attendee, Conclusion, Meeting, Opinion
from baocao.orgunits.models import OrgUnit, OrgUnitGroup
from baocao.reporting.models import ReportingRegime, Sector
from baocao.work.choices import PlanKind
from baocao.work.models import Plan, Task, TaskUpdate

MEETING_DATE = date(2022, 7, 7)
MEETING_TITLE = ("Hội nghị sơ kết công tác thông tin và truyền thông 6 tháng đầu năm và triển khai nhiệm vụ "
                 "6 tháng cuối năm 2022")
CHAIR = ("Hà Văn Tiến", "Giám đốc Sở")
PRESENTER = ("Lô Quang Tuyến", "Phó Giám đốc Sở")
# The seed's article is signed by its author; that she also kept the minutes is illustrative.
ARTICLE_AUTHOR = "Bế Thị Thanh Hoài"
SECRETARY = (ARTICLE_AUTHOR, "Chuyên viên Văn phòng Sở")
# Outgoing reports (BC) the department numbered in 2022 before this one, outside baocao; so the
# approved 2022S1 report takes number 05, as in BRIEF's example "Số: 05/BC-STTTT" (illustrative).
REPORTS_NUMBERED_BEFORE = 4

# (kind, title, sector, year_from, year_to, [(task title, lead unit code, deadline, progress, key)])
PLANS = (
    (PlanKind.PLAN, "Kế hoạch hoạt động Thông tin đối ngoại tỉnh Bắc Kạn năm 2022", "TTBCXB", 2022, 2022, [
        ("Quảng bá sự kiện Xúc tiến tiêu thụ Bí xanh thơm và sản phẩm OCOP gắn với du lịch trải nghiệm",
         "STTTT-TTBCXB", date(2022, 4, 30), 100, False),
        ("Thông tin về Tuần du lịch – di sản văn hóa Ba Bể năm 2022 và Lễ công bố di sản văn hóa phi vật thể "
         "Quốc gia", "STTTT-TTBCXB", date(2022, 6, 10), 100, False),
        ("Phối hợp Hội Nhà báo tỉnh tổ chức Giải báo chí về Thông tin đối ngoại tỉnh Bắc Kạn",
         "STTTT-TTBCXB", date(2022, 11, 30), 40, True),
    ]),
    (PlanKind.SCHEME, "Đề án tổng thể chuyển đổi số tỉnh Bắc Kạn giai đoạn 2021–2025, định hướng đến năm 2030",
     "CNTT", 2021, 2025, [
         ("Tham mưu triển khai các nhiệm vụ, dự án ưu tiên về chuyển đổi số năm 2022", "STTTT-CNTT",
          date(2022, 3, 31), 100, True),
     ]),
    (PlanKind.PROGRAMME, "Chương trình thúc đẩy phát triển và sử dụng các nền tảng số quốc gia phục vụ chuyển đổi "
     "số, phát triển chính phủ số, kinh tế số, xã hội số", "CNTT", 2022, 2025, [
         ("Hướng dẫn các cơ quan, địa phương sử dụng các nền tảng số quốc gia", "STTTT-CNTT",
          date(2022, 6, 30), 60, False),
     ]),
    (PlanKind.PLAN, "Kế hoạch triển khai Đề án xác định Chỉ số đánh giá mức độ chuyển đổi số doanh nghiệp và hỗ "
     "trợ thúc đẩy doanh nghiệp chuyển đổi số trên địa bàn tỉnh Bắc Kạn", "CNTT", 2022, 2025, [
         ("Hướng dẫn doanh nghiệp tự đánh giá mức độ chuyển đổi số (DBI)", "STTTT-CNTT",
          date(2022, 5, 31), 80, True),
     ]),
    (PlanKind.PLAN, "Kế hoạch hỗ trợ, thúc đẩy chuyển đổi số, thanh toán không dùng tiền mặt trong các trường "
     "học, cơ sở giáo dục và bệnh viện, cơ sở y tế giai đoạn 2022–2025", "CNTT", 2022, 2025, [
         ("Khảo sát hiện trạng thanh toán không dùng tiền mặt tại trường học, bệnh viện", "STTTT-CNTT",
          date(2022, 9, 30), 30, False),
     ]),
    (PlanKind.PROGRAMME, "Chương trình bồi dưỡng về chuyển đổi số cho lãnh đạo Ủy ban nhân dân cấp xã", "CNTT",
     2022, 2022, [
         ("Phối hợp Bộ Thông tin và Truyền thông tổ chức bồi dưỡng cho lãnh đạo UBND cấp xã", "STTTT-CNTT",
          date(2022, 6, 30), 100, False),
     ]),
    (PlanKind.PLAN, "Kế hoạch thí điểm Tổ Công nghệ số cộng đồng cấp xã, thôn", "CNTT", 2022, 2022, [
        ("Thành lập thí điểm Tổ Công nghệ số cộng đồng tại các xã, thôn", "STTTT-CNTT",
         date(2022, 6, 15), 70, True),
    ]),
)

OPINIONS = (
    # (unit code, group, topic, summary) — one per attending group; wording illustrative.
    ("061-VHTT", "HUYEN-VHTT", "Hệ thống đài truyền thanh cấp xã",
     "Đề nghị Sở hướng dẫn và hỗ trợ nâng cấp đài truyền thanh cấp xã sang ứng dụng công nghệ thông tin – "
     "viễn thông; nêu khó khăn về kinh phí duy trì hoạt động."),
    ("066-TTVH", "HUYEN-TTVH", "Cổng thông tin điện tử cấp huyện",
     "Báo cáo việc duy trì Cổng thông tin điện tử huyện và đề nghị tập huấn nghiệp vụ biên tập tin bài."),
    ("VNPT-BK", "DN-VT", "Bảo đảm thông tin liên lạc",
     "Cam kết bảo đảm thông tin liên lạc thông suốt mùa mưa bão; đề xuất phối hợp mở rộng vùng phủ sóng tại "
     "các thôn chưa có sóng di động."),
    ("BDT-BK", "DN-BC", "Dịch vụ bưu chính công ích",
     "Báo cáo việc duy trì các điểm phục vụ bưu chính và tiếp nhận hồ sơ thủ tục hành chính qua dịch vụ bưu "
     "chính công ích."),
)

CONCLUSION = ("Biểu dương những nỗ lực và kết quả quan trọng toàn ngành đạt được trong 6 tháng đầu năm 2022, "
              "ghi nhận đóng góp của ngành thông tin và truyền thông đối với phát triển kinh tế – xã hội của tỉnh; "
              "đề nghị toàn ngành tập trung thực hiện các nhiệm vụ trọng tâm 6 tháng cuối năm 2022.")
# Tasks set from the conclusion for 2022S2 (illustrative): (title, lead unit code, deadline, key)
NEXT_TASKS = (
    ("Nâng cấp hệ thống đài truyền thanh cấp xã ứng dụng công nghệ thông tin – viễn thông", "061-VHTT",
     date(2022, 12, 10), True),
    ("Mở rộng thí điểm Tổ Công nghệ số cộng đồng ra các thôn còn lại", "STTTT-CNTT", date(2022, 12, 10), True),
    ("Bảo đảm thông tin liên lạc phục vụ phòng, chống thiên tai và các sự kiện lớn của tỉnh", "STTTT-BCVT",
     date(2022, 12, 10), False),
)


def _at(day: date, hour: int = 9) -> datetime:
    return datetime.combine(day, time(hour, 0), tzinfo=VIETNAM_TZ)


def load_review_cycle(*, regime: ReportingRegime, admin: User) -> None:
    from baocao.meetings.services import conclusion_to_tasks
    from baocao.work.services import task_create, task_progress_add

    department = regime.receiving_unit
    province = department.parent
    if province is None:  # the plans' issuer, a required field (the demo's department is under the province)
        raise IntegrityError(f"the demo department {department.code} has no parent unit to issue the plans")
    compiler = User.objects.get(username="tonghop")
    leader = User.objects.get(username="lanhdao")
    sectors = {s.code: s for s in Sector.objects.all()}
    units = {u.code: u for u in OrgUnit.objects.filter(code__in=_unit_codes())}

    for kind, title, sector, year_from, year_to, tasks in PLANS:
        plan = Plan.objects.create(kind=kind, title=title, issuer=province, owner=department,
                                   sector=sectors.get(sector), year_from=year_from, year_to=year_to)
        for task_title, lead, deadline, progress, key in tasks:
            task = task_create(acting_user=compiler, title=task_title, lead_unit=units[lead], owner=department,
                               plan=plan, sector=sectors.get(sector), start=date(year_from, 1, 10),
                               deadline=deadline, is_key=key,
                               expected_output="Báo cáo kết quả thực hiện")
            if progress:
                lead_user = User.objects.filter(unit=units[lead]).first() or admin
                task_progress_add(acting_user=lead_user, task=task, progress=progress,
                                  text=f"Đã thực hiện {progress}% khối lượng công việc.")
        _backdate_plan_tasks(plan)

    # The inspectorate's register, which the report's inspection figures are counted from.
    from baocao.demo.cases_demo import load_cases

    load_cases(regime=regime)

    # The draft report the conference discussed (the seed: "dự thảo báo cáo sơ kết").
    DocumentNumberRegister.objects.get_or_create(unit=department, year=2022, type_code="BC",
                                                 defaults={"last_number": REPORTS_NUMBERED_BEFORE})
    draft = consolidated_report_build(regime=regime, period="2022S1", unit=department, acting_user=compiler)

    meeting = Meeting.objects.create(
        title=MEETING_TITLE, kind=MeetingKind.MIDYEAR, organiser=department, date=MEETING_DATE,
        start_time=time(8, 0), place="Hội trường Sở Thông tin và Truyền thông",
        chair_name=CHAIR[0], chair_title=CHAIR[1], secretary_name=SECRETARY[0], secretary_title=SECRETARY[1],
        regime=regime, period="2022S1", next_period="2022S2", article_author=ARTICLE_AUTHOR, created_by=compiler,
    )
    Attendee.objects.bulk_create([
        Attendee(meeting=meeting, person_name=CHAIR[0], person_title=CHAIR[1], unit=department, order=0),
        Attendee(meeting=meeting, person_name=PRESENTER[0], person_title=PRESENTER[1], unit=department, order=1),
        *(Attendee(meeting=meeting, group=OrgUnitGroup.objects.get(code=code), order=2 + i)
          for i, code in enumerate(("HUYEN-VHTT", "HUYEN-TTVH", "DN-BC", "DN-VT"))),
    ])
    AgendaItem.objects.bulk_create([
        AgendaItem(meeting=meeting, order=1, title="Thông qua dự thảo Báo cáo sơ kết công tác 6 tháng đầu năm, "
                   "phương hướng nhiệm vụ 6 tháng cuối năm 2022", presenter_name=PRESENTER[0],
                   presenter_title=PRESENTER[1], report_version=draft),
        AgendaItem(meeting=meeting, order=2, title="Thảo luận, góp ý của các đơn vị"),
        AgendaItem(meeting=meeting, order=3, title="Phát biểu chỉ đạo và kết luận Hội nghị",
                   presenter_name=CHAIR[0], presenter_title=CHAIR[1]),
    ])
    Opinion.objects.bulk_create([
        Opinion(meeting=meeting, order=i, unit=units[unit], speaker_title=f"Đại diện lãnh đạo {units[unit].name}",
                topic=topic, summary=summary)
        for i, (unit, _group, topic, summary) in enumerate(OPINIONS)
    ])
    conclusion = Conclusion.objects.create(meeting=meeting, order=1, text=CONCLUSION)
    conclusion_to_tasks(acting_user=leader, conclusion=conclusion, tasks=[
        {"title": title, "lead_unit": units[lead], "deadline": deadline, "is_key": key}
        for title, lead, deadline, key in NEXT_TASKS
    ])
    # Set at the conference, in July 2022 (historical demo data).
    Task.objects.filter(conclusion=conclusion).update(start=MEETING_DATE)


def _backdate_plan_tasks(plan: Plan) -> None:
    """Historical demo data: progress was reported in 2022, on or before each task's deadline
    (a queryset update, since no service rewrites history)."""
    for task in plan.tasks.all():
        day = min(task.deadline, date(2022, 6, 30)) if task.deadline else date(2022, 6, 30)
        TaskUpdate.objects.filter(task=task).update(at=_at(day))
        changes = {"started_on": date(2022, 1, 20) if task.progress else None}
        if task.progress >= 100:
            changes["completed_on"] = day
        Task.objects.filter(pk=task.pk).update(**changes)


def _unit_codes() -> set[str]:
    codes = {lead for *_, tasks in PLANS for _, lead, *_ in tasks}
    codes |= {lead for _, lead, *_ in NEXT_TASKS}
    codes |= {unit for unit, *_ in OPINIONS}
    return codes
