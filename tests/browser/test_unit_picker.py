"""The unit picker in a real browser: the compiler of Sở KHCN Thái Nguyên (tonghop-tn, about forty
communes in scope) gives a task by typing unit names without their marks into the pickers' search
boxes — "ba be" finds Xã Ba Bể, "dong phuc" finds Xã Đồng Phúc — with the keyboard for the lead
unit and the pointer for a cooperating one, on a laptop (1366×768) and a phone (390×844).
Screenshots go to test-artifacts/browser/."""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from baocao.orgunits.models import OrgUnit
from baocao.work.models import Task
from tests.browser.conftest import create_meeting, login
from tests.demo_data import demo_restore

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(("width", "height"), [(1366, 768), (390, 844)])
def test_task_form_units_are_found_by_typing_without_marks(new_page, screenshots, width, height):
    demo_restore()
    ba_be = OrgUnit.objects.get(name="Xã Ba Bể", valid_to__isnull=True)
    dong_phuc = OrgUnit.objects.get(name="Xã Đồng Phúc", valid_to__isnull=True)
    page = new_page(width=width, height=height)
    login(page, "tonghop-tn")
    page.goto("/tasks/new/")
    title = f"Rà soát đài truyền thanh xã ({width}px)"
    page.fill("#id_title", title)

    # The lead unit, with the keyboard: arrows move in the results, Escape closes them; type, the
    # first match is active, Enter picks it.
    search = page.get_by_role("combobox", name="Tìm đơn vị chủ trì")
    results = page.locator("#id_lead_unit-results")
    search.fill("xa b")
    expect(results.get_by_role("option").nth(1)).to_be_visible()
    search.press("ArrowDown")
    expect(search).to_have_attribute("aria-activedescendant", "id_lead_unit-result-1")
    search.press("ArrowUp")
    expect(search).to_have_attribute("aria-activedescendant", "id_lead_unit-result-0")
    search.press("Escape")
    expect(results).to_be_hidden()
    expect(page.locator("#id_lead_unit")).to_have_value("")  # nothing picked by looking
    search.fill("")
    search.press_sequentially("ba be", delay=20)
    expect(results).to_be_visible()
    expect(search).to_have_attribute("aria-expanded", "true")
    first = results.get_by_role("option").first
    expect(first).to_contain_text("Xã Ba Bể")
    expect(search).to_have_attribute("aria-activedescendant", first.get_attribute("id") or "")
    expect(page.locator("#id_lead_unit-status")).to_have_text(re.compile(r"^\d+ đơn vị phù hợp\.$"))
    screenshots(page, f"lead-unit-search-{width}")
    violations = [f"{v['impact']} {v['id']}: {v['help']}" for v in Axe().run(page).response["violations"]
                  if v.get("impact") in {"serious", "critical"}]
    assert violations == []  # the combobox and its open list, as axe-core judges them
    search.press("Enter")
    expect(page.locator("#id_lead_unit")).to_have_value(str(ba_be.pk))
    expect(results).to_be_hidden()
    expect(search).to_have_attribute("aria-expanded", "false")
    expect(search).to_have_value("")
    expect(page.locator("#id_lead_unit-status")).to_have_text("Đã chọn: Xã Ba Bể")
    assert page.url.endswith("/tasks/new/")  # Enter in the box never sends the form

    # A cooperating unit, with the pointer: đ is found by d; the chosen unit is listed under the picker.
    coop = page.get_by_role("combobox", name="Tìm đơn vị phối hợp")
    coop.fill("dong phuc")
    coop_results = page.locator("#id_cooperating_units-results")
    coop_results.get_by_role("option", name=re.compile("Xã Đồng Phúc")).click()
    expect(coop_results.get_by_role("option", name=re.compile("Xã Đồng Phúc"))).to_have_attribute(
        "aria-selected", "true")
    chosen = page.locator(".unit-picker-chosen")
    expect(chosen).to_contain_text("Xã Đồng Phúc")
    expect(page.locator("#id_cooperating_units option:checked")).to_have_text(["Xã Đồng Phúc"])
    page.keyboard.press("Escape")
    expect(coop_results).to_be_hidden()
    # Nothing matches: said so, nothing to pick.
    coop.fill("khong co xa nay")
    expect(page.locator("#id_cooperating_units-status")).to_have_text("Không tìm thấy đơn vị nào.")
    expect(coop_results.get_by_role("option")).to_have_count(0)
    coop.fill("")
    screenshots(page, f"units-chosen-{width}")

    page.fill("#id_deadline", "31/12/2026")
    page.click("#save-task")
    page.wait_for_url(re.compile(r"/tasks/\d+/$"))
    task = Task.objects.get(title=title)
    assert task.lead_unit == ba_be
    assert list(task.cooperating_units.all()) == [dong_phuc]
    screenshots(page, f"task-saved-{width}")


