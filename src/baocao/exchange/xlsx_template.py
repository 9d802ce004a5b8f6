"""Excel templates of a unit's report: download an .xlsx laid out like the form, fill it in Excel,
upload it into the draft.

The visible sheet «Báo cáo» follows the form: a title block, then per section a header row, one row
per indicator (STT, tên chỉ tiêu, đơn vị tính, giá trị, ghi chú) and the section's narrative fields
as tall wrapped cells. Input cells are the only unlocked cells of a protected sheet (no password:
protection prevents accidents, not attacks; the upload checks everything again). A very hidden
sheet «_keys» maps every input cell to its indicator or narrative code and names the form, form
version, regime, period, unit and submission the file was made for.

An upload is checked as a whole before anything is saved: size, that it really is an .xlsx (zip
signature, entry count, uncompressed size and compression ratio against zip bombs), the sheets and
keys, the form version, the unit/period/regime, merged cells, formulas, dates and text in numeric
cells, and every value through the same parser as the web form. Every problem comes back at once
in `TemplateFileError.extra["cells"]` as {"sheet", "cell", "message"}.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.conf import settings
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils.cell import coordinate_from_string
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation

from baocao.accounts.roles import can_edit_unit_reports
from baocao.core.errors import AppError, PermissionDeniedError
from baocao.core.text import clean_text, spreadsheet_cell, spreadsheet_row, spreadsheet_unescape, xml_text
from baocao.core.vietnamese import format_date, format_number
from baocao.exchange.formats import check_zip_sizes
from baocao.reporting.choices import ValueType
from baocao.reporting.periods import cutoff_window, parse_period
from baocao.reporting.selectors import RegimePeriod, form_version_detail, regime_period
from baocao.submissions.choices import EDITABLE_STATUSES
from baocao.submissions.services import MAX_NARRATIVE_LENGTH, SaveResult, submission_save_draft
from baocao.submissions.validation import ValueProblem, parse_indicator_value

SHEET = "Báo cáo"
KEYS_SHEET = "_keys"
TEMPLATE_FORMAT = "baocao-template"
TEMPLATE_LAYOUT = "1"
CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

DEFAULT_MAX_UPLOAD_BYTES = 10 * 1024 * 1024
# Limits on what the zip may expand to, checked on the declared sizes before anything is inflated
# (zipfile never inflates an entry past its declared size, so the declaration binds the work).
MAX_UNCOMPRESSED_BYTES = 16 * 1024 * 1024
MAX_ENTRIES = 1000
EXCEL_MAX_CELL_TEXT = 32767

COL_STT, COL_NAME, COL_UNIT, COL_VALUE, COL_NOTE = "A", "B", "C", "D", "E"
NUMERIC_TYPES = (ValueType.INTEGER, ValueType.DECIMAL, ValueType.PERCENT)
EXCEL_NUMBER_BOUND = 10**15

INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")
HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
THIN = Side(style="thin", color="999999")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
UNLOCKED = Protection(locked=False)


class TemplateFileError(AppError):
    """An uploaded template that cannot be imported; `extra["cells"]` lists every problem."""

    def __init__(self, message: str, cells: list[dict]):
        super().__init__(message, {"cells": cells})


@dataclass
class ParsedTemplate:
    values: dict[str, object] = field(default_factory=dict)
    narratives: dict[str, str] = field(default_factory=dict)
    cells: dict[str, str] = field(default_factory=dict)  # code -> input cell address


def max_upload_bytes() -> int:
    return int(getattr(settings, "EXCHANGE_MAX_UPLOAD_BYTES", DEFAULT_MAX_UPLOAD_BYTES))


def template_filename(submission) -> str:
    return f"mau-{submission.regime.code}-{submission.period}-{submission.unit.code}.xlsx"


# ---------------------------------------------------------------------------
# Building


def _type_note(ind) -> str:
    low, high = ind.min_value, ind.max_value
    parts = [ind.get_value_type_display()]
    if ind.value_type in NUMERIC_TYPES:
        if low is not None and high is not None:
            parts.append(f"từ {format_number(low)} đến {format_number(high)}")
        elif low is not None:
            parts.append(f"≥ {format_number(low)}")
        elif high is not None:
            parts.append(f"≤ {format_number(high)}")
    if ind.required:
        parts.append("bắt buộc")
    return "; ".join(parts)


def _bound(value: Decimal | None, default: int) -> str:
    return format(value.normalize(), "f") if value is not None else str(default)


def _validation_for(ind) -> DataValidation:
    low, high = _bound(ind.min_value, -EXCEL_NUMBER_BOUND), _bound(ind.max_value, EXCEL_NUMBER_BOUND)
    if ind.value_type == ValueType.INTEGER:
        dv = DataValidation(type="whole", operator="between", formula1=low, formula2=high)
        dv.error = f"Nhập số nguyên ({_type_note(ind)})."
    elif ind.value_type in (ValueType.DECIMAL, ValueType.PERCENT):
        dv = DataValidation(type="decimal", operator="between", formula1=low, formula2=high)
        dv.error = f"Nhập số ({_type_note(ind)})."
    elif ind.value_type == ValueType.YES_NO:
        dv = DataValidation(type="list", formula1='"Có,Không"')
        dv.error = "Chọn «Có» hoặc «Không»."
    else:
        dv = DataValidation(type="textLength", operator="lessThanOrEqual", formula1=str(EXCEL_MAX_CELL_TEXT))
        dv.error = "Nội dung quá dài."
    dv.errorTitle = "Giá trị không hợp lệ"
    dv.showErrorMessage = True
    dv.allow_blank = True
    return dv


def _cell_value(ind, stored):
    """The stored value as Excel should hold it: numbers as numbers, Có/Không, text."""
    if stored is None:
        return None
    number, text = stored
    if ind.value_type == ValueType.TEXT:
        return text or None
    if number is None:
        return None
    if ind.value_type == ValueType.YES_NO:
        return "Có" if number else "Không"
    if number == number.to_integral_value():
        return int(number)
    return float(number)


def _submission_period(submission) -> RegimePeriod:
    """The period under its regime; if the regime has since dropped that frequency, the window
    still follows the regime's cut-off rule, without a deadline."""
    try:
        return regime_period(submission.regime, submission.period)
    except AppError:
        period = parse_period(submission.period)
        start, end = cutoff_window(period, submission.regime.cutoff_rule)
        return RegimePeriod(period, start, end, None)


