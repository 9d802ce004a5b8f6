"""Helpers of the case register tests: the small department of tests.factories.World with an
inspection sector, a second inspector in another department, and `make_case` to record cases
through the service. (Not a conftest.py: tests/cases is shared with the time-limit tests.)"""

from __future__ import annotations

from datetime import date

from django.test import Client

from baocao.accounts.choices import Role
from baocao.cases.choices import CaseKind, Channel
from baocao.cases.models import Case
from baocao.cases.services import case_accept, case_create
from baocao.reporting.models import Sector
from tests.factories import World, user

SECRET_NAME = "Nguyễn Văn Bí Mật"
SECRET_CONTACT = "Số 9 ngõ Kín, phường Đức Xuân, 0912 000 111"


def case_world() -> World:
    w = World()
    w.sector = Sector.objects.create(code="TTRA", name="Thanh tra, kiểm tra", order=4)
    w.other_inspector = user(username="thanhtra2", role=Role.INSPECTORATE, unit=w.other_department)
    w.inspector.email = "thanhtra@baocao.test"
    w.inspector.full_name = "Hoàng Thị Thanh"
    w.inspector.save()
    return w


def make_case(world: World, *, by=None, kind: str = CaseKind.PETITION, received_on: date = date(2022, 3, 1),
              accepted_on: date | None = None, **fields) -> Case:
    fields.setdefault("summary", "Kiến nghị về chất lượng dịch vụ bưu chính chuyển phát.")
    fields.setdefault("channel", Channel.DIRECT)
    case = case_create(acting_user=by or world.inspector, kind=kind, received_on=received_on, **fields)
    if accepted_on is not None:
        case = case_accept(case=case, accepted_on=accepted_on, acting_user=by or world.inspector)
    return case


def make_denunciation(world: World, **fields) -> Case:
    fields.setdefault("summary", "Tố cáo hành vi nhận tiền của doanh nghiệp bưu chính.")
    fields.setdefault("code", "TC-01")
    return make_case(world, kind=CaseKind.DENUNCIATION, submitter_name=SECRET_NAME,
                     submitter_contact=SECRET_CONTACT, subject_org="Bưu cục Trung tâm", sector=world.sector,
                     **fields)


def logged(u) -> Client:
    c = Client()
    c.force_login(u)
    return c
