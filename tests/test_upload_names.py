"""A file's name is text the uploader chose: every upload path (a case's documents, a task's
evidence, a plan's attachment; bulk import and the Excel template in tests/exchange) keeps it only as
`core.text.clean_filename` makes it (no control, bidi or zero-width characters, no path, a length
every file system takes, Vietnamese kept), and every download names its file in a
Content-Disposition header that cannot be broken (RFC 6266/5987 `filename*` for non-ASCII)."""

from __future__ import annotations

import unicodedata
from email.message import Message

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from baocao.cases.models import CaseAttachment
from baocao.work.models import Plan, TaskUpdate
from baocao.work.services import task_create
from tests.cases.case_fixtures import case_world, make_case

pytestmark = pytest.mark.django_db

LONG_VIETNAMESE = "Biên bản kiểm tra việc thực hiện nhiệm vụ chuyển đổi số của Ủy ban nhân dân xã " * 3
NAMES = [
    pytest.param("Biên bản họp.pdf", "Biên bản họp.pdf", id="vietnamese"),
    pytest.param(unicodedata.normalize("NFD", "Biên bản họp.pdf"), "Biên bản họp.pdf", id="decomposed"),
    pytest.param("hoa-don\u202efdp.exe", "hoa-donfdp.exe", id="rtl-override"),
    pytest.param("bien\x1bban\x07\u200b.pdf", "bienban.pdf", id="controls"),
    pytest.param(".htaccess", "htaccess", id="dotfile"),
    pytest.param('Kế hoạch "quý 1": bản <cuối>.pdf', "Kế hoạch quý 1 bản cuối.pdf", id="reserved"),
    pytest.param("ữ" * 85 + ".pdf", None, id="long-in-bytes"),
    pytest.param(LONG_VIETNAMESE + ".docx", None, id="long"),
]


@pytest.fixture
def world(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    w = case_world()
    w.case = make_case(w, code="KN-07", summary="Kiến nghị")
    w.task = task_create(acting_user=w.compiler, lead_unit=w.unit_a, title="Nâng cấp hệ thống truyền thanh")
    return w


def logged(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def disposition_name(header: str) -> str | None:
    message = Message()
    message["Content-Disposition"] = header
    return message.get_filename()


def upload_case_attachment(w, upload):
    response = logged(w.inspector).post(f"/cases/{w.case.pk}/attach/", {"file": upload, "title": ""})
    attachment = CaseAttachment.objects.last()
    return response, attachment and attachment.file, attachment and f"/cases/{w.case.pk}/attachments/{attachment.pk}/"


def upload_evidence(w, upload):
    response = logged(w.reporter_a).post(f"/tasks/{w.task.pk}/progress/",
                                         {"text": "Đã lắp đặt", "progress": "50", "evidence": upload})
    update = TaskUpdate.objects.last()
    return response, update and update.evidence, update and f"/tasks/{w.task.pk}/updates/{update.pk}/evidence/"


def upload_plan_attachment(w, upload):
    response = logged(w.compiler).post("/tasks/plans/", {
        "kind": "scheme", "number": "12/ĐA-UBND", "issuer": w.province.pk, "issued_on": "2021-08-01",
        "title": "Đề án chuyển đổi số", "year_from": "2021", "year_to": "2025", "attachment": upload})
    plan = Plan.objects.filter(number="12/ĐA-UBND").first()
    return response, plan and plan.attachment, plan and f"/tasks/plans/{plan.pk}/attachment/"


@pytest.mark.parametrize("upload_path", [upload_case_attachment, upload_evidence, upload_plan_attachment])
@pytest.mark.parametrize("name,expected", NAMES)
def test_stored_and_downloaded_under_a_clean_name(world, upload_path, name, expected):
    response, stored, url = upload_path(world, SimpleUploadedFile(name, b"%PDF-1.4"))
    assert response.status_code == 302, response.content.decode()[:500]
    base = stored.name.rsplit("/", 1)[-1]
    assert len(base.encode()) <= 255 and base == unicodedata.normalize("NFC", base)
    if expected is not None:
        assert base == expected
    else:
        suffix = "." + name.rsplit(".", 1)[-1]
        assert base.endswith(suffix) and base.startswith(unicodedata.normalize("NFC", name)[:20])
    download = logged(world.admin).get(url)
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"%PDF-1.4"
    header = download["Content-Disposition"]
    assert header.isascii() and "\r" not in header and "\n" not in header
    assert disposition_name(header) == base


def test_the_case_page_shows_the_clean_name(world):
    upload_case_attachment(world, SimpleUploadedFile("don\u202efdp.exe", b"%PDF"))
    html = logged(world.inspector).get(f"/cases/{world.case.pk}/").content.decode()
    assert "donfdp.exe" in html and "\u202e" not in html
