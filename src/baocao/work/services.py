"""State changes of plans and tasks. Each runs in one transaction and writes its audit rows; a
refused change raises AppError (Vietnamese message, `extra.fields` per field) and writes nothing.

Who may do what:
- create and edit plans and tasks: admins, and compilers and leaders for a unit of their own
  subtree (the "owner", đơn vị giao/theo dõi, by default their own unit);
- post progress: the users of the task's lead unit (not viewers) and admins;
- comment: everyone who sees the task, except viewers.
An id out of the user's scope (unit, plan, task) is "not found" (404); a task in scope that the
role may not change is "forbidden" (403).
"""

from __future__ import annotations

import functools
import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.utils import timezone

from baocao.accounts.choices import Role
from baocao.accounts.models import User
from baocao.accounts.roles import is_admin
from baocao.audit.actions import AuditAction
from baocao.audit.models import AuditEvent
from baocao.audit.services import FieldChange, audit_record, audit_record_changes
from baocao.core.clock import local_date, today_vn
from baocao.core.errors import AppError, NotFound, PermissionDeniedError
from baocao.core.vietnamese import format_date, format_number
from baocao.orgunits.models import OrgUnit
from baocao.orgunits.scope import owner_unit_for, unit_in_subtree, units_for_user
from baocao.work.choices import PlanKind, Recurrence, TaskStatus
from baocao.work.models import Plan, Task, TaskComment, TaskReminder, TaskUpdate
from baocao.work.selectors import plans_for_user

logger = logging.getLogger("baocao.work")

CREATOR_ROLES = frozenset({Role.COMPILER, Role.LEADER})
MAX_TITLE = 500
MAX_NUMBER = 60
MAX_TEXT = 10000
MAX_FILE_BYTES = 20 * 1024 * 1024
UNIT_NOT_FOUND = "Không tìm thấy đơn vị hoặc bạn không có quyền giao việc cho đơn vị này."
PLAN_NOT_FOUND = "Không tìm thấy kế hoạch hoặc bạn không có quyền xem."
REMINDER_BEFORE = "before"
REMINDER_OVERDUE = "overdue"
DIGEST_ACTION = AuditAction.TASK_DIGEST
TASK_FIELDS = ("title", "lead_unit", "plan", "sector", "cooperating_units", "start", "deadline", "recurrence",
               "recurrence_day", "expected_output", "is_key")
PLAN_FIELDS = ("kind", "number", "issuer", "issued_on", "title", "sector", "year_from", "year_to", "attachment")


# ---------------------------------------------------------------------------
# Permissions


def can_manage_tasks(user) -> bool:
    """Whether the user may create plans and tasks at all (for some unit)."""
    return bool(is_admin(user) or (user.is_authenticated and user.role in CREATOR_ROLES and user.unit_id))


def can_manage_owner(user, owner: OrgUnit) -> bool:
    if is_admin(user):
        return True
    return can_manage_tasks(user) and unit_in_subtree(user, owner)


def can_post_progress(user, task: Task) -> bool:
    if is_admin(user):
        return True
    return bool(user.is_authenticated and user.unit_id == task.lead_unit_id and user.role != Role.VIEWER)


def can_comment(user) -> bool:
    return bool(user.is_authenticated and (is_admin(user) or user.role != Role.VIEWER))


TASK_ACTIONS = ("update", "progress", "comment")


def task_actions(*, user, task: Task) -> set[str]:
    """What the user may do with the task: the page's buttons and the API's `allowed_actions`
    both read this; the services check the same functions."""
    actions = set()
    if can_manage_owner(user, task.owner):
        actions.add("update")
    if can_post_progress(user, task):
        actions.add("progress")
    if can_comment(user):
        actions.add("comment")
    return actions


def plan_actions(*, user, plan: Plan) -> set[str]:
    """What the user may do with the plan: edit it and assign tasks under it (its owner's
    managers)."""
    return {"update", "add_task"} if can_manage_owner(user, plan.owner) else set()


