"""State changes of the case register (inspections, checks, complaints, denunciations, petitions,
misinformation). Each runs in one transaction and writes its audit rows; a refused change raises
AppError (Vietnamese message, `extra.fields` per field) and writes nothing.

Who may do what:
- record, edit, accept, extend, resolve, refuse, forward a case and attach documents: the
  inspectorate role for a case owned by a unit of its subtree, and admins (any case);
- compilers, leaders and viewers of the owner's subtree only read (403 when they try to write);
- unit reporters do not see cases at all (404), nor does anyone outside the owner's subtree.

Confidentiality (Law on Denunciations 2018, art. 47-48): a denunciator's name and contact are
never written into the audit log, whatever the kind of case (a petition may later be reclassified
as a denunciation): a change of those fields is recorded with field "submitter_name" /
"submitter_contact" and the values replaced by "[bảo mật]". Error messages never repeat them.
Only the inspectorate role may change them on a denunciation, or reclassify a denunciation as
another kind (which would show its sender to every reader): selectors.case_identity_visible.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction

from baocao.accounts.choices import Role
from baocao.accounts.models import User
from baocao.accounts.roles import is_admin
from baocao.audit.actions import AuditAction
from baocao.audit.models import AuditEvent
from baocao.audit.services import FieldChange, audit_record, audit_record_changes
from baocao.cases.choices import CaseKind, CaseStatus, Channel
from baocao.cases.models import Case, CaseAttachment, CaseExtension
from baocao.cases.selectors import (
    CONFIDENTIAL_VALUE,
    DUE_SOON_WORKDAYS,
    IDENTITY_FIELDS,
    CaseRow,
    case_identity_visible,
    case_limit_rules,
    case_rows,
    extension_rule,
)
from baocao.core.clock import today_vn
from baocao.core.errors import AppError, NotFound, PermissionDeniedError
from baocao.core.vietnamese import format_date, format_number, parse_number
from baocao.orgunits.models import OrgUnit
from baocao.orgunits.scope import owner_unit_for, unit_in_subtree, units_for_user

logger = logging.getLogger("baocao.cases")

MAX_TEXT = 10000
MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_AMOUNT = Decimal(10) ** 18 - 1  # Case.sanction_amount: 18 digits, whole đồng
LENGTHS = {"code": 40, "submitter_name": 200, "submitter_contact": 300, "subject_org": 300, "note": 300}
LABELS = {
    "kind": "loại vụ việc", "complaint_round": "lần khiếu nại", "code": "số hồ sơ", "received_on": "ngày nhận",
    "channel": "nguồn", "submitter_name": "họ tên người gửi", "submitter_contact": "địa chỉ, liên hệ người gửi",
    "subject_org": "đối tượng", "sector": "lĩnh vực", "summary": "nội dung", "assigned_unit": "đơn vị được giao",
    "officer": "cán bộ thụ lý", "is_complex": "vụ việc phức tạp", "is_remote": "vùng sâu, vùng xa",
    "note": "ghi chú",
}
# Fields case_update changes; state (acceptance, resolution, outcome) changes through its own service.
UPDATE_FIELDS = tuple(LABELS)
# Reclassifying a case changes its time limits: only before it is accepted.
BEFORE_ACCEPTANCE_ONLY = ("kind", "complaint_round")
UNIT_NOT_FOUND = "Không tìm thấy đơn vị hoặc bạn không có quyền ghi sổ vụ việc của đơn vị này."
DIGEST_ACTION = AuditAction.CASE_DIGEST
FOOTER = "Thư này được gửi tự động từ hệ thống baocao; vui lòng không trả lời thư này."


# ---------------------------------------------------------------------------
# Permissions


def can_write_cases(user) -> bool:
    """Whether the user may keep the register at all (for some unit)."""
    return bool(is_admin(user) or (user.is_authenticated and user.role == Role.INSPECTORATE and user.unit_id))


def can_manage_case_owner(user, owner: OrgUnit) -> bool:
    if is_admin(user):
        return True
    return can_write_cases(user) and unit_in_subtree(user, owner)


def can_manage_case(user, case: Case) -> bool:
    return can_manage_case_owner(user, case.owner)


CASE_ACTIONS = ("update", "accept", "refuse", "forward", "extend", "resolve", "attach")


def case_actions(*, user, case: Case) -> set[str]:
    """What the user may do with the case now: the page's action forms and the API's
    `allowed_actions` both read this."""
    if not can_manage_case(user, case):
        return set()
    actions = {"update", "attach"}
    if case.status == CaseStatus.RECEIVED:
        actions |= {"accept", "refuse", "forward"}
    elif case.status == CaseStatus.ACCEPTED:
        rule = extension_rule(case_limit_rules(), kind=case.kind, round=case.complaint_round)
        if rule is not None and rule.max_extensions:
            actions.add("extend")
        actions.add("resolve")
    return actions


def require_case_writer(user) -> None:
    """403 for roles that never keep the register (checked before any id is looked up)."""
    if not can_write_cases(user):
        raise PermissionDeniedError("Chỉ thanh tra hoặc quản trị được ghi sổ vụ việc.")


def _require_manager(user, case: Case) -> None:
    if not can_manage_case(user, case):
        raise PermissionDeniedError("Chỉ thanh tra của đơn vị quản lý hoặc quản trị được thay đổi vụ việc này.")


def _owner_for(acting_user, owner: OrgUnit | None) -> OrgUnit:
    require_case_writer(acting_user)
    return owner_unit_for(acting_user, owner, may_manage=can_manage_case_owner,
                          missing="Hãy chọn đơn vị quản lý vụ việc.", not_found=UNIT_NOT_FOUND)


# ---------------------------------------------------------------------------
# Checks


def _refuse(errors: dict[str, str]) -> None:
    if errors:
        raise AppError(" ".join(errors.values()), {"fields": errors})


def _accepted_on(case: Case) -> date:
    """The acceptance day of an accepted case (set together with the status by case_accept)."""
    if case.accepted_on is None:
        raise TypeError(f"case {case.pk} is accepted but has no acceptance day")
    return case.accepted_on


def _text(value) -> str:
    return (value or "").strip() if isinstance(value, str) or value is None else str(value).strip()


def _date_errors(errors: dict, key: str, value, label: str, *, today: date) -> None:
    if not isinstance(value, date):
        errors[key] = f"Hãy nhập {label} (ngày/tháng/năm)."
    elif value > today:
        errors[key] = f"{label[0].upper()}{label[1:]} ({format_date(value)}) không được sau hôm nay."


def _case_errors(values: dict, *, today: date) -> dict[str, str]:
    """Messages per field; never repeating the submitter's name or contact."""
    errors: dict[str, str] = {}
    if values["kind"] not in CaseKind.values:
        errors["kind"] = "Loại vụ việc không hợp lệ."
    round_ = values["complaint_round"]
    if isinstance(round_, bool) or round_ not in (1, 2):
        errors["complaint_round"] = "Lần khiếu nại phải là lần đầu (1) hoặc lần hai (2)."
    if values["channel"] not in Channel.values:
        errors["channel"] = "Nguồn tiếp nhận không hợp lệ."
    _date_errors(errors, "received_on", values["received_on"], "ngày nhận", today=today)
    if not values["summary"]:
        errors["summary"] = "Hãy nhập nội dung vụ việc."
    elif len(values["summary"]) > MAX_TEXT:
        errors["summary"] = f"Nội dung dài quá {format_number(MAX_TEXT)} ký tự."
    for key, limit in LENGTHS.items():
        if len(values[key]) > limit:
            errors[key] = f"{LABELS[key][0].upper()}{LABELS[key][1:]} dài quá {limit} ký tự."
    return errors


