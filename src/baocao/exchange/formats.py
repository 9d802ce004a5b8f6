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

from baocao.core.bounds import JSON_DEPTH_MAX
from baocao.core.errors import AppError
from baocao.core.text import clean_filename, contains_nul, json_too_deep, spreadsheet_unescape
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
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, .doc: Office before 2007
# A genuine xlsx compresses its XML 5–30 times; zip bombs a thousand times and more.
MAX_ZIP_RATIO = 200
MAX_UNCOMPRESSED_FACTOR = 30
RATIO_FLOOR = 1024 * 1024  # parts smaller than this may compress as well as they like
INFLATE_CHUNK = 1024 * 1024
MAX_LISTED_CELLS = 100  # cells named in one refusal
EXTENSIONS = {"csv": "csv", "tsv": "csv", "txt": "csv", "xlsx": "xlsx", "json": "json"}
# Letters with Vietnamese diacritics (precomposed, as Windows-1258 decodes after NFC).
_VIETNAMESE_LOWER = "ăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ"
_VIETNAMESE = set(_VIETNAMESE_LOWER + _VIETNAMESE_LOWER.upper())
# Punctuation a Windows-1258 text may hold besides letters (typographic quotes, dashes, symbols).
_NEUTRAL = set("“”‘’‚„–—…•·°±×÷€£¥©®™§¶«»¿¡\xa0")


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
    """UTF-8 (with or without BOM), UTF-16 with BOM, or Windows-1258; text comes back NFC.

    UTF-16 without a BOM is refused rather than guessed: it decodes as UTF-8 with a NUL after
    every letter, and no text format of ours has a NUL."""
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = unicodedata.normalize("NFC", content.decode("utf-16"))
        except UnicodeDecodeError:
            raise _err("Tệp UTF-16 bị hỏng hoặc bị cắt cụt.") from None
    else:
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = _decode_cp1258(content)
        else:
            text = unicodedata.normalize("NFC", text) if not text.isascii() else text
    if "\x00" in text:
        raise _err("Tệp có ký tự NUL: có thể là tệp UTF-16 không có BOM hoặc tệp nhị phân. Hãy lưu tệp dưới "
                   "dạng CSV UTF-8 (hoặc Unicode có BOM) rồi nhập lại.")
    return text


def _decode_cp1258(content: bytes) -> str:
    unreadable = _err("Không đọc được bảng mã của tệp (cần UTF-8, UTF-16 hoặc Windows-1258).")
    try:
        text = unicodedata.normalize("NFC", content.decode("cp1258"))
    except UnicodeDecodeError:
        raise unreadable from None
    # Any byte string decodes as Windows-1258 but for a few bytes; Shift-JIS or GB2312 text comes out
    # as a mix of Vietnamese letters and symbols, where a Vietnamese text is mostly letters.
    foreign = [ch for ch in text if not ch.isascii() and ch not in _NEUTRAL]
    letters = sum(ch in _VIETNAMESE for ch in foreign)
    if not letters or letters < 0.8 * len(foreign):
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
    if content.startswith(OLE2_MAGIC):
        raise _err("Tệp Excel 97-2003 (.xls) hoặc tệp Office cũ không dùng được; hãy mở tệp trong Excel, lưu "
                   "lại dưới dạng «Excel Workbook (.xlsx)» hoặc «CSV UTF-8» rồi nhập lại.", filename=filename)
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
    """Rows of an exchange file, after every check on the file as a whole. `filename` is the
    uploader's text: the messages name the file as `clean_filename` makes it."""
    from baocao.exchange.bulk import gc_paused

    filename = clean_filename(filename) if filename else ""
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
        text = decode_text(content)
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise _err(f"Tệp JSON hỏng hoặc bị cắt cụt (dòng {exc.lineno}, cột {exc.colno}).",
                       line=exc.lineno, column=exc.colno) from None
        except RecursionError:
            raise _err("Tệp JSON lồng nhau quá sâu (mảng hoặc đối tượng lồng trong nhau hàng trăm lớp); "
                       "không đọc.") from None
        if json_too_deep(data):
            raise _err(f"Tệp JSON lồng nhau quá sâu (quá {JSON_DEPTH_MAX} lớp mảng hoặc đối tượng); không đọc.")
        if contains_nul(data):  # written as the escape \u0000, which decode_text cannot see
            raise _err("Tệp JSON có ký tự NUL (\\u0000) trong một giá trị; không đọc.")
        rows, first = (_read_json(data), 1) if fmt == "json" else (dhis2.read_json(data), 1)
    elif fmt == "csv":
        text = decode_text(content)
        rows, first = _read_csv(text, lines), 2
        if "'" in text:
            rows = [tuple(map(_unescape, row)) for row in rows]
    else:
        text = decode_text(content)
        if _delimiter(text.partition("\n")[0]) != ",":
            text = _normalise_delimiter(text)
        try:
            rows = dhis2.read_csv(text, lines)
        except csv.Error as exc:
            raise csv_error(exc, line=getattr(exc, "line_num", None)) from None
        if "'" in text:
            rows = [row._replace(value=_unescape(row.value), comment=_unescape(row.comment)) for row in rows]
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


