"""Sortable columns with HTMX in a real browser: a header swaps only the table and pushes its
address; a filter changed afterwards keeps the order; the monitoring page reaches the demo's
2021 periods from its list. Screenshots go to test-artifacts/browser/."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from baocao.demo.loader import REGIME_CODE
from baocao.reporting.models import ReportingRegime
from tests.browser.conftest import login
from tests.demo_data import demo_restore

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_monitor_sort_then_filter_keeps_the_order(new_page, screenshots):
    demo_restore()
    regime_id = ReportingRegime.objects.get(code=REGIME_CODE).pk
    page = new_page()
    login(page, "tonghop")
    page.goto(f"/regimes/{regime_id}/monitor/")
    page.select_option("#f-period", "2021S1")  # not among the recent periods: there because it has reports
    page.wait_for_url(re.compile(r"period=2021S1"))
    expect(page.locator("#monitor-table")).to_contain_text("6 tháng đầu năm 2021")
    header = page.locator("#monitor-table th", has_text="Đơn vị").first
    header.locator("a.sort").click()
    page.wait_for_url(re.compile(r"sort=-unit"))
    expect(page.locator("#monitor-table th[aria-sort=descending]")).to_contain_text("Đơn vị")
    first = page.locator("#monitor-table tbody tr td:nth-child(2)").first.inner_text()
    page.select_option("#f-status", "approved")
    page.wait_for_url(re.compile(r"status=approved"))
    assert "sort=-unit" in page.url and "period=2021S1" in page.url
    expect(page.locator("#monitor-table th[aria-sort=descending]")).to_contain_text("Đơn vị")
    assert page.locator("#monitor-table tbody tr td:nth-child(2)").first.inner_text() == first
    assert page.locator("h1").count() == 1  # the table was swapped, not the page nested in it
    screenshots(page, "monitor-sorted")


def test_reports_list_sorted_by_unit_without_and_with_htmx(new_page, screenshots):
    demo_restore()
    page = new_page()
    login(page, "tonghop")
    page.goto("/submissions/")
    periods = page.locator("#submission-table tbody tr td:first-child").all_inner_texts()
    assert periods[0] == "2022S1" and len(periods) == 50  # newest first, one page
    page.locator("#submission-table th a.sort", has_text="Đơn vị").click()
    page.wait_for_url(re.compile(r"sort=unit"))
    expect(page.locator("#submission-table th[aria-sort=ascending]")).to_contain_text("Đơn vị")
    page.select_option("#f-period", "2021")
    page.wait_for_url(re.compile(r"period=2021(&|$)"))
    assert "sort=unit" in page.url
    assert set(page.locator("#submission-table tbody tr td:first-child").all_inner_texts()) == {"2021"}
    screenshots(page, "reports-sorted")
