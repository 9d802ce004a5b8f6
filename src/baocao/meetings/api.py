"""Conferences (hội nghị): the meeting, its attendees, agenda (a consolidated report version may be
presented), opinions and conclusions; a conclusion turned into next period's tasks in one step;
the draft news article (read, edit) and the documents (invitation, minutes, article).

Reads go through meetings.selectors and the org scope (a meeting, unit or report outside it is
404); writes are services in meetings.services, which answer 403 to a role that may not write
(only compilers, leaders and admins do) and 400 with a Vietnamese message to a broken rule,
writing nothing.
"""

# No `from __future__ import annotations` here: ninja reads the handlers' annotations.
from typing import Annotated

from django.http import HttpResponse
from ninja import Query, Router, Status
from ninja.pagination import paginate
from pydantic import Field

from baocao.accounts.http import ApiRequest
from baocao.core.api_types import BoundedPageNumberPagination, Id
from baocao.core.downloads import content_disposition
from baocao.core.errors import AppError, NotFound
from baocao.meetings.article import article_edited, attendee_line, compose_article
from baocao.meetings.documents import CONTENT_TYPES, KINDS, meeting_document
from baocao.meetings.models import Meeting
from baocao.meetings.schemas import (
    AgendaIn,
    AgendaOut,
    ArticleIn,
    ArticleOut,
    ArticleQuery,
    AttendeeIn,
    AttendeeOut,
    ConclusionIn,
    ConclusionOut,
    ConclusionTasksIn,
    DocumentQuery,
    MeetingFilters,
    MeetingIn,
    MeetingListOut,
    MeetingOut,
    OpinionIn,
    OpinionOut,
    TaskRefOut,
)
from baocao.meetings.selectors import (
    conclusion_get_for_user,
    meeting_actions,
    meeting_detail,
    meeting_get_for_user,
    meeting_list,
)
from baocao.meetings.services import (
    agenda_item_add,
    attendee_add,
    conclusion_add,
    conclusion_to_tasks,
    meeting_article_save,
    meeting_create,
    opinion_add,
)
from baocao.orgunits.lineage import unit_by_code
from baocao.orgunits.scope import units_for_user
from baocao.reporting.schemas import unit_ref

router = Router(tags=["meetings"])

UNIT_NOT_FOUND = "Không tìm thấy đơn vị hoặc bạn không có quyền xem."


# ---------------------------------------------------------------------------
# Lookups in the user's scope


def _unit(user, unit_id: int | None, field: str = "unit"):
    if unit_id is None:
        return None
    unit = units_for_user(user).filter(pk=unit_id).first()
    if unit is None:
        raise NotFound(UNIT_NOT_FOUND, {field: unit_id})
    return unit


def _units(user, ids: list[int], field: str) -> list:
    wanted = list(dict.fromkeys(ids))
    found = {u.pk: u for u in units_for_user(user).filter(pk__in=wanted)}
    missing = [i for i in wanted if i not in found]
    if missing:
        raise NotFound(UNIT_NOT_FOUND, {field: missing})
    return [found[i] for i in wanted]


def _group(group_id: int | None):
    if group_id is None:
        return None
    from baocao.orgunits.models import OrgUnitGroup

    group = OrgUnitGroup.objects.filter(pk=group_id).first()
    if group is None:
        raise NotFound("Không tìm thấy nhóm đơn vị.", {"group": group_id})
    return group


def sector_by_code(code: str | None):
    code = (code or "").strip()
    if not code:
        return None
    from baocao.reporting.models import Sector

    sector = Sector.objects.filter(code=code).first()
    if sector is None:
        raise AppError(f"Không có lĩnh vực mã «{code}».", {"fields": {"sector": code}})
    return sector


def _report_version(user, report_id: int | None, number: int | None):
    if report_id is None:
        if number is not None:
            raise AppError("Chọn báo cáo tổng hợp trước khi chọn phiên bản.", {"fields": {"report": "Bắt buộc"}})
        return None
    from baocao.consolidation.selectors import report_get_for_user, version_get

    report = report_get_for_user(user=user, report_id=report_id)
    return version_get(report=report, number=number)


