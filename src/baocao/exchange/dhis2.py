"""DHIS2 data value sets: periods, the JSON and CSV shapes, and DHIS2's import summary.

DHIS2 matches dataElement and orgUnit by code here (idScheme=CODE); it has no reporting regime,
so a file's `dataSet` names the regime, or the caller chooses one. Narrative texts travel in
`comment`. Periods: 202206 (month), 2022Q2, 2022S1, 2022; our nine-month period (2022N9) has no
DHIS2 equivalent and is refused on export.
"""

from __future__ import annotations

import csv
import io
import json
import re

from baocao.core.errors import AppError
from baocao.core.text import csv_writer
from baocao.exchange.rows import ImportSummary, ValueRow
from baocao.reporting.periods import Frequency, PeriodError, parse_period

CSV_COLUMNS = ("dataelement", "period", "orgunit", "categoryoptioncombo", "attributeoptioncombo", "value",
               "storedby", "lastupdated", "comment", "followup")
_DHIS2_MONTH = re.compile(r"([0-9]{4})([0-9]{2})")
_period_cache: dict[str, str] = {}


def period_from_dhis2(text: str) -> str:
    """Our period code for a DHIS2 period (202206 → 2022M06) or one of ours; raises PeriodError."""
    code = _period_cache.get(text)
    if code is not None:
        return code
    raw = text.strip()
    match = _DHIS2_MONTH.fullmatch(raw)
    candidate = f"{match[1]}M{match[2]}" if match else raw
    try:
        code = parse_period(candidate).code
    except PeriodError:
        raise PeriodError(f"Kỳ «{text}» không hợp lệ hoặc chưa được hỗ trợ (dùng 202206, 2022Q2, 2022S1, 2022).") \
            from None
    if len(_period_cache) < 10_000:
        _period_cache[text] = code
    return code


def period_to_dhis2(code: str) -> str:
    period = parse_period(code)
    if period.frequency is Frequency.MONTHLY:
        return f"{period.year}{period.number:02d}"
    if period.frequency is Frequency.NINE_MONTH:
        raise AppError(f"DHIS2 không có kỳ 9 tháng; không xuất được kỳ {code} theo định dạng DHIS2.",
                       {"period": code})
    return period.code


def _text(value) -> str:
    return "" if value is None else str(value)


def _require_text(value, key: str, n: int | None) -> None:
    """Codes, periods and comments are texts (or absent): a number, object or list there is a
    malformed dataValueSet, not something to read as its `str()`."""
    if value is not None and not isinstance(value, str):
        where = "dataValueSet" if n is None else f"phần tử thứ {n} của «dataValues»"
        raise AppError(f"Tệp JSON không đúng cấu trúc dataValueSet: «{key}» của {where} phải là văn bản.",
                       {"field": key} if n is None else {"row": n, "field": key})


def read_json(data) -> list[ValueRow]:
    """Rows of a parsed dataValueSet: header form (period/orgUnit/dataSet at the top) and
    per-value form (each value names its own), or a mix of both."""
    if not isinstance(data, dict) or not isinstance(data.get("dataValues"), list):
        raise AppError("Tệp JSON không phải là dataValueSet của DHIS2 (thiếu mảng «dataValues»).",
                       {"format": "dhis2-json"})
    for key in ("dataSet", "period", "orgUnit"):
        _require_text(data.get(key), key, None)
    regime = _text(data.get("dataSet")).strip()
    period = _text(data.get("period")).strip()
    unit = _text(data.get("orgUnit")).strip()
    rows = []
    for n, item in enumerate(data["dataValues"], start=1):
        if not isinstance(item, dict):
            raise AppError(f"Phần tử thứ {n} của «dataValues» không phải là đối tượng.", {"row": n})
        try:
            element = item["dataElement"]
        except KeyError:
            raise AppError(f"Phần tử thứ {n} của «dataValues» thiếu «dataElement».", {"row": n}) from None
        if not isinstance(element, str):
            raise AppError(f"Tệp JSON không đúng cấu trúc dataValueSet: «dataElement» của phần tử thứ {n} của "
                           "«dataValues» phải là văn bản.", {"row": n, "field": "dataElement"})
        for key in ("period", "orgUnit", "comment"):
            _require_text(item.get(key), key, n)
        if isinstance(item.get("value"), dict | list):
            raise AppError(f"Phần tử thứ {n} của «dataValues»: «value» phải là số, văn bản, true/false hoặc null.",
                           {"row": n, "field": "value"})
        comment = item.get("comment")
        rows.append(ValueRow(
            regime, _text(item.get("period", period)).strip(), _text(item.get("orgUnit", unit)).strip(),
            _text(element).strip(), item.get("value"), None if comment is None else str(comment),
        ))
    return rows


