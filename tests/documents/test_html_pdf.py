"""HTML and PDF layouts, and the DOCX as LibreOffice prints it (Decree 30/2020/NĐ-CP, Appendix I).

The print checks need LibreOffice (soffice) and poppler-utils (pdftoppm, pdftotext, pdfinfo,
pdffonts); without them they skip, unless BAOCAO_REQUIRE_OFFICE is set (CI), where they fail.
First pages are saved as PNG in test-artifacts/documents/ for a person to look at.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import replace
from pathlib import Path

import pytest
from django.utils import translation

from baocao.documents.docx_render import render_docx
from baocao.documents.html_render import render_html
from baocao.documents.pdf_render import render_pdf
from tests.documents.samples import HEADINGS, SUMMARY, sample_document, sample_header

OFFICE_REQUIRED = bool(os.environ.get("BAOCAO_REQUIRE_OFFICE"))
# Times New Roman or a metric-compatible stand-in with every Vietnamese letter.
SERIF_FONT = re.compile(
    r"^(?:[A-Z]{6}\+)?(?:Liberation-?Serif|Times-?New-?Roman|TimesNewRoman(?:PS)?|Tinos)", re.I
)


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        message = (
            f"{name} is not installed (apt-get install libreoffice-writer poppler-utils fonts-liberation2)"
        )
        if OFFICE_REQUIRED:
            pytest.fail(message)
        pytest.skip(message)
    return path


def _run(*args: str, timeout: int = 60, **kwargs) -> str:
    result = subprocess.run(args, capture_output=True, text=True, timeout=timeout, check=False, **kwargs)
    assert result.returncode == 0, f"{args[0]} failed ({result.returncode}): {result.stderr or result.stdout}"
    return result.stdout


def _pdf_pages(pdf: Path) -> int:
    info = _run(_tool("pdfinfo"), str(pdf))
    assert re.search(r"Page size:\s+595\.\d+ x 841\.\d+ pts", info), info  # A4 portrait
    return int(re.search(r"Pages:\s+(\d+)", info).group(1))


def _page_text(pdf: Path, page: int) -> list[str]:
    text = _run(_tool("pdftotext"), "-f", str(page), "-l", str(page), str(pdf), "-")
    return [line.strip() for line in text.splitlines() if line.strip()]


def _check_print(pdf: Path, artifact: Path) -> None:
    """Shared checks of a printed report: A4, fonts, texts, page numbers from page 2; saves page 1."""
    assert _pdf_pages(pdf) >= 2
    fonts = _run(_tool("pdffonts"), str(pdf)).splitlines()[2:]
    names = [line.split()[0] for line in fonts if line.strip()]
    assert names and all(SERIF_FONT.match(name) for name in names), names

    first = _page_text(pdf, 1)
    joined = "\n".join(first)
    for text in (
        "UBND TỈNH BẮC KẠN",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Số: 05/BC-STTTT",
        "Bắc Kạn, ngày 05 tháng 7 năm 2022",
        "BÁO CÁO",
        HEADINGS[0].upper(),
    ):
        assert text in joined, text
    assert first[0] != "1"  # no page number on page 1
    assert _page_text(pdf, 2)[0] == "2"  # page 2 numbered at the top

    artifact.parent.mkdir(parents=True, exist_ok=True)
    prefix = artifact.with_suffix("")
    _run(_tool("pdftoppm"), "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(prefix))
    assert artifact.read_bytes().startswith(b"\x89PNG")


# --- HTML ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def html(report) -> str:
    return render_html(report)


def test_html_contains_every_part(html):
    """Decree 30/2020/NĐ-CP, Appendix I: every element of the document's format is there."""
    for text in (
        "UBND TỈNH BẮC KẠN",
        "SỞ THÔNG TIN VÀ",
        "TRUYỀN THÔNG",
        "Số: 05/BC-STTTT",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Bắc Kạn, ngày 05 tháng 7 năm 2022",
        ">BÁO CÁO<",
        "Sơ kết công tác thông tin và truyền thông",
        "<strong>1.245 tin, bài</strong>",
        "Thành phố Bắc Kạn",
        "170.082",
        "Nơi nhận:",
        "- Bộ Thông tin và Truyền thông (b/c);",
        "- Lưu: VT, VP.",
        "KT. GIÁM ĐỐC",
        "PHÓ GIÁM ĐỐC",
        "Lô Quang Tuyến",
        'src="data:image/png;base64,iVBORw0KGgo',
    ):
        assert text in html, text
    positions = [html.index(f">{heading.upper()}<") for heading in HEADINGS]
    assert positions == sorted(positions)
    assert " ".join(SUMMARY.split()[:5]) in html


