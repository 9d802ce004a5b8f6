"""Fixtures of the task tests: the small department of tests.factories.World with two sectors
and a plan, and `make_task` to assign tasks through the service."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from baocao.reporting.models import Sector
from baocao.work.models import Task
from baocao.work.services import plan_create, task_create
from tests.api.conftest import JsonClient
from tests.factories import World


@pytest.fixture
def world(db) -> World:
    w = World()
    w.it = Sector.objects.create(code="CNTT", name="Công nghệ thông tin", order=3)
    w.post = Sector.objects.create(code="BCVT", name="Bưu chính – Viễn thông", order=2)
    w.plan = plan_create(acting_user=w.compiler, title="Kế hoạch chuyển đổi số năm 2022", issuer=w.province,
                         number="45/KH-UBND", issued_on=date(2022, 2, 10), sector=w.it)
    return w


def make_task(world: World, *, by=None, lead=None, **fields) -> Task:
    """A task assigned by the department's compiler (by default) to unit A (by default)."""
    fields.setdefault("title", "Nâng cấp hệ thống truyền thanh cấp xã")
    return task_create(acting_user=by or world.compiler, lead_unit=lead or world.unit_a, **fields)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def logged(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


class TaskApiClient(JsonClient):
    def patch(self, path: str, data=None, **extra):
        return self._send("patch", path, data, **extra)


@pytest.fixture
def api():
    """api(user) -> a JSON client of /api/v1 logged in as `user` (with PATCH); api() -> anonymous."""

    def make(user=None, **kwargs) -> TaskApiClient:
        return TaskApiClient(user=user, **kwargs)

    return make
