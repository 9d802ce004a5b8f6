"""The consolidated report's pages: scope per role, build, edit with conflicts, recompute, approve,
downloads, targets; and composing touches the database a fixed number of times."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from baocao.consolidation.models import ConsolidatedReport, Target
from baocao.consolidation.selectors import compose_input
from baocao.orgunits.choices import UnitKind
from tests.consolidation.test_api import approved
from tests.factories import World, unit, user

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db) -> World:
    w = World()
    approved(w, w.unit_a, "2021S1", {"A": 1, "B": 2, "PCT": 40})
    approved(w, w.unit_a, "2022S1", {"A": 2, "B": 3, "PCT": 50})
    return w


def client(u) -> Client:
    c = Client()
    c.force_login(u)
    return c


def build(world) -> ConsolidatedReport:
    r = client(world.compiler).post("/reports/build/", {"regime": world.regime.pk, "period": "2022S1"})
    assert r.status_code == 302, r.content
    return ConsolidatedReport.objects.get()


def test_pages_by_role(world):
    report = build(world)
    for role, expected in [("admin", 200), ("compiler", 200), ("leader", 200), ("viewer", 200),
                           ("inspector", 200), ("reporter_a", 404), ("other_compiler", 404)]:
        c = client(getattr(world, role))
        assert c.get(f"/reports/{report.pk}/").status_code == expected, role
        assert c.get(f"/reports/{report.pk}/versions/1/docx/").status_code == expected, role
    assert client(world.reporter_a).get("/reports/").status_code == 404
    anonymous = Client().get(f"/reports/{report.pk}/")
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/login/")


def test_only_the_compiler_edits_and_only_the_leader_approves(world):
    report = build(world)
    html = client(world.viewer).get(f"/reports/{report.pk}/").content.decode()
    assert 'id="edit-form"' not in html and 'id="approve-btn"' not in html
    html = client(world.leader).get(f"/reports/{report.pk}/").content.decode()
    assert 'id="edit-form"' not in html and 'id="approve-btn"' in html
    html = client(world.compiler).get(f"/reports/{report.pk}/").content.decode()
    assert 'id="edit-form"' in html and 'id="approve-btn"' not in html
    r = client(world.viewer).post(f"/reports/{report.pk}/save/", {"base_version": 1, "part:intro": "x"},
                                  follow=True)
    assert "Chỉ chuyên viên tổng hợp" in r.content.decode()
    assert report.versions.count() == 1


def test_save_conflict_keeps_the_typed_text(world):
    report = build(world)
    c = client(world.compiler)
    c.post(f"/reports/{report.pk}/save/", {"base_version": 1, "part:intro": "Bản thứ hai."})
    r = c.post(f"/reports/{report.pk}/save/", {"base_version": 1, "part:intro": "Bản tôi đang gõ."})
    assert r.status_code == 409
    html = r.content.decode()
    assert "Người khác vừa lưu" in html and "Bản tôi đang gõ." in html
    assert report.versions.count() == 2


def test_recompute_then_approve_freezes(world):
    report = build(world)
    c = client(world.compiler)
    c.post(f"/reports/{report.pk}/save/", {"base_version": 1, "part:intro": "Mở đầu đã sửa."})
    approved(world, world.unit_b, "2022S1", {"A": 5, "B": 9, "PCT": 70})
    r = c.post(f"/reports/{report.pk}/recompute/", {"base_version": 2}, follow=True)
    html = r.content.decode()
    assert 'id="changes"' in html and "Mở đầu đã sửa." in html
    leader = client(world.leader)
    # The button asks for confirmation first: nothing is approved by the first post.
    r = leader.post(f"/reports/{report.pk}/versions/3/approve/", {"issued_on": "2022-07-05"})
    assert r.status_code == 200 and 'id="approve-confirm-btn"' in r.content.decode()
    assert not report.versions.filter(status="approved").exists()
    r = leader.post(f"/reports/{report.pk}/versions/3/approve/", {"issued_on": "2022-07-05", "confirm": "1"},
                    follow=True)
    assert "Đã phê duyệt phiên bản 3, số 01" in r.content.decode()
    html = c.get(f"/reports/{report.pk}/").content.decode()
    assert 'id="recompute-btn"' not in html and "01/BC-" in html


def test_downloads(world):
    report = build(world)
    c = client(world.compiler)
    magic = {"docx": b"PK", "pdf": b"%PDF", "html": b"<!DOCTYPE", "json": b"{"}
    for fmt, start in magic.items():
        r = c.get(f"/reports/{report.pk}/versions/1/{fmt}/")
        assert r.status_code == 200 and r.content.lstrip()[: len(start)].upper() == start.upper(), fmt
    assert c.get(f"/reports/{report.pk}/versions/1/exe/").status_code == 400
    assert c.get(f"/reports/{report.pk}/versions/9/docx/").status_code == 404


def test_targets_page(world):
    c = client(world.compiler)
    r = c.post("/reports/targets/", {"year": 2022, "t:A": "1.500", "t:B": "abc"})
    html = r.content.decode()
    assert "không phải là số" in html and 'value="abc"' in html
    assert Target.objects.get(indicator_code="A").value == 1500
    r = c.post("/reports/targets/", {"year": 2022, "t:A": "", "t:B": "12,5"})
    assert r.status_code == 302
    assert list(Target.objects.values_list("indicator_code", "value")) == [("B", 12.5)]
    assert client(world.reporter_a).get("/reports/targets/").status_code == 404


def _compose_queries(world) -> int:
    with CaptureQueriesContext(connection) as ctx:
        compose_input(regime=world.regime, period="2022S1", unit=world.department)
    return len(ctx.captured_queries)


def test_composing_touches_the_database_a_fixed_number_of_times(world):
    before = _compose_queries(world)
    for i in range(12):
        u = unit(kind=UnitKind.COMMUNE, parent=world.province, name=f"Xã Thêm {i}")
        world.regime.reporting_units.add(u)
        reporter = user(role="reporter", unit=u)
        from baocao.submissions.services import (
            submission_approve,
            submission_get_or_create,
            submission_save_draft,
            submission_submit,
        )

        s = submission_get_or_create(regime=world.regime, period="2022S1", unit=u, acting_user=reporter)
        submission_save_draft(submission=s, acting_user=reporter, values={"A": i, "B": i + 1},
                              narratives={"RESULTS": f"Xã {i} hoàn thành."})
        submission_submit(submission=s, acting_user=reporter)
        submission_approve(submission=s, acting_user=world.compiler)
    assert _compose_queries(world) == before


def test_the_edit_form_names_the_parts_without_a_heading(world):
    """The opening, the reporting status and the closing paragraph "Trên đây là …./." are edited like
    the other parts, each under a name of its own."""
    report = build(world)
    html = client(world.compiler).get(f"/reports/{report.pk}/").content.decode()
    for label in ("Mở đầu", "Tình hình gửi báo cáo", "Đoạn kết"):
        assert f">{label}</label>" in html or f">{label} <" in html, label
    assert 'name="part:ending"' in html and "./.</textarea>" in html
