"""Writes on conferences: the meeting, its attendees, agenda, opinions and conclusions; turning a
conclusion into next period's tasks; the edited news article.

Compilers and leaders of the organiser's unit (or a unit above it) and admins may write; anyone
else who sees the meeting gets 403, and a meeting or unit outside the user's scope is 404. Every
write is one transaction with its audit row; a broken rule raises AppError with a Vietnamese
message and writes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, time
from typing import Any

from django.db import transaction
from django.db.models import Max

from baocao.accounts.roles import is_admin
from baocao.audit.actions import AuditAction, audit_action
from baocao.audit.services import audit_record
from baocao.core.errors import AppError, NotFound, PermissionDeniedError
from baocao.meetings.choices import MeetingKind
from baocao.meetings.models import AgendaItem, Attendee, Conclusion, Meeting, Opinion
from baocao.meetings.selectors import EDITOR_ROLES, MEETING_NOT_FOUND, can_edit_meeting
from baocao.orgunits.models import OrgUnit
from baocao.orgunits.scope import unit_in_subtree

MAX_TEXT = 20_000
MAX_ARTICLE_PART = 100_000
TITLE_MAX = 500
# Field -> (label in messages, max length) of the meeting's text fields.
_TEXT_FIELDS: dict[str, tuple[str, int]] = {
    "title": ("Tên hội nghị", TITLE_MAX),
    "place": ("Địa điểm", 300),
    "chair_name": ("Người chủ trì", 150),
    "chair_title": ("Chức vụ người chủ trì", 150),
    "secretary_name": ("Thư ký", 150),
    "secretary_title": ("Chức vụ thư ký", 150),
    "period": ("Kỳ báo cáo", 12),
    "next_period": ("Kỳ tiếp theo", 12),
    "summary": ("Ghi chú", MAX_TEXT),
}
MEETING_FIELDS = frozenset({"title", "kind", "organiser", "date", "start_time", "place", "chair_name", "chair_title",
                            "secretary_name", "secretary_title", "regime", "period", "next_period", "summary"})
ARTICLE_AUTHOR_MAX = 150


# ---------------------------------------------------------------------------
# Checks


def _require_editor(user, organiser: OrgUnit) -> None:
    """403 for a role that may not write meetings; 404 for an organiser outside the user's subtree."""
    if is_admin(user):
        return
    if not (user.is_authenticated and user.role in EDITOR_ROLES and user.unit_id):
        raise PermissionDeniedError("Chỉ chuyên viên tổng hợp hoặc lãnh đạo được lập và cập nhật hội nghị.")
    if not unit_in_subtree(user, organiser):
        raise NotFound("Không tìm thấy đơn vị tổ chức hoặc bạn không có quyền với đơn vị này.",
                       {"organiser": organiser.pk})


def _require_meeting_editor(user, meeting: Meeting) -> None:
    if can_edit_meeting(user, meeting):
        return
    from baocao.meetings.selectors import meetings_for_user

    if not meetings_for_user(user).filter(pk=meeting.pk).exists():
        raise NotFound(MEETING_NOT_FOUND, {"meeting": meeting.pk})
    raise PermissionDeniedError("Chỉ chuyên viên tổng hợp hoặc lãnh đạo của đơn vị tổ chức được cập nhật hội nghị.")


def _text(value: Any, field: str, label: str, max_length: int, *, required: bool = False) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise AppError(f"{label} phải là văn bản.", {"fields": {field: "Phải là văn bản"}})
    text = value.replace("\r\n", "\n").strip()
    if required and not text:
        raise AppError(f"{label} không được để trống.", {"fields": {field: "Bắt buộc"}})
    if len(text) > max_length:
        raise AppError(f"{label} dài quá {max_length:,} ký tự.".replace(",", "."), {"fields": {field: "Quá dài"}})
    return text


def _check_unit_open(unit: OrgUnit, day: date, field: str) -> None:
    if not unit.is_valid_on(day):
        raise AppError(f"Đơn vị «{unit.name}» không còn hoạt động vào ngày {day:%d/%m/%Y}.",
                       {"fields": {field: unit.pk}})


