"""The plan page's edit form goes through plan_update: anonymous → login, a role that may not
manage the plan → 403, another department's plan → 404, refusals next to the field with nothing
changed, an audit row per changed field."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from baocao.audit.models import AuditEvent
from baocao.work.models import Plan
from tests.work.conftest import logged

pytestmark = pytest.mark.django_db


def _data(world, **changes) -> dict:
    data = {"kind": world.plan.kind, "number": world.plan.number, "issuer": world.plan.issuer_id,
            "issued_on": world.plan.issued_on.isoformat(), "title": world.plan.title,
            "sector": world.plan.sector_id, "year_from": "", "year_to": ""}
    data.update(changes)
    return data


def _url(world) -> str:
    return f"/tasks/plans/{world.plan.pk}/edit/"


def test_anonymous_goes_to_login(world):
    r = Client().get(_url(world))
    assert r.status_code == 302 and r["Location"].startswith("/login/")


@pytest.mark.parametrize("role, status", [("viewer", 403), ("inspector", 403), ("reporter_a", 404),
                                          ("other_compiler", 404), ("compiler", 200), ("leader", 200),
                                          ("admin", 200)])
def test_who_may_edit(world, role, status):
    c = logged(getattr(world, role))
    assert c.get(_url(world)).status_code == status
    r = c.post(_url(world), _data(world, title="Đổi trích yếu"))
    assert r.status_code == (302 if status == 200 else status)
    changed = Plan.objects.get(pk=world.plan.pk).title == "Đổi trích yếu"
    assert changed == (status == 200)
    detail = c.get(f"/tasks/plans/{world.plan.pk}/").content.decode()
    assert ('id="plan-edit"' in detail) == (status == 200)


def test_an_edit_is_audited(world):
    r = logged(world.compiler).post(_url(world), _data(world, number="46/KH-UBND", year_from=2022, year_to=2025))
    assert r.status_code == 302 and r["Location"] == f"/tasks/plans/{world.plan.pk}/"
    plan = Plan.objects.get(pk=world.plan.pk)
    assert (plan.number, plan.year_from, plan.year_to, plan.issued_on) == ("46/KH-UBND", 2022, 2025, date(2022, 2, 10))
    fields = set(AuditEvent.objects.filter(action="plan.update", entity_id=plan.pk).values_list("field", flat=True))
    assert fields == {"number", "year_from", "year_to"}


def test_a_refusal_is_next_to_the_field_and_changes_nothing(world):
    r = logged(world.compiler).post(_url(world), _data(world, title="Mới", year_from=2025, year_to=2022))
    assert r.status_code == 400
    assert "Năm hết hiệu lực không được trước năm bắt đầu hiệu lực." in r.content.decode()
    assert Plan.objects.get(pk=world.plan.pk).title != "Mới"
    assert not AuditEvent.objects.filter(action="plan.update").exists()
