"""Excel templates: the layout of a downloaded template, a filled template imported into the
draft, the page and API around them, and every kind of bad file, each refused with its cells
listed and nothing written."""

from __future__ import annotations

import io
import time
import zipfile
from datetime import datetime
from decimal import Decimal
from email.message import Message

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from baocao.audit.models import AuditEvent
from baocao.core.errors import AppError, PermissionDeniedError
from baocao.exchange.xlsx_template import (
    KEYS_SHEET,
    SHEET,
    TemplateFileError,
    template_build,
    template_import,
    template_parse,
)
from baocao.orgunits.models import OrgUnit
from baocao.reporting.choices import ValueType
from baocao.reporting.models import Indicator
from baocao.submissions.choices import SubmissionStatus
from baocao.submissions.models import SubmissionNarrative, SubmissionValue
from baocao.submissions.services import (
    submission_approve,
    submission_get_or_create,
    submission_save_draft,
    submission_submit,
)
from tests.factories import World

pytestmark = pytest.mark.django_db

API = "/api/v1"


@pytest.fixture
def world():
    w = World()
    fv = w.form_version
    section = fv.sections.get()
    Indicator.objects.create(section=section, form_version=fv, order=10, code="ONLINE",
                             name="Có cổng dịch vụ công trực tuyến", value_type=ValueType.YES_NO)
    Indicator.objects.create(section=section, form_version=fv, order=11, code="AVG",
                             name="Số ngày xử lý bình quân", value_type=ValueType.DECIMAL, unit_of_measure="ngày",
                             min_value=Decimal(0), max_value=Decimal(365))
    w.sub = submission_get_or_create(regime=w.regime, period="2022S2", unit=w.unit_a, acting_user=w.reporter_a)
    return w


# ---------------------------------------------------------------------------
# Filling a template as a unit would in Excel


def _row_of(ws, label: str) -> int:
    for (cell,) in ws.iter_rows(min_col=2, max_col=2):
        if isinstance(cell.value, str) and cell.value.startswith(label):
            return cell.row
    raise AssertionError(f"no row labelled {label!r}")


def value_cell(ws, label: str) -> str:
    return f"D{_row_of(ws, label)}"


def narrative_cell(ws, label: str) -> str:
    return f"B{_row_of(ws, label) + 1}"


def fill(data: bytes, values: dict | None = None, narratives: dict | None = None, change=None) -> bytes:
    """Open the template, write values next to their labels, optionally change the workbook, save."""
    wb = load_workbook(io.BytesIO(data))
    ws = wb[SHEET]
    for label, value in (values or {}).items():
        ws[value_cell(ws, label)] = value
    for label, text in (narratives or {}).items():
        ws[narrative_cell(ws, label)] = text
    if change is not None:
        change(wb)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


GOOD_VALUES = {"Số đơn đã giải quyết": 12, "Số đơn tiếp nhận": 1250, "Tỷ lệ hồ sơ trực tuyến": 37.5,
               "Ghi chú": "Số liệu đến 14/12", "Có cổng dịch vụ công trực tuyến": "Có",
               "Số ngày xử lý bình quân": 4.25}
GOOD_TEXT = {"Kết quả thực hiện": "Hoàn thành kế hoạch năm.\nTổ chức 3 hội nghị."}


def snapshot(sub):
    sub.refresh_from_db()
    return (SubmissionValue.objects.count(), SubmissionNarrative.objects.count(), sub.version,
            AuditEvent.objects.count())


def refused(world, data: bytes, *, user=None) -> list[dict]:
    """Import `data`, expect TemplateFileError, check nothing was written; return the cells."""
    before = snapshot(world.sub)
    with pytest.raises(TemplateFileError) as info:
        template_import(submission=world.sub, data=data, acting_user=user or world.reporter_a)
    assert snapshot(world.sub) == before
    cells = info.value.extra["cells"]
    assert cells and all(set(c) == {"sheet", "cell", "message"} and c["message"] for c in cells)
    return cells


