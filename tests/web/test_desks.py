"""The desk of each role (issue 13 item 1): each role sees its items and only those of its scope,
every link on a desk opens a page the user may see, and a desk's queries do not grow with the
number of units, reports, tasks or cases."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from baocao.cases import limits
from baocao.cases.choices import CaseKind
from baocao.cases.services import case_create
from baocao.consolidation.models import ReportVersion
from baocao.consolidation.services import consolidated_report_build, target_set
from baocao.core.clock import today_vn
from baocao.orgunits.choices import UnitKind
from baocao.reporting.selectors import regime_recent_periods
from baocao.submissions.choices import SubmissionStatus
from baocao.submissions.models import Submission
from baocao.submissions.services import (
    submission_approve,
    submission_get_or_create,
    submission_return,
    submission_save_draft,
    submission_submit,
)
from baocao.web.desks import PENDING_APPROVAL_STATUS, desk_kind
from baocao.web.views import _remind_url
from baocao.work.services import task_create
from tests import factories as f
from tests.factories import World

pytestmark = pytest.mark.django_db

RETURN_COMMENT = "Đề nghị bổ sung số đơn tiếp nhận trong kỳ."


def _report(w, unit, user, period, *, a=1, b=2, submit=True):
    sub = submission_get_or_create(regime=w.regime, period=period, unit=unit, acting_user=user)
    submission_save_draft(submission=sub, acting_user=user, values={"A": a, "B": b}, narratives={"RESULTS": "Đã làm"})
    if submit:
        sub = submission_submit(submission=sub, acting_user=user)
    return sub


def _due_soon_received_on(today):
    """A day of receipt that leaves a complaint's acceptance due within 3 working days today."""
    for back in range(1, 40):
        received = today - timedelta(days=back)
        deadline = limits.case_deadlines(kind=CaseKind.COMPLAINT, round=1, received_on=received, accepted_on=None,
                                         is_complex=False, is_remote=False, extensions=[],
                                         rules=limits.DEFAULT_RULES)["acceptance"]
        if limits.deadline_status(deadline, today, None) == "due_soon":
            return received
    raise AssertionError("no day of receipt found")


@pytest.fixture
def w():
    w = World()
    today = w.today = today_vn()
    w.current, w.previous = regime_recent_periods(w.regime, today=today, count=2)[:2]
    # Unit A sent the previous period's report (waiting for review); unit B's was returned.
    w.sub_a = _report(w, w.unit_a, w.reporter_a, w.previous.code)
    w.sub_b = submission_return(submission=_report(w, w.unit_b, w.reporter_b, w.previous.code),
                                acting_user=w.compiler, comment=RETURN_COMMENT)
    # Two approved half-years for the trend of the key indicators, and the year's target.
    for period, (a, b) in (("2021S1", (3, 5)), ("2022S1", (4, 6))):
        for unit, user in ((w.unit_a, w.reporter_a), (w.unit_b, w.reporter_b)):
            submission_approve(submission=_report(w, unit, user, period, a=a, b=b), acting_user=w.compiler)
    target_set(acting_user=w.compiler, unit=w.department, year=2022, indicator_code="A", value=Decimal(10))
    # A consolidated report sent to the leader.
    w.version = consolidated_report_build(regime=w.regime, period="2022S1", unit=w.department, acting_user=w.compiler)
    ReportVersion.objects.filter(pk=w.version.pk).update(status=PENDING_APPROVAL_STATUS)
    # Tasks: one overdue led by A, one due in 2 days led by B.
    w.task_late = task_create(acting_user=w.compiler, title="Nâng cấp đài truyền thanh xã", lead_unit=w.unit_a,
                              deadline=today - timedelta(days=3))
    w.task_soon = task_create(acting_user=w.compiler, title="Rà soát cổng thông tin điện tử", lead_unit=w.unit_b,
                              deadline=today + timedelta(days=2))
    # Cases: one past its acceptance limit, one due within 3 working days.
    w.case_late = case_create(acting_user=w.inspector, kind=CaseKind.COMPLAINT, received_on=today - timedelta(days=60),
                              summary="Khiếu nại quyết định xử phạt", code="KN-01/QUAHAN", subject_org="Công ty A")
    w.case_soon = case_create(acting_user=w.inspector, kind=CaseKind.COMPLAINT, received_on=_due_soon_received_on(today),
                              summary="Khiếu nại về cước", code="KN-02/SAPHAN", subject_org="Công ty B")
    # Another department with its own regime, unit, report, task and case.
    w.unit_c = f.unit(code="UC", name="Trung tâm Y tế huyện Chợ Mới", kind=UnitKind.OTHER, parent=w.province)
    w.regime_c = f.regime(receiving_unit=w.other_department, form_version=w.form_version, units=[w.unit_c],
                          code="BC-YTE")
    w.reporter_c = f.user(username="cm", role=f.Role.REPORTER, unit=w.unit_c)
    sub_c = submission_get_or_create(regime=w.regime_c, period=w.previous.code, unit=w.unit_c, acting_user=w.reporter_c)
    submission_save_draft(submission=sub_c, acting_user=w.reporter_c, values={"A": 1, "B": 2},
                          narratives={"RESULTS": "Đã làm"})
    submission_submit(submission=sub_c, acting_user=w.reporter_c)
    task_create(acting_user=w.other_compiler, title="Việc riêng của Sở Y tế", lead_unit=w.unit_c,
                deadline=today - timedelta(days=5))
    return w