def _clean_meeting(fields: dict[str, Any]) -> dict[str, Any]:
    """Check and normalise a meeting's fields (all of them, as they will be saved)."""
    out = dict(fields)
    for name, (label, max_length) in _TEXT_FIELDS.items():
        out[name] = _text(out.get(name), name, label, max_length, required=name == "title")
    if out.get("kind") not in MeetingKind.values:
        raise AppError("Loại hội nghị không hợp lệ (sơ kết, tổng kết hoặc chuyên đề).",
                       {"fields": {"kind": out.get("kind")}})
    day = out.get("date")
    if not isinstance(day, date):
        raise AppError("Chưa có ngày tổ chức hội nghị.", {"fields": {"date": "Bắt buộc"}})
    if out.get("start_time") is not None and not isinstance(out["start_time"], time):
        raise AppError("Giờ bắt đầu không hợp lệ.", {"fields": {"start_time": "Không hợp lệ"}})
    organiser = out.get("organiser")
    if not isinstance(organiser, OrgUnit):
        raise AppError("Chưa chọn đơn vị tổ chức.", {"fields": {"organiser": "Bắt buộc"}})
    _check_unit_open(organiser, day, "organiser")
    regime = out.get("regime")
    for name in ("period", "next_period"):
        code = out[name]
        if not code:
            continue
        if regime is not None:
            from baocao.reporting.selectors import regime_period

            out[name] = regime_period(regime, code).code
        else:
            from baocao.reporting.periods import PeriodError, parse_period

            try:
                out[name] = parse_period(code).code
            except PeriodError as exc:
                raise AppError(str(exc), {"fields": {name: code}}) from None
    return out


def _next_order(manager) -> int:
    return (manager.aggregate(n=Max("order"))["n"] or 0) + 1


def _display(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date | time):
        return value.isoformat()
    if hasattr(value, "pk"):
        return f"{value.pk}: {value}"
    return str(value)


# ---------------------------------------------------------------------------
# The meeting


def meeting_create(*, acting_user, organiser: OrgUnit, title: str, date: date | None,
                   kind: str = MeetingKind.MIDYEAR, start_time: time | None = None, place: str = "",
                   chair_name: str = "", chair_title: str = "", secretary_name: str = "",
                   secretary_title: str = "", regime=None, period: str = "", next_period: str = "",
                   summary: str = "") -> Meeting:
    """A conference of `organiser` (a unit in the acting compiler's or leader's subtree)."""
    _require_editor(acting_user, organiser)
    data = _clean_meeting({
        "organiser": organiser, "title": title, "date": date, "kind": kind, "start_time": start_time,
        "place": place, "chair_name": chair_name, "chair_title": chair_title, "secretary_name": secretary_name,
        "secretary_title": secretary_title, "regime": regime, "period": period, "next_period": next_period,
        "summary": summary,
    })
    with transaction.atomic():
        meeting = Meeting.objects.create(created_by=acting_user, **data)
        audit_record(actor=acting_user, action=AuditAction.MEETING_CREATE, entity="meeting", entity_id=meeting.pk,
                     unit=organiser, new=meeting.title)
    return meeting


def meeting_update(*, acting_user, meeting: Meeting, **fields) -> Meeting:
    """Change some of the meeting's fields; one audit row per changed field."""
    unknown = sorted(set(fields) - MEETING_FIELDS)
    if unknown:
        raise AppError(f"Không sửa được trường: {', '.join(unknown)}.", {"unknown": unknown})
    _require_meeting_editor(acting_user, meeting)
    if "organiser" in fields and fields["organiser"] != meeting.organiser:
        _require_editor(acting_user, fields["organiser"])
    current = {name: getattr(meeting, name) for name in MEETING_FIELDS}
    data = _clean_meeting({**current, **fields})
    changed = [name for name in MEETING_FIELDS if data[name] != current[name]]
    if not changed:
        return meeting
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        for name in changed:
            setattr(meeting, name, data[name])
        meeting.save(update_fields=changed)
        for name in sorted(changed):
            audit_record(actor=acting_user, action=AuditAction.MEETING_UPDATE, entity="meeting", entity_id=meeting.pk,
                         unit=meeting.organiser, field=name, old=_display(current[name])[:2000],
                         new=_display(data[name])[:2000])
    return meeting


# ---------------------------------------------------------------------------
# Rows of the meeting