def messages_of(cells) -> str:
    return " | ".join(c["message"] for c in cells)


# ---------------------------------------------------------------------------
# Building


class TestTemplateBuild:
    def test_layout_keys_protection_and_validation(self, world):
        submission_save_draft(submission=world.sub, acting_user=world.reporter_a,
                              values={"A": 5, "PCT": "12,5", "ONLINE": "Không"}, narratives={"RESULTS": "Đã làm"})
        wb = load_workbook(io.BytesIO(template_build(submission=world.sub)))
        assert wb.sheetnames == [SHEET, KEYS_SHEET]
        ws, keys = wb[SHEET], wb[KEYS_SHEET]
        assert keys.sheet_state == "veryHidden" and ws.sheet_state == "visible"
        title = " ".join(str(ws[f"A{r}"].value) for r in range(1, 7))
        assert world.regime.name in title and world.unit_a.name in title
        assert "2022S2" in title and "20/12/2022" in title and "15/06/2022" in title and "14/12/2022" in title
        assert "phiên bản 1" in title
        header = _row_of(ws, "Tên chỉ tiêu")
        assert [ws.cell(header, c).value for c in range(1, 6)] == ["STT", "Tên chỉ tiêu", "Đơn vị tính", "Giá trị",
                                                                   "Ghi chú"]
        # Current draft values, numbers as numbers.
        assert ws[value_cell(ws, "Số đơn đã giải quyết")].value == 5
        assert ws[value_cell(ws, "Tỷ lệ hồ sơ trực tuyến")].value == 12.5
        assert ws[value_cell(ws, "Có cổng dịch vụ công trực tuyến")].value == "Không"
        assert ws[value_cell(ws, "Số đơn tiếp nhận")].value is None
        assert ws[narrative_cell(ws, "Kết quả thực hiện")].value == "Đã làm"
        assert ws.cell(_row_of(ws, "Tỷ lệ hồ sơ trực tuyến"), 3).value == "%"
        assert "từ 0 đến 100" in ws.cell(_row_of(ws, "Tỷ lệ hồ sơ trực tuyến"), 5).value
        # Protection: sheet and structure locked, only input cells open.
        assert ws.protection.sheet and keys.protection.sheet and wb.security.lockStructure
        a = value_cell(ws, "Số đơn đã giải quyết")
        assert ws[a].protection.locked is False
        assert ws[narrative_cell(ws, "Kết quả thực hiện")].protection.locked is False
        assert ws[f"B{_row_of(ws, 'Số đơn đã giải quyết')}"].protection.locked is True
        # Data validation per value type.
        by_cell = {}
        for dv in ws.data_validations.dataValidation:
            for rng in dv.sqref.ranges:
                by_cell[rng.coord] = dv
        dv = by_cell[a]
        assert (dv.type, dv.formula1) == ("whole", "0")
        dv = by_cell[value_cell(ws, "Tỷ lệ hồ sơ trực tuyến")]
        assert (dv.type, dv.operator, dv.formula1, dv.formula2) == ("decimal", "between", "0", "100")
        assert by_cell[value_cell(ws, "Có cổng dịch vụ công trực tuyến")].formula1 == '"Có,Không"'
        assert by_cell[value_cell(ws, "Ghi chú")].type == "textLength"
        assert by_cell[narrative_cell(ws, "Kết quả thực hiện")].type == "textLength"
        # Machine keys.
        meta = {r[1]: r[2] for r in keys.iter_rows(values_only=True) if r[0] == "meta"}
        assert meta == {"format": "baocao-template", "layout": "1", "form": world.form_version.form.code,
                        "form_version": "1", "regime": "BC-TEST", "period": "2022S2", "unit": "UA",
                        "submission": str(world.sub.pk)}
        mapped = {r[1]: (r[0], r[2]) for r in keys.iter_rows(values_only=True) if r[0] != "meta"}
        assert mapped[a] == ("indicator", "A")
        assert mapped[narrative_cell(ws, "Kết quả thực hiện")] == ("narrative", "RESULTS")
        assert len(mapped) == 7
        assert wb.properties.creator == "baocao" and "BC-TEST" in wb.properties.subject


