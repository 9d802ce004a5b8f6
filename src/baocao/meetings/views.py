"""Conference pages: the list and a new meeting; one meeting with its attendees, agenda, opinions
and conclusions (HTMX forms that add rows in place), "Giao nhiệm vụ" per conclusion; downloads of
the invitation, the minutes and the article; the article editor.

Reads go through meetings.selectors (out of scope: 404); every change is a service of
meetings.services, and a user who sees the meeting but may not change it gets 403.
"""

from __future__ import annotations

from datetime import date, time

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from baocao.core.csp import document_styles
from baocao.core.downloads import content_disposition
from baocao.core.errors import AppError, NotFound, PermissionDeniedError
from baocao.core.listing import int_param, year_param
from baocao.core.vietnamese import parse_date
from baocao.meetings.article import (
    ARTICLE_PARTS,
    PART_LABELS,
    article_blocks,
    article_edited,
    compose_article,
)
from baocao.meetings.choices import MeetingKind
from baocao.meetings.models import AgendaItem, Attendee, Conclusion, Opinion
from baocao.meetings.selectors import (
    can_create_meetings,
    can_edit_meeting,
    meeting_actions,
    meeting_detail,
    meeting_get_for_user,
    meeting_links_for_user,
    meeting_list,
    meeting_row_get,
    report_versions_for_user,
)
from baocao.meetings.services import (
    agenda_item_add,
    agenda_item_remove,
    attendee_add,
    attendee_remove,
    conclusion_add,
    conclusion_remove,
    conclusion_to_tasks,
    meeting_article_save,
    meeting_create,
    meeting_update,
    opinion_add,
    opinion_remove,
)
from baocao.orgunits.models import OrgUnitGroup
from baocao.orgunits.scope import units_for_user, units_managed_by
from baocao.orgunits.widgets import picker_units

# ---------------------------------------------------------------------------
# Helpers


def _meeting(user, meeting_id: int):
    return meeting_get_for_user(user=user, meeting_id=meeting_id)


def _editable(user, meeting):
    if not can_edit_meeting(user, meeting):
        raise PermissionDenied("Chỉ chuyên viên tổng hợp hoặc lãnh đạo của đơn vị tổ chức được cập nhật hội nghị.")
    return meeting


def _date(value: str, label: str, field: str, *, required: bool = False) -> date | None:
    value = (value or "").strip()
    if not value:
        if required:
            raise AppError(f"Chưa có {label}.", {"fields": {field: "Bắt buộc"}})
        return None
    try:
        return parse_date(value)
    except ValueError:
        raise AppError(f"{label[:1].upper()}{label[1:]} không hợp lệ: hãy nhập ngày/tháng/năm (dd/mm/yyyy).",
                       {"fields": {field: value}}) from None


def _time(value: str) -> time | None:
    value = (value or "").strip()
    if not value:
        return None
    try:
        return time.fromisoformat(value)
    except ValueError:
        raise AppError("Giờ bắt đầu không hợp lệ (giờ:phút).", {"fields": {"start_time": value}}) from None


def _scoped_unit(user, unit_id: int | None):
    if unit_id is None:
        return None
    unit = units_for_user(user).filter(pk=unit_id).first()
    if unit is None:
        raise NotFound("Không tìm thấy đơn vị hoặc bạn không có quyền xem.", {"unit": unit_id})
    return unit


def _unit_choices(user, day):
    """Units that may attend or speak at a meeting: those of the meeting's day (a conference held
    before a reorganisation lists the units of its day)."""
    return picker_units(units_for_user(user).valid_on(day))


def _organiser_choices(user):
    """Units that may organise a new meeting: the current units the user manages, and the user's own
    unit even after it ended (a meeting of its days is still recorded; the service checks that the
    organiser was in being on the meeting's date)."""
    return picker_units(units_managed_by(user).filter(Q(valid_to__isnull=True) | Q(pk=user.unit_id)))


def _sector(value):
    from baocao.reporting.models import Sector

    pk = int_param(value)
    if pk is None:
        return None
    sector = Sector.objects.filter(pk=pk).first()
    if sector is None:
        raise AppError("Không có lĩnh vực này.", {"fields": {"sector": value}})
    return sector


