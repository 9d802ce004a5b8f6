from django.contrib import admin

from baocao.orgunits.models import OrgUnit, OrgUnitGroup


@admin.register(OrgUnit)
class OrgUnitAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "parent", "valid_from", "valid_to")
    list_filter = ("kind",)
    search_fields = ("code", "name", "search_text")
    raw_id_fields = ("parent",)
    readonly_fields = ("path", "depth")

    def has_delete_permission(self, request, obj=None):
        return False  # units are closed (valid_to), never deleted


@admin.register(OrgUnitGroup)
class OrgUnitGroupAdmin(admin.ModelAdmin):
    list_display = ("code", "name")
    filter_horizontal = ("members",)
