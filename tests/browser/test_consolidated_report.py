"""The consolidated report in a real browser: the compiler builds the 2022S1 report, edits a
sentence and saves; a late submission changes a figure; recomputing keeps the edit and shows the
change; the leader approves; the frozen version no longer changes when data change."""

from __future__ import annotations

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from baocao.accounts.choices import Role
from baocao.accounts.models import User
from baocao.consolidation.models import ConsolidatedReport
from baocao.consolidation.services import consolidated_report_recompute
from baocao.core.errors import AppError
from baocao.orgunits.choices import UnitKind
from baocao.orgunits.models import OrgUnit, OrgUnitGroup
from baocao.orgunits.services import orgunit_create
from baocao.reporting.models import ReportingRegime
from baocao.submissions.services import (
    submission_approve,
    submission_get_or_create,
    submission_save_draft,
    submission_submit,
)
from tests.browser.conftest import login, logout
from tests.demo_data import demo_restore

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EDIT = "Hội nghị ghi nhận các huyện đã chủ động tham mưu nâng cấp đài truyền thanh cấp xã."


def late_enterprise_report(code: str, bts: int) -> None:
    """A telecom operator newly added to the regime reports late; the compiler approves it."""
    admin = User.objects.get(username="admin")
    province = OrgUnit.objects.get(code="06")
    # An operator of 2022: Bắc Kạn ended on 11 June 2025 (the demo goes on through the reorganisation),
    # so nothing can be created under it from today.
    unit = orgunit_create(acting_user=admin, code=code, name=f"Doanh nghiệp viễn thông {code}",
                          kind=UnitKind.ENTERPRISE, parent=province, valid_from=date(2022, 1, 1))
    OrgUnitGroup.objects.get(code="DN-VT").members.add(unit)
    regime = ReportingRegime.objects.get(code="BC-TTTT")
    sub = submission_get_or_create(regime=regime, period="2022S1", unit=unit, acting_user=admin)
    submission_save_draft(submission=sub, acting_user=admin, values={"BTS_TOTAL": bts, "BTS_4G": bts})
    submission_submit(submission=sub, acting_user=admin)
    submission_approve(submission=sub, acting_user=User.objects.get(username="tonghop"))
    assert User.objects.get(username="tonghop").role == Role.COMPILER


def build_as_compiler(new_page):
    """The demo loaded; the compiler builds (the demo's draft: recomputes) the 2022S1 report."""
    demo_restore()
    page = new_page()
    login(page, "tonghop")
    page.goto("/reports/")
    page.select_option("#b-regime", value=str(ReportingRegime.objects.get(code="BC-TTTT").pk))
    page.select_option("#b-period", "2022S1")
    page.click("#build-btn")
    page.wait_for_url(re.compile(r"/reports/\d+/$"))
    return page


def test_build_edit_recompute_approve_freeze(new_page, screenshots):
    page = build_as_compiler(new_page)
    # The demo already holds the draft the conference discussed; building again recomputes it.
    built = int(re.match(r"\d+", page.locator("#version-number").inner_text()).group())
    preview = page.locator("#preview")
    for heading in ["Thông tin – Báo chí – Xuất bản", "Bưu chính – Viễn thông", "Công nghệ thông tin",
                    "Thanh tra", "huyện"]:
        expect(preview).to_contain_text(heading)
    screenshots(page, "tonghop-built")

    # Edit a sentence of the districts' part and save a new version.
    area = page.locator("textarea[data-part='section:V']")
    area.fill(EDIT + "\n\n" + area.input_value())
    page.click("#save-btn")
    expect(page.locator("#version-number")).to_contain_text(str(built + 1))
    expect(page.locator("#preview")).to_contain_text(EDIT)
    screenshots(page, "tonghop-edited")

    # A late submission changes a figure; recomputing keeps the edit and shows the change.
    late_enterprise_report("VNMB-BK", 17)
    page.click("#recompute-btn")
    expect(page.locator("#version-number")).to_contain_text(str(built + 2))
    expect(page.locator("#changes")).to_contain_text("BTS")
    expect(page.locator("textarea[data-part='section:V']")).to_have_value(re.compile(re.escape(EDIT)))
    screenshots(page, "tonghop-recomputed")
    logout(page)

    # The leader approves the latest version: it gets its number and is frozen.
    page = new_page()
    login(page, "lanhdao")
    report = ConsolidatedReport.objects.get(period="2022S1")
    page.goto(f"/reports/{report.pk}/")
    page.fill("#issued-on", "05/07/2022")
    page.click("#approve-btn")
    expect(page.locator("#approve-confirm")).to_contain_text("ngày ban hành 05/07/2022")
    page.click("#approve-confirm-btn")
    expect(page.locator("#version-status")).to_have_text("Đã phê duyệt")
    expect(page.locator("#preview")).to_contain_text("05/BC-STTTT")
    expect(page.locator("#preview")).to_contain_text("ngày 05 tháng 7 năm 2022")
    screenshots(page, "lanhdao-approved")
    frozen = page.locator("#preview").inner_text()

    # Data change after approval: the approved version does not move, and cannot be recomputed.
    late_enterprise_report("GTEL-BK", 40)
    with pytest.raises(AppError):
        consolidated_report_recompute(report=report, acting_user=User.objects.get(username="tonghop"))
    page.reload()
    assert page.locator("#preview").inner_text() == frozen
    assert page.locator("#recompute-btn").count() == 0


def test_compiler_splits_and_merges_groups_of_sentences(new_page, screenshots):
    """The groups of the districts' sentences on the report page: take one district's sentence out of
    the shared one (the text then says «trừ …» and names it alone), merge it back."""
    page = build_as_compiler(new_page)
    groups = page.locator("#groups-section\\:V")
    groups.locator("summary").click()
    shared = groups.locator("li[data-group]").filter(has_text="Phòng VHTT các huyện, thành phố").first
    expect(shared).to_be_visible()
    screenshots(page, "groups-open")
    member = shared.locator("ul li").last
    taken_out = member.inner_text().split(": ", 1)[1].removesuffix(" Tách").strip()
    member.locator("button[name=split]").click()
    expect(page.locator("#preview")).to_contain_text("(trừ ")
    screenshots(page, "groups-split")
    groups = page.locator("#groups-section\\:V")
    expect(groups).to_have_attribute("open", "")
    groups.locator("li[data-group]").filter(has_text="(trừ ").first.locator("input[name=merge]").check()
    # the sentence taken out now stands alone: a group without members listed under it
    alone = groups.locator("li[data-group]").filter(has_text=" ".join(taken_out.split()[1:])[:50]).filter(
        has_not=page.locator("ul"))
    alone.first.locator("input[name=merge]").check()
    groups.locator("button[value=merge]").click()
    expect(page.locator("#preview")).not_to_contain_text("(trừ ")
    expect(page.locator("#preview")).to_contain_text("Phòng VHTT các huyện, thành phố đã chủ động tham mưu UBND cấp huyện")
    screenshots(page, "groups-merged")