def attendee_add(*, acting_user, meeting: Meeting, unit: OrgUnit | None = None, group=None,
                 person_name: str = "", person_title: str = "") -> Attendee:
    """An attending unit, group of units and/or person (with title)."""
    _require_meeting_editor(acting_user, meeting)
    person_name = _text(person_name, "person_name", "Họ tên", 150)
    person_title = _text(person_title, "person_title", "Chức vụ", 150)
    if unit is None and group is None and not person_name:
        raise AppError("Chọn đơn vị, nhóm đơn vị hoặc nhập họ tên người tham dự.",
                       {"fields": {"unit": "Bắt buộc một trong ba"}})
    if unit is not None and group is not None:
        raise AppError("Mỗi dòng thành phần tham dự chọn một đơn vị hoặc một nhóm đơn vị, không chọn cả hai.",
                       {"fields": {"group": "Chọn đơn vị hoặc nhóm"}})
    if unit is not None:
        _check_unit_open(unit, meeting.date, "unit")
    if not person_name:
        duplicate = meeting.attendees.filter(unit=unit, group=group, person_name="")
        if duplicate.exists():
            what = unit.name if unit is not None else group.name
            raise AppError(f"«{what}» đã có trong thành phần tham dự.", {"fields": {"unit": "Trùng"}})
    with transaction.atomic():
        attendee = Attendee.objects.create(meeting=meeting, unit=unit, group=group, person_name=person_name,
                                           person_title=person_title, order=_next_order(meeting.attendees))
        audit_record(actor=acting_user, action=AuditAction.MEETING_ATTENDEE_ADD, entity="meeting", entity_id=meeting.pk,
                     unit=meeting.organiser, field="attendee", new=str(attendee))
    return attendee


def _row_remove(*, acting_user, row, field: str) -> None:
    meeting = row.meeting
    _require_meeting_editor(acting_user, meeting)
    with transaction.atomic():
        old = str(row)
        row.delete()
        audit_record(actor=acting_user, action=audit_action(f"meeting.{field}_remove"), entity="meeting", entity_id=meeting.pk,
                     unit=meeting.organiser, field=field, old=old[:2000])


def attendee_remove(*, acting_user, attendee: Attendee) -> None:
    _row_remove(acting_user=acting_user, row=attendee, field="attendee")


def agenda_item_add(*, acting_user, meeting: Meeting, title: str = "", presenter_name: str = "",
                    presenter_title: str = "", report_version=None) -> AgendaItem:
    """An item of the agenda; it may present a consolidated report version the user can see (the
    title then defaults to "Dự thảo báo cáo <the report's summary>")."""
    _require_meeting_editor(acting_user, meeting)
    if report_version is not None:
        from baocao.consolidation.selectors import reports_for_user

        if not reports_for_user(acting_user).filter(pk=report_version.report_id).exists():
            raise NotFound("Không tìm thấy báo cáo tổng hợp hoặc bạn không có quyền xem.",
                           {"report_version": report_version.pk})
    title = _text(title, "title", "Nội dung", TITLE_MAX)
    if not title and report_version is not None:
        title = report_version_title(report_version)[:TITLE_MAX]
    if not title:
        raise AppError("Nội dung của mục chương trình không được để trống.", {"fields": {"title": "Bắt buộc"}})
    presenter_name = _text(presenter_name, "presenter_name", "Người trình bày", 150)
    presenter_title = _text(presenter_title, "presenter_title", "Chức vụ người trình bày", 150)
    with transaction.atomic():
        item = AgendaItem.objects.create(meeting=meeting, title=title, presenter_name=presenter_name,
                                         presenter_title=presenter_title, report_version=report_version,
                                         order=_next_order(meeting.agenda))
        audit_record(actor=acting_user, action=AuditAction.MEETING_AGENDA_ADD, entity="meeting", entity_id=meeting.pk,
                     unit=meeting.organiser, field="agenda", new=title[:2000])
    return item


def report_version_title(version) -> str:
    """"Dự thảo Báo cáo kết quả công tác … 6 tháng đầu năm 2022 (phiên bản 3)"."""
    from baocao.consolidation.rendering import report_summary
    from baocao.consolidation.selectors import outline_get
    from baocao.meetings.article import lower_first

    report = version.report
    summary = report_summary(report=report, composed=version.composed or {}, outline=outline_get(report.regime))
    return f"Dự thảo Báo cáo {lower_first(summary)}"


