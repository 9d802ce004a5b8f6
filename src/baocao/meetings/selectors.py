"""Reads of conferences, always scoped to the user.

Receiving roles (compiler, leader, inspectorate, viewer) see the meetings organised by their unit
and the units below it; a unit reporter sees, read-only, the meetings their unit attends directly
or through a group; admins see all. A meeting outside that scope is not found (404).
"""

from __future__ import annotations

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from baocao.accounts.choices import RECEIVER_ROLES, Role
from baocao.accounts.roles import is_admin
from baocao.core.errors import NotFound
from baocao.meetings.models import AgendaItem, Attendee, Conclusion, Meeting, Opinion
from baocao.orgunits.lineage import unit_by_code
from baocao.orgunits.scope import in_user_subtree, unit_in_subtree

MEETING_NOT_FOUND = "Không tìm thấy hội nghị hoặc bạn không có quyền xem."
EDITOR_ROLES = frozenset({Role.COMPILER, Role.LEADER})


def meetings_for_user(user) -> QuerySet[Meeting]:
    qs = Meeting.objects.all()
    if is_admin(user):
        return qs
    if not user.is_authenticated or not user.unit_id:
        return qs.none()
    if user.role in RECEIVER_ROLES:
        return qs.filter(in_user_subtree(user, "organiser"))
    if user.role == Role.REPORTER:
        attended = Attendee.objects.filter(Q(unit_id=user.unit_id) | Q(group__members=user.unit_id))
        return qs.filter(pk__in=attended.values("meeting_id"))
    return qs.none()


def can_edit_meeting(user, meeting: Meeting) -> bool:
    """Compilers and leaders of the organiser's unit or a unit above it; admins."""
    if is_admin(user):
        return True
    return bool(
        user.is_authenticated and user.role in EDITOR_ROLES and user.unit_id
        and unit_in_subtree(user, meeting.organiser)
    )


def meeting_actions(*, user, meeting: Meeting) -> set[str]:
    """What the user may do with the meeting ("edit": its sections, attendees, minutes, article):
    the page's editing controls, the API's `can_edit` and the services' check all follow
    `can_edit_meeting`."""
    return {"edit"} if can_edit_meeting(user, meeting) else set()


def can_create_meetings(user) -> bool:
    return is_admin(user) or bool(user.is_authenticated and user.role in EDITOR_ROLES and user.unit_id)


def _count(model, field: str = "meeting") -> Coalesce:
    counts = (model.objects.filter(**{field: OuterRef("pk")}).order_by().values(field)
              .annotate(n=Count("pk")).values("n"))
    return Coalesce(Subquery(counts, output_field=IntegerField()), 0)


def meeting_list(*, user, year: int | None = None, organiser_id: int | None = None) -> QuerySet[Meeting]:
    """The user's meetings, newest first, with their organiser and row counts (one query)."""
    qs = meetings_for_user(user).select_related("organiser").annotate(
        attendee_count=_count(Attendee), opinion_count=_count(Opinion), conclusion_count=_count(Conclusion),
    )
    if year is not None:
        qs = qs.filter(date__year=year)
    if organiser_id is not None:
        qs = qs.filter(organiser_id=organiser_id)
    return qs.order_by("-date", "-id")


def meeting_get_for_user(*, user, meeting_id: int) -> Meeting:
    meeting = meetings_for_user(user).select_related("organiser", "regime", "created_by").filter(
        pk=meeting_id).first()
    if meeting is None:
        raise NotFound(MEETING_NOT_FOUND, {"meeting": meeting_id})
    return meeting


def meeting_detail(meeting: Meeting) -> Meeting:
    """The meeting with its attendees, agenda, opinions and conclusions (and their tasks) loaded,
    in a fixed number of queries whatever their number."""
    from baocao.work.models import Task

    return (
        Meeting.objects.select_related("organiser", "regime", "created_by")
        .prefetch_related(
            Prefetch("attendees", queryset=Attendee.objects.select_related("unit", "group")
                     .prefetch_related("group__members")),
            Prefetch("agenda", queryset=AgendaItem.objects.select_related(
                "report_version__report__regime", "report_version__report__unit")),
            Prefetch("opinions", queryset=Opinion.objects.select_related("unit")),
            Prefetch("conclusions", queryset=Conclusion.objects.select_related("sector").prefetch_related(
                Prefetch("tasks", queryset=Task.objects.select_related("lead_unit")
                                           .prefetch_related("cooperating_units").order_by("id")))),
        )
        .get(pk=meeting.pk)
    )


def meeting_links_for_user(*, user, meeting: Meeting) -> dict[str, set[int]]:
    """Which of the pages a meeting's page links to this user may open: the tasks its conclusions
    gave and the consolidated reports on its agenda (a reporter sees the meeting, not every task or
    the department's report). Two queries, whatever their number."""
    from baocao.consolidation.selectors import reports_for_user
    from baocao.work.selectors import tasks_for_user

    task_ids = [t.pk for c in meeting.conclusions.all() for t in c.tasks.all()]
    report_ids = [v.report_id for a in meeting.agenda.all() if (v := a.report_version) is not None]
    return {
        "tasks": set(tasks_for_user(user).filter(pk__in=task_ids).values_list("pk", flat=True)) if task_ids else set(),
        "reports": set(reports_for_user(user).filter(pk__in=report_ids).values_list("pk", flat=True))
        if report_ids else set(),
    }


def conclusion_get_for_user(*, user, conclusion_id: int) -> Conclusion:
    conclusion = Conclusion.objects.select_related("meeting__organiser", "sector").filter(
        pk=conclusion_id, meeting__in=meetings_for_user(user)).first()
    if conclusion is None:
        raise NotFound("Không tìm thấy kết luận hoặc bạn không có quyền xem.", {"conclusion": conclusion_id})
    return conclusion


def meeting_row_get(*, meeting: Meeting, model, row_id: int):
    """An attendee, agenda item, opinion or conclusion of a meeting the user sees."""
    row = model.objects.filter(pk=row_id, meeting=meeting).first()
    if row is None:
        raise NotFound("Không tìm thấy mục này của hội nghị.", {"id": row_id})
    return row


def report_versions_for_user(*, user):
    """Consolidated report versions the user may present at a meeting (newest first)."""
    from baocao.consolidation.models import ReportVersion
    from baocao.consolidation.selectors import reports_for_user

    return (ReportVersion.objects.filter(report__in=reports_for_user(user))
            .select_related("report__regime", "report__unit")
            .order_by("-report__period", "report__regime__code", "-number"))


def meeting_for_unit_on(*, unit_code: str, day) -> list[Meeting]:
    """Meetings a unit (by code) organised on a day; for the admin console, without a user scope."""
    organiser = unit_by_code(unit_code, on=day)
    return list(Meeting.objects.select_related("organiser", "regime", "created_by")
                .filter(organiser=organiser, date=day).order_by("id")) if organiser is not None else []
