"""Bad input for bulk and DHIS2 imports (issue 6): each gives a clear error and writes nothing;
the three encodings/separators that are merely unusual import fine."""

from __future__ import annotations

import io
import json
import unicodedata
import zipfile

import pytest

from baocao.core.errors import AppError
from baocao.exchange.bulk import bulk_import
from baocao.exchange.export import write_rows
from baocao.exchange.formats import read_file
from baocao.exchange.rows import ValueRow
from baocao.submissions.models import Submission, SubmissionNarrative, SubmissionValue
from tests.api.conftest import make_submitted
from tests.factories import World

pytestmark = pytest.mark.django_db

GOOD_CSV = "regime,period,unit,code,value\nBC-TEST,2022S1,UA,A,2\nBC-TEST,2022S1,UA,B,3\n"


@pytest.fixture
def world(db) -> World:
    return World()


def nothing_written():
    assert not SubmissionValue.objects.exists()
    assert not SubmissionNarrative.objects.exists()
    assert not Submission.objects.exists()


def run(world, content: bytes, *, name="du-lieu.csv", fmt="auto", user=None, regime=None, strategy="CREATE_AND_UPDATE"):
    parsed = read_file(content, fmt=fmt, filename=name)
    return bulk_import(rows=parsed.rows, acting_user=user or world.admin, regime=regime, strategy=strategy,
                       first_row=parsed.first_row)


def refused(world, content: bytes, message: str, **kwargs):
    with pytest.raises(AppError) as excinfo:
        run(world, content, **kwargs)
    assert message in excinfo.value.message, excinfo.value.message
    nothing_written()


def conflicts(world, content: bytes, reason: str, **kwargs):
    summary = run(world, content, **kwargs)
    assert summary.conflicts and not summary.written
    assert any(reason in c["reason"] for c in summary.conflicts), summary.conflicts
    return summary


def test_good_csv_imports(world):
    summary = run(world, GOOD_CSV.encode())
    assert (summary.imported, summary.written) == (2, True)
    assert SubmissionValue.objects.count() == 2


def test_empty_file(world):
    refused(world, b"", "rỗng")


def test_header_only(world):
    refused(world, b"regime,period,unit,code,value\n", "không có dòng số liệu")


def test_truncated_json(world):
    refused(world, b'[{"regime": "BC-TEST", "period": "2022S1", "unit": "UA", "co', "JSON hỏng", name="a.json")


def test_truncated_xlsx(world):
    content = write_rows([ValueRow("BC-TEST", "2022S1", "UA", "A", 2)], fmt="xlsx", regime="BC-TEST", period="2022S1")
    refused(world, content[: len(content) // 2], "hỏng", name="a.xlsx")


def test_csv_named_xlsx(world):
    refused(world, GOOD_CSV.encode(), "không phải là tệp Excel", name="du-lieu.xlsx")


def test_xlsx_named_csv(world):
    content = write_rows([ValueRow("BC-TEST", "2022S1", "UA", "A", 2)], fmt="xlsx", regime="BC-TEST", period="2022S1")
    refused(world, content, "không phải là CSV", name="du-lieu.csv")


def test_zip_bomb(world, settings):
    settings.EXCHANGE_MAX_UPLOAD_BYTES = 1024 * 1024
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (40 * 1024 * 1024))
    refused(world, out.getvalue(), "bom nén", name="bom.xlsx")


def test_oversized(world, settings):
    settings.EXCHANGE_MAX_UPLOAD_BYTES = 50
    refused(world, GOOD_CSV.encode(), "quá lớn")


def test_too_many_rows(world, settings):
    settings.EXCHANGE_MAX_ROWS = 1
    refused(world, GOOD_CSV.encode(), "quá giới hạn")


def windows_1258(text: str) -> bytes:
    """As Windows writes Vietnamese: a base letter (maybe with its own mark) plus a combining tone."""
    out = b""
    for ch in text:
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", ch)
            out += unicodedata.normalize("NFC", parts[:-1]).encode("cp1258") + parts[-1].encode("cp1258")
    return out


def test_cp1258_csv_imports(world):
    text = "regime,period,unit,code,value\nBC-TEST,2022S1,UA,RESULTS,Hoàn thành kế hoạch năm\n"
    summary = run(world, windows_1258(text))
    assert summary.written
    assert SubmissionNarrative.objects.get().text == "Hoàn thành kế hoạch năm"


def test_utf8_bom_csv_imports(world):
    assert run(world, b"\xef\xbb\xbf" + GOOD_CSV.encode()).imported == 2


def test_semicolon_csv_imports(world):
    assert run(world, GOOD_CSV.replace(",", ";").encode()).imported == 2


def test_missing_header_columns(world):
    refused(world, b"regime,period,unit,value\nBC-TEST,2022S1,UA,2\n", "thiếu cột: code")


def test_duplicate_rows(world):
    conflicts(world, (GOOD_CSV + "BC-TEST,2022S1,UA,A,5\n").encode(), "Trùng dòng")
    nothing_written()


def test_unknown_indicator(world):
    conflicts(world, (GOOD_CSV + "BC-TEST,2022S1,UA,ZZZ,5\n").encode(), "không có trong biểu mẫu")
    nothing_written()


def test_unknown_unit(world):
    conflicts(world, (GOOD_CSV + "BC-TEST,2022S1,NOPE,A,5\n").encode(), "Không tìm thấy đơn vị «NOPE»")
    nothing_written()


def test_unit_out_of_scope(world):
    conflicts(world, (GOOD_CSV + "BC-TEST,2022S1,UB,A,5\n").encode(), "Không tìm thấy đơn vị «UB»",
              user=world.reporter_a)
    nothing_written()


def test_period_outside_regime(world):
    conflicts(world, b"regime,period,unit,code,value\nBC-TEST,2022Q2,UA,A,2\n", "không thuộc chế độ")
    nothing_written()


def test_approved_or_submitted_submission(world):
    make_submitted(world, period="2022S1")
    before = SubmissionValue.objects.count()
    conflicts(world, GOOD_CSV.replace(",2\n", ",1\n").encode(), "không sửa được")
    assert SubmissionValue.objects.count() == before


def test_text_in_numeric_value(world):
    conflicts(world, (GOOD_CSV + "BC-TEST,2022S1,UA,PCT,mười\n").encode(), "không phải là số")
    nothing_written()


def test_negative_out_of_range(world):
    conflicts(world, (GOOD_CSV + "BC-TEST,2022S1,UA,PCT,-5\n").encode(), "từ 0 đến 100")
    nothing_written()


def test_mixed_regimes(world):
    conflicts(world, GOOD_CSV.encode(), "khác chế độ đang nhập", regime="BC-OTHER")
    nothing_written()


def test_dhis2_bad_period(world):
    body = {"dataSet": "BC-TEST", "dataValues": [{"dataElement": "A", "period": "2022W05", "orgUnit": "UA", "value": "1"}]}
    conflicts(world, json.dumps(body).encode(), "2022W05", name="d.json")
    nothing_written()


def test_dhis2_unknown_strategy(world):
    body = {"dataSet": "BC-TEST", "period": "2022S1", "dataValues": [{"dataElement": "A", "orgUnit": "UA", "value": "1"}]}
    refused(world, json.dumps(body).encode(), "Chiến lược", name="d.json", strategy="MERGE")


def test_dhis2_without_regime(world):
    conflicts(world, b"A,2022S1,UA,,,5,,,,\n", "Chưa chọn chế độ", fmt="dhis2-csv")
    nothing_written()


def test_dhis2_not_a_data_value_set(world):
    refused(world, b'{"values": []}', "dataValues", name="d.json")
