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
from baocao.demo.loader import demo_load
from baocao.orgunits.models import OrgUnit
from baocao.reporting.models import ReportingRegime
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
        demo_load()
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
