"""DHIS2 CSV posted to POST /api/v1/exchange/dataValueSets as the raw request body, with
Content-Type text/csv or application/csv: with DHIS2's header line and without it (each line
names its own data element, period and org unit), dry run and real import, importStrategy, bad
CSV (a 4xx error, or DHIS2's status ERROR for bad rows) with nothing written, and the user's scope.
"""

from __future__ import annotations

from urllib.parse import urlencode

import pytest

from baocao.accounts.services import api_token_create
from baocao.submissions.choices import SubmissionStatus
from baocao.submissions.models import Submission, SubmissionNarrative, SubmissionValue
from tests.api.conftest import API, JsonClient, assert_error
from tests.factories import World

pytestmark = pytest.mark.django_db

URL = "/exchange/dataValueSets"
COLUMNS = "dataelement,period,orgunit,categoryoptioncombo,attributeoptioncombo,value,storedby,lastupdated,comment,followup"
# As DHIS2 writes it: the header line, then one value per line; a narrative travels in `comment`.
WITH_HEADER = (
    f"{COLUMNS}\n"
    "A,2022S1,UA,,,2,,,,false\n"
    "B,2022S1,UA,,,3,,,,false\n"
    "PCT,2022S1,UA,,,12.5,,,,false\n"
    'RESULTS,2022S1,UA,,,,,,"Hoàn thành kế hoạch, vượt 5%",false\n'
    "A,2022S1,UB,,,4,,,,false\n"
)
# Without the header line, and only the six columns DHIS2 requires.
WITHOUT_HEADER = "A,2022S1,UA,,,7\nB,2022S1,UB,,,8\n"
CSV_TYPES = ["text/csv", "application/csv", "text/csv; charset=utf-8"]


@pytest.fixture
def world(db) -> World:
    return World()


def post_csv(client: JsonClient, body: str | bytes, *, content_type: str = "text/csv", **params):
    query = f"?{urlencode(params)}" if params else ""
    return client.client.post(f"{API}{URL}{query}", body, content_type=content_type)


def summary_of(response, status: str) -> dict:
    """DHIS2's importSummary, answered 200 whether it succeeded or not."""
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["responseType"] == "ImportSummary"
    assert body["status"] == status, body
    return body


def nothing_written() -> None:
    assert not Submission.objects.exists()
    assert not SubmissionValue.objects.exists()
    assert not SubmissionNarrative.objects.exists()


def value(unit: str, code: str):
    return SubmissionValue.objects.get(submission__unit__code=unit, submission__period="2022S1",
                                       indicator__code=code).number


@pytest.mark.parametrize("content_type", CSV_TYPES)
def test_header_form_dry_run_then_import(world, content_type):
    client = JsonClient(user=world.compiler)
    body = summary_of(post_csv(client, WITH_HEADER, content_type=content_type, dataSet="BC-TEST", dryRun="true"),
                      "SUCCESS")
    assert body["dryRun"] is True and body["description"] == "Chạy thử, chưa ghi gì."
    assert body["importCount"] == {"imported": 5, "updated": 0, "ignored": 0, "deleted": 0}
    assert body["conflicts"] == []
    nothing_written()

    body = summary_of(post_csv(client, WITH_HEADER, content_type=content_type, dataSet="BC-TEST"), "SUCCESS")
    assert body["dryRun"] is False and body["description"] == "Đã nhập."
    assert body["importCount"] == {"imported": 5, "updated": 0, "ignored": 0, "deleted": 0}
    assert (value("UA", "A"), value("UA", "B"), value("UA", "PCT"), value("UB", "A")) == (2, 3, 12.5, 4)
    assert SubmissionNarrative.objects.get(submission__unit__code="UA").text == "Hoàn thành kế hoạch, vượt 5%"
    assert set(Submission.objects.values_list("unit__code", "status")) == {
        ("UA", SubmissionStatus.DRAFT), ("UB", SubmissionStatus.DRAFT)}


@pytest.mark.parametrize("content_type", ["text/csv", "application/csv"])
def test_per_value_form_without_header(world, content_type):
    client = JsonClient(user=world.compiler)
    body = summary_of(post_csv(client, WITHOUT_HEADER, content_type=content_type, dataSet="BC-TEST",
                               dryRun="true"), "SUCCESS")
    assert body["importCount"]["imported"] == 2
    nothing_written()
    summary_of(post_csv(client, WITHOUT_HEADER, content_type=content_type, dataSet="BC-TEST"), "SUCCESS")
    assert (value("UA", "A"), value("UB", "B")) == (7, 8)