def _unescape(field):
    """A spreadsheet-escaped text back as stored (see core.text): our exports prefix an apostrophe
    to texts a spreadsheet would take for a formula, and the import drops it again."""
    return spreadsheet_unescape(field) if type(field) is str and field[:1] == "'" else field


def _normalise_delimiter(text: str) -> str:
    delimiter = _delimiter(text.partition("\n")[0])
    out = io.StringIO()
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        csv.writer(out, lineterminator="\n").writerows(reader)
    except csv.Error as exc:
        raise csv_error(exc, line=reader.line_num) from None
    return out.getvalue()


def csv_error(exc: csv.Error, *, line: int | None = None) -> AppError:
    """A csv module error in Vietnamese, naming the line (the module's messages are English)."""
    where = f" ở dòng {line}" if line else ""
    if "field larger than field limit" in str(exc):
        limit = csv.field_size_limit()
        return _err(f"Tệp CSV có một ô dài quá {format_number(limit)} ký tự{where} (thường do thiếu dấu "
                    "ngoặc kép đóng); không đọc.", row=line, limit=limit)
    return _err(f"Tệp CSV hỏng{where} (dấu ngoặc kép hoặc dấu phân cách không đúng chỗ).", row=line)


def _read_csv(text: str, lines: list[int]) -> list[tuple]:
    """Our CSV's rows; `lines` receives their row numbers only when a blank line had to be skipped."""
    delimiter = _delimiter(text.partition("\n")[0])
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        raise _err("Tệp rỗng: không có dòng số liệu nào.") from None
    except csv.Error as exc:
        raise csv_error(exc, line=1) from None
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
        raise csv_error(exc, line=reader.line_num) from None
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    next(reader)
    width = max(columns) + 1
    rows = []
    try:
        for record, fields in enumerate(reader, start=2):
            if len(fields) < width:
                if not fields or fields == [""]:
                    continue
                raise _err(f"Dòng {reader.line_num} thiếu cột (cần {width} cột, có {len(fields)}).",
                           row=reader.line_num)
            rows.append(pick(fields))
            lines.append(record)
    except csv.Error as exc:
        raise csv_error(exc, line=reader.line_num) from None
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
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise _err("Tệp Excel hỏng hoặc bị cắt cụt (không mở được tệp nén).") from None
    with archive:
        if "xl/workbook.xml" not in archive.namelist():
            raise _err("Tệp nén này không phải là tệp Excel (.xlsx).")
        check_zip_sizes(archive, total_limit=max_upload_bytes() * MAX_UNCOMPRESSED_FACTOR,
                        part_limit=max_xlsx_part_bytes(), refuse=_err)


def max_xlsx_part_bytes() -> int:
    return int(getattr(settings, "EXCHANGE_XLSX_MAX_PART_BYTES", 16 * 1024 * 1024))


