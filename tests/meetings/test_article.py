"""The draft news article, on a conference built like the seed's of 07/7/2022: every fact the seed
states (the date, the organiser, the attending groups, the chair and the presenter with their
titles, the sector highlights of the presented report, the discussion, the conclusion, photo
captions, the author and the update line) appears in the HTML and in the DOCX; edited parts
replace composed ones; the wording helpers."""

from __future__ import annotations

import html
import io
import re
from datetime import date

import docx
import pytest

from baocao.meetings.article import (
    ARTICLE_PARTS,
    article_docx,
    article_html,
    attendance,
    compose_article,
    honorific,
    lower_first,
    person,
    sector_intro,
    signer_position,
    text_date,
)
from baocao.meetings.services import meeting_article_save

pytestmark = pytest.mark.django_db

UPDATED_ON = date(2022, 7, 12)

SEED_FACTS = (
    # title, update line, author
    "Sở TTTT tổ chức Hội nghị sơ kết công tác Thông tin và Truyền thông 6 tháng đầu năm",
    "Cập nhật lúc: 12/07/2022",
    "Bế Thị Thanh Hoài",
    # lead: the date, the organiser, who attended, who chaired
    "Ngày 07/7/2022, Sở Thông tin và Truyền thông tỉnh Bắc Kạn đã tổ chức Hội nghị sơ kết",
    "đại diện lãnh đạo Phòng Văn hóa và Thông tin, Trung tâm Văn hóa, Thể thao và Truyền thông các huyện, "
    "thành phố",
    "đại diện lãnh đạo các doanh nghiệp bưu chính, viễn thông",
    "Ông Hà Văn Tiến, Giám đốc Sở Thông tin và Truyền thông chủ trì Hội nghị.",
    # the presenter of the draft report
    "Tại Hội nghị, ông Lô Quang Tuyến, Phó Giám đốc Sở đã trình bày dự thảo Báo cáo",
    # the sector highlights of the presented report version
    "Về lĩnh vực thông tin – báo chí – xuất bản, tham mưu UBND tỉnh ban hành Kế hoạch hoạt động Thông tin "
    "đối ngoại tỉnh Bắc Kạn năm 2022.",
    "tin, bài đăng trên Cổng Thông tin điện tử tỉnh: 1.250 tin",
    "Về lĩnh vực bưu chính – viễn thông, chỉ đạo các doanh nghiệp bưu chính, viễn thông bảo đảm thông tin liên "
    "lạc thông suốt.",
    "diễn tập xe thông tin chuyên dùng năm 2022",
    "Về lĩnh vực công nghệ thông tin (chuyển đổi số), tham mưu triển khai Đề án tổng thể chuyển đổi số",
    "Tổ Công nghệ số cộng đồng",
    "Về công tác thanh tra, kiểm tra, giải quyết khiếu nại, tố cáo, tiếp nhận, giải quyết 02 đơn kiến nghị",
    "cuộc thanh tra việc chấp hành pháp luật về bưu chính: 01 cuộc",
    # the discussion and the chair's conclusion
    "Hội nghị đã nghe 01 ý kiến trao đổi, thảo luận của đại biểu Phòng Văn hóa và Thông tin huyện Ba Bể về nâng "
    "cấp đài truyền thanh cấp xã.",
    "Phát biểu kết luận Hội nghị, ông Hà Văn Tiến, Giám đốc Sở Thông tin và Truyền thông nêu rõ: biểu dương "
    "những nỗ lực, kết quả quan trọng của ngành thông tin và truyền thông trong 6 tháng đầu năm",
    "tập trung thực hiện các nhiệm vụ trọng tâm 6 tháng cuối năm 2022",
    # photo caption placeholders
    "[Ảnh: Ông Hà Văn Tiến – Giám đốc Sở Thông tin và Truyền thông phát biểu chỉ đạo Hội nghị]",
    "[Ảnh: Ông Lô Quang Tuyến – Phó Giám đốc Sở trình bày dự thảo báo cáo]",
    "[Ảnh: Đại biểu phát biểu ý kiến tại Hội nghị]",
)


def html_text(page: str) -> str:
    text = html.unescape(re.sub(r"<[^>]+>", "\n", page))
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


def docx_text(content: bytes) -> str:
    return "\n".join(p.text for p in docx.Document(io.BytesIO(content)).paragraphs)


@pytest.fixture
def article(seed) -> dict[str, str]:
    return compose_article(seed.meeting, on=UPDATED_ON)


def test_parts(article):
    assert tuple(article) == ARTICLE_PARTS
    assert article["updated"] == "Cập nhật lúc: 12/07/2022"
    assert len(article["sectors"].split("\n\n")) == 4


