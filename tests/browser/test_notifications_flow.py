"""The review cycle's messages in a real browser on the demo, each flow seen at a desktop
(1366×768) and a phone (390×844) width, with screenshots in test-artifacts/browser/:

- the compiler returns a district office's report; the office's reporter finds the comment in the
  inbox (the unread count in the menu) and in an e-mail sent by the background worker;
- the compiler reopens an approved report with a reason; the office is told, the report can be
  edited again and the consolidated report built from it says its figures are out of date;
- the compiler sends the consolidated report to the leader, who returns it with a comment from a
  phone; the compiler is told and the version shows the comment."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from baocao.accounts.models import User
from baocao.consolidation.models import ConsolidatedReport
from baocao.reporting.models import ReportingRegime
from baocao.submissions.choices import SubmissionStatus
from baocao.submissions.models import Submission
from baocao.submissions.services import submission_get_or_create, submission_save_draft, submission_submit
from tests.browser.conftest import login, logout
from tests.demo_data import demo_restore
from tests.notifications.conftest import run_worker

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}
RETURN_COMMENT = "Đề nghị bổ sung số tin bài trên Cổng thông tin điện tử huyện cho đúng số liệu."


def no_horizontal_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def both_sizes(page, screenshots, name: str) -> None:
    """A screenshot of the page as it is at both widths (the phone's last)."""
    for size, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(viewport)
        no_horizontal_scroll(page)
        screenshots(page, f"{name}-{size}")


def open_inbox(page) -> None:
    """The inbox through the menu, as a user on a phone reaches it (the menu folds under 600 px)."""
    toggle = page.locator(".menu-toggle")
    if toggle.is_visible() and toggle.get_attribute("aria-expanded") != "true":
        toggle.click()
    page.click("#notifications-link")
    page.wait_for_url("**/notifications/")


def babe_submitted_2022s2() -> Submission:
    """Ba Bể's culture office has sent its 2022S2 report (as tests/browser/test_review_cycle.py types it)."""
    babe = User.objects.get(username="babe")
    regime = ReportingRegime.objects.get(code="BC-TTTT")
    sub = submission_get_or_create(regime=regime, period="2022S2", unit=babe.unit, acting_user=babe)
    submission_save_draft(submission=sub, acting_user=babe, values={
        "DIST_PORTAL_NEWS": "1250", "RADIO_STATIONS": "12", "RADIO_IP_STATIONS": "4"},
        narratives={"V_RESULTS": "Duy trì Cổng thông tin điện tử huyện; nâng cấp 4 đài truyền thanh xã."})
    return submission_submit(submission=sub, acting_user=babe)


def build_2022s1(page, regime) -> None:
    """The compiler builds (the demo's draft: recomputes) the half-year's consolidated report."""
    page.goto("/reports/")
    page.select_option("#b-regime", value=str(regime.pk))
    page.select_option("#b-period", "2022S1")
    page.click("#build-btn")
    page.wait_for_url(re.compile(r"/reports/\d+/$"))


def test_a_return_reaches_the_reporters_inbox_and_mail(new_page, screenshots):
    demo_restore()
    sub = babe_submitted_2022s2()
    run_worker()  # the reviewers' «submitted» messages
    mail.outbox.clear()

    page = new_page(**DESKTOP)
    login(page, "tonghop")
    page.goto(f"/submissions/{sub.pk}/")
    page.fill("#return-comment-input", RETURN_COMMENT)
    page.click("#return-btn")
    expect(page.locator("#status")).to_have_text("Bị trả lại")
    both_sizes(page, screenshots, "tonghop-returned")
    logout(page)

    # The request only queued the e-mail; the worker sends it to the office's reporter.
    assert mail.outbox == []
    assert run_worker() >= 1
    babe = User.objects.get(username="babe")
    sent = [m for m in mail.outbox if babe.email in m.to]
    assert len(sent) == 1, [m.to for m in mail.outbox]
    assert "trả lại" in sent[0].subject and RETURN_COMMENT in sent[0].body
    assert f"/submissions/{sub.pk}/" in sent[0].body

    page = new_page(**PHONE)
    login(page, "babe")
    expect(page.locator("#unread-count")).to_have_text(re.compile(r"^[1-9]\d*$"))
    open_inbox(page)
    item = page.locator("#notifications tr.notification.unread", has_text="trả lại").first
    expect(item).to_contain_text(RETURN_COMMENT)
    both_sizes(page, screenshots, "babe-inbox")
    item.get_by_role("link").click()
    page.wait_for_url(f"**/submissions/{sub.pk}/")
    expect(page.locator("#return-comment")).to_contain_text("bổ sung số tin bài")
    expect(page.locator("#v-DIST_PORTAL_NEWS")).to_be_editable()
    both_sizes(page, screenshots, "babe-returned-report")
    page.goto("/notifications/")
    expect(page.locator("#notifications tr.notification.unread", has_text="trả lại")).to_have_count(0)


def test_a_reopened_report_is_editable_again_and_its_consolidation_out_of_date(new_page, screenshots):
    demo_restore()
    regime = ReportingRegime.objects.get(code="BC-TTTT")
    babe = User.objects.get(username="babe")
    sub = Submission.objects.get(regime=regime, period="2022S1", unit=babe.unit)
    assert sub.status == SubmissionStatus.APPROVED

    page = new_page(**DESKTOP)
    login(page, "tonghop")
    # The consolidated report of the half-year, built from the approved reports.
    build_2022s1(page, regime)
    report_url = page.url
    expect(page.locator("#outdated")).to_have_count(0)

    page.goto(f"/submissions/{sub.pk}/")
    page.fill("#reopen-reason", "Số đài truyền thanh ứng dụng CNTT-VT báo nhầm, đề nghị đơn vị sửa lại.")
    page.click("#reopen-btn")
    expect(page.locator("#status")).to_have_text("Bị trả lại")
    expect(page.locator("#history")).to_contain_text("mở lại")
    both_sizes(page, screenshots, "tonghop-reopened")
    page.goto(report_url)
    expect(page.locator("#outdated")).to_contain_text("không còn khớp")
    both_sizes(page, screenshots, "tonghop-report-outdated")
    logout(page)
    run_worker()
    assert any(babe.email in m.to and "mở lại" in m.subject.lower() for m in mail.outbox), \
        [m.subject for m in mail.outbox]

    page = new_page(**PHONE)
    login(page, "babe")
    open_inbox(page)
    item = page.locator("#notifications tr.notification.unread", has_text="mở lại").first
    expect(item).to_contain_text("báo nhầm")
    both_sizes(page, screenshots, "babe-inbox-reopened")
    item.get_by_role("link").click()
    page.wait_for_url(f"**/submissions/{sub.pk}/")
    expect(page.locator("#v-RADIO_IP_STATIONS")).to_be_editable()


def test_the_leader_returns_a_consolidated_version_from_a_phone(new_page, screenshots):
    demo_restore()
    regime = ReportingRegime.objects.get(code="BC-TTTT")
    page = new_page(**DESKTOP)
    login(page, "tonghop")
    build_2022s1(page, regime)
    report = ConsolidatedReport.objects.get(pk=int(page.url.rstrip("/").rsplit("/", 1)[1]))
    number = report.versions.order_by("-number").first().number
    page.click("#send-btn")
    expect(page.locator("#version-status")).to_have_text("Chờ phê duyệt")
    both_sizes(page, screenshots, "tonghop-sent")
    logout(page)

    page = new_page(**PHONE)
    login(page, "lanhdao")
    open_inbox(page)
    item = page.locator("#notifications tr.notification.unread", has_text="chờ phê duyệt").first
    expect(item).to_be_visible()
    both_sizes(page, screenshots, "lanhdao-inbox")
    item.get_by_role("link").click()
    page.wait_for_url(re.compile(rf"/reports/{report.pk}/"))
    page.set_viewport_size(PHONE)
    comment = "Bổ sung đánh giá về chuyển đổi số cấp xã trước khi phê duyệt."
    page.fill("#report-return-input", comment)
    page.click("#report-return-btn")
    expect(page.locator("#version-status")).to_have_text("Bị trả lại")
    expect(page.locator("#report-return-comment")).to_contain_text("chuyển đổi số cấp xã")
    both_sizes(page, screenshots, "lanhdao-returned")
    logout(page)

    run_worker()
    tonghop = User.objects.get(username="tonghop")
    assert any(tonghop.email in m.to and comment in m.body for m in mail.outbox), [m.to for m in mail.outbox]
    page = new_page(**DESKTOP)
    login(page, "tonghop")
    open_inbox(page)
    item = page.locator("#notifications tr.notification.unread", has_text="trả lại").first
    expect(item).to_contain_text(comment)
    both_sizes(page, screenshots, "tonghop-inbox-returned")
    item.get_by_role("link").click()
    expect(page.locator("#report-return-comment")).to_contain_text("chuyển đổi số cấp xã")
    expect(page.locator("#send-btn")).to_be_visible()  # edit, then send again
    assert report.versions.get(number=number).status == "returned"