def _meeting_fields(request) -> dict:
    """The meeting's fields from the create/edit form."""
    from baocao.reporting.selectors import regime_get_for_user

    post = request.POST
    regime_id = int_param(post.get("regime"))
    regime = regime_get_for_user(user=request.user, regime_id=regime_id) if regime_id else None
    return {
        "title": post.get("title", ""), "kind": post.get("kind") or MeetingKind.MIDYEAR,
        "date": _date(post.get("date", ""), "ngày tổ chức hội nghị", "date", required=True),
        "start_time": _time(post.get("start_time", "")), "place": post.get("place", ""),
        "chair_name": post.get("chair_name", ""), "chair_title": post.get("chair_title", ""),
        "secretary_name": post.get("secretary_name", ""), "secretary_title": post.get("secretary_title", ""),
        "regime": regime,
        "period": post.get("period", ""), "next_period": post.get("next_period", ""),
        "summary": post.get("summary", ""),
    }


def _section_context(request, meeting, *, error: dict | None = None, posted: dict | None = None) -> dict:
    from baocao.reporting.models import Sector

    user = request.user
    m = meeting_detail(meeting)
    editable = "edit" in meeting_actions(user=user, meeting=m)
    ctx = {"m": m, "editable": editable, "error": error or {}, "posted": posted or {},
           "can_open": meeting_links_for_user(user=user, meeting=m)}
    if editable:
        ctx.update({
            "units": list(_unit_choices(user, meeting.date)),
            "groups": list(OrgUnitGroup.objects.order_by("name")),
            "versions": list(report_versions_for_user(user=user)[:100]),
            "sectors": list(Sector.objects.order_by("order", "name")),
        })
    return ctx


def _respond(request, meeting, section: str, *, error: str | None = None, success: str | None = None):
    """HTMX: the section again (with the error next to its form); otherwise back to the page."""
    if request.htmx:
        ctx = _section_context(request, meeting, error={section: error} if error else None,
                               posted=request.POST if error else None)
        ctx["success"] = {section: success} if success else {}
        return render(request, f"meetings/partials/_{section}.html", ctx)
    if error:
        messages.error(request, error)
    elif success:
        messages.success(request, success)
    return redirect(reverse("meetings:detail", args=[meeting.pk]) + f"#{section}")


def _write(request, meeting, section: str, action, success):
    """Run a service for a section of the meeting and answer with the section. `success` is the
    message, or a function of the action's result giving it."""
    _editable(request.user, meeting)
    try:
        result = action()
    except PermissionDeniedError as exc:
        raise PermissionDenied(exc.message) from None
    except AppError as exc:  # broken rules, and units or reports outside the user's scope
        return _respond(request, meeting, section, error=exc.message)
    return _respond(request, meeting, section, success=success(result) if callable(success) else success)


# ---------------------------------------------------------------------------
# List and create


@login_required
def meeting_list_view(request):
    user = request.user
    year = year_param(request.GET.get("year"))
    meetings = list(meeting_list(user=user, year=year))
    ctx = {"meetings": meetings, "year": year or "", "can_create": can_create_meetings(user),
           "kinds": MeetingKind.choices}
    if ctx["can_create"]:
        from baocao.reporting.selectors import regime_list

        ctx.update({"organisers": list(_organiser_choices(user)), "regimes": list(regime_list(user=user))})
    if request.htmx and request.GET.get("fragment") == "table":
        return render(request, "meetings/partials/_table.html", ctx)
    return render(request, "meetings/list.html", ctx)


@login_required
@require_POST
def meeting_new(request):
    user = request.user
    if not can_create_meetings(user):
        raise PermissionDenied("Chỉ chuyên viên tổng hợp hoặc lãnh đạo được lập hội nghị.")
    try:
        organiser_id = int_param(request.POST.get("organiser"))
        organiser = _organiser_choices(user).filter(pk=organiser_id).first() if organiser_id else None
        if organiser is None:
            raise AppError("Chưa chọn đơn vị tổ chức.", {"fields": {"organiser": "Bắt buộc"}})
        meeting = meeting_create(acting_user=user, organiser=organiser, **_meeting_fields(request))
    except PermissionDeniedError as exc:
        raise PermissionDenied(exc.message) from None
    except AppError as exc:
        messages.error(request, exc.message)
        from baocao.reporting.selectors import regime_list

        ctx = {"meetings": list(meeting_list(user=user)), "can_create": True, "kinds": MeetingKind.choices,
               "organisers": list(_organiser_choices(user)), "regimes": list(regime_list(user=user)),
               "posted": request.POST, "year": ""}
        return render(request, "meetings/list.html", ctx, status=400)
    messages.success(request, f"Đã lập hội nghị «{meeting.title}».")
    return redirect("meetings:detail", meeting.pk)


# ---------------------------------------------------------------------------
# One meeting


