"""The /exchange/ page in a real browser, as the department's compiler (tonghop) uses it on the
Bắc Kạn demo: export a period's data as CSV (the download checked against the database), a dry
run of an import that shows the summary in Vietnamese and writes nothing, the real import that
writes the drafts; a file with bad rows lists each conflict with its line and writes nothing; a
file the reader refuses shows why. Screenshots go to test-artifacts/browser/."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import expect

from baocao.submissions.choices import SubmissionStatus
from baocao.submissions.models import Submission, SubmissionNarrative, SubmissionValue
from tests.browser.conftest import login
from tests.demo_data import demo_restore

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REGIME = "BC-TTTT"
BA_BE, NA_RI = "061-VHTT", "066-VHTT"
NEW_PERIOD = "2022S2"  # nobody has reported it in the demo
HEADER = "regime,period,unit,code,value\n"
GOOD = (
    HEADER
    + f"{REGIME},{NEW_PERIOD},{BA_BE},DIST_PORTAL_NEWS,1250\n"
    + f"{REGIME},{NEW_PERIOD},{BA_BE},RADIO_STATIONS,16\n"
    + f"{REGIME},{NEW_PERIOD},{BA_BE},RADIO_IP_STATIONS,4\n"
    + f'{REGIME},{NEW_PERIOD},{BA_BE},V_RESULTS,"Duy trì Cổng thông tin điện tử huyện, nâng cấp 4 đài truyền thanh xã."\n'
    + f"{REGIME},{NEW_PERIOD},{NA_RI},DIST_PORTAL_NEWS,980\n"
    + f"{REGIME},{NEW_PERIOD},{NA_RI},RADIO_STATIONS,22\n"
)


def open_exchange(page) -> None:
    page.goto("/exchange/")
    expect(page.get_by_role("heading", name="Nhập, xuất số liệu hàng loạt")).to_be_visible()


def import_form(page):
    return page.locator("form[enctype='multipart/form-data']")


def export_form(page):
    return page.locator("form[method=get]", has=page.locator("input[name=export]"))


def upload(page, content: str, *, name: str = "so-lieu-2022S2.csv", dry_run: bool) -> None:
    form = import_form(page)
    form.locator("input[name=file]").set_input_files(
        files=[{"name": name, "mimeType": "text/csv", "buffer": content.encode("utf-8")}])
    form.locator("input[name=dry_run]").set_checked(dry_run)
    form.get_by_role("button", name="Nhập", exact=True).click()


def export_csv(page, period: str) -> tuple[str, str]:
    form = export_form(page)
    form.locator("select[name=regime]").select_option(REGIME)
    form.locator("select[name=period]").select_option(period)
    form.locator("select[name=format]").select_option("csv")
    with page.expect_download() as info:
        form.get_by_role("button", name="Xuất").click()
    download = info.value
    return download.suggested_filename, Path(download.path()).read_text(encoding="utf-8")


def stored_rows(period: str) -> set[tuple[str, str, str]]:
    """(unit, code, value as exported) of every value and text stored for the period."""
    rows = set()
    for unit, code, number, text in SubmissionValue.objects.filter(
            submission__regime__code=REGIME, submission__period=period).values_list(
            "submission__unit__code", "indicator__code", "number", "text"):
        if number is not None:
            rows.add((unit, code, format(number.normalize(), "f")))
        elif text:
            rows.add((unit, code, text))
    for unit, code, text in SubmissionNarrative.objects.filter(
            submission__regime__code=REGIME, submission__period=period).exclude(text="").values_list(
            "submission__unit__code", "field__code", "text"):
        rows.add((unit, code, text))
    return rows


def parse(content: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(content)))


def new_period_reports():
    return Submission.objects.filter(regime__code=REGIME, period=NEW_PERIOD)


def test_compiler_exports_then_imports_with_a_dry_run_first(new_page, screenshots):
    demo_restore()
    page = new_page()
    login(page, "tonghop")
    page.get_by_role("link", name="Trao đổi dữ liệu").click()
    page.wait_for_url("**/exchange/")
    expect(import_form(page).locator("input[name=dry_run]")).to_be_checked()  # a dry run unless unticked
    screenshots(page, "exchange-page")

    # Export the approved first half of 2022: every value the department can see, nothing else.
    filename, content = export_csv(page, "2022S1")
    assert filename == f"{REGIME}-2022S1.csv"
    assert content.startswith(HEADER)
    rows = parse(content)
    assert {(r["regime"], r["period"]) for r in rows} == {(REGIME, "2022S1")}
    exported = {(r["unit"], r["code"], r["value"]) for r in rows}
    assert len(exported) == len(rows) > 50
    assert exported == stored_rows("2022S1")
    radio = SubmissionValue.objects.get(submission__period="2022S1", submission__unit__code=BA_BE,
                                        indicator__code="RADIO_STATIONS").number
    assert (BA_BE, "RADIO_STATIONS", str(int(radio))) in exported

    # A dry run: the summary in Vietnamese, nothing written.
    upload(page, GOOD, dry_run=True)
    summary = page.locator("#exchange-summary")
    expect(summary.locator("caption").first).to_have_text(
        "Chạy thử (không ghi gì): 6 giá trị mới, 0 cập nhật, 0 không đổi, 0 bỏ qua, 0 xóa.")
    expect(summary.locator("tbody td")).to_have_text(["6", "0", "0", "0", "0", "0"])  # new … conflicts
    expect(summary.locator("caption", has_text="Xung đột — chưa ghi gì")).to_have_count(0)
    screenshots(page, "dry-run-summary")
    assert not new_period_reports().exists()

    # The real import writes both units' drafts.
    upload(page, GOOD, dry_run=False)
    expect(summary.locator("caption").first).to_have_text(
        "Đã nhập: 6 giá trị mới, 0 cập nhật, 0 không đổi, 0 bỏ qua, 0 xóa.")
    screenshots(page, "imported-summary")
    reports = {s.unit.code: s for s in new_period_reports().select_related("unit")}
    assert set(reports) == {BA_BE, NA_RI}
    assert {s.status for s in reports.values()} == {SubmissionStatus.DRAFT}
    values = dict(SubmissionValue.objects.filter(submission=reports[BA_BE]).values_list("indicator__code", "number"))
    assert values == {"DIST_PORTAL_NEWS": Decimal(1250), "RADIO_STATIONS": Decimal(16), "RADIO_IP_STATIONS": Decimal(4)}
    assert SubmissionNarrative.objects.get(submission=reports[BA_BE], field__code="V_RESULTS").text == \
        "Duy trì Cổng thông tin điện tử huyện, nâng cấp 4 đài truyền thanh xã."

    # Importing the same file again changes nothing; exporting the period gives the file back.
    upload(page, GOOD, dry_run=False)
    expect(summary.locator("caption").first).to_have_text(
        "Không có gì thay đổi: 0 giá trị mới, 0 cập nhật, 6 không đổi, 0 bỏ qua, 0 xóa.")
    filename, content = export_csv(page, NEW_PERIOD)
    assert filename == f"{REGIME}-{NEW_PERIOD}.csv"
    assert sorted(parse(content), key=lambda r: (r["unit"], r["code"])) == sorted(
        parse(GOOD), key=lambda r: (r["unit"], r["code"]))


def test_bad_rows_are_listed_with_their_line_and_nothing_is_written(new_page, screenshots):
    demo_restore()
    page = new_page()
    login(page, "tonghop")
    open_exchange(page)
    bad = (GOOD.replace(f"{BA_BE},RADIO_STATIONS,16", f"{BA_BE},RADIO_STATIONS,mười sáu")  # line 3
           + f"{REGIME},{NEW_PERIOD},999-VHTT,RADIO_STATIONS,3\n")  # line 8
    upload(page, bad, dry_run=False)
    summary = page.locator("#exchange-summary")
    expect(summary.locator("caption").first).to_contain_text("Chưa ghi gì vì có 2 xung đột. Các dòng hợp lệ: 5 giá trị mới")
    conflicts = summary.locator("table", has=page.locator("caption", has_text="Xung đột — chưa ghi gì"))
    expect(conflicts.locator("tbody tr")).to_have_count(2)
    first, second = conflicts.locator("tbody tr").nth(0), conflicts.locator("tbody tr").nth(1)
    expect(first.locator("td").nth(0)).to_have_text("3")
    expect(first.locator("td").nth(1)).to_have_text(BA_BE)
    expect(first.locator("td").nth(3)).to_have_text("RADIO_STATIONS")
    expect(first.locator("td").nth(4)).to_contain_text("Chỉ tiêu «RADIO_STATIONS»")
    expect(first.locator("td").nth(4)).to_contain_text("không phải là số")
    expect(second.locator("td").nth(0)).to_have_text("8")
    expect(second.locator("td").nth(4)).to_have_text(
        "Không tìm thấy đơn vị «999-VHTT» hoặc đơn vị ngoài phạm vi của bạn.")
    screenshots(page, "conflicts-listed")
    assert not new_period_reports().exists()
    assert not SubmissionValue.objects.filter(submission__period=NEW_PERIOD).exists()


def test_a_file_the_reader_refuses_shows_why(new_page, screenshots):
    demo_restore()
    page = new_page()
    login(page, "tonghop")
    open_exchange(page)
    upload(page, GOOD.replace("regime,period,unit,code,value", "regime,period,unit,value"), dry_run=False)
    expect(page.locator("#exchange-summary [role=alert]")).to_have_text(
        "Dòng tiêu đề thiếu cột: code (cần: regime, period, unit, code, value).")
    screenshots(page, "file-refused")
    assert not new_period_reports().exists()

    # The period is picked from the regime's own list; an address asking for a period the regime
    # does not have (edited by hand, or an old bookmark) says so on the page.
    options = export_form(page).locator("select[name=period] option")
    assert "2022Q3" not in options.evaluate_all("els => els.map(e => e.value)")
    page.goto("/exchange/?export=1&regime=BC-TTTT&period=2022Q3&format=csv")
    expect(page.locator("[role=alert]")).to_contain_text("không thuộc chế độ báo cáo «BC-TTTT»")
    screenshots(page, "export-refused")
