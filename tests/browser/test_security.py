"""In a real Chromium: the main pages, the Django admin and the official documents run under the
Content-Security-Policy without a single violation, the page scripts still work without inline
handlers, and a user changes their own password from the menu."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from baocao.accounts.models import User
from baocao.cases.models import Case
from baocao.consolidation.models import ConsolidatedReport
from baocao.meetings.models import Meeting
from baocao.reporting.models import ReportingRegime
from baocao.submissions.models import Submission
from baocao.work.models import Task
from tests.api.conftest import make_draft, make_submitted
from tests.browser.conftest import login, logout
from tests.demo_data import demo_restore
from tests.factories import PASSWORD, World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Registered before any page script: the browser reports every refused script, style, frame or
# form target here (Playwright's init scripts are not themselves subject to the page's CSP).
WATCH_CSP = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  const where = e.target && e.target.outerHTML ? e.target.outerHTML.slice(0, 160) : "";
  window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber} ${where}`);
});
"""


def watched(new_page):
    page = new_page()
    page.add_init_script(WATCH_CSP)
    console: list[str] = []
    page.on("console", lambda m: console.append(m.text) if "Content Security Policy" in m.text else None)
    return page, console


def visit(page, console, path: str) -> None:
    response = page.goto(path)
    assert response is not None and response.status < 400, (path, response and response.status)
    assert "script-src 'self'" in (response.header_value("content-security-policy") or ""), path
    page.wait_for_load_state("networkidle")
    violations = page.evaluate("window.__cspViolations")
    assert violations == [] and console == [], (path, violations, console)


def test_main_pages_admin_and_documents_raise_no_csp_violation(new_page, screenshots):
    demo_restore()
    page, console = watched(new_page)
    login(page, "admin")
    regime = ReportingRegime.objects.order_by("pk").first()
    submission = Submission.objects.order_by("pk").first()
    report = ConsolidatedReport.objects.order_by("pk").first()
    meeting = Meeting.objects.order_by("pk").first()
    case = Case.objects.order_by("pk").first()
    task = Task.objects.order_by("pk").first()
    paths = ["/", "/regimes/", "/submissions/", "/reports/", "/reports/targets/", "/tasks/", "/tasks/plans/",
             "/meetings/", "/cases/", "/exchange/", "/units/", "/password/change/"]
    if regime:
        paths += [f"/regimes/{regime.pk}/", f"/regimes/{regime.pk}/monitor/?period=2022S1"]
    if submission:
        paths.append(f"/submissions/{submission.pk}/")
    if report:
        paths += [f"/reports/{report.pk}/"]
        version = report.versions.order_by("number").first()
        if version:
            paths.append(f"/reports/{report.pk}/versions/{version.number}/html/")
    if meeting:
        paths += [f"/meetings/{meeting.pk}/", f"/meetings/{meeting.pk}/article/",
                  f"/meetings/{meeting.pk}/documents/minutes/html/"]
    if case:
        paths.append(f"/cases/{case.pk}/")
    if task:
        paths.append(f"/tasks/{task.pk}/")
    paths += ["/admin/", "/admin/accounts/user/", "/admin/accounts/user/add/",
              f"/admin/accounts/user/{User.objects.get(username='tonghop').pk}/change/",
              "/admin/orgunits/orgunit/", "/admin/reporting/reportingregime/"]
    for path in paths:
        visit(page, console, path)
    screenshots(page, "admin-under-csp")

    # The admin's own scripts still run: the form list's "select all" box (its action makes a new
    # version) ticks every row. Users are never deleted, so their list has no actions.
    page.goto("/admin/reporting/form/")
    page.click("#action-toggle")
    assert page.locator("input.action-select:checked").count() == page.locator("input.action-select").count() > 0
    page.goto("/")
    logout(page)

    # Pages without a login, and the reporter's view.
    for path in ["/login/", "/password/reset/"]:
        visit(page, console, path)
    login(page, "babe")
    for path in ["/", "/submissions/", "/tasks/", "/meetings/", "/exchange/"]:
        visit(page, console, path)


def test_monitor_select_all_works_without_inline_handler(new_page, screenshots):
    world = World()
    make_submitted(world, world.unit_a)
    make_submitted(world, world.unit_b)
    page, console = watched(new_page)
    login(page, "tonghop", PASSWORD)
    page.goto(f"/regimes/{world.regime.pk}/monitor/?period=2022S2")
    boxes = page.locator("input[name=ids]")
    assert boxes.count() == 2
    toggle = page.locator("input[data-select-all]")
    toggle.check()
    assert page.locator("input[name=ids]:checked").count() == 2
    screenshots(page, "all-selected")
    toggle.uncheck()
    assert page.locator("input[name=ids]:checked").count() == 0
    assert page.evaluate("window.__cspViolations") == [] and console == []


def test_user_changes_own_password_from_the_menu(new_page, screenshots):
    demo_restore()
    page, console = watched(new_page)
    login(page, "babe")
    page.click("#password-change-link")
    page.wait_for_url("**/password/change/")
    page.fill("#id_old_password", "baocao2022")
    page.fill("#id_new_password1", "babe-2026-moi")
    page.fill("#id_new_password2", "babe-2026-moi")
    page.click("#save-password")
    expect(page.locator(".field-status")).to_contain_text("Mật khẩu không được chứa tên đăng nhập.")
    screenshots(page, "refused-username")
    page.fill("#id_old_password", "baocao2022")
    page.fill("#id_new_password1", "Hồ-nước-trong-xanh-2026")
    page.fill("#id_new_password2", "Hồ-nước-trong-xanh-2026")
    page.click("#save-password")
    page.wait_for_url(lambda url: urlsplit(url).path == "/")
    expect(page.locator(".messages")).to_contain_text("Đã đổi mật khẩu")
    screenshots(page, "changed")
    logout(page)
    login(page, "babe", "Hồ-nước-trong-xanh-2026")
    expect(page.locator(".who")).to_contain_text("Ba Bể")
    assert page.evaluate("window.__cspViolations") == [] and console == []


def test_conflict_box_puts_the_other_text_back_without_inline_handler(new_page, screenshots):
    world = World()
    submission = make_draft(world, world.unit_a)
    mine, console = watched(new_page)
    login(mine, "an", PASSWORD)
    mine.goto(f"/submissions/{submission.pk}/")
    other = new_page()
    login(other, "admin", PASSWORD)
    other.goto(f"/submissions/{submission.pk}/")
    other.fill("#v-RESULTS", "Bản của quản trị")
    expect(other.locator("#st-RESULTS")).to_contain_text("Đã lưu")
    mine.fill("#v-RESULTS", "Bản của An")
    expect(mine.locator("#st-RESULTS")).to_contain_text("Người khác vừa sửa nội dung này")
    # Straight from the field (tests/browser/test_conflict_box.py: leaving it sends nothing more).
    mine.click("button[data-use-theirs=RESULTS]")
    expect(mine.locator("#v-RESULTS")).to_have_value("Bản của quản trị")
    expect(mine.locator("#st-RESULTS")).to_have_text("Đã dùng nội dung của người kia.")
    screenshots(mine, "used-theirs")
    # The next save is based on their version, so it is no conflict.
    mine.fill("#v-RESULTS", "Bản của quản trị, An bổ sung")
    expect(mine.locator("#st-RESULTS")).to_contain_text("Đã lưu")
    assert mine.evaluate("window.__cspViolations") == [] and console == []
