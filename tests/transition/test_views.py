"""The admin's reorganisation pages: a preview that writes nothing, an apply that records the event
and carries it in one transaction, and refusals that name the line."""

from __future__ import annotations

from datetime import date

import pytest

from baocao.audit.models import AuditEvent
from baocao.orgunits.choices import UnitKind
from baocao.orgunits.models import OrgUnit, ReorgEvent, UnitLink
from tests.factories import World, unit

pytestmark = pytest.mark.django_db

DAY = date(2025, 7, 1)


@pytest.fixture
def world():
    world = World()
    world.uc = unit(code="UC", name="Xã Chợ Mới", kind=UnitKind.COMMUNE, parent=world.province, valid_from=DAY)
    return world


def _post(client, **extra):
    data = {"kind": "merge", "effective": "2025-07-01", "legal_basis": "Nghị quyết số 1683/NQ-UBTVQH15",
            "links": "UA > UC\nUB > UC"}
    data.update(extra)
    return client.post("/reorganisations/new/", data)


def _counts():
    return ReorgEvent.objects.count(), UnitLink.objects.count(), AuditEvent.objects.count()


def test_only_admins_reach_the_pages(client, world):
    for user, status in ((world.compiler, 403), (world.reporter_a, 403), (world.admin, 200)):
        client.force_login(user)
        assert client.get("/reorganisations/").status_code == status
        assert client.get("/reorganisations/new/").status_code == status
    assert client.get("/reorganisations/999999/").status_code == 404


def test_the_preview_shows_what_moves_and_writes_nothing(client, world):
    client.force_login(world.admin)
    before = _counts()
    response = _post(client, preview="1")
    text = response.content.decode()
    assert response.status_code == 200
    assert "UA Phòng Văn hóa và Thông tin huyện An → UC Xã Chợ Mới" in text
    assert "Tài khoản «an»" in text and "Chế độ báo cáo «BC-TEST»: đơn vị báo cáo" in text
    assert 'id="reorg-apply"' in text
    assert _counts() == before
    assert OrgUnit.objects.get(code="UA").valid_to is None


def test_apply_records_the_event_and_carries_it(client, world):
    client.force_login(world.admin)
    response = _post(client, apply="1")
    event = ReorgEvent.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/reorganisations/{event.pk}/"
    assert event.applied_at is not None and event.links.count() == 2
    assert OrgUnit.objects.get(code="UA").valid_to == date(2025, 6, 30)
    world.reporter_a.refresh_from_db()
    assert world.reporter_a.unit == world.uc
    page = client.get(response["Location"]).content.decode()
    assert "Đã chuyển giao lúc" in page


@pytest.mark.parametrize("links, message", [
    ("UA UC", "Dòng 1: cần dạng"),
    ("UA > UC\nXX > UC", "Dòng 2: không có đơn vị nào giữ mã «XX» ngày 30/06/2025"),
    ("UA > UC 50% dân số", "Tổng tỷ lệ của «Phòng Văn hóa và Thông tin huyện An» ngày 01/07/2025 là 0.5"),
    ("UA > UC 50% theo ý", "Dòng 1: cách xác định «theo ý» không rõ"),
    ("", "This field is required|Trường này là bắt buộc|bắt buộc"),
])
def test_bad_links_are_refused_naming_the_line(client, world, links, message):
    import re

    client.force_login(world.admin)
    before = _counts()
    response = _post(client, links=links, apply="1")
    assert response.status_code == 400
    assert re.search(message, response.content.decode())
    assert _counts() == before


def test_a_meetings_unit_picker_lists_the_units_of_its_day(world):
    from baocao.meetings.views import _unit_choices

    ended = unit(code="UX", name="Phòng đã giải thể", kind=UnitKind.DISTRICT_OFFICE, parent=world.province,
                 valid_to=date(2023, 12, 31))
    old_day = {u.code for u in _unit_choices(world.admin, date(2022, 7, 7))}
    today = {u.code for u in _unit_choices(world.admin, date(2026, 1, 5))}
    assert "UX" in old_day and "UC" not in old_day
    assert "UX" not in today and "UC" in today
    assert ended.pk


def test_the_events_of_a_day_are_previewed_then_carried_together(client, world):
    from baocao.orgunits.events import LinkSpec, reorg_event_record

    reorg_event_record(acting_user=world.admin, kind="merge", effective=DAY,
                       links=[LinkSpec(world.unit_a, world.uc), LinkSpec(world.unit_b, world.uc)])
    client.force_login(world.admin)
    listing = client.get("/reorganisations/").content.decode()
    assert "Ngày 01/07/2025: 1 sự kiện" in listing
    preview = client.get("/reorganisations/carry/?effective=2025-07-01").content.decode()
    assert "Tài khoản «an»" in preview and 'id="carry-day-apply"' in preview
    assert ReorgEvent.objects.get().applied_at is None
    response = client.post("/reorganisations/carry/", {"effective": "2025-07-01"})
    assert response.status_code == 302
    assert ReorgEvent.objects.get().applied_at is not None
    assert client.get("/reorganisations/carry/").status_code == 404