def test_exchange_export_of_one_unit_picked_by_search(new_page, screenshots):
    """The export's unit is picked, not typed as a code: "ba be" finds the district office of Ba Bể
    (a unit of 2022, closed since, marked with its last day), and the file holds its rows only."""
    demo_restore()
    office = OrgUnit.objects.get(code="061-VHTT", name__startswith="Phòng Văn hóa")
    page = new_page(width=1366, height=768)
    login(page, "tonghop")
    page.goto("/exchange/")
    form = page.locator("form[method=get]", has=page.locator("input[name=export]"))
    form.locator("select[name=regime]").select_option("BC-TTTT")
    form.locator("select[name=period]").select_option("2022S1")
    search = form.get_by_role("combobox", name="Tìm đơn vị")
    search.fill("ba be")
    option = page.locator("#ex-unit-results").get_by_role("option", name=re.compile(r"^" + re.escape(office.name)))
    expect(option).to_have_count(1)
    assert office.valid_to is not None
    expect(option).to_contain_text(f"(đến {office.valid_to:%d/%m/%Y})")
    screenshots(page, "exchange-unit-search")
    option.click()
    expect(form.locator("select[name=unit_id]")).to_have_value(str(office.pk))
    form.locator("select[name=format]").select_option("csv")
    with page.expect_download() as info:
        form.get_by_role("button", name="Xuất").click()
    rows = info.value.path().read_text(encoding="utf-8").splitlines()
    assert len(rows) > 5 and rows[0] == "regime,period,unit,code,value"
    assert {row.split(",")[2] for row in rows[1:]} == {"061-VHTT"}


def test_meeting_sections_swapped_by_htmx_keep_their_picker(new_page, screenshots):
    """The opinions section comes back from htmx after each opinion: its picker works again."""
    demo_restore()
    office = OrgUnit.objects.get(code="061-VHTT", name__startswith="Phòng Văn hóa")
    page = new_page(width=390, height=844)
    login(page, "tonghop")
    create_meeting(page, "Hội nghị chuyên đề về truyền thanh cơ sở")
    for n, summary in enumerate(["Đề nghị nâng cấp đài truyền thanh xã.", "Đề nghị tập huấn cán bộ."]):
        search = page.locator("#op-unit-search")
        search.fill("phong van hoa ba be")
        page.locator("#op-unit-results").get_by_role("option").first.click()
        expect(page.locator("#op-unit")).to_have_value(str(office.pk))
        page.fill("#op-summary", summary)
        page.click("#opinion-add-btn")
        expect(page.locator("#opinion-list li")).to_have_count(n + 1)
        expect(page.locator("#opinion-list")).to_contain_text(f"({office.name})")
    expect(page.locator("#opinions .unit-picker")).to_have_count(1)  # one box, not one per swap
    screenshots(page, "opinions-after-swaps")


def test_task_list_filter_by_a_unit_found_by_search(new_page, screenshots):
    """The task list's unit filter: the district's name without its marks finds the unit that leads
    most of the compiler's tasks; picking it filters the table (the form's own htmx request) and
    puts the unit in the address."""
    from collections import Counter

    from baocao.accounts.models import User
    from baocao.core.vietnamese import fold
    from baocao.work.selectors import task_list

    demo_restore()
    tonghop = User.objects.get(username="tonghop")
    leads = Counter(row.task.lead_unit for row in task_list(user=tonghop) if "huyện" in row.task.lead_unit.name)
    office = leads.most_common(1)[0][0]
    expected = len(task_list(user=tonghop, unit_id=office.pk))
    page = new_page(width=1366, height=768)
    login(page, "tonghop")
    page.goto("/tasks/")
    search = page.get_by_role("combobox", name="Tìm đơn vị")
    search.fill(fold(office.name.split("huyện")[-1]))  # e.g. "ba be"
    page.locator("#f-unit-results").get_by_role("option", name=re.compile("^" + re.escape(office.name))).click()
    page.wait_for_url(re.compile(rf"[?&]unit={office.pk}(&|$)"))
    expect(page.locator("#task-count")).to_have_text(f"{expected} nhiệm vụ")
    expect(page.locator("#f-unit")).to_have_value(str(office.pk))
    screenshots(page, "task-list-filtered")
