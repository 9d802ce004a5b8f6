"""Bulk import of values for many units and periods: validate everything, then write everything.

`bulk_import` checks every row before writing any (a fixed number of queries, whatever the number
of rows), and writes nothing when any row is in conflict. The rows are read column by column: the
reports they name are resolved once per distinct (regime, period, unit), and the per-row loop is
dict and set lookups plus, for the common plain whole number, `str.isdigit`.

Writing is one transaction: missing drafts are created in one statement; values go in through the
fastest path of the database (SQLite: one executemany, a plain INSERT for new drafts and an upsert
for stored ones; PostgreSQL: COPY straight into the table for new drafts, COPY into a temporary
table then one upsert for stored ones), and each touched report gets its version bumped and ONE
audit row summarising the import. One audit row per value would be millions of rows for a
migration and would cost more than the import itself; the per-value history of a report starts
again with its next edit in the form.
"""

from __future__ import annotations

import gc
import math
import re
from collections.abc import Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from itertools import count, repeat
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from baocao.accounts.choices import Role
from baocao.accounts.roles import is_admin
from baocao.audit.actions import AuditAction
from baocao.audit.models import AuditEvent
from baocao.core.errors import AppError, PermissionDeniedError
from baocao.core.text import clean_text
from baocao.core.vietnamese import format_number
from baocao.exchange.dhis2 import period_from_dhis2
from baocao.exchange.rows import STRATEGIES, ImportSummary, ValueRow
from baocao.orgunits.models import OrgUnit
from baocao.orgunits.scope import units_for_user
from baocao.reporting.choices import FormVersionStatus, ValueType
from baocao.reporting.models import FormVersion, Indicator, NarrativeField
from baocao.reporting.periods import PeriodError
from baocao.reporting.selectors import regime_period, regimes_for_user
from baocao.submissions.choices import EDITABLE_STATUSES, SubmissionStatus
from baocao.submissions.models import Submission
from baocao.submissions.selectors import expected_unit_ids
from baocao.submissions.services import MAX_NARRATIVE_LENGTH
from baocao.submissions.validation import ValueProblem, parse_indicator_value

STATUS_LABELS = dict(SubmissionStatus.choices)
# Machine formats write numbers with a dot for decimals: "1.234" is one point two three four,
# not the Vietnamese 1.234 (a thousand). Anything else goes to the form's lenient parser.
_PLAIN_NUMBER = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")
_LIMIT = 10**17
_CHUNK = 900
NULL = "\\N"
_NUMERIC = (ValueType.INTEGER, ValueType.DECIMAL, ValueType.PERCENT)
# A value's number as a database parameter: the int of a plain whole number, the text of a parsed
# Decimal, or None. (Decimal is listed because mypy does not narrow a walrus target inside a
# chained comparison, python/mypy#19430; the importer never passes one.)
_DbNumber = int | Decimal | str | None


class _Spec:
    """What validation needs of an indicator, without an ORM object per row. `low`..`high` are
    the whole numbers a plain string of digits may take without the general parser."""

    __slots__ = ("id", "code", "value_type", "min_value", "max_value", "plain", "low", "high")
    id: int
    code: str
    value_type: str
    min_value: Decimal | None
    max_value: Decimal | None
    plain: bool
    low: int
    high: int

    def __init__(self, id: int, code: str, value_type: str, min_value: Decimal | None, max_value: Decimal | None):
        self.id, self.code, self.value_type = id, code, value_type
        self.min_value, self.max_value = min_value, max_value
        self.plain = value_type in _NUMERIC
        self.low = 0 if min_value is None else max(0, math.ceil(min_value))
        self.high = _LIMIT - 1 if max_value is None else min(math.floor(max_value), _LIMIT - 1)