def require_task_manager(user) -> None:
    """403 for roles that never assign tasks or record plans (checked before any id is looked up)."""
    if not can_manage_tasks(user):
        raise PermissionDeniedError("Chỉ chuyên viên tổng hợp, lãnh đạo hoặc quản trị được giao nhiệm vụ, "
                                    "ghi nhận kế hoạch.")


def _owner_for(acting_user, owner: OrgUnit | None) -> OrgUnit:
    """The assigning unit, checked: 404 outside the user's subtree, 403 for roles that do not assign."""
    require_task_manager(acting_user)
    return owner_unit_for(acting_user, owner, may_manage=can_manage_owner,
                          missing="Hãy chọn đơn vị giao nhiệm vụ.", not_found=UNIT_NOT_FOUND)


def _require_manager(acting_user, owner: OrgUnit, what: str) -> None:
    if not can_manage_owner(acting_user, owner):
        raise PermissionDeniedError(f"Bạn không có quyền sửa {what} này.")


# ---------------------------------------------------------------------------
# Checks shared by create and update


def _refuse(errors: dict[str, str]) -> None:
    if errors:
        raise AppError(" ".join(errors.values()), {"fields": errors})


def _title_error(title: str, label: str) -> str | None:
    if not title:
        return f"Hãy nhập {label}."
    if len(title) > MAX_TITLE:
        return f"{label[0].upper()}{label[1:]} dài quá {MAX_TITLE} ký tự."
    return None


def _unit_problem(unit: OrgUnit, today: date) -> str | None:
    """Why a unit cannot take on a task of `today` (the task's deadline when it has one: a task of
    an earlier year may be recorded for a unit of that year), if it cannot."""
    if unit.valid_to is not None and unit.valid_to <= today:
        return (f"Đơn vị «{unit.name}» đã ngừng hoạt động (hiệu lực đến {format_date(unit.valid_to)}), "
                f"không giao nhiệm vụ được.")
    if unit.valid_from is not None and unit.valid_from > today:
        return (f"Đơn vị «{unit.name}» chưa có hiệu lực (từ {format_date(unit.valid_from)}), "
                f"không giao nhiệm vụ được.")
    return None


def _check_units_in_scope(acting_user, units: Iterable[OrgUnit]) -> None:
    ids = {u.pk for u in units}
    if not ids:
        return
    visible = set(units_for_user(acting_user).filter(pk__in=ids).values_list("pk", flat=True))
    missing = sorted(ids - visible)
    if missing:
        raise NotFound(UNIT_NOT_FOUND, {"units": missing})


def _check_plan(acting_user, plan: Plan | None) -> None:
    if plan is not None and not plans_for_user(acting_user).filter(pk=plan.pk).exists():
        raise NotFound(PLAN_NOT_FOUND, {"plan": plan.pk})


def _task_errors(values: dict, *, check_units: Iterable[OrgUnit], today: date) -> dict[str, str]:
    errors: dict[str, str] = {}
    problem = _title_error(values["title"], "tên nhiệm vụ")
    if problem:
        errors["title"] = problem
    start, deadline = values["start"], values["deadline"]
    if start is not None and deadline is not None and deadline < start:
        errors["deadline"] = (f"Hạn hoàn thành ({format_date(deadline)}) không được trước ngày bắt đầu "
                              f"({format_date(start)}).")
    recurrence, day = values["recurrence"], values["recurrence_day"]
    if recurrence not in Recurrence.values:
        errors["recurrence"] = "Kiểu lặp lại không hợp lệ (chỉ: hằng tháng, hằng quý hoặc không lặp lại)."
    elif recurrence:
        if day is None:
            errors["recurrence_day"] = "Nhiệm vụ lặp lại cần ngày đến hạn trong kỳ (từ 1 đến 31)."
        elif not isinstance(day, int) or isinstance(day, bool) or not 1 <= day <= 31:
            errors["recurrence_day"] = "Ngày đến hạn trong kỳ phải từ 1 đến 31."
    if len(values["expected_output"]) > MAX_TEXT:
        errors["expected_output"] = f"Sản phẩm dự kiến dài quá {format_number(MAX_TEXT)} ký tự."
    lead = values["lead_unit"]
    for unit in check_units:
        problem = _unit_problem(unit, min(deadline, today) if deadline is not None else today)
        if problem:
            key = "lead_unit" if unit.pk == lead.pk else "cooperating_units"
            errors[key] = f"{errors[key]} {problem}" if key in errors else problem
    return errors


