"""Legal time limits of cases (BRIEF §4), computed from rules kept as data.

Pure Python: the rules come in as :class:`LimitRule` values, either :data:`DEFAULT_RULES` or the
admin-edited ``TimeLimitRule`` rows via :meth:`LimitRule.from_model`. Days are counted on Vietnam's
working-day calendar (:mod:`baocao.core.workdays`): the day of the event is not counted (Civil Code
2015 Art. 147(2)); a limit in calendar days whose last day is a day off ends on the next working day
(Art. 148(5)); a limit in working days always ends on a working day.

Steps, per kind of case:

* ``acceptance`` - accepting (thụ lý) a complaint, classifying a denunciation, answering a petition
  whether it is accepted, refused or forwarded; counted from receipt.
* ``resolution`` - resolving the case, counted from acceptance (for an inspection: from the
  announcement of the inspection decision, kept as ``accepted_on``). Decided extensions add to it.
* ``extension`` - not a deadline: ``days`` is the longest single extension. How many extensions
  are allowed is the resolution rule's ``max_extensions``.
* ``lodging`` - the complaint lodging limit (thời hiệu). The law counts it from the day the
  complainant received the decision or learnt of the act; this module counts it from the
  ``received_on`` it is given, so callers pass that date there to check a complaint was in time.
  Informational only: nothing of the case is due by it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal

from baocao.core import workdays

CALENDAR = "calendar"
WORKING = "working"
DAY_TYPES = (CALENDAR, WORKING)

FROM_RECEIVED = "received"
FROM_ACCEPTED = "accepted"
COUNTED_FROM = (FROM_RECEIVED, FROM_ACCEPTED)

ACCEPTANCE = "acceptance"
RESOLUTION = "resolution"
EXTENSION = "extension"
LODGING = "lodging"
STEPS = (ACCEPTANCE, RESOLUTION, EXTENSION, LODGING)
# The keys of case_deadlines(), in display order.
DEADLINE_KEYS = (ACCEPTANCE, RESOLUTION, LODGING)

KINDS = ("inspection", "check", "complaint", "denunciation", "petition", "misinformation")
KIND_LABELS = {
    "inspection": "thanh tra",
    "check": "kiểm tra",
    "complaint": "khiếu nại",
    "denunciation": "tố cáo",
    "petition": "kiến nghị, phản ánh",
    "misinformation": "thông tin sai sự thật",
}

# Dates outside these years are refused rather than counted on a calendar nobody knows.
MIN_YEAR = 1900
MAX_YEAR = 2999

# deadline_status(): a deadline this many working days away or fewer is "due soon".
DUE_SOON_WORKING_DAYS = 3

Status = Literal["ok", "due_soon", "overdue", "done_on_time", "done_late"]


class LimitError(ValueError):
    """Bad input to a time-limit computation; the message is Vietnamese, for the user."""


@dataclass(frozen=True)
class LimitRule:
    """One legal time limit, mirroring the ``TimeLimitRule`` model.

    ``days`` is the ordinary limit; ``complex_days``, ``remote_days`` and ``remote_complex_days`` the
    allowances for a complex case (for a denunciation's classification: one needing verification),
    a remote area, and both (None: no allowance). ``round`` is 1 or 2 for a first or second
    complaint, 0 for any round.
    """

    kind: str
    step: str
    round: int
    day_type: str
    days: int
    complex_days: int | None
    remote_days: int | None
    remote_complex_days: int | None
    counted_from: str
    max_extensions: int
    legal_basis: str

    def __post_init__(self) -> None:
        where = f"«{KIND_LABELS.get(self.kind, self.kind)} – {self.step}»"
        if self.kind not in KINDS:
            raise LimitError(f"Thời hạn có loại vụ việc không hợp lệ: «{self.kind}».")
        if self.step not in STEPS:
            raise LimitError(f"Thời hạn {where} có bước không hợp lệ.")
        if self.day_type not in DAY_TYPES:
            raise LimitError(f"Thời hạn {where}: cách tính phải là «calendar» hoặc «working».")
        if self.counted_from not in COUNTED_FROM:
            raise LimitError(f"Thời hạn {where}: «tính từ» phải là «received» (ngày nhận) hoặc «accepted» (ngày thụ lý).")
        if self.round not in (0, 1, 2):
            raise LimitError(f"Thời hạn {where}: lần giải quyết phải là 0 (mọi lần), 1 hoặc 2.")
        for value in (self.days, self.complex_days, self.remote_days, self.remote_complex_days, self.max_extensions):
            if value is not None and (not isinstance(value, int) or isinstance(value, bool) or value < 0):
                raise LimitError(f"Thời hạn {where}: số ngày và số lần gia hạn phải là số nguyên không âm.")

    @classmethod
    def from_model(cls, obj: Any) -> LimitRule:
        """A rule from a ``TimeLimitRule`` row (or anything with the same attributes)."""
        return cls(
            kind=obj.kind,
            step=obj.step,
            round=obj.round,
            day_type=obj.day_type,
            days=obj.days,
            complex_days=obj.complex_days,
            remote_days=obj.remote_days,
            remote_complex_days=obj.remote_complex_days,
            counted_from=obj.counted_from,
            max_extensions=obj.max_extensions,
            legal_basis=obj.legal_basis,
        )

    def days_for(self, *, is_complex: bool = False, is_remote: bool = False) -> int:
        """The number of days for a case: the most specific allowance that is set."""
        if is_complex and is_remote:
            if self.remote_complex_days is not None:
                return self.remote_complex_days
            allowances = [d for d in (self.complex_days, self.remote_days) if d is not None]
            return max(allowances, default=self.days)
        if is_complex and self.complex_days is not None:
            return self.complex_days
        if is_remote and self.remote_days is not None:
            return self.remote_days
        return self.days

    def end(self, start: date, days: int) -> date:
        """The last day of ``days`` counted from ``start`` with this rule's kind of days."""
        if self.day_type == WORKING:
            return workdays.add_working_days(start, days)
        return workdays.calendar_deadline(start, days)


def _rule(kind: str, step: str, days: int, *, round: int = 0, day_type: str = CALENDAR,
          complex_days: int | None = None, remote_days: int | None = None,
          remote_complex_days: int | None = None, counted_from: str = FROM_RECEIVED,
          max_extensions: int = 0, legal_basis: str) -> LimitRule:
    return LimitRule(kind, step, round, day_type, days, complex_days, remote_days, remote_complex_days,
                     counted_from, max_extensions, legal_basis)


# BRIEF §4 defaults. Copied as literals into migration cases/0002_default_time_limits; a test keeps
# the two equal. Checks and misinformation have no statutory limit, so no rule.
DEFAULT_RULES: tuple[LimitRule, ...] = (
    # Complaints (Law on Complaints 2011, no. 02/2011/QH13).
    _rule("complaint", ACCEPTANCE, 10, day_type=WORKING,
          legal_basis="Luật Khiếu nại 2011, Điều 27 (lần đầu) và Điều 36 (lần hai): thụ lý trong 10 ngày "
                      "kể từ ngày nhận khiếu nại; Nghị định 124/2020/NĐ-CP: tính theo ngày làm việc"),
    _rule("complaint", RESOLUTION, 30, round=1, complex_days=45, remote_days=45, remote_complex_days=60,
          counted_from=FROM_ACCEPTED,
          legal_basis="Luật Khiếu nại 2011, Điều 28: giải quyết lần đầu không quá 30 ngày kể từ ngày thụ lý "
                      "(phức tạp 45; vùng sâu, vùng xa 45; vùng sâu, vùng xa và phức tạp 60)"),
    _rule("complaint", RESOLUTION, 45, round=2, complex_days=60, remote_days=60, remote_complex_days=70,
          counted_from=FROM_ACCEPTED,
          legal_basis="Luật Khiếu nại 2011, Điều 37: giải quyết lần hai không quá 45 ngày kể từ ngày thụ lý "
                      "(phức tạp 60; vùng sâu, vùng xa 60; vùng sâu, vùng xa và phức tạp 70)"),
    _rule("complaint", LODGING, 90, round=1,
          legal_basis="Luật Khiếu nại 2011, Điều 9: thời hiệu khiếu nại 90 ngày kể từ ngày nhận được quyết định "
                      "hành chính hoặc biết được hành vi hành chính"),
    _rule("complaint", LODGING, 30, round=2, remote_days=45,
          legal_basis="Luật Khiếu nại 2011, Điều 33: khiếu nại lần hai trong 30 ngày kể từ ngày hết thời hạn "
                      "giải quyết hoặc nhận quyết định giải quyết lần đầu (vùng sâu, vùng xa không quá 45 ngày)"),
    # Denunciations (Law on Denunciations 2018, no. 25/2018/QH14).
    _rule("denunciation", ACCEPTANCE, 7, day_type=WORKING, complex_days=10,
          legal_basis="Luật Tố cáo 2018, Điều 24: vào sổ, phân loại, xử lý ban đầu trong 07 ngày làm việc kể từ "
                      "ngày nhận tố cáo; 10 ngày làm việc khi phải xác minh"),
    _rule("denunciation", RESOLUTION, 30, counted_from=FROM_ACCEPTED, max_extensions=2,
          legal_basis="Luật Tố cáo 2018, Điều 30: giải quyết không quá 30 ngày kể từ ngày thụ lý; vụ việc phức "
                      "tạp gia hạn một lần, đặc biệt phức tạp hai lần, mỗi lần không quá 30 ngày"),
    _rule("denunciation", EXTENSION, 30, counted_from=FROM_ACCEPTED, max_extensions=2,  # count: as resolution
          legal_basis="Luật Tố cáo 2018, Điều 30: mỗi lần gia hạn không quá 30 ngày, quyết định bằng văn bản"),
    # Petitions and reflections (Law on Citizen Reception 2013, no. 42/2013/QH13).
    _rule("petition", ACCEPTANCE, 10, day_type=WORKING,
          legal_basis="Luật Tiếp công dân 2013, Điều 28: trả lời việc thụ lý, không thụ lý hoặc chuyển đơn "
                      "trong 10 ngày làm việc kể từ ngày nhận kiến nghị, phản ánh"),
    # Inspections: the duration of an inspection held by a department inspectorate.
    _rule("inspection", RESOLUTION, 30, remote_days=45, counted_from=FROM_ACCEPTED,
          legal_basis="Luật Thanh tra 2010, Điều 45: cuộc thanh tra của Thanh tra sở không quá 30 ngày (miền núi, "
                      "vùng sâu, vùng xa 45 ngày) kể từ ngày công bố quyết định thanh tra; từ 01/7/2023 đối "
                      "chiếu Luật Thanh tra 2022"),
)


def find_rule(rules: Iterable[LimitRule], kind: str, step: str, round: int = 1) -> LimitRule | None:
    """The rule of (kind, step) for this round, else the one for any round (0), else None."""
    fallback = None
    for rule in rules:
        if rule.kind != kind or rule.step != step:
            continue
        if rule.round == round:
            return rule
        if rule.round == 0:
            fallback = rule
    return fallback


def _check_date(value: object, label: str) -> None:
    # datetime is a subclass of date; a deadline is a day, so refuse it.
    if not isinstance(value, date) or isinstance(value, datetime):
        raise LimitError(f"{label} phải là một ngày (năm-tháng-ngày).")
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        raise LimitError(f"{label} phải trong các năm {MIN_YEAR}-{MAX_YEAR}, nhận được {value:%d/%m/%Y}.")


def case_deadlines(
    *,
    kind: str,
    round: int = 1,
    received_on: date,
    accepted_on: date | None = None,
    is_complex: bool = False,
    is_remote: bool = False,
    extensions: Sequence[int] = (),
    rules: Sequence[LimitRule] = DEFAULT_RULES,
) -> dict[str, date | None]:
    """The deadlines of a case: ``{"acceptance", "resolution", "lodging"}`` -> date or None.

    None when the kind has no rule for the step, or when the step counts from an acceptance that
    has not happened yet. ``extensions`` are the days of each decided extension, in order; they add
    to the resolution limit and must respect the resolution rule's ``max_extensions`` and the
    extension rule's longest single extension (Law on Denunciations 2018 Art. 30). Whether the case
    was complex enough to extend is the decision-maker's call, recorded in the written decision, so
    it is not checked here. Raises :class:`LimitError` on bad input.
    """
    if kind not in KINDS:
        raise LimitError(f"Loại vụ việc không hợp lệ: «{kind}». Các loại: {', '.join(KINDS)}.")
    if round not in (1, 2) or isinstance(round, bool):
        raise LimitError(f"Lần giải quyết phải là 1 hoặc 2, nhận được «{round}».")
    if round == 2 and kind != "complaint":
        raise LimitError("Chỉ khiếu nại mới có giải quyết lần hai.")
    _check_date(received_on, "Ngày nhận")
    if accepted_on is not None:
        _check_date(accepted_on, "Ngày thụ lý")
        if accepted_on < received_on:
            raise LimitError(
                f"Ngày thụ lý ({accepted_on:%d/%m/%Y}) không được trước ngày nhận ({received_on:%d/%m/%Y})."
            )

    resolution_rule = find_rule(rules, kind, RESOLUTION, round)
    _check_extensions(kind, resolution_rule, find_rule(rules, kind, EXTENSION, round), extensions)

    starts = {FROM_RECEIVED: received_on, FROM_ACCEPTED: accepted_on}
    result: dict[str, date | None] = {}
    for step in DEADLINE_KEYS:
        rule = resolution_rule if step == RESOLUTION else find_rule(rules, kind, step, round)
        start = starts[rule.counted_from] if rule is not None else None
        if rule is None or start is None:
            result[step] = None
            continue
        days = rule.days_for(is_complex=is_complex, is_remote=is_remote)
        if step == RESOLUTION:
            # An extension lengthens the time limit itself; Art. 148(5) applies to the end of it.
            days += sum(extensions)
        result[step] = rule.end(start, days)
    return result


def _check_extensions(kind: str, rule: LimitRule | None, extension_rule: LimitRule | None,
                      extensions: Sequence[int]) -> None:
    if isinstance(extensions, (str, bytes)):
        raise LimitError("Số ngày gia hạn phải là một danh sách số nguyên.")
    for days in extensions:
        if not isinstance(days, int) or isinstance(days, bool) or days <= 0:
            raise LimitError(f"Số ngày gia hạn phải là số nguyên dương, nhận được «{days}».")
    if not extensions:
        return
    allowed = rule.max_extensions if rule is not None else 0
    if allowed == 0:
        raise LimitError(f"Thời hạn giải quyết {KIND_LABELS[kind]} không được gia hạn.")
    basis = f" ({rule.legal_basis})" if rule is not None and rule.legal_basis else ""
    if len(extensions) > allowed:
        raise LimitError(
            f"Thời hạn giải quyết {KIND_LABELS[kind]} chỉ được gia hạn tối đa {allowed} lần, "
            f"đã nhập {len(extensions)} lần{basis}."
        )
    if extension_rule is not None:
        longest = max(extensions)
        if longest > extension_rule.days:
            raise LimitError(
                f"Mỗi lần gia hạn không quá {extension_rule.days} ngày, đã nhập {longest} ngày "
                f"({extension_rule.legal_basis})."
            )


def deadline_status(deadline: date | None, today: date, done_on: date | None = None) -> Status:
    """Where a step stands against its deadline.

    ``done_on_time``/``done_late`` once the step is done (``done_on``), else ``overdue`` after the
    deadline, ``due_soon`` when at most 3 working days remain (the deadline day counts), else ``ok``.
    Without a deadline a step is never late.
    """
    if done_on is not None:
        return "done_late" if deadline is not None and done_on > deadline else "done_on_time"
    if deadline is None:
        return "ok"
    if today > deadline:
        return "overdue"
    if workdays.working_days_between(today, deadline) <= DUE_SOON_WORKING_DAYS:
        return "due_soon"
    return "ok"