# ---------------------------------------------------------------------------
# Output


def task_url(task_id: int) -> str:
    return f"/tasks/{task_id}/"


def _task_out(task) -> dict:
    return {"id": task.pk, "title": task.title, "lead_unit": unit_ref(task.lead_unit), "deadline": task.deadline,
            "is_key": task.is_key, "url": task_url(task.pk)}


def _attendee_out(a, day) -> dict:
    return {
        "id": a.pk, "unit": unit_ref(a.unit) if a.unit else None,
        "group": {"id": a.group.pk, "code": a.group.code, "name": a.group.name} if a.group else None,
        "person_name": a.person_name, "person_title": a.person_title, "label": attendee_line(a, day),
    }


def _agenda_out(item) -> dict:
    version = item.report_version
    ref = None
    if version is not None:
        regime = version.report.regime
        ref = {"report_id": version.report_id, "number": version.number, "period": version.report.period,
               "regime": {"id": regime.pk, "code": regime.code, "name": regime.name}}
    return {"id": item.pk, "order": item.order, "title": item.title, "presenter_name": item.presenter_name,
            "presenter_title": item.presenter_title, "report_version": ref}


def _opinion_out(o) -> dict:
    return {"id": o.pk, "order": o.order, "speaker_name": o.speaker_name, "speaker_title": o.speaker_title,
            "unit": unit_ref(o.unit) if o.unit else None, "topic": o.topic, "summary": o.summary}


def _conclusion_out(c) -> dict:
    return {"id": c.pk, "order": c.order, "text": c.text,
            "sector": {"code": c.sector.code, "name": c.sector.name} if c.sector else None,
            "tasks": [_task_out(t) for t in c.tasks.all()]}


def _meeting_out(user, meeting: Meeting) -> dict:
    m = meeting_detail(meeting)
    regime = m.regime
    return {
        "id": m.pk, "title": m.title, "kind": m.kind, "kind_label": m.get_kind_display(),
        "organiser": unit_ref(m.organiser), "date": m.date, "start_time": m.start_time, "place": m.place,
        "chair_name": m.chair_name, "chair_title": m.chair_title, "secretary_name": m.secretary_name,
        "secretary_title": m.secretary_title, "article_author": m.article_author,
        "regime": {"id": regime.pk, "code": regime.code, "name": regime.name} if regime else None,
        "period": m.period, "next_period": m.next_period, "summary": m.summary,
        "created_by": m.created_by.display_name, "created_at": m.created_at,
        "can_edit": "edit" in meeting_actions(user=user, meeting=m),
        "attendees": [_attendee_out(a, m.date) for a in m.attendees.all()],
        "agenda": [_agenda_out(i) for i in m.agenda.all()],
        "opinions": [_opinion_out(o) for o in m.opinions.all()],
        "conclusions": [_conclusion_out(c) for c in m.conclusions.all()],
    }


def _article_out(meeting: Meeting, on=None) -> dict:
    base = f"/api/v1/meetings/{meeting.pk}/documents/article"
    return {"meeting_id": meeting.pk, "parts": compose_article(meeting, on=on), "edited": article_edited(meeting),
            "html_url": f"{base}?format=html", "docx_url": f"{base}?format=docx"}


# ---------------------------------------------------------------------------
# Endpoints


@router.get("/meetings", response=list[MeetingListOut], summary="Danh sách hội nghị")
@paginate(BoundedPageNumberPagination)
def meeting_list_endpoint(request: ApiRequest, filters: Query[MeetingFilters]):
    """Meetings organised by the user's unit and the units below it; a unit reporter sees those
    their unit attends; admins all. Newest first."""
    return meeting_list(user=request.auth, year=filters.year, organiser_id=filters.organiser)


