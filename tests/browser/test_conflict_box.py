"""The conflict box of a draft field in a real Chromium: reaching its buttons from the field (by
mouse or keyboard) leaves the field, and leaving it used to fire a save of the same text that got
the same conflict back; that answer replaced the box under the pointer (a human-speed click was
lost), overwrote the choice just made, or took the keyboard focus with it to the page's body."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.api.conftest import make_draft
from tests.browser.conftest import login
from tests.factories import PASSWORD, World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CONFLICT = "Người khác vừa sửa nội dung này"
USED_THEIRS = "Đã dùng nội dung của người kia."


@pytest.fixture
def conflict(new_page):
    """An's page showing the conflict box of RESULTS, the field still focused (as after typing)."""
    world = World()
    submission = make_draft(world, world.unit_a)
    mine = new_page()
    login(mine, "an", PASSWORD)
    mine.goto(f"/submissions/{submission.pk}/")
    other = new_page()
    login(other, "admin", PASSWORD)
    other.goto(f"/submissions/{submission.pk}/")
    other.fill("#v-RESULTS", "Bản của quản trị")
    expect(other.locator("#st-RESULTS")).to_contain_text("Đã lưu")
    mine.fill("#v-RESULTS", "Bản của An")
    expect(mine.locator("#st-RESULTS")).to_contain_text(CONFLICT)
    mine.wait_for_load_state("networkidle")
    assert mine.evaluate("document.activeElement.id") == "v-RESULTS"
    mine.stored = lambda: other.goto(f"/submissions/{submission.pk}/") and other.input_value("#v-RESULTS")
    return mine


def focused(page) -> str:
    return page.evaluate("document.activeElement.id || document.activeElement.tagName")


def test_a_human_speed_click_right_after_typing_uses_their_text(conflict):
    box = conflict.locator("button[data-use-theirs=RESULTS]").bounding_box()
    assert box is not None
    conflict.mouse.move(box["x"] + 5, box["y"] + 5)
    conflict.mouse.down()
    conflict.wait_for_timeout(250)  # a person's click: the field's save-on-leave answers meanwhile
    conflict.mouse.up()
    conflict.wait_for_load_state("networkidle")
    expect(conflict.locator("#v-RESULTS")).to_have_value("Bản của quản trị")
    expect(conflict.locator("#st-RESULTS")).to_have_text(USED_THEIRS)
    assert focused(conflict) == "v-RESULTS"
    # The next save is based on their version: no conflict.
    conflict.fill("#v-RESULTS", "Bản của quản trị, An bổ sung")
    expect(conflict.locator("#st-RESULTS")).to_contain_text("Đã lưu")
    assert conflict.stored() == "Bản của quản trị, An bổ sung"


def test_a_quick_click_is_not_undone_by_the_answer_to_leaving_the_field(conflict):
    conflict.click("button[data-use-theirs=RESULTS]")
    conflict.wait_for_load_state("networkidle")
    conflict.wait_for_timeout(300)
    expect(conflict.locator("#st-RESULTS")).to_have_text(USED_THEIRS)
    expect(conflict.locator("#v-RESULTS")).to_have_value("Bản của quản trị")


def test_keyboard_keep_mine_saves_and_returns_to_the_field(conflict):
    conflict.keyboard.press("Tab")
    conflict.wait_for_load_state("networkidle")
    conflict.wait_for_timeout(300)
    # The box is still there, and the focus on its first button.
    expect(conflict.locator("#st-RESULTS")).to_contain_text(CONFLICT)
    assert conflict.evaluate("document.activeElement.textContent") == "Giữ nội dung của tôi"
    conflict.keyboard.press("Enter")
    expect(conflict.locator("#st-RESULTS")).to_contain_text("Đã lưu")
    assert focused(conflict) == "v-RESULTS"
    assert conflict.stored() == "Bản của An"


def test_keyboard_use_theirs_returns_to_the_field(conflict):
    conflict.keyboard.press("Tab")
    conflict.wait_for_load_state("networkidle")
    conflict.keyboard.press("Tab")
    conflict.wait_for_timeout(300)
    assert conflict.evaluate("document.activeElement.dataset.useTheirs") == "RESULTS"
    conflict.keyboard.press("Enter")
    expect(conflict.locator("#v-RESULTS")).to_have_value("Bản của quản trị")
    expect(conflict.locator("#st-RESULTS")).to_have_text(USED_THEIRS)
    assert focused(conflict) == "v-RESULTS"
