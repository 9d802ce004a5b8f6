"""Reading exchange files into rows: our CSV, XLSX and JSON, DHIS2 JSON and CSV.

Every reader is strict about the container (size, encoding, zip bombs, truncation, a file that
is not what its name says) and lenient about the text (BOM, UTF-16, Windows-1258, comma or
semicolon). A problem with the file as a whole raises AppError; problems with single rows are
the importer's business (they become conflicts).
"""

from __future__ import annotations

import csv
import io
import json
import unicodedata
import zipfile
from dataclasses import dataclass
from operator import itemgetter

from django.conf import settings

from baocao.core.errors import AppError
from baocao.core.vietnamese import format_number
from baocao.exchange import dhis2
from baocao.exchange.rows import ValueRow

FORMATS = ("csv", "xlsx", "json", "dhis2-json", "dhis2-csv")
READ_FORMATS = ("auto", *FORMATS)
FORMAT_LABELS = {
    "auto": "Tự nhận biết",
    "csv": "CSV",
    "xlsx": "Excel (.xlsx)",
    "json": "JSON",
    "dhis2-json": "DHIS2 dataValueSet (JSON)",
    "dhis2-csv": "DHIS2 dataValueSet (CSV)",
}
CSV_HEADER = ("regime", "period", "unit", "code", "value")
XLSX_SHEET = "data"
XLSX_MAGIC = b"PK\x03\x04"
# A genuine xlsx compresses its XML 5–30 times; zip bombs a thousand times and more.
MAX_ZIP_RATIO = 200
MAX_UNCOMPRESSED_FACTOR = 30
EXTENSIONS = {"csv": "csv", "tsv": "csv", "txt": "csv", "xlsx": "xlsx", "json": "json"}
# Letters with Vietnamese diacritics (precomposed, as Windows-1258 decodes after NFC).
_VIETNAMESE = set("ăâđêôơưĂÂĐÊÔƠƯàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ")


def _err(message: str, **extra) -> AppError:
    return AppError(message, extra)


@dataclass
class ParsedFile:
    # ValueRow tuples, or plain tuples of the same fields (our CSV: the first five, no comment)
    rows: list[ValueRow] | list[tuple]
    fmt: str
    first_row: int  # the file's row/line number of rows[0], for messages
    # The file's row number of every row, when blank lines were skipped (else first_row counts on).
    lines: list[int] | None = None


def max_upload_bytes() -> int:
    return int(getattr(settings, "EXCHANGE_MAX_UPLOAD_BYTES", 10 * 1024 * 1024))


def max_rows() -> int:
    return int(getattr(settings, "EXCHANGE_MAX_ROWS", 2_000_000))


def check_size(size: int) -> None:
    limit = max_upload_bytes()
    if size > limit:
        raise _err(f"Tệp quá lớn ({format_number(size)} byte; tối đa {format_number(limit)} byte).",
                   size=size, limit=limit)