@router.post("/meetings", response={201: MeetingOut}, summary="Lập hội nghị")
def meeting_create_endpoint(request: ApiRequest, payload: MeetingIn):
    """Compilers and leaders, for their unit or a unit below it (403 for other roles)."""
    user = request.auth
    from baocao.reporting.selectors import regime_get_by_code

    organiser = unit_by_code(payload.organiser, on=payload.date, queryset=units_for_user(user))
    if organiser is None:
        raise NotFound(f"Không tìm thấy đơn vị «{payload.organiser}».", {"organiser": payload.organiser})
    regime_code = (payload.regime or "").strip()
    regime = regime_get_by_code(user=user, code=regime_code) if regime_code else None
    meeting = meeting_create(
        acting_user=user, organiser=organiser, title=payload.title, date=payload.date, kind=payload.kind,
        start_time=payload.start_time, place=payload.place, chair_name=payload.chair_name,
        chair_title=payload.chair_title, secretary_name=payload.secretary_name,
        secretary_title=payload.secretary_title, regime=regime, period=payload.period, next_period=payload.next_period,
        summary=payload.summary,
    )
    return Status(201, _meeting_out(user, meeting))


@router.get("/meetings/{int:meeting_id}", response=MeetingOut, summary="Một hội nghị")
def meeting_detail_endpoint(request: ApiRequest, meeting_id: Id):
    meeting = meeting_get_for_user(user=request.auth, meeting_id=meeting_id)
    return _meeting_out(request.auth, meeting)


@router.post("/meetings/{int:meeting_id}/attendees", response={201: AttendeeOut}, summary="Thêm thành phần tham dự")
def attendee_add_endpoint(request: ApiRequest, meeting_id: Id, payload: AttendeeIn):
    """A unit, a group of units (e.g. the telecom enterprises) or a person with their title."""
    user = request.auth
    meeting = meeting_get_for_user(user=user, meeting_id=meeting_id)
    attendee = attendee_add(acting_user=user, meeting=meeting, unit=_unit(user, payload.unit),
                            group=_group(payload.group), person_name=payload.person_name,
                            person_title=payload.person_title)
    return Status(201, _attendee_out(attendee, meeting.date))


@router.post("/meetings/{int:meeting_id}/agenda", response={201: AgendaOut}, summary="Thêm mục chương trình")
def agenda_add_endpoint(request: ApiRequest, meeting_id: Id, payload: AgendaIn):
    """An agenda item; `report` (and `version`, else the newest) presents a consolidated report the
    user can see, by the named presenter."""
    user = request.auth
    meeting = meeting_get_for_user(user=user, meeting_id=meeting_id)
    version = _report_version(user, payload.report, payload.version)
    item = agenda_item_add(acting_user=user, meeting=meeting, title=payload.title,
                           presenter_name=payload.presenter_name, presenter_title=payload.presenter_title,
                           report_version=version)
    return Status(201, _agenda_out(item))


@router.post("/meetings/{int:meeting_id}/opinions", response={201: OpinionOut}, summary="Ghi ý kiến phát biểu")
def opinion_add_endpoint(request: ApiRequest, meeting_id: Id, payload: OpinionIn):
    user = request.auth
    meeting = meeting_get_for_user(user=user, meeting_id=meeting_id)
    opinion = opinion_add(acting_user=user, meeting=meeting, summary=payload.summary,
                          speaker_name=payload.speaker_name, speaker_title=payload.speaker_title,
                          unit=_unit(user, payload.unit), topic=payload.topic)
    return Status(201, _opinion_out(opinion))


@router.post("/meetings/{int:meeting_id}/conclusions", response={201: ConclusionOut}, summary="Ghi kết luận")
def conclusion_add_endpoint(request: ApiRequest, meeting_id: Id, payload: ConclusionIn):
    user = request.auth
    meeting = meeting_get_for_user(user=user, meeting_id=meeting_id)
    conclusion = conclusion_add(acting_user=user, meeting=meeting, text=payload.text,
                                sector=sector_by_code(payload.sector))
    return Status(201, _conclusion_out(conclusion))