class _Report:
    """One unit's report named by the file: the stored one or a draft to create, what the rows do
    to it, or (`problem`) why every row naming it is refused."""

    __slots__ = ("problem", "sub_id", "regime_id", "period", "unit_id", "unit_name", "form_version_id",
                 "version", "specs", "fields", "stored", "stored_texts", "imported", "updated", "deleted",
                 "seen", "writes", "changes", "text_writes", "deletes", "text_deletes", "created")
    problem: str | None
    sub_id: int | None  # None until the draft is created
    # Set by `_reports` on a report without a problem (the only ones whose rows are read further).
    regime_id: int
    period: str
    unit_id: int
    unit_name: str
    form_version_id: int
    version: int
    specs: dict[str, _Spec]  # indicator code -> spec
    fields: dict[str, int]  # narrative field code -> id
    stored: dict[int, tuple[int, Decimal | int | None, str]]  # indicator id -> (value id, number, text)
    stored_texts: dict[int, tuple[int, str]]  # field id -> (narrative id, text)
    imported: int
    updated: int
    deleted: int
    seen: set[str]  # codes met so far: a second row for one is a duplicate
    writes: list[tuple[int, _DbNumber, str]]  # new values: (indicator id, number, text)
    changes: list[tuple[int, _DbNumber, str]]  # stored values changed: (value id, number, text)
    text_writes: list[tuple[int, str]]  # (field id, text)
    deletes: list[int]  # value ids
    text_deletes: list[int]  # narrative ids
    created: bool

    def __init__(self, problem: str | None = None):
        self.problem = problem
        self.sub_id = None
        self.created = False
        self.seen = set()
        self.stored = {}
        self.stored_texts = {}
        self.imported = self.updated = self.deleted = 0
        self.writes = []
        self.changes = []
        self.text_writes = []
        self.deletes = []
        self.text_deletes = []


def can_bulk_import(user) -> bool:
    return bool(user.is_authenticated and (is_admin(user) or user.role in (Role.REPORTER, Role.COMPILER)))


@dataclass(frozen=True)
class _UnitHolder:
    pk: int
    name: str
    valid_from: date | None
    valid_to: date | None


def _writable_units(user, codes: set[str]) -> dict[str, list[_UnitHolder]]:
    """Units the user may load data for, by code: admin any; reporter their own; compiler the units
    that report to regimes their unit receives (and their subtree). A code may have been held by
    several units one after another (a commune formed on 1 July 2025 keeps a predecessor's code);
    `_holder_in` picks the one of a period."""
    qs = OrgUnit.objects.all() if is_admin(user) else units_for_user(user)
    if user.role == Role.REPORTER and not is_admin(user):
        qs = qs.filter(pk=user.unit_id)
    holders: dict[str, list[_UnitHolder]] = {}
    for pk, code, name, valid_from, valid_to in qs.filter(code__in=codes).values_list(
            "pk", "code", "name", "valid_from", "valid_to"):
        holders.setdefault(code, []).append(_UnitHolder(pk, name, valid_from, valid_to))
    return holders


def _holder_in(holders: list[_UnitHolder], start: date, end: date) -> _UnitHolder | None:
    """The unit that held a code during [start, end], the latest to take it."""
    during = [h for h in holders if (h.valid_from is None or h.valid_from <= end)
              and (h.valid_to is None or h.valid_to >= start)]
    return max(during, key=lambda h: (h.valid_from or date.min, h.pk), default=None)


def bulk_import(*, rows: Sequence[ValueRow] | Sequence[tuple], acting_user, dry_run: bool = False,
                strategy: str = "CREATE_AND_UPDATE", regime: str | None = None, first_row: int = 1,
                lines: Sequence[int] | None = None) -> ImportSummary:
    """Import `rows` for `acting_user`; a dry run validates and counts but writes nothing.

    Strategies follow DHIS2: CREATE_AND_UPDATE writes everything; CREATE ignores values that
    exist; UPDATE ignores values that do not; DELETE removes the listed values. An empty value
    deletes a stored one (except under CREATE). `regime` applies to rows that name none (DHIS2)
    and makes rows naming another regime a conflict. Conflicts name the file's row: `first_row`
    onwards, or `lines[i]` for rows[i] when the reader skipped blank lines.
    """
    strategy = (strategy or "CREATE_AND_UPDATE").strip().upper()
    if strategy not in STRATEGIES:
        raise AppError(f"Chiến lược nhập «{strategy}» không hợp lệ (dùng: {', '.join(STRATEGIES)}).",
                       {"strategy": strategy})
    if not can_bulk_import(acting_user):
        raise PermissionDeniedError("Bạn không có quyền nhập số liệu hàng loạt.")
    with transaction.atomic(), gc_paused():
        summary = _run(rows, acting_user, dry_run, strategy, regime, first_row)
    if lines is not None:
        for item in summary.conflicts:
            item["row"] = lines[item["row"] - first_row]
    return summary


