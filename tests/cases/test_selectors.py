"""Reads of the register: scope per role, deadlines and their status (BRIEF §4 limits on Vietnam's
working days), the "due within 3 working days" and "overdue" views, search that never reaches a
denunciator for other roles, and a fixed number of queries."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from baocao.audit.services import audit_record
from baocao.cases.choices import CaseKind, CaseStatus, LimitStep
from baocao.cases.models import Case, TimeLimitRule
from baocao.cases.selectors import (
    case_detail_row,
    case_history,
    case_identity_visible,
    case_list,
    cases_for_user,
)
from baocao.cases.services import case_extend, case_resolve
from tests.cases.case_fixtures import SECRET_NAME, case_world, make_case, make_denunciation

pytestmark = pytest.mark.django_db

ROLES = ["admin", "compiler", "leader", "inspector", "viewer", "reporter_a", "other_compiler", "other_inspector"]


@pytest.fixture
def world():
    return case_world()


def ids(rows) -> set[int]:
    return {r.case.pk for r in rows}


@pytest.mark.parametrize("role", ROLES)
def test_scope_by_role(world, role):
    mine = make_case(world)
    theirs = make_case(world, by=world.other_inspector)
    seen = set(cases_for_user(getattr(world, role)).values_list("pk", flat=True))
    expected = {"admin": {mine.pk, theirs.pk}, "reporter_a": set(), "other_compiler": {theirs.pk},
                "other_inspector": {theirs.pk}}.get(role, {mine.pk})
    assert seen == expected


class TestDeadlines:
    def test_petition_art28_ten_working_days_to_answer(self, world):
        case = make_case(world, kind=CaseKind.PETITION, received_on=date(2022, 3, 1))
        row = case_detail_row(case, today=date(2022, 3, 9))
        assert (row.acceptance_deadline, row.resolution_deadline) == (date(2022, 3, 15), None)
        assert row.acceptance_status == "ok" and row.current_step == "acceptance"
        assert case_detail_row(case, today=date(2022, 3, 10)).acceptance_status == "due_soon"
        assert case_detail_row(case, today=date(2022, 3, 16)).acceptance_status == "overdue"

    def test_denunciation_art24_and_art30(self, world):
        case = make_denunciation(world, received_on=date(2022, 3, 1), accepted_on=date(2022, 3, 2))
        row = case_detail_row(Case.objects.get(pk=case.pk), today=date(2022, 3, 29))
        assert row.acceptance_deadline == date(2022, 3, 10)  # 7 working days
        assert row.acceptance_status == "done_on_time"
        assert (row.resolution_deadline, row.resolution_status) == (date(2022, 4, 1), "due_soon")
        assert row.alert == ("giải quyết", date(2022, 4, 1), "còn 3 ngày làm việc")

    def test_complaint_crossing_the_lunar_new_year(self, world):
        # Law on Complaints 2011 art. 27, Decree 124/2020: 10 working days; Tết 2023 was 20-26/01.
        case = make_case(world, kind=CaseKind.COMPLAINT, received_on=date(2023, 1, 16))
        assert case_detail_row(case, today=date(2023, 1, 16)).acceptance_deadline == date(2023, 2, 6)

    def test_resolved_late_and_on_time(self, world):
        case = make_case(world, kind=CaseKind.INSPECTION, received_on=date(2022, 3, 1), accepted_on=date(2022, 3, 1))
        case_resolve(case=case, resolved_on=date(2022, 4, 5), conclusion="Kết luận", acting_user=world.inspector)
        row = case_detail_row(Case.objects.get(pk=case.pk), today=date(2022, 6, 1))
        assert (row.resolution_deadline, row.resolution_status) == (date(2022, 3, 31), "done_late")
        assert not row.is_open and row.alert is None

    def test_kinds_without_limits_have_no_deadline(self, world):
        row = case_detail_row(make_case(world, kind=CaseKind.CHECK, accepted_on=date(2022, 3, 2)),
                              today=date(2023, 1, 1))
        assert (row.acceptance_deadline, row.resolution_deadline, row.is_overdue) == (None, None, False)

    def test_the_admins_rules_are_used(self, world):
        TimeLimitRule.objects.filter(kind=CaseKind.PETITION, step=LimitStep.ACCEPTANCE).update(days=5)
        case = make_case(world, received_on=date(2022, 3, 1))
        assert case_detail_row(case, today=date(2022, 3, 1)).acceptance_deadline == date(2022, 3, 8)

    def test_a_case_the_rules_now_refuse_is_shown_not_crashed(self, world):
        case = make_denunciation(world, accepted_on=date(2022, 3, 2))
        case_extend(case=case, decision_number="1/QĐ", decided_on=date(2022, 3, 20), days=30, reason="",
                    acting_user=world.inspector)
        TimeLimitRule.objects.filter(kind=CaseKind.DENUNCIATION).update(max_extensions=0)
        row = case_detail_row(Case.objects.get(pk=case.pk), today=date(2022, 4, 1))
        assert row.resolution_deadline is None and "không được gia hạn" in row.problem


class TestCaseList:
    @pytest.fixture
    def cases(self, world):
        soon = make_case(world, received_on=date(2022, 3, 1), summary="Phản ánh chất lượng bưu chính")
        late = make_case(world, received_on=date(2022, 2, 14), summary="Phản ánh thông tin sai trên mạng xã hội")
        ok = make_case(world, received_on=date(2022, 3, 8), kind=CaseKind.COMPLAINT, sector=world.sector,
                       officer=world.inspector, summary="Khiếu nại quyết định xử phạt")
        done = make_case(world, received_on=date(2022, 2, 1), accepted_on=date(2022, 2, 7),
                         summary="Kiến nghị về sóng di động")
        case_resolve(case=done, resolved_on=date(2022, 2, 20), conclusion="Đã trả lời", acting_user=world.inspector)
        secret = make_denunciation(world, received_on=date(2022, 3, 9))
        return {"soon": soon, "late": late, "ok": ok, "done": done, "secret": secret}

    def test_views(self, world, cases):
        today = date(2022, 3, 10)
        assert ids(case_list(user=world.compiler, view="due3", today=today)) == {cases["soon"].pk}
        assert ids(case_list(user=world.compiler, view="overdue", today=today)) == {cases["late"].pk}
        assert ids(case_list(user=world.compiler, today=today)) == {c.pk for c in cases.values()}

    def test_filters(self, world, cases):
        assert ids(case_list(user=world.compiler, kind=CaseKind.COMPLAINT)) == {cases["ok"].pk}
        assert ids(case_list(user=world.compiler, status=CaseStatus.RESOLVED)) == {cases["done"].pk}
        assert ids(case_list(user=world.compiler, sector_id=world.sector.pk)) == {cases["ok"].pk, cases["secret"].pk}
        assert ids(case_list(user=world.compiler, officer_id=world.inspector.pk)) == {cases["ok"].pk}

    def test_search_without_accents(self, world, cases):
        assert ids(case_list(user=world.compiler, q="buu chinh")) == {cases["soon"].pk, cases["secret"].pk}
        assert ids(case_list(user=world.compiler, q="TC-01")) == {cases["secret"].pk}

    @pytest.mark.parametrize("q", [SECRET_NAME, "nguyen van bi mat", "ngõ Kín"])
    def test_only_the_inspectorate_finds_a_case_by_its_submitter(self, world, cases, q):
        assert ids(case_list(user=world.inspector, q=q)) == {cases["secret"].pk}
        for role in ("admin", "compiler", "leader", "viewer"):
            assert ids(case_list(user=getattr(world, role), q=q)) == set(), role

    def test_other_roles_never_search_submitters_even_of_petitions(self, world):
        make_case(world, submitter_name="Trần Văn Kiến Nghị")
        assert len(case_list(user=world.inspector, q="kien nghi")) == 1
        assert case_list(user=world.compiler, q="tran van") == []

    def test_rows_carry_the_submitter_as_the_user_may_see_it(self, world, cases):
        by_id = {r.case.pk: r for r in case_list(user=world.compiler)}
        assert by_id[cases["secret"].pk].shown_name == "[Thông tin người tố cáo được giữ bí mật]"
        by_id = {r.case.pk: r for r in case_list(user=world.inspector)}
        assert by_id[cases["secret"].pk].shown_name == SECRET_NAME

    def test_query_count_does_not_grow(self, world):
        def count() -> int:
            world.compiler.refresh_from_db()
            with CaptureQueriesContext(connection) as ctx:
                case_list(user=world.compiler, view="overdue", q="x")
                case_list(user=world.compiler)
            return len(ctx.captured_queries)

        for i in range(3):
            make_denunciation(world, accepted_on=date(2022, 3, 2), code=f"TC-{i}")
        few = count()
        for i in range(27):
            case = make_denunciation(world, accepted_on=date(2022, 3, 2), code=f"TD-{i}", officer=world.inspector)
            case_extend(case=case, decision_number=f"{i}/QĐ", decided_on=date(2022, 3, 20), days=30, reason="",
                        acting_user=world.inspector)
        assert count() == few


def test_identity_visible_only_to_the_inspectorate(world):
    denunciation = make_denunciation(world)
    petition = make_case(world, submitter_name="Trần Văn Kiến Nghị")
    for role in ROLES:
        u = getattr(world, role)
        assert case_identity_visible(u, denunciation) == (role in ("inspector", "other_inspector"))
        assert case_identity_visible(u, petition)


def test_history_masks_identity_fields_for_others(world):
    case = make_denunciation(world)
    # A row as an older version might have written it: the reading side still hides it.
    audit_record(actor=world.admin, action="case.update", entity="case", entity_id=case.pk, unit=case.owner,
                 field="submitter_name", old="", new=SECRET_NAME)
    assert [h.new for h in case_history(user=world.compiler, case=case)][-1] == "[bảo mật]"
    assert [h.new for h in case_history(user=world.inspector, case=case)][-1] == SECRET_NAME
    assert not any(SECRET_NAME in h.text for h in case_history(user=world.compiler, case=case))
