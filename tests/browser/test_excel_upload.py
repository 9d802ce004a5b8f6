"""A district office fills its report from an Excel template in a real browser: downloads the
template, fills it (with openpyxl, as Excel would) with one bad cell, uploads it and sees the cell
named on the page with nothing saved; fixes the cell, uploads again and sees the values in the
form. Screenshots go to test-artifacts/browser/."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from baocao.exchange.xlsx_template import CONTENT_TYPE, SHEET
from baocao.reporting.models import Indicator, NarrativeField
from baocao.submissions.models import Submission
from tests.browser.conftest import login
from tests.demo_data import demo_restore

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _row(ws, text: str, *, after: int = 1, col: int = 2) -> int:
    for (cell,) in ws.iter_rows(min_row=after, min_col=col, max_col=col):
        if cell.value == text or (isinstance(cell.value, str) and cell.value.startswith(text + " (")):
            return cell.row
    raise AssertionError(f"no row labelled {text!r}")


def fill(template: bytes, sub: Submission, values: dict[str, object], narratives: dict[str, str]) -> tuple[bytes, dict]:
    """Write values next to the indicator names and texts under the narrative labels; return the
    file and the address of each code's cell."""
    names = dict(Indicator.objects.filter(form_version=sub.form_version).values_list("code", "name"))
    # Every section has its own «Kết quả thực hiện»: look for the label under its section's title.
    labels = {nf.code: nf for nf in NarrativeField.objects.filter(form_version=sub.form_version)
              .select_related("section")}
    wb = load_workbook(io.BytesIO(template))
    ws = wb[SHEET]
    where = {}
    for code, value in values.items():
        where[code] = f"D{_row(ws, names[code])}"
        ws[where[code]] = value
    for code, text in narratives.items():
        nf = labels[code]
        section_row = _row(ws, nf.section.title, col=1)
        where[code] = f"B{_row(ws, nf.label, after=section_row) + 1}"
        ws[where[code]] = text
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue(), where


def upload(page, data: bytes) -> None:
    page.set_input_files("#template-file", files=[{"name": "bao-cao-ba-be.xlsx", "mimeType": CONTENT_TYPE,
                                                    "buffer": data}])
    page.click("#template-upload-btn")


def test_babe_fills_the_report_from_an_excel_template(new_page, screenshots):
    demo_restore()
    page = new_page()
    login(page, "babe")
    card = page.locator("section.card", has_text="BC-TTTT")
    card.locator("select[name=period]").select_option("2022S2")
    card.get_by_role("button", name="Mở báo cáo kỳ này").click()
    page.wait_for_url(re.compile(r"/submissions/\d+/$"))
    sub = Submission.objects.get(pk=int(page.url.rstrip("/").rsplit("/", 1)[1]))
    expect(page.locator("#excel-template")).to_contain_text("Tải mẫu Excel")
    screenshots(page, "draft-with-excel-card")

    with page.expect_download() as info:
        page.click("#template-download")
    download = info.value
    assert download.suggested_filename == f"mau-BC-TTTT-2022S2-{sub.unit.code}.xlsx"
    template = Path(download.path()).read_bytes()

    values = {"DIST_PORTAL_NEWS": 1250, "RADIO_STATIONS": "mười hai", "RADIO_IP_STATIONS": 4}
    narratives = {"V_RESULTS": "Duy trì Cổng thông tin điện tử huyện; nâng cấp 4 đài truyền thanh xã."}
    bad, where = fill(template, sub, values, narratives)
    upload(page, bad)
    errors = page.locator("#template-errors")
    expect(errors).to_contain_text(f"Báo cáo!{where['RADIO_STATIONS']}")
    expect(errors).to_contain_text("không phải là số")
    expect(errors).to_have_count(1)
    expect(page.locator("#v-DIST_PORTAL_NEWS")).to_have_value("")  # nothing saved
    screenshots(page, "bad-cell-listed")
    assert sub.values.count() == 0

    good, _ = fill(template, sub, {**values, "RADIO_STATIONS": 12}, narratives)
    upload(page, good)
    page.wait_for_url(re.compile(rf"/submissions/{sub.pk}/$"))
    expect(page.locator("#messages .msg-success")).to_contain_text("Đã nhập mẫu Excel")
    expect(page.locator("#template-errors")).to_have_count(0)
    expect(page.locator("#v-DIST_PORTAL_NEWS")).to_have_value("1.250")
    expect(page.locator("#v-RADIO_STATIONS")).to_have_value("12")
    expect(page.locator("#v-RADIO_IP_STATIONS")).to_have_value("4")
    expect(page.locator("#v-V_RESULTS")).to_have_value(narratives["V_RESULTS"])
    expect(page.locator("#history")).to_contain_text("Đài truyền thanh cấp xã: — → 12")
    screenshots(page, "values-imported")