def _put(ws, *, row: int, column: int, value=None):
    """Every cell of the template is written here: texts cannot act as formulas (a leading =, +,
    -, @ gets the apostrophe that `template_parse` drops again) and hold no XML-illegal character."""
    cell = ws.cell(row=row, column=column, value=spreadsheet_cell(value))
    if isinstance(value, str):
        cell.data_type = "s"
    return cell


def template_build(*, submission) -> bytes:
    """The submission's Excel template with its current draft values filled in."""
    fv = form_version_detail(submission.form_version_id)
    regime, unit = submission.regime, submission.unit
    rp = _submission_period(submission)
    stored = {v.indicator_id: (v.number, v.text) for v in submission.values.all()}
    texts = {n.field_id: n.text for n in submission.narratives.all()}

    wb = Workbook()
    ws = wb.active
    assert ws is not None  # a new workbook always has its one (active) worksheet
    ws.title = SHEET
    for letter, width in ((COL_STT, 6), (COL_NAME, 70), (COL_UNIT, 14), (COL_VALUE, 18), (COL_NOTE, 36)):
        ws.column_dimensions[letter].width = width

    title_rows = [
        (regime.name, Font(bold=True, size=14)),
        (f"Đơn vị báo cáo: {unit.name}", Font(bold=True)),
        (f"Kỳ báo cáo: {rp.period.label} ({rp.code})", None),
        (f"Thời gian chốt số liệu: từ {format_date(rp.window_start)} đến {format_date(rp.window_end)}", None),
        (f"Hạn gửi: {format_date(rp.deadline) if rp.deadline else '—'}", None),
        (f"Biểu mẫu: {fv.form.name} — phiên bản {fv.number}", None),
        ("Nhập số liệu vào các ô màu vàng (cột «Giá trị» và các ô thuyết minh). "
         "Không đổi tên trang, không thêm, xoá hoặc gộp dòng, cột, ô; không dùng công thức.", Font(italic=True)),
    ]
    row = 0
    for text, font in title_rows:
        row += 1
        _put(ws, row=row, column=1, value=text)
        if font:
            _put(ws, row=row, column=1).font = font
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=5)
        _put(ws, row=row, column=1).alignment = Alignment(wrap_text=True, vertical="top")
    ws.row_dimensions[1].height = 36
    ws.row_dimensions[row].height = 32

    keys: list[tuple[str, str, str]] = []
    validations: dict[tuple, DataValidation] = {}
    stt = 0
    for section in fv.sections.all():
        row += 2
        _put(ws, row=row, column=1, value=section.title).font = Font(bold=True, size=12)
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=5)
        indicators = list(section.indicators.all())
        if indicators:
            row += 1
            for col, head in enumerate(("STT", "Tên chỉ tiêu", "Đơn vị tính", "Giá trị", "Ghi chú"), start=1):
                head_cell = _put(ws, row=row, column=col, value=head)
                head_cell.font, head_cell.fill, head_cell.border = Font(bold=True), HEADER_FILL, BOX
                head_cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        for ind in indicators:
            row += 1
            stt += 1
            _put(ws, row=row, column=1, value=stt).alignment = Alignment(horizontal="center", vertical="top")
            _put(ws, row=row, column=2, value=ind.name).alignment = Alignment(wrap_text=True, vertical="top")
            _put(ws, row=row, column=3, value=ind.unit_of_measure or None).alignment = Alignment(vertical="top")
            _put(ws, row=row, column=5, value=_type_note(ind)).alignment = Alignment(wrap_text=True, vertical="top")
            value_cell = _put(ws, row=row, column=4, value=_cell_value(ind, stored.get(ind.pk)))
            value_cell.protection, value_cell.fill = UNLOCKED, INPUT_FILL
            if ind.value_type == ValueType.INTEGER:
                value_cell.number_format = "#,##0"
            elif ind.value_type == ValueType.TEXT:
                value_cell.number_format = "@"
                value_cell.alignment = Alignment(wrap_text=True, vertical="top")
            for col in range(1, 6):
                _put(ws, row=row, column=col).border = BOX
            key = (ind.value_type, ind.min_value, ind.max_value)
            if key not in validations:
                validations[key] = _validation_for(ind)
            validations[key].add(value_cell.coordinate)
            keys.append(("indicator", value_cell.coordinate, ind.code))
        for nf in section.narratives.all():
            row += 2
            label = f"{nf.label}{' (bắt buộc)' if nf.required else ''}"
            _put(ws, row=row, column=2, value=label).font = Font(bold=True)
            row += 1
            c = _put(ws, row=row, column=2, value=texts.get(nf.pk) or None)
            c.protection, c.fill, c.border = UNLOCKED, INPUT_FILL, BOX
            c.alignment = Alignment(wrap_text=True, vertical="top")
            c.number_format = "@"
            ws.row_dimensions[row].height = 150
            narrative_key = ("narrative",)
            if narrative_key not in validations:
                dv = DataValidation(type="textLength", operator="lessThanOrEqual", formula1=str(EXCEL_MAX_CELL_TEXT))
                dv.errorTitle, dv.error, dv.showErrorMessage, dv.allow_blank = (
                    "Nội dung quá dài", "Mỗi ô chứa tối đa 32.767 ký tự.", True, True)
                validations[narrative_key] = dv
            validations[narrative_key].add(c.coordinate)
            keys.append(("narrative", c.coordinate, nf.code))
    for dv in validations.values():
        ws.add_data_validation(dv)
    ws.freeze_panes = "A8"
    ws.print_title_rows = "1:6"
    ws.page_setup.orientation = "portrait"
    ws.page_setup.fitToWidth = 1
    fit = ws.sheet_properties.pageSetUpPr
    assert fit is not None  # WorksheetProperties always creates its PageSetupProperties
    fit.fitToPage = True
    ws.page_setup.fitToHeight = 0
    ws.protection.sheet = True
    ws.protection.formatColumns = False  # widening a column to read a long name is harmless
    ws.protection.formatRows = False

    kws = wb.create_sheet(KEYS_SHEET)
    meta = [
        ("format", TEMPLATE_FORMAT), ("layout", TEMPLATE_LAYOUT), ("form", fv.form.code),
        ("form_version", str(fv.number)), ("regime", regime.code), ("period", submission.period),
        ("unit", unit.code), ("submission", str(submission.pk)),
    ]
    for name, value in meta:
        kws.append(spreadsheet_row(["meta", name, value]))
    for kind, address, code in keys:
        kws.append(spreadsheet_row([kind, address, code]))
    kws.sheet_state = "veryHidden"
    kws.protection.sheet = True

    wb.security = WorkbookProtection(lockStructure=True)
    props = wb.properties
    props.title = xml_text(f"{regime.name} — {unit.name} — {rp.period.label}")
    props.subject = xml_text(f"{regime.code} {submission.period} {unit.code}")
    props.creator = "baocao"
    props.lastModifiedBy = "baocao"
    props.keywords = xml_text(f"baocao; {regime.code}; {submission.period}; {unit.code}; {fv.form.code} v{fv.number}")
    props.description = "Mẫu nhập số liệu báo cáo; tải lên baocao để cập nhật bản nháp."
    props.category = TEMPLATE_FORMAT
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# ---------------------------------------------------------------------------
# Reading