@router.post("/conclusions/{int:conclusion_id}/tasks", response={201: list[TaskRefOut]},
             summary="Giao nhiệm vụ từ một kết luận")
def conclusion_tasks_endpoint(request: ApiRequest, conclusion_id: Id, payload: ConclusionTasksIn):
    """One task per item, assigned by the meeting's organiser and linked to the conclusion; all
    are created or none (the first refused item's message, with `extra.task_index`)."""
    user = request.auth
    conclusion = conclusion_get_for_user(user=user, conclusion_id=conclusion_id)
    specs = []
    for index, item in enumerate(payload.tasks):
        try:
            specs.append({
                "title": item.title, "lead_unit": _units(user, [item.lead_unit], "lead_unit")[0],
                "deadline": item.deadline, "is_key": item.is_key, "sector": sector_by_code(item.sector),
                "cooperating_units": _units(user, item.cooperating_units, "cooperating_units"),
            })
        except AppError as exc:
            exc.extra = {**exc.extra, "task_index": index}
            raise
    tasks = conclusion_to_tasks(acting_user=user, conclusion=conclusion, tasks=specs)
    from baocao.work.models import Task

    loaded = {t.pk: t for t in Task.objects.select_related("lead_unit").filter(pk__in=[t.pk for t in tasks])}
    return Status(201, [_task_out(loaded[t.pk]) for t in tasks])


@router.get("/meetings/{int:meeting_id}/article", response=ArticleOut, summary="Bài viết đưa tin về hội nghị")
def article_get(request: ApiRequest, meeting_id: Id, query: Query[ArticleQuery]):
    """The draft news item, composed from the meeting's record with the edited parts in place."""
    meeting = meeting_get_for_user(user=request.auth, meeting_id=meeting_id)
    return _article_out(meeting, query.on)


@router.put("/meetings/{int:meeting_id}/article", response=ArticleOut, summary="Sửa bài viết trước khi đăng")
def article_put(request: ApiRequest, meeting_id: Id, payload: ArticleIn):
    """Parts left out keep their text; `null` returns a part to the composed text; an empty text
    leaves the part out of the article. Parts: title, updated, lead, presenter, sectors,
    discussion, conclusion, photos, author (the author's name is stored on the meeting; `null` or
    an empty text signs the article with the name of whoever recorded the meeting)."""
    user = request.auth
    meeting = meeting_get_for_user(user=user, meeting_id=meeting_id)
    meeting_article_save(acting_user=user, meeting=meeting, parts=payload.parts)
    meeting.refresh_from_db(fields=["article", "article_author"])
    return _article_out(meeting)


# An unknown kind is a 404 naming the kinds (meetings.documents), not a validation error.
DocumentKind = Annotated[str, Field(max_length=20, json_schema_extra={"enum": list(KINDS)})]

_DOCUMENT_RESPONSES = {
    200: {
        "description": "Tệp tài liệu theo định dạng yêu cầu",
        "content": {ct.split(";")[0]: {"schema": {"type": "string", "format": "binary"}}
                    for ct in CONTENT_TYPES.values()},
    },
}


@router.get("/meetings/{int:meeting_id}/documents/{kind}", summary="Tải giấy mời, biên bản hoặc bài viết",
            openapi_extra={"responses": _DOCUMENT_RESPONSES})
def meeting_document_endpoint(request: ApiRequest, meeting_id: Id, kind: DocumentKind, query: Query[DocumentQuery]):
    """`kind`: invitation (giấy mời, docx/pdf/html), minutes (biên bản, docx/pdf/html) in the
    Decree 30/2020 layout; article (bài viết, html/docx)."""
    meeting = meeting_get_for_user(user=request.auth, meeting_id=meeting_id)
    content, content_type, filename = meeting_document(meeting, kind, query.format.value, on=query.on)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition(filename)
    return response