# ---------------------------------------------------------------------------
# Importing


class TestTemplateImport:
    def test_filled_template_fills_the_draft(self, world):
        data = fill(template_build(submission=world.sub), GOOD_VALUES, GOOD_TEXT)
        result = template_import(submission=world.sub, data=data, acting_user=world.reporter_a)
        assert sorted(result.changed) == ["A", "AVG", "B", "NOTE", "ONLINE", "PCT", "RESULTS"]
        stored = {v.indicator.code: (v.number, v.text) for v in world.sub.values.select_related("indicator")}
        assert stored == {"A": (Decimal(12), ""), "B": (Decimal(1250), ""), "PCT": (Decimal("37.5"), ""),
                          "NOTE": (None, "Số liệu đến 14/12"), "ONLINE": (Decimal(1), ""),
                          "AVG": (Decimal("4.25"), "")}
        assert world.sub.narratives.get().text == GOOD_TEXT["Kết quả thực hiện"]
        world.sub.refresh_from_db()
        assert world.sub.version == result.version == 1
        events = AuditEvent.objects.filter(action="submission.save", entity_id=world.sub.pk)
        assert events.count() == 7 and {e.actor for e in events} == {world.reporter_a}

    def test_round_trip_of_an_unchanged_template_changes_nothing(self, world):
        template_import(submission=world.sub, data=fill(template_build(submission=world.sub), GOOD_VALUES, GOOD_TEXT),
                        acting_user=world.reporter_a)
        result = template_import(submission=world.sub, data=template_build(submission=world.sub),
                                 acting_user=world.reporter_a)
        assert result.changed == [] and result.version == 1

    def test_emptied_cell_clears_the_value(self, world):
        submission_save_draft(submission=world.sub, acting_user=world.reporter_a, values={"A": 3, "B": 4})
        data = fill(template_build(submission=world.sub), {"Số đơn đã giải quyết": None})
        result = template_import(submission=world.sub, data=data, acting_user=world.reporter_a)
        assert result.changed == ["A"]
        assert world.sub.values.get(indicator__code="A").number is None

    def test_numbers_typed_as_text_the_vietnamese_way_are_read(self, world):
        data = fill(template_build(submission=world.sub), {"Số đơn tiếp nhận": "1.250", "Tỷ lệ hồ sơ trực tuyến": "12,5"})
        template_import(submission=world.sub, data=data, acting_user=world.reporter_a)
        assert world.sub.values.get(indicator__code="B").number == 1250
        assert world.sub.values.get(indicator__code="PCT").number == Decimal("12.5")

    def test_parse_returns_raw_values_and_texts(self, world):
        parsed = template_parse(data=fill(template_build(submission=world.sub), GOOD_VALUES, GOOD_TEXT),
                                submission=world.sub)
        assert parsed.values["A"] == 12 and parsed.values["ONLINE"] == "Có"
        assert parsed.narratives == {"RESULTS": GOOD_TEXT["Kết quả thực hiện"]}
        assert SubmissionValue.objects.count() == 0


# ---------------------------------------------------------------------------
# Bad cells


