"""Acceptance of issue 3 on the demo: the approved 2022S1 report of STTTT as a Word file, read back
with python-docx (Decree 30/2020/NĐ-CP, Appendix I) and printed by LibreOffice."""

from __future__ import annotations

import io
import os
import re
import tempfile
from datetime import date
from pathlib import Path

import docx
import pytest
from django.db import transaction
from django.test import override_settings
from docx.enum.text import WD_ALIGN_PARAGRAPH

from baocao.accounts.models import User
from baocao.consolidation.exports import export_version
from baocao.consolidation.services import consolidated_report_approve, consolidated_report_build
from baocao.orgunits.models import OrgUnit
from baocao.reporting.models import ReportingRegime
from tests.demo_data import demo_restore
from tests.documents.printing import broken_words, docx_vocabulary
from tests.documents.samples import ARTIFACTS
from tests.documents.test_docx import _all, _lines, _none, _sizes
from tests.documents.test_html_pdf import _page_text, _pdf_pages, _run, _tool

SECTOR_HEADINGS = [
    "THÔNG TIN – BÁO CHÍ – XUẤT BẢN",
    "BƯU CHÍNH – VIỄN THÔNG",
    "CÔNG NGHỆ THÔNG TIN",
    "THANH TRA, KIỂM TRA, GIẢI QUYẾT KHIẾU NẠI, TỐ CÁO",
    "HUYỆN, THÀNH PHỐ",
]


@pytest.fixture(scope="module")
def approved_docx(django_db_setup, django_db_blocker) -> bytes:
    """The demo's 2022S1 report recomputed by the compiler and approved by the leader on 05/7/2022; the
    department's register already counts four reports that year, so it is number 05."""
    fast = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock(), fast, transaction.atomic():
        demo_restore()
        regime = ReportingRegime.objects.get(code="BC-TTTT")
        unit = OrgUnit.objects.get(code="STTTT")
        version = consolidated_report_build(regime=regime, period="2022S1", unit=unit,
                                            acting_user=User.objects.get(username="tonghop"))
        version = consolidated_report_approve(version=version, acting_user=User.objects.get(username="lanhdao"),
                                              issued_on=date(2022, 7, 5))
        content, _, _ = export_version(report=version.report, version=version, fmt="docx")
        transaction.set_rollback(True)
    return content


@pytest.fixture(scope="module")
def document(approved_docx):
    return docx.Document(io.BytesIO(approved_docx))


def body_texts(document) -> list[str]:
    return [p.text for p in document.paragraphs if p.text.strip()]


def test_page_and_margins(document):
    """Decree 30/2020/NĐ-CP, Appendix I: A4 portrait, margins within the allowed ranges."""
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert 20 <= round(section.top_margin.mm) <= 25 and 20 <= round(section.bottom_margin.mm) <= 25
    assert 30 <= round(section.left_margin.mm) <= 35 and 15 <= round(section.right_margin.mm) <= 20
    assert document.styles["Normal"].font.name == "Times New Roman"


def test_header_elements(document):
    """Appendix I: parent body 13 pt, issuer 13 pt bold, number 13 pt; national title 12 pt bold,
    motto 13 pt bold, place and date 14 pt italic; the number from the unit's register."""
    header = document.tables[0]
    parent, issuer, _rule = header.cell(0, 0).paragraphs
    assert parent.text == "UBND TỈNH BẮC KẠN" and _sizes(parent) == {13} and _none(parent, "bold")
    assert " ".join(_lines(issuer)) == "SỞ THÔNG TIN VÀ TRUYỀN THÔNG" and _sizes(issuer) == {13}
    assert _all(issuer, "bold")
    (number,) = header.cell(1, 0).paragraphs
    assert number.text == "Số: 05/BC-STTTT" and _sizes(number) == {13}
    title, motto, _ = header.cell(0, 1).paragraphs
    assert title.text == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" and _sizes(title) == {12} and _all(title, "bold")
    assert motto.text == "Độc lập - Tự do - Hạnh phúc" and _sizes(motto) == {13} and _all(motto, "bold")
    (place_date,) = header.cell(1, 1).paragraphs
    assert place_date.text == "Bắc Kạn, ngày 05 tháng 7 năm 2022"
    assert _sizes(place_date) == {14} and _all(place_date, "italic")
    kind = next(p for p in document.paragraphs if p.text == "BÁO CÁO")
    assert kind.alignment == WD_ALIGN_PARAGRAPH.CENTER and _all(kind, "bold") and _sizes(kind) == {14}