@login_required
def meeting_detail_view(request, meeting_id: int):
    meeting = _meeting(request.user, meeting_id)
    ctx = _section_context(request, meeting)
    ctx.update({"kinds": MeetingKind.choices, "documents": _documents(meeting)})
    if ctx["editable"]:
        from baocao.reporting.selectors import regime_list

        ctx["regimes"] = list(regime_list(user=request.user))
        ctx["initial"] = {
            "title": meeting.title, "kind": meeting.kind, "date": meeting.date,
            "start_time": meeting.start_time.strftime("%H:%M") if meeting.start_time else "",
            "place": meeting.place, "chair_name": meeting.chair_name, "chair_title": meeting.chair_title,
            "secretary_name": meeting.secretary_name, "secretary_title": meeting.secretary_title,
            "regime": str(meeting.regime_id or ""), "period": meeting.period, "next_period": meeting.next_period,
            "summary": meeting.summary,
        }
    return render(request, "meetings/detail.html", ctx)


def _documents(meeting) -> list[dict]:
    def url(kind, fmt):
        return reverse("meetings:document", args=[meeting.pk, kind, fmt])

    return [
        {"label": "Giấy mời", "links": [("Word", url("invitation", "docx"), "dl-invitation-docx"),
                                        ("PDF", url("invitation", "pdf"), "dl-invitation-pdf")]},
        {"label": "Biên bản", "links": [("Word", url("minutes", "docx"), "dl-minutes-docx"),
                                        ("PDF", url("minutes", "pdf"), "dl-minutes-pdf")]},
        {"label": "Bài viết đưa tin", "links": [("HTML", url("article", "html"), "dl-article-html"),
                                                ("Word", url("article", "docx"), "dl-article-docx")]},
    ]


@login_required
@require_POST
def meeting_edit(request, meeting_id: int):
    meeting = _editable(request.user, _meeting(request.user, meeting_id))
    try:
        meeting_update(acting_user=request.user, meeting=meeting, **_meeting_fields(request))
    except PermissionDeniedError as exc:
        raise PermissionDenied(exc.message) from None
    except AppError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Đã lưu thông tin hội nghị.")
    return redirect("meetings:detail", meeting.pk)


@login_required
@require_POST
def attendee_add_view(request, meeting_id: int):
    user = request.user
    meeting = _meeting(user, meeting_id)
    post = request.POST

    def action():
        group_id = int_param(post.get("group"))
        group = OrgUnitGroup.objects.filter(pk=group_id).first() if group_id else None
        if group_id and group is None:
            raise AppError("Không tìm thấy nhóm đơn vị.")
        attendee_add(acting_user=user, meeting=meeting, unit=_scoped_unit(user, int_param(post.get("unit"))),
                     group=group, person_name=post.get("person_name", ""), person_title=post.get("person_title", ""))

    return _write(request, meeting, "attendees", action, "Đã thêm thành phần tham dự.")


@login_required
@require_POST
def agenda_add_view(request, meeting_id: int):
    user = request.user
    meeting = _meeting(user, meeting_id)
    post = request.POST

    def action():
        version_id = int_param(post.get("report_version"))
        version = None
        if version_id:
            version = report_versions_for_user(user=user).filter(pk=version_id).first()
            if version is None:
                raise NotFound("Không tìm thấy phiên bản báo cáo tổng hợp hoặc bạn không có quyền xem.")
        agenda_item_add(acting_user=user, meeting=meeting, title=post.get("title", ""),
                        presenter_name=post.get("presenter_name", ""),
                        presenter_title=post.get("presenter_title", ""), report_version=version)

    return _write(request, meeting, "agenda", action, "Đã thêm mục chương trình.")


@login_required
@require_POST
def opinion_add_view(request, meeting_id: int):
    user = request.user
    meeting = _meeting(user, meeting_id)
    post = request.POST

    def action():
        opinion_add(acting_user=user, meeting=meeting, summary=post.get("summary", ""),
                    speaker_name=post.get("speaker_name", ""), speaker_title=post.get("speaker_title", ""),
                    unit=_scoped_unit(user, int_param(post.get("unit"))), topic=post.get("topic", ""))

    return _write(request, meeting, "opinions", action, "Đã ghi ý kiến.")


@login_required
@require_POST
def conclusion_add_view(request, meeting_id: int):
    user = request.user
    meeting = _meeting(user, meeting_id)
    post = request.POST

    def action():
        conclusion_add(acting_user=user, meeting=meeting, text=post.get("text", ""), sector=_sector(post.get("sector")))

    return _write(request, meeting, "conclusions", action, "Đã ghi kết luận.")


_REMOVE = {
    "attendees": (Attendee, lambda user, row: attendee_remove(acting_user=user, attendee=row), "Đã bỏ một dòng."),
    "agenda": (AgendaItem, lambda user, row: agenda_item_remove(acting_user=user, item=row), "Đã bỏ mục chương trình."),
    "opinions": (Opinion, lambda user, row: opinion_remove(acting_user=user, opinion=row), "Đã xóa ý kiến."),
    "conclusions": (Conclusion, lambda user, row: conclusion_remove(acting_user=user, conclusion=row),
                    "Đã xóa kết luận."),
}


