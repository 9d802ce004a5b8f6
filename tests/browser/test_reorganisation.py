"""In a real browser: an admin records a merge of two communes, previews what it moves, applies it;
the new commune's history page shows the event with its legal basis and shares; the unit list
shows the tree of a past day; the consolidated report of the next period says where last year's
figures come from, on hover. Screenshots go to test-artifacts/browser/."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from baocao.accounts.choices import Role
from baocao.consolidation.services import consolidated_report_build
from baocao.orgunits.choices import UnitKind
from baocao.orgunits.models import OrgUnit, ReorgEvent
from baocao.reporting.models import Indicator, ReportingRegime
from baocao.submissions.services import (
    submission_approve,
    submission_get_or_create,
    submission_save_draft,
    submission_submit,
)
from tests.browser.conftest import login
from tests.factories import PASSWORD, World, unit, user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DAY = date(2022, 1, 1)


def _approved(world, reporter, period, values):
    submission = submission_get_or_create(regime=world.regime, period=period, unit=reporter.unit, acting_user=reporter)
    submission_save_draft(submission=submission, acting_user=reporter, values=values, narratives={"RESULTS": "Xong."})
    submission_submit(submission=submission, acting_user=reporter)
    submission_approve(submission=submission, acting_user=world.compiler)


def test_admin_records_previews_and_applies_a_merge_then_sees_its_history(new_page, screenshots):
    world = World()
    Indicator.objects.filter(form_version=world.form_version, code="PCT").update(aggregation="average")
    _approved(world, world.reporter_a, "2021S1", {"A": 10, "B": 15, "PCT": 40})
    _approved(world, world.reporter_b, "2021S1", {"A": 21, "B": 30, "PCT": 60})
    merged = unit(code="UC", name="Phòng Văn hóa và Thông tin huyện Chợ", kind=UnitKind.DISTRICT_OFFICE,
                  parent=world.province, valid_from=DAY)

    page = new_page()
    login(page, "admin", PASSWORD)
    page.click("nav >> text=Sắp xếp đơn vị")
    page.click("#reorg-new")
    page.select_option("#id_kind", "merge")
    page.fill("#id_effective", "01/01/2022")
    page.fill("#id_legal_basis", "Nghị quyết số 9/NQ-HĐND")
    page.fill("#id_links", "UA > UC\nUB > UC")
    page.click("#reorg-preview")
    moves = page.locator("#carry-moves")
    expect(moves).to_contain_text("Tài khoản «an»")
    expect(moves).to_contain_text("Chế độ báo cáo «BC-TEST»: đơn vị báo cáo")
    screenshots(page, "preview")
    assert ReorgEvent.objects.count() == 0  # a preview writes nothing
    page.click("#reorg-apply")
    expect(page.locator("#event-applied")).to_contain_text("Đã chuyển giao lúc")
    screenshots(page, "applied")
    assert OrgUnit.objects.get(code="UA").valid_to == date(2021, 12, 31)

    page.click("#event-links >> text=UC – Phòng Văn hóa và Thông tin huyện Chợ")
    timeline = page.locator("#unit-timeline")
    expect(timeline).to_contain_text("01/01/2022 — Sáp nhập (Nghị quyết số 9/NQ-HĐND)")
    expect(page.locator("#unit-predecessors")).to_contain_text("Phòng Văn hóa và Thông tin huyện An")
    expect(page.locator("#unit-predecessors")).to_contain_text("100%")
    screenshots(page, "history")

    page.goto("/units/?on=2021-06-30")
    expect(page.locator("#unit-table")).to_contain_text("Phòng Văn hóa và Thông tin huyện An")
    expect(page.locator("#unit-table")).not_to_contain_text("huyện Chợ")

    # The next period's report of the department compares the new unit with its predecessors.
    reporter = user(username="cho", role=Role.REPORTER, unit=merged)
    _approved(world, reporter, "2022S1", {"A": 30, "B": 40, "PCT": 55})
    version = consolidated_report_build(regime=world.regime, period="2022S1", unit=world.department,
                                        acting_user=world.compiler)
    page.goto(f"/reports/{version.report_id}/")
    card = page.locator("#figures-basis")
    expect(page.locator("#previous-note")).to_have_text(
        "Số liệu cùng kỳ năm 2021 tổng hợp từ 2 phòng chuyên môn cấp huyện trước sắp xếp.")
    figure = card.locator("li[data-code=A]")
    expect(figure).to_have_attribute("title", "Số cùng kỳ: 31 — tổng hợp từ các đơn vị trước sắp xếp")
    figure.hover()
    expect(figure).to_contain_text("từ đơn vị trước sắp xếp")
    screenshots(page, "report-basis")
    assert Decimal(version.composed["parts"][2]["figures"][0]["previous"]) == Decimal(31)


def test_the_demos_2026_report_shows_where_last_years_figures_come_from(new_page, screenshots):
    """On the demo: the compiler of the Sở KH&CN Thái Nguyên builds the 2026S1 BC-XA report from the
    reports page, sees the basis sentence and each figure's basis on hover, then opens a new
    commune's history."""
    from tests.demo_data import demo_restore

    demo_restore()
    page = new_page()
    login(page, "tonghop-tn")
    page.goto("/reports/")
    regime = ReportingRegime.objects.get(code="BC-XA")
    page.select_option("#b-regime", str(regime.pk))
    page.select_option("#b-period", "2026S1")
    page.click("#build-btn")
    page.wait_for_url(re.compile(r"/reports/\d+/$"))
    expect(page.locator("#previous-note")).to_contain_text(
        "Số liệu cùng kỳ năm 2025 tổng hợp từ 108 xã, phường, thị trấn trước sắp xếp")
    figure = page.locator("#figures-basis li").first
    expect(figure).to_have_attribute("title", re.compile(r"^Số cùng kỳ: .+ — tổng hợp từ các đơn vị trước sắp xếp$"))
    figure.hover()
    page.locator("#lineage-rows summary").click()
    expect(page.locator("#lineage-rows tbody tr")).to_have_count(37)
    screenshots(page, "demo-2026-report-basis")

    commune = OrgUnit.objects.filter(code="01840", valid_from=date(2025, 7, 1)).get()
    page.goto(f"/units/{commune.pk}/history/")
    expect(page.locator("#unit-timeline")).to_contain_text("01/07/2025 — Sáp nhập")
    expect(page.locator("#unit-predecessors")).to_contain_text("Phường Đức Xuân")
    screenshots(page, "demo-commune-history")
