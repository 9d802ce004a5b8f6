"""The exchange page renders for each role, and the console commands export, import (dry run) and
build a template."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from tests.factories import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return World()


@pytest.mark.parametrize("role", ["admin", "compiler", "leader", "viewer", "reporter_a"])
def test_page_renders(world, role):
    c = Client()
    c.force_login(getattr(world, role))
    r = c.get("/exchange/")
    assert r.status_code in (200, 404)
    if r.status_code == 200:
        assert "Nhập" in r.content.decode() or "Xuất" in r.content.decode()


def test_commands_export_import_template(world, tmp_path):
    out = io.StringIO()
    target = tmp_path / "x.csv"
    call_command("exchange", "export", "--regime", world.regime.code, "--period", "2022S1", "--format", "csv",
                 "-o", str(target), stdout=out)
    assert target.read_text(encoding="utf-8-sig").startswith("regime,period,unit,code,value")
    target.write_text(f"regime,period,unit,code,value\n{world.regime.code},2022S1,UA,A,3\n", encoding="utf-8")
    out = io.StringIO()
    call_command("exchange", "import", str(target), "--dry-run", stdout=out)
    assert "Chạy thử" in out.getvalue()
    template = tmp_path / "t.xlsx"
    call_command("exchange", "template", "--regime", world.regime.code, "--period", "2022S2", "--unit", "UA",
                 "-o", str(template), stdout=io.StringIO())
    assert template.read_bytes()[:2] == b"PK"
    with pytest.raises(CommandError) as excinfo:
        call_command("exchange", "export", "--regime", "KHONG-CO", "--period", "2022S1", "--format", "csv",
                     "-o", str(target), stdout=io.StringIO())
    assert excinfo.value.returncode == 2


def test_page_summary_in_vietnamese_with_the_first_500_conflicts(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from baocao.submissions.models import SubmissionValue

    lines = ["regime,period,unit,code,value"] + [f"{world.regime.code},2022S1,UA,A,{n}" for n in range(1, 1202)]
    c = Client()
    c.force_login(world.compiler)
    r = c.post("/exchange/", {"file": SimpleUploadedFile("x.csv", "\n".join(lines).encode()), "format": "auto",
                              "strategy": "CREATE_AND_UPDATE"}, headers={"HX-Request": "true"})
    text = r.content.decode()
    assert r.status_code == 200
    assert "Chưa ghi gì vì có 1.200 xung đột. Các dòng hợp lệ: 1 giá trị mới" in text
    assert text.count("Trùng dòng") == 500
    assert "Chỉ hiện 500 xung đột đầu tiên trong số 1.200." in text
    assert not SubmissionValue.objects.exists()
    page = c.get("/exchange/").content.decode()
    assert "Thêm mới và cập nhật (CREATE_AND_UPDATE)" in page and "Tự nhận biết" in page


def test_a_reporter_loads_and_exports_only_their_own_unit(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from baocao.submissions.models import SubmissionValue

    c = Client()
    c.force_login(world.reporter_a)  # unit UA
    assert c.get("/exchange/").status_code == 200
    code = world.regime.code
    own_and_other = f"regime,period,unit,code,value\n{code},2022S1,UA,A,3\n{code},2022S1,UB,A,4\n"
    r = c.post("/exchange/", {"file": SimpleUploadedFile("x.csv", own_and_other.encode()), "format": "auto",
                              "strategy": "CREATE_AND_UPDATE"}, headers={"HX-Request": "true"})
    assert "Không tìm thấy đơn vị «UB» hoặc đơn vị ngoài phạm vi của bạn." in r.content.decode()
    assert not SubmissionValue.objects.exists()
    own = f"regime,period,unit,code,value\n{code},2022S1,UA,A,3\n"
    r = c.post("/exchange/", {"file": SimpleUploadedFile("x.csv", own.encode()), "format": "auto",
                              "strategy": "CREATE_AND_UPDATE"}, headers={"HX-Request": "true"})
    assert "Đã nhập: 1 giá trị mới" in r.content.decode()
    admin = Client()
    admin.force_login(world.admin)
    admin.post("/exchange/", {"file": SimpleUploadedFile("y.csv", f"regime,period,unit,code,value\n{code},2022S1,UB,A,4\n"
                                                         .encode()), "format": "auto",
                              "strategy": "CREATE_AND_UPDATE"}, headers={"HX-Request": "true"})
    assert SubmissionValue.objects.count() == 2
    exported = c.get("/exchange/", {"export": "1", "regime": code, "period": "2022S1", "format": "csv"})
    assert exported.status_code == 200
    lines = exported.content.decode("utf-8-sig").splitlines()
    assert lines == ["regime,period,unit,code,value", f"{code},2022S1,UA,A,3"]
    other = c.get("/exchange/", {"export": "1", "regime": code, "period": "2022S1", "unit": "UB", "format": "csv"})
    assert other.status_code == 400 and "Không tìm thấy đơn vị «UB»" in other.content.decode()


def test_a_viewer_of_another_province_sees_no_exchange_page(world):
    from tests.factories import user

    stranger = user(username="khach", role="viewer", unit=None)
    c = Client()
    c.force_login(stranger)
    assert c.get("/exchange/").status_code == 404


def test_page_names_an_uploaded_file_cleanly(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    c = Client()
    c.force_login(world.compiler)
    upload = SimpleUploadedFile("so-lieu\u202exslx.csv\x07.xlsx", b"regime,period,unit,code,value\n")
    html = c.post("/exchange/", {"file": upload, "format": "auto", "strategy": "CREATE_AND_UPDATE"}).content.decode()
    assert "«so-lieuxslx.csv.xlsx»" in html and "\u202e" not in html and "\x07" not in html
