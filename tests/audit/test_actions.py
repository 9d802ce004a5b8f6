"""Audit actions are constants (baocao.audit.actions): audit_record refuses any other value, so a
free string added to a service fails, and nothing is written."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import baocao
from baocao.audit.actions import AuditAction
from baocao.audit.models import AuditEvent
from baocao.audit.services import FieldChange, audit_record, audit_record_changes
from tests.factories import unit

pytestmark = pytest.mark.django_db


def test_a_listed_action_is_stored_with_its_label():
    u = unit()
    event = audit_record(actor=None, action=AuditAction.ORGUNIT_UPDATE, entity="orgunit", entity_id=u.pk, unit=u)
    event.refresh_from_db()
    assert event.action == "orgunit.update"
    assert event.action_label == "sửa đơn vị"


@pytest.mark.parametrize("action", ["orgunit.rename", "", "ORGUNIT.UPDATE"])
def test_an_unknown_action_is_refused_and_nothing_written(action):
    u = unit()
    with pytest.raises(ValueError, match="Unknown audit action"):
        audit_record(actor=None, action=action, entity="orgunit", entity_id=u.pk)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="Unknown audit action"):
        audit_record_changes(actor=None, action=action, entity="orgunit", entity_id=u.pk,  # type: ignore[arg-type]
                             changes=[FieldChange("name", "a", "b")])
    assert not AuditEvent.objects.exists()


def test_every_action_has_a_vietnamese_label_and_the_entity_verb_shape():
    assert len(set(AuditAction.values)) == len(AuditAction.values)
    for action in AuditAction:
        assert re.fullmatch(r"[a-z_]+\.[a-z_]+", action.value), action
        assert action.label and action.label != action.value


def test_no_service_writes_a_free_string_action():
    root = Path(baocao.__file__).parent
    pattern = re.compile(r"""(audit_record(_changes)?\(|_audit\()[^)]*action=["']""")
    offenders = [
        f"{path.relative_to(root)}:{n}"
        for path in root.rglob("*.py") if "migrations" not in path.parts
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if pattern.search(line)
    ]
    assert offenders == []