@pytest.mark.parametrize("fact", SEED_FACTS)
def test_each_seed_fact_in_the_html(article, fact):
    page = article_html(article)
    assert page.startswith("<!DOCTYPE html>") and '<html lang="vi">' in page
    assert fact in html_text(page)


@pytest.mark.parametrize("fact", SEED_FACTS)
def test_each_seed_fact_in_the_docx(article, fact):
    assert fact in docx_text(article_docx(article))


def test_html_layout(article):
    page = article_html(article)
    assert f"<h1 class=\"news-title\">{article['title']}</h1>" in page
    assert '<p class="updated">(Cập nhật lúc: 12/07/2022)</p>' in page
    assert page.count('<p class="photo">') == 4 and '<p class="author">Bế Thị Thanh Hoài</p>' in page
    # The chair's photo comes after the lead, before the presenter's paragraph.
    assert page.index("chủ trì Hội nghị.") < page.index("phát biểu chỉ đạo") < page.index("Tại Hội nghị, ông")


def test_docx_layout(article):
    document = docx.Document(io.BytesIO(article_docx(article)))
    paragraphs = document.paragraphs
    title = paragraphs[0]
    assert title.text == article["title"] and title.runs[0].bold and title.runs[0].font.size.pt == 16
    assert paragraphs[1].text == "(Cập nhật lúc: 12/07/2022)" and paragraphs[1].runs[0].italic
    assert document.styles["Normal"].font.name == "Times New Roman"
    assert document.styles["Normal"].font.size.pt == 14
    body = [p for p in paragraphs if p.text.startswith("Về lĩnh vực")]
    assert len(body) == 3 and all(p.runs[0].font.size.pt == 14 for p in body)
    captions = [p for p in paragraphs if p.text.startswith("[Ảnh:")]
    assert len(captions) == 4 and all(p.runs[0].italic for p in captions)
    assert paragraphs[-1].text == "Bế Thị Thanh Hoài" and paragraphs[-1].runs[0].bold


def test_edits_replace_composed_parts_in_both_formats(seed):
    meeting_article_save(acting_user=seed.compiler, meeting=seed.meeting, parts={
        "title": "Sở Thông tin và Truyền thông sơ kết công tác 6 tháng đầu năm 2022",
        "photos": "[Ảnh: Toàn cảnh Hội nghị]",
    })
    seed.meeting.refresh_from_db()
    article = compose_article(seed.meeting, on=UPDATED_ON)
    assert article["title"] == "Sở Thông tin và Truyền thông sơ kết công tác 6 tháng đầu năm 2022"
    for text in (html_text(article_html(article)), docx_text(article_docx(article))):
        assert "Sở Thông tin và Truyền thông sơ kết công tác 6 tháng đầu năm 2022" in text
        assert "[Ảnh: Toàn cảnh Hội nghị]" in text and "phát biểu chỉ đạo Hội nghị]" not in text
        assert "Ông Hà Văn Tiến, Giám đốc Sở Thông tin và Truyền thông chủ trì Hội nghị." in text


def test_the_compilers_edit_of_a_report_part_is_what_the_article_quotes(seed):
    """The edited part is quoted; what it says a unit did stays that unit's, what it says without
    naming a unit is the department's; at most SECTOR_SENTENCES sentences a section."""
    version = seed.version
    version.edits = {
        "section:II": "Phòng Văn hóa và Thông tin huyện Ba Bể: Duy trì 100% thôn có sóng di động. Câu thứ hai.",
        "section:III": " ".join(f"Câu thứ {n}." for n in range(1, 11)),
    }
    version.save()
    sectors = compose_article(seed.meeting)["sectors"]
    assert ("Về lĩnh vực bưu chính – viễn thông, Phòng Văn hóa và Thông tin huyện Ba Bể duy trì 100% thôn có "
            "sóng di động. Câu thứ hai.") in sectors
    assert "Về lĩnh vực công nghệ thông tin (chuyển đổi số), câu thứ 1. Câu thứ 2." in sectors
    assert "Câu thứ 8." in sectors and "Câu thứ 9" not in sectors


def test_a_meeting_without_report_or_opinions(world):
    from tests.meetings.conftest import make_meeting

    meeting = make_meeting(world, chair_name="", chair_title="")
    article = compose_article(meeting, on=date(2022, 7, 7))
    assert article["lead"] == (f"Ngày 07/7/2022, {world.department.name} đã tổ chức Hội nghị sơ kết công tác 6 "
                               "tháng đầu năm 2022.")
    assert article["presenter"] == article["sectors"] == article["discussion"] == article["conclusion"] == ""
    assert article["photos"] == "[Ảnh: Quang cảnh Hội nghị]"
    assert "Ngày 07/7/2022" in html_text(article_html(article))