def test_the_seed_five_sector_parts_in_order_then_the_closing_parts(document):
    texts = body_texts(document)
    positions = []
    for heading in SECTOR_HEADINGS:
        found = [i for i, t in enumerate(texts) if re.match(r"^[IVX]+\. ", t) and heading in t]
        assert found, heading
        positions.append(found[0])
    assert positions == sorted(positions)
    closing = [i for i, t in enumerate(texts) if t.endswith(("KHÓ KHĂN, VƯỚNG MẮC", "ĐỀ XUẤT, KIẾN NGHỊ"))]
    assert closing and min(closing) > positions[-1]


def test_inspection_figures_exactly_as_the_seed_and_compared_with_2021s1(document):
    """The seed: 01 inspection of postal and courier law; 02 citizen petitions received and resolved;
    no administrative sanction."""
    texts = body_texts(document)
    assert any(re.match(r"Cuộc thanh tra: 01 cuộc, .*so với 6 tháng đầu năm 2021\.", t) for t in texts)
    assert any(re.search(r"tiếp nhận: 02 đơn\b", t) for t in texts)
    assert any(re.match(r"Đơn đã giải quyết: 02 đơn\b", t) for t in texts)
    assert any(t.startswith("Quyết định xử phạt vi phạm hành chính: không phát sinh") for t in texts)


def test_table_by_district_with_total(document):
    district_tables = [t for t in document.tables[1:]
                       if sum("huyện" in row.cells[0].text or "thành phố" in row.cells[0].text
                              for row in t.rows) >= 8]
    assert district_tables, "no table with a row per district"
    last_row = district_tables[0].rows[-1]
    assert last_row.cells[0].text == "Tổng cộng"


def test_ends_with_recipients_and_signature(document):
    final = document.tables[-1]
    left, right = final.cell(0, 0).text, final.cell(0, 1).text
    assert left.startswith("Nơi nhận:") and left.rstrip().endswith("- Lưu: VT, VP.")
    assert "KT. GIÁM ĐỐC" in right and "PHÓ GIÁM ĐỐC" in right and "Lô Quang Tuyến" in right


