"""Admin pages of users. A user's role and unit decide their scope, so every change made here goes
through accounts.services (user_create, user_update, user_set_password): the same checks as
elsewhere and an audit row per changed field; a refusal is a form error and nothing is saved."""

from __future__ import annotations

from contextvars import ContextVar

from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm
from django.contrib.auth.models import Group

from baocao.accounts.models import User
from baocao.accounts.services import USER_FIELDS, user_create, user_set_password, user_update
from baocao.audit.modeladmin import AuditedAdmin, ServiceAdmin

# Django's password view builds its form itself, without the request; the acting user rides here.
_acting_user: ContextVar = ContextVar("baocao_admin_acting_user")


class AuditedPasswordChangeForm(AdminPasswordChangeForm):
    def save(self, commit=True):
        password = self.cleaned_data["password1"] if self.cleaned_data.get("set_usable_password") else None
        return user_set_password(acting_user=_acting_user.get(), user=self.user, password=password)


@admin.register(User)
class UserAdmin(ServiceAdmin, BaseUserAdmin):
    list_display = ("username", "full_name", "role", "unit", "is_active")
    list_filter = ("role", "is_active")
    raw_id_fields = ("unit",)
    fieldsets = (*(BaseUserAdmin.fieldsets or ()), ("baocao", {"fields": ("full_name", "role", "unit")}))
    add_fieldsets = ((None, {"classes": ("wide",), "fields": (
        "username", "usable_password", "password1", "password2", "full_name", "role", "unit")}),)
    readonly_fields = ("last_login", "date_joined")
    change_password_form = AuditedPasswordChangeForm

    def has_delete_permission(self, request, obj=None):
        return False  # a user's history stays; deactivate instead (is_active)

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if not change:
            usable = data.get("set_usable_password", True)
            user = user_create(acting_user=request.user, username=data["username"],
                               password=data.get("password1") if usable else None,
                               role=data.get("role") or obj.role, unit=data.get("unit"),
                               full_name=data.get("full_name", ""))
        else:
            changed = {name: data[name] for name in USER_FIELDS if name in form.changed_data and name in data}
            user = user_update(acting_user=request.user, user=obj, **changed)
        obj.__dict__.update({k: v for k, v in user.__dict__.items() if not k.startswith("_")})
        obj._state.adding = False

    def save_related(self, request, form, formsets, change):
        # Groups and permissions were written by user_update, with their audit rows.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def user_change_password(self, request, id, form_url=""):
        token = _acting_user.set(request.user)
        try:
            return super().user_change_password(request, id, form_url)
        finally:
            _acting_user.reset(token)


# A group's permissions are its members' permissions: their changes are audited like a user's.
admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(AuditedAdmin, BaseGroupAdmin):
    audit_entity = "group"
