"""The data-entry page's safeguards in a real Chromium, on a desktop (1366×768) and a phone
(390×844) screen: the submit confirmation, Enter that never submits, rule warnings beside the
fields, and edits typed while the connection is down that reach the server when it returns (a field
someone else changed meanwhile comes back as a conflict, never overwritten). Screenshots go to
test-artifacts/browser/<test>/."""

from __future__ import annotations

from decimal import Decimal

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from baocao.reporting.choices import Severity
from baocao.reporting.models import FormSection, Indicator, ValidationRule
from baocao.submissions.choices import SubmissionStatus
from baocao.submissions.models import Submission
from baocao.submissions.services import submission_save_draft
from tests.api.conftest import make_draft
from tests.browser.conftest import login
from tests.factories import PASSWORD, World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENS = {"desktop": (1366, 768), "phone": (390, 844)}
OFFLINE = "Mất kết nối — các thay đổi được lưu tạm trên máy, sẽ gửi khi có mạng."
CONFLICT = "Người khác vừa sửa nội dung này"


@pytest.fixture
def world():
    """The test world's form with a second section: a required indicator STAFF, and a warning rule
    on PCT (the form already has the error rule A <= B and the required narrative RESULTS)."""
    w = World()
    fv = w.form_version
    second = FormSection.objects.create(form_version=fv, code="II", title="II. Nhân lực", order=2)
    Indicator.objects.create(section=second, form_version=fv, code="STAFF", name="Số cán bộ phụ trách",
                             required=True, min_value=Decimal(0), order=0)
    Indicator.objects.create(section=second, form_version=fv, code="TRAINED", name="Số cán bộ được tập huấn",
                             min_value=Decimal(0), order=1)
    ValidationRule.objects.create(form_version=fv, code="R_PCT", expression="PCT >= 50", severity=Severity.WARNING,
                                  message="Tỷ lệ hồ sơ trực tuyến thấp hơn chỉ tiêu 50% của năm.")
    w.sub = make_draft(w, w.unit_a)
    return w


def open_page(new_page, world, screen: str):
    width, height = SCREENS[screen]
    page = new_page(width=width, height=height)
    login(page, "an", PASSWORD)
    page.goto(f"/submissions/{world.sub.pk}/")
    return page


def wait_saved(page, code: str) -> None:
    expect(page.locator(f"#st-{code}")).to_contain_text("Đã lưu")


def snap(page, screenshots, name: str) -> None:
    """The whole page, and on a phone also the screen as the reporter sees it (the action bar is
    fixed at its bottom, which a whole-page picture does not show)."""
    path = screenshots(page, name)
    if page.viewport_size["width"] < 600:
        page.screenshot(path=str(path.with_name(path.stem + "-screen.png")))


def stored(submission: Submission, code: str):
    row = submission.values.filter(indicator__code=code).first()
    return row.number if row else None


@pytest.mark.parametrize("screen", SCREENS)
def test_submit_asks_first_listing_empty_required_fields_and_warnings(new_page, screenshots, world, screen):
    page = open_page(new_page, world, screen)
    expect(page.locator("#sec-" + str(world.form_version.sections.get(code="II").pk) + " .progress")).to_have_text(
        "0/2 chỉ tiêu")
    page.fill("#v-A", "3")
    page.fill("#v-B", "4")
    page.fill("#v-PCT", "30")
    wait_saved(page, "PCT")
    first = page.locator(f"#sec-{world.form_version.sections.get(code='I').pk} .section-title .progress")
    expect(first).to_have_text("3/4 chỉ tiêu · 0/1 nội dung")
    snap(page, screenshots, f"{screen}-filled")

    page.click("#submit-btn")
    dialog = page.locator("#submit-dialog")
    expect(dialog).to_be_visible()
    missing = dialog.locator("#confirm-missing")
    expect(missing).to_contain_text("Còn 2 mục bắt buộc chưa nhập")
    expect(missing).to_contain_text("I. Phần một")
    expect(missing).to_contain_text("Kết quả thực hiện")
    expect(missing).to_contain_text("II. Nhân lực")
    expect(missing).to_contain_text("Số cán bộ phụ trách")
    expect(dialog.locator("#confirm-warnings")).to_contain_text("thấp hơn chỉ tiêu 50%")
    expect(dialog.locator("#confirm-warnings")).to_contain_text("Tỷ lệ hồ sơ trực tuyến")
    expect(dialog.locator("#confirm-submit")).to_have_count(0)  # required fields block the sending
    snap(page, screenshots, f"{screen}-confirm-blocked")

    # A link of the list goes to its field.
    dialog.get_by_role("link", name="Số cán bộ phụ trách").click()
    expect(dialog).to_be_hidden()
    assert page.evaluate("document.activeElement.id") == "v-STAFF"
    page.keyboard.type("5")
    page.fill("#v-RESULTS", "Hoàn thành kế hoạch năm.")
    expect(page.locator(f"#sec-{world.form_version.sections.get(code='II').pk} .section-title .progress")).to_have_text(
        "1/2 chỉ tiêu")

    # Asked again (the values typed count, saved or not): only the warning is left; sending is allowed.
    page.click("#submit-btn")
    expect(dialog.locator("#confirm-missing")).to_have_count(0)
    expect(dialog.locator("#confirm-warnings")).to_contain_text("Tỷ lệ hồ sơ trực tuyến")
    snap(page, screenshots, f"{screen}-confirm")
    world.sub.refresh_from_db()
    assert world.sub.status == SubmissionStatus.DRAFT  # asking sends nothing
    dialog.locator("#confirm-submit").click()
    expect(page.locator("#status")).to_have_text("Đã gửi")
    snap(page, screenshots, f"{screen}-submitted")
    world.sub.refresh_from_db()
    assert world.sub.status == SubmissionStatus.SUBMITTED
    assert stored(world.sub, "STAFF") == 5
    assert world.sub.narratives.get().text == "Hoàn thành kế hoạch năm."