def read_csv(text: str, lines: list[int] | None = None) -> list[ValueRow]:
    """DHIS2's CSV: dataelement, period, orgunit, catoptcombo, attroptcombo, value, storedby,
    lastupdated, comment, followup — with or without the header line, as DHIS2 writes it.
    `lines`, when given, receives each row's line number (blank lines are skipped)."""
    reader = csv.reader(io.StringIO(text))
    try:
        return _read_csv_rows(reader, lines)
    except csv.Error as exc:
        exc.line_num = reader.line_num  # type: ignore[attr-defined]  # for the caller's message
        raise


def _read_csv_rows(reader, lines: list[int] | None) -> list[ValueRow]:
    rows = []
    index = {name: i for i, name in enumerate(CSV_COLUMNS)}
    for line_no, fields in enumerate(reader, start=1):
        if not fields or (len(fields) == 1 and not fields[0].strip()):
            continue
        if line_no == 1 and fields[0].strip().lower().replace("_", "") in {"dataelement", "de"}:
            names = [f.strip().lower().replace("_", "") for f in fields]
            missing = [c for c in ("dataelement", "period", "orgunit", "value") if c not in names]
            if missing:
                raise AppError(f"Dòng tiêu đề thiếu cột: {', '.join(missing)}.", {"missing": missing})
            index = {name: i for i, name in enumerate(names)}
            continue
        if len(fields) <= index["value"]:
            raise AppError(f"Dòng {line_no} thiếu cột (cần ít nhất dataelement, period, orgunit, "
                           "categoryoptioncombo, attributeoptioncombo, value).", {"row": line_no})
        ci = index.get("comment")
        comment = fields[ci] if ci is not None and ci < len(fields) and fields[ci] != "" else None
        rows.append(ValueRow("", fields[index["period"]].strip(), fields[index["orgunit"]].strip(),
                             fields[index["dataelement"]].strip(), fields[index["value"]], comment))
        if lines is not None:
            lines.append(line_no)
    return rows


def write_json(rows: list[ValueRow], *, regime: str, period: str) -> bytes:
    """Header form: the regime's code as dataSet, the period once; each value names its unit."""
    values = []
    for r in rows:
        item = {"dataElement": r.code, "orgUnit": r.unit_code, "value": _text(r.value)}
        if r.comment:
            item["comment"] = r.comment
        values.append(item)
    data = {"dataSet": regime, "period": period_to_dhis2(period), "dataValues": values}
    return json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8") + b"\n"


def write_csv(rows: list[ValueRow], *, period: str) -> bytes:
    out = io.StringIO()
    writer = csv_writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    dhis_period = period_to_dhis2(period)
    for r in rows:
        writer.writerow([r.code, dhis_period, r.unit_code, "", "", _text(r.value), "", "", r.comment or "", ""])
    return out.getvalue().encode("utf-8")


def import_summary(summary: ImportSummary) -> dict:
    """DHIS2's importSummary shape."""
    status = "ERROR" if summary.conflicts else "SUCCESS"
    return {
        "responseType": "ImportSummary",
        "status": status,
        "description": ("Có xung đột, chưa ghi gì." if summary.conflicts else
                        ("Chạy thử, chưa ghi gì." if summary.dry_run else "Đã nhập.")),
        "importCount": {"imported": summary.imported, "updated": summary.updated,
                        "ignored": summary.ignored + summary.unchanged, "deleted": summary.deleted},
        "conflicts": [
            {"object": c.get("code") or c.get("unit") or str(c["row"]), "value": f"Dòng {c['row']}: {c['reason']}"}
            for c in summary.conflicts
        ],
        "dryRun": summary.dry_run,
    }
