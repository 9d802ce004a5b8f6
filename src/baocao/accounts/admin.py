from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from baocao.accounts.models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "full_name", "role", "unit", "is_active")
    list_filter = ("role", "is_active")
    raw_id_fields = ("unit",)
    fieldsets = (*(BaseUserAdmin.fieldsets or ()), ("baocao", {"fields": ("full_name", "role", "unit")}))