def test_html_page_is_a4_with_decree_margins_and_page_numbers(html):
    """Appendix I: A4, margins 20/15/20/30 mm, Times New Roman, page numbers centred at the top from page 2."""
    assert html.startswith("<!DOCTYPE html>")
    assert "size: 210mm 297mm;" in html
    assert "margin: 20mm 15mm 20mm 30mm;" in html
    assert "@top-center" in html and "counter(page)" in html
    assert re.search(r"@page :first \{\s*@top-center \{ content: none; \}", html)
    assert 'font-family: "Times New Roman", "Liberation Serif", Tinos, serif;' in html
    assert "text-indent: 1.27cm" in html


def test_css_numbers_ignore_the_vietnamese_locale(report):
    # Under "vi" Django writes 1,27 for 1.27: the CSS must not.
    with translation.override("vi"):
        html = render_html(report)
    assert "text-indent: 1.27cm" in html
    assert "1,27cm" not in html


def test_fragment_for_the_preview_page(report):
    fragment = render_html(report, standalone=False)
    assert "<html" not in fragment and "<body" not in fragment and "@page" not in fragment
    assert '<article class="official-document" lang="vi">' in fragment
    assert fragment.lstrip().startswith("<style>")
    # Every rule is scoped to the document, so embedding it leaves the page's own styles alone.
    css = fragment[fragment.index("<style>") + 7 : fragment.index("</style>")]
    selectors = [rule.split("{")[0].strip() for rule in css.split("}") if "{" in rule]
    assert selectors and all(
        all(part.strip().startswith(".official-document") for part in selector.split(","))
        for selector in selectors
    )


def test_html_escapes_text(report):
    doc = replace(report, summary="Báo cáo <script>alert(1)</script> & kiến nghị")
    html = render_html(doc)
    assert "<script>" not in html
    assert "&lt;script&gt;" in html and "&amp; kiến nghị" in html


def test_draft_html(report):
    doc = sample_document(header=sample_header(number=None, date=None), draft_watermark=True)
    html = render_html(doc)
    assert '<p class="od-draft">DỰ THẢO</p>' in html
    assert "Số:      /BC-STTTT" in html
    assert "Bắc Kạn, ngày      tháng      năm 2022" in html


# --- PDF (WeasyPrint) --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def weasy_pdf(report) -> bytes:
    return render_pdf(report)


def test_render_pdf_produces_a_pdf(weasy_pdf):
    assert weasy_pdf.startswith(b"%PDF-")
    assert weasy_pdf.rstrip().endswith(b"%%EOF")


def test_weasyprint_pdf_prints_as_the_decree_says(weasy_pdf, artifacts_dir, tmp_path):
    """Appendix I: A4; Times New Roman metrics; page numbers from page 2. Saves the first page."""
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(weasy_pdf)
    _check_print(pdf, artifacts_dir / "report_weasyprint_page1.png")


# --- DOCX printed by LibreOffice ------------------------------------------------------------------


def test_docx_converts_with_libreoffice(report, artifacts_dir):
    """The DOCX opens and prints in LibreOffice as Decree 30 lays it out. Saves the first page."""
    soffice = _tool("soffice")
    with tempfile.TemporaryDirectory(prefix="baocao-soffice-") as tmp:
        folder = Path(tmp)
        source = folder / "report.docx"
        source.write_bytes(render_docx(report))
        # A profile and HOME of its own, so parallel runs do not share LibreOffice's lock.
        environment = {**os.environ, "HOME": str(folder)}
        _run(
            soffice,
            f"-env:UserInstallation={(folder / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            str(source),
            timeout=120,
            env=environment,
        )
        pdf = folder / "report.pdf"
        assert pdf.exists(), "LibreOffice wrote no PDF"
        _check_print(pdf, artifacts_dir / "report_docx_libreoffice_page1.png")
