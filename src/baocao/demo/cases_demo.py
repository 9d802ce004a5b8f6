"""The demo's case register: the seed's first-half 2022 cases, exactly as the seed states them
(one inspection of compliance with postal and courier law, no sanction; two citizen petitions —
on postal and courier services, and on handling inaccurate information in the press and on social
media — both resolved), and illustrative cases for 2021 matching the inspectorate's 2021 reports.
Dates within the half-year are not in the seed: they are illustrative, and the notes say so."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from baocao.accounts.models import User
from baocao.cases.choices import CaseKind, CaseMetric, Channel
from baocao.cases.models import CaseIndicator
from baocao.orgunits.models import OrgUnit
from baocao.reporting.models import ReportingRegime, Sector
from baocao.submissions.models import SubmissionValue

SEED_NOTE = "Theo tin Hội nghị sơ kết 6 tháng đầu năm 2022 (07/7/2022); ngày tháng là minh họa."
ILLUSTRATIVE_NOTE = "Vụ việc minh họa (không phải số liệu thực tế)."

# The regime's inspection figures are counted from the register.
CASE_INDICATORS = (
    ("INSP_COUNT", CaseMetric.INSPECTIONS_HELD),
    ("CHECK_COUNT", CaseMetric.CHECKS_HELD),
    ("PET_RECEIVED", CaseMetric.LETTERS_RECEIVED),
    ("PET_RESOLVED", CaseMetric.LETTERS_RESOLVED),
    ("SANCTION_DECISIONS", CaseMetric.SANCTION_DECISIONS),
    ("SANCTION_AMOUNT", CaseMetric.SANCTION_AMOUNT),
)

SEED_CASES = (
    # kind, received, accepted, resolved, subject, summary, conclusion
    (CaseKind.INSPECTION, date(2022, 4, 11), date(2022, 4, 11), date(2022, 5, 6),
     "Doanh nghiệp cung ứng dịch vụ bưu chính, chuyển phát trên địa bàn tỉnh",
     "Thanh tra việc chấp hành pháp luật trong hoạt động bưu chính, chuyển phát.",
     "Không phát hiện vi phạm phải xử lý vi phạm hành chính."),
    (CaseKind.PETITION, date(2022, 2, 21), date(2022, 2, 22), date(2022, 3, 4),
     "Doanh nghiệp cung ứng dịch vụ bưu chính, chuyển phát",
     "Kiến nghị của công dân về chất lượng dịch vụ bưu chính chuyển phát.",
     "Đã xem xét, trả lời công dân; doanh nghiệp khắc phục."),
    (CaseKind.PETITION, date(2022, 5, 9), date(2022, 5, 10), date(2022, 5, 20),
     "Thông tin không chính xác trên báo chí và mạng xã hội",
     "Kiến nghị của công dân về việc xử lý thông tin không chính xác trên báo chí và mạng xã hội.",
     "Đã phối hợp xử lý thông tin và trả lời công dân."),
)


def load_cases(*, regime: ReportingRegime) -> None:
    from baocao.cases.services import case_accept, case_create, case_resolve

    department = regime.receiving_unit
    inspectorate_unit = OrgUnit.objects.get(code="STTTT-TTRA")
    officer = User.objects.get(username="thanhtra")
    sector = Sector.objects.filter(code="TTRA").first()
    CaseIndicator.objects.bulk_create([
        CaseIndicator(regime=regime, indicator_code=code, metric=metric) for code, metric in CASE_INDICATORS
    ])

    def record(kind, received, accepted, resolved, subject, summary, conclusion, note, *, decisions=0,
               amount=Decimal(0)):
        channel = Channel.PLAN if kind in (CaseKind.INSPECTION, CaseKind.CHECK) else Channel.DIRECT
        case = case_create(acting_user=officer, kind=kind, received_on=received, owner=department, channel=channel,
                           subject_org=subject, sector=sector, summary=summary, assigned_unit=inspectorate_unit,
                           officer=officer, note=note)
        case_accept(acting_user=officer, case=case, accepted_on=accepted)
        case_resolve(acting_user=officer, case=case, resolved_on=resolved, conclusion=conclusion,
                     sanction_decisions=decisions, sanction_amount=amount)

    for kind, received, accepted, resolved, subject, summary, conclusion in SEED_CASES:
        record(kind, received, accepted, resolved, subject, summary, conclusion, SEED_NOTE)

    # 2021, first half: as many cases as the inspectorate's (illustrative) 2021S1 report counted.
    typed = dict(SubmissionValue.objects.filter(
        submission__regime=regime, submission__period="2021S1", submission__unit=inspectorate_unit,
    ).values_list("indicator__code", "number"))
    start = date(2021, 1, 11)
    count = {code: int(typed.get(code) or 0) for code in ("INSP_COUNT", "CHECK_COUNT", "PET_RECEIVED",
                                                          "PET_RESOLVED", "SANCTION_DECISIONS")}
    amount = Decimal(typed.get("SANCTION_AMOUNT") or 0)
    day = 0
    for i in range(count["INSP_COUNT"]):
        day += 9
        record(CaseKind.INSPECTION, start + timedelta(days=day), start + timedelta(days=day),
               start + timedelta(days=day + 30), "Doanh nghiệp viễn thông trên địa bàn tỉnh",
               "Thanh tra việc chấp hành pháp luật về viễn thông.", "Đã ban hành kết luận thanh tra.",
               ILLUSTRATIVE_NOTE, decisions=count["SANCTION_DECISIONS"] if i == 0 else 0,
               amount=amount if i == 0 else Decimal(0))
    for _ in range(count["CHECK_COUNT"]):
        day += 7
        record(CaseKind.CHECK, start + timedelta(days=day), start + timedelta(days=day),
               start + timedelta(days=day + 5), "Đại lý cung cấp dịch vụ viễn thông",
               "Kiểm tra việc đăng ký thông tin thuê bao di động.", "Đã lập biên bản kiểm tra.", ILLUSTRATIVE_NOTE)
    for i in range(count["PET_RECEIVED"]):
        day += 6
        received = start + timedelta(days=day)
        petition_resolved = received + timedelta(days=12) if i < count["PET_RESOLVED"] else None
        channel_case = case_create(acting_user=officer, kind=CaseKind.PETITION, received_on=received,
                                   owner=department, channel=Channel.POST, subject_org="Dịch vụ viễn thông",
                                   sector=sector, summary="Phản ánh của công dân về chất lượng dịch vụ viễn thông.",
                                   assigned_unit=inspectorate_unit, officer=officer, note=ILLUSTRATIVE_NOTE)
        case_accept(acting_user=officer, case=channel_case, accepted_on=received + timedelta(days=2))
        if petition_resolved:
            case_resolve(acting_user=officer, case=channel_case, resolved_on=petition_resolved,
                         conclusion="Đã trả lời công dân.")