def _problem(cell: str, message: str, sheet: str = SHEET) -> dict:
    return {"sheet": sheet, "cell": cell, "message": message}


def _refuse(message: str, cell: str = "", sheet: str = "") -> TemplateFileError:
    """One problem; file-level ones have no sheet or cell."""
    return TemplateFileError(message, [_problem(cell, message, sheet)])


def check_upload_size(size: int) -> None:
    """Refuse an upload over the limit before reading it into memory."""
    limit = max_upload_bytes()
    if size > limit:
        raise _refuse(f"Tệp quá lớn ({format_number(size)} byte); giới hạn là {format_number(limit)} byte.")


def _check_container(data: bytes) -> None:
    """Size, signature and zip limits, before openpyxl inflates anything."""
    if not data:
        raise _refuse("Tệp rỗng (0 byte); hãy chọn tệp mẫu Excel đã điền.")
    check_upload_size(len(data))
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise _refuse("Tệp Excel 97-2003 (.xls) không dùng được; hãy tải mẫu .xlsx của baocao và điền vào đó.")
    if data[:4] != b"PK\x03\x04":
        raise _refuse("Tệp không phải là tệp Excel .xlsx (có thể là CSV hoặc tệp khác đổi tên); "
                      "hãy tải mẫu Excel của baocao và điền vào đó.")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
            # openpyxl loads the whole template (not read-only: it reads merged cells and styles),
            # so every part counts against one small limit.
            check_zip_sizes(zf, total_limit=MAX_UNCOMPRESSED_BYTES, part_limit=MAX_UNCOMPRESSED_BYTES,
                            refuse=_refuse, max_entries=MAX_ENTRIES)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise _refuse("Tệp Excel bị hỏng hoặc không đầy đủ (có thể tải lên bị ngắt giữa chừng); "
                      "hãy lưu lại tệp rồi thử lại.") from None
    names = {info.filename for info in infos}
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise _refuse("Tệp không phải là bảng tính Excel .xlsx (có thể là tệp Word hoặc tệp nén khác đổi tên).")


