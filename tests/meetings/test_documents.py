"""The invitation (GM) and the minutes (BB) through the Decree 30 layout module, read back from the
DOCX with python-docx: the header (Decree 30/2020/NĐ-CP, Appendix I: parent body, issuer, "Số:
…/GM-…", place and date), the attendees, the agenda with its presenter, the opinions one per
paragraph, the conclusions numbered, the signer; also PDF and HTML, and the header taken from the
organiser when the meeting has no regime outline."""

from __future__ import annotations

import io
from datetime import date

import docx
import pytest

from baocao.core.errors import AppError, NotFound
from baocao.meetings.article import compose_article
from baocao.meetings.documents import invitation_document, meeting_document, minutes_document
from baocao.meetings.models import AgendaItem, Attendee, Opinion
from baocao.meetings.services import attendee_add, conclusion_to_tasks, meeting_create, opinion_add
from baocao.orgunits.choices import UnitKind
from tests.factories import unit
from tests.meetings.conftest import make_meeting

pytestmark = pytest.mark.django_db


def read_docx(content: bytes) -> tuple[str, str]:
    """(header and signature tables' text, body paragraphs' text)."""
    document = docx.Document(io.BytesIO(content))
    tables = "\n".join(cell.text for table in document.tables for row in table.rows for cell in row.cells)
    body = "\n".join(p.text for p in document.paragraphs)
    return tables, body


def test_invitation_docx(seed):
    content, content_type, filename = meeting_document(seed.meeting, "invitation", "docx")
    assert content[:2] == b"PK" and content_type.endswith("wordprocessingml.document")
    assert filename == "giay-moi_STTTT_2022-07-07.docx"
    tables, body = read_docx(content)
    # Header from the regime's outline; a draft to register: number and day blank, the year printed.
    assert "UBND TỈNH BẮC KẠN" in tables and "SỞ THÔNG TIN VÀ\nTRUYỀN THÔNG" in tables
    assert "Số:      /GM-STTTT" in tables and "Bắc Kạn, ngày      tháng      năm 2022" in tables
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in tables
    # Signed by the chair with the position of his title.
    assert "GIÁM ĐỐC\nHà Văn Tiến" in tables and "- Như trên;" in tables and "- Lưu: VT, VP." in tables
    assert "GIẤY MỜI" in body
    assert "Trân trọng kính mời:" in body
    assert "- Đại diện lãnh đạo Phòng Văn hóa và Thông tin các huyện, thành phố;" in body
    assert "- Đại diện lãnh đạo Trung tâm Văn hóa, Thể thao và Truyền thông các huyện, thành phố;" in body
    assert "- Đại diện lãnh đạo các doanh nghiệp bưu chính;" in body
    assert "- Đại diện lãnh đạo các doanh nghiệp viễn thông." in body
    assert "Thời gian: 08 giờ 00 phút, thứ Năm, ngày 07/7/2022." in body
    assert "Địa điểm: Hội trường Sở Thông tin và Truyền thông." in body
    assert "(ông Lô Quang Tuyến, Phó Giám đốc Sở trình bày)" in body
    assert "nghiên cứu trước dự thảo báo cáo" in body and "Trân trọng./." in body


def test_minutes_docx(seed):
    lead = seed.units["offices"][1]
    conclusion = seed.meeting.conclusions.get()
    conclusion_to_tasks(acting_user=seed.compiler, conclusion=conclusion,
                        tasks=[{"lead_unit": lead, "deadline": date(2022, 12, 15)}])
    tables, body = read_docx(meeting_document(seed.meeting, "minutes", "docx")[0])
    assert "Số:      /BB-STTTT" in tables and "UBND TỈNH BẮC KẠN" in tables
    # Signed as Decree 30's minutes are: the secretary on the left, the chair on the right, and
    # "Nơi nhận" under them.
    assert "THƯ KÝ\nBế Thị Thanh Hoài\nCHỦ TRÌ\nHà Văn Tiến\nNơi nhận:" in tables
    assert "BIÊN BẢN" in body
    assert "Chủ trì: Ông Hà Văn Tiến, Giám đốc Sở Thông tin và Truyền thông." in body
    assert "Thư ký: Bế Thị Thanh Hoài (Sở Thông tin và Truyền thông tỉnh Bắc Kạn)." in body
    assert "- Đại diện lãnh đạo các doanh nghiệp viễn thông." in body
    assert "1. Ông Lô Quang Tuyến, Phó Giám đốc Sở trình bày dự thảo Báo cáo" in body
    assert "(báo cáo tổng hợp kỳ 2022S1, phiên bản 1)" in body
    assert ("Bà Hoàng Thị Lan, Trưởng phòng (Phòng Văn hóa và Thông tin huyện Ba Bể) phát biểu về nâng cấp đài "
            "truyền thanh cấp xã: Đề nghị Sở hỗ trợ nâng cấp") in body
    assert "1. Biểu dương những nỗ lực" in body
    # A task titled by the conclusion itself; its deadline the documents' way (day padded, month not).
    assert ("Giao nhiệm vụ:\n- Thực hiện nội dung kết luận trên (chủ trì: Phòng Văn hóa và Thông tin huyện Ba Bể; "
            "hạn: 15/12/2022).") in body
    for heading in ("I. NỘI DUNG HỘI NGHỊ", "II. Ý KIẾN THẢO LUẬN", "III. KẾT LUẬN CỦA CHỦ TRÌ HỘI NGHỊ"):
        assert heading in body


