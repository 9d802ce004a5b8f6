"""Base classes of the project's admin pages, so that the admin site is no way round the rules.

- `ServiceAdmin`: the page's writes go through services (subclasses call them in `save_model` /
  `save_related` / `delete_model`). An `AppError` raised there is shown as a form error: the
  request is replayed with the error attached to the form, nothing of either run is kept.
- `AuditedAdmin`: for configuration records with no rule beyond their form's validation (time
  limits, groups, sectors…): the save is `admin_record_save`, which writes one audit row per
  changed field (many-to-many fields included), and a delete writes its row too.
- `ReadOnlyAdmin`: records whose changes belong to pages and services elsewhere.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib import admin
from django.db import models, transaction

from baocao.audit.actions import audit_action
from baocao.audit.services import FieldChange, audit_record, audit_record_changes
from baocao.core.errors import AppError

_ERROR_ATTR = "_baocao_service_error"


def _show(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, models.Model):
        return str(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _form_with_error(form_class: type, error: AppError) -> type:
    class RefusedForm(form_class):
        def clean(self):
            data = super().clean()
            for name, message in (error.extra.get("fields") or {}).items():
                if name in self.fields and name not in self.errors:
                    self.add_error(name, str(message))
            self.add_error(None, error.message)
            return data

    RefusedForm.__name__ = form_class.__name__
    return RefusedForm


class ServiceAdmin(admin.ModelAdmin):
    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            with transaction.atomic():
                return super().changeform_view(request, object_id, form_url, extra_context)
        except AppError as exc:
            setattr(request, _ERROR_ATTR, exc)
        # Second run: the same POST, whose form now carries the service's refusal; it cannot
        # validate, so nothing is saved (and the rollback makes sure of it).
        with transaction.atomic():
            response = super().changeform_view(request, object_id, form_url, extra_context)
            transaction.set_rollback(True)
        return response

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        error = getattr(request, _ERROR_ATTR, None)
        return _form_with_error(form, error) if error is not None else form


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(admin.options.InlineModelAdmin):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def admin_record_save(*, acting_user, instance: models.Model, entity: str, creating: bool,
                      changes: Iterable[FieldChange], unit=None) -> models.Model:
    """Save a configuration record edited in the admin with its audit rows, in one transaction."""
    with transaction.atomic():
        instance.save()
        action = audit_action(f"{entity}.create" if creating else f"{entity}.update")
        if creating:
            audit_record(actor=acting_user, action=action, entity=entity, entity_id=instance.pk, unit=unit,
                         new=str(instance))
        audit_record_changes(actor=acting_user, action=action, entity=entity, entity_id=instance.pk, unit=unit,
                             changes=[c for c in changes if c.old != c.new])
    return instance


def admin_record_delete(*, acting_user, instance: models.Model, entity: str, unit=None) -> None:
    with transaction.atomic():
        pk, label = instance.pk, str(instance)
        instance.delete()
        audit_record(actor=acting_user, action=audit_action(f"{entity}.delete"), entity=entity, entity_id=pk, unit=unit,
                     old=label)


class AuditedAdmin(ServiceAdmin):
    """Saves through `admin_record_save`; `audit_entity` names the rows (default: the model name)."""

    audit_entity: str = ""

    def _entity(self) -> str:
        return self.audit_entity or self.model._meta.model_name

    def audit_unit(self, obj):
        return None

    def save_model(self, request, obj, form, change):
        old = type(obj)._default_manager.get(pk=obj.pk) if change else None
        changes = []
        for name in form.changed_data:
            field = obj._meta.get_field(name) if name in {f.name for f in obj._meta.fields} else None
            if field is None:
                continue  # many-to-many: recorded in save_related, once the relation is written
            changes.append(FieldChange(name, _show(getattr(old, name)) if old is not None else "",
                                       _show(getattr(obj, name))))
        admin_record_save(acting_user=request.user, instance=obj, entity=self._entity(), creating=not change,
                          changes=changes, unit=self.audit_unit(obj))

    def save_related(self, request, form, formsets, change):
        obj = form.instance
        m2m = [f.name for f in obj._meta.many_to_many if f.name in form.changed_data]
        before = {name: sorted(str(o) for o in getattr(obj, name).all()) for name in m2m} if change else {}
        super().save_related(request, form, formsets, change)
        changes = []
        for name in m2m:
            after = sorted(str(o) for o in getattr(obj, name).all())
            old = before.get(name, [])
            if after != old:
                changes.append(FieldChange(name, ", ".join(old), ", ".join(after)))
        action = f"{self._entity()}.update" if change else f"{self._entity()}.create"
        audit_record_changes(actor=request.user, action=action, entity=self._entity(), entity_id=obj.pk,
                             unit=self.audit_unit(obj), changes=changes)

    def delete_model(self, request, obj):
        admin_record_delete(acting_user=request.user, instance=obj, entity=self._entity(),
                            unit=self.audit_unit(obj))

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for obj in queryset:
                self.delete_model(request, obj)