def _check_assignment(acting_user, owner: OrgUnit, assigned_unit: OrgUnit | None, officer: User | None,
                      errors: dict[str, str]) -> None:
    if assigned_unit is not None and not units_for_user(acting_user).filter(pk=assigned_unit.pk).exists():
        raise NotFound(UNIT_NOT_FOUND, {"assigned_unit": assigned_unit.pk})
    if officer is not None:
        unit = officer.unit
        if not officer.is_active or unit is None or not owner.contains(unit):
            errors["officer"] = "Cán bộ thụ lý phải là người dùng đang hoạt động của đơn vị quản lý vụ việc."


def _display(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "có" if value else "không"
    if isinstance(value, date):
        return format_date(value)
    if isinstance(value, User):
        return value.display_name
    return str(value)


def _audit_value(key: str, value) -> str:
    if key in IDENTITY_FIELDS:
        return CONFIDENTIAL_VALUE if value else ""
    if key == "kind":
        return CaseKind(value).label if value in CaseKind.values else str(value)
    if key == "channel":
        return Channel(value).label if value in Channel.values else str(value)
    return _display(value)


def _lock(case: Case) -> Case:
    return Case.objects.select_for_update().select_related("owner").get(pk=case.pk)


def _audit(acting_user, case: Case, action: AuditAction, **kwargs) -> None:
    audit_record(actor=acting_user, action=action, entity="case", entity_id=case.pk, unit=case.owner, **kwargs)


# ---------------------------------------------------------------------------
# Recording and editing


def _require_indicator_for_kind(owner: OrgUnit, kind: str) -> None:
    """The register feeds the report: a kind no indicator of the receiving regime counts would be
    recorded and then silently left out of the figures, so it is refused with the reason."""
    from baocao.cases.reporting import kinds_with_indicators

    kinds = kinds_with_indicators(owner)
    if kinds is not None and kind not in kinds:
        label = dict(CaseKind.choices).get(kind, kind)
        raise AppError(
            f"Biểu mẫu báo cáo của đơn vị chưa có chỉ tiêu nào tính loại vụ việc «{label}»; "
            "hãy bổ sung chỉ tiêu (Quản trị → Chỉ tiêu lấy từ sổ vụ việc) trước khi ghi sổ.",
            {"fields": {"kind": kind}},
        )


def case_create(*, acting_user, kind: str, received_on: date, summary: str, owner: OrgUnit | None = None,
                complaint_round: int = 1, channel: str = Channel.DIRECT, submitter_name: str = "",
                submitter_contact: str = "", subject_org: str = "", sector=None, assigned_unit: OrgUnit | None = None,
                officer: User | None = None, is_complex: bool = False, is_remote: bool = False, code: str = "",
                note: str = "") -> Case:
    """Record a case received (or an inspection opened) on `received_on`, kept by `owner` (default:
    the acting user's unit). `complaint_round` counts only for complaints (1 or 2)."""
    owner = _owner_for(acting_user, owner)
    values = {
        "kind": kind, "complaint_round": complaint_round if kind == CaseKind.COMPLAINT else 1,
        "code": _text(code), "received_on": received_on, "channel": channel or Channel.DIRECT,
        "submitter_name": _text(submitter_name), "submitter_contact": _text(submitter_contact),
        "subject_org": _text(subject_org), "sector": sector, "summary": _text(summary),
        "assigned_unit": assigned_unit, "officer": officer, "is_complex": bool(is_complex),
        "is_remote": bool(is_remote), "note": _text(note),
    }
    errors = _case_errors(values, today=today_vn())
    _check_assignment(acting_user, owner, assigned_unit, officer, errors)
    _refuse(errors)
    _require_indicator_for_kind(owner, kind)
    with transaction.atomic():
        case = Case.objects.create(owner=owner, created_by=acting_user, **values)
        _audit(acting_user, case, AuditAction.CASE_CREATE, new=str(case),
               comment=f"Nhận ngày {format_date(case.received_on)}; nguồn: {case.get_channel_display()}")
        return case


def case_update(*, acting_user, case: Case, **fields) -> Case:
    """Change some of the fields in UPDATE_FIELDS; fields left out keep their value. The kind and
    the complaint round change only before acceptance (they set the time limits); the
    denunciator's identity only by those who may see it."""
    unknown = sorted(set(fields) - set(UPDATE_FIELDS))
    if unknown:
        raise AppError(f"Không sửa được trường: {', '.join(unknown)}.",
                       {"fields": dict.fromkeys(unknown, "Không sửa được")})
    with transaction.atomic():
        case = _lock(case)
        _require_manager(acting_user, case)
        new_kind = fields.get("kind", case.kind)
        hidden = not case_identity_visible(acting_user, case, kind=CaseKind.DENUNCIATION)
        if hidden and any(k in fields for k in IDENTITY_FIELDS) and CaseKind.DENUNCIATION in (case.kind, new_kind):
            raise PermissionDeniedError("Chỉ thanh tra được ghi, sửa thông tin người tố cáo.")
        if hidden and case.kind == CaseKind.DENUNCIATION and new_kind != CaseKind.DENUNCIATION:
            # Another kind would show its sender to every reader, this user included.
            raise PermissionDeniedError("Chỉ thanh tra được phân loại lại đơn tố cáo.")
        values = {k: getattr(case, k) for k in UPDATE_FIELDS}
        for key, value in fields.items():
            values[key] = _text(value) if key in LENGTHS or key == "summary" else value
        if values["kind"] != CaseKind.COMPLAINT:
            values["complaint_round"] = 1
        values["is_complex"], values["is_remote"] = bool(values["is_complex"]), bool(values["is_remote"])
        values["channel"] = values["channel"] or Channel.DIRECT
        errors = _case_errors(values, today=today_vn())
        if case.status != CaseStatus.RECEIVED:
            for key in BEFORE_ACCEPTANCE_ONLY:
                if values[key] != getattr(case, key):
                    errors[key] = "Chỉ đổi loại vụ việc, lần khiếu nại trước khi thụ lý."
        if case.accepted_on and isinstance(values["received_on"], date) and values["received_on"] > case.accepted_on:
            errors["received_on"] = (f"Ngày nhận không được sau ngày thụ lý ({format_date(case.accepted_on)}).")
        assigned = values["assigned_unit"] if values["assigned_unit"] != case.assigned_unit else None
        officer = values["officer"] if values["officer"] != case.officer else None
        _check_assignment(acting_user, case.owner, assigned, officer, errors)
        _refuse(errors)
        changes = []
        for key, new in values.items():
            old = getattr(case, key)
            if old != new:
                changes.append(FieldChange(key, _audit_value(key, old), _audit_value(key, new)))
                setattr(case, key, new)
        if changes:
            case.save()
            audit_record_changes(actor=acting_user, action=AuditAction.CASE_UPDATE, entity="case", entity_id=case.pk,
                                 unit=case.owner, changes=changes)
        return case


# ---------------------------------------------------------------------------
# Acceptance, extension, resolution


def _state_error(case: Case, wanted: Iterable[str], what: str) -> None:
    if case.status not in wanted:
        raise AppError(f"Không {what} được: vụ việc đang ở trạng thái «{case.get_status_display()}».",
                       {"status": case.status})


def case_accept(*, case: Case, accepted_on: date, acting_user) -> Case:
    """Accept (thụ lý) a received case, or start an inspection or check, on `accepted_on`; the
    resolution time limit runs from this day."""
    with transaction.atomic():
        case = _lock(case)
        _require_manager(acting_user, case)
        _state_error(case, (CaseStatus.RECEIVED,), "thụ lý")
        errors: dict[str, str] = {}
        _date_errors(errors, "accepted_on", accepted_on, "ngày thụ lý", today=today_vn())
        if not errors and accepted_on < case.received_on:
            errors["accepted_on"] = (f"Ngày thụ lý ({format_date(accepted_on)}) không được trước ngày nhận "
                                     f"({format_date(case.received_on)}).")
        _refuse(errors)
        case.accepted_on = accepted_on
        case.status = CaseStatus.ACCEPTED
        case.save(update_fields=["accepted_on", "status"])
        _audit(acting_user, case, AuditAction.CASE_ACCEPT, field="accepted_on", new=format_date(accepted_on))
        return case


def _whole_number(value) -> int | None:
    """A non-negative whole number given as int or digits, else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value >= 0 else None
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def case_extend(*, case: Case, decision_number: str, decided_on: date, days, reason: str = "",
                acting_user) -> CaseExtension:
    """Record a written decision extending the resolution time limit by `days`. Only kinds whose
    rule allows extensions (the denunciation: once, or twice for an especially complex case, by
    at most 30 days each, Law on Denunciations 2018 art. 30), each decided in writing before the
    current time limit runs out."""
    decision_number = _text(decision_number)
    reason = _text(reason)
    with transaction.atomic():
        case = _lock(case)
        _require_manager(acting_user, case)
        rules = case_limit_rules()
        rule = extension_rule(rules, kind=case.kind, round=case.complaint_round)
        if rule is None or not rule.max_extensions:
            raise AppError(f"Vụ việc loại «{case.get_kind_display()}» không được gia hạn thời hạn giải quyết.",
                           {"kind": case.kind})
        _state_error(case, (CaseStatus.ACCEPTED,), "gia hạn")
        errors: dict[str, str] = {}
        if not decision_number:
            errors["decision_number"] = ("Gia hạn phải có quyết định bằng văn bản: hãy nhập số quyết định "
                                         "gia hạn.")
        elif len(decision_number) > 60:
            errors["decision_number"] = "Số quyết định dài quá 60 ký tự."
        _date_errors(errors, "decided_on", decided_on, "ngày quyết định gia hạn", today=today_vn())
        number = _whole_number(days)
        if number is None or number < 1:
            errors["days"] = "Số ngày gia hạn phải là số nguyên dương."
        elif rule.max_days and number > rule.max_days:
            errors["days"] = (f"Mỗi lần gia hạn không quá {rule.max_days} ngày ({rule.legal_basis}).")
        if len(reason) > MAX_TEXT:
            errors["reason"] = f"Lý do dài quá {format_number(MAX_TEXT)} ký tự."
        done = case.extensions.count()
        if done >= rule.max_extensions:
            errors["extensions"] = (f"Đã gia hạn {done} lần: quá số lần được gia hạn "
                                    f"({rule.max_extensions} lần, {rule.legal_basis}).")
        if "decided_on" not in errors:
            if decided_on < _accepted_on(case):
                errors["decided_on"] = (f"Ngày quyết định gia hạn ({format_date(decided_on)}) không được trước "
                                        f"ngày thụ lý ({format_date(case.accepted_on)}).")
            else:
                row = case_rows([case], rules=rules, today=decided_on)[0]
                if row.resolution_deadline is not None and decided_on > row.resolution_deadline:
                    errors["decided_on"] = (f"Quyết định gia hạn phải ban hành trước khi hết thời hạn giải quyết "
                                            f"({format_date(row.resolution_deadline)}).")
        _refuse(errors)
        assert number is not None  # else errors["days"] was set and _refuse raised
        extension = CaseExtension.objects.create(case=case, decision_number=decision_number, decided_on=decided_on,
                                                 days=number, reason=reason)
        _audit(acting_user, case, AuditAction.CASE_EXTEND, field="extension", new=f"+{number} ngày",
               comment=f"Quyết định {decision_number} ngày {format_date(decided_on)}"
                       + (f"; lý do: {reason[:1000]}" if reason else ""))
        return extension


def parse_amount(value) -> Decimal:
    """A sanction amount in whole đồng: 1500000, "1.500.000" or "1500000". Raises AppError."""
    field_error = {"fields": {"sanction_amount": "Không hợp lệ"}}
    if value is None or value == "":
        return Decimal(0)
    if isinstance(value, bool):
        raise AppError("Số tiền xử phạt phải là một số (đồng).", field_error)
    try:
        if isinstance(value, str):
            amount = parse_number(value.replace(" ", "").removesuffix("đ").removesuffix("đồng"))
        else:
            amount = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    except (ValueError, TypeError, InvalidOperation):
        raise AppError("Số tiền xử phạt phải là một số (đồng).", field_error) from None
    if not amount.is_finite():
        raise AppError("Số tiền xử phạt phải là một số (đồng).", field_error)
    if amount < 0:
        raise AppError("Số tiền xử phạt không được âm.", {"fields": {"sanction_amount": "Không được âm"}})
    if amount != amount.to_integral_value():
        raise AppError("Số tiền xử phạt tính bằng đồng, không có phần lẻ.", field_error)
    if amount > MAX_AMOUNT:
        raise AppError("Số tiền xử phạt quá lớn.", field_error)
    return amount.quantize(Decimal(1))


def case_resolve(*, case: Case, resolved_on: date, conclusion: str, sanction_decisions=0, sanction_amount=0,
                 corrective_measures: str = "", acting_user) -> Case:
    """Close an accepted case: the conclusion (kết luận, quyết định giải quyết), the sanction
    decisions issued and their total amount in đồng, and the corrective measures."""
    conclusion = _text(conclusion)
    corrective_measures = _text(corrective_measures)
    errors: dict[str, str] = {}
    decisions = _whole_number(sanction_decisions) if sanction_decisions not in (None, "") else 0
    if decisions is None:
        errors["sanction_decisions"] = "Số quyết định xử phạt phải là số nguyên không âm."
    try:
        amount = parse_amount(sanction_amount)
    except AppError as exc:
        errors["sanction_amount"] = exc.message
        amount = None
    if amount and decisions == 0:
        errors["sanction_amount"] = "Có số tiền xử phạt thì phải có ít nhất một quyết định xử phạt."
    if not conclusion:
        errors["conclusion"] = "Hãy nhập kết luận, kết quả giải quyết."
    elif len(conclusion) > MAX_TEXT:
        errors["conclusion"] = f"Kết luận dài quá {format_number(MAX_TEXT)} ký tự."
    if len(corrective_measures) > MAX_TEXT:
        errors["corrective_measures"] = f"Biện pháp khắc phục dài quá {format_number(MAX_TEXT)} ký tự."
    with transaction.atomic():
        case = _lock(case)
        _require_manager(acting_user, case)
        if case.status == CaseStatus.RECEIVED:
            raise AppError("Vụ việc chưa được thụ lý: hãy ghi nhận thụ lý trước khi ghi kết quả giải quyết.",
                           {"fields": {"resolved_on": "Chưa thụ lý"}, "status": case.status})
        _state_error(case, (CaseStatus.ACCEPTED,), "ghi kết quả giải quyết")
        _date_errors(errors, "resolved_on", resolved_on, "ngày giải quyết", today=today_vn())
        if "resolved_on" not in errors and resolved_on < _accepted_on(case):
            errors["resolved_on"] = (f"Ngày giải quyết ({format_date(resolved_on)}) không được trước ngày thụ lý "
                                     f"({format_date(case.accepted_on)}).")
        _refuse(errors)
        # A missing number or amount put its message in errors, and _refuse raised.
        assert decisions is not None and amount is not None
        case.status = CaseStatus.RESOLVED
        case.resolved_on = resolved_on
        case.conclusion = conclusion
        case.sanction_decisions = decisions
        case.sanction_amount = amount
        case.corrective_measures = corrective_measures
        case.save(update_fields=["status", "resolved_on", "conclusion", "sanction_decisions", "sanction_amount",
                                 "corrective_measures"])
        audit_record_changes(actor=acting_user, action=AuditAction.CASE_RESOLVE, entity="case", entity_id=case.pk,
                             unit=case.owner, changes=[
                                 FieldChange("status", CaseStatus.ACCEPTED.label, CaseStatus.RESOLVED.label),
                                 FieldChange("resolved_on", "", format_date(resolved_on)),
                                 FieldChange("sanction_decisions", "", format_number(decisions)),
                                 FieldChange("sanction_amount", "", format_number(amount)),
                             ])
        return case


def _close_unaccepted(*, case: Case, decided_on: date, text: str, status: str, action: AuditAction, text_label: str,
                      acting_user) -> Case:
    text = _text(text)
    with transaction.atomic():
        case = _lock(case)
        _require_manager(acting_user, case)
        verb = "không thụ lý" if status == CaseStatus.REFUSED else "chuyển đơn"
        _state_error(case, (CaseStatus.RECEIVED,), verb)
        errors: dict[str, str] = {}
        _date_errors(errors, "decided_on", decided_on, "ngày quyết định", today=today_vn())
        if "decided_on" not in errors and decided_on < case.received_on:
            errors["decided_on"] = (f"Ngày quyết định ({format_date(decided_on)}) không được trước ngày nhận "
                                    f"({format_date(case.received_on)}).")
        if not text:
            errors["text"] = f"Hãy nhập {text_label}."
        elif len(text) > MAX_TEXT:
            errors["text"] = f"{text_label[0].upper()}{text_label[1:]} dài quá {format_number(MAX_TEXT)} ký tự."
        _refuse(errors)
        old = case.get_status_display()
        case.status = status
        case.resolved_on = decided_on
        case.conclusion = text
        case.save(update_fields=["status", "resolved_on", "conclusion"])
        _audit(acting_user, case, action, field="status", old=old, new=case.get_status_display(),
               comment=f"Ngày {format_date(decided_on)}: {text[:1000]}")
        return case


def case_refuse(*, case: Case, decided_on: date, reason: str, acting_user) -> Case:
    """Refuse to accept a received case (không thụ lý), with the reason, on `decided_on`."""
    return _close_unaccepted(case=case, decided_on=decided_on, text=reason, status=CaseStatus.REFUSED,
                             action=AuditAction.CASE_REFUSE, text_label="lý do không thụ lý", acting_user=acting_user)


def case_forward(*, case: Case, decided_on: date, to_agency: str, acting_user) -> Case:
    """Forward a received case to the competent agency (chuyển đơn) on `decided_on`."""
    return _close_unaccepted(case=case, decided_on=decided_on, text=to_agency, status=CaseStatus.FORWARDED,
                             action=AuditAction.CASE_FORWARD, text_label="cơ quan có thẩm quyền nhận đơn",
                             acting_user=acting_user)


def case_attachment_add(*, case: Case, file, title: str = "", acting_user) -> CaseAttachment:
    """Attach a document (the letter, a decision, minutes) to a case."""
    title = _text(title)
    errors: dict[str, str] = {}
    if not file:
        errors["file"] = "Hãy chọn tệp tài liệu."
    elif getattr(file, "size", 0) > MAX_FILE_BYTES:
        errors["file"] = "Tệp lớn quá 20 MB."
    if len(title) > 200:
        errors["title"] = "Tên tài liệu dài quá 200 ký tự."
    with transaction.atomic():
        case = _lock(case)
        _require_manager(acting_user, case)
        _refuse(errors)
        attachment = CaseAttachment(case=case, title=title, uploaded_by=acting_user)
        attachment.file = file
        attachment.save()
        # Titles and file names of a denunciation's documents may name the denunciator.
        _audit(acting_user, case, AuditAction.CASE_ATTACHMENT, field="attachment", new=f"Tài liệu số {attachment.pk}")
        return attachment


# ---------------------------------------------------------------------------
# Weekly digest (`baocao cases digest`)


@dataclass
class DigestResult:
    digests: int = 0  # e-mails sent (one per owner unit and ISO week)
    cases: int = 0  # cases listed in them
    already_sent: int = 0  # units whose digest of this week was sent before
    without_recipients: int = 0  # units with no inspectorate user with an e-mail address
    failed: int = 0  # e-mails the mail server refused (retried on the next run)
    units: list[str] = field(default_factory=list)


def iso_week(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def _case_link(case: Case) -> str:
    return f"{getattr(settings, 'SITE_URL', '').rstrip('/')}/cases/{case.pk}/"


def _digest_line(row: CaseRow) -> str:
    case = row.case
    summary = " ".join(case.summary.split())
    summary = summary if len(summary) <= 100 else summary[:99] + "…"
    alert = row.alert
    if alert is None:
        raise TypeError(f"case {case.pk} is neither overdue nor due soon: no digest line")
    step, deadline, words = alert
    return (f"- {case.get_kind_display()} {case.code or '#' + str(case.pk)}: {summary} — hạn {step} "
            f"{format_date(deadline)} ({words}). {_case_link(case)}")


def _digest_message(owner: OrgUnit, overdue: list[CaseRow], due_soon: list[CaseRow], *, today: date,
                    recipients: list[str]) -> EmailMessage:
    subject = (f"[baocao] Vụ việc tuần {iso_week(today)}: {len(overdue)} quá hạn, {len(due_soon)} đến hạn "
               f"trong {DUE_SOON_WORKDAYS} ngày làm việc")
    lines = [f"Kính gửi: Thanh tra {owner.name}", "",
             f"Tình hình giải quyết vụ việc, đơn thư đến ngày {format_date(today)}.", "",
             f"Vụ việc quá hạn ({len(overdue)}):"]
    lines += [_digest_line(r) for r in overdue] or ["- Không có."]
    lines += ["", f"Vụ việc đến hạn trong {DUE_SOON_WORKDAYS} ngày làm việc tới ({len(due_soon)}):"]
    lines += [_digest_line(r) for r in due_soon] or ["- Không có."]
    lines += ["", "Thông tin người tố cáo không được ghi trong thư này; xem trên hệ thống baocao.", "", FOOTER]
    return EmailMessage(subject=subject, body="\n".join(lines), to=recipients)


def _inspectorate_emails(unit_ids: Iterable[int]) -> dict[int, list[str]]:
    users = (User.objects.filter(unit_id__in=set(unit_ids), is_active=True, role=Role.INSPECTORATE)
             .exclude(email="").order_by("username").values_list("unit_id", "email"))
    emails: dict[int, list[str]] = defaultdict(list)
    for unit_id, email in users:
        if email not in emails[unit_id]:
            emails[unit_id].append(email)
    return emails


def cases_digest(*, today: date) -> DigestResult:
    """E-mail the inspectorate users of each owner unit the unit's open cases that are overdue or
    due within DUE_SOON_WORKDAYS working days (acceptance or resolution time limit), once per ISO
    week and unit (recorded as an AuditEvent "case.digest" on the unit with the week as value).
    A refused e-mail records nothing, so the next run tries again."""
    result = DigestResult()
    open_cases = Case.objects.filter(status__in=(CaseStatus.RECEIVED, CaseStatus.ACCEPTED)).select_related("owner")
    by_owner: dict[int, tuple[OrgUnit, list[CaseRow], list[CaseRow]]] = {}
    for row in sorted(case_rows(open_cases, rules=case_limit_rules(), today=today),
                      key=lambda r: (r.alert[1] if r.alert else date.max, r.case.pk)):
        if not (row.is_overdue or row.is_due_soon):
            continue
        entry = by_owner.setdefault(row.case.owner_id, (row.case.owner, [], []))
        (entry[1] if row.is_overdue else entry[2]).append(row)
    week = iso_week(today)
    done = set(AuditEvent.objects.filter(action=DIGEST_ACTION, entity="orgunit", new_value=week)
               .values_list("entity_id", flat=True))
    emails = _inspectorate_emails(by_owner)
    for owner_id, (owner, late, soon) in sorted(by_owner.items(), key=lambda item: item[1][0].path):
        if owner_id in done:
            result.already_sent += 1
            continue
        recipients = emails.get(owner_id)
        if not recipients:
            result.without_recipients += 1
            continue
        message = _digest_message(owner, late, soon, today=today, recipients=recipients)
        try:
            with transaction.atomic():
                audit_record(actor=None, action=DIGEST_ACTION, entity="orgunit", entity_id=owner_id, unit=owner,
                             new=week, comment=f"{len(late)} quá hạn, {len(soon)} đến hạn")
                message.send()
        except IntegrityError:
            continue
        except Exception:  # the mail server's errors come in many types
            logger.exception("Không gửi được thư: %s", message.subject)
            result.failed += 1
            continue
        result.digests += 1
        result.cases += len(late) + len(soon)
        result.units.append(owner.name)
    return result