class TestBadCells:
    def _one(self, world, values=None, narratives=None, change=None) -> tuple[list[dict], load_workbook]:
        data = fill(template_build(submission=world.sub), values, narratives, change)
        return refused(world, data), load_workbook(io.BytesIO(data))[SHEET]

    def test_formula_refused(self, world):
        cells, ws = self._one(world, {"Số đơn đã giải quyết": "=1+2"})
        address = value_cell(ws, "Số đơn đã giải quyết")
        assert cells == [{"sheet": SHEET, "cell": address,
                          "message": f"Ô {address} («Số đơn đã giải quyết») chứa công thức; hãy nhập giá trị."}]

    def test_text_in_numeric_cell_refused(self, world):
        cells, ws = self._one(world, {"Số đơn tiếp nhận": "mười hai"})
        assert cells[0]["cell"] == value_cell(ws, "Số đơn tiếp nhận")
        assert "không phải là số" in cells[0]["message"]

    def test_date_in_numeric_cell_refused(self, world):
        cells, ws = self._one(world, {"Số đơn tiếp nhận": datetime(2022, 12, 1)})
        assert cells[0]["cell"] == value_cell(ws, "Số đơn tiếp nhận") and "ngày tháng" in cells[0]["message"]

    def test_number_formatted_as_date_refused(self, world):
        def as_date(wb):
            ws = wb[SHEET]
            ws[value_cell(ws, "Số đơn tiếp nhận")].number_format = "dd/mm/yyyy"

        cells, ws = self._one(world, {"Số đơn tiếp nhận": 44900}, change=as_date)
        assert cells[0]["cell"] == value_cell(ws, "Số đơn tiếp nhận") and "ngày tháng" in cells[0]["message"]

    def test_negative_value_refused(self, world):
        cells, _ = self._one(world, {"Số đơn đã giải quyết": -3})
        assert "không được nhỏ hơn 0" in cells[0]["message"]

    def test_out_of_range_refused(self, world):
        cells, _ = self._one(world, {"Tỷ lệ hồ sơ trực tuyến": 150})
        assert "từ 0 đến 100" in cells[0]["message"]

    def test_fraction_in_integer_cell_refused(self, world):
        cells, _ = self._one(world, {"Số đơn tiếp nhận": 12.5})
        assert "số nguyên" in cells[0]["message"]

    def test_bad_yes_no_refused(self, world):
        cells, _ = self._one(world, {"Có cổng dịch vụ công trực tuyến": "Chắc là có"})
        assert "«Có» hoặc «Không»" in cells[0]["message"]

    def test_merged_input_cells_refused(self, world):
        def merge(wb):
            ws = wb[SHEET]
            row = _row_of(ws, "Số đơn đã giải quyết")
            ws.protection.sheet = False
            ws.merge_cells(f"D{row}:E{row}")

        cells, ws = self._one(world, {"Số đơn đã giải quyết": 4}, change=merge)
        address = value_cell(ws, "Số đơn đã giải quyết")
        assert cells[0]["cell"] == address and f"vùng gộp ô {address}:E" in cells[0]["message"]

    def test_every_bad_cell_is_listed_at_once(self, world):
        cells, ws = self._one(world, {"Số đơn đã giải quyết": "=B1", "Số đơn tiếp nhận": "abc",
                                      "Tỷ lệ hồ sơ trực tuyến": -1, "Số ngày xử lý bình quân": 400},
                              GOOD_TEXT)
        assert [c["cell"] for c in cells] == [value_cell(ws, label) for label in (
            "Số đơn đã giải quyết", "Số đơn tiếp nhận", "Tỷ lệ hồ sơ trực tuyến", "Số ngày xử lý bình quân")]

    def test_rows_inserted_refused(self, world):
        def insert(wb):
            ws = wb[SHEET]
            ws.insert_rows(_row_of(ws, "Số đơn đã giải quyết"))

        cells, _ = self._one(world, {"Số đơn đã giải quyết": 4}, change=insert)
        assert "đã bị thêm, xoá hoặc di chuyển" in cells[0]["message"]


# ---------------------------------------------------------------------------
# Wrong template


def _set_meta(name: str, value: str):
    def change(wb):
        for row in wb[KEYS_SHEET].iter_rows():
            if row[0].value == "meta" and row[1].value == name:
                row[2].value = value

    return change


