"""Export of a period's stored values, the exact inverse of the readers in formats.py.

Rows are ordered by (unit code, code) so that two exports of the same data are byte-identical
(XLSX aside: its archive carries a timestamp). Numbers are written with a dot and without
trailing zeros ("1234.5"); values never entered are left out. Only reports in the user's scope
are exported, whatever their status.
"""

from __future__ import annotations

import io
import json
from decimal import Decimal

from baocao.core.errors import AppError
from baocao.core.text import csv_writer, spreadsheet_row
from baocao.exchange import dhis2
from baocao.exchange.formats import CSV_HEADER, FORMATS, XLSX_SHEET
from baocao.exchange.rows import ValueRow
from baocao.orgunits.models import subtree_q
from baocao.reporting.models import ReportingRegime
from baocao.submissions.models import SubmissionNarrative, SubmissionValue
from baocao.submissions.selectors import submissions_for_user

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
    "dhis2-json": "application/json",
    "dhis2-csv": "text/csv; charset=utf-8",
}
EXTENSIONS = {"csv": "csv", "xlsx": "xlsx", "json": "json", "dhis2-json": "json", "dhis2-csv": "csv"}


def number_text(number: Decimal) -> str:
    """1234.500000 -> "1234.5", 12.000000 -> "12", never an exponent."""
    text = format(number, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def export_rows(*, user, regime: ReportingRegime, period: str, unit=None, subtree: bool = False,
                narrative_in_comment: bool = False) -> list[ValueRow]:
    """The stored values of the period in the user's scope: one unit, its subtree, or everything.
    Numbers come back as Decimal (writers format them); texts as str."""
    subs = submissions_for_user(user).filter(regime=regime, period=period)
    if unit is not None:
        subs = subs.filter(subtree_q(unit, "unit")) if subtree else subs.filter(unit=unit)
    rows: list[ValueRow] = []
    for unit_code, code, number, text in SubmissionValue.objects.filter(submission__in=subs).values_list(
            "submission__unit__code", "indicator__code", "number", "text"):
        if number is not None:
            rows.append(ValueRow(regime.code, period, unit_code, code, number))
        elif text != "":
            rows.append(ValueRow(regime.code, period, unit_code, code, text))
    for unit_code, code, text in SubmissionNarrative.objects.filter(submission__in=subs).exclude(text="").values_list(
            "submission__unit__code", "field__code", "text"):
        if narrative_in_comment:
            rows.append(ValueRow(regime.code, period, unit_code, code, "", text))
        else:
            rows.append(ValueRow(regime.code, period, unit_code, code, text))
    rows.sort(key=lambda r: (r.unit_code, r.code))
    return rows


def export_values(*, user, regime: ReportingRegime, period: str, unit=None, subtree: bool = False,
                  fmt: str = "csv") -> bytes:
    if fmt not in FORMATS:
        raise AppError(f"Định dạng «{fmt}» không được hỗ trợ (dùng: {', '.join(FORMATS)}).", {"format": fmt})
    if fmt.startswith("dhis2"):
        dhis2.period_to_dhis2(period)  # refuse periods DHIS2 has not before reading anything
    rows = export_rows(user=user, regime=regime, period=period, unit=unit, subtree=subtree,
                       narrative_in_comment=fmt.startswith("dhis2"))
    return write_rows(rows, fmt=fmt, regime=regime.code, period=period)


def _texts(rows: list[ValueRow]) -> list[ValueRow]:
    return [r._replace(value=number_text(r.value)) if isinstance(r.value, Decimal) else r for r in rows]


def write_rows(rows: list[ValueRow], *, fmt: str, regime: str, period: str) -> bytes:
    if fmt == "xlsx":
        return _xlsx(rows)
    rows = _texts(rows)
    if fmt == "csv":
        out = io.StringIO()
        writer = csv_writer(out, lineterminator="\n")
        writer.writerow(CSV_HEADER)
        writer.writerows((r.regime, r.period, r.unit_code, r.code, r.value) for r in rows)
        return out.getvalue().encode("utf-8")
    if fmt == "json":
        items = [{"regime": r.regime, "period": r.period, "unit": r.unit_code, "code": r.code, "value": r.value}
                 for r in rows]
        return json.dumps(items, ensure_ascii=False, indent=1).encode("utf-8") + b"\n"
    if fmt == "dhis2-json":
        return dhis2.write_json(rows, regime=regime, period=period)
    return dhis2.write_csv(rows, period=period)


def _cell(value):
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _xlsx(rows: list[ValueRow]) -> bytes:
    import openpyxl

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet(XLSX_SHEET)
    sheet.append(list(CSV_HEADER))
    # Texts are escaped (no leading "="), so openpyxl never types a cell as a formula.
    for r in rows:
        sheet.append(spreadsheet_row((r.regime, r.period, r.unit_code, r.code, _cell(r.value))))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