@login_required
@require_POST
def row_remove_view(request, meeting_id: int, section: str, row_id: int):
    if section not in _REMOVE:
        raise Http404
    user = request.user
    meeting = _meeting(user, meeting_id)
    model, remove, success = _REMOVE[section]
    row = meeting_row_get(meeting=meeting, model=model, row_id=row_id)
    return _write(request, meeting, section, lambda: remove(user, row), success)


@login_required
@require_POST
def conclusion_tasks_view(request, meeting_id: int, conclusion_id: int):
    """"Giao nhiệm vụ": one task per chosen lead unit, same deadline, optional title."""
    user = request.user
    meeting = _meeting(user, meeting_id)
    post = request.POST
    conclusion = meeting_row_get(meeting=meeting, model=Conclusion, row_id=conclusion_id)

    def action():
        ids = [int(v) for v in post.getlist("lead_units") if v.isdigit()]
        if not ids:
            raise AppError("Chọn ít nhất một đơn vị chủ trì.", {"fields": {"lead_units": "Bắt buộc"}})
        units = {u.pk: u for u in units_for_user(user).filter(pk__in=ids)}
        if len(units) != len(set(ids)):
            raise NotFound("Không tìm thấy đơn vị hoặc bạn không có quyền xem.")
        deadline = _date(post.get("deadline", ""), "thời hạn hoàn thành", "deadline", required=True)
        specs = [{"title": post.get("title", ""), "lead_unit": units[i], "deadline": deadline,
                  "is_key": post.get("is_key") == "on"} for i in dict.fromkeys(ids)]
        return conclusion_to_tasks(acting_user=user, conclusion=conclusion, tasks=specs)

    return _write(request, meeting, "conclusions", action,
                  lambda tasks: f"Đã giao {len(tasks)} nhiệm vụ từ kết luận {conclusion.order}.")


# ---------------------------------------------------------------------------
# Documents and the article


@login_required
@document_styles
def meeting_document_view(request, meeting_id: int, kind: str, fmt: str):
    from baocao.meetings.documents import meeting_document

    meeting = _meeting(request.user, meeting_id)
    content, content_type, filename = meeting_document(meeting, kind, fmt)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition(filename, inline=fmt in ("html", "pdf"))
    return response


def _normal(text: str) -> str:
    return text.replace("\r\n", "\n").strip()


@login_required
def article_edit_view(request, meeting_id: int):
    """The article, part by part in text boxes; saving stores the edits (Meeting.article)."""
    user = request.user
    meeting = _meeting(user, meeting_id)
    editable = "edit" in meeting_actions(user=user, meeting=meeting)
    posted = None
    if request.method == "POST":
        _editable(user, meeting)
        if request.POST.get("reset"):
            # The author is who wrote the article, not composed text: restoring keeps it.
            parts = dict.fromkeys(key for key in ARTICLE_PARTS if key != "author")
        else:
            # Only the parts the user changed: a part left as shown keeps following the meeting's
            # record even if the record changed while the page was open.
            parts = {}
            for key in ARTICLE_PARTS:
                if f"part:{key}" not in request.POST:
                    continue
                text = request.POST[f"part:{key}"]
                shown = request.POST.get(f"shown:{key}")
                if shown is None or _normal(text) != _normal(shown):
                    parts[key] = text
        try:
            meeting_article_save(acting_user=user, meeting=meeting, parts=parts)
        except PermissionDeniedError as exc:
            raise PermissionDenied(exc.message) from None
        except AppError as exc:
            messages.error(request, exc.message)
            posted = parts
        else:
            messages.success(request, "Đã khôi phục nội dung tự động." if request.POST.get("reset")
                             else "Đã lưu bài viết.")
            return redirect("meetings:article", meeting.pk)
    meeting.refresh_from_db(fields=["article", "article_author"])
    article = compose_article(meeting)
    edited = set(article_edited(meeting))
    part_rows = [{"key": key, "label": PART_LABELS[key], "text": (posted or {}).get(key) or article[key],
                  "shown": article[key],
                  "edited": key in edited, "rows": 2 if key in ("title", "updated", "author") else 7}
                 for key in ARTICLE_PARTS]
    return render(request, "meetings/article.html", {
        "m": meeting, "parts": part_rows, "editable": editable, "article": article,
        "blocks": article_blocks(article), "documents": _documents(meeting)[2],
    }, status=400 if posted is not None else 200)
