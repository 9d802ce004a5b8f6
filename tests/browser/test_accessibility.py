"""axe-core (bundled by axe-playwright-python) on the twelve main pages, in a real Chromium at a
laptop's width (1366×768) and a phone's (390×844): no serious or critical violation. Screenshots of
every page at both widths go to test-artifacts/browser/<test>/.

Plus what axe cannot judge alone: the skip link reaches the main content, the menu folds behind
its button on a phone, and a date shows dd/mm/yyyy in an English-language browser."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from baocao.consolidation.models import ConsolidatedReport
from baocao.demo.loader import demo_load
from baocao.meetings.models import Meeting
from baocao.reporting.models import ReportingRegime
from baocao.submissions.models import Submission
from tests.browser.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = {"laptop": (1366, 768), "phone": (390, 844)}
SERIOUS = {"serious", "critical"}


def main_pages() -> dict[str, list[tuple[str, str]]]:
    """The pages each account opens: (name, address)."""
    regime = ReportingRegime.objects.get(code="BC-TTTT")
    submission = Submission.objects.filter(regime=regime, unit__code="061-VHTT").order_by("-period").first()
    report = ConsolidatedReport.objects.filter(regime=regime).order_by("period").first()
    meeting = Meeting.objects.order_by("date").first()
    assert submission and report and meeting
    return {
        "lanhdao": [
            ("dashboard-leader", "/"),
            ("regimes", "/regimes/"),
            ("monitor", f"/regimes/{regime.pk}/monitor/"),
            ("submissions", "/submissions/"),
            ("reports", "/reports/"),
            ("report", f"/reports/{report.pk}/"),
            ("tasks", "/tasks/"),
            ("meetings", "/meetings/"),
            ("meeting", f"/meetings/{meeting.pk}/"),
            ("cases", "/cases/"),
            ("units", "/units/"),
        ],
        "babe": [
            ("dashboard-reporter", "/"),
            ("submission", f"/submissions/{submission.pk}/"),
        ],
    }


def describe(violations: list[dict]) -> list[str]:
    lines = []
    for v in violations:
        if v.get("impact") not in SERIOUS:
            continue
        targets = [", ".join(node["target"]) for node in v["nodes"][:4]]
        lines.append(f"{v['impact']} {v['id']}: {v['help']} — {len(v['nodes'])} × {targets}")
    return lines


def test_main_pages_have_no_serious_accessibility_violation(new_page, screenshots):
    demo_load()
    pages = main_pages()
    axe = Axe()
    found: list[str] = []
    for viewport, (width, height) in VIEWPORTS.items():
        for username, addresses in pages.items():
            page = new_page(width=width, height=height)
            login(page, username)
            for name, address in addresses:
                response = page.goto(address)
                assert response is not None and response.ok, f"{address}: {response and response.status}"
                page.wait_for_load_state("networkidle")
                screenshots(page, f"{viewport}-{name}")
                result = axe.run(page)
                found += [f"[{viewport}] {name} {address}: {line}" for line in describe(result.response["violations"])]
            page.context.close()
    assert not found, "serious or critical accessibility violations:\n" + "\n".join(found)


def test_skip_link_and_folding_menu_on_a_phone(new_page, screenshots):
    demo_load()
    page = new_page(width=390, height=844)
    login(page, "tonghop")
    page.goto("/tasks/")
    toggle = page.locator("button.menu-toggle")
    expect(toggle).to_be_visible()
    expect(page.locator("#mainnav")).to_be_hidden()
    screenshots(page, "menu-closed")
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(page.locator("#mainnav")).to_be_visible()
    screenshots(page, "menu-open")
    page.keyboard.press("Escape")
    page.goto("/tasks/")
    page.keyboard.press("Tab")
    skip = page.locator("a.skip-link")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")
    expect(page.locator("#main")).to_be_focused()


def test_laptop_width_shows_the_menu_without_its_button(new_page):
    demo_load()
    page = new_page(width=1366, height=768)
    login(page, "tonghop")
    expect(page.locator("#mainnav")).to_be_visible()
    expect(page.locator("button.menu-toggle")).to_be_hidden()


def test_dates_are_dd_mm_yyyy_in_an_english_browser(browser, live_server, screenshots):
    """The leader's approval date and the unit tree's day, in an en-US browser: typed and shown
    day first (an <input type="date"> showed 12/02/2026 for 2 December there)."""
    from baocao.core.clock import today_vn
    from baocao.core.vietnamese import format_date

    demo_load()
    report = ConsolidatedReport.objects.exclude(versions__status="approved").order_by("period").first()
    assert report is not None, "the demo has a report awaiting the leader's approval"
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="en-US",
                                  timezone_id="Asia/Ho_Chi_Minh", base_url=live_server.url)
    try:
        page = context.new_page()
        login(page, "lanhdao")
        page.goto(f"/reports/{report.pk}/")
        issued = page.locator("#issued-on")
        expect(issued).to_have_value(format_date(today_vn()))
        expect(issued).to_have_attribute("placeholder", "dd/mm/yyyy")
        expect(issued).to_have_attribute("type", "text")
        page.goto("/units/")
        page.goto("/units/?on=2%2F12%2F2021")
        expect(page.locator("#f-on")).to_have_value("02/12/2021")
        screenshots(page, "units-day-en-US")
        # The browser's own message, in Vietnamese in an English browser.
        page.locator("#f-on").fill("2021/12/02")
        message = page.locator("#f-on").evaluate("el => { el.reportValidity(); return el.validationMessage; }")
        assert "ngày/tháng/năm" in message
    finally:
        context.close()