def test_libreoffice_prints_it(approved_docx):
    """The Word file opens and prints in LibreOffice; the first page is saved as a test artefact."""
    soffice = _tool("soffice")
    with tempfile.TemporaryDirectory(prefix="baocao-demo-report-") as tmp:
        folder = Path(tmp)
        source = folder / "BC-TTTT_2022S1.docx"
        source.write_bytes(approved_docx)
        _run(soffice, f"-env:UserInstallation={(folder / 'profile').as_uri()}", "--headless", "--norestore",
             "--convert-to", "pdf", "--outdir", str(folder), str(source), timeout=120,
             env={**os.environ, "HOME": str(folder)})
        pdf = source.with_suffix(".pdf")
        assert pdf.exists()
        assert _pdf_pages(pdf) >= 3
        first = "\n".join(_page_text(pdf, 1))
        assert "Số: 05/BC-STTTT" in first and "BÁO CÁO" in first
        assert _page_text(pdf, 2)[0] == "2"
        # No word of a table cell (or anywhere) is broken across lines: "Trạ/m", "31/0/5/2022".
        broken = broken_words(pdf, docx_vocabulary(approved_docx))
        assert not broken, [word.text for word in broken]
        # The signature block is not alone on its page: text comes before it, after the page number.
        last = _page_text(pdf, _pdf_pages(pdf))
        assert next(i for i, line in enumerate(last) if line.startswith("Nơi nhận:")) > 1, last
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        target = ARTIFACTS / "demo_report_2022S1_page1"
        _run(_tool("pdftoppm"), "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(target))
        assert target.with_suffix(".png").read_bytes().startswith(b"\x89PNG")


# --- Issue 12: the shape of a "báo cáo sơ kết" ------------------------------------------------------


def _body(document) -> list[str]:
    """The body between the title and the signature block (paragraphs outside tables)."""
    texts = body_texts(document)
    return texts[texts.index("BÁO CÁO") + 2:]


def test_title_speaks_of_the_second_half(document):
    texts = body_texts(document)
    title = texts[texts.index("BÁO CÁO") + 1]
    assert " ".join(title.split()) == ("Kết quả công tác thông tin và truyền thông 6 tháng đầu năm 2022 và phương "
                                       "hướng, nhiệm vụ 6 tháng cuối năm 2022")


def test_opening_cites_the_basis_once_and_the_status_is_said_once(document):
    body = _body(document)
    assert body[0] == (
        "Căn cứ Nghị định số 09/2019/NĐ-CP ngày 24/01/2019 của Chính phủ quy định về chế độ báo cáo của cơ quan "
        "hành chính nhà nước; chức năng, nhiệm vụ của Sở Thông tin và Truyền thông tỉnh Bắc Kạn, Sở Thông tin và "
        "Truyền thông tỉnh Bắc Kạn báo cáo kết quả công tác thông tin và truyền thông 6 tháng đầu năm 2022 và "
        "phương hướng, nhiệm vụ 6 tháng cuối năm 2022 (số liệu tính từ ngày 15/12/2021 đến ngày 14/6/2022) như sau:"
    )
    assert body[1] == "Đã có 25/25 đơn vị gửi báo cáo đúng hạn và được duyệt."
    everything = "\n".join(body)
    assert everything.count("25/25") == 1 and "Tất cả" not in everything


def test_assessment_between_the_tasks_and_the_difficulties(document):
    body = _body(document)
    headings = [t for t in body if re.match(r"^[IVX]+\. ", t)]
    order = [next(i for i, h in enumerate(headings) if key in h)
             for key in ("TÌNH HÌNH THỰC HIỆN NHIỆM VỤ", "ĐÁNH GIÁ CHUNG", "KHÓ KHĂN, VƯỚNG MẮC",
                         "PHƯƠNG HƯỚNG, NHIỆM VỤ 6 THÁNG CUỐI NĂM 2022", "ĐỀ XUẤT, KIẾN NGHỊ")]
    assert order == sorted(order) and order == list(range(order[0], order[0] + 5))  # consecutive numbers
    start = body.index(next(h for h in headings if "ĐÁNH GIÁ CHUNG" in h))
    end = body.index(next(h for h in headings if "KHÓ KHĂN" in h))
    difficulties = next(h for h in headings if "KHÓ KHĂN" in h).split(".")[0]
    assert body[start + 1:end] == [
        "1. Ưu điểm",
        "Tăng nhiều nhất so với 6 tháng đầu năm 2021 là trường học, bệnh viện chấp nhận thanh toán không dùng tiền "
        "mặt (38 cơ sở, tăng 322,2%); đài truyền thanh cấp xã ứng dụng công nghệ thông tin – viễn thông (56 đài, "
        "tăng 133,3%); cuộc diễn tập bảo đảm thông tin liên lạc (04 cuộc, tăng 100%).",
        "Các đơn vị chấp hành tốt chế độ báo cáo, gửi báo cáo đầy đủ, đúng hạn.",
        "Các vụ việc thanh tra, kiểm tra, giải quyết đơn thư trong kỳ được xử lý trong thời hạn theo quy định.",
        "2. Hạn chế, nguyên nhân",
        "Giảm nhiều nhất so với 6 tháng đầu năm 2021 là đài truyền thanh cấp xã được đầu tư, nâng cấp (17 đài, giảm "
        "19,1%); tin, bài đăng trên Cổng Thông tin điện tử huyện, thành phố (2.875 tin, giảm 14,7%); giấy phép xuất "
        "bản tài liệu không kinh doanh đã cấp (19 giấy phép, giảm 13,6%).",
        "Còn 01 nhiệm vụ quá hạn, trong đó có nhiệm vụ trọng tâm: hướng dẫn doanh nghiệp tự đánh giá mức độ chuyển "
        "đổi số (DBI), hạn 31/5/2022.",
        f"Thanh tra Sở còn gặp khó khăn, vướng mắc trong quá trình thực hiện nhiệm vụ, được nêu cụ thể tại Mục "
        f"{difficulties}.",
    ]
    subheading = next(p for p in document.paragraphs if p.text == "1. Ưu điểm")
    assert _all(subheading, "bold")


def test_next_period_from_plans_and_the_conference_conclusions(document):
    body = _body(document)
    start = next(i for i, t in enumerate(body) if t.endswith("PHƯƠNG HƯỚNG, NHIỆM VỤ 6 THÁNG CUỐI NĂM 2022"))
    end = next(i for i, t in enumerate(body) if t.endswith("ĐỀ XUẤT, KIẾN NGHỊ"))
    part = body[start + 1:end]
    assert part[0].startswith("Thanh tra Sở: Tiếp tục thanh tra, kiểm tra theo kế hoạch năm 2022")
    assert part[1] == "Tiếp tục thực hiện các nhiệm vụ theo kế hoạch, chương trình, đề án đã ban hành:"
    assert ("- Kế hoạch hoạt động Thông tin đối ngoại tỉnh Bắc Kạn năm 2022: phối hợp Hội Nhà báo tỉnh tổ chức Giải "
            "báo chí về Thông tin đối ngoại tỉnh Bắc Kạn (chủ trì: Phòng Thông tin – Báo chí – Xuất bản; hạn: "
            "30/11/2022).") in part
    conclusion = part.index("Thực hiện kết luận của Hội nghị sơ kết công tác thông tin và truyền thông 6 tháng đầu "
                            "năm và triển khai nhiệm vụ 6 tháng cuối năm 2022 ngày 07/7/2022:")
    assert part[conclusion + 1:] == [
        "- Bảo đảm thông tin liên lạc phục vụ phòng, chống thiên tai và các sự kiện lớn của tỉnh (chủ trì: Phòng "
        "Bưu chính – Viễn thông; hạn: 10/12/2022).",
        "- Mở rộng thí điểm Tổ Công nghệ số cộng đồng ra các thôn còn lại (chủ trì: Phòng Công nghệ thông tin; hạn: "
        "10/12/2022).",
        "- Nâng cấp hệ thống đài truyền thanh cấp xã ứng dụng công nghệ thông tin – viễn thông (chủ trì: Phòng Văn "
        "hóa và Thông tin huyện Ba Bể; hạn: 10/12/2022).",
    ]


def test_the_body_ends_with_the_closing_paragraph(document):
    assert _body(document)[-1] == (
        "Trên đây là báo cáo kết quả công tác thông tin và truyền thông 6 tháng đầu năm 2022 và phương hướng, nhiệm "
        "vụ 6 tháng cuối năm 2022 của Sở Thông tin và Truyền thông tỉnh Bắc Kạn./.")


def test_one_date_style_and_no_00_in_the_document(document):
    body = "\n".join(_body(document))
    cells = "\n".join(cell.text for table in document.tables[1:-1] for row in table.rows for cell in row.cells)
    for text in (body, cells):
        assert not re.search(r"\b\d{2}/0[3-9]/\d{4}\b", text), "a month padded that Decree 30 does not pad"
        assert not re.search(r"(?<![\d.,/])00(?![\d.,/])", text)
    assert "Cuộc kiểm tra: không phát sinh, cùng kỳ 02 cuộc." in body
    assert "21/02/2022" in cells and "11/4/2022" in cells  # the case table's days
