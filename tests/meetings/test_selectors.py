"""Who sees which meeting (receivers: their unit's subtree; reporters: meetings their unit attends,
directly or through a group; admins: all), and reads in a fixed number of queries."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from baocao.core.errors import NotFound
from baocao.meetings.selectors import meeting_detail, meeting_get_for_user, meeting_list
from baocao.meetings.services import attendee_add, conclusion_add, meeting_create, opinion_add
from tests.factories import group
from tests.meetings.conftest import make_meeting

pytestmark = pytest.mark.django_db


def visible(user) -> set[int]:
    return set(meeting_list(user=user).values_list("pk", flat=True))


def test_scope_per_role(world):
    ours = make_meeting(world)
    with_a = make_meeting(world, title="Hội nghị chuyên đề chuyển đổi số")
    attendee_add(acting_user=world.compiler, meeting=with_a, unit=world.unit_a)
    via_group = make_meeting(world, title="Hội nghị tổng kết", kind="annual")
    attendee_add(acting_user=world.compiler, meeting=via_group, group=group(members=[world.unit_b]))
    theirs = meeting_create(acting_user=world.other_compiler, organiser=world.other_department,
                            title="Hội nghị ngành y tế", date=date(2022, 7, 8))
    mine = {ours.pk, with_a.pk, via_group.pk}
    assert visible(world.admin) == mine | {theirs.pk}
    for role in ("compiler", "leader", "inspector", "viewer"):
        assert visible(getattr(world, role)) == mine, role
    assert visible(world.reporter_a) == {with_a.pk}
    assert visible(world.reporter_b) == {via_group.pk}
    assert visible(world.other_compiler) == {theirs.pk}
    with pytest.raises(NotFound):
        meeting_get_for_user(user=world.reporter_a, meeting_id=ours.pk)
    with pytest.raises(NotFound):
        meeting_get_for_user(user=world.compiler, meeting_id=theirs.pk)
    assert meeting_get_for_user(user=world.reporter_b, meeting_id=via_group.pk) == via_group


def test_list_counts_rows_in_one_query(world):
    for n in range(3):
        meeting = make_meeting(world, title=f"Hội nghị {n}")
        for _ in range(n):
            attendee_add(acting_user=world.compiler, meeting=meeting, person_name=f"Người {_}")
            opinion_add(acting_user=world.compiler, meeting=meeting, summary="Ý kiến.", unit=world.unit_a)
        conclusion_add(acting_user=world.compiler, meeting=meeting, text="Kết luận.")
    with CaptureQueriesContext(connection) as ctx:
        rows = list(meeting_list(user=world.compiler))
        counts = {m.title: (m.attendee_count, m.opinion_count, m.conclusion_count, m.organiser.code) for m in rows}
    assert len(ctx.captured_queries) == 1
    assert counts["Hội nghị 2"] == (2, 2, 1, "DEPT") and counts["Hội nghị 0"] == (0, 0, 1, "DEPT")


def _detail_queries(world, meeting) -> int:
    with CaptureQueriesContext(connection) as ctx:
        m = meeting_detail(meeting)
        for a in m.attendees.all():
            _ = (a.unit, a.group, list(a.group.members.all()) if a.group else None)
        for c in m.conclusions.all():
            _ = [t.lead_unit.name for t in c.tasks.all()]
        _ = [o.unit for o in m.opinions.all()], [i.report_version for i in m.agenda.all()]
    return len(ctx.captured_queries)


def test_detail_queries_do_not_grow_with_rows(world):
    meeting = make_meeting(world)
    attendee_add(acting_user=world.compiler, meeting=meeting, group=group(members=[world.unit_a]))
    conclusion_add(acting_user=world.compiler, meeting=meeting, text="Kết luận một.")
    few = _detail_queries(world, meeting)
    for n in range(5):
        attendee_add(acting_user=world.compiler, meeting=meeting, group=group(members=[world.unit_a, world.unit_b]))
        opinion_add(acting_user=world.compiler, meeting=meeting, summary=f"Ý kiến {n}.", unit=world.unit_b)
        conclusion_add(acting_user=world.compiler, meeting=meeting, text=f"Kết luận {n}.")
    assert _detail_queries(world, meeting) == few