def test_one_opinion_per_paragraph(seed):
    opinion_add(acting_user=seed.compiler, meeting=seed.meeting, unit=seed.units["telecoms"][1],
                summary="Đề nghị hỗ trợ thủ tục cấp phép xây dựng trạm BTS.")
    opinion_add(acting_user=seed.compiler, meeting=seed.meeting, speaker_name="Bà Nguyễn Ngọc Anh",
                speaker_title="Giám đốc Trung tâm", summary="Thống nhất với dự thảo báo cáo.")
    _, body = read_docx(meeting_document(seed.meeting, "minutes", "docx")[0])
    lines = body.split("\n")
    start = lines.index("II. Ý KIẾN THẢO LUẬN")
    assert lines[start + 1].startswith("Bà Hoàng Thị Lan")
    assert lines[start + 2] == "Đại diện Viettel Bắc Kạn: Đề nghị hỗ trợ thủ tục cấp phép xây dựng trạm BTS."
    assert lines[start + 3] == "Bà Nguyễn Ngọc Anh, Giám đốc Trung tâm: Thống nhất với dự thảo báo cáo."


@pytest.mark.parametrize("kind", ["invitation", "minutes"])
def test_pdf_and_html(seed, kind):
    pdf, content_type, _ = meeting_document(seed.meeting, kind, "pdf")
    assert pdf.startswith(b"%PDF") and content_type == "application/pdf"
    html = meeting_document(seed.meeting, kind, "html")[0].decode()
    assert html.startswith("<!DOCTYPE html>")
    assert ("/GM-STTTT" if kind == "invitation" else "/BB-STTTT") in html


def test_header_from_the_organiser_without_an_outline(world):
    province = world.province
    province.name = "Tỉnh Bắc Kạn"
    province.kind = UnitKind.PROVINCE
    province.save()
    meeting = make_meeting(world)
    attendee_add(acting_user=world.compiler, meeting=meeting, unit=world.unit_a)
    doc = invitation_document(meeting)
    assert doc.header.parent_body == "UBND Tỉnh Bắc Kạn"
    assert doc.header.issuer == "Sở Thông tin và Truyền thông" and doc.header.issuer_code == "DEPT"
    assert doc.header.place == "Bắc Kạn" and doc.header.type_code == "GM" and doc.header.year == 2022
    tables, body = read_docx(meeting_document(meeting, "invitation", "docx")[0])
    assert "UBND TỈNH BẮC KẠN" in tables and "Số:      /GM-DEPT" in tables
    assert "- Đại diện lãnh đạo Phòng Văn hóa và Thông tin huyện An." in body


def test_deputy_chair_signs_for_the_head(world):
    meeting = make_meeting(world, chair_name="Lô Quang Tuyến", chair_title="Phó Giám đốc Sở")
    minutes = minutes_document(meeting, secretary="Nông Thị Hà")
    signature, secretary = minutes.signature, minutes.co_signature
    assert (signature.authority, signature.title, signature.name) == (None, "Chủ trì", "Lô Quang Tuyến")
    assert secretary is not None and (secretary.title, secretary.name) == ("Thư ký", "Nông Thị Hà")
    invitation = invitation_document(meeting).signature
    assert (invitation.authority, invitation.title) == ("KT. Giám đốc", "Phó Giám đốc")
    body = [b.content for b in minutes_document(meeting, secretary="Nông Thị Hà").blocks]
    assert "Thư ký: Nông Thị Hà." in body


def test_unknown_kind_and_format(world):
    meeting = make_meeting(world)
    with pytest.raises(NotFound, match="Không có loại tài liệu «agenda»"):
        meeting_document(meeting, "agenda", "docx")
    with pytest.raises(AppError, match="Bài viết có các định dạng: html, docx"):
        meeting_document(meeting, "article", "pdf")


def test_a_district_meeting_reads_its_committee(world):
    district = unit(name="Huyện Ba Bể", kind=UnitKind.PEOPLES_COMMITTEE, parent=world.province)
    office = unit(code="BB-VHTT", name="Phòng Văn hóa và Thông tin huyện Ba Bể", kind=UnitKind.DISTRICT_OFFICE,
                  parent=district)
    meeting = meeting_create(acting_user=world.admin, organiser=office, title="Hội nghị giao ban",
                             date=date(2022, 7, 1))
    doc = invitation_document(meeting)
    assert doc.header.parent_body == "UBND Huyện Ba Bể" and doc.header.issuer_code == "BB-VHTT"
    assert doc.signature.title == "Thủ trưởng cơ quan"