def agenda_item_remove(*, acting_user, item: AgendaItem) -> None:
    _row_remove(acting_user=acting_user, row=item, field="agenda")


def opinion_add(*, acting_user, meeting: Meeting, summary: str, speaker_name: str = "", speaker_title: str = "",
                unit: OrgUnit | None = None, topic: str = "") -> Opinion:
    """An opinion voiced at the meeting: who (name, title, unit), on what, and its summary."""
    _require_meeting_editor(acting_user, meeting)
    summary = _text(summary, "summary", "Tóm tắt ý kiến", MAX_TEXT, required=True)
    speaker_name = _text(speaker_name, "speaker_name", "Người phát biểu", 150)
    speaker_title = _text(speaker_title, "speaker_title", "Chức vụ người phát biểu", 150)
    topic = _text(topic, "topic", "Chủ đề", 300)
    if not speaker_name and unit is None:
        raise AppError("Ghi người phát biểu hoặc đơn vị của ý kiến.", {"fields": {"speaker_name": "Bắt buộc"}})
    with transaction.atomic():
        opinion = Opinion.objects.create(meeting=meeting, summary=summary, speaker_name=speaker_name,
                                         speaker_title=speaker_title, unit=unit, topic=topic,
                                         order=_next_order(meeting.opinions))
        audit_record(actor=acting_user, action=AuditAction.MEETING_OPINION_ADD, entity="meeting", entity_id=meeting.pk,
                     unit=meeting.organiser, field="opinion", new=summary[:2000])
    return opinion


def opinion_remove(*, acting_user, opinion: Opinion) -> None:
    _row_remove(acting_user=acting_user, row=opinion, field="opinion")


def conclusion_add(*, acting_user, meeting: Meeting, text: str, sector=None) -> Conclusion:
    """A conclusion of the chair, optionally for one sector."""
    _require_meeting_editor(acting_user, meeting)
    text = _text(text, "text", "Nội dung kết luận", MAX_TEXT, required=True)
    with transaction.atomic():
        conclusion = Conclusion.objects.create(meeting=meeting, text=text, sector=sector,
                                               order=_next_order(meeting.conclusions))
        audit_record(actor=acting_user, action=AuditAction.MEETING_CONCLUSION_ADD, entity="meeting", entity_id=meeting.pk,
                     unit=meeting.organiser, field="conclusion", new=text[:2000])
    return conclusion


def conclusion_remove(*, acting_user, conclusion: Conclusion) -> None:
    if conclusion.tasks.exists():
        raise AppError("Kết luận đã được giao thành nhiệm vụ nên không xóa được.",
                       {"conclusion": conclusion.pk})
    _row_remove(acting_user=acting_user, row=conclusion, field="conclusion")


# ---------------------------------------------------------------------------
# Conclusions become tasks


def conclusion_to_tasks(*, acting_user, conclusion: Conclusion, tasks: Sequence[Mapping[str, Any]]) -> list:
    """Turn a conclusion into next period's tasks in one step: one task per item
    ``{title?, lead_unit, deadline, cooperating_units?, sector?, is_key?}``, assigned by the
    meeting's organiser, linked back to the conclusion, titled by the conclusion's text unless
    a title is given, starting on the meeting's day (a deadline before it is refused) unless a
    ``start`` is given. All or nothing: the first item `task_create` refuses (a closed lead unit, a
    bad deadline, ...) fails the whole call with its message (and ``extra["task_index"]``)."""
    from baocao.work.services import task_create

    meeting = conclusion.meeting
    _require_meeting_editor(acting_user, meeting)
    if not tasks:
        raise AppError("Cần ít nhất một nhiệm vụ (đơn vị chủ trì và thời hạn).", {"fields": {"tasks": "Bắt buộc"}})
    default_title = " ".join(conclusion.text.split())
    if len(default_title) > TITLE_MAX:
        default_title = default_title[:TITLE_MAX - 1].rstrip() + "…"
    created = []
    with transaction.atomic():
        for index, spec in enumerate(tasks):
            unknown = sorted(set(spec) - {"title", "lead_unit", "deadline", "cooperating_units", "sector", "is_key",
                                      "start"})
            if unknown:
                raise AppError(f"Nhiệm vụ {index + 1}: không có trường {', '.join(unknown)}.",
                               {"task_index": index, "unknown": unknown})
            if spec.get("lead_unit") is None:
                raise AppError(f"Nhiệm vụ {index + 1}: chưa chọn đơn vị chủ trì.",
                               {"task_index": index, "fields": {"lead_unit": "Bắt buộc"}})
            if spec.get("deadline") is None:
                raise AppError(f"Nhiệm vụ {index + 1}: chưa có thời hạn hoàn thành.",
                               {"task_index": index, "fields": {"deadline": "Bắt buộc"}})
            title = (spec.get("title") or "").strip() or default_title
            try:
                task = task_create(
                    acting_user=acting_user, title=title, lead_unit=spec["lead_unit"], owner=meeting.organiser,
                    sector=spec.get("sector") or conclusion.sector,
                    cooperating_units=tuple(spec.get("cooperating_units") or ()),
                    start=spec.get("start") or meeting.date, deadline=spec["deadline"],
                    is_key=bool(spec.get("is_key", False)), conclusion=conclusion,
                )
            except AppError as exc:
                exc.extra = {**exc.extra, "task_index": index}
                raise
            created.append(task)
        audit_record(actor=acting_user, action=AuditAction.MEETING_CONCLUSION_TASKS, entity="meeting", entity_id=meeting.pk,
                     unit=meeting.organiser, field=f"conclusion:{conclusion.pk}",
                     new=", ".join(str(t.pk) for t in created), comment=f"{len(created)} nhiệm vụ")
    return created


