"""Last year's total compares like with like: a unit that ended without successors is not in it,
whether or not other units were reorganised; a unit formed from nothing has nothing to compare with."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from baocao.accounts.choices import Role
from baocao.consolidation.selectors import compose_input
from baocao.orgunits.choices import ReorgKind, UnitKind
from baocao.orgunits.events import LinkSpec, reorg_event_record
from tests.consolidation.test_previous_lineage import _approved
from tests.factories import World, unit, user

pytestmark = pytest.mark.django_db

CHANGE = date(2022, 1, 1)


def _dissolve_b(world: World) -> None:
    reorg_event_record(acting_user=world.admin, kind=ReorgKind.DISSOLVE, effective=CHANGE,
                       legal_basis="Quyết định số 1/QĐ", ends=[world.unit_b])


@pytest.fixture
def dissolved():
    """2021S1: UA (A=10) and UB (A=21) report. 1 January 2022: UB is dissolved, no successor."""
    world = World()
    _approved(world, world.reporter_a, "2021S1", {"A": 10, "B": 15, "PCT": 40})
    _approved(world, world.reporter_b, "2021S1", {"A": 21, "B": 30, "PCT": 60})
    _dissolve_b(world)
    return world


def test_dissolved_unit_left_out_of_last_years_total_when_another_unit_merged(dissolved):
    """With a merge elsewhere in the report, the lineage path applies: the total is UA's alone."""
    uc = unit(code="UC", name="Phòng Văn hóa và Thông tin huyện Chợ", kind=UnitKind.DISTRICT_OFFICE,
              parent=dissolved.province, valid_from=CHANGE)
    dissolved.regime.reporting_units.add(uc)
    reorg_event_record(acting_user=dissolved.admin, kind=ReorgKind.MERGE, effective=CHANGE,
                       links=[LinkSpec(dissolved.unit_a, uc)])
    _approved(dissolved, user(username="cho", role=Role.REPORTER, unit=uc), "2022S1", {"A": 12, "B": 15, "PCT": 40})
    inp = compose_input(regime=dissolved.regime, period="2022S1", unit=dissolved.department)
    assert [u.code for u in inp.units] == ["UC"]
    assert inp.previous["A"] == Decimal("10")


def test_dissolved_unit_left_out_of_last_years_total_when_nothing_else_changed(dissolved):
    _approved(dissolved, dissolved.reporter_a, "2022S1", {"A": 12, "B": 15, "PCT": 40})
    inp = compose_input(regime=dissolved.regime, period="2022S1", unit=dissolved.department)
    assert [u.code for u in inp.units] == ["UA"]
    assert inp.previous["A"] == Decimal("10")


def test_new_unit_without_predecessors_is_not_said_to_come_from_predecessors():
    world = World()
    _approved(world, world.reporter_a, "2021S1", {"A": 10, "B": 15, "PCT": 40})
    uc = unit(code="UC", name="Phòng Văn hóa và Thông tin huyện Chợ", kind=UnitKind.DISTRICT_OFFICE,
              parent=world.province, valid_from=CHANGE)
    ue = unit(code="UE", name="Phòng Văn hóa và Thông tin huyện Mới", kind=UnitKind.DISTRICT_OFFICE,
              parent=world.province, valid_from=CHANGE)
    world.regime.reporting_units.add(uc, ue)
    reorg_event_record(acting_user=world.admin, kind=ReorgKind.MERGE, effective=CHANGE,
                       links=[LinkSpec(world.unit_a, uc)])
    inp = compose_input(regime=world.regime, period="2022S1", unit=world.department)
    assert inp.previous_rows[uc.pk]["basis"] == "predecessors"
    assert ue.pk not in inp.previous_rows and not inp.previous_by_unit.get(ue.pk)