def test_dhis2_periods_and_encodings(world):
    """The annual period as DHIS2 writes it (2022), a UTF-8 BOM, Windows line ends and a
    semicolon-separated file as Excel saves it in Vietnamese locales."""
    client = JsonClient(user=world.compiler)
    body = "\ufeff" + f"{COLUMNS}\r\nA;2022;UA;;;11;;;;\r\nRESULTS;2022;UA;;;;;;Cả năm đạt kế hoạch;\r\n".replace(
        ",", ";")
    summary_of(post_csv(client, body.encode("utf-8"), dataSet="BC-TEST"), "SUCCESS")
    assert SubmissionValue.objects.get(submission__period="2022", indicator__code="A").number == 11
    assert SubmissionNarrative.objects.get(submission__period="2022").text == "Cả năm đạt kế hoạch"


def test_bearer_token_client(world):
    client = JsonClient(token=api_token_create(user=world.compiler))
    summary_of(post_csv(client, WITHOUT_HEADER, dataSet="BC-TEST"), "SUCCESS")
    assert SubmissionValue.objects.count() == 2


def test_import_strategies(world):
    client = JsonClient(user=world.compiler)
    summary_of(post_csv(client, "A,2022S1,UA,,,2\nB,2022S1,UA,,,3\n", dataSet="BC-TEST"), "SUCCESS")

    # CREATE leaves stored values alone and adds the new ones.
    body = summary_of(post_csv(client, "A,2022S1,UA,,,9\nPCT,2022S1,UA,,,40\n", dataSet="BC-TEST",
                               importStrategy="CREATE"), "SUCCESS")
    assert body["importCount"] == {"imported": 1, "updated": 0, "ignored": 1, "deleted": 0}
    assert (value("UA", "A"), value("UA", "PCT")) == (2, 40)

    # UPDATE changes stored values and ignores new ones; a dry run first writes nothing.
    update = "A,2022S1,UA,,,9\nNOTE,2022S1,UA,,,Ghi chú mới\n"
    body = summary_of(post_csv(client, update, dataSet="BC-TEST", importStrategy="UPDATE", dryRun="true"),
                      "SUCCESS")
    assert body["importCount"] == {"imported": 0, "updated": 1, "ignored": 1, "deleted": 0}
    assert value("UA", "A") == 2
    summary_of(post_csv(client, update, dataSet="BC-TEST", importStrategy="UPDATE"), "SUCCESS")
    assert value("UA", "A") == 9
    assert not SubmissionValue.objects.filter(indicator__code="NOTE").exists()

    # DELETE removes the listed values, whatever value the file gives.
    body = summary_of(post_csv(client, "A,2022S1,UA,,,0\nB,2022S1,UB,,,3\n", dataSet="BC-TEST",
                               importStrategy="DELETE"), "SUCCESS")
    assert body["importCount"] == {"imported": 0, "updated": 0, "ignored": 1, "deleted": 1}
    assert set(SubmissionValue.objects.values_list("indicator__code", flat=True)) == {"B", "PCT"}

    # The default, CREATE_AND_UPDATE, does both; an empty value deletes.
    body = summary_of(post_csv(client, "A,2022S1,UA,,,1\nB,2022S1,UA,,,5\nPCT,2022S1,UA,,,\n",
                               dataSet="BC-TEST", importStrategy="CREATE_AND_UPDATE"), "SUCCESS")
    assert body["importCount"] == {"imported": 1, "updated": 1, "ignored": 0, "deleted": 1}
    assert set(SubmissionValue.objects.values_list("indicator__code", "number")) == {("A", 1), ("B", 5)}


def test_unknown_strategy_is_refused(world):
    response = post_csv(JsonClient(user=world.compiler), WITH_HEADER, dataSet="BC-TEST", importStrategy="MERGE")
    assert_error(response, 400, "Chiến lược nhập «MERGE» không hợp lệ")
    nothing_written()


def test_bad_row_is_a_conflict_with_its_line_and_nothing_is_written(world):
    bad = WITH_HEADER.replace("B,2022S1,UA,,,3,", "B,2022S1,UA,,,ba,")  # file line 3
    body = summary_of(post_csv(JsonClient(user=world.compiler), bad, dataSet="BC-TEST"), "ERROR")
    assert body["description"] == "Có xung đột, chưa ghi gì."
    assert len(body["conflicts"]) == 1
    assert body["conflicts"][0]["object"] == "B"
    assert body["conflicts"][0]["value"].startswith("Dòng 3: Chỉ tiêu «B»")
    assert "không phải là số" in body["conflicts"][0]["value"]
    nothing_written()


def test_line_numbers_without_header(world):
    bad = "A,2022S1,UA,,,7\nPCT,2022S1,UA,,,150\nZZZ,2022S1,UB,,,1\n"
    body = summary_of(post_csv(JsonClient(user=world.compiler), bad, dataSet="BC-TEST", dryRun="true"), "ERROR")
    values = [c["value"] for c in body["conflicts"]]
    assert values[0].startswith("Dòng 2: Chỉ tiêu «PCT»") and "từ 0 đến 100" in values[0]
    assert values[1].startswith("Dòng 3: Mã «ZZZ» không có trong biểu mẫu")
    nothing_written()


