"""The Bắc Kạn demo in the test database, without paying for `demo_load()` in every module.

`demo_restore()` leaves the database as `baocao.demo.loader.demo_load()` would. The first call of a
session, for a given starting state of the database, runs the real loader and keeps a copy of the
rows it wrote (every table, primary keys included); later calls starting from the same state insert
that copy in one statement per table. The copy is the loader's own output, so what the tests see is
the real demo; tests/demo/test_demo_data.py checks that a restored copy and a real load leave the
same rows, and the tests of the loader itself (tests/demo/test_demo*.py) still run it.

Use it wherever a test needs the demo and does not test the loader:

- inside a test (a browser test on the live server: the rows are committed and flushed after the
  test like any other), or in a module-scoped fixture inside `transaction.atomic()` rolled back
  after the module (see `demo_in_module` in tests/conftest.py).

What counts as "the same starting state": every row of every table (primary keys included) except
content types and permissions, which Django re-creates with new ids after each transactional test's
flush on PostgreSQL (the demo's rows never refer to them; checked when the copy is taken). A state
not seen before (a test that made rows of its own first, or the data-migration rows a flush
removed) gets the real loader, and its own copy. Moments the load stamped with the clock (audit
rows, `created_at`, …) are moved into the moment of the restore, in the order the load wrote them,
so they read "now" as after a real load; the demo's backdated history is left as it is.
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.apps import apps
from django.db import connection, models, transaction
from django.test import override_settings
from django.utils import timezone

# Re-created with new ids by every flush on PostgreSQL; never referred to by the demo's rows.
UNKEYED = {"contenttypes.contenttype", "auth.permission"}
# Columns the loader fills from the clock or with a random salt, besides auto_now(_add) ones.
CLOCK_OR_SALT = {("accounts.user", "password"), ("accounts.user", "date_joined")}
# A restored copy's clock moments fit in this much time from the start of the restore.
CLOCK_SPAN = timedelta(milliseconds=50)
FAST_HASHING = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@dataclass
class _Table:
    model: type[models.Model]
    columns: list[models.Field]
    rows: list[tuple]


@dataclass
class _Copy:
    started: datetime
    finished: datetime
    today: date
    tables: list[_Table]
    rows: int


_copies: dict[tuple[str, str], _Copy] = {}


def _models() -> list[type[models.Model]]:
    return [m for m in apps.get_models(include_auto_created=True) if m._meta.managed and not m._meta.proxy]


def _read(model: type[models.Model]) -> list[tuple]:
    names = [f.attname for f in model._meta.concrete_fields]
    return list(model._base_manager.order_by("pk").values_list(*names))


def _state() -> tuple[str, dict[str, dict[Any, tuple]]]:
    """(key of the database's current rows, rows by pk of every table)."""
    digest = hashlib.sha256(connection.vendor.encode())
    rows: dict[str, dict[Any, tuple]] = {}
    for model in _models():
        label = model._meta.label_lower
        pk_index = [f.attname for f in model._meta.concrete_fields].index(model._meta.pk.attname)
        table = {row[pk_index]: row for row in _read(model)}
        rows[label] = table
        if label not in UNKEYED:
            digest.update(f"{label}:{len(table)}:{sorted(table.items())!r}\n".encode())
    return digest.hexdigest(), rows


def demo_restore() -> dict[str, Any] | None:
    """The demo in the database (see the module's docstring). Returns the real loader's summary
    when it ran, None when the copy was restored."""
    from baocao.demo.loader import demo_load

    with override_settings(PASSWORD_HASHERS=FAST_HASHING), transaction.atomic():
        key, before = _state()
        copy = _copies.get((connection.alias, key))
        if copy is not None:
            _insert(copy)
            return None
        started = timezone.now()
        summary = demo_load()
        finished = timezone.now()
        taken = _take(before, started, finished)
        if taken is not None:
            _copies[(connection.alias, key)] = taken
        return summary


def _take(before: dict[str, dict[Any, tuple]], started: datetime, finished: datetime) -> _Copy | None:
    """The rows the load added; None (no copy kept) when it changed or removed rows it found, or
    wrote rows that refer to content types or permissions."""
    tables: list[_Table] = []
    total = 0
    for model in _models():
        label = model._meta.label_lower
        old = before[label]
        fields = list(model._meta.concrete_fields)
        pk_index = [f.attname for f in fields].index(model._meta.pk.attname)
        now = {row[pk_index]: row for row in _read(model)}
        if any(now.get(pk) != row for pk, row in old.items()):
            return None
        added = [row for pk, row in now.items() if pk not in old]
        if not added:
            continue
        if label in UNKEYED:
            return None
        for index, field in enumerate(fields):
            related = getattr(field, "related_model", None)
            if related is not None and related._meta.label_lower in UNKEYED and any(r[index] is not None for r in added):
                return None
        tables.append(_Table(model, fields, added))
        total += len(added)
    return _Copy(started, finished, timezone.localdate(started), tables, total)


def fingerprint() -> dict[str, dict[str, Any]]:
    """Every table's row count and a hash of its rows (primary keys included, in primary-key
    order) without the columns that hold the clock of the load or a random salt: two loads from the
    same state (and the same sequences on PostgreSQL) give the same fingerprint."""
    result: dict[str, dict[str, Any]] = {}
    for model in sorted(_models(), key=lambda m: m._meta.label_lower):
        fields = [f for f in model._meta.concrete_fields if not _clock_or_salt(model, f)]
        digest = hashlib.sha256()
        count = 0
        for row in model._base_manager.order_by("pk").values_list(*[f.attname for f in fields]):
            digest.update("\x1f".join(_canonical(value) for value in row).encode() + b"\x1e")
            count += 1
        result[model._meta.label_lower] = {"count": count, "sha256": digest.hexdigest()[:16]}
    return result


def _canonical(value: Any) -> str:
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)
    return repr(value)