class TestWrongTemplate:
    def test_old_form_version_refused(self, world):
        cells = refused(world, fill(template_build(submission=world.sub), GOOD_VALUES,
                                    change=_set_meta("form_version", "0")))
        assert cells[0]["sheet"] == KEYS_SHEET
        assert "phiên bản 0" in cells[0]["message"] and "tải mẫu mới" in cells[0]["message"]

    def test_another_units_template_refused(self, world):
        other = submission_get_or_create(regime=world.regime, period="2022S2", unit=world.unit_b,
                                         acting_user=world.reporter_b)
        cells = refused(world, fill(template_build(submission=other), GOOD_VALUES))
        assert messages_of(cells) == ("Mẫu này của đơn vị «UB», không phải «UA» của báo cáo đang mở; "
                                      "hãy tải mẫu của báo cáo này.")

    def test_another_periods_template_refused(self, world):
        other = submission_get_or_create(regime=world.regime, period="2022S1", unit=world.unit_a,
                                         acting_user=world.reporter_a)
        cells = refused(world, fill(template_build(submission=other), GOOD_VALUES))
        assert "kỳ báo cáo «2022S1»" in messages_of(cells)

    def test_another_regimes_template_refused(self, world):
        cells = refused(world, fill(template_build(submission=world.sub), change=_set_meta("regime", "BC-KHAC")))
        assert "chế độ báo cáo «BC-KHAC»" in messages_of(cells)

    def test_another_forms_template_refused(self, world):
        cells = refused(world, fill(template_build(submission=world.sub), change=_set_meta("form", "F-KHAC")))
        assert "biểu mẫu «F-KHAC»" in messages_of(cells)

    def test_missing_keys_sheet_refused(self, world):
        cells = refused(world, fill(template_build(submission=world.sub), GOOD_VALUES,
                                    change=lambda wb: wb.remove(wb[KEYS_SHEET])))
        assert "_keys" in messages_of(cells)

    def test_renamed_report_sheet_refused(self, world):
        def rename(wb):
            wb[SHEET].title = "Sheet1"

        cells = refused(world, fill(template_build(submission=world.sub), GOOD_VALUES, change=rename))
        assert cells == [{"sheet": SHEET, "cell": "",
                          "message": "Không thấy trang «Báo cáo» (đã bị đổi tên hoặc xoá); hãy giữ nguyên tên trang."}]

    def test_deleted_report_sheet_refused(self, world):
        def delete(wb):
            wb.create_sheet("Khác")
            wb.remove(wb[SHEET])

        assert "Báo cáo" in messages_of(refused(world, fill(template_build(submission=world.sub), change=delete)))

    def test_keys_naming_unknown_codes_refused(self, world):
        def tamper(wb):
            for row in wb[KEYS_SHEET].iter_rows():
                if row[0].value == "indicator" and row[2].value == "A":
                    row[2].value = "KHONG_CO"

        cells = refused(world, fill(template_build(submission=world.sub), change=tamper))
        assert "KHONG_CO" in messages_of(cells)


# ---------------------------------------------------------------------------
# Not a template at all


