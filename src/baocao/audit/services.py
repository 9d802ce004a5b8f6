"""Writing audit rows. Called by services inside their own transaction."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from baocao.audit.actions import AuditAction, audit_action
from baocao.audit.models import AuditEvent


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: str
    new: str


def audit_record(
    *, actor, action: AuditAction, entity: str, entity_id: int, unit=None, field: str = "",
    old: str = "", new: str = "", comment: str = "",
) -> AuditEvent:
    return AuditEvent.objects.create(
        actor=actor, action=audit_action(action).value, entity=entity, entity_id=entity_id, unit=unit,
        field=field, old_value=old, new_value=new, comment=comment,
    )


def audit_record_changes(
    *, actor, action: AuditAction, entity: str, entity_id: int, unit=None, changes: Iterable[FieldChange]
) -> list[AuditEvent]:
    action = audit_action(action)
    rows = [
        AuditEvent(actor=actor, action=action.value, entity=entity, entity_id=entity_id, unit=unit,
                   field=c.field, old_value=c.old, new_value=c.new)
        for c in changes
    ]
    return AuditEvent.objects.bulk_create(rows)