def _clock_or_salt(model: type[models.Model], field: models.Field) -> bool:
    if isinstance(field, models.DateTimeField) and (field.auto_now or field.auto_now_add):
        return True
    return (model._meta.label_lower, field.attname) in CLOCK_OR_SALT


def reset_sequences() -> None:
    """PostgreSQL: every table's id sequence back to just past its rows, so that two loads from the
    same rows get the same ids (SQLite's sequences roll back with the transaction already)."""
    if connection.vendor != "postgresql":
        return
    from django.core.management.color import no_style

    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), _models()):
            cursor.execute(sql)


def _insert(copy: _Copy) -> None:
    begin = timezone.now()
    day_shift = timezone.localdate() - copy.today
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in copy.tables:
            moved = _moving(table, copy, begin, day_shift)
            params = [
                tuple(field.get_db_prep_save(moved[i](value) if i in moved else value, connection)
                      for i, (field, value) in enumerate(zip(table.columns, row, strict=True)))
                for row in table.rows
            ]
            # Table and column names come from the models, quoted; the values are parameters.
            sql = (f"INSERT INTO {quote(table.model._meta.db_table)} "  # noqa: S608
                   f"({', '.join(quote(f.column) for f in table.columns)}) "
                   f"VALUES ({', '.join(['%s'] * len(table.columns))})")
            cursor.executemany(sql, params)
        if connection.vendor == "postgresql":
            # Inserting explicit ids leaves the identity sequences behind: bring them past the rows.
            for table in copy.tables:
                pk = table.model._meta.pk
                if isinstance(pk, models.AutoField | models.BigAutoField | models.SmallAutoField):
                    db_table = table.model._meta.db_table
                    cursor.execute(
                        f"SELECT setval(pg_get_serial_sequence(%s, %s), "  # noqa: S608
                        f"GREATEST((SELECT MAX({quote(pk.column)}) FROM {quote(db_table)}), 1))",
                        [quote(db_table), pk.column])
    # Whatever the test writes next is stamped after the demo's moments, as after a real load.
    late = begin + CLOCK_SPAN - timezone.now()
    if late.total_seconds() > 0:
        time.sleep(late.total_seconds())


def _moving(table: _Table, copy: _Copy, begin: datetime, day_shift: timedelta) -> dict[int, Any]:
    """Column index -> how to move a value the load stamped with the clock: the moments of the
    real load (copy.started..copy.finished) onto begin..begin + CLOCK_SPAN, in the same order."""
    moved: dict[int, Any] = {}
    span = max(copy.finished - copy.started, timedelta(microseconds=1))
    for index, field in enumerate(table.columns):
        if isinstance(field, models.DateTimeField):
            def move_moment(value, lo=copy.started, hi=copy.finished):
                if value is None or not lo <= value <= hi:
                    return value
                return begin + CLOCK_SPAN * ((value - lo) / span)
            moved[index] = move_moment
        elif isinstance(field, models.DateField) and day_shift:
            def move_day(value, today=copy.today):
                return value + day_shift if value == today else value
            moved[index] = move_day
    return moved
