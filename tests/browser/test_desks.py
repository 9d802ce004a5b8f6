"""Each role's desk in a real browser on the demo, at a desktop (1366×768) and a phone (390×844)
width, with screenshots in test-artifacts/browser/: the leader's charts are drawn and readable,
their tables open, and nothing is wider than the screen."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from baocao.demo.loader import demo_load
from tests.browser.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = {"desktop": (1366, 768), "phone": (390, 844)}


def no_horizontal_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_every_roles_desk_at_desktop_and_phone_width(new_page, screenshots):
    demo_load()
    for size, (width, height) in SIZES.items():
        # The leader of today's department: the completeness chart of BC-XA and the trend of its
        # key indicators over the last four half-years.
        page = new_page(width=width, height=height)
        login(page, "lanhdao-tn")
        expect(page.locator("#completeness svg.chart")).to_be_visible()
        expect(page.locator("#completeness svg.chart title")).to_have_text(
            "Tính đầy đủ và kịp thời của các kỳ báo cáo hiện tại")
        charts = page.locator("#indicators svg.chart")
        assert charts.count() >= 3
        box = charts.first.bounding_box()
        assert box is not None and box["width"] > 200 and box["height"] > 100
        assert page.locator("#indicators svg.chart rect.bar").count() > 0
        no_horizontal_scroll(page)
        screenshots(page, f"lanhdao-tn-{size}")
        details = page.locator("#indicators details.chart-data").first
        details.locator("summary").click()
        expect(details.locator("table")).to_be_visible()
        page.emulate_media(media="print")
        screenshots(page, f"lanhdao-tn-print-{size}")
        page.emulate_media(media="screen")

        # The leader of the department that ended in 2025: its overdue tasks by lead unit.
        page = new_page(width=width, height=height)
        login(page, "lanhdao")
        expect(page.locator("#tasks")).to_contain_text("8 nhiệm vụ quá hạn")
        expect(page.locator("#tasks")).to_contain_text("Phòng Công nghệ thông tin")
        no_horizontal_scroll(page)
        screenshots(page, f"lanhdao-{size}")
        page.locator("#tasks .task-group a[href^='/tasks/']").nth(1).click()
        expect(page.locator("h1")).to_be_visible()

        page = new_page(width=width, height=height)
        login(page, "tonghop-tn")
        expect(page.locator(".regime-card").first).to_contain_text("BC-XA")
        expect(page.locator("#consolidated")).to_be_visible()
        no_horizontal_scroll(page)
        screenshots(page, f"tonghop-tn-{size}")

        page = new_page(width=width, height=height)
        login(page, "thanhtra")
        expect(page.locator("#cases")).to_be_visible()
        no_horizontal_scroll(page)
        screenshots(page, f"thanhtra-{size}")

        page = new_page(width=width, height=height)
        login(page, "nari")
        expect(page.locator("#own-tasks")).to_be_visible()
        no_horizontal_scroll(page)
        screenshots(page, f"nari-{size}")
