"""Reads of the case register, scoped to the user, with each case's legal deadlines and where it
stands against them.

Scope: admins see every case; the receiving roles (compiler, leader, inspectorate, viewer) see the
cases owned by a unit of their own subtree; unit reporters and users without a unit see none. An
id out of scope is "not found".

Confidentiality of a denunciator (Law on Denunciations 2018, art. 8(1)(b), 47, 48): the name and
contact of the person who sent a denunciation are shown only to the inspectorate role
(`case_identity_visible`). Not even to admins: the law protects the denunciator's identity from
everyone but those who receive and settle the denunciation, and an admin manages users and units,
not cases. Everything that shows a case (pages, API, CSV, search, history, e-mails) asks this
function or shows `submitter_display`, and never searches those fields for other roles.

Deadlines come from cases.limits with the admin's TimeLimitRule rows (`case_limit_rules`, one
query), computed in Python from each row, so a list is a fixed number of queries: the cases (owner,
sector, officer and assigned unit joined), their extensions, and the rules.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch, QuerySet

from baocao.accounts.choices import RECEIVER_ROLES, Role
from baocao.accounts.roles import is_admin
from baocao.audit.history import (
    HistoryEntry,
    HistoryVocabulary,
    describe_events,
    show_bool,
    show_choice,
    show_date,
    show_number,
)
from baocao.audit.models import AuditEvent
from baocao.cases import limits
from baocao.cases.choices import CaseKind, CaseStatus, Channel
from baocao.cases.models import Case, CaseAttachment, CaseExtension, TimeLimitRule
from baocao.core import workdays
from baocao.core.errors import NotFound
from baocao.core.vietnamese import fold
from baocao.orgunits.scope import in_user_subtree

CASE_NOT_FOUND = "Không tìm thấy vụ việc hoặc bạn không có quyền xem."
IDENTITY_HIDDEN = "[Thông tin người tố cáo được giữ bí mật]"
CONFIDENTIAL_VALUE = "[bảo mật]"
IDENTITY_FIELDS = ("submitter_name", "submitter_contact")
VIEW_DUE3 = "due3"
VIEW_OVERDUE = "overdue"
VIEWS = (VIEW_DUE3, VIEW_OVERDUE)
DUE_SOON_WORKDAYS = limits.DUE_SOON_WORKING_DAYS
OPEN_STATUSES = (CaseStatus.RECEIVED, CaseStatus.ACCEPTED)
STATUS_BADGE: dict[str, str] = {  # keyed by str: a case's status is read back as a plain string
    CaseStatus.RECEIVED: "st-draft",
    CaseStatus.ACCEPTED: "st-submitted",
    CaseStatus.RESOLVED: "st-approved",
    CaseStatus.REFUSED: "st-none",
    CaseStatus.FORWARDED: "st-none",
}
DEADLINE_LABELS = {
    "ok": "Trong hạn",
    "due_soon": "Sắp đến hạn",
    "overdue": "Quá hạn",
    "done_on_time": "Đúng hạn",
    "done_late": "Trễ hạn",
}
DEADLINE_BADGE = {
    "ok": "st-submitted",
    "due_soon": "t-late",
    "overdue": "st-returned",
    "done_on_time": "st-approved",
    "done_late": "t-late",
}
STEP_WORDS = {"acceptance": "thụ lý", "resolution": "giải quyết"}


# ---------------------------------------------------------------------------
# Scope and confidentiality


def cases_for_user(user) -> QuerySet[Case]:
    qs = Case.objects.all()
    if is_admin(user):
        return qs
    if not user.is_authenticated or not user.unit_id or user.role not in RECEIVER_ROLES:
        return qs.none()
    return qs.filter(in_user_subtree(user, "owner"))


def can_see_cases(user) -> bool:
    """Whether the register exists for this user at all (reporters: no, their pages are 404)."""
    return bool(is_admin(user) or (user.is_authenticated and user.unit_id and user.role in RECEIVER_ROLES))


def sees_identities(user) -> bool:
    """The inspectorate role, who receives and settles denunciations; nobody else, admins included."""
    return bool(user.is_authenticated and user.role == Role.INSPECTORATE)


def case_identity_visible(user, case: Case, *, kind: str | None = None) -> bool:
    """Whether `user` may see who sent `case` (of `kind`, default the case's own): always, except
    a denunciation for anyone but the inspectorate role."""
    if (kind or case.kind) != CaseKind.DENUNCIATION:
        return True
    return sees_identities(user)


# A denunciation's documents name its sender (the letter itself, its file name): a lookup through
# them is a lookup on the identity.
IDENTITY_PATHS = (*IDENTITY_FIELDS, "attachments")


def identity_lookup_allowed(user, lookup: str) -> bool:
    """Whether `user` may filter, search or order cases by `lookup` (a Django lookup path such as
    "submitter_name__icontains", or an ordering such as "-submitter_contact"). Only the inspectorate
    may use the identity: for anyone else a "1 result / 0 results" answer would spell it out."""
    root = lookup.lstrip("-").split("__", 1)[0]
    return root not in IDENTITY_PATHS or sees_identities(user)


def submitter_display(user, case: Case) -> tuple[str, str]:
    """(name, contact) as `user` may see them; the confidentiality notice otherwise."""
    if case_identity_visible(user, case):
        return case.submitter_name, case.submitter_contact
    # The same notice whether or not a name was given: an anonymous denunciation is not told apart.
    return IDENTITY_HIDDEN, ""


# ---------------------------------------------------------------------------
# Rules and deadlines


def case_limit_rules() -> tuple[limits.LimitRule, ...]:
    """The admin's TimeLimitRule rows (one query), or the defaults of BRIEF §4 when there are none."""
    rows = list(TimeLimitRule.objects.all())
    if not rows:
        return limits.DEFAULT_RULES
    return tuple(limits.LimitRule.from_model(row) for row in rows)


@dataclass(frozen=True)
class ExtensionRule:
    max_extensions: int
    max_days: int | None
    legal_basis: str


def _find(rules: Iterable[limits.LimitRule], kind: str, step: str, round: int) -> limits.LimitRule | None:
    fallback = None
    for rule in rules:
        if rule.kind == kind and rule.step == step:
            if rule.round == round:
                return rule
            if rule.round == 0:
                fallback = rule
    return fallback


def extension_rule(rules: Sequence[limits.LimitRule], *, kind: str, round: int = 1) -> ExtensionRule | None:
    """How often and by how much a kind's resolution limit may be extended: the count is the
    resolution rule's `max_extensions`, the longest single extension the extension rule's days."""
    resolution = _find(rules, kind, limits.RESOLUTION, round)
    if resolution is None:
        return None
    extension = _find(rules, kind, limits.EXTENSION, round)
    basis = extension.legal_basis if extension is not None else resolution.legal_basis
    return ExtensionRule(resolution.max_extensions, extension.days if extension is not None else None, basis)


@dataclass
class CaseRow:
    """A case as lists show it: its deadlines and where each step stands on `today`."""

    case: Case
    acceptance_deadline: date | None
    resolution_deadline: date | None
    lodging_deadline: date | None
    acceptance_status: str | None
    resolution_status: str | None
    today: date
    problem: str = ""  # a stored case the rules refuse (e.g. more extensions than the admin now allows)
    # Who sent it, as the reading user may see it (case_list fills them: see submitter_display).
    shown_name: str = ""
    shown_contact: str = ""

    @property
    def status_label(self) -> str:
        return self.case.get_status_display()

    @property
    def badge_class(self) -> str:
        return STATUS_BADGE.get(self.case.status, "st-none")

    @property
    def is_open(self) -> bool:
        return self.case.status in OPEN_STATUSES

    @property
    def is_overdue(self) -> bool:
        return "overdue" in (self.acceptance_status, self.resolution_status)

    @property
    def is_due_soon(self) -> bool:
        return not self.is_overdue and "due_soon" in (self.acceptance_status, self.resolution_status)

    @property
    def current_step(self) -> str | None:
        """The step the case is waiting for: acceptance while received, resolution once accepted."""
        if self.case.status == CaseStatus.RECEIVED and self.acceptance_deadline is not None:
            return "acceptance"
        if self.case.status in OPEN_STATUSES and self.resolution_deadline is not None:
            return "resolution"
        return None

    @property
    def current_deadline(self) -> date | None:
        step = self.current_step
        return getattr(self, f"{step}_deadline") if step else None

    @property
    def working_days_left(self) -> int | None:
        deadline = self.current_deadline
        return workdays.working_days_between(self.today, deadline) if deadline else None

    @property
    def alert(self) -> tuple[str, date, str] | None:
        """(step in words, deadline, "còn 2 ngày làm việc" / "quá hạn 3 ngày") for the step
        that is overdue or due soon, if any."""
        for step in ("acceptance", "resolution"):
            status = getattr(self, f"{step}_status")
            deadline = getattr(self, f"{step}_deadline")
            if status == "overdue":
                return STEP_WORDS[step], deadline, f"quá hạn {(self.today - deadline).days} ngày"
            if status == "due_soon":
                left = workdays.working_days_between(self.today, deadline)
                words = "hôm nay là hạn cuối" if left == 0 else f"còn {left} ngày làm việc"
                return STEP_WORDS[step], deadline, words
        return None

    def steps(self) -> list[dict]:
        """Acceptance and resolution, for the detail page and the API."""
        out = []
        for step in ("acceptance", "resolution"):
            status = getattr(self, f"{step}_status")
            out.append({
                "step": step, "label": STEP_WORDS[step], "deadline": getattr(self, f"{step}_deadline"),
                "status": status, "status_label": DEADLINE_LABELS.get(status, ""),
                "badge_class": DEADLINE_BADGE.get(status, ""),
            })
        return out


def _acceptance_done(case: Case) -> date | None:
    if case.accepted_on:
        return case.accepted_on
    if case.status in (CaseStatus.REFUSED, CaseStatus.FORWARDED):
        return case.resolved_on  # answered "refused" or "forwarded": the acceptance step is done
    return None


def case_row(case: Case, *, rules: Sequence[limits.LimitRule], today: date,
             extensions: Sequence[int] | None = None) -> CaseRow:
    """Deadlines and statuses of one case; `extensions` default to the case's own (prefetched)."""
    if extensions is None:
        extensions = [e.days for e in case.extensions.all()]
    problem = ""
    try:
        deadlines = limits.case_deadlines(
            kind=case.kind, round=case.complaint_round if case.kind == CaseKind.COMPLAINT else 1,
            received_on=case.received_on, accepted_on=case.accepted_on, is_complex=case.is_complex,
            is_remote=case.is_remote, extensions=list(extensions), rules=rules)
    except limits.LimitError as exc:
        deadlines, problem = dict.fromkeys(limits.DEADLINE_KEYS), str(exc)
    acceptance, resolution = deadlines["acceptance"], deadlines["resolution"]
    closed_unresolved = case.status in (CaseStatus.REFUSED, CaseStatus.FORWARDED)
    acceptance_status = limits.deadline_status(acceptance, today, _acceptance_done(case)) if acceptance else None
    resolution_status = None
    if resolution is not None and not closed_unresolved:
        done = case.resolved_on if case.status == CaseStatus.RESOLVED else None
        resolution_status = limits.deadline_status(resolution, today, done)
    return CaseRow(case=case, acceptance_deadline=acceptance, resolution_deadline=resolution,
                   lodging_deadline=deadlines["lodging"], acceptance_status=acceptance_status,
                   resolution_status=resolution_status, today=today, problem=problem)


def case_rows(cases: Iterable[Case] | QuerySet[Case], *, rules: Sequence[limits.LimitRule],
              today: date) -> list[CaseRow]:
    """Rows of `cases`; a queryset gets its extensions in one more query."""
    if isinstance(cases, QuerySet):
        cases = cases.prefetch_related(_extensions())
    return [case_row(c, rules=rules, today=today) for c in cases]


def _extensions() -> Prefetch:
    return Prefetch("extensions", queryset=CaseExtension.objects.order_by("decided_on", "id"))


# ---------------------------------------------------------------------------
# Lists and single reads


def _matches(case: Case, folded: str, *, with_identity: bool) -> bool:
    texts = [case.code, case.subject_org, case.summary, case.get_kind_display()]
    if with_identity:
        texts += [getattr(case, name) for name in IDENTITY_FIELDS]
    return any(folded in fold(t) for t in texts if t)


def case_list(*, user, kind: str | None = None, status: str | None = None, sector_id: int | None = None,
              officer_id: int | None = None, view: str | None = None, q: str = "",
              today: date | None = None) -> list[CaseRow]:
    """The user's cases with their deadlines. `view`: "due3" (an open case whose acceptance or
    resolution deadline is within 3 working days, today included, and not past) or "overdue" (an
    open case past one of them). `q` matches the number, the subject, the content (without
    accents: "buu chinh" finds "bưu chính"); the submitter's name and contact only for the
    inspectorate, whose search may find a denunciator: for everyone else those fields are not
    searched at all, whatever the kind. Newest first; the views soonest deadline first.

    Three queries whatever the number of cases: the rules, the cases, their extensions."""
    from baocao.core.clock import today_vn

    today = today or today_vn()
    qs = cases_for_user(user).select_related("owner", "sector", "officer", "assigned_unit")
    if kind:
        qs = qs.filter(kind=kind)
    if status:
        qs = qs.filter(status=status)
    if sector_id:
        qs = qs.filter(sector_id=sector_id)
    if officer_id:
        qs = qs.filter(officer_id=officer_id)
    if view in VIEWS:
        qs = qs.filter(status__in=OPEN_STATUSES)
    rows = case_rows(qs, rules=case_limit_rules(), today=today)
    if view == VIEW_OVERDUE:
        rows = [r for r in rows if r.is_overdue]
    elif view == VIEW_DUE3:
        rows = [r for r in rows if r.is_due_soon]
    folded = fold(q or "").strip()
    if folded:
        with_identity = all(identity_lookup_allowed(user, name) for name in IDENTITY_FIELDS)
        rows = [r for r in rows if _matches(r.case, folded, with_identity=with_identity)]
    if view in VIEWS:
        rows.sort(key=lambda r: (r.alert[1] if r.alert else date.max, r.case.pk))
    for row in rows:
        row.shown_name, row.shown_contact = submitter_display(user, row.case)
    return rows


def case_get_for_user(*, user, case_id: int) -> Case:
    case = (
        cases_for_user(user)
        .select_related("owner", "sector", "officer", "assigned_unit", "created_by")
        .prefetch_related(_extensions(), Prefetch(
            "attachments", queryset=CaseAttachment.objects.select_related("uploaded_by").order_by("uploaded_at", "id")))
        .filter(pk=case_id)
        .first()
    )
    if case is None:
        raise NotFound(CASE_NOT_FOUND)
    return case


def case_detail_row(case: Case, *, today: date | None = None) -> CaseRow:
    from baocao.core.clock import today_vn

    return case_row(case, rules=case_limit_rules(), today=today or today_vn())


def attachments_visible(user, case: Case) -> bool:
    """A denunciation's documents (the letter itself names its sender) follow its identity rule."""
    return case_identity_visible(user, case)


FIELD_LABELS = {
    "kind": "loại", "complaint_round": "lần khiếu nại", "code": "số hồ sơ", "received_on": "ngày nhận",
    "channel": "nguồn", "submitter_name": "người gửi", "submitter_contact": "liên hệ người gửi",
    "subject_org": "đối tượng", "sector": "lĩnh vực", "summary": "nội dung", "assigned_unit": "đơn vị được giao",
    "officer": "cán bộ thụ lý", "is_complex": "phức tạp", "is_remote": "vùng sâu, vùng xa", "note": "ghi chú",
    "accepted_on": "ngày thụ lý", "extension": "gia hạn", "status": "trạng thái", "resolved_on": "ngày giải quyết",
    "sanction_decisions": "số quyết định xử phạt", "sanction_amount": "số tiền xử phạt",
    "attachment": "tài liệu",
}


DATE_FIELDS = ("received_on", "accepted_on", "resolved_on")
HISTORY_VOCABULARY = HistoryVocabulary(
    field_labels=FIELD_LABELS,
    formatters={
        "kind": show_choice(dict(CaseKind.choices)), "channel": show_choice(dict(Channel.choices)),
        "status": show_choice(dict(CaseStatus.choices)),
        **dict.fromkeys(DATE_FIELDS, show_date),
        **dict.fromkeys(("complaint_round", "sanction_decisions", "sanction_amount"), show_number),
        **dict.fromkeys(("is_complex", "is_remote"), show_bool),
    },
)


def case_history(*, user, case: Case) -> list[HistoryEntry]:
    """The case's audit rows in words, oldest first. Services never write the submitter's
    identity into the log; as a second line of defence, those fields read CONFIDENTIAL_VALUE here
    for anyone who may not see the identity."""
    events = (AuditEvent.objects.filter(entity="case", entity_id=case.pk).select_related("actor")
              .order_by("at", "id"))
    hidden = () if case_identity_visible(user, case) else IDENTITY_FIELDS
    return describe_events(events, vocabulary=HISTORY_VOCABULARY, conceal=hidden, concealed_as=CONFIDENTIAL_VALUE)


def officers_for_user(user) -> QuerySet:
    """The users who may be named officer on the cases the user sees (for filters and forms)."""
    from baocao.accounts.models import User

    qs = User.objects.filter(is_active=True, role__in=[Role.INSPECTORATE, Role.ADMIN, Role.LEADER, Role.COMPILER])
    if is_admin(user):
        return qs.order_by("full_name", "username")
    if not can_see_cases(user):
        return qs.none()
    return qs.filter(in_user_subtree(user, "unit")).order_by("full_name", "username")