def _load(data: bytes):
    _check_container(data)
    try:
        return load_workbook(io.BytesIO(data), data_only=False, keep_links=False, keep_vba=False)
    except Exception:  # openpyxl raises many kinds on a damaged file; all mean the same to the user
        raise _refuse("Không đọc được tệp Excel (tệp bị hỏng hoặc không đúng định dạng .xlsx).") from None


def _read_keys(wb) -> tuple[dict[str, tuple[str, str]], list[tuple[str, str, str]]]:
    """Meta name -> (value, cell) and the (kind, address, code) rows of the keys sheet."""
    kws = wb[KEYS_SHEET]
    meta: dict[str, tuple[str, str]] = {}
    keys: list[tuple[str, str, str]] = []
    for row in kws.iter_rows(min_row=1, max_col=3):
        kind, name, value = (_read_text(c.value) for c in row)
        if kind == "meta":
            meta[str(name)] = ("" if value is None else str(value), row[2].coordinate)
        elif kind in ("indicator", "narrative"):
            keys.append((kind, str(name or ""), str(value or "")))
    return meta, keys


def _check_identity(meta, submission, fv) -> list[dict]:
    """The file must be this submission's template on its form version."""
    def get(name):
        return meta.get(name, ("", "A1"))

    fmt = get("format")[0]
    if fmt != TEMPLATE_FORMAT:
        return [_problem(get("format")[1], "Tệp không phải mẫu Excel của baocao.", KEYS_SHEET)]
    problems = []
    form_code, form_cell = get("form")
    number, number_cell = get("form_version")
    if form_code != fv.form.code:
        problems.append(_problem(form_cell, f"Mẫu lập cho biểu mẫu «{form_code}», báo cáo này dùng biểu mẫu "
                                            f"«{fv.form.code}»; hãy tải mẫu của báo cáo này.", KEYS_SHEET))
    elif number != str(fv.number):
        problems.append(_problem(number_cell, f"Mẫu lập theo phiên bản {number or '?'} của biểu mẫu, báo cáo này "
                                              f"dùng phiên bản {fv.number}; hãy tải mẫu mới rồi nhập lại.",
                                 KEYS_SHEET))
    expected = [("regime", submission.regime.code, "chế độ báo cáo"), ("period", submission.period, "kỳ báo cáo"),
                ("unit", submission.unit.code, "đơn vị")]
    for name, want, label in expected:
        got, cell = get(name)
        if got != want:
            problems.append(_problem(cell, f"Mẫu này của {label} «{got or '?'}», không phải «{want}» của báo cáo "
                                           f"đang mở; hãy tải mẫu của báo cáo này.", KEYS_SHEET))
    return problems


