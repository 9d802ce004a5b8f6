"""The bulk import's validation and writing issue a fixed number of queries, whatever the number of
rows, units and indicators (bulk.py: "a fixed number of queries, whatever the number of rows").

Each test runs the same import on a small case (2 units × 5 codes = 10 rows) and a large one
(20 units × 15 codes = 300 rows) of two regimes of the same department, and compares the queries.
What may legitimately make the count grow is not varied here and stays well inside its limits:
the number of distinct (regime, period) pairs of a file (one query each for the units expected to
report), and chunks of 900 reports or ids (two, respectively one, queries per chunk). Both cases
have one regime, one period and at most 20 reports, so the counts must be *equal*.

On PostgreSQL the values go in through COPY on the driver's own cursor, which Django's
CaptureQueriesContext does not see; there the statements the driver sends are counted as well.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from baocao.accounts.models import User
from baocao.exchange.bulk import bulk_import
from baocao.exchange.rows import ValueRow
from baocao.orgunits.choices import UnitKind
from baocao.orgunits.models import OrgUnit
from baocao.reporting.choices import NarrativeKind, ValueType
from baocao.reporting.models import ReportingRegime
from baocao.submissions.choices import SubmissionStatus
from baocao.submissions.models import Submission, SubmissionNarrative, SubmissionValue
from tests.factories import World, form_version, regime, unit

pytestmark = pytest.mark.django_db

PERIOD = "2022S1"


@dataclass
class Case:
    regime: ReportingRegime
    units: list[OrgUnit]
    integers: list[str]
    narratives: list[str]

    @property
    def codes(self) -> list[str]:
        return [*self.integers, "RATE", "SHARE", "REMARK", *self.narratives]

    def rows(self, seed: int = 0, *, blank: str | None = None) -> list[ValueRow]:
        """Every code of every unit: integers, a decimal, a percentage, a text indicator and the
        narratives; `blank` leaves that code empty (which deletes a stored value)."""
        rows = []
        for u_index, u in enumerate(self.units):
            for i_index, code in enumerate(self.integers):
                rows.append(ValueRow(self.regime.code, PERIOD, u.code, code, str(seed + u_index * 100 + i_index)))
            rows.append(ValueRow(self.regime.code, PERIOD, u.code, "RATE", f"{seed + u_index}.5"))
            rows.append(ValueRow(self.regime.code, PERIOD, u.code, "SHARE", str(10 + seed % 50)))
            rows.append(ValueRow(self.regime.code, PERIOD, u.code, "REMARK", f"Ghi chú lần {seed} của {u.code}"))
            for code in self.narratives:
                rows.append(ValueRow(self.regime.code, PERIOD, u.code, code,
                                     f"Đơn vị {u.code} hoàn thành nội dung {code} (lần {seed})."))
        if blank is not None:
            rows = [r._replace(value="") if r.code == blank else r for r in rows]
        return rows

    def stored_values(self) -> int:
        return SubmissionValue.objects.filter(submission__regime=self.regime).count()

    def stored_texts(self) -> int:
        return SubmissionNarrative.objects.filter(submission__regime=self.regime).count()


def make_case(world: World, code: str, *, units: int, integers: int, narratives: int) -> Case:
    integer_codes = [f"I{i:02d}" for i in range(integers)]
    narrative_codes = [f"N{i:02d}" for i in range(narratives)]
    indicators = [{"code": c, "name": f"Chỉ tiêu {c}", "min_value": Decimal(0)} for c in integer_codes] + [
        {"code": "RATE", "name": "Tỷ lệ bình quân", "value_type": ValueType.DECIMAL},
        {"code": "SHARE", "name": "Tỷ lệ hồ sơ trực tuyến", "value_type": ValueType.PERCENT,
         "min_value": Decimal(0), "max_value": Decimal(100)},
        {"code": "REMARK", "name": "Ghi chú", "value_type": ValueType.TEXT},
    ]
    fv = form_version(owner=world.department, indicators=indicators, rules=[],
                      narratives=[{"code": c, "kind": NarrativeKind.RESULTS, "label": f"Nội dung {c}"}
                                  for c in narrative_codes])
    members = [unit(code=f"{code}-{i:02d}", name=f"Phòng Văn hóa và Thông tin {code} số {i}",
                    kind=UnitKind.DISTRICT_OFFICE, parent=world.province) for i in range(units)]
    r = regime(receiving_unit=world.department, form_version=fv, units=members, code=code)
    return Case(r, members, integer_codes, narrative_codes)


@pytest.fixture
def world(db) -> World:
    return World()


@pytest.fixture
def small(world) -> Case:
    return make_case(world, "BC-NHO", units=2, integers=1, narratives=1)


@pytest.fixture
def large(world) -> Case:
    return make_case(world, "BC-LON", units=20, integers=10, narratives=2)


@contextmanager
def driver_statements() -> Iterator[list[str]]:
    """PostgreSQL: every statement sent through the driver, whether through Django's cursor or the
    raw one bulk.py uses for COPY. Elsewhere nothing is collected (SQLite goes through Django)."""
    sent: list[str] = []
    if connection.vendor != "postgresql":
        yield sent
        return
    connection.ensure_connection()
    raw = connection.connection
    base = raw.cursor_factory

    class Counting(base):
        def execute(self, query, *args, **kwargs):
            sent.append(str(query))
            return super().execute(query, *args, **kwargs)

        def executemany(self, query, *args, **kwargs):
            sent.append(str(query))
            return super().executemany(query, *args, **kwargs)

        def copy(self, statement, *args, **kwargs):
            sent.append(str(statement))
            return super().copy(statement, *args, **kwargs)

    raw.cursor_factory = Counting
    try:
        yield sent
    finally:
        raw.cursor_factory = base


@dataclass
class Measured:
    queries: list[str]
    driver: list[str]
    summary: object

    @property
    def counts(self) -> tuple[int, int]:
        return len(self.queries), len(self.driver)


def measure(world: World, rows: list[ValueRow], *, dry_run: bool, strategy: str = "CREATE_AND_UPDATE") -> Measured:
    # A fresh user each time: the compiler's own unit (the root of their scope) is loaded inside
    # every import, not served from the previous run's cache.
    compiler = User.objects.get(pk=world.compiler.pk)
    with CaptureQueriesContext(connection) as ctx, driver_statements() as driver:
        summary = bulk_import(rows=rows, acting_user=compiler, dry_run=dry_run, strategy=strategy)
    assert not summary.conflicts, summary.conflicts[:3]
    return Measured([q["sql"] for q in ctx.captured_queries], driver, summary)


def assert_same_count(small_run: Measured, large_run: Measured) -> None:
    assert small_run.counts == large_run.counts, (
        "the import's queries grow with its size:\n  small: "
        + "\n         ".join(small_run.queries) + "\n  large: " + "\n         ".join(large_run.queries))


def test_sizes_differ_as_intended(small, large):
    assert (len(small.rows()), len(large.rows())) == (10, 300)


def test_dry_run_of_new_reports(world, small, large):
    s = measure(world, small.rows(), dry_run=True)
    big = measure(world, large.rows(), dry_run=True)
    assert_same_count(s, big)
    assert (s.summary.imported, big.summary.imported) == (10, 300)
    assert not s.summary.written and not big.summary.written
    assert not Submission.objects.exists() and not SubmissionValue.objects.exists()


def test_real_import_creating_drafts(world, small, large):
    s = measure(world, small.rows(), dry_run=False)
    big = measure(world, large.rows(), dry_run=False)
    assert_same_count(s, big)
    assert s.summary.written and big.summary.written
    for case, n_units in ((small, 2), (large, 20)):
        subs = Submission.objects.filter(regime=case.regime, period=PERIOD)
        assert subs.count() == n_units
        assert set(subs.values_list("status", flat=True)) == {SubmissionStatus.DRAFT}
        assert case.stored_values() == n_units * (len(case.integers) + 3)
        assert case.stored_texts() == n_units * len(case.narratives)
    value = SubmissionValue.objects.get(submission__unit__code="BC-LON-19", indicator__code="I09")
    assert value.number == 19 * 100 + 9
    assert SubmissionValue.objects.get(submission__unit__code="BC-LON-19", indicator__code="RATE").number == \
        Decimal("19.5")


def test_updating_existing_drafts(world, small, large):
    for case in (small, large):
        measure(world, case.rows(), dry_run=False)

    # A dry run over stored drafts also reads their stored values and texts (one chunk each).
    s = measure(world, small.rows(7, blank="I00"), dry_run=True)
    big = measure(world, large.rows(7, blank="I00"), dry_run=True)
    assert_same_count(s, big)
    assert (big.summary.updated, big.summary.deleted, big.summary.imported) == (20 * 14, 20, 0)
    assert large.stored_values() == 20 * 13

    # The real update: changed values, one value per report deleted by an empty cell, every
    # report's version bumped.
    s = measure(world, small.rows(7, blank="I00"), dry_run=False)
    big = measure(world, large.rows(7, blank="I00"), dry_run=False)
    assert_same_count(s, big)
    assert (s.summary.updated, s.summary.deleted) == (2 * 4, 2)
    assert (big.summary.updated, big.summary.deleted) == (20 * 14, 20)
    assert large.stored_values() == 20 * 12 and large.stored_texts() == 20 * 2
    assert set(Submission.objects.filter(regime=large.regime).values_list("version", flat=True)) == {2}
    assert SubmissionValue.objects.get(submission__unit__code="BC-LON-03", indicator__code="I05").number == \
        7 + 300 + 5
    assert SubmissionNarrative.objects.get(submission__unit__code="BC-LON-03", field__code="N01").text == \
        "Đơn vị BC-LON-03 hoàn thành nội dung N01 (lần 7)."

    # Importing the same file again changes nothing and still costs the same.
    s = measure(world, small.rows(7, blank="I00"), dry_run=False)
    big = measure(world, large.rows(7, blank="I00"), dry_run=False)
    assert_same_count(s, big)
    assert (big.summary.unchanged, big.summary.ignored, big.summary.updated) == (20 * 14, 20, 0)


@pytest.mark.parametrize("strategy", ["CREATE", "UPDATE", "DELETE"])
def test_other_strategies_over_existing_drafts(world, small, large, strategy):
    for case in (small, large):
        measure(world, case.rows(), dry_run=False)
    s = measure(world, small.rows(3), dry_run=False, strategy=strategy)
    big = measure(world, large.rows(3), dry_run=False, strategy=strategy)
    assert_same_count(s, big)
    if strategy == "DELETE":
        assert big.summary.deleted == 300 and large.stored_values() == 0
    elif strategy == "UPDATE":
        assert big.summary.updated == 300
    else:
        assert big.summary.ignored == 300 and big.summary.imported == 0
