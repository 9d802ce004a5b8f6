"""Bulk import of values for many units and periods: validate everything, then write everything.

`bulk_import` checks every row before writing any (a fixed number of queries, whatever the number
of rows), and writes nothing when any row is in conflict. Writing is one transaction: missing
drafts are created in one statement, values go in through the fastest path of the database
(SQLite: one executemany upsert; PostgreSQL: COPY into a temporary table, then one upsert), and
each touched report gets its version bumped and ONE audit row summarising the import. One audit
row per value would be millions of rows for a migration and would cost more than the import
itself; the per-value history of a report starts again with its next edit in the form.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Sequence
from contextlib import contextmanager
from decimal import Decimal, InvalidOperation

from django.db import connection, transaction
from django.utils import timezone

from baocao.accounts.choices import Role
from baocao.accounts.scope import is_admin, regimes_for_user, units_for_user
from baocao.audit.models import AuditEvent
from baocao.core.errors import AppError, PermissionDeniedError
from baocao.core.vietnamese import format_number
from baocao.exchange.dhis2 import period_from_dhis2
from baocao.exchange.rows import STRATEGIES, ImportSummary, ValueRow
from baocao.orgunits.models import OrgUnit
from baocao.reporting.choices import FormVersionStatus, ValueType
from baocao.reporting.models import FormVersion, Indicator, NarrativeField
from baocao.reporting.periods import PeriodError
from baocao.reporting.selectors import regime_period
from baocao.submissions.choices import EDITABLE_STATUSES, SubmissionStatus
from baocao.submissions.models import Submission, SubmissionNarrative, SubmissionValue
from baocao.submissions.selectors import expected_unit_ids
from baocao.submissions.services import MAX_NARRATIVE_LENGTH
from baocao.submissions.validation import ValueProblem, parse_indicator_value

STATUS_LABELS = dict(SubmissionStatus.choices)
# Machine formats write numbers with a dot for decimals: "1.234" is one point two three four,
# not the Vietnamese 1.234 (a thousand). Anything else goes to the form's lenient parser.
_PLAIN_NUMBER = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")
_LIMIT = Decimal(10) ** 17
_CHUNK = 900
NULL = "\\N"


class _Spec:
    """What validation needs of an indicator, without an ORM object per row."""

    __slots__ = ("id", "code", "value_type", "min_value", "max_value", "integer", "fast")

    def __init__(self, id, code, value_type, min_value, max_value):
        self.id, self.code, self.value_type = id, code, value_type
        self.min_value, self.max_value = min_value, max_value
        self.integer = value_type == ValueType.INTEGER
        self.fast = value_type in (ValueType.INTEGER, ValueType.DECIMAL, ValueType.PERCENT)


def can_bulk_import(user) -> bool:
    return bool(user.is_authenticated and (is_admin(user) or user.role in (Role.REPORTER, Role.COMPILER)))


def _writable_units(user, codes: set[str]) -> dict[str, tuple[int, str]]:
    """Units the user may load data for: admin any; reporter their own; compiler the units that
    report to regimes their unit receives (and their subtree)."""
    qs = OrgUnit.objects.all() if is_admin(user) else units_for_user(user)
    if user.role == Role.REPORTER and not is_admin(user):
        qs = qs.filter(pk=user.unit_id)
    return {code: (pk, name) for pk, code, name in qs.filter(code__in=codes).values_list("pk", "code", "name")}


def bulk_import(*, rows: Sequence[ValueRow], acting_user, dry_run: bool = False,
                strategy: str = "CREATE_AND_UPDATE", regime: str | None = None, first_row: int = 1) -> ImportSummary:
    """Import `rows` for `acting_user`; a dry run validates and counts but writes nothing.

    Strategies follow DHIS2: CREATE_AND_UPDATE writes everything; CREATE ignores values that
    exist; UPDATE ignores values that do not; DELETE removes the listed values. An empty value
    deletes a stored one (except under CREATE). `regime` applies to rows that name none (DHIS2)
    and makes rows naming another regime a conflict.
    """
    strategy = (strategy or "CREATE_AND_UPDATE").strip().upper()
    if strategy not in STRATEGIES:
        raise AppError(f"Chiến lược nhập «{strategy}» không hợp lệ (dùng: {', '.join(STRATEGIES)}).",
                       {"strategy": strategy})
    if not can_bulk_import(acting_user):
        raise PermissionDeniedError("Bạn không có quyền nhập số liệu hàng loạt.")
    with transaction.atomic(), gc_paused():
        return _run(rows, acting_user, dry_run, strategy, regime, first_row)


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
    conflict = summary.conflict
    default_regime = (default_regime or "").strip()

    # 1. Everything the rows refer to, in a fixed number of queries.
    period_keys = {(r[0] or default_regime, r[1]) for r in rows}
    regime_codes = {k[0] for k in period_keys}
    unit_codes = {r[2] for r in rows}
    regimes = {r.code: r for r in regimes_for_user(user).select_related("form").filter(code__in=regime_codes)}
    units = _writable_units(user, unit_codes)
    periods: dict[tuple[str, str], str | Exception] = {}
    for regime_code, raw in period_keys:
        regime = regimes.get(regime_code)
        if regime is None:
            continue
        try:
            periods[(regime_code, raw)] = regime_period(regime, period_from_dhis2(raw)).code
        except (PeriodError, AppError) as exc:
            periods[(regime_code, raw)] = exc
    regime_ids = {r.pk for r in regimes.values()}
    unit_ids = {pk for pk, _ in units.values()}
    period_codes = {p for p in periods.values() if isinstance(p, str)}
    sub_qs = Submission.objects.filter(regime_id__in=regime_ids, period__in=period_codes, unit_id__in=unit_ids)
    if not dry_run and connection.features.has_select_for_update:
        sub_qs = sub_qs.select_for_update()
    existing_subs = {
        (s[1], s[2], s[3]): s
        for s in sub_qs.values_list("id", "regime_id", "period", "unit_id", "status", "version", "form_version_id")
    }
    current_versions: dict[int, int] = {}
    for fv_id, form_id in (FormVersion.objects.filter(form_id__in={r.form_id for r in regimes.values()},
                                                      status=FormVersionStatus.PUBLISHED)
                           .order_by("form_id", "-number").values_list("id", "form_id")):
        current_versions.setdefault(form_id, fv_id)
    fv_ids = set(current_versions.values()) | {s[6] for s in existing_subs.values()}
    indicators: dict[tuple[int, str], _Spec] = {
        (fv, code): _Spec(pk, code, vt, lo, hi)
        for pk, fv, code, vt, lo, hi in Indicator.objects.filter(form_version_id__in=fv_ids).values_list(
            "id", "form_version_id", "code", "value_type", "min_value", "max_value")
    }
    narratives: dict[tuple[int, str], int] = {
        (fv, code): pk
        for pk, fv, code in NarrativeField.objects.filter(form_version_id__in=fv_ids).values_list(
            "id", "form_version_id", "code")
    }
    sub_ids = [s[0] for s in existing_subs.values()]
    stored_values: dict[tuple[int, int], tuple] = {}
    stored_texts: dict[tuple[int, int], tuple] = {}
    for chunk in _chunks(sub_ids):
        for pk, sid, iid, number, text in SubmissionValue.objects.filter(submission_id__in=chunk).values_list(
                "id", "submission_id", "indicator_id", "number", "text"):
            stored_values[(sid, iid)] = (pk, number, text)
        for pk, sid, fid, text in SubmissionNarrative.objects.filter(submission_id__in=chunk).values_list(
                "id", "submission_id", "field_id", "text"):
            stored_texts[(sid, fid)] = (pk, text)
    expected: dict[tuple[int, str], set[int]] = {}

    # 2. Each (regime, period, unit) once: its report, or why the rows for it are refused.
    contexts: dict[tuple[str, str, str], tuple] = {}

    def context(regime_code: str, raw_period: str, unit_code: str) -> tuple:
        if not regime_code:
            return (None, "Chưa chọn chế độ báo cáo (tệp DHIS2 cần dataSet hoặc tham số regime).")
        regime = regimes.get(regime_code)
        if regime is None:
            return (None, f"Không tìm thấy chế độ báo cáo «{regime_code}» hoặc ngoài phạm vi của bạn.")
        period = periods.get((regime_code, raw_period))
        if isinstance(period, Exception):
            return (None, str(period))
        unit = units.get(unit_code)
        if unit is None:
            return (None, f"Không tìm thấy đơn vị «{unit_code}» hoặc đơn vị ngoài phạm vi của bạn.")
        sub = existing_subs.get((regime.pk, period, unit[0]))
        if sub is not None:
            if sub[4] not in EDITABLE_STATUSES:
                return (None, f"Báo cáo của «{unit[1]}» kỳ {period} đang ở trạng thái «{STATUS_LABELS[sub[4]]}» "
                              "nên không sửa được.")
            return (sub[0], None, sub[6], period, unit[0], regime.pk)
        fv = current_versions.get(regime.form_id)
        if fv is None:
            return (None, f"Biểu mẫu của chế độ «{regime_code}» chưa có phiên bản đã ban hành.")
        key = (regime.pk, period)
        if key not in expected:
            expected[key] = expected_unit_ids(regime=regime, day=regime_period(regime, period).window_end)
        if unit[0] not in expected[key]:
            return (None, f"Đơn vị «{unit[1]}» không thuộc danh sách đơn vị báo cáo của «{regime_code}» kỳ {period}.")
        return (("new", regime.pk, period, unit[0]), None, fv, period, unit[0], regime.pk)

    # 3. Every row, with dict lookups only.
    value_writes: list[tuple] = []   # (submission key, indicator id, number text | None, text)
    text_writes: list[tuple] = []    # (submission key, field id, text)
    value_deletes: list[int] = []
    text_deletes: list[int] = []
    touched: dict[object, list[int]] = {}  # submission key -> [imported, updated, deleted]
    seen: set[tuple] = set()
    creating, updating, deleting = strategy != "UPDATE" and strategy != "DELETE", strategy != "CREATE", \
        strategy == "DELETE"
    n = first_row - 1
    for row in rows:
        n += 1
        regime_code, raw_period, unit_code, code, raw, comment = row
        named = regime_code
        regime_code = regime_code or default_regime
        if default_regime and named and named != default_regime:
            conflict(n, f"Dòng thuộc chế độ báo cáo «{named}», khác chế độ đang nhập «{default_regime}».",
                     unit=unit_code, code=code, period=raw_period)
            continue
        ck = (regime_code, raw_period, unit_code)
        ctx = contexts.get(ck)
        if ctx is None:
            ctx = contexts[ck] = context(regime_code, raw_period, unit_code)
        sub_key, problem = ctx[0], ctx[1]
        if problem is not None:
            conflict(n, problem, unit=unit_code, code=code, period=raw_period)
            continue
        fv = ctx[2]
        dup = (sub_key, code)
        if dup in seen:
            conflict(n, f"Trùng dòng: chỉ tiêu «{code}» của đơn vị «{unit_code}» kỳ {ctx[3]} đã có ở dòng trước.",
                     unit=unit_code, code=code, period=raw_period)
            continue
        seen.add(dup)
        spec = indicators.get((fv, code))
        existing_sub = sub_key if type(sub_key) is int else None
        if spec is not None:
            stored = stored_values.get((existing_sub, spec.id)) if existing_sub else None
            if deleting:
                if stored is None:
                    summary.ignored += 1
                else:
                    value_deletes.append(stored[0])
                    _touch(touched, sub_key, 2)
                continue
            number = text = None
            if raw is None or raw == "":
                empty = True
            else:
                empty = False
                # The common case, an integer written plainly, without the general parser.
                if spec.integer and type(raw) is str and raw.isascii() and raw.isdigit():
                    value = int(raw)
                    if value < _LIMIT and (spec.min_value is None or value >= spec.min_value) and (
                            spec.max_value is None or value <= spec.max_value):
                        number, text = value, ""
                if number is None:
                    if type(raw) is str and spec.fast and _PLAIN_NUMBER.fullmatch(raw.strip()):
                        try:
                            raw = Decimal(raw.strip())
                        except InvalidOperation:
                            pass
                    try:
                        parsed = parse_indicator_value(spec, raw)
                    except ValueProblem as exc:
                        conflict(n, f"Chỉ tiêu «{code}»: {exc}", unit=unit_code, code=code, period=raw_period)
                        continue
                    number, text = parsed.number, parsed.text
                    if number is None and text == "":
                        empty = True
            if empty:
                if stored is None or strategy == "CREATE":
                    summary.ignored += 1
                else:
                    value_deletes.append(stored[0])
                    _touch(touched, sub_key, 2)
                continue
            if stored is None:
                if not creating:
                    summary.ignored += 1
                    continue
                _touch(touched, sub_key, 0)
            else:
                if not updating:
                    summary.ignored += 1
                    continue
                if stored[1] == number and stored[2] == text if number is not None else (
                        stored[1] is None and stored[2] == text):
                    summary.unchanged += 1
                    continue
                _touch(touched, sub_key, 1)
            value_writes.append((sub_key, spec.id, None if number is None else _number_text(number), text))
            continue
        field_id = narratives.get((fv, code))
        if field_id is None:
            conflict(n, f"Mã «{code}» không có trong biểu mẫu của báo cáo.", unit=unit_code, code=code,
                     period=raw_period)
            continue
        stored = stored_texts.get((existing_sub, field_id)) if existing_sub else None
        if deleting:
            if stored is None:
                summary.ignored += 1
            else:
                text_deletes.append(stored[0])
                _touch(touched, sub_key, 2)
            continue
        text = raw if raw not in (None, "") else (comment or "")
        if not isinstance(text, str):
            text = str(text)
        text = text.replace("\r\n", "\n")
        if len(text) > MAX_NARRATIVE_LENGTH:
            conflict(n, f"Nội dung «{code}» dài quá {format_number(MAX_NARRATIVE_LENGTH)} ký tự.", unit=unit_code,
                     code=code, period=raw_period)
            continue
        if not text:
            if stored is None or strategy == "CREATE":
                summary.ignored += 1
            else:
                text_deletes.append(stored[0])
                _touch(touched, sub_key, 2)
            continue
        if stored is None:
            if not creating:
                summary.ignored += 1
                continue
            _touch(touched, sub_key, 0)
        else:
            if not updating:
                summary.ignored += 1
                continue
            if stored[1] == text:
                summary.unchanged += 1
                continue
            _touch(touched, sub_key, 1)
        text_writes.append((sub_key, field_id, text))

    for counts in touched.values():
        summary.imported += counts[0]
        summary.updated += counts[1]
        summary.deleted += counts[2]
    if summary.conflicts or dry_run or not touched:
        return summary

    # 4. Write.
    _write(user, summary, touched, contexts, existing_subs, value_writes, text_writes, value_deletes,
           text_deletes)
    summary.written = True
    return summary


def _touch(touched: dict, key, slot: int) -> None:
    counts = touched.get(key)
    if counts is None:
        counts = touched[key] = [0, 0, 0]
    counts[slot] += 1


def _number_text(number) -> str:
    if type(number) is int:
        return str(number)
    return format(number.normalize(), "f") if number == number.to_integral_value() else format(number, "f")


def _chunks(items: list, size: int = _CHUNK):
    for i in range(0, len(items), size):
        yield items[i:i + size]


def _write(user, summary, touched, contexts, existing_subs, value_writes, text_writes, value_deletes,
           text_deletes) -> None:
    now = timezone.now()
    new_keys = [k for k in touched if type(k) is not int]
    form_versions = {c[0]: c[2] for c in contexts.values() if c[0] is not None}
    created = Submission.objects.bulk_create([
        Submission(regime_id=k[1], period=k[2], unit_id=k[3], form_version_id=form_versions[k],
                   status=SubmissionStatus.DRAFT, version=1)
        for k in new_keys
    ])
    sub_id = {k: s.pk for k, s in zip(new_keys, created, strict=True)}
    versions = {k: 1 for k in new_keys}
    info = {s[0]: s for s in existing_subs.values()}
    for k in touched:
        if type(k) is int:
            sub_id[k] = k
            versions[k] = info[k][5] + 1
    stamp = connection.ops.adapt_datetimefield_value(now)
    with connection.cursor() as cursor:
        for chunk in _chunks(value_deletes):
            SubmissionValue.objects.filter(pk__in=chunk).delete()
        for chunk in _chunks(text_deletes):
            SubmissionNarrative.objects.filter(pk__in=chunk).delete()
        if value_writes:
            if connection.vendor == "postgresql":
                params = [(sub_id[k], ind, number, text, versions[k]) for k, ind, number, text in value_writes]
                _copy_values(cursor, params, stamp)
            else:
                cursor.executemany(
                    "INSERT INTO submissions_submissionvalue (submission_id, indicator_id, number, text, changed_version, changed_at)"
                    " VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (submission_id, indicator_id) DO UPDATE SET"
                    " number = excluded.number, text = excluded.text, changed_version = excluded.changed_version,"
                    " changed_at = excluded.changed_at",
                    [(sub_id[k], ind, number, text, versions[k], stamp) for k, ind, number, text in value_writes])
        if text_writes:
            cursor.executemany(
                "INSERT INTO submissions_submissionnarrative (submission_id, field_id, text, changed_version, changed_at)"
                " VALUES (%s, %s, %s, %s, %s) ON CONFLICT (submission_id, field_id) DO UPDATE SET"
                " text = excluded.text, changed_version = excluded.changed_version, changed_at = excluded.changed_at",
                [(sub_id[k], fid, text, versions[k], stamp) for k, fid, text in text_writes])
        existing_touched = [(versions[k], stamp, k) for k in touched if type(k) is int]
        if existing_touched:
            cursor.executemany("UPDATE submissions_submission SET version = %s, updated_at = %s WHERE id = %s", existing_touched)
    units = {}
    events = []
    for k, (imported, updated, deleted) in touched.items():
        unit_id = k[3] if type(k) is not int else info[k][3]
        units[unit_id] = unit_id
        comment = (f"Nhập hàng loạt: {imported} giá trị mới, {updated} cập nhật, {deleted} xóa"
                   + ("; tạo báo cáo nháp." if type(k) is not int else "."))
        events.append(AuditEvent(actor=user, action="exchange.import", entity="submission", entity_id=sub_id[k],
                                 unit_id=unit_id, new_value=str(versions[k]), comment=comment))
    AuditEvent.objects.bulk_create(events, batch_size=1000)


def _copy_values(cursor, params: list[tuple], stamp) -> None:
    """PostgreSQL: COPY the rows into a temporary table, then one upsert from it."""
    raw = cursor.cursor
    raw.execute("CREATE TEMP TABLE exchange_values (submission_id bigint, indicator_id bigint, number numeric,"
                " text text, changed_version integer) ON COMMIT DROP")
    with raw.copy("COPY exchange_values FROM STDIN") as copy:
        buffer = []
        for sid, ind, number, text, version in params:
            buffer.append(f"{sid}\t{ind}\t{NULL if number is None else number}\t{_copy_escape(text)}\t{version}\n")
            if len(buffer) >= 10000:
                copy.write("".join(buffer))
                buffer.clear()
        if buffer:
            copy.write("".join(buffer))
    raw.execute(
        "INSERT INTO submissions_submissionvalue (submission_id, indicator_id, number, text, changed_version, changed_at)"
        " SELECT submission_id, indicator_id, number, text, changed_version, %s FROM exchange_values"
        " ON CONFLICT (submission_id, indicator_id) DO UPDATE SET number = excluded.number, text = excluded.text,"
        " changed_version = excluded.changed_version, changed_at = excluded.changed_at", (stamp,))
    raw.execute("DROP TABLE exchange_values")


def _copy_escape(text: str) -> str:
    if not text:
        return text
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