@contextmanager
def gc_paused():
    """Hundreds of thousands of small tuples would trigger the cyclic collector again and again,
    each pass walking every tuple made so far; they hold no cycles, so it runs once at the end."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _run(rows, user, dry_run, strategy, default_regime, first_row) -> ImportSummary:
    summary = ImportSummary(dry_run=dry_run)
    if not rows:
        return summary
    columns: list[Sequence[Any]] = list(zip(*rows))  # noqa: B905 (rows of one reader share a width)
    regime_col, period_col, unit_col, codes, values = columns[:5]
    comments = columns[5] if len(columns) > 5 else repeat(None)
    default_regime = (default_regime or "").strip()
    if default_regime:
        regime_col = [r or default_regime for r in regime_col]
    keys = list(zip(regime_col, period_col, unit_col, strict=True))
    by_key = _reports(user, set(keys), default_regime, lock=not dry_run)
    reports = list(map(by_key.__getitem__, keys))

    def conflict(n: int, code: str, reason: str) -> None:
        """Row n is refused; the message names its unit and period as the file wrote them."""
        _, raw_period, unit_code = keys[n - first_row]
        summary.conflict(n, reason, unit=unit_code, code=code, period=raw_period)

    deleting = strategy == "DELETE"
    creating = strategy in ("CREATE_AND_UPDATE", "CREATE")
    updating = strategy in ("CREATE_AND_UPDATE", "UPDATE")
    keep_on_empty = strategy == "CREATE"
    ignored = unchanged = 0
    number: int | Decimal | None  # a plain whole number, or what the parser made of the value
    param: _DbNumber  # the number as written to the database
    for n, report, code, raw, comment in zip(count(first_row), reports, codes, values, comments):
        if report.problem is not None:
            conflict(n, code, report.problem)
            continue
        seen = report.seen
        if code in seen:
            conflict(n, code, f"Trùng dòng: chỉ tiêu «{code}» của đơn vị «{keys[n - first_row][2]}» kỳ "
                              f"{report.period} đã có ở dòng trước.")
            continue
        seen.add(code)
        spec = report.specs.get(code)
        if spec is None:
            outcome = _narrative_row(report, code, raw, comment, deleting, creating, updating, keep_on_empty)
            if outcome is _IGNORED:
                ignored += 1
            elif outcome is _UNCHANGED:
                unchanged += 1
            elif outcome is not None:
                conflict(n, code, outcome)
            continue
        stored = report.stored.get(spec.id)
        if deleting:
            if stored is None:
                ignored += 1
            else:
                report.deletes.append(stored[0])
                report.deleted += 1
            continue
        # The common case, a whole number written plainly, without the general parser.
        if spec.plain and type(raw) is str and raw.isdigit() and raw.isascii() and spec.low <= (
                number := int(raw)) <= spec.high:
            param, text = number, ""
        else:
            try:
                number, text = _parse(spec, raw)
            except ValueProblem as exc:
                conflict(n, code, f"Chỉ tiêu «{code}»: {exc}")
                continue
            if number is None and text == "":
                if stored is None or keep_on_empty:
                    ignored += 1
                else:
                    report.deletes.append(stored[0])
                    report.deleted += 1
                continue
            param = None if number is None else _number_text(number)
        if stored is None:
            if creating:
                report.writes.append((spec.id, param, text))
                report.imported += 1
            else:
                ignored += 1
        elif not updating:
            ignored += 1
        elif stored[1] == number and stored[2] == text:
            unchanged += 1
        else:
            report.changes.append((stored[0], param, text))
            report.updated += 1

    touched = [r for r in {id(r): r for r in by_key.values()}.values()
               if r.problem is None and (r.imported or r.updated or r.deleted)]
    summary.ignored, summary.unchanged = ignored, unchanged
    for report in touched:
        summary.imported += report.imported
        summary.updated += report.updated
        summary.deleted += report.deleted
    if summary.conflicts or dry_run or not touched:
        return summary
    _write(user, touched)
    summary.written = True
    return summary


_IGNORED, _UNCHANGED = object(), object()


def _narrative_row(report: _Report, code, raw, comment, deleting, creating, updating, keep_on_empty):
    """One row naming a narrative field: None when it is written or deleted, _IGNORED,
    _UNCHANGED, or the Vietnamese reason of a conflict."""
    field_id = report.fields.get(code)
    if field_id is None:
        return f"Mã «{code}» không có trong biểu mẫu của báo cáo."
    stored = report.stored_texts.get(field_id)
    if deleting:
        if stored is None:
            return _IGNORED
        report.text_deletes.append(stored[0])
        report.deleted += 1
        return None
    text = raw if raw not in (None, "") else (comment or "")
    if not isinstance(text, str):
        text = str(text)
    text = clean_text(text)  # every reader's text goes through here: line breaks, control characters
    if len(text) > MAX_NARRATIVE_LENGTH:
        return f"Nội dung «{code}» dài quá {format_number(MAX_NARRATIVE_LENGTH)} ký tự."
    if not text:
        if stored is None or keep_on_empty:
            return _IGNORED
        report.text_deletes.append(stored[0])
        report.deleted += 1
        return None
    if stored is None:
        if not creating:
            return _IGNORED
        report.imported += 1
    else:
        if not updating:
            return _IGNORED
        if stored[1] == text:
            return _UNCHANGED
        report.updated += 1
    report.text_writes.append((field_id, text))
    return None


def _parse(spec: _Spec, raw) -> tuple[Decimal | None, str]:
    if raw is None or raw == "":
        return None, ""
    if type(raw) is str:
        raw = clean_text(raw)
    if type(raw) is str and spec.plain and _PLAIN_NUMBER.fullmatch(raw.strip()):
        try:
            raw = Decimal(raw.strip())
        except InvalidOperation:
            pass
    parsed = parse_indicator_value(spec, raw)
    return parsed.number, parsed.text


def _reports(user, keys: set[tuple[str, str, str]], default_regime: str, *,
             lock: bool) -> dict[tuple[str, str, str], _Report]:
    """A _Report for each (regime, period as written, unit code) of the file, in a fixed number of
    queries; spellings of one period (202206, 2022M06) share one report."""
    regime_codes = {k[0] for k in keys}
    regimes = {r.code: r for r in regimes_for_user(user).select_related("form").filter(code__in=regime_codes)}
    units = _writable_units(user, {k[2] for k in keys})
    periods: dict[tuple[str, str], str | Exception] = {}
    windows: dict[tuple[str, str], tuple[date, date]] = {}
    for regime_code, raw in {(k[0], k[1]) for k in keys}:
        regime = regimes.get(regime_code)
        if regime is None:
            continue
        try:
            rp = regime_period(regime, period_from_dhis2(raw))
            periods[(regime_code, raw)] = rp.code
            windows[(regime_code, raw)] = (rp.window_start, rp.window_end)
        except (PeriodError, AppError) as exc:
            periods[(regime_code, raw)] = exc
    sub_qs = Submission.objects.filter(regime_id__in={r.pk for r in regimes.values()},
                                       period__in={p for p in periods.values() if isinstance(p, str)},
                                       unit_id__in={h.pk for held in units.values() for h in held})
    if lock and connection.features.has_select_for_update:
        sub_qs = sub_qs.select_for_update()
    existing = {
        (s[1], s[2], s[3]): s
        for s in sub_qs.values_list("id", "regime_id", "period", "unit_id", "status", "version", "form_version_id")
    }
    current_versions: dict[int, int] = {}
    for fv_id, form_id in (FormVersion.objects.filter(form_id__in={r.form_id for r in regimes.values()},
                                                      status=FormVersionStatus.PUBLISHED)
                           .order_by("form_id", "-number").values_list("id", "form_id")):
        current_versions.setdefault(form_id, fv_id)
    fv_ids = set(current_versions.values()) | {s[6] for s in existing.values()}
    specs: dict[int, dict[str, _Spec]] = {fv: {} for fv in fv_ids}
    for pk, fv, code, vt, lo, hi in Indicator.objects.filter(form_version_id__in=fv_ids).values_list(
            "id", "form_version_id", "code", "value_type", "min_value", "max_value"):
        specs[fv][code] = _Spec(pk, code, vt, lo, hi)
    fields: dict[int, dict[str, int]] = {fv: {} for fv in fv_ids}
    for pk, fv, code in NarrativeField.objects.filter(form_version_id__in=fv_ids).values_list(
            "id", "form_version_id", "code"):
        fields[fv][code] = pk
    expected: dict[tuple[int, str], set[int]] = {}
    targets: dict[tuple[int, str, int], _Report] = {}

    def resolve(regime_code: str, raw_period: str, unit_code: str) -> _Report:
        if default_regime and regime_code != default_regime:
            return _Report(f"Dòng thuộc chế độ báo cáo «{regime_code}», khác chế độ đang nhập «{default_regime}».")
        if not regime_code:
            return _Report("Chưa chọn chế độ báo cáo (tệp DHIS2 cần dataSet hoặc tham số regime).")
        regime = regimes.get(regime_code)
        if regime is None:
            return _Report(f"Không tìm thấy chế độ báo cáo «{regime_code}» hoặc ngoài phạm vi của bạn.")
        period = periods[(regime_code, raw_period)]
        if isinstance(period, Exception):
            return _Report(str(period))
        unit = _holder_in(units.get(unit_code, []), *windows[(regime_code, raw_period)])
        if unit is None:
            return _Report(f"Không tìm thấy đơn vị «{unit_code}» hoặc đơn vị ngoài phạm vi của bạn.")
        target = (regime.pk, period, unit.pk)
        if target in targets:
            return targets[target]
        sub_id: int | None
        sub = existing.get(target)
        if sub is not None:
            if sub[4] not in EDITABLE_STATUSES:
                return _Report(f"Báo cáo của «{unit.name}» kỳ {period} đang ở trạng thái «{STATUS_LABELS[sub[4]]}» "
                               "nên không sửa được.")
            fv, sub_id, version = sub[6], sub[0], sub[5]
        else:
            current = current_versions.get(regime.form_id)
            if current is None:
                return _Report(f"Biểu mẫu của chế độ «{regime_code}» chưa có phiên bản đã ban hành.")
            fv, sub_id, version = current, None, 0
            if (regime.pk, period) not in expected:
                expected[(regime.pk, period)] = expected_unit_ids(
                    regime=regime, day=regime_period(regime, period).window_end)
            if unit.pk not in expected[(regime.pk, period)]:
                return _Report(f"Đơn vị «{unit.name}» không thuộc danh sách đơn vị báo cáo của «{regime_code}» kỳ "
                               f"{period}.")
        report = targets[target] = _Report()
        report.sub_id, report.version, report.form_version_id = sub_id, version, fv
        report.regime_id, report.period, report.unit_id, report.unit_name = regime.pk, period, unit.pk, unit.name
        report.specs, report.fields = specs[fv], fields[fv]
        return report

    result = {key: resolve(*key) for key in keys}
    _load_stored({r.sub_id: r for r in targets.values() if r.sub_id is not None})
    return result


def _load_stored(by_id: dict[int, _Report]) -> None:
    """The stored values and texts of the reports the file touches, read without the ORM (a
    Decimal converter per value costs more than the rest of validation)."""
    with connection.cursor() as cursor:
        for chunk in _chunks(list(by_id)):
            marks = ", ".join(["%s"] * len(chunk))
            values_sql = f"SELECT submission_id, indicator_id, id, number, text FROM submissions_submissionvalue WHERE submission_id IN ({marks})"  # noqa: E501, S608
            texts_sql = f"SELECT submission_id, field_id, id, text FROM submissions_submissionnarrative WHERE submission_id IN ({marks})"  # noqa: E501, S608
            cursor.execute(values_sql, chunk)
            for sid, iid, pk, number, text in cursor.fetchall():
                if type(number) is float:  # SQLite keeps non-integral numerics as REAL
                    number = Decimal(repr(number))
                by_id[sid].stored[iid] = (pk, number, text)
            cursor.execute(texts_sql, chunk)
            for sid, fid, pk, text in cursor.fetchall():
                by_id[sid].stored_texts[fid] = (pk, text)


def _number_text(number) -> str:
    if type(number) is int:
        return str(number)
    return format(number.normalize(), "f") if number == number.to_integral_value() else format(number, "f")


def _chunks(items: list, size: int = _CHUNK):
    for i in range(0, len(items), size):
        yield items[i:i + size]


def _write(user, touched: list[_Report]) -> None:
    now = timezone.now()
    new = [r for r in touched if r.sub_id is None]
    if new:
        _create_drafts(new, now)
        for report in new:
            report.created = True
    for report in touched:
        report.version += 1
    stamp = connection.ops.adapt_datetimefield_value(now)
    postgres = connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        for table, ids in (("submissions_submissionvalue", [pk for r in touched for pk in r.deletes]),
                           ("submissions_submissionnarrative", [pk for r in touched for pk in r.text_deletes])):
            for chunk in _chunks(ids):
                cursor.execute(f"DELETE FROM {table} WHERE id IN ({', '.join(['%s'] * len(chunk))})",  # noqa: S608
                               chunk)
        # New values are plain inserts and changed ones updates by id: the drafts are locked (or, on
        # SQLite, the database is), so no one else adds a value to them meanwhile.
        if postgres:
            _copy_values(cursor.cursor, touched, now)
        else:
            inserts = [(r.sub_id, iid, number, text, r.version, stamp) for r in touched for iid, number, text in r.writes]
            if inserts:
                cursor.executemany("INSERT INTO submissions_submissionvalue (submission_id, indicator_id, number, text,"
                                   " changed_version, changed_at) VALUES (%s, %s, %s, %s, %s, %s)", inserts)
            updates = [(number, text, r.version, stamp, pk) for r in touched for pk, number, text in r.changes]
            if updates:
                cursor.executemany("UPDATE submissions_submissionvalue SET number = %s, text = %s, changed_version = %s,"
                                   " changed_at = %s WHERE id = %s", updates)
        texts = [(r.sub_id, fid, text, r.version, stamp) for r in touched for fid, text in r.text_writes]
        if texts:
            cursor.executemany(
                "INSERT INTO submissions_submissionnarrative (submission_id, field_id, text, changed_version, changed_at)"
                " VALUES (%s, %s, %s, %s, %s) ON CONFLICT (submission_id, field_id) DO UPDATE SET"
                " text = excluded.text, changed_version = excluded.changed_version, changed_at = excluded.changed_at",
                texts)
        bumped = [(r.version, stamp, r.sub_id) for r in touched if not r.created]
        if bumped:
            cursor.executemany("UPDATE submissions_submission SET version = %s, updated_at = %s"
                               " WHERE id = %s", bumped)
    _insert(AuditEvent(actor=user, action=AuditAction.EXCHANGE_IMPORT, entity="submission", at=now),
            ("entity_id", "unit_id", "new_value", "comment"),
            [(r.sub_id, r.unit_id, str(r.version),
              f"Nhập hàng loạt: {r.imported} giá trị mới, {r.updated} cập nhật, {r.deleted} xóa"
              + ("; tạo báo cáo nháp." if r.created else "."))
             for r in touched])


def _create_drafts(reports: list[_Report], now) -> None:
    template = Submission(status=SubmissionStatus.DRAFT, version=1, created_at=now, updated_at=now)
    by_target = {(r.regime_id, r.period, r.unit_id): r for r in reports}
    created = _insert(template, ("regime_id", "period", "unit_id", "form_version_id"),
                      [(r.regime_id, r.period, r.unit_id, r.form_version_id) for r in reports],
                      returning=("id", "regime_id", "period", "unit_id"))
    for pk, regime_id, period, unit_id in created:
        by_target[(regime_id, period, unit_id)].sub_id = pk


def _insert(template, varying: tuple[str, ...], rows: list[tuple], returning: tuple[str, ...] = ()) -> list[tuple]:
    """Insert rows of `template`'s model that differ from `template` only in the `varying`
    attributes, in multi-row INSERTs (RETURNING the given columns). The ORM's bulk_create prepares
    every field of every object in Python, which for thousands of drafts and audit rows costs more
    than their values do."""
    fields = [f for f in template._meta.concrete_fields if not f.primary_key]
    base = [f.get_db_prep_save(f.pre_save(template, True) if f.attname not in varying else None, connection)
            for f in fields]
    slots = [[f.attname for f in fields].index(name) for name in varying]
    quote = connection.ops.quote_name
    head = f"INSERT INTO {quote(template._meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) VALUES "  # noqa: S608
    tail = f" RETURNING {', '.join(quote(c) for c in returning)}" if returning else ""
    marks = "(" + ", ".join(["%s"] * len(fields)) + ")"
    out: list[tuple] = []
    with connection.cursor() as cursor:
        for chunk in _chunks(rows, 30000 // len(fields)):
            params: list = []
            for values in chunk:
                row = list(base)
                for slot, value in zip(slots, values, strict=True):
                    row[slot] = value
                params += row
            cursor.execute(head + ", ".join([marks] * len(chunk)) + tail, params)
            if returning:
                out += cursor.fetchall()
    return out


def _copy_values(raw_cursor, reports: list[_Report], now) -> None:
    """PostgreSQL: COPY new values straight into the table; changed ones into a temporary table,
    then one UPDATE joined on the value id (which fires no foreign-key trigger)."""
    stamp = now.isoformat()
    columns = "(submission_id, indicator_id, number, text, changed_version, changed_at)"
    if any(r.writes for r in reports):
        with raw_cursor.copy(f"COPY submissions_submissionvalue {columns} FROM STDIN") as copy:
            for r in reports:
                if r.writes:
                    head, tail = f"{r.sub_id}\t", f"\t{r.version}\t{stamp}\n"
                    copy.write("".join([f"{head}{iid}\t{NULL if number is None else number}\t"
                                        f"{_copy_escape(text) if text else ''}{tail}" for iid, number, text in r.writes]))
    if any(r.changes for r in reports):
        raw_cursor.execute("CREATE TEMP TABLE exchange_changes (id bigint, number numeric, text text,"
                           " changed_version integer) ON COMMIT DROP")
        with raw_cursor.copy("COPY exchange_changes FROM STDIN") as copy:
            for r in reports:
                if r.changes:
                    tail = f"\t{r.version}\n"
                    copy.write("".join([f"{pk}\t{NULL if number is None else number}\t"
                                        f"{_copy_escape(text) if text else ''}{tail}" for pk, number, text in r.changes]))
        raw_cursor.execute("UPDATE submissions_submissionvalue AS v SET number = c.number, text = c.text,"
                           " changed_version = c.changed_version, changed_at = %s FROM exchange_changes AS c"
                           " WHERE v.id = c.id", (now,))
        raw_cursor.execute("DROP TABLE exchange_changes")


def _copy_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
