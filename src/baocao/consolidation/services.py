"""Writes on consolidated reports: build, recompute, save edits, send to the leader, return,
approve; marking versions out of date; targets; outlines.

Each is one transaction with its audit rows. Building reads the units' approved data through
`selectors.compose_input` (a fixed number of queries) and the pure `compose.compose`.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from baocao.accounts.choices import Role
from baocao.accounts.roles import is_admin
from baocao.audit.actions import AuditAction
from baocao.audit.services import audit_record
from baocao.consolidation.choices import VersionStatus
from baocao.consolidation.compose import ComposedReport, compose, figure_changes
from baocao.consolidation.grouping import Consolidation, Rules, annex_of, render
from baocao.consolidation.models import (
    ConsolidatedReport,
    DocumentNumberRegister,
    ReportOutline,
    ReportVersion,
    Target,
)
from baocao.consolidation.outline import outline_validate
from baocao.consolidation.selectors import compose_input
from baocao.core.clock import today_vn
from baocao.core.errors import AppError, ConflictError, NotFound, PermissionDeniedError
from baocao.notifications.choices import NotificationKind
from baocao.notifications.services import notifications_create, unit_users
from baocao.orgunits.scope import unit_in_subtree
from baocao.reporting.selectors import regime_period

MAX_PART_TEXT = 100_000
COMPILER_ROLES = {Role.ADMIN, Role.COMPILER}
APPROVER_ROLES = {Role.ADMIN, Role.LEADER}


def can_compile(user) -> bool:
    return is_admin(user) or user.role in COMPILER_ROLES


def can_approve(user) -> bool:
    return is_admin(user) or user.role in APPROVER_ROLES


REPORT_ACTIONS = ("edit", "send", "return", "approve")
# The compiler edits and sends only these (a version waiting for the leader is not edited).
EDITABLE_VERSION_STATUSES = (VersionStatus.DRAFT, VersionStatus.RETURNED)


def report_actions(*, user, report: ConsolidatedReport, version: ReportVersion,
                   versions: list[ReportVersion] | None = None) -> set[str]:
    """What the user may do with this version of the report (`versions`: the report's versions,
    newest first, when the caller has them): the page's buttons read this, and the services apply
    the same rules: only the latest version is edited or sent to the leader, and not while it
    waits for the leader; the leader returns a pending version, approves any version not returned;
    nothing after approval."""
    if versions is None:
        versions = list(report.versions.order_by("-number"))
    if any(v.status == VersionStatus.APPROVED for v in versions) or not unit_in_subtree(user, report.unit):
        return set()
    actions = set()
    latest = bool(versions) and version.number == versions[0].number
    if can_compile(user) and latest and version.status in EDITABLE_VERSION_STATUSES:
        actions |= {"edit", "send"}
    if can_approve(user) and version.status != VersionStatus.RETURNED:
        actions.add("approve")
    if can_approve(user) and version.status == VersionStatus.PENDING:
        actions.add("return")
    return actions


def _require(user, roles: Collection[str], unit, message: str) -> None:
    if not (is_admin(user) or user.role in roles):
        raise PermissionDeniedError(message)
    if not unit_in_subtree(user, unit):
        raise NotFound("Không tìm thấy báo cáo tổng hợp hoặc bạn không có quyền xem.")


def part_texts(composed: dict) -> dict[str, str]:
    """The editable text of each part as composed from the data (before the compiler's edits)."""
    return {p["key"]: "\n\n".join(p.get("narrative") or []) for p in composed.get("parts", [])}


def _compose_dict(*, regime, period: str, unit) -> dict:
    return compose(compose_input(regime=regime, period=period, unit=unit)).to_dict()


def _next_number(report: ConsolidatedReport) -> int:
    return (report.versions.aggregate(n=Max("number"))["n"] or 0) + 1


def _require_not_frozen(report: ConsolidatedReport) -> None:
    approved = report.versions.filter(status=VersionStatus.APPROVED).first()
    if approved:
        raise AppError(
            f"Báo cáo đã được phê duyệt (phiên bản {approved.number}) nên không thay đổi được nữa.",
            {"approved_version": approved.number},
        )


def _require_not_pending(latest: ReportVersion | None) -> None:
    if latest is not None and latest.status == VersionStatus.PENDING:
        raise AppError(
            f"Phiên bản {latest.number} đang chờ lãnh đạo phê duyệt nên chưa sửa, tính lại được; "
            f"hãy chờ lãnh đạo phê duyệt hoặc trả lại.",
            {"pending_version": latest.number},
        )


def consolidated_report_build(*, regime, period: str, unit, acting_user) -> ReportVersion:
    """Compose the report from the current data. The first build creates the report; later
    builds are recomputations that keep the compiler's edits."""
    _require(acting_user, COMPILER_ROLES, unit, "Chỉ chuyên viên tổng hợp được lập báo cáo tổng hợp.")
    rp = regime_period(regime, period)
    existing = ConsolidatedReport.objects.filter(regime=regime, period=rp.code, unit=unit).first()
    if existing:
        return consolidated_report_recompute(report=existing, acting_user=acting_user)
    composed = _compose_dict(regime=regime, period=rp.code, unit=unit)
    try:
        with transaction.atomic():
            report = ConsolidatedReport.objects.create(regime=regime, period=rp.code, unit=unit)
            version = ReportVersion.objects.create(report=report, number=1, composed=composed,
                                                   created_by=acting_user, note="Lập từ số liệu đã duyệt")
            audit_record(actor=acting_user, action=AuditAction.REPORT_BUILD, entity="consolidated_report",
                         entity_id=report.pk, unit=unit, new="1")
    except IntegrityError:
        report = ConsolidatedReport.objects.get(regime=regime, period=rp.code, unit=unit)
        return consolidated_report_recompute(report=report, acting_user=acting_user)
    return version


def consolidated_report_recompute(*, report: ConsolidatedReport, acting_user,
                                  base_version: int | None = None) -> ReportVersion:
    """Refresh the figures from the current data into a new version, keeping text edits, and
    record which figures changed (and which edited parts have new source text)."""
    _require(acting_user, COMPILER_ROLES, report.unit, "Chỉ chuyên viên tổng hợp được tính lại báo cáo.")
    composed = _compose_dict(regime=report.regime, period=report.period, unit=report.unit)
    with transaction.atomic():
        report = ConsolidatedReport.objects.select_for_update().get(pk=report.pk)
        _require_not_frozen(report)
        latest = report.versions.order_by("-number").first()
        _require_not_pending(latest)
        if base_version is not None and latest and latest.number != base_version:
            raise ConflictError(
                f"Báo cáo đã có phiên bản {latest.number} mới hơn phiên bản {base_version} bạn đang xem.",
                {"latest": latest.number},
            )
        edits = dict(latest.edits) if latest else {}
        if latest:
            composed = _carry_groups(latest.composed, composed, _rules_of(report.regime))
        changes = figure_changes(ComposedReport.from_dict(latest.composed), ComposedReport.from_dict(composed)) \
            if latest else []
        if latest:
            old_texts, new_texts = part_texts(latest.composed), part_texts(composed)
            for key in edits:
                if old_texts.get(key) != new_texts.get(key):
                    changes.append({"part": key, "kind": "narrative",
                                    "message": "Nội dung do các đơn vị gửi đã thay đổi; phần này giữ bản đã sửa."})
        version = ReportVersion.objects.create(
            report=report, number=_next_number(report), composed=composed, edits=edits, changes=changes,
            created_by=acting_user, note="Tính lại từ số liệu đã duyệt",
        )
        audit_record(actor=acting_user, action=AuditAction.REPORT_RECOMPUTE, entity="consolidated_report",
                     entity_id=report.pk, unit=report.unit, new=str(version.number),
                     comment=f"{len(changes)} thay đổi")
        return version


def _lock_latest(report: ConsolidatedReport, base_version: int, advice: str) -> tuple[ConsolidatedReport, ReportVersion]:
    """The report locked for a write and its latest version, which must be ``base_version`` (call in
    a transaction): a frozen report is refused, a newer version is a conflict."""
    report = ConsolidatedReport.objects.select_for_update().get(pk=report.pk)
    _require_not_frozen(report)
    latest = report.versions.order_by("-number").first()
    if latest is None or latest.number != base_version:
        raise ConflictError(f"Người khác vừa lưu một phiên bản mới của báo cáo. {advice}",
                            {"latest": latest.number if latest else None, "base": base_version})
    _require_not_pending(latest)
    return report, latest


def consolidated_report_save(*, report: ConsolidatedReport, acting_user, base_version: int,
                             edits: dict[str, str]) -> ReportVersion:
    """Save the compiler's texts as a new version (figures as in the version edited)."""
    _require(acting_user, COMPILER_ROLES, report.unit, "Chỉ chuyên viên tổng hợp được sửa báo cáo tổng hợp.")
    with transaction.atomic():
        report, latest = _lock_latest(report, base_version, "Hãy mở phiên bản mới nhất rồi sửa tiếp; nội dung bạn "
                                      "vừa nhập vẫn còn trên màn hình.")
        defaults = part_texts(latest.composed)
        unknown = sorted(set(edits) - set(defaults))
        if unknown:
            raise AppError(f"Không có phần: {', '.join(unknown)}.", {"unknown": unknown})
        merged = dict(latest.edits)
        changed = []
        for key, text in edits.items():
            if not isinstance(text, str) or len(text) > MAX_PART_TEXT:
                raise AppError("Nội dung một phần phải là văn bản, tối đa 100.000 ký tự.", {"part": key})
            text = text.replace("\r\n", "\n").strip()
            current = merged.get(key, defaults[key])
            if text == current:
                continue
            changed.append(key)
            if text == defaults[key]:
                merged.pop(key, None)
            else:
                merged[key] = text
        if not changed:
            return latest
        version = ReportVersion.objects.create(report=report, number=latest.number + 1, composed=latest.composed,
                                               edits=merged, created_by=acting_user, note="Sửa nội dung")
        for key in changed:
            audit_record(actor=acting_user, action=AuditAction.REPORT_EDIT, entity="consolidated_report",
                         entity_id=report.pk, unit=report.unit, field=key,
                         old=latest.edits.get(key, defaults[key])[:2000], new=merged.get(key, defaults[key])[:2000])
        return version


def _regrouped_part(part: dict, groups: list[list[int]], rules: Rules) -> dict:
    """The part with its narrative written anew from ``groups`` (a partition of its sentences)."""
    consolidation = Consolidation.from_dict(part["grouping"], rules)
    paragraphs, texts = render(consolidation, groups, rules)
    out = dict(part)
    out["grouping"] = {**part["grouping"], "groups": [sorted(g) for g in groups], "custom": True}
    written = int(part["grouping"].get("paragraphs", len(part.get("narrative") or [])))
    out["grouping"]["paragraphs"] = len(paragraphs)
    out["narrative"] = paragraphs + list(part.get("narrative") or [])[written:]
    out["annex"] = annex_of(consolidation, texts)
    return out


def _rules_of(regime) -> Rules:
    from baocao.consolidation.selectors import outline_get

    return Rules.from_mapping(outline_get(regime).grouping_rules)


def _carry_groups(old: dict, new: dict, rules: Rules) -> dict:
    """The compiler's groups of ``old`` kept in ``new`` for the parts whose sentences did not change."""
    kept = {p["key"]: p["grouping"] for p in old.get("parts") or []
            if (p.get("grouping") or {}).get("custom")}
    if not kept:
        return new
    parts = []
    for part in new.get("parts") or []:
        before = kept.get(part.get("key"))
        grouping = part.get("grouping") or {}
        if before and before.get("sentences") == grouping.get("sentences"):
            part = _regrouped_part(part, before["groups"], rules)
        parts.append(part)
    return {**new, "parts": parts}


def regroup_partition(current: list[list[int]], *, split: int | None = None,
                      merge: Collection[int] = ()) -> list[list[int]]:
    """The partition after taking sentence ``split`` out of its group, or joining the groups whose
    positions are ``merge``; groups stay in order of their first sentence."""
    groups = [sorted(g) for g in current]
    if split is not None:
        holder = next((g for g in groups if split in g), None)
        if holder is None:
            raise AppError("Không có câu này trong phần đã chọn.", {"sentence": split})
        if len(holder) == 1:
            raise AppError("Câu này đã đứng riêng một nhóm.", {"sentence": split})
        holder.remove(split)
        groups.append([split])
    elif merge:
        chosen = sorted(set(merge))
        if len(chosen) < 2 or any(i < 0 or i >= len(groups) for i in chosen):
            raise AppError("Chọn ít nhất hai nhóm câu để gộp.", {"groups": list(merge)})
        joined = sorted(i for at in chosen for i in groups[at])
        groups = [g for at, g in enumerate(groups) if at not in chosen] + [joined]
    else:
        raise AppError("Chọn câu cần tách hoặc các nhóm cần gộp.")
    return sorted(groups, key=lambda g: g[0])


def consolidated_report_regroup(*, report: ConsolidatedReport, acting_user, base_version: int, part: str,
                                split: int | None = None, merge: Collection[int] = ()) -> ReportVersion:
    """The compiler splits a sentence out of its group or merges groups of one part: a new version
    whose part reads from the new groups (figures as in the version edited)."""
    _require(acting_user, COMPILER_ROLES, report.unit, "Chỉ chuyên viên tổng hợp được sửa báo cáo tổng hợp.")
    with transaction.atomic():
        report, latest = _lock_latest(report, base_version, "Hãy mở phiên bản mới nhất rồi làm lại.")
        parts = list(latest.composed.get("parts") or [])
        at = next((i for i, p in enumerate(parts) if p.get("key") == part), None)
        if at is None or not (parts[at].get("grouping") or {}).get("sentences"):
            raise AppError("Phần này không có nội dung của các đơn vị để tách, gộp.", {"part": part})
        before = parts[at]["grouping"]["groups"]
        groups = regroup_partition(before, split=split, merge=merge)
        parts[at] = _regrouped_part(parts[at], groups, _rules_of(report.regime))
        composed = {**latest.composed, "parts": parts}
        version = ReportVersion.objects.create(report=report, number=latest.number + 1, composed=composed,
                                               edits=dict(latest.edits), created_by=acting_user,
                                               note="Tách, gộp nhóm câu")
        audit_record(actor=acting_user, action=AuditAction.REPORT_REGROUP, entity="consolidated_report",
                     entity_id=report.pk, unit=report.unit, field=part,
                     old=f"{len(before)} nhóm", new=f"{len(groups)} nhóm")
        return version


def document_number_next(*, unit, year: int, type_code: str) -> int:
    """Take the next number of the unit's register of outgoing documents (call inside a transaction)."""
    register, _ = DocumentNumberRegister.objects.select_for_update().get_or_create(
        unit=unit, year=year, type_code=type_code)
    register.last_number += 1
    register.save(update_fields=["last_number"])
    return register.last_number


def consolidated_report_approvable(*, version: ReportVersion, acting_user) -> None:
    """Approval's checks without approving: the page asks for confirmation only when approval may
    follow (the same refusals, messages and statuses as `consolidated_report_approve`)."""
    report = version.report
    _require(acting_user, APPROVER_ROLES, report.unit, "Chỉ lãnh đạo được phê duyệt báo cáo tổng hợp.")
    _require_not_frozen(report)
    if version.status == VersionStatus.RETURNED:
        raise AppError(f"Phiên bản {version.number} đã bị trả lại cho chuyên viên tổng hợp nên không phê duyệt "
                       f"được; hãy phê duyệt phiên bản chuyên viên trình lại.", {"status": version.status})


def consolidated_report_approve(*, version: ReportVersion, acting_user, issued_on: date | None = None) -> ReportVersion:
    """The leader approves one version: it is frozen with its figures and gets its number."""
    report = version.report
    _require(acting_user, APPROVER_ROLES, report.unit, "Chỉ lãnh đạo được phê duyệt báo cáo tổng hợp.")
    from baocao.consolidation.selectors import outline_get

    with transaction.atomic():
        report = ConsolidatedReport.objects.select_for_update().get(pk=report.pk)
        _require_not_frozen(report)
        version = ReportVersion.objects.select_for_update().get(pk=version.pk)
        if version.status == VersionStatus.RETURNED:
            raise AppError(f"Phiên bản {version.number} đã bị trả lại cho chuyên viên tổng hợp nên không phê duyệt "
                           f"được; hãy phê duyệt phiên bản chuyên viên trình lại.", {"status": version.status})
        old_status = version.status
        issued_on = issued_on or today_vn()
        outline = outline_get(report.regime)
        version.status = VersionStatus.APPROVED
        version.approved_by = acting_user
        version.approved_at = timezone.now()
        version.issued_on = issued_on
        version.doc_number = document_number_next(unit=report.unit, year=issued_on.year,
                                                  type_code=outline.type_code or "BC")
        # The letterhead as issued (the issuer's profile of the day of issue), frozen with the version.
        from baocao.consolidation.rendering import report_letterhead

        version.header = report_letterhead(report=report, version=version, outline=outline, on=issued_on).to_dict()
        version.save(update_fields=["status", "approved_by", "approved_at", "issued_on", "doc_number", "header"])
        audit_record(actor=acting_user, action=AuditAction.REPORT_APPROVE, entity="consolidated_report",
                     entity_id=report.pk, unit=report.unit, field="status", old=old_status,
                     new=VersionStatus.APPROVED, comment=f"Phiên bản {version.number}, số {version.doc_number}")
        _notify_compilers(report, version, acting_user, NotificationKind.REPORT_APPROVED,
                          f"{_report_title(report)} đã được phê duyệt (phiên bản {version.number}, "
                          f"số {version.doc_number:02d})", f"Người phê duyệt: {acting_user.display_name}.")
        return version


def _report_title(report: ConsolidatedReport) -> str:
    from baocao.reporting.periods import parse_period

    try:
        label = parse_period(report.period).label
    except Exception:  # a stored code always parses; a title must never fail
        label = report.period
    return f"Báo cáo tổng hợp {report.regime.code} {label}"


def _report_url(report: ConsolidatedReport, version: ReportVersion) -> str:
    return f"/reports/{report.pk}/?v={version.number}"


def _notify_compilers(report: ConsolidatedReport, version: ReportVersion, acting_user, kind: NotificationKind,
                      title: str, body: str) -> None:
    """The compiler who sent the version and the other compilers of the report's unit."""
    recipients = unit_users(unit_id=report.unit_id, roles=[Role.COMPILER])
    if version.sent_by is not None:
        recipients.insert(0, version.sent_by)
    notifications_create(recipients=recipients, kind=kind, title=title, body=body,
                         url=_report_url(report, version), actor=acting_user)


def consolidated_report_send(*, version: ReportVersion, acting_user) -> ReportVersion:
    """The compiler sends the latest version (a draft, or one the leader returned) to the leader
    for approval: it waits (pending) and is not edited until approved or returned."""
    report = version.report
    _require(acting_user, COMPILER_ROLES, report.unit, "Chỉ chuyên viên tổng hợp được trình báo cáo tổng hợp.")
    with transaction.atomic():
        report = ConsolidatedReport.objects.select_for_update().select_related("regime", "unit").get(pk=report.pk)
        _require_not_frozen(report)
        version = ReportVersion.objects.select_for_update().get(pk=version.pk)
        latest = report.versions.order_by("-number").first()
        if latest is None or latest.number != version.number:
            raise ConflictError(f"Chỉ trình được phiên bản mới nhất ({latest.number if latest else '—'}) của báo cáo.",
                                {"latest": latest.number if latest else None})
        if version.status not in EDITABLE_VERSION_STATUSES:
            raise AppError(f"Phiên bản {version.number} đang «{version.get_status_display()}» nên không trình được.",
                           {"status": version.status})
        old_status = version.status
        version.status = VersionStatus.PENDING
        version.sent_by = acting_user
        version.sent_at = timezone.now()
        version.save(update_fields=["status", "sent_by", "sent_at"])
        audit_record(actor=acting_user, action=AuditAction.REPORT_SEND, entity="consolidated_report",
                     entity_id=report.pk, unit=report.unit, field="status", old=old_status,
                     new=VersionStatus.PENDING, comment=f"Phiên bản {version.number}")
        notifications_create(
            recipients=unit_users(unit_id=report.unit_id, roles=[Role.LEADER]),
            kind=NotificationKind.REPORT_SENT,
            title=f"{_report_title(report)} chờ phê duyệt (phiên bản {version.number})",
            body=f"Người trình: {acting_user.display_name}. Đề nghị lãnh đạo xem, phê duyệt hoặc trả lại.",
            url=_report_url(report, version), actor=acting_user)
        return version


def consolidated_report_return(*, version: ReportVersion, acting_user, comment: str) -> ReportVersion:
    """The leader returns a version waiting for approval to the compiler with a comment saying
    what to change; the compiler edits (a new version) and sends again."""
    comment = (comment or "").strip()
    if not comment:
        raise AppError("Hãy ghi ý kiến khi trả lại để chuyên viên biết cần sửa gì.", {"fields": {"comment": "Bắt buộc"}})
    if len(comment) > 5000:
        raise AppError("Ý kiến trả lại quá dài (tối đa 5.000 ký tự).", {"fields": {"comment": "Quá dài"}})
    report = version.report
    _require(acting_user, APPROVER_ROLES, report.unit, "Chỉ lãnh đạo được trả lại báo cáo tổng hợp.")
    with transaction.atomic():
        report = ConsolidatedReport.objects.select_for_update().select_related("regime", "unit").get(pk=report.pk)
        _require_not_frozen(report)
        version = ReportVersion.objects.select_for_update(of=("self",)).select_related("sent_by").get(pk=version.pk)
        if version.status != VersionStatus.PENDING:
            raise AppError(f"Chỉ trả lại được phiên bản đang chờ phê duyệt; phiên bản {version.number} đang "
                           f"«{version.get_status_display()}».", {"status": version.status})
        version.status = VersionStatus.RETURNED
        version.return_comment = comment
        version.returned_by = acting_user
        version.returned_at = timezone.now()
        version.save(update_fields=["status", "return_comment", "returned_by", "returned_at"])
        audit_record(actor=acting_user, action=AuditAction.REPORT_RETURN, entity="consolidated_report",
                     entity_id=report.pk, unit=report.unit, field="status", old=VersionStatus.PENDING,
                     new=VersionStatus.RETURNED, comment=comment)
        _notify_compilers(report, version, acting_user, NotificationKind.REPORT_RETURNED,
                          f"{_report_title(report)} bị trả lại (phiên bản {version.number})",
                          f"Ý kiến của lãnh đạo: {comment}\nNgười trả lại: {acting_user.display_name}.")
        return version


def composition_counts_unit(composed: dict, unit_id: int) -> bool:
    """Whether a composition counted the unit's approved report (expected and not missing)."""
    meta = composed.get("meta") or {}
    expected = {u.get("id") for u in meta.get("expected") or []}
    missing = {u.get("id") for u in meta.get("missing") or []}
    return unit_id in expected and unit_id not in missing


def report_versions_mark_outdated(*, regime, period: str, unit, acting_user, reason: str) -> int:
    """Mark out of date the versions of the regime's period's consolidated reports that counted
    the unit's report (it was reopened after approval, so their figures no longer match the
    approved data); call inside the reopening's transaction. Returns how many were marked."""
    versions = list(ReportVersion.objects.filter(report__regime=regime, report__period=period,
                                                 outdated_at__isnull=True)
                    .select_related("report__unit"))
    marked = [v for v in versions if v.report.unit.contains(unit) or v.report.unit_id == regime.receiving_unit_id]
    marked = [v for v in marked if composition_counts_unit(v.composed or {}, unit.pk)]
    if not marked:
        return 0
    text = f"Báo cáo của {unit.name} đã được mở lại sau khi duyệt: {reason}"[:2000]
    ReportVersion.objects.filter(pk__in=[v.pk for v in marked]).update(outdated_at=timezone.now(), outdated_reason=text)
    for report_id in sorted({v.report.pk for v in marked}):
        numbers = ", ".join(str(v.number) for v in marked if v.report.pk == report_id)
        report_unit = next(v.report.unit for v in marked if v.report.pk == report_id)
        audit_record(actor=acting_user, action=AuditAction.REPORT_OUTDATE, entity="consolidated_report",
                     entity_id=report_id, unit=report_unit, field="outdated", new=f"Phiên bản {numbers}",
                     comment=text)
    return len(marked)


def _on_submission_reopened(sender, *, submission, acting_user, reason: str, **kwargs) -> None:
    """Receiver of submissions.signals.submission_reopened (connected in ConsolidationConfig.ready)."""
    report_versions_mark_outdated(regime=submission.regime, period=submission.period, unit=submission.unit,
                                  acting_user=acting_user, reason=reason)


def target_set(*, acting_user, unit, year: int, indicator_code: str, value: Decimal | None,
               note: str = "") -> Target | None:
    """Set (or clear, with None) the year's planned value of an indicator for a unit."""
    _require(acting_user, COMPILER_ROLES | APPROVER_ROLES, unit, "Chỉ chuyên viên tổng hợp hoặc lãnh đạo được đặt chỉ tiêu kế hoạch.")
    if not (1900 <= year <= 2999):
        raise AppError("Năm không hợp lệ.", {"fields": {"year": year}})
    code = (indicator_code or "").strip()
    if not code:
        raise AppError("Thiếu mã chỉ tiêu.", {"fields": {"indicator_code": "Bắt buộc"}})
    from baocao.reporting.models import Indicator

    if not Indicator.objects.filter(code=code).exists():
        raise AppError(f"Không có chỉ tiêu mã «{code}».", {"fields": {"indicator_code": code}})
    with transaction.atomic():
        target = Target.objects.select_for_update().filter(unit=unit, year=year, indicator_code=code).first()
        old = "" if target is None else str(target.value)
        target_id = target.pk if target else 0  # delete() below clears target.pk
        if value is None:
            if target is None:
                return None  # nothing to clear, nothing to record
            target.delete()
            result = None
        else:
            if abs(value) >= Decimal(10) ** 17:
                raise AppError("Giá trị quá lớn.", {"fields": {"value": str(value)}})
            target, _ = Target.objects.update_or_create(unit=unit, year=year, indicator_code=code,
                                                        defaults={"value": value, "note": note})
            result = target
        audit_record(actor=acting_user, action=AuditAction.TARGET_SET, entity="target",
                     entity_id=result.pk if result else target_id, unit=unit, field=f"{code}/{year}", old=old,
                     new="" if value is None else str(value))
        return result


def report_outline_update(*, acting_user, regime, **fields) -> ReportOutline:
    """Edit a regime's outline; templates with unknown placeholders are refused, naming them."""
    if not is_admin(acting_user):
        raise PermissionDeniedError("Chỉ quản trị được sửa đề cương báo cáo.")
    from baocao.consolidation.selectors import outline_get

    with transaction.atomic():
        outline = outline_get(regime)
        allowed = {f.name for f in ReportOutline._meta.get_fields() if f.name not in ("id", "regime")}
        bad = set(fields) - allowed
        if bad:
            raise AppError(f"Không sửa được trường: {', '.join(sorted(bad))}.")
        old = {k: getattr(outline, k) for k in fields}
        for k, v in fields.items():
            setattr(outline, k, v)
        version = regime.form.current_version()
        sections = list(version.sections.values_list("code", flat=True)) if version else []
        indicators = list(version.indicators.values_list("code", flat=True)) if version else []
        outline_validate(outline, section_codes=sections, indicator_codes=indicators)
        outline.save()
        for k, v in fields.items():
            if old[k] != v:
                audit_record(actor=acting_user, action=AuditAction.OUTLINE_UPDATE, entity="report_outline",
                             entity_id=outline.pk, unit=regime.receiving_unit, field=k, old=str(old[k])[:2000],
                             new=str(v)[:2000])
        return outline
