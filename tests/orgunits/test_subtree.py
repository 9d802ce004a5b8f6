"""The subtree rule (materialised-path prefix) is written once, in orgunits.models, and every scope
check goes through it or through orgunits.scope; a unit whose path was never set contains nothing."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import baocao
from baocao.accounts.choices import Role
from baocao.accounts.models import User
from baocao.cases.selectors import cases_for_user
from baocao.orgunits.models import OrgUnit, subtree_q
from baocao.orgunits.scope import unit_in_subtree, units_for_user, units_managed_by
from baocao.reporting.selectors import regimes_for_user
from baocao.submissions.selectors import submissions_for_user
from tests.factories import unit, user

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    province = unit(code="P")
    department = unit(code="D", parent=province)
    office = unit(code="O", parent=department)
    other = unit(code="X", parent=province)
    return province, department, office, other


def test_within_and_contains_agree(tree):
    province, department, office, other = tree
    assert set(OrgUnit.objects.within(department)) == {department, office}
    assert set(OrgUnit.objects.filter(subtree_q(department))) == {department, office}
    for candidate in tree:
        assert department.contains(candidate) == (candidate in {department, office})
    assert set(department.descendants()) == {office}


def test_subtree_of_a_related_field(tree):
    province, department, office, other = tree
    compiler = user(role=Role.COMPILER, unit=office)
    assert list(User.objects.filter(subtree_q(department, "unit"))) == [compiler]
    assert list(User.objects.filter(subtree_q(other, "unit"))) == []


def test_manage_checks_follow_the_subtree(tree):
    province, department, office, other = tree
    compiler = user(role=Role.COMPILER, unit=department)
    admin = user(role=Role.ADMIN)
    nobody = user(role=Role.COMPILER)
    assert [unit_in_subtree(compiler, u) for u in tree] == [False, True, True, False]
    assert all(unit_in_subtree(admin, u) for u in tree)
    assert not any(unit_in_subtree(nobody, u) for u in tree)
    assert set(units_managed_by(compiler)) == {department, office}
    assert set(units_managed_by(admin)) == set(tree)
    assert list(units_managed_by(nobody)) == []


def test_a_unit_without_its_path_contains_nothing(tree):
    """A unit stored around the services (path='') once made every prefix check match the whole
    tree: a compiler attached to it saw every unit, regime, report and case."""
    pathless = OrgUnit.objects.create(code="NOPATH", name="Đơn vị chưa có đường dẫn")
    assert pathless.path == ""
    compiler = user(role=Role.COMPILER, unit=pathless)
    assert list(OrgUnit.objects.within(pathless)) == []
    assert not pathless.contains(tree[0])
    assert not unit_in_subtree(compiler, tree[1])
    assert list(units_managed_by(compiler)) == []
    assert list(units_for_user(compiler)) == []
    assert list(regimes_for_user(compiler)) == []
    assert list(submissions_for_user(compiler)) == []
    assert list(cases_for_user(compiler)) == []


def test_no_hand_written_prefix_checks_outside_the_rule():
    """`path__startswith` / `.path.startswith(` appear only where the rule and the tree's own
    maintenance live; everything else asks orgunits.models or orgunits.scope."""
    root = Path(baocao.__file__).parent
    allowed = {root / "orgunits" / "models.py", root / "orgunits" / "services.py"}
    pattern = re.compile(r"path__startswith|\bpath\.startswith\(")
    offenders = [
        f"{path.relative_to(root)}:{n}"
        for path in root.rglob("*.py") if path not in allowed and "migrations" not in path.parts
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if pattern.search(line) and "request.path" not in line
    ]
    assert offenders == []