@pytest.mark.parametrize("screen", SCREENS)
def test_enter_never_submits_and_rules_show_beside_fields_by_name(new_page, screenshots, world, screen):
    page = open_page(new_page, world, screen)
    page.click("#v-A")
    page.keyboard.type("9")
    page.keyboard.press("Enter")  # moves to the next field; the form is not sent
    assert page.evaluate("document.activeElement.id") == "v-B"
    page.keyboard.type("2")
    page.keyboard.press("Enter")
    assert page.url.endswith(f"/submissions/{world.sub.pk}/")
    rules_a = page.locator("#rules-A")
    expect(rules_a).to_contain_text("Số đơn đã giải quyết không được lớn hơn số đơn tiếp nhận.")
    expect(rules_a).to_contain_text("(Số đơn đã giải quyết, Số đơn tiếp nhận)")
    expect(page.locator("#rules-B")).to_contain_text("Số đơn tiếp nhận")
    expect(rules_a).not_to_contain_text("(A, B)")
    # A textarea keeps its new lines.
    page.click("#v-RESULTS")
    page.keyboard.type("Dòng một")
    page.keyboard.press("Enter")
    page.keyboard.type("Dòng hai")
    expect(page.locator("#v-RESULTS")).to_have_value("Dòng một\nDòng hai")
    wait_saved(page, "RESULTS")
    wait_saved(page, "B")
    snap(page, screenshots, f"{screen}-rule-beside-fields")
    world.sub.refresh_from_db()
    assert world.sub.status == SubmissionStatus.DRAFT
    page.fill("#v-B", "12")
    expect(rules_a).to_be_empty()
    # Warnings as typed, before any save: the check saves nothing.
    page.fill("#v-PCT", "20")
    expect(page.locator("#rules-PCT")).to_contain_text("Tỷ lệ hồ sơ trực tuyến")
    if screen == "phone":
        page.click("#section-jump summary")
        snap(page, screenshots, f"{screen}-section-menu")
        page.locator("#section-jump").get_by_role("link", name="II. Nhân lực").click()
        expect(page.locator("#section-jump .section-list")).to_be_hidden()
        expect(page.locator("#sec-" + str(world.form_version.sections.get(code="II").pk))).to_be_in_viewport()


def test_leaving_with_unsaved_edits_asks_and_not_after_saving(new_page, world):
    page = open_page(new_page, world, "desktop")
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.type), d.dismiss()))
    page.locator("#v-NOTE").press_sequentially("chưa lưu")
    with pytest.raises(PlaywrightError):  # within the autosave's delay: asked, and the page stays
        page.goto("/submissions/")
    assert dialogs == ["beforeunload"]
    assert page.url.endswith(f"/submissions/{world.sub.pk}/")
    wait_saved(page, "NOTE")
    page.goto("/submissions/")
    assert dialogs == ["beforeunload"]
    assert page.url.endswith("/submissions/")


