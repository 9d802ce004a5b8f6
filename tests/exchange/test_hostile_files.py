"""Hostile files (issue 10, item 4): each is refused with a Vietnamese message and nothing is
written, through the API, the /exchange/ page and `baocao exchange import`; formula cells are
refused instead of deleting stored values; an xlsx bomb is refused by its expanded size before
openpyxl parses it, with bounded memory."""

from __future__ import annotations

import io
import struct
import tracemalloc
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from baocao.core.errors import AppError
from baocao.exchange.bulk import bulk_import
from baocao.exchange.export import write_rows
from baocao.exchange.formats import read_file
from baocao.exchange.rows import ValueRow
from baocao.submissions.models import Submission, SubmissionNarrative, SubmissionValue
from baocao.submissions.services import submission_get_or_create, submission_save_draft
from tests.factories import World

pytestmark = pytest.mark.django_db

HEADER = "regime,period,unit,code,value\n"
MB = 1024 * 1024


@pytest.fixture
def world(db) -> World:
    return World()


def xlsx(rows: list[list]) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "data"
    sheet.append(["regime", "period", "unit", "code", "value"])
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def shared_strings_bomb(size: int) -> bytes:
    """A valid xlsx whose xl/sharedStrings.xml inflates to `size` bytes (written in chunks: the
    file itself is a few hundred KB)."""
    good = zipfile.ZipFile(io.BytesIO(xlsx([["BC-TEST", "2022S1", "UA", "A", "x"]])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in good.infolist():
            if info.filename != "xl/sharedStrings.xml":
                archive.writestr(info.filename, good.read(info.filename))
        with archive.open("xl/sharedStrings.xml", "w") as part:
            part.write(b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>')
            chunk = b"A" * MB
            for _ in range(size // MB):
                part.write(chunk)
            part.write(b"</t></si></sst>")
    return out.getvalue()


def lying(content: bytes, name: str, declared: int) -> bytes:
    """`content` with `name`'s uncompressed size declared as `declared` in both its headers."""
    data = bytearray(content)
    encoded = name.encode()
    local = data.find(b"PK\x03\x04" + b"\x00" * 0)
    while local != -1:
        name_len = struct.unpack_from("<H", data, local + 26)[0]
        if bytes(data[local + 30:local + 30 + name_len]) == encoded:
            struct.pack_into("<I", data, local + 22, declared)
        local = data.find(b"PK\x03\x04", local + 4)
    central = data.find(b"PK\x01\x02")
    while central != -1:
        name_len = struct.unpack_from("<H", data, central + 28)[0]
        if bytes(data[central + 46:central + 46 + name_len]) == encoded:
            struct.pack_into("<I", data, central + 24, declared)
        central = data.find(b"PK\x01\x02", central + 4)
    return bytes(data)


HOSTILE_FILES = {
    "deep-array": ("sau.json", b"[" * 200_000 + b"]" * 200_000, "lồng nhau quá sâu"),
    "deep-object": ("sau.json", b'{"dataValues":' * 100_000 + b"1" + b"}" * 100_000, "lồng nhau quá sâu"),
    "xls": ("cu.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 2000, "Excel 97-2003 (.xls)"),
    "xls-named-csv": ("cu.csv", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 2000, "Excel 97-2003 (.xls)"),
    "shift-jis": ("nhat.csv", (HEADER + "BC-TEST,2022S1,UA,RESULTS,日本語のテキストです。報告書\n").encode("shift_jis"),
                  "bảng mã"),
    "shift-jis-short": ("nhat.csv", (HEADER + "BC-TEST,2022S1,UA,RESULTS,日本 ｶﾀｶﾅ\n").encode("shift_jis"),
                        "bảng mã"),
    "utf-16-without-bom": ("u16.csv", (HEADER + "BC-TEST,2022S1,UA,A,2\n").encode("utf-16-le"), "UTF-16 không có BOM"),
    "field-over-csv-limit": ("dai.csv", (HEADER + 'BC-TEST,2022S1,UA,RESULTS,"' + "x" * 200_000 + '"\n').encode(),
                             "dài quá 131.072 ký tự ở dòng 2"),
    "dhis2-field-over-csv-limit": (
        "dai.csv", ("dataelement,period,orgunit,catoptcombo,attroptcombo,value\nRESULTS,2022S1,UA,,,\""
                    + "x" * 200_000 + '"\n').encode(), "dài quá 131.072 ký tự ở dòng 2"),
}


def nothing_written():
    assert not SubmissionValue.objects.exists()
    assert not SubmissionNarrative.objects.exists()
    assert not Submission.objects.exists()


@pytest.mark.parametrize("case", HOSTILE_FILES)
def test_reader_refuses_in_vietnamese(world, case):
    name, content, message = HOSTILE_FILES[case]
    with pytest.raises(AppError) as excinfo:
        read_file(content, filename=name)
    assert message in excinfo.value.message


@pytest.mark.parametrize("case", HOSTILE_FILES)
def test_api_page_and_command_refuse_and_write_nothing(world, case, tmp_path):
    name, content, message = HOSTILE_FILES[case]
    api = Client()
    api.force_login(world.admin)
    r = api.post("/api/v1/exchange/import", {"file": SimpleUploadedFile(name, content), "format": "auto"})
    assert r.status_code == 400, r.content[:300]
    assert message in r.json()["message"]
    page = Client()
    page.force_login(world.admin)
    r = page.post("/exchange/", {"file": SimpleUploadedFile(name, content), "format": "auto",
                                 "strategy": "CREATE_AND_UPDATE"})
    assert r.status_code == 400
    assert message in r.content.decode("utf-8")
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(CommandError) as excinfo:
        call_command("exchange", "import", str(path), stdout=io.StringIO())
    assert excinfo.value.returncode == 2 and message in str(excinfo.value)
    nothing_written()


def test_utf16_with_bom_imports(world):
    parsed = read_file((HEADER + "BC-TEST,2022S1,UA,A,2\n").encode("utf-16"), filename="u16.csv")
    assert [tuple(r) for r in parsed.rows] == [("BC-TEST", "2022S1", "UA", "A", "2")]


class TestFormulaCells:
    @pytest.fixture
    def stored(self, world):
        sub = submission_get_or_create(regime=world.regime, period="2022S1", unit=world.unit_a,
                                       acting_user=world.reporter_a)
        submission_save_draft(submission=sub, acting_user=world.reporter_a, values={"A": 5, "B": 7},
                              narratives={"RESULTS": "Hoàn thành."})
        return sub

    def test_a_formula_cell_is_refused_and_the_stored_value_kept(self, world, stored):
        # A formula written by a program has no cached value: read as data it was an empty cell,
        # and an empty cell deletes the stored value.
        content = xlsx([["BC-TEST", "2022S1", "UA", "A", "=2+3"], ["BC-TEST", "2022S1", "UA", "B", 8]])
        with pytest.raises(AppError) as excinfo:
            parsed = read_file(content, filename="nhap.xlsx")
            bulk_import(rows=parsed.rows, acting_user=world.admin, first_row=parsed.first_row)
        assert "Trang «data»" in excinfo.value.message and "ô E2" in excinfo.value.message
        assert excinfo.value.extra["cells"] == [{"sheet": "data", "cell": "E2",
                                                 "message": "Ô E2 chứa công thức; hãy nhập giá trị."}]
        values = dict(SubmissionValue.objects.filter(submission=stored).values_list("indicator__code", "number"))
        assert values == {"A": 5, "B": 7}

    def test_the_api_answers_400_naming_the_cell(self, world, stored):
        content = xlsx([["BC-TEST", "2022S1", "UA", "A", "=SUM(1,2)"]])
        client = Client()
        client.force_login(world.admin)
        r = client.post("/api/v1/exchange/import", {"file": SimpleUploadedFile("nhap.xlsx", content)})
        assert r.status_code == 400
        assert r.json()["extra"]["cells"][0]["cell"] == "E2"
        assert SubmissionValue.objects.filter(submission=stored).count() == 2


class TestEscapedCellsReadBack:
    def test_csv_and_xlsx_round_trip_texts_that_look_like_formulas(self, world):
        texts = ['=HYPERLINK("http://x","y")', "+1+cmd|' /C calc'!A0", "- Tổ chức 02 lớp", "'=1", "-5"]
        for fmt in ("csv", "xlsx", "dhis2-csv"):
            rows = [ValueRow("BC-TEST", "2022S1", "UA", f"C{n}", text) for n, text in enumerate(texts)]
            content = write_rows(rows, fmt=fmt, regime="BC-TEST", period="2022S1")
            parsed = read_file(content, filename=f"x.{fmt.split('-')[-1]}")
            assert [r[4] for r in parsed.rows] == texts, fmt


class TestXlsxBomb:
    def test_declared_size_refused_before_parsing_with_bounded_memory(self, world):
        content = shared_strings_bomb(300 * MB)
        assert len(content) < 2 * MB
        tracemalloc.start()
        try:
            with pytest.raises(AppError) as excinfo:
                read_file(content, filename="bom.xlsx")
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        assert "bom nén" in excinfo.value.message and "xl/sharedStrings.xml" in excinfo.value.message
        assert peak < 20 * MB, peak

    def test_lying_header_refused_with_bounded_memory(self, world):
        content = lying(shared_strings_bomb(200 * MB), "xl/sharedStrings.xml", 4096)
        tracemalloc.start()
        try:
            with pytest.raises(AppError) as excinfo:
                read_file(content, filename="bom.xlsx")
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        assert "hỏng" in excinfo.value.message or "bom nén" in excinfo.value.message
        assert peak < 20 * MB, peak

    def test_a_part_under_the_declared_limits_but_too_big_for_memory(self, world, settings):
        settings.EXCHANGE_XLSX_MAX_PART_BYTES = 4 * MB
        content = shared_strings_bomb(6 * MB)
        with pytest.raises(AppError) as excinfo:
            read_file(content, filename="bom.xlsx")
        assert "xl/sharedStrings.xml" in excinfo.value.message

    def test_upload_settings_stream_files_to_disk(self, settings):
        from django.conf import settings as live

        # Uploads above this size go to a temporary file, not memory; the exchange limit is checked
        # on the upload's size before its content is read.
        assert live.FILE_UPLOAD_MAX_MEMORY_SIZE <= 2621440
        assert live.DATA_UPLOAD_MAX_MEMORY_SIZE is not None and live.DATA_UPLOAD_MAX_MEMORY_SIZE <= 2621440


def test_messages_name_the_file_as_clean_filename_makes_it():
    """A command reads a local file whose name nobody cleaned (the pages' uploads lose control
    and bidi characters in Django's multipart parser already)."""
    with pytest.raises(AppError) as excinfo:
        read_file(b"regime,period\n", filename="so-lieu\u202exslx.csv\x1b.xlsx")
    assert excinfo.value.message == "Tệp «so-lieuxslx.csv.xlsx» không phải là tệp Excel (.xlsx) hợp lệ."
    assert excinfo.value.extra["filename"] == "so-lieuxslx.csv.xlsx"