def decode_text(content: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, or Windows-1258; text comes back NFC."""
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return unicodedata.normalize("NFC", content.decode("utf-16"))
        except UnicodeDecodeError:
            raise _err("Tệp UTF-16 bị hỏng hoặc bị cắt cụt.") from None
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return _decode_cp1258(content)
    return unicodedata.normalize("NFC", text) if not text.isascii() else text


def _decode_cp1258(content: bytes) -> str:
    unreadable = _err("Không đọc được bảng mã của tệp (cần UTF-8, UTF-16 hoặc Windows-1258).")
    try:
        text = unicodedata.normalize("NFC", content.decode("cp1258"))
    except UnicodeDecodeError:
        raise unreadable from None
    if not any(ch in _VIETNAMESE for ch in text):
        raise unreadable
    return text


def _delimiter(first_line: str) -> str:
    try:
        return csv.Sniffer().sniff(first_line, delimiters=",;\t").delimiter
    except csv.Error:
        counts = {d: first_line.count(d) for d in ",;\t"}
        return max(counts, key=counts.__getitem__) if any(counts.values()) else ","


def sniff(content: bytes, filename: str = "") -> str:
    """The format of `content`, refusing a file whose name promises another kind."""
    ext = EXTENSIONS.get(filename.rsplit(".", 1)[-1].lower(), "") if "." in filename else ""
    if content.startswith(XLSX_MAGIC):
        if ext and ext != "xlsx":
            raise _err(f"Tệp «{filename}» không phải là {ext.upper()} (nội dung là tệp nén/Excel).", filename=filename)
        return "xlsx"
    if ext == "xlsx":
        raise _err(f"Tệp «{filename}» không phải là tệp Excel (.xlsx) hợp lệ.", filename=filename)
    head = decode_text(content[:4096] if len(content) <= 4096 else _cut_utf(content[:4096])).lstrip("\ufeff \r\n\t")
    if head.startswith("{"):
        return "dhis2-json" if ext in ("", "json") else _mismatch(filename, ext)
    if head.startswith("["):
        return "json" if ext in ("", "json") else _mismatch(filename, ext)
    if ext == "json":
        raise _err(f"Tệp «{filename}» không phải là JSON.", filename=filename)
    first = head.splitlines()[0] if head else ""
    names = [f.strip().lower() for f in first.split(_delimiter(first))]
    if names and names[0].replace("_", "") in {"dataelement", "de"}:
        return "dhis2-csv"
    if "regime" in names or "code" in names:
        return "csv"
    return "dhis2-csv" if len(names) >= 6 else "csv"


def _cut_utf(prefix: bytes) -> bytes:
    # A sniffing window may end inside a multi-byte character.
    for cut in range(4):
        try:
            (prefix[:len(prefix) - cut]).decode("utf-8-sig")
            return prefix[:len(prefix) - cut]
        except UnicodeDecodeError:
            continue
    return prefix


def _mismatch(filename: str, ext: str):
    raise _err(f"Tệp «{filename}» không phải là {ext.upper()} (nội dung là JSON).", filename=filename)


def read_file(content: bytes, *, fmt: str = "auto", filename: str = "") -> ParsedFile:
    """Rows of an exchange file, after every check on the file as a whole."""
    from baocao.exchange.bulk import gc_paused

    with gc_paused():
        return _read_file(content, fmt=fmt, filename=filename)


def _read_file(content: bytes, *, fmt: str, filename: str) -> ParsedFile:
    if fmt not in READ_FORMATS:
        raise _err(f"Định dạng «{fmt}» không được hỗ trợ (dùng: {', '.join(READ_FORMATS)}).", format=fmt)
    check_size(len(content))
    lines: list[int] = []
    if not content.strip(b" \r\n\t\xef\xbb\xbf\x00\xff\xfe"):
        raise _err("Tệp rỗng: không có dòng số liệu nào.")
    detected = sniff(content, filename)
    rows: list[ValueRow] | list[tuple]
    if fmt == "auto":
        fmt = detected
    elif (fmt == "xlsx") != (detected == "xlsx") or (fmt.endswith("json") != detected.endswith("json")):
        raise _err(f"Nội dung tệp không phải là định dạng «{fmt}» đã chọn.", format=fmt, detected=detected)
    if fmt == "xlsx":
        rows, first = _read_xlsx(content), 2
    elif fmt in ("json", "dhis2-json"):
        try:
            data = json.loads(decode_text(content))
        except json.JSONDecodeError as exc:
            raise _err(f"Tệp JSON hỏng hoặc bị cắt cụt (dòng {exc.lineno}, cột {exc.colno}).",
                       line=exc.lineno, column=exc.colno) from None
        rows, first = (_read_json(data), 1) if fmt == "json" else (dhis2.read_json(data), 1)
    elif fmt == "csv":
        rows, first = _read_csv(decode_text(content), lines), 2
    else:
        text = decode_text(content)
        if _delimiter(text.partition("\n")[0]) != ",":
            text = _normalise_delimiter(text)
        rows = dhis2.read_csv(text, lines)
        first = 2 if text[:20].lower().replace("_", "").startswith(("dataelement", '"dataelement')) else 1
    if not rows:
        raise _err("Tệp không có dòng số liệu nào.")
    if lines:
        first = lines[0]
        if lines[-1] - first + 1 == len(lines):
            lines = []
    if len(rows) > max_rows():
        raise _err(f"Tệp có {format_number(len(rows))} dòng, quá giới hạn {format_number(max_rows())} dòng.",
                   rows=len(rows), limit=max_rows())
    return ParsedFile(rows, fmt, first, lines or None)


def _normalise_delimiter(text: str) -> str:
    delimiter = _delimiter(text.partition("\n")[0])
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(csv.reader(io.StringIO(text), delimiter=delimiter))
    return out.getvalue()


def _read_csv(text: str, lines: list[int]) -> list[tuple]:
    """Our CSV's rows; `lines` receives their row numbers only when a blank line had to be skipped."""
    delimiter = _delimiter(text.partition("\n")[0])
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        raise _err("Tệp rỗng: không có dòng số liệu nào.") from None
    except csv.Error as exc:
        raise _err(f"Tệp CSV hỏng ở dòng 1: {exc}.", row=1) from None
    missing = [c for c in CSV_HEADER if c not in header]
    if missing:
        raise _err(f"Dòng tiêu đề thiếu cột: {', '.join(missing)} (cần: {', '.join(CSV_HEADER)}).",
                   missing=missing)
    columns = [header.index(c) for c in CSV_HEADER]
    pick = itemgetter(*columns)
    try:
        # Every line complete: the rows are picked out in C, a plain 5-tuple each.
        return list(map(pick, reader))
    except IndexError:
        pass  # a short or blank line: read again, line by line, to skip or name it
    except csv.Error as exc:
        raise _err(f"Tệp CSV hỏng ở dòng {reader.line_num}: {exc}.", row=reader.line_num) from None
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    next(reader)
    width = max(columns) + 1
    rows = []
    for record, fields in enumerate(reader, start=2):
        if len(fields) < width:
            if not fields or fields == [""]:
                continue
            raise _err(f"Dòng {reader.line_num} thiếu cột (cần {width} cột, có {len(fields)}).",
                       row=reader.line_num)
        rows.append(pick(fields))
        lines.append(record)
    return rows


def _read_json(data) -> list[ValueRow]:
    if not isinstance(data, list):
        raise _err("Tệp JSON phải là một mảng các dòng {regime, period, unit, code, value}.")
    rows = []
    for n, item in enumerate(data, start=1):
        if not isinstance(item, dict):
            raise _err(f"Phần tử thứ {n} không phải là đối tượng.", row=n)
        missing = [c for c in CSV_HEADER if c not in item]
        if missing:
            raise _err(f"Phần tử thứ {n} thiếu trường: {', '.join(missing)}.", row=n, missing=missing)
        rows.append(ValueRow(str(item["regime"]), str(item["period"]), str(item["unit"]), str(item["code"]),
                             item["value"]))
    return rows


def check_zip(content: bytes) -> None:
    """Refuse truncated archives and zip bombs before openpyxl inflates anything."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except zipfile.BadZipFile:
        raise _err("Tệp Excel hỏng hoặc bị cắt cụt (không mở được tệp nén).") from None
    with archive:
        infos = archive.infolist()
        total = sum(i.file_size for i in infos)
        limit = max_upload_bytes() * MAX_UNCOMPRESSED_FACTOR
        ratio_bomb = any(i.compress_size and i.file_size / i.compress_size > MAX_ZIP_RATIO
                         and i.file_size > 1024 * 1024 for i in infos)
        if total > limit or ratio_bomb:
            raise _err("Tệp Excel giải nén ra quá lớn (nghi là «bom nén»); không đọc.",
                       uncompressed=total, limit=limit)
        if "xl/workbook.xml" not in archive.namelist():
            raise _err("Tệp nén này không phải là tệp Excel (.xlsx).")


def _read_xlsx(content: bytes) -> list[ValueRow]:
    import openpyxl

    check_zip(content)
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged workbook
        raise _err(f"Tệp Excel hỏng, không đọc được ({type(exc).__name__}).") from None
    try:
        sheet = workbook[XLSX_SHEET] if XLSX_SHEET in workbook.sheetnames else workbook.worksheets[0]
        values = sheet.iter_rows(values_only=True)
        header = next(values, None)
        names = [str(h).strip().lower() if h is not None else "" for h in (header or ())]
        missing = [c for c in CSV_HEADER if c not in names]
        if missing:
            raise _err(f"Trang «{sheet.title}», dòng 1 thiếu cột: {', '.join(missing)}.", sheet=sheet.title,
                       missing=missing)
        ir, ip, iu, ic, iv = (names.index(c) for c in CSV_HEADER)
        rows = []
        limit = max_rows()
        for cells in values:
            if cells is None or all(c is None for c in cells):
                continue
            cells = tuple(cells) + (None,) * (len(names) - len(cells))
            rows.append(ValueRow(_cell(cells[ir]), _cell(cells[ip]), _cell(cells[iu]), _cell(cells[ic]),
                                 cells[iv]))
            if len(rows) > limit:
                break
        return rows
    finally:
        workbook.close()


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()