def html_of(user) -> str:
    client = Client()
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


def desk_part(html: str) -> str:
    return html[html.index('id="desk"'):html.index("</main>")]


def test_each_role_gets_its_desk(w):
    assert [desk_kind(u) for u in (w.admin, w.compiler, w.leader, w.inspector, w.viewer, w.reporter_a)] == [
        "compiler", "compiler", "leader", "inspectorate", "viewer", "reporter"]


class TestLeader:
    def test_waiting_items_charts_tasks_and_cases(self, w):
        html = desk_part(html_of(w.leader))
        # Waiting for approval and for review, each linked to its page.
        assert f'href="/reports/{w.version.report_id}/?v={w.version.number}"' in html
        assert f'href="/submissions/{w.sub_a.pk}/"' in html
        assert f'href="/submissions/{w.sub_b.pk}/"' not in html  # returned: the unit's turn, not the leader's
        # Completeness and timeliness chart with its table.
        assert 'id="chart-completeness"' in html and 'role="img"' in html
        assert f"BC-TEST · {w.previous.period.label}" in html
        # Key indicators: A summed over the approved reports (3+3, 4+4) against the 2022 target 10.
        section = html[html.index('id="indicators"'):]
        assert "Số đơn đã giải quyết" in section and ">6<" in section and ">8<" in section
        assert "KH 2022: 10" in section and "80%" in section  # 8 of the target 10
        # Tasks by lead unit; cases near or past their limits.
        tasks = html[html.index('id="tasks"'):html.index('id="cases"')]
        assert w.unit_a.name in tasks and w.task_late.title in tasks and w.task_soon.title in tasks
        assert tasks.index(w.unit_a.name) < tasks.index(w.unit_b.name)  # most overdue first
        cases = html[html.index('id="cases"'):]
        assert "KN-01/QUAHAN" in cases[cases.index('id="cases-overdue"'):cases.index('id="cases-due"')]
        assert "KN-02/SAPHAN" in cases[cases.index('id="cases-due"'):]

    def test_never_another_departments_items(self, w):
        html = desk_part(html_of(w.leader))
        assert "BC-YTE" not in html and w.unit_c.name not in html and "Việc riêng của Sở Y tế" not in html


class TestCompiler:
    def test_late_and_missing_units_reviews_and_the_consolidated_report(self, w):
        html = desk_part(html_of(w.compiler))
        current = html[html.index(f'id="late-{w.regime.pk}-{w.current.code}"'):]
        assert w.unit_a.name in current and w.unit_b.name in current  # neither has sent the current period
        assert f'href="/submissions/{w.sub_a.pk}/"' in html[html.index('id="to-review"'):]
        consolidated = html[html.index('id="consolidated"'):]
        assert w.current.code in consolidated and "Lập báo cáo tổng hợp" in consolidated
        # The reminder button is there exactly when the notifications app answers its URL.
        remind = _remind_url()
        assert ('name="unit"' in html) == (remind is not None)
        if remind is not None:
            assert f'value="{w.unit_a.pk}"' in html and f'action="{remind}"' in html

    def test_the_sent_and_late_counts(self, w):
        # Unit A's report of the previous period sent a day after its deadline: late, not on time.
        deadline = w.previous.deadline
        late = timezone.make_aware(timezone.datetime.combine(deadline + timedelta(days=1),
                                                             timezone.datetime.min.time()) + timedelta(hours=10))
        Submission.objects.filter(pk=w.sub_a.pk).update(first_submitted_at=late)
        html = desk_part(html_of(w.compiler))
        block = html[html.index(f'id="late-{w.regime.pk}-{w.previous.code}"'):]
        assert "1 đơn vị gửi muộn" in block and w.unit_a.name in block

    def test_never_another_departments_units(self, w):
        html = desk_part(html_of(w.compiler))
        assert "BC-YTE" not in html and w.unit_c.name not in html
        other = desk_part(html_of(w.other_compiler))
        assert "BC-YTE" in other and w.unit_c.name in other
        assert "BC-TEST" not in other and w.unit_a.name not in other and w.unit_b.name not in other