def _zip(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, content in entries.items():
            zf.writestr(name, content)
    return out.getvalue()


class TestNotATemplate:
    def test_empty_file_refused(self, world):
        assert "Tệp rỗng" in messages_of(refused(world, b""))

    def test_truncated_file_refused(self, world):
        data = fill(template_build(submission=world.sub), GOOD_VALUES)
        assert "hỏng hoặc không đầy đủ" in messages_of(refused(world, data[: len(data) // 2]))

    def test_csv_named_xlsx_refused(self, world):
        data = "Mã chỉ tiêu;Giá trị\nA;12\n".encode("utf-8-sig")
        assert "không phải là tệp Excel .xlsx" in messages_of(refused(world, data))

    def test_old_xls_refused(self, world):
        data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512
        assert "97-2003" in messages_of(refused(world, data))

    def test_other_zip_named_xlsx_refused(self, world):
        data = _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
        assert "không phải là bảng tính" in messages_of(refused(world, data))

    def test_zip_with_garbage_workbook_refused(self, world):
        data = _zip({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"not xml at all"})
        assert "Không đọc được tệp Excel" in messages_of(refused(world, data))

    def test_oversized_file_refused(self, world, settings):
        settings.EXCHANGE_MAX_UPLOAD_BYTES = 2000
        data = fill(template_build(submission=world.sub), GOOD_VALUES)
        assert "Tệp quá lớn" in messages_of(refused(world, data))

    def test_zip_bomb_refused_without_inflating(self, world):
        """200 MiB of spaces as the sheet XML compresses to a few hundred KiB."""
        template = zipfile.ZipFile(io.BytesIO(template_build(submission=world.sub)))
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
            for info in template.infolist():
                if info.filename != "xl/worksheets/sheet1.xml":
                    zf.writestr(info.filename, template.read(info.filename))
            with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
                chunk = b" " * (1024 * 1024)
                for _ in range(200):
                    sheet.write(chunk)
        data = out.getvalue()
        assert len(data) < 1024 * 1024
        started = time.monotonic()
        cells = refused(world, data)
        assert time.monotonic() - started < 5  # refused from the zip directory, not by inflating
        assert "quá cao" in messages_of(cells) or "quá lớn" in messages_of(cells)

    def test_highly_compressed_entry_under_the_total_refused(self, world):
        data = _zip({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>",
                     "xl/worksheets/sheet1.xml": b" " * (10 * 1024 * 1024)})
        assert "tỷ lệ nén quá cao" in messages_of(refused(world, data))

    def test_many_small_entries_over_the_total_refused(self, world):
        data = _zip({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>",
                     **{f"xl/media/x{i}.bin": bytes(range(256)) * 4096 for i in range(60)}})
        assert "sau khi giải nén quá lớn" in messages_of(refused(world, data))

    def test_too_many_entries_refused(self, world):
        data = _zip({f"x/{i}": b"" for i in range(1001)})
        assert "quá nhiều thành phần" in messages_of(refused(world, data))


# ---------------------------------------------------------------------------
# Who and when


class TestWhoAndWhen:
    def test_submitted_report_refused(self, world):
        submission_save_draft(submission=world.sub, acting_user=world.reporter_a,
                              values={"A": 1, "B": 2}, narratives={"RESULTS": "Xong"})
        submission_submit(submission=world.sub, acting_user=world.reporter_a)
        data = fill(template_build(submission=world.sub), GOOD_VALUES)
        before = snapshot(world.sub)
        with pytest.raises(AppError, match="Đã gửi"):
            template_import(submission=world.sub, data=data, acting_user=world.reporter_a)
        assert snapshot(world.sub) == before

    def test_approved_report_refused(self, world):
        submission_save_draft(submission=world.sub, acting_user=world.reporter_a,
                              values={"A": 1, "B": 2}, narratives={"RESULTS": "Xong"})
        submission_submit(submission=world.sub, acting_user=world.reporter_a)
        submission_approve(submission=world.sub, acting_user=world.compiler)
        world.sub.refresh_from_db()
        data = fill(template_build(submission=world.sub), GOOD_VALUES)
        before = snapshot(world.sub)
        with pytest.raises(AppError, match="Đã duyệt"):
            template_import(submission=world.sub, data=data, acting_user=world.reporter_a)
        assert snapshot(world.sub) == before

    def test_returned_report_accepts_a_template(self, world):
        submission_save_draft(submission=world.sub, acting_user=world.reporter_a,
                              values={"A": 1, "B": 2}, narratives={"RESULTS": "Xong"})
        submission_submit(submission=world.sub, acting_user=world.reporter_a)
        from baocao.submissions.services import submission_return

        submission_return(submission=world.sub, acting_user=world.compiler, comment="Sửa số liệu")
        world.sub.refresh_from_db()
        data = fill(template_build(submission=world.sub), {"Số đơn đã giải quyết": 2})
        assert template_import(submission=world.sub, data=data, acting_user=world.reporter_a).changed == ["A"]
        assert world.sub.status == SubmissionStatus.RETURNED

    @pytest.mark.parametrize("who", ["compiler", "viewer", "reporter_b"])
    def test_only_the_units_reporter_may_import(self, world, who):
        data = fill(template_build(submission=world.sub), GOOD_VALUES)
        with pytest.raises(PermissionDeniedError):
            template_import(submission=world.sub, data=data, acting_user=getattr(world, who))
        assert SubmissionValue.objects.count() == 0

    def test_admin_may_import(self, world):
        data = fill(template_build(submission=world.sub), GOOD_VALUES)
        assert template_import(submission=world.sub, data=data, acting_user=world.admin).version == 1


# ---------------------------------------------------------------------------
# Pages


def logged(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


class TestPages:
    def download_url(self, world):
        return reverse("exchange:template_download", args=[world.sub.pk])

    def upload_url(self, world):
        return reverse("exchange:template_upload", args=[world.sub.pk])

    def test_detail_page_has_download_link_and_upload_form(self, world):
        html = logged(world.reporter_a).get(f"/submissions/{world.sub.pk}/").content.decode()
        assert "Tải mẫu Excel" in html and self.download_url(world) in html and 'id="template-upload"' in html
        html = logged(world.compiler).get(f"/submissions/{world.sub.pk}/").content.decode()
        assert "Tải mẫu Excel" in html and 'id="template-upload"' not in html

    @pytest.mark.parametrize("who", ["reporter_a", "compiler", "admin"])
    def test_download_for_whoever_sees_the_report(self, world, who):
        response = logged(getattr(world, who)).get(self.download_url(world))
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        assert 'filename="mau-BC-TEST-2022S2-UA.xlsx"' in response["Content-Disposition"]
        assert SHEET in load_workbook(io.BytesIO(response.content)).sheetnames

    @pytest.mark.parametrize("who", ["reporter_b", "other_compiler"])
    def test_another_units_report_is_404(self, world, who):
        assert logged(getattr(world, who)).get(self.download_url(world)).status_code == 404
        upload = io.BytesIO(template_build(submission=world.sub))
        upload.name = "mau.xlsx"
        assert logged(getattr(world, who)).post(self.upload_url(world), {"file": upload}).status_code == 404

    def test_anonymous_goes_to_login(self, world):
        response = Client().get(self.download_url(world))
        assert response.status_code == 302 and "/login/" in response["Location"]

    def test_upload_fills_the_draft_and_redirects(self, world):
        upload = io.BytesIO(fill(template_build(submission=world.sub), GOOD_VALUES, GOOD_TEXT))
        upload.name = "mau.xlsx"
        client = logged(world.reporter_a)
        response = client.post(self.upload_url(world), {"file": upload})
        assert response.status_code == 302 and response["Location"] == f"/submissions/{world.sub.pk}/"
        html = client.get(response["Location"]).content.decode()
        assert "Đã nhập mẫu Excel: cập nhật 7 ô" in html and 'value="1.250"' in html

    def test_bad_upload_shows_every_cell_on_the_page(self, world):
        data = fill(template_build(submission=world.sub), {"Số đơn tiếp nhận": "abc", "Số đơn đã giải quyết": -1})
        ws = load_workbook(io.BytesIO(data))[SHEET]
        upload = io.BytesIO(data)
        upload.name = "mau.xlsx"
        response = logged(world.reporter_a).post(self.upload_url(world), {"file": upload})
        assert response.status_code == 400
        html = response.content.decode()
        assert 'id="template-errors"' in html and "mau.xlsx" in html
        for label in ("Số đơn tiếp nhận", "Số đơn đã giải quyết"):
            assert f"<code>Báo cáo!{value_cell(ws, label)}</code>" in html
        assert SubmissionValue.objects.count() == 0

    def test_a_hostile_file_name_is_shown_clean(self, world):
        data = fill(template_build(submission=world.sub), {"Số đơn tiếp nhận": "abc"})
        upload = io.BytesIO(data)
        upload.name = "mau\u202exslx.exe\x07.xlsx"
        response = logged(world.reporter_a).post(self.upload_url(world), {"file": upload})
        html = response.content.decode()
        assert response.status_code == 400 and "«mauxslx.exe.xlsx»" in html
        assert "\u202e" not in html and "\x07" not in html

    @pytest.mark.parametrize("code", ['Sở "TT"', "Phòng VH-TT; x=1", "ĐV\u202e01\\x"])
    def test_download_names_made_of_codes_are_safe(self, world, code):
        OrgUnit.objects.filter(pk=world.sub.unit_id).update(code=code)
        for url in [self.download_url(world), f"{API}/submissions/{world.sub.pk}/template"]:
            response = logged(world.reporter_a).get(url)
            assert response.status_code == 200, url
            header = response["Content-Disposition"]
            assert header.isascii() and header.startswith("attachment; filename"), header
            message = Message()
            message["Content-Disposition"] = header
            name = message.get_filename()
            assert name and name.startswith("mau-BC-TEST-2022S2-") and name.endswith(".xlsx"), header
            assert not set(name) & set('"\\/\u202e'), name

    def test_upload_without_file(self, world):
        response = logged(world.reporter_a).post(self.upload_url(world), {})
        assert response.status_code == 400 and "Chưa chọn tệp" in response.content.decode()

    def test_compiler_upload_is_403(self, world):
        upload = io.BytesIO(template_build(submission=world.sub))
        upload.name = "mau.xlsx"
        assert logged(world.compiler).post(self.upload_url(world), {"file": upload}).status_code == 403

    def test_oversized_upload_refused_before_reading(self, world, settings):
        settings.EXCHANGE_MAX_UPLOAD_BYTES = 100
        upload = io.BytesIO(b"x" * 101)
        upload.name = "mau.xlsx"
        response = logged(world.reporter_a).post(self.upload_url(world), {"file": upload})
        assert response.status_code == 400 and "Tệp quá lớn" in response.content.decode()


# ---------------------------------------------------------------------------
# API


class TestApi:
    def test_download(self, world):
        response = logged(world.reporter_a).get(f"{API}/submissions/{world.sub.pk}/template")
        assert response.status_code == 200
        assert load_workbook(io.BytesIO(response.content))[KEYS_SHEET].sheet_state == "veryHidden"

    def test_download_of_another_units_report_is_404(self, world):
        response = logged(world.reporter_b).get(f"{API}/submissions/{world.sub.pk}/template")
        assert response.status_code == 404 and response.json()["message"].startswith("Không tìm thấy")

    def test_upload(self, world):
        upload = io.BytesIO(fill(template_build(submission=world.sub), GOOD_VALUES, GOOD_TEXT))
        upload.name = "mau.xlsx"
        response = logged(world.reporter_a).post(f"{API}/submissions/{world.sub.pk}/template", {"file": upload})
        assert response.status_code == 200, response.content
        assert response.json()["version"] == 1 and len(response.json()["changed"]) == 7

    def test_bad_upload_answers_the_cells(self, world):
        data = fill(template_build(submission=world.sub), {"Số đơn tiếp nhận": "abc"})
        address = value_cell(load_workbook(io.BytesIO(data))[SHEET], "Số đơn tiếp nhận")
        upload = io.BytesIO(data)
        upload.name = "mau.xlsx"
        response = logged(world.reporter_a).post(f"{API}/submissions/{world.sub.pk}/template", {"file": upload})
        assert response.status_code == 400
        body = response.json()
        assert set(body) == {"message", "extra"}
        assert body["extra"]["cells"][0]["cell"] == address and body["extra"]["cells"][0]["sheet"] == SHEET
        assert SubmissionValue.objects.count() == 0

    def test_upload_by_compiler_is_403(self, world):
        upload = io.BytesIO(template_build(submission=world.sub))
        upload.name = "mau.xlsx"
        response = logged(world.compiler).post(f"{API}/submissions/{world.sub.pk}/template", {"file": upload})
        assert response.status_code == 403

    def test_upload_without_file_is_422(self, world):
        response = logged(world.reporter_a).post(f"{API}/submissions/{world.sub.pk}/template", {})
        assert response.status_code == 422
