"""The reporting spine end to end in a real browser: a district office fills and submits its
2022S2 report, the compiler returns it with a comment, the office corrects and resubmits, the
compiler approves. Screenshots of every step go to test-artifacts/browser/."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from baocao.submissions.choices import SubmissionStatus
from baocao.submissions.models import Submission
from tests.browser.conftest import login, logout
from tests.demo_data import demo_restore

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def wait_saved(page, code: str) -> None:
    expect(page.locator(f"#st-{code}")).to_contain_text("Đã lưu")


def test_babe_submits_tonghop_returns_babe_resubmits_tonghop_approves(new_page, screenshots):
    demo_restore()
    page = new_page(width=390, height=844)  # a phone-width screen for the unit reporter
    login(page, "babe")
    screenshots(page, "babe-dashboard")
    card = page.locator("section.card", has_text="BC-TTTT")
    card.locator("select[name=period]").select_option("2022S2")
    card.get_by_role("button", name="Mở báo cáo kỳ này").click()
    page.wait_for_url(re.compile(r"/submissions/\d+/$"))
    expect(page.locator("#deadline")).to_contain_text("20/12/2022")
    expect(page.locator("#status")).to_have_text("Đang soạn")

    # Autosave as the reporter types, with per-field validation.
    page.fill("#v-DIST_PORTAL_NEWS", "1.250")
    wait_saved(page, "DIST_PORTAL_NEWS")
    page.fill("#v-RADIO_STATIONS", "abc")
    expect(page.locator("#st-RADIO_STATIONS")).to_contain_text("không phải là số")
    page.fill("#v-RADIO_STATIONS", "12")
    wait_saved(page, "RADIO_STATIONS")
    page.fill("#v-RADIO_IP_STATIONS", "15")
    wait_saved(page, "RADIO_IP_STATIONS")
    ip_name = "Đài truyền thanh cấp xã ứng dụng công nghệ thông tin – viễn thông"
    expect(page.locator("#issues")).to_contain_text(ip_name)  # rule: IP ≤ total, indicators by name
    expect(page.locator("#rules-RADIO_IP_STATIONS")).to_contain_text(ip_name)  # and beside the field
    page.fill("#v-RADIO_IP_STATIONS", "4")
    wait_saved(page, "RADIO_IP_STATIONS")
    expect(page.locator("#issues")).not_to_contain_text(ip_name)
    expect(page.locator("#rules-RADIO_IP_STATIONS")).to_be_empty()
    page.fill("#v-V_RESULTS", "Duy trì Cổng thông tin điện tử huyện; nâng cấp 4 đài truyền thanh xã.")
    wait_saved(page, "V_RESULTS")
    screenshots(page, "babe-filled")
    page.click("#submit-btn")
    page.click("#confirm-submit")  # the confirmation: nothing missing, no warning
    expect(page.locator("#status")).to_have_text("Đã gửi")
    screenshots(page, "babe-submitted")
    sub = Submission.objects.get(unit__code__endswith="-VHTT", unit__name__contains="Ba Bể", period="2022S2")
    assert sub.status == SubmissionStatus.SUBMITTED
    logout(page)

    # The compiler finds it on the monitoring page and returns it with a comment.
    page = new_page()
    login(page, "tonghop")
    regime_id = sub.regime_id
    page.goto(f"/regimes/{regime_id}/monitor/?period=2022S2")
    expect(page.locator(".stats")).to_contain_text("25")
    screenshots(page, "tonghop-monitor")
    page.locator("tr", has_text="huyện Ba Bể").filter(has_text="Phòng Văn hóa").get_by_role("link", name="Xem").click()
    page.fill("#return-comment-input", "Đề nghị bổ sung số tin bài trên Cổng thông tin điện tử huyện cho đúng số liệu.")
    page.click("#return-btn")
    expect(page.locator("#status")).to_have_text("Bị trả lại")
    screenshots(page, "tonghop-returned")
    logout(page)

    # The office sees the comment, corrects and resubmits.
    page = new_page(width=390, height=844)
    login(page, "babe")
    page.goto(f"/submissions/{sub.pk}/")
    expect(page.locator("#return-comment")).to_contain_text("bổ sung số tin bài")
    page.fill("#v-DIST_PORTAL_NEWS", "1.312")
    wait_saved(page, "DIST_PORTAL_NEWS")
    page.click("#submit-btn")
    page.click("#confirm-submit")  # the confirmation: nothing missing, no warning
    expect(page.locator("#status")).to_have_text("Đã gửi")
    screenshots(page, "babe-resubmitted")
    logout(page)

    # The compiler approves; the report is read-only from now on.
    page = new_page()
    login(page, "tonghop")
    page.goto(f"/submissions/{sub.pk}/")
    page.click("#approve-btn")
    expect(page.locator("#status")).to_have_text("Đã duyệt")
    expect(page.locator("#history")).to_contain_text("duyệt báo cáo")
    screenshots(page, "tonghop-approved")
    sub.refresh_from_db()
    assert sub.status == SubmissionStatus.APPROVED
    assert sub.values.get(indicator__code="DIST_PORTAL_NEWS").number == 1312
    assert page.locator("input#v-DIST_PORTAL_NEWS").count() == 0
