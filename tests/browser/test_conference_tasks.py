"""Conference to tasks in a real browser: the compiler creates a conference, records an opinion and
turns a conclusion into a task for Phòng Văn hóa và Thông tin huyện Ba Bể; the district office
sees it and posts progress; the next period's report counts it."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from baocao.consolidation.compose import compose
from baocao.consolidation.selectors import compose_input
from baocao.orgunits.models import OrgUnit
from baocao.reporting.models import ReportingRegime
from baocao.work.models import Task
from tests.browser.conftest import create_meeting, login, logout
from tests.demo_data import demo_restore

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TASK_TITLE = "Rà soát, lập danh sách đài truyền thanh xã cần nâng cấp năm 2023"


def task_counts() -> tuple[int, int]:
    """(all tasks, overdue tasks) in the task part of the department's 2022S2 report, whose statuses
    are as of the period's end (14/12/2022)."""
    regime = ReportingRegime.objects.get(code="BC-TTTT")
    report = compose(compose_input(regime=regime, period="2022S2", unit=OrgUnit.objects.get(code="STTTT")))
    tasks = next(p for p in report.parts if p.key == "tasks")
    if tasks.table is None:
        return 0, 0
    total = tasks.table.total
    return int(total[-1].replace(".", "")), int(total[5].replace(".", ""))


def test_conference_conclusion_becomes_a_task_the_unit_updates(new_page, screenshots):
    demo_restore()
    before_total, before_overdue = task_counts()
    ba_be = OrgUnit.objects.get(code="061-VHTT")

    page = new_page()
    login(page, "tonghop")
    create_meeting(page, "Hội nghị chuyên đề về hệ thống thông tin cơ sở", **{"mf-chair-title": "Giám đốc Sở"})
    screenshots(page, "tonghop-conference-created")

    page.fill("#op-title", "Trưởng phòng")
    page.select_option("#op-unit", value=str(ba_be.pk))
    page.fill("#op-topic", "Đài truyền thanh cấp xã")
    page.fill("#op-summary", "Đề nghị hỗ trợ nâng cấp các đài truyền thanh xã đã xuống cấp.")
    page.click("#opinion-add-btn")
    expect(page.locator("#opinion-list")).to_contain_text("Đề nghị hỗ trợ nâng cấp")

    page.fill("#cc-text", "Giao Phòng Văn hóa và Thông tin huyện Ba Bể rà soát hệ thống đài truyền thanh xã.")
    page.click("#conclusion-add-btn")
    conclusion = page.locator("#conclusion-list li", has_text="rà soát hệ thống đài truyền thanh xã")
    expect(conclusion).to_be_visible()
    conclusion.locator("summary", has_text="Giao nhiệm vụ").click()
    conclusion.locator("select[name=lead_units]").select_option(value=str(ba_be.pk))
    conclusion.locator("input[name=deadline]").fill("30/11/2022")
    conclusion.locator("input[name=title]").fill(TASK_TITLE)
    conclusion.get_by_role("button", name="Giao nhiệm vụ").click()
    expect(page.locator("#conclusion-list")).to_contain_text(TASK_TITLE[:40])
    screenshots(page, "tonghop-task-assigned")
    task = Task.objects.get(title=TASK_TITLE)
    assert task.lead_unit == ba_be and task.conclusion is not None
    logout(page)

    # The district office sees its new task and reports progress.
    page = new_page(width=390, height=844)
    login(page, "babe")
    page.goto("/tasks/")
    page.get_by_role("link", name=re.compile("Rà soát, lập danh sách đài truyền thanh")).click()
    expect(page.locator("#lead-unit")).to_contain_text("huyện Ba Bể")
    page.fill("#p-text", "Đã rà soát 10/15 xã; đang tổng hợp danh sách đề xuất.")
    page.fill("#p-progress", "60")
    page.click("#progress-btn")
    expect(page.locator("#progress")).to_contain_text("60%")
    expect(page.locator("#updates")).to_contain_text("Đã rà soát 10/15 xã")
    screenshots(page, "babe-progress")

    # The next period's report counts it: at 60% on 14/12/2022, two weeks past its deadline, overdue.
    after_total, after_overdue = task_counts()
    assert (after_total, after_overdue) == (before_total + 1, before_overdue + 1)