def test_without_data_set_is_a_conflict(world):
    body = summary_of(post_csv(JsonClient(user=world.compiler), WITHOUT_HEADER), "ERROR")
    assert "Chưa chọn chế độ báo cáo" in body["conflicts"][0]["value"]
    nothing_written()


@pytest.mark.parametrize("content,content_type,message", [
    ("", "text/csv", "Tệp rỗng"),
    ("dataelement,period,value\nA,2022S1,2\n", "text/csv", "Dòng tiêu đề thiếu cột: orgunit"),
    (f"{COLUMNS}\nA,2022S1,UA,,,2\nB,2022S1,UA\n", "application/csv", "Dòng 3 thiếu cột"),
    (WITH_HEADER, "application/json", "không phải là định dạng «dhis2-json»"),
    (b"PK\x03\x04" + b"\x00" * 64, "text/csv", "không phải là định dạng «dhis2-csv»"),
    (b"A,2022S1,UA,,,\x81\x8d\n", "text/csv", "Không đọc được bảng mã"),
], ids=["empty", "header-missing-columns", "short-line", "csv-sent-as-json", "xlsx-sent-as-csv", "bad-encoding"])
def test_bad_csv_answers_400_and_writes_nothing(world, content, content_type, message):
    response = post_csv(JsonClient(user=world.compiler), content, content_type=content_type, dataSet="BC-TEST")
    assert_error(response, 400, message)
    nothing_written()


def test_oversized_body_is_refused(world, settings):
    settings.EXCHANGE_MAX_UPLOAD_BYTES = 100
    response = post_csv(JsonClient(user=world.compiler), WITH_HEADER, dataSet="BC-TEST")
    assert_error(response, 400, "Tệp quá lớn")
    nothing_written()


def test_body_larger_than_djangos_form_limit_is_read(world, settings):
    """DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB by default) guards form posts; a data file posted as
    the body is bounded by EXCHANGE_MAX_UPLOAD_BYTES (10 MB) instead."""
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 200
    lines = [f"{code},2022S1,{u},,,{n},admin,2022-06-30,,false" for n, (u, code) in
             enumerate([(u, c) for u in ("UA", "UB") for c in ("A", "B", "PCT")], start=1)]
    body = COLUMNS + "\n" + "\n".join(lines) + "\n"
    assert len(body) > settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    summary = summary_of(post_csv(JsonClient(user=world.compiler), body, dataSet="BC-TEST"), "SUCCESS")
    assert summary["importCount"]["imported"] == 6
    assert SubmissionValue.objects.count() == 6


# Scope: an import is all or nothing, so a single unit outside the user's scope stops the file.


def test_reporter_outside_own_unit_is_a_conflict(world):
    client = JsonClient(user=world.reporter_a)
    body = summary_of(post_csv(client, WITH_HEADER, dataSet="BC-TEST"), "ERROR")
    assert [c["value"] for c in body["conflicts"]] == [
        "Dòng 6: Không tìm thấy đơn vị «UB» hoặc đơn vị ngoài phạm vi của bạn."]
    nothing_written()
    # Their own unit only: imported.
    own = "".join(line + "\n" for line in WITH_HEADER.splitlines() if ",UB," not in line)
    summary_of(post_csv(client, own, dataSet="BC-TEST"), "SUCCESS")
    assert set(Submission.objects.values_list("unit__code", flat=True)) == {"UA"}


def test_compiler_outside_scope_is_a_conflict(world):
    # DEPT2 exists but neither belongs to the compiler's department nor reports to its regimes.
    body = summary_of(post_csv(JsonClient(user=world.compiler), WITHOUT_HEADER + "A,2022S1,DEPT2,,,1\n",
                               dataSet="BC-TEST", dryRun="true"), "ERROR")
    assert [c["value"] for c in body["conflicts"]] == [
        "Dòng 3: Không tìm thấy đơn vị «DEPT2» hoặc đơn vị ngoài phạm vi của bạn."]
    nothing_written()


def test_regime_of_another_department_is_a_conflict(world):
    body = summary_of(post_csv(JsonClient(user=world.other_compiler), WITHOUT_HEADER, dataSet="BC-TEST"), "ERROR")
    assert len(body["conflicts"]) == 2
    assert all("Không tìm thấy chế độ báo cáo «BC-TEST»" in c["value"] for c in body["conflicts"])
    nothing_written()


def test_roles_that_cannot_import(world):
    assert_error(post_csv(JsonClient(user=world.viewer), WITHOUT_HEADER, dataSet="BC-TEST"), 403,
                 "không có quyền nhập")
    assert_error(post_csv(JsonClient(), WITHOUT_HEADER, dataSet="BC-TEST"), 401)
    nothing_written()