@pytest.mark.parametrize("screen", SCREENS)
def test_edits_typed_offline_are_sent_when_the_network_returns(new_page, screenshots, world, screen):
    page = open_page(new_page, world, screen)
    page.fill("#v-A", "1")
    wait_saved(page, "A")
    page.context.set_offline(True)
    page.fill("#v-A", "2")
    page.fill("#v-B", "7")
    page.fill("#v-RESULTS", "Soạn trên xã vùng cao, mất sóng.")
    expect(page.locator("#offline-notice")).to_be_visible()
    expect(page.locator("#offline-notice")).to_contain_text(OFFLINE)
    expect(page.locator("#offline-count")).to_contain_text("3 mục chưa gửi")
    expect(page.locator("#st-B")).to_contain_text("đã lưu tạm trên máy")
    snap(page, screenshots, f"{screen}-offline")
    # "Gửi báo cáo" while offline: nothing leaves, the page says why.
    page.click("#submit-btn")
    expect(page.locator("#offline-count")).to_contain_text("Chưa gửi được báo cáo khi mất kết nối")
    assert stored(world.sub, "A") == 1 and stored(world.sub, "B") is None

    page.context.set_offline(False)
    wait_saved(page, "A")
    wait_saved(page, "B")
    wait_saved(page, "RESULTS")
    expect(page.locator("#offline-notice")).to_be_hidden()
    expect(page.locator("#online-notice")).to_be_visible()
    snap(page, screenshots, f"{screen}-reconnected")
    assert stored(world.sub, "A") == 2 and stored(world.sub, "B") == 7
    assert world.sub.narratives.get().text == "Soạn trên xã vùng cao, mất sóng."
    assert page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('baocao.unsent')).length") == 0


def test_an_offline_edit_of_a_field_changed_meanwhile_comes_back_as_a_conflict(new_page, screenshots, world):
    page = open_page(new_page, world, "desktop")
    page.fill("#v-B", "5")
    wait_saved(page, "B")
    page.wait_for_load_state("networkidle")
    page.context.set_offline(True)
    page.fill("#v-B", "6")
    expect(page.locator("#offline-notice")).to_be_visible()
    # Meanwhile the administrator corrects the same field.
    submission_save_draft(submission=world.sub, acting_user=world.admin, values={"B": "50"})
    page.context.set_offline(False)
    expect(page.locator("#st-B")).to_contain_text(CONFLICT)
    expect(page.locator("#st-B .conflict")).to_contain_text("50")
    expect(page.locator("#v-B")).to_have_value("6")
    snap(page, screenshots, "conflict-after-reconnecting")
    assert stored(world.sub, "B") == 50  # never overwritten
    # The reporter keeps theirs explicitly: only now is it saved.
    page.get_by_role("button", name="Giữ nội dung của tôi").click()
    wait_saved(page, "B")
    assert stored(world.sub, "B") == 6
    assert page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('baocao.unsent')).length") == 0


@pytest.mark.parametrize("screen", SCREENS)
def test_edits_kept_in_the_browser_survive_a_reload(new_page, screenshots, world, screen):
    page = open_page(new_page, world, screen)
    page.context.set_offline(True)
    page.fill("#v-A", "4")
    page.fill("#v-RESULTS", "Nội dung soạn lúc mất mạng.")
    expect(page.locator("#offline-count")).to_contain_text("2 mục chưa gửi")
    # A weak link: the page itself loads again, its saves still do not get through.
    page.route("**/field/", lambda route: route.abort("internetdisconnected"))
    page.context.set_offline(False)
    page.reload()
    expect(page.locator("#v-A")).to_have_value("4")
    expect(page.locator("#v-RESULTS")).to_have_value("Nội dung soạn lúc mất mạng.")
    expect(page.locator("#offline-notice")).to_be_visible()
    expect(page.locator("#offline-count")).to_contain_text("2 mục chưa gửi")
    snap(page, screenshots, f"{screen}-restored")
    assert stored(world.sub, "A") is None
    page.unroute("**/field/")
    page.click("#offline-retry")
    wait_saved(page, "A")
    wait_saved(page, "RESULTS")
    assert stored(world.sub, "A") == 4
    assert world.sub.narratives.get().text == "Nội dung soạn lúc mất mạng."
    page.reload()
    expect(page.locator("#v-A")).to_have_value("4")
    expect(page.locator("#offline-notice")).to_be_hidden()
