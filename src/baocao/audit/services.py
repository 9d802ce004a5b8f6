"""Writing audit rows. Called by services inside their own transaction."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from baocao.audit.models import AuditEvent


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: str
    new: str


def audit_record(
    *, actor, action: str, entity: str, entity_id: int, unit=None, field: str = "",
    old: str = "", new: str = "", comment: str = "",
) -> AuditEvent:
    return AuditEvent.objects.create(
        actor=actor, action=action, entity=entity, entity_id=entity_id, unit=unit,
        field=field, old_value=old, new_value=new, comment=comment,
    )


def audit_record_changes(
    *, actor, action: str, entity: str, entity_id: int, unit=None, changes: Iterable[FieldChange]
) -> list[AuditEvent]:
    rows = [
        AuditEvent(actor=actor, action=action, entity=entity, entity_id=entity_id, unit=unit,
                   field=c.field, old_value=c.old, new_value=c.new)
        for c in changes
    ]
    return AuditEvent.objects.bulk_create(rows)