# Wording helpers (no database needed) ---------------------------------------------------------


@pytest.mark.parametrize("name,expected", [
    ("Hà Văn Tiến", "ông"), ("Bế Thị Thanh Hoài", "bà"), ("Bà Nguyễn Ngọc Anh", "bà"),
    ("Ông Lô Quang Tuyến", "ông"), ("Đồng chí Hà Văn Tiến", "đồng chí"),
])
def test_honorific(name, expected):
    assert honorific(name) == expected


def test_person_and_positions():
    assert person("Hà Văn Tiến", "Giám đốc Sở", capital=True) == "Ông Hà Văn Tiến, Giám đốc Sở"
    assert person("Bà Nguyễn Ngọc Anh") == "bà Nguyễn Ngọc Anh"
    assert signer_position("Phó Giám đốc Sở Thông tin và Truyền thông") == "Phó Giám đốc"
    assert signer_position("Chánh Văn phòng Sở") == "Chánh Văn phòng"
    assert signer_position("Bí thư Đoàn thanh niên") == "Bí thư"
    assert signer_position("Kế toán trưởng") == "Kế toán trưởng"


def test_dates_and_cases():
    assert text_date(date(2022, 7, 7)) == "07/7/2022"
    assert text_date(date(2022, 2, 15)) == "15/02/2022"
    assert lower_first("Tham mưu UBND tỉnh") == "tham mưu UBND tỉnh"
    assert lower_first("UBND tỉnh ban hành") == "UBND tỉnh ban hành"
    assert lower_first("Sở bám sát tình hình") == "Sở bám sát tình hình"
    assert lower_first("Tổ Công nghệ số cộng đồng đã thành lập") == "Tổ Công nghệ số cộng đồng đã thành lập"
    assert lower_first("Tin, bài đăng trên Cổng Thông tin điện tử") == "tin, bài đăng trên Cổng Thông tin điện tử"


@pytest.mark.parametrize("heading,expected", [
    ("Thông tin – Báo chí – Xuất bản", "Về lĩnh vực thông tin – báo chí – xuất bản"),
    ("Thanh tra, kiểm tra, giải quyết khiếu nại, tố cáo", "Về công tác thanh tra, kiểm tra, giải quyết khiếu nại, tố cáo"),
    ("Quản lý nhà nước về thông tin và truyền thông tại các huyện, thành phố",
     "Về công tác quản lý nhà nước về thông tin và truyền thông tại các huyện, thành phố"),
    ("Công tác cải cách hành chính", "Về công tác cải cách hành chính"),
])
def test_sector_intro(heading, expected):
    assert sector_intro(heading) == expected


def test_attendance_of_single_units_and_people(seed):
    from baocao.meetings.models import Attendee

    offices = seed.units["offices"]
    centres = seed.units["centres"]
    rows = [Attendee(person_name="Nguyễn Văn Bình", person_title="Phó Chủ tịch UBND tỉnh"),
            Attendee(unit=offices[1]), Attendee(unit=centres[1]), Attendee(unit=offices[2]),
            Attendee(unit=seed.units["telecoms"][1])]
    assert attendance(rows, date(2022, 7, 7)) == (
        "ông Nguyễn Văn Bình, Phó Chủ tịch UBND tỉnh; "
        "đại diện lãnh đạo Phòng Văn hóa và Thông tin, Trung tâm Văn hóa, Thể thao và Truyền thông huyện Ba Bể; "
        "đại diện lãnh đạo Phòng Văn hóa và Thông tin huyện Na Rì; đại diện lãnh đạo Viettel Bắc Kạn"
    )


def test_sector_sentences_are_joined_cleanly(seed):
    """A narrative keeps the semicolons it was written with, its last piece ends with a full stop,
    and a sentence after a full stop starts with a capital: never ";." or ". rà soát"."""
    version = seed.version
    version.edits = {"section:I": "Sở chủ động cung cấp thông tin cho báo chí; rà soát các trang thông tin điện tử;\n\n"
                                  "cập nhật tin bài hằng ngày"}
    version.save()
    sectors = compose_article(seed.meeting)["sectors"]
    assert ("Về lĩnh vực thông tin – báo chí – xuất bản, Sở chủ động cung cấp thông tin cho báo chí; rà soát các "
            "trang thông tin điện tử. Cập nhật tin bài hằng ngày. Về số liệu,") in sectors
    assert ";." not in sectors
