"""Every admin page of the project's models either writes through services (ServiceAdmin and its
AuditedAdmin) or is read-only, and every one of them still opens."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.test import Client, RequestFactory

from baocao.audit.modeladmin import ReadOnlyAdmin, ServiceAdmin
from tests.factories import World

pytestmark = pytest.mark.django_db

PROJECT = [(model, model_admin) for model, model_admin in admin.site._registry.items()
           if model.__module__.startswith("baocao.")]


def test_the_project_registers_its_models():
    assert len(PROJECT) >= 20


@pytest.mark.parametrize("model_admin", [a for _, a in PROJECT], ids=lambda a: a.__class__.__name__)
def test_each_admin_writes_through_services_or_not_at_all(model_admin, db):
    w = World()
    request = RequestFactory().get("/")
    request.user = w.admin
    if isinstance(model_admin, ServiceAdmin):
        return
    assert isinstance(model_admin, ReadOnlyAdmin), model_admin
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)
    for inline in model_admin.get_inline_instances(request):
        assert not inline.has_add_permission(request, None) and not inline.has_change_permission(request)


@pytest.mark.parametrize("model", [m for m, _ in PROJECT], ids=lambda m: m.__name__)
def test_each_admin_page_opens(model):
    w = World()
    c = Client()
    c.force_login(w.admin)
    base = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
    assert c.get(base).status_code == 200
    assert c.get(base + "add/").status_code in (200, 403)
    obj = model._default_manager.first()
    if obj is not None:
        assert c.get(f"{base}{obj.pk}/change/").status_code == 200