def test_demo_style_rows(seed):
    """People listed among the attendees (the chair, the presenter), an agenda title that starts
    with its verb, and opinions recorded by unit and title only."""
    m = seed.meeting
    Attendee.objects.create(meeting=m, person_name="Hà Văn Tiến", person_title="Giám đốc Sở Thông tin và Truyền thông",
                            unit=seed.department, order=0)
    Attendee.objects.create(meeting=m, person_name="Nông Văn Hải", person_title="Trưởng phòng",
                            unit=seed.units["offices"][2], order=9)
    AgendaItem.objects.filter(meeting=m).update(title="Thông qua dự thảo Báo cáo sơ kết công tác 6 tháng đầu năm")
    Opinion.objects.create(meeting=m, order=5, unit=seed.units["posts"][0],
                           speaker_title="Đại diện lãnh đạo Bưu điện tỉnh Bắc Kạn", summary="Thống nhất với dự thảo.")
    _, invitation = read_docx(meeting_document(m, "invitation", "docx")[0])
    assert "Hà Văn Tiến" not in invitation  # he signs it
    assert "- Ông Nông Văn Hải, Trưởng phòng (Phòng Văn hóa và Thông tin huyện Na Rì)." in invitation
    assert "- Thông qua dự thảo Báo cáo sơ kết công tác 6 tháng đầu năm (ông Lô Quang Tuyến, Phó Giám đốc Sở)." \
        in invitation
    _, minutes = read_docx(meeting_document(m, "minutes", "docx")[0])
    assert "- Ông Hà Văn Tiến, Giám đốc Sở Thông tin và Truyền thông;" in minutes
    assert ("1. Ông Lô Quang Tuyến, Phó Giám đốc Sở thông qua dự thảo Báo cáo sơ kết công tác 6 tháng đầu năm "
            "(báo cáo tổng hợp kỳ 2022S1, phiên bản 1).") in minutes
    assert "Đại diện lãnh đạo Bưu điện tỉnh Bắc Kạn: Thống nhất với dự thảo." in minutes
    article = compose_article(m)
    assert "Tham dự Hội nghị có ông Nông Văn Hải, Trưởng phòng, Phòng Văn hóa và Thông tin huyện Na Rì; đại " \
           "diện lãnh đạo Phòng Văn hóa và Thông tin, Trung tâm" in article["lead"]
    assert "Tại Hội nghị, ông Lô Quang Tuyến, Phó Giám đốc Sở đã thông qua dự thảo Báo cáo sơ kết" in \
        article["presenter"]


def test_minutes_with_the_recorded_secretary_and_tasks_in_full(seed):
    """The secretary recorded on the meeting signs; each task has its content, lead unit, the units
    it works with and its deadline, written the documents' way (day padded below 10, month padded
    only for January and February)."""
    from baocao.meetings.services import meeting_update

    meeting = seed.meeting
    meeting_update(acting_user=seed.compiler, meeting=meeting, secretary_name="Bế Thị Thanh Hoài",
                   secretary_title="Chuyên viên Văn phòng Sở")
    offices, centres = seed.units["offices"], seed.units["centres"]
    conclusion = meeting.conclusions.get()
    conclusion_to_tasks(acting_user=seed.compiler, conclusion=conclusion, tasks=[
        {"title": "Nâng cấp đài truyền thanh cấp xã", "lead_unit": offices[1], "cooperating_units": [centres[1]],
         "deadline": date(2023, 2, 5)},
        {"title": "Tập huấn biên tập tin bài", "lead_unit": centres[2], "deadline": date(2022, 9, 30)},
    ])
    tables, body = read_docx(meeting_document(meeting, "minutes", "docx")[0])
    assert "Thư ký: Bà Bế Thị Thanh Hoài, Chuyên viên Văn phòng Sở." in body
    assert "THƯ KÝ\nBế Thị Thanh Hoài\nCHỦ TRÌ\nHà Văn Tiến" in tables
    assert ("Giao nhiệm vụ:\n"
            "- Nâng cấp đài truyền thanh cấp xã (chủ trì: Phòng Văn hóa và Thông tin huyện Ba Bể; phối hợp: Trung "
            "tâm Văn hóa, Thể thao và Truyền thông huyện Ba Bể; hạn: 05/02/2023);\n"
            "- Tập huấn biên tập tin bài (chủ trì: Trung tâm Văn hóa, Thể thao và Truyền thông huyện Na Rì; hạn: "
            "30/9/2022).") in body
    assert "minh họa" not in body and "minh họa" not in tables
