"""Export is scoped like every read: one unit, a subtree, or everything the user may see; and its
query count does not grow with the number of reports."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from baocao.exchange.export import export_rows, export_values
from baocao.orgunits.choices import UnitKind
from baocao.submissions.services import submission_get_or_create, submission_save_draft
from tests.factories import World, unit, user

pytestmark = pytest.mark.django_db


def filled(world, u, reporter, a: int):
    s = submission_get_or_create(regime=world.regime, period="2022S1", unit=u, acting_user=reporter)
    submission_save_draft(submission=s, acting_user=reporter, values={"A": a, "B": a + 1},
                          narratives={"RESULTS": f"Đơn vị {u.code} hoàn thành."})
    return s


@pytest.fixture
def world():
    w = World()
    filled(w, w.unit_a, w.reporter_a, 1)
    filled(w, w.unit_b, w.reporter_b, 5)
    return w


def units_of(rows) -> set[str]:
    return {r.unit_code for r in rows}


@pytest.mark.parametrize("role,expected", [
    ("admin", {"UA", "UB"}), ("compiler", {"UA", "UB"}), ("leader", {"UA", "UB"}), ("viewer", {"UA", "UB"}),
    ("reporter_a", {"UA"}), ("reporter_b", {"UB"}), ("other_compiler", set()),
])
def test_everything_in_scope(world, role, expected):
    rows = export_rows(user=getattr(world, role), regime=world.regime, period="2022S1")
    assert units_of(rows) == expected


def test_one_unit_and_its_subtree(world):
    child = unit(code="UA-1", name="Xã An Một", kind=UnitKind.COMMUNE, parent=world.unit_a)
    world.regime.reporting_units.add(child)
    filled(world, child, user(role="reporter", unit=child), 9)
    assert units_of(export_rows(user=world.compiler, regime=world.regime, period="2022S1",
                                unit=world.unit_a)) == {"UA"}
    assert units_of(export_rows(user=world.compiler, regime=world.regime, period="2022S1", unit=world.unit_a,
                                subtree=True)) == {"UA", "UA-1"}
    # Another unit named by a reporter is simply not there.
    assert units_of(export_rows(user=world.reporter_a, regime=world.regime, period="2022S1",
                                unit=world.unit_b)) == set()


def test_export_query_count_does_not_grow(world):
    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            export_values(user=world.compiler, regime=world.regime, period="2022S1", fmt="csv")
        return len(ctx.captured_queries)

    before = count()
    for i in range(6):
        u = unit(code=f"UX{i}", kind=UnitKind.COMMUNE, parent=world.province)
        world.regime.reporting_units.add(u)
        filled(world, u, user(role="reporter", unit=u), i)
    assert count() == before