def _display(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "có" if value else "không"
    if isinstance(value, date):
        return format_date(value)
    if isinstance(value, list | tuple | set):
        return "; ".join(sorted(str(v) for v in value))
    return str(value)


# ---------------------------------------------------------------------------
# Plans


def _plan_errors(values: dict) -> dict[str, str]:
    errors: dict[str, str] = {}
    problem = _title_error(values["title"], "trích yếu kế hoạch")
    if problem:
        errors["title"] = problem
    if values["kind"] not in PlanKind.values:
        errors["kind"] = "Loại kế hoạch không hợp lệ."
    if len(values["number"]) > MAX_NUMBER:
        errors["number"] = f"Số, ký hiệu dài quá {MAX_NUMBER} ký tự."
    for key in ("year_from", "year_to"):
        year = values[key]
        if year is not None and (not isinstance(year, int) or not 1900 <= year <= 2200):
            errors[key] = "Năm hiệu lực không hợp lệ."
    if not errors.get("year_from") and not errors.get("year_to") and values["year_from"] and values["year_to"] \
            and values["year_to"] < values["year_from"]:
        errors["year_to"] = "Năm hết hiệu lực không được trước năm bắt đầu hiệu lực."
    attachment = values["attachment"]
    if attachment and getattr(attachment, "size", 0) > MAX_FILE_BYTES:
        errors["attachment"] = "Tệp đính kèm lớn quá 20 MB."
    return errors


def _check_issuer(acting_user, issuer: OrgUnit) -> None:
    """The issuer may be any unit the user sees or one above the user's unit (e.g. the provincial
    People's Committee issuing the department's plan)."""
    if is_admin(acting_user):
        return
    above = acting_user.unit.ancestor_ids() if acting_user.unit_id else []
    if issuer.pk in above:
        return
    if not units_for_user(acting_user).filter(pk=issuer.pk).exists():
        raise NotFound("Không tìm thấy cơ quan ban hành.", {"issuer": issuer.pk})


def plan_create(*, acting_user, title: str, issuer: OrgUnit, kind: str = PlanKind.PLAN, number: str = "",
                issued_on: date | None = None, sector=None, year_from: int | None = None,
                year_to: int | None = None, attachment=None, owner: OrgUnit | None = None) -> Plan:
    """Record a plan (scheme, programme, directive, conference conclusion) tracked by `owner`."""
    owner = _owner_for(acting_user, owner)
    _check_issuer(acting_user, issuer)
    values = {"title": (title or "").strip(), "kind": kind, "number": (number or "").strip(), "issuer": issuer,
              "issued_on": issued_on, "sector": sector, "year_from": year_from, "year_to": year_to,
              "attachment": attachment}
    _refuse(_plan_errors(values))
    with transaction.atomic():
        plan = Plan(owner=owner, **{k: v for k, v in values.items() if k != "attachment"})
        if attachment:
            plan.attachment = attachment
        plan.save()
        audit_record(actor=acting_user, action=AuditAction.PLAN_CREATE, entity="plan", entity_id=plan.pk, unit=owner,
                     new=str(plan))
        return plan


def plan_update(*, acting_user, plan: Plan, **fields) -> Plan:
    """Change some fields of a plan (PLAN_FIELDS); fields left out keep their value."""
    unknown = sorted(set(fields) - set(PLAN_FIELDS))
    if unknown:
        raise AppError(f"Không sửa được trường: {', '.join(unknown)}.", {"fields": dict.fromkeys(unknown, "Không sửa được")})
    with transaction.atomic():
        plan = Plan.objects.select_for_update().select_related("owner", "issuer").get(pk=plan.pk)
        _require_manager(acting_user, plan.owner, "kế hoạch")
        if "issuer" in fields and fields["issuer"].pk != plan.issuer_id:
            _check_issuer(acting_user, fields["issuer"])
        for key in ("title", "number"):
            if key in fields:
                fields[key] = (fields[key] or "").strip()
        values = {k: getattr(plan, k) for k in PLAN_FIELDS if k != "attachment"}
        values["attachment"] = None
        values.update(fields)
        _refuse(_plan_errors(values))
        changes = []
        for key, new in fields.items():
            old = getattr(plan, key)
            if key == "attachment":
                if new:
                    plan.attachment = new
                    changes.append(FieldChange(key, old.name if old else "", plan.attachment.name))
                continue
            if old != new:
                setattr(plan, key, new)
                changes.append(FieldChange(key, _display(old), _display(new)))
        if changes:
            plan.save()
            audit_record_changes(actor=acting_user, action=AuditAction.PLAN_UPDATE, entity="plan", entity_id=plan.pk,
                                 unit=plan.owner, changes=changes)
        return plan


# ---------------------------------------------------------------------------
# Tasks


def task_create(*, acting_user, title: str, lead_unit: OrgUnit, owner: OrgUnit | None = None, plan: Plan | None = None,
                sector=None, cooperating_units: Iterable[OrgUnit] = (), start: date | None = None,
                deadline: date | None = None, recurrence: str = "", recurrence_day: int | None = None,
                expected_output: str = "", is_key: bool = False, conclusion=None) -> Task:
    """Assign a task to a lead unit (with cooperating units), from `owner` (default: the acting
    user's unit). A recurring task (monthly/quarterly) is due on `recurrence_day` of each month or
    quarter's last month, from `start` to `deadline`. `conclusion` links a task set by a
    conference conclusion (meetings)."""
    owner = _owner_for(acting_user, owner)
    cooperating = [u for u in dict.fromkeys(cooperating_units) if u.pk != lead_unit.pk]
    _check_units_in_scope(acting_user, [lead_unit, *cooperating])
    _check_plan(acting_user, plan)
    values = {"title": (title or "").strip(), "lead_unit": lead_unit, "plan": plan, "sector": sector,
              "start": start, "deadline": deadline, "recurrence": recurrence or "",
              "recurrence_day": recurrence_day if recurrence else None,
              "expected_output": (expected_output or "").strip(), "is_key": bool(is_key)}
    _refuse(_task_errors(values, check_units=[lead_unit, *cooperating], today=today_vn()))
    with transaction.atomic():
        task = Task.objects.create(owner=owner, conclusion=conclusion, created_by=acting_user, **values)
        if cooperating:
            task.cooperating_units.set(cooperating)
        audit_record(actor=acting_user, action=AuditAction.TASK_CREATE, entity="task", entity_id=task.pk, unit=lead_unit,
                     new=task.title,
                     comment=f"Chủ trì: {lead_unit.name}" + (f"; hạn {format_date(deadline)}" if deadline else ""))
        return task


def _lock_task(task: Task) -> Task:
    return Task.objects.select_for_update().select_related("owner", "lead_unit").get(pk=task.pk)


def task_update(*, acting_user, task: Task, **fields) -> Task:
    """Change some fields of a task (TASK_FIELDS); fields left out keep their value. Units newly
    named (lead or cooperating) must be open and in the user's scope."""
    unknown = sorted(set(fields) - set(TASK_FIELDS))
    if unknown:
        raise AppError(f"Không sửa được trường: {', '.join(unknown)}.", {"fields": dict.fromkeys(unknown, "Không sửa được")})
    with transaction.atomic():
        task = _lock_task(task)
        _require_manager(acting_user, task.owner, "nhiệm vụ")
        old_coop = list(task.cooperating_units.all())
        values = {k: getattr(task, k) for k in TASK_FIELDS if k != "cooperating_units"}
        values.update({k: v for k, v in fields.items() if k != "cooperating_units"})
        for key in ("title", "expected_output"):
            values[key] = (values[key] or "").strip()
        values["recurrence"] = values["recurrence"] or ""
        if not values["recurrence"]:
            values["recurrence_day"] = None
        values["is_key"] = bool(values["is_key"])
        lead = values["lead_unit"]
        coop = old_coop
        if "cooperating_units" in fields:
            coop = [u for u in dict.fromkeys(fields["cooperating_units"]) if u.pk != lead.pk]
        elif lead.pk != task.lead_unit_id:
            coop = [u for u in old_coop if u.pk != lead.pk]
        old_coop_ids = {u.pk for u in old_coop}
        new_units = [u for u in coop if u.pk not in old_coop_ids]
        if lead.pk != task.lead_unit_id:
            new_units.insert(0, lead)
        _check_units_in_scope(acting_user, new_units)
        if values["plan"] is not None and values["plan"].pk != task.plan_id:
            _check_plan(acting_user, values["plan"])
        _refuse(_task_errors(values, check_units=new_units, today=today_vn()))

        changes = []
        for key, new in values.items():
            old = getattr(task, key)
            if old != new:
                changes.append(FieldChange(key, _display(old), _display(new)))
                setattr(task, key, new)
        if {u.pk for u in coop} != old_coop_ids:
            changes.append(FieldChange("cooperating_units", _display([u.name for u in old_coop]),
                                       _display([u.name for u in coop])))
            task.cooperating_units.set(coop)
        if changes:
            task.save()
            audit_record_changes(actor=acting_user, action=AuditAction.TASK_UPDATE, entity="task", entity_id=task.pk,
                                 unit=task.lead_unit, changes=changes)
        return task


def task_progress_add(*, acting_user, task: Task, text: str, progress: int | str, evidence=None) -> TaskUpdate:
    """The lead unit reports progress (text, %, an evidence file). The task takes the new
    percentage; its first update starts it; reaching 100% completes it on today's date in
    Vietnam, going back below 100% reopens it. A `progress` that is not a whole number (the
    text a user typed) is refused with a message on the field."""
    text = (text or "").strip()
    errors: dict[str, str] = {}
    if isinstance(progress, bool) or not isinstance(progress, int) or not 0 <= progress <= 100:
        errors["progress"] = "Tiến độ phải là số nguyên từ 0 đến 100 (%)."
    if not text:
        errors["text"] = "Hãy nhập nội dung cập nhật tiến độ."
    elif len(text) > MAX_TEXT:
        errors["text"] = f"Nội dung dài quá {format_number(MAX_TEXT)} ký tự."
    if evidence is not None and getattr(evidence, "size", 0) > MAX_FILE_BYTES:
        errors["evidence"] = "Tệp minh chứng lớn quá 20 MB."
    with transaction.atomic():
        task = _lock_task(task)
        if not can_post_progress(acting_user, task):
            raise PermissionDeniedError("Chỉ đơn vị chủ trì được cập nhật tiến độ nhiệm vụ này.")
        _refuse(errors)
        assert isinstance(progress, int)  # else errors["progress"] was set and _refuse raised
        now = timezone.now()
        today = local_date(now)
        old = task.progress
        task.progress = progress
        if task.started_on is None:
            task.started_on = today
        if progress >= 100:
            if task.completed_on is None:
                task.completed_on = today
        else:
            task.completed_on = None
        task.save(update_fields=["progress", "started_on", "completed_on"])
        update = TaskUpdate(task=task, author=acting_user, text=text, progress=progress)
        if evidence:
            update.evidence = evidence
        update.save()
        audit_record(actor=acting_user, action=AuditAction.TASK_PROGRESS, entity="task", entity_id=task.pk,
                     unit=task.lead_unit, field="progress", old=f"{old}%", new=f"{progress}%", comment=text[:2000])
        return update


def task_comment_add(*, acting_user, task: Task, text: str) -> TaskComment:
    """An opinion on a task, by anyone who sees it (viewers only read)."""
    if not can_comment(acting_user):
        raise PermissionDeniedError("Người xem không được góp ý nhiệm vụ.")
    text = (text or "").strip()
    if not text:
        raise AppError("Hãy nhập nội dung ý kiến.", {"fields": {"text": "Bắt buộc"}})
    if len(text) > MAX_TEXT:
        raise AppError(f"Ý kiến dài quá {format_number(MAX_TEXT)} ký tự.", {"fields": {"text": "Quá dài"}})
    with transaction.atomic():
        comment = TaskComment.objects.create(task=task, author=acting_user, text=text)
        audit_record(actor=acting_user, action=AuditAction.TASK_COMMENT, entity="task", entity_id=task.pk,
                     unit=task.lead_unit, comment=text[:2000])
        return comment


# ---------------------------------------------------------------------------
# Reminders (`baocao tasks remind`)


@dataclass
class RemindResult:
    reminders: int = 0  # e-mails to lead units: due within N days, or just overdue
    digests: int = 0  # daily digests to the assigning units' compilers and leaders
    without_recipients: int = 0  # tasks or units with nobody to write to
    failed: int = 0  # e-mails the mail server refused (retried on the next run)


def _deadline_words(days: int) -> str:
    if days > 0:
        return f"còn {days} ngày"
    if days == 0:
        return "hôm nay là hạn cuối"
    return f"đã quá hạn {-days} ngày"


def _task_link(task: Task) -> str:
    return f"{getattr(settings, 'SITE_URL', '').rstrip('/')}/tasks/{task.pk}/"


FOOTER = "Thư này được gửi tự động từ hệ thống baocao; vui lòng không trả lời thư này."


def _reminder_message(row, kind: str, recipients: list[str]) -> EmailMessage:
    task = row.task
    title = task.title if len(task.title) <= 80 else task.title[:79] + "…"
    if kind == REMINDER_OVERDUE:
        subject = f"[baocao] Nhiệm vụ quá hạn: {title} (hạn {format_date(row.deadline)})"
        ask = "Nhiệm vụ đã quá hạn mà chưa hoàn thành. Đề nghị đơn vị khẩn trương thực hiện và cập nhật tiến độ"
    else:
        subject = f"[baocao] Nhắc hạn nhiệm vụ: {title} (hạn {format_date(row.deadline)})"
        ask = "Đề nghị đơn vị hoàn thành đúng hạn và cập nhật tiến độ"
    lines = [
        f"Kính gửi: {task.lead_unit.name}",
        "",
        f"Nhiệm vụ: {task.title}",
        f"Đơn vị giao: {task.owner.name}",
        f"Hạn hoàn thành{' lần này' if task.recurrence else ''}: {format_date(row.deadline)} "
        f"({_deadline_words(row.days_left)})",
        f"Tiến độ hiện tại: {task.progress}% — {row.status.label}",
        "",
        f"{ask} trên hệ thống baocao: {_task_link(task)}",
        "",
        FOOTER,
    ]
    return EmailMessage(subject=subject, body="\n".join(lines), to=recipients)


def _digest_line(row) -> str:
    task = row.task
    return (f"- {task.title} — chủ trì: {task.lead_unit.name}; hạn {format_date(row.deadline)} "
            f"({_deadline_words(row.days_left)}); tiến độ {task.progress}%. {_task_link(task)}")


def _digest_message(owner: OrgUnit, overdue: list, due_soon: list, *, today: date, days: int,
                    recipients: list[str]) -> EmailMessage:
    subject = (f"[baocao] Tình hình nhiệm vụ ngày {format_date(today)}: {len(overdue)} quá hạn, "
               f"{len(due_soon)} sắp đến hạn")
    lines = [f"Kính gửi: lãnh đạo, chuyên viên tổng hợp {owner.name}", ""]
    lines.append(f"Nhiệm vụ quá hạn ({len(overdue)}):")
    lines += [_digest_line(r) for r in overdue] or ["- Không có."]
    lines += ["", f"Nhiệm vụ đến hạn trong {days} ngày tới ({len(due_soon)}):"]
    lines += [_digest_line(r) for r in due_soon] or ["- Không có."]
    lines += ["", FOOTER]
    return EmailMessage(subject=subject, body="\n".join(lines), to=recipients)


def _emails_by_unit(unit_ids: Iterable[int], roles: Iterable[str] | None = None) -> dict[int, list[str]]:
    users = User.objects.filter(unit_id__in=set(unit_ids), is_active=True).exclude(email="")
    if roles is not None:
        users = users.filter(role__in=list(roles))
    emails: dict[int, list[str]] = defaultdict(list)
    for unit_id, email in users.order_by("username").values_list("unit_id", "email"):
        if email not in emails[unit_id]:
            emails[unit_id].append(email)
    return emails


def _send_once(create_record, message: EmailMessage, result: RemindResult) -> bool:
    """Record and send in one transaction: a refused e-mail leaves no record, so the next run
    tries again; a record already there (another run) means it was sent."""
    try:
        with transaction.atomic():
            create_record()
            message.send()
    except IntegrityError:
        return False
    except Exception:  # the mail server's errors come in many types
        logger.exception("Không gửi được thư: %s", message.subject)
        result.failed += 1
        return False
    return True


def tasks_remind(*, today: date, days: int = 3) -> RemindResult:
    """E-mail the users of each lead unit about tasks due within `days` days (or just overdue),
    once per task and deadline (a recurring task's current occurrence), and send each assigning
    unit's compilers and leaders one digest a day of its overdue and due-soon tasks.

    Running it again on the same day sends nothing new."""
    from baocao.work.selectors import task_rows

    result = RemindResult()
    open_tasks = Task.objects.exclude(recurrence="", progress__gte=100, completed_on__isnull=False).select_related(
        "lead_unit", "owner")
    due_soon, overdue = [], []
    for row in task_rows(open_tasks, today=today):
        if row.is_done or row.days_left is None:
            continue
        if row.status == TaskStatus.OVERDUE:
            overdue.append(row)
        elif 0 <= row.days_left <= days:
            due_soon.append(row)
    ids = [r.task.pk for r in due_soon + overdue]
    sent = set(TaskReminder.objects.filter(task_id__in=ids).values_list("task_id", "deadline", "kind"))
    lead_emails = _emails_by_unit(r.task.lead_unit_id for r in due_soon + overdue)

    for kind, rows in ((REMINDER_BEFORE, due_soon), (REMINDER_OVERDUE, overdue)):
        for row in rows:
            task = row.task
            if (task.pk, row.deadline, kind) in sent:
                continue
            recipients = lead_emails.get(task.lead_unit_id)
            if not recipients:
                result.without_recipients += 1
                continue
            create_reminder = functools.partial(TaskReminder.objects.create, task=task, deadline=row.deadline,
                                                kind=kind)
            if _send_once(create_reminder, _reminder_message(row, kind, recipients), result):
                result.reminders += 1

    by_owner: dict[int, tuple[OrgUnit, list, list]] = {}
    for row in sorted(overdue + due_soon, key=lambda r: (r.deadline, r.task.pk)):
        entry = by_owner.setdefault(row.task.owner_id, (row.task.owner, [], []))
        (entry[1] if row.status == TaskStatus.OVERDUE else entry[2]).append(row)
    day = today.isoformat()
    done_today = set(AuditEvent.objects.filter(action=DIGEST_ACTION, entity="orgunit", new_value=day)
                     .values_list("entity_id", flat=True))
    digest_emails = _emails_by_unit(by_owner, roles=CREATOR_ROLES)
    for owner_id, (owner, late, soon) in by_owner.items():
        if owner_id in done_today:
            continue
        recipients = digest_emails.get(owner_id)
        if not recipients:
            result.without_recipients += 1
            continue
        create_audit = functools.partial(audit_record, actor=None, action=DIGEST_ACTION, entity="orgunit",
                                         entity_id=owner_id, unit=owner, new=day,
                                         comment=f"{len(late)} quá hạn, {len(soon)} sắp đến hạn")
        message = _digest_message(owner, late, soon, today=today, days=days, recipients=recipients)
        if _send_once(create_audit, message, result):
            result.digests += 1
    return result