def check_zip_sizes(archive: zipfile.ZipFile, *, total_limit: int, part_limit: int, refuse,
                    max_entries: int = 1000) -> None:
    """Refuse an archive whose parts expand past the limits, first on the sizes its central
    directory declares, then by inflating every part in bounded chunks and counting.

    openpyxl holds every part but the worksheets in memory at once (the shared strings above
    all), so each such part is capped at `part_limit`; worksheets are streamed and only count
    towards `total_limit`. The second pass needs no trust in the declarations: zipfile stops an
    entry at its declared size and fails its CRC when more (or other) data follows, and the
    counting stops at the limit; memory stays at one chunk."""
    infos = archive.infolist()
    if len(infos) > max_entries:
        raise refuse(f"Tệp có quá nhiều thành phần ({format_number(len(infos))}); không đọc.")

    def limit_of(info: zipfile.ZipInfo) -> int:
        return total_limit if info.filename.startswith("xl/worksheets/") else min(part_limit, total_limit)

    def too_big(name: str, size: int) -> AppError:
        return refuse(f"Tệp Excel giải nén ra quá lớn (phần «{name}» từ {format_number(size)} byte trở lên; "
                      f"nghi là «bom nén»); không đọc.")

    total = 0
    for info in infos:
        total += info.file_size
        if info.file_size > limit_of(info):
            raise too_big(info.filename, info.file_size)
        if info.compress_size and info.file_size > RATIO_FLOOR and info.file_size / info.compress_size > MAX_ZIP_RATIO:
            raise refuse(f"Tệp nén bất thường: phần «{info.filename}» có tỷ lệ nén quá cao (nghi là «bom nén»); "
                         "không đọc.")
    if total > total_limit:
        raise refuse(f"Nội dung tệp sau khi giải nén quá lớn ({format_number(total)} byte; giới hạn "
                     f"{format_number(total_limit)} byte; nghi là «bom nén»); không đọc.")
    inflated = 0
    for info in infos:
        size = 0
        try:
            with archive.open(info) as part:
                while chunk := part.read(INFLATE_CHUNK):
                    size += len(chunk)
                    inflated += len(chunk)
                    if size > limit_of(info) or inflated > total_limit:
                        raise too_big(info.filename, size)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, NotImplementedError,
                RuntimeError):
            # Bad CRC (more data than declared, or other data), encryption, unknown compression.
            raise refuse("Tệp Excel hỏng hoặc không đọc được (một phần của tệp nén không khớp với khai báo của "
                         "nó); hãy lưu lại tệp trong Excel rồi thử lại.") from None


def _read_xlsx(content: bytes) -> list[ValueRow]:
    import openpyxl

    check_zip(content)
    try:
        # Formulas are read as formulas (not as their cached results) so that they can be refused:
        # a formula written by a program has no cached value and would read as an empty cell.
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds for a damaged workbook
        raise _err(f"Tệp Excel hỏng, không đọc được ({type(exc).__name__}).") from None
    try:
        return _xlsx_rows(workbook)
    except AppError:
        raise
    except Exception as exc:  # damage found while streaming the sheet (truncated XML, bad values)
        raise _err(f"Tệp Excel hỏng, không đọc được ({type(exc).__name__}).") from None
    finally:
        workbook.close()


def _xlsx_rows(workbook) -> list[ValueRow]:
    sheet = workbook[XLSX_SHEET] if XLSX_SHEET in workbook.sheetnames else workbook.worksheets[0]
    rows_iter = sheet.iter_rows()
    header = next(rows_iter, None)
    names = [str(c.value).strip().lower() if c.value is not None else "" for c in (header or ())]
    missing = [c for c in CSV_HEADER if c not in names]
    if missing:
        raise _err(f"Trang «{sheet.title}», dòng 1 thiếu cột: {', '.join(missing)}.", sheet=sheet.title,
                   missing=missing)
    ir, ip, iu, ic, iv = (names.index(c) for c in CSV_HEADER)
    rows = []
    formulas: list[dict] = []
    limit = max_rows()
    width = len(names)
    for cells in rows_iter:
        values = [c.value for c in cells]
        if all(v is None for v in values):
            continue
        for c in cells:
            if c.data_type == "f" and len(formulas) < MAX_LISTED_CELLS:
                formulas.append({"sheet": sheet.title, "cell": c.coordinate,
                                 "message": f"Ô {c.coordinate} chứa công thức; hãy nhập giá trị."})
        values += [None] * (width - len(values))
        value = values[iv]
        if isinstance(value, str):
            value = spreadsheet_unescape(value)
        rows.append(ValueRow(_cell(values[ir]), _cell(values[ip]), _cell(values[iu]), _cell(values[ic]), value))
        if len(rows) > limit:
            break
    if formulas:
        first = formulas[0]["cell"]
        raise AppError(f"Trang «{sheet.title}» có ô chứa công thức (đầu tiên: ô {first}); bảng nhập chỉ nhận giá "
                       "trị. Hãy sao chép rồi «Dán giá trị» vào các ô đó và tải lên lại; chưa ghi gì.",
                       {"sheet": sheet.title, "cell": first, "cells": formulas})
    return rows


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return spreadsheet_unescape(str(value).strip())
