"""Acceptance on the demo: the minutes (biên bản) of the seed's conference of 07/7/2022, read back
from the DOCX with python-docx: signed by the secretary ("THƯ KÝ") and the chair ("CHỦ TRÌ") side
by side with their names, every conclusion followed by the tasks given from it (content, lead
unit, deadline, as baocao.work holds them), dates in the documents' way ("07/7/2022"), and no
illustrative marker in the minutes or the invitation."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import date

import docx
import pytest
from django.db import transaction
from django.test import override_settings

from baocao.meetings.documents import meeting_document
from baocao.meetings.models import Meeting
from tests.demo_data import demo_restore


@dataclass
class Minutes:
    document: docx.document.Document
    body: list[str]
    invitation: str
    # conclusion text -> [(task title, lead unit, deadline)], as baocao.work holds them
    tasks: dict[str, list[tuple[str, str, date]]]


@pytest.fixture(scope="module")
def minutes(django_db_setup, django_db_blocker) -> Minutes:
    fast = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock(), fast, transaction.atomic():
        demo_restore()
        meeting = Meeting.objects.get(organiser__code="STTTT", date=date(2022, 7, 7))
        content = meeting_document(meeting, "minutes", "docx")[0]
        invitation = docx.Document(io.BytesIO(meeting_document(meeting, "invitation", "docx")[0]))
        tasks = {c.text: [(t.title, t.lead_unit.name, t.deadline) for t in c.tasks.order_by("id")]
                 for c in meeting.conclusions.all()}
        transaction.set_rollback(True)
    document = docx.Document(io.BytesIO(content))
    invitation_text = "\n".join([p.text for p in invitation.paragraphs]
                                + [c.text for t in invitation.tables for r in t.rows for c in r.cells])
    return Minutes(document=document, body=[p.text for p in document.paragraphs if p.text],
                   invitation=invitation_text, tasks=tasks)


def test_secretary_and_chair_sign_side_by_side(minutes):
    table = minutes.document.tables[-1]
    secretary = [p.text for p in table.cell(0, 0).paragraphs if p.text]
    chair = [p.text for p in table.cell(0, 1).paragraphs if p.text]
    assert secretary == ["THƯ KÝ", "Bế Thị Thanh Hoài"]
    assert chair == ["CHỦ TRÌ", "Hà Văn Tiến"]
    recipients = [p.text for p in table.cell(1, 0).paragraphs]
    assert recipients == ["Nơi nhận:", "- Các đại biểu dự Hội nghị;", "- Lưu: VT, VP."]


def test_opening_lines_name_chair_and_secretary(minutes):
    assert "Thời gian: Bắt đầu lúc 08 giờ 00 phút, thứ Năm, ngày 07/7/2022." in minutes.body
    assert "Chủ trì: Ông Hà Văn Tiến, Giám đốc Sở." in minutes.body
    assert "Thư ký: Bà Bế Thị Thanh Hoài, Chuyên viên Văn phòng Sở." in minutes.body


def test_conclusion_then_its_tasks(minutes):
    body = minutes.body
    start = body.index("III. KẾT LUẬN CỦA CHỦ TRÌ HỘI NGHỊ")
    assert body[start + 1].startswith("1. Biểu dương những nỗ lực và kết quả quan trọng toàn ngành đạt được trong "
                                      "6 tháng đầu năm 2022")
    assert body[start + 2:start + 6] == [
        "Giao nhiệm vụ:",
        "- Nâng cấp hệ thống đài truyền thanh cấp xã ứng dụng công nghệ thông tin – viễn thông (chủ trì: Phòng Văn "
        "hóa và Thông tin huyện Ba Bể; hạn: 10/12/2022);",
        "- Mở rộng thí điểm Tổ Công nghệ số cộng đồng ra các thôn còn lại (chủ trì: Phòng Công nghệ thông tin; hạn: "
        "10/12/2022);",
        "- Bảo đảm thông tin liên lạc phục vụ phòng, chống thiên tai và các sự kiện lớn của tỉnh (chủ trì: Phòng Bưu "
        "chính – Viễn thông; hạn: 10/12/2022).",
    ]


def test_every_task_of_every_conclusion_is_listed(minutes):
    """Against baocao.work: each conclusion's paragraph is followed by all its tasks, each with its
    content, lead unit and deadline."""
    body = minutes.body
    assert minutes.tasks and all(minutes.tasks.values())
    for number, (text, tasks) in enumerate(minutes.tasks.items(), start=1):
        at = next(i for i, line in enumerate(body) if line.startswith(f"{number}. {text[:60]}"))
        assert body[at + 1] == "Giao nhiệm vụ:"
        for offset, (title, lead, deadline) in enumerate(tasks, start=2):
            line = body[at + offset]
            assert line.startswith(f"- {title} (chủ trì: {lead}; hạn: "), line
            assert f"hạn: {deadline.day:02d}/{deadline.month}/{deadline.year})" in line


def test_dates_the_documents_way(minutes):
    """Decree 30's way in the body: the day padded below 10, the month padded only for 1 and 2."""
    text = "\n".join(minutes.body)
    dates = re.findall(r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b", text)
    assert dates
    for day, month, _ in dates:
        assert len(day) == 2
        assert month == (f"{int(month):02d}" if int(month) <= 2 else str(int(month))), (day, month)
    assert "07/7/2022" in text and "07/07/2022" not in text


def test_no_illustrative_marker(minutes):
    tables = "\n".join(c.text for t in minutes.document.tables for r in t.rows for c in r.cells)
    for text in ("\n".join(minutes.body), tables, minutes.invitation):
        assert "minh họa" not in text.lower() and "minh hoạ" not in text.lower()
