"""Task lists: scope per role, filters, tabs, computed status, fixed query counts; and the task
part of the consolidated report (task_report_summary)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from baocao.accounts.choices import Role
from baocao.core.vietnamese import VIETNAM_TZ
from baocao.meetings.models import Conclusion, Meeting
from baocao.orgunits.choices import UnitKind
from baocao.work.choices import Recurrence, TaskStatus
from baocao.work.models import Task, TaskUpdate
from baocao.work.selectors import (
    plan_get_for_user,
    plan_list,
    task_get_for_user,
    task_list,
    task_report_summary,
)
from baocao.work.services import task_progress_add
from tests.factories import unit, user
from tests.work.conftest import make_task

pytestmark = pytest.mark.django_db
TODAY = date(2022, 7, 20)


def ids(rows) -> set[int]:
    return {r.task.pk for r in rows}


def set_progress(task, progress, *, completed_on=None, started_on=None):
    Task.objects.filter(pk=task.pk).update(progress=progress, completed_on=completed_on,
                                           started_on=started_on or (date(2022, 1, 1) if progress else None))


class TestScope:
    @pytest.fixture
    def tasks(self, world):
        division = unit(kind=UnitKind.DIVISION, parent=world.department, name="Văn phòng Sở")
        other_task = make_task(world, by=world.other_compiler, lead=world.other_department, title="Việc của Sở Y tế")
        return {
            "a": make_task(world, title="Việc của huyện An"),
            "b_with_a": make_task(world, lead=world.unit_b, cooperating_units=[world.unit_a], title="Việc của Bình"),
            "b": make_task(world, lead=world.unit_b, title="Việc riêng của Bình"),
            "division": make_task(world, lead=division, title="Việc của Văn phòng"),
            "other": other_task,
        }

    @pytest.mark.parametrize("role,expected", [
        ("admin", {"a", "b_with_a", "b", "division", "other"}),
        ("compiler", {"a", "b_with_a", "b", "division"}),
        ("leader", {"a", "b_with_a", "b", "division"}),
        ("inspector", {"a", "b_with_a", "b", "division"}),
        ("viewer", {"a", "b_with_a", "b", "division"}),
        ("reporter_a", {"a", "b_with_a"}),
        ("reporter_b", {"b_with_a", "b"}),
        ("other_compiler", {"other"}),
    ])
    def test_who_sees_what(self, world, tasks, role, expected):
        u = getattr(world, role)
        assert ids(task_list(user=u, today=TODAY)) == {tasks[k].pk for k in expected}
        for key, task in tasks.items():
            if key in expected:
                assert task_get_for_user(user=u, task_id=task.pk).pk == task.pk
            else:
                with pytest.raises(Exception, match="Không tìm thấy nhiệm vụ"):
                    task_get_for_user(user=u, task_id=task.pk)

    def test_receiver_sees_tasks_led_by_units_they_see_even_if_assigned_elsewhere(self, world, tasks):
        # The province's office assigns a task to unit A: the department sees unit A, so it sees the task.
        province_staff = user(role=Role.COMPILER, unit=world.province)
        t = make_task(world, by=province_staff, title="Tỉnh giao")
        assert t.pk in ids(task_list(user=world.compiler, today=TODAY))
        assert t.pk not in ids(task_list(user=world.other_compiler, today=TODAY))

    def test_users_without_unit_see_nothing(self, world, tasks):
        assert task_list(user=user(role=Role.COMPILER), today=TODAY) == []

    def test_plans(self, world, tasks):
        Task.objects.filter(pk=tasks["a"].pk).update(plan=world.plan)
        assert [p.pk for p in plan_list(user=world.compiler)] == [world.plan.pk]
        assert plan_list(user=world.compiler)[0].task_count == 1
        assert [p.pk for p in plan_list(user=world.reporter_a)] == [world.plan.pk]
        assert list(plan_list(user=world.reporter_b)) == []
        assert list(plan_list(user=world.other_compiler)) == []
        with pytest.raises(Exception, match="Không tìm thấy kế hoạch"):
            plan_get_for_user(user=world.other_compiler, plan_id=world.plan.pk)


class TestFiltersAndStatus:
    @pytest.fixture
    def tasks(self, world):
        t = {
            "overdue": make_task(world, title="Quá hạn", deadline=date(2022, 7, 19), sector=world.it),
            "today": make_task(world, title="Hạn hôm nay", deadline=TODAY, sector=world.post),
            "in7": make_task(world, title="Hạn sau 7 ngày", deadline=TODAY + timedelta(days=7), plan=world.plan),
            "in8": make_task(world, title="Hạn sau 8 ngày", deadline=TODAY + timedelta(days=8)),
            "done": make_task(world, title="Đã xong", deadline=TODAY + timedelta(days=2)),
            "late": make_task(world, title="Xong muộn", deadline=date(2022, 7, 1)),
            "b": make_task(world, title="Chuyển đổi số ở Bình", lead=world.unit_b, deadline=TODAY),
            "monthly": make_task(world, title="Báo cáo tháng", recurrence=Recurrence.MONTHLY, recurrence_day=25,
                                 start=date(2022, 1, 1), deadline=date(2022, 12, 31)),
        }
        set_progress(t["done"], 100, completed_on=date(2022, 7, 18))
        set_progress(t["late"], 100, completed_on=date(2022, 7, 5))
        set_progress(t["in7"], 50)
        return t

    def rows(self, world, **filters):
        return task_list(user=world.compiler, today=TODAY, **filters)

    def test_computed_status_and_order(self, world, tasks):
        rows = self.rows(world)
        status = {r.task.title: r.status for r in rows}
        assert status == {
            "Quá hạn": TaskStatus.OVERDUE, "Hạn hôm nay": TaskStatus.NOT_STARTED, "Chuyển đổi số ở Bình":
            TaskStatus.NOT_STARTED, "Hạn sau 7 ngày": TaskStatus.IN_PROGRESS, "Hạn sau 8 ngày": TaskStatus.NOT_STARTED,
            "Đã xong": TaskStatus.DONE_ON_TIME, "Xong muộn": TaskStatus.DONE_LATE, "Báo cáo tháng":
            TaskStatus.NOT_STARTED,
        }
        deadlines = [r.deadline for r in rows]
        assert deadlines == sorted(deadlines)
        monthly = next(r for r in rows if r.task.recurrence)
        assert monthly.deadline == date(2022, 7, 25) and monthly.days_left == 5

    def test_tabs(self, world, tasks):
        assert ids(self.rows(world, view="overdue")) == {tasks["overdue"].pk}
        assert ids(self.rows(world, view="due7")) == {tasks[k].pk for k in ("today", "in7", "b", "monthly")}

    def test_filters(self, world, tasks):
        assert ids(self.rows(world, status=TaskStatus.DONE_LATE)) == {tasks["late"].pk}
        assert ids(self.rows(world, sector_id=world.it.pk)) == {tasks["overdue"].pk}
        assert ids(self.rows(world, plan_id=world.plan.pk)) == {tasks["in7"].pk}
        assert ids(self.rows(world, unit_id=world.unit_b.pk)) == {tasks["b"].pk}
        assert ids(self.rows(world, q="chuyen doi so")) == {tasks["b"].pk}
        assert ids(self.rows(world, q="binh")) == {tasks["b"].pk}  # the lead unit's name
        assert ids(self.rows(world, q="QUA HAN", view="overdue")) == {tasks["overdue"].pk}

    def test_cooperating_unit_filter(self, world, tasks):
        t = make_task(world, lead=world.unit_b, cooperating_units=[world.unit_a])
        assert t.pk in ids(self.rows(world, unit_id=world.unit_a.pk))

    def test_recurring_status_from_updates_since_the_previous_occurrence(self, world, tasks):
        monthly = tasks["monthly"]
        task_progress_add(acting_user=world.reporter_a, task=monthly, text="Tháng 6", progress=100)
        TaskUpdate.objects.filter(task=monthly).update(at=datetime(2022, 6, 20, 9, tzinfo=VIETNAM_TZ))
        row = next(r for r in self.rows(world) if r.task.pk == monthly.pk)
        assert row.status == TaskStatus.NOT_STARTED  # June's update was before 25/6, the previous due date
        TaskUpdate.objects.filter(task=monthly).update(at=datetime(2022, 6, 26, 9, tzinfo=VIETNAM_TZ))
        row = next(r for r in self.rows(world) if r.task.pk == monthly.pk)
        assert row.status == TaskStatus.DONE_ON_TIME


def make_many(world, n: int, start: int = 0) -> None:
    for i in range(start, start + n):
        kwargs = {"deadline": TODAY + timedelta(days=i % 10 - 3), "sector": world.it if i % 2 else world.post,
                  "plan": world.plan if i % 3 else None, "cooperating_units": [world.unit_b]}
        if i % 4 == 0:
            kwargs.update(recurrence=Recurrence.MONTHLY, recurrence_day=i % 28 + 1, deadline=date(2022, 12, 31))
        task = make_task(world, title=f"Nhiệm vụ {i}", **kwargs)
        task_progress_add(acting_user=world.reporter_a, task=task, text="x", progress=i % 101)


@pytest.mark.parametrize("role", ["compiler", "reporter_a", "admin"])
@pytest.mark.parametrize("filters", [{}, {"view": "overdue"}, {"view": "due7", "q": "nhiem vu"},
                                     {"status": "in_progress", "unit_id": 1}])
def test_list_queries_do_not_grow_with_the_number_of_tasks(world, role, filters):
    u = getattr(world, role)
    u.refresh_from_db()

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            rows = task_list(user=u, today=TODAY, **filters)
            for r in rows:  # what the table shows
                _ = (r.task.lead_unit.name, r.task.sector and r.task.sector.name, r.task.plan and r.task.plan.title)
        return len(ctx.captured_queries)

    make_many(world, 3)
    few = count()
    make_many(world, 27, start=3)
    assert count() == few
    assert few <= 3


class TestReportSummary:
    WINDOW = (date(2021, 12, 15), date(2022, 6, 14))
    NEXT = (date(2022, 6, 15), date(2022, 12, 14))

    def summary(self, world, owner=None, today=date(2022, 6, 14)):
        return task_report_summary(owner=owner or world.department, window_start=self.WINDOW[0],
                                   window_end=self.WINDOW[1], next_start=self.NEXT[0], next_end=self.NEXT[1],
                                   today=today)

    @pytest.fixture
    def tasks(self, world):
        Task.objects.all().delete()
        t = {
            "it_done": make_task(world, title="Triển khai nền tảng số", sector=world.it, deadline=date(2022, 3, 31)),
            "it_late": make_task(world, title="Thí điểm Tổ CNS cộng đồng", sector=world.it,
                                 deadline=date(2022, 5, 31), is_key=True),
            "it_late_done": make_task(world, title="Chỉ số DBI", sector=world.it, deadline=date(2022, 4, 30)),
            "post_open": make_task(world, title="Diễn tập thông tin", sector=world.post, start=date(2022, 5, 1),
                                   deadline=date(2022, 9, 30)),
            "other": make_task(world, title="Không lĩnh vực", deadline=date(2022, 6, 14)),
            "next": make_task(world, title="Nâng cấp đài truyền thanh", deadline=date(2022, 12, 15),
                              start=date(2022, 7, 1)),
            "next_in_window": make_task(world, title="Xây dựng cổng TTĐT huyện", deadline=date(2022, 11, 30),
                                        start=date(2022, 7, 1)),
            "old_done": make_task(world, title="Việc năm 2021", deadline=date(2021, 6, 30)),
            "old_key_open": make_task(world, title="Việc trọng tâm tồn đọng", deadline=date(2021, 11, 30),
                                      is_key=True),
            "monthly": make_task(world, title="Báo cáo tháng", sector=world.post, recurrence=Recurrence.MONTHLY,
                                 recurrence_day=10, start=date(2022, 1, 1), deadline=date(2022, 12, 31)),
            "other_dept": make_task(world, by=world.other_compiler, lead=world.other_department,
                                    title="Sở khác", deadline=date(2022, 3, 1)),
        }
        set_progress(t["it_done"], 100, completed_on=date(2022, 3, 20))
        set_progress(t["it_late_done"], 100, completed_on=date(2022, 5, 5))
        set_progress(t["post_open"], 30)
        set_progress(t["old_done"], 100, completed_on=date(2021, 6, 1))
        # Completed only after the period: at its end it was still overdue.
        set_progress(t["it_late"], 100, completed_on=date(2022, 7, 2))
        meeting = Meeting.objects.create(title="Hội nghị sơ kết", organiser=world.department, date=date(2022, 7, 7),
                                         created_by=world.compiler)
        conclusion = Conclusion.objects.create(meeting=meeting, text="Kết luận")
        t["from_conclusion"] = make_task(world, title="Tuyên truyền chuyển đổi số", conclusion=conclusion,
                                         deadline=date(2023, 3, 31), start=date(2022, 7, 8))
        Task.objects.filter(pk=t["from_conclusion"].pk).update(created_at=datetime(2022, 7, 8, tzinfo=VIETNAM_TZ))
        for key in ("next", "next_in_window"):
            Task.objects.filter(pk=t[key].pk).update(created_at=datetime(2022, 7, 8, tzinfo=VIETNAM_TZ))
        return t

    def test_counts_by_status_per_sector(self, world, tasks):
        result = self.summary(world)
        zero = dict.fromkeys(TaskStatus.values, 0)
        assert result["by_sector"] == [
            {"sector": "Bưu chính – Viễn thông", "counts": {**zero, "in_progress": 1, "not_started": 1}, "total": 2},
            {"sector": "Công nghệ thông tin",
             "counts": {**zero, "done_on_time": 1, "done_late": 1, "overdue": 1}, "total": 3},
            {"sector": "Khác", "counts": {**zero, "not_started": 1, "overdue": 1}, "total": 2},
        ]

    def test_overdue_key_tasks_as_of_the_end_of_the_period(self, world, tasks):
        assert self.summary(world)["overdue_key"] == [
            {"title": "Việc trọng tâm tồn đọng", "lead_unit": world.unit_a.name, "deadline": "2021-11-30"},
            {"title": "Thí điểm Tổ CNS cộng đồng", "lead_unit": world.unit_a.name, "deadline": "2022-05-31"},
        ]

    def test_tasks_for_the_next_period(self, world, tasks):
        """Each with where it comes from: the conference whose conclusion set it (or its plan)."""
        alone = {"plan": None, "conclusion": None}
        assert self.summary(world)["next_period"] == [
            {"title": "Báo cáo tháng", "lead_unit": world.unit_a.name, "deadline": "2022-07-10", **alone},
            {"title": "Diễn tập thông tin", "lead_unit": world.unit_a.name, "deadline": "2022-09-30", **alone},
            {"title": "Xây dựng cổng TTĐT huyện", "lead_unit": world.unit_a.name, "deadline": "2022-11-30", **alone},
            {"title": "Tuyên truyền chuyển đổi số", "lead_unit": world.unit_a.name, "deadline": "2023-03-31",
             "plan": None, "conclusion": {"meeting": "Hội nghị sơ kết", "date": "2022-07-07"}},
        ]

    def test_a_running_period_is_judged_as_of_today(self, world, tasks):
        result = self.summary(world, today=date(2022, 5, 1))
        it = next(r for r in result["by_sector"] if r["sector"] == "Công nghệ thông tin")
        # On 1/5 "Chỉ số DBI" (due 30/4, done 5/5) was overdue, "Thí điểm" (due 31/5) not yet.
        assert it["counts"]["overdue"] == 1 and it["counts"]["done_late"] == 0
        assert [t["title"] for t in result["overdue_key"]] == ["Việc trọng tâm tồn đọng"]

    def test_another_units_subtree_only(self, world, tasks):
        result = self.summary(world, owner=world.other_department)
        assert [r["total"] for r in result["by_sector"]] == [1]
        assert result["overdue_key"] == [] and result["next_period"] == []

    def test_fixed_number_of_queries(self, world, tasks):
        with CaptureQueriesContext(connection) as ctx:
            self.summary(world)
        few = len(ctx.captured_queries)
        for i in range(20):
            make_task(world, title=f"Thêm {i}", sector=world.it, deadline=date(2022, 4, 1) + timedelta(days=i),
                      recurrence=Recurrence.MONTHLY if i % 2 else "", recurrence_day=5 if i % 2 else None)
        with CaptureQueriesContext(connection) as ctx:
            self.summary(world)
        assert len(ctx.captured_queries) == few <= 3