# ---------------------------------------------------------------------------
# The news article


def meeting_article_save(*, acting_user, meeting: Meeting, parts: Mapping[str, str | None]) -> dict[str, str]:
    """Store edited parts of the draft news article (Meeting.article). A text equal to the
    composed one, or None, drops the edit so the part follows the meeting's record again; an
    empty text leaves the part out. The author is no edit of composed text but a fact of the
    article: "author" sets Meeting.article_author (None or an empty text clears it, and the
    article is signed by whoever recorded the meeting). Returns the stored edits."""
    from baocao.meetings.article import ARTICLE_PARTS, compose_article

    _require_meeting_editor(acting_user, meeting)
    unknown = sorted(set(parts) - set(ARTICLE_PARTS))
    if unknown:
        raise AppError(f"Bài viết không có phần: {', '.join(unknown)}.", {"unknown": unknown})
    cleaned: dict[str, str | None] = {}
    for key, value in parts.items():
        if value is not None:
            if not isinstance(value, str) or len(value) > MAX_ARTICLE_PART:
                raise AppError("Nội dung một phần của bài viết phải là văn bản, tối đa 100.000 ký tự.",
                               {"part": key})
            value = value.replace("\r\n", "\n").strip()
        cleaned[key] = value
    author = None
    if "author" in cleaned:
        author = " ".join((cleaned.pop("author") or "").split())
        if len(author) > ARTICLE_AUTHOR_MAX:
            raise AppError(f"Tên tác giả bài viết dài quá {ARTICLE_AUTHOR_MAX} ký tự.", {"part": "author"})
    composed = compose_article(meeting, with_edits=False)
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        edits = dict(meeting.article or {})
        changed = []
        for key, value in cleaned.items():
            current = edits.get(key)
            wanted = value if value is not None and value != composed[key] else None
            if wanted == current:
                continue
            if wanted is None:
                edits.pop(key)
            else:
                edits[key] = wanted
            changed.append((key, composed[key] if current is None else current,
                            composed[key] if wanted is None else wanted))
        fields = []
        if author is not None:
            # An author stored as an edit before it was a field of the meeting goes with it.
            legacy = edits.pop("author", None)
            old_author = legacy if legacy is not None else meeting.article_author
            if author != meeting.article_author:
                meeting.article_author = author
                fields.append("article_author")
            if author != old_author:
                changed.append(("author", old_author, author))
        if edits != (meeting.article or {}):
            meeting.article = edits
            fields.append("article")
        if fields:
            meeting.save(update_fields=fields)
            for key, old, new in changed:
                audit_record(actor=acting_user, action=AuditAction.MEETING_ARTICLE_EDIT, entity="meeting",
                             entity_id=meeting.pk, unit=meeting.organiser, field=key, old=old[:2000],
                             new=new[:2000])
    return edits