class TestReporter:
    def test_due_periods_returned_report_with_comment_and_own_tasks(self, w):
        html = desk_part(html_of(w.reporter_b))
        returned = html[html.index('id="returned"'):]
        assert RETURN_COMMENT in returned and f'href="/submissions/{w.sub_b.pk}/"' in returned
        assert w.current.period.label in html and "còn" in html  # what is due, with the days left
        tasks = html[html.index('id="own-tasks"'):]
        assert w.task_soon.title in tasks and w.task_late.title not in tasks

    def test_never_another_units_items(self, w):
        html = desk_part(html_of(w.reporter_a))
        assert 'id="returned"' not in html and RETURN_COMMENT not in html
        assert w.task_soon.title not in html and f'href="/submissions/{w.sub_b.pk}/"' not in html
        assert w.unit_b.name not in html and "KN-01" not in html


class TestInspectorate:
    def test_cases_due_within_three_working_days_and_overdue(self, w):
        html = desk_part(html_of(w.inspector))
        assert "KN-01/QUAHAN" in html and "KN-02/SAPHAN" in html
        assert f'href="/cases/{w.case_late.pk}/"' in html and f'href="/cases/{w.case_soon.pk}/"' in html


HREF = re.compile(r'href="(/[^"#]*)"')


@pytest.mark.parametrize("role", ["admin", "compiler", "leader", "inspector", "viewer", "reporter_a", "reporter_b"])
def test_every_link_on_the_desk_opens(w, role):
    user = getattr(w, role)
    client = Client()
    client.force_login(user)
    html = desk_part(client.get("/").content.decode())
    links = sorted({m.replace("&amp;", "&") for m in HREF.findall(html)})
    assert links, role
    for link in links:
        assert client.get(link).status_code == 200, (role, link)


def _count(user) -> int:
    client = Client()
    client.force_login(user)
    client.get("/")  # warm: sessions, content types
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/").status_code == 200
    return len(ctx.captured_queries)


def _add_units(w, n: int) -> None:
    """`n` more reporting units, each with a report of both current periods (a mix of states and
    approved figures of 2022S1), an overdue task it leads and an overdue case."""
    units = [f.unit(name=f"Xã Thêm Số {i}", kind=UnitKind.COMMUNE, parent=w.province) for i in range(n)]
    w.regime.reporting_units.add(*units)
    now = timezone.now()
    statuses = [SubmissionStatus.DRAFT, SubmissionStatus.SUBMITTED, SubmissionStatus.APPROVED,
                SubmissionStatus.RETURNED]
    subs = []
    for i, unit in enumerate(units):
        for period in (w.current.code, w.previous.code, "2022S1"):
            status = SubmissionStatus.APPROVED if period == "2022S1" else statuses[i % 4]
            sent = None if status == SubmissionStatus.DRAFT else now - timedelta(days=i % 30)
            subs.append(Submission(regime=w.regime, period=period, unit=unit, form_version=w.form_version,
                                   status=status, submitted_at=sent, first_submitted_at=sent))
    Submission.objects.bulk_create(subs)
    from baocao.reporting.models import Indicator
    from baocao.submissions.models import SubmissionValue

    indicator = Indicator.objects.get(form_version=w.form_version, code="A")
    SubmissionValue.objects.bulk_create([SubmissionValue(submission=s, indicator=indicator, number=Decimal(2))
                                         for s in Submission.objects.filter(regime=w.regime, period="2022S1",
                                                                            unit__in=units)])
    for unit in units[:10]:
        task_create(acting_user=w.compiler, title=f"Việc của {unit.name}", lead_unit=unit,
                    deadline=w.today - timedelta(days=1))
        case_create(acting_user=w.inspector, kind=CaseKind.COMPLAINT, received_on=w.today - timedelta(days=50),
                    summary=f"Khiếu nại tại {unit.name}")


def test_query_counts_do_not_grow_with_units(w):
    roles = ["admin", "compiler", "leader", "inspector", "viewer", "reporter_a"]
    before = {role: _count(getattr(w, role)) for role in roles}
    _add_units(w, 50)
    after = {role: _count(getattr(w, role)) for role in roles}
    assert after == before