_PLAIN_VALUES = (str, int, float, bool, datetime, date, time, timedelta, Decimal)


def _is_date(value) -> bool:
    return isinstance(value, datetime | date | time | timedelta)


def _read_text(value):
    """A text cell as the template wrote it: without the apostrophe that kept it from being read
    as a formula, cleaned of control characters. Anything else is returned unchanged."""
    return clean_text(spreadsheet_unescape(value)) if isinstance(value, str) else value


def _excel_text(value) -> str:
    """A cell's value as text, for text indicators and narratives."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return format_date(value.date())
    if isinstance(value, date):
        return format_date(value)
    return _read_text(str(value))


def template_parse(*, data: bytes, submission) -> ParsedTemplate:
    """Read an uploaded template for `submission`, or raise TemplateFileError listing every problem."""
    wb = _load(data)
    if KEYS_SHEET not in wb.sheetnames:
        raise _refuse("Tệp không phải mẫu Excel của baocao hoặc đã bị sửa cấu trúc (thiếu trang khoá «_keys»); "
                      "hãy tải mẫu mới.", sheet=KEYS_SHEET)
    if SHEET not in wb.sheetnames:
        raise _refuse(f"Không thấy trang «{SHEET}» (đã bị đổi tên hoặc xoá); hãy giữ nguyên tên trang.",
                      sheet=SHEET)
    fv = form_version_detail(submission.form_version_id)
    meta, keys = _read_keys(wb)
    identity = _check_identity(meta, submission, fv)
    if identity:
        raise TemplateFileError("Mẫu Excel không dùng được cho báo cáo này.", identity)

    indicators = {i.code: i for i in fv.indicators.all()}
    fields = {n.code: n for n in fv.narratives.all()}
    ws = wb[SHEET]
    problems: list[dict] = []
    parsed = ParsedTemplate()
    checked: list[tuple[str, str, str]] = []
    for kind, address, code in keys:
        known = indicators if kind == "indicator" else fields
        row: int | None
        try:
            row = coordinate_from_string(address)[1]
        except Exception:  # openpyxl's CellCoordinatesException
            row = None
        if code not in known or row is None:
            problems.append(_problem(address, f"Ô khoá «{code}» không có trong biểu mẫu; hãy tải mẫu mới.", KEYS_SHEET))
            continue
        # Rows added or removed (possible only without sheet protection) move labels off their cells.
        label_cell = f"{COL_NAME}{row}" if kind == "indicator" else f"{COL_NAME}{row - 1}"
        want = clean_text(indicators[code].name if kind == "indicator" else fields[code].label)
        got = _read_text(ws[label_cell].value)
        # Narrative labels carry a «(bắt buộc)» suffix; indicator names are the whole cell.
        if not (isinstance(got, str) and (got == want or (kind == "narrative" and got.startswith(want)))):
            problems.append(_problem(label_cell, f"Ô {label_cell} không còn là «{want}»: dòng, cột của mẫu đã bị "
                                                 "thêm, xoá hoặc di chuyển; hãy tải mẫu mới."))
            continue
        checked.append((kind, address, code))
    if problems:
        raise TemplateFileError("Mẫu Excel đã bị sửa cấu trúc; chưa nhập gì.", problems)

    merged = list(ws.merged_cells.ranges)
    for kind, address, code in checked:
        cell = ws[address]
        label = indicators[code].name if kind == "indicator" else fields[code].label
        where = f"Ô {address} («{label}»)"
        inside = next((r for r in merged if address in r), None)
        if inside is not None:
            problems.append(_problem(address, f"{where} nằm trong vùng gộp ô {inside.coord}; hãy bỏ gộp ô."))
            continue
        value = cell.value
        # Formulas come back as "=…" with data_type "f", array and table formulas as objects.
        if cell.data_type == "f" or (value is not None and not isinstance(value, _PLAIN_VALUES)):
            problems.append(_problem(address, f"{where} chứa công thức; hãy nhập giá trị."))
            continue
        parsed.cells[code] = address
        if kind == "narrative":
            text = "" if value is None else _excel_text(value)
            if len(text) > MAX_NARRATIVE_LENGTH:
                problems.append(_problem(address, f"{where} dài quá {format_number(MAX_NARRATIVE_LENGTH)} ký tự."))
                continue
            parsed.narratives[code] = text
            continue
        ind = indicators[code]
        if ind.value_type in NUMERIC_TYPES or ind.value_type == ValueType.YES_NO:
            if _is_date(value):
                problems.append(_problem(address, f"{where} chứa ngày tháng; hãy nhập số (định dạng ô là số)."))
                continue
            if ind.value_type in NUMERIC_TYPES and isinstance(value, bool):
                problems.append(_problem(address, f"{where} chứa giá trị đúng/sai; hãy nhập số."))
                continue
        elif value is not None:
            value = _excel_text(value)
        try:
            parse_indicator_value(ind, value)
        except ValueProblem as exc:
            problems.append(_problem(address, f"{where}: {exc}"))
            continue
        parsed.values[code] = value
    if problems:
        count = format_number(len(problems))
        raise TemplateFileError(f"Tệp có {count} ô không hợp lệ; chưa nhập gì. Hãy sửa các ô dưới đây rồi tải lên lại.",
                                problems)
    return parsed


def template_import(*, submission, data: bytes, acting_user) -> SaveResult:
    """Fill the submission's draft from an uploaded template: everything or nothing."""
    if not can_edit_unit_reports(acting_user, submission.unit_id):
        raise PermissionDeniedError("Bạn không có quyền nhập số liệu vào báo cáo này.")
    if submission.status not in EDITABLE_STATUSES:
        raise AppError(f"Báo cáo đang ở trạng thái «{submission.get_status_display()}» nên không nhập mẫu Excel "
                       "được.", {"status": submission.status})
    parsed = template_parse(data=data, submission=submission)
    try:
        return submission_save_draft(submission=submission, acting_user=acting_user, values=parsed.values,
                                     narratives=parsed.narratives, base_version=None)
    except AppError as exc:
        fields = exc.extra.get("fields")
        if not fields:
            raise
        raise TemplateFileError(exc.message, [
            _problem(parsed.cells.get(code, ""), f"Ô {parsed.cells.get(code, '?')}: {message}")
            for code, message in fields.items()
        ]) from None
