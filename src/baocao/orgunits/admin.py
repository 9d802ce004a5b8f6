"""Admin pages of the unit tree. Every write goes through orgunits.services, so a unit added here
gets its path and depth under its parent, a change of parent moves the whole subtree, a closing
date is checked as a closing (no open child left), and each writes its audit rows."""

from __future__ import annotations

from django.contrib import admin
from django.db import transaction

from baocao.audit.modeladmin import AuditedAdmin, ServiceAdmin
from baocao.orgunits.models import OrgUnit, OrgUnitGroup
from baocao.orgunits.services import orgunit_close, orgunit_create, orgunit_move, orgunit_update

EDITABLE = ("code", "name", "short_name", "kind", "valid_from", "valid_to", "note")


@admin.register(OrgUnit)
class OrgUnitAdmin(ServiceAdmin):
    list_display = ("code", "name", "kind", "parent", "valid_from", "valid_to")
    list_filter = ("kind",)
    search_fields = ("code", "name", "search_text")
    raw_id_fields = ("parent",)
    fields = ("code", "name", "short_name", "kind", "parent", "valid_from", "valid_to", "note", "path", "depth")
    readonly_fields = ("path", "depth")

    def has_delete_permission(self, request, obj=None):
        return False  # units are closed (valid_to), never deleted

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        with transaction.atomic():
            if not change:
                unit = orgunit_create(
                    acting_user=request.user, code=data["code"], name=data["name"], kind=data["kind"],
                    parent=data.get("parent"), short_name=data.get("short_name", ""),
                    valid_from=data.get("valid_from"), valid_to=data.get("valid_to"))
                if data.get("note"):
                    unit = orgunit_update(acting_user=request.user, unit=unit, note=data["note"])
            else:
                # The form already put the posted values on `obj`; the stored row is the reference.
                unit = OrgUnit.objects.get(pk=obj.pk)
                changed = {name: data[name] for name in EDITABLE if name in form.changed_data}
                closing = "valid_to" in changed and unit.valid_to is None and changed["valid_to"] is not None
                valid_to = changed.pop("valid_to") if closing else None
                if changed:
                    unit = orgunit_update(acting_user=request.user, unit=unit, **changed)
                if "parent" in form.changed_data:
                    unit = orgunit_move(acting_user=request.user, unit=unit, new_parent=data.get("parent"))
                if valid_to is not None:
                    unit = orgunit_close(acting_user=request.user, unit=unit, valid_to=valid_to)
        # The admin's messages and redirect read `obj`: make it the stored unit.
        obj.__dict__.update({k: v for k, v in unit.__dict__.items() if not k.startswith("_")})
        obj._state.adding = False


@admin.register(OrgUnitGroup)
class OrgUnitGroupAdmin(AuditedAdmin):
    list_display = ("code", "name")
    filter_horizontal = ("members",)
