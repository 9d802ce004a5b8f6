"""`baocao report build` against the Bắc Kạn demo: every format, the seed's sector parts and
inspection figures read back from the DOCX, saved versions, and bad input (exit code 2)."""

from __future__ import annotations

import io
import json
import re

import docx
import pytest
from django.core.management import ManagementUtility, call_command
from django.core.management.base import CommandError

from baocao.accounts.models import User
from baocao.consolidation.models import ConsolidatedReport
from baocao.consolidation.services import consolidated_report_build, consolidated_report_save
from baocao.orgunits.models import OrgUnit
from baocao.reporting.models import ReportingRegime

ARGS = ["--regime", "BC-TTTT", "--period", "2022S1", "--unit", "STTTT"]
# The seed's five sector parts, in the order the conference's draft report has them.
SECTOR_HEADINGS = (
    "Thông tin – Báo chí – Xuất bản",
    "Bưu chính – Viễn thông",
    "Công nghệ thông tin",
    "Thanh tra",
    "huyện",
)
MAGIC = {"docx": b"PK", "pdf": b"%PDF", "html": b"<!DOCTYPE", "json": b"{"}


pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_in_module")]


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("report", "build", *args, stdout=out)
    return out.getvalue()


@pytest.mark.parametrize("fmt", ["docx", "pdf", "html", "json"])
def test_each_format(tmp_path, fmt):
    target = tmp_path / f"bao-cao.{fmt}"
    out = run(*ARGS, "--format", fmt, "-o", str(target))
    content = target.read_bytes()
    assert content.lstrip()[: len(MAGIC[fmt])].upper() == MAGIC[fmt].upper()
    assert out.startswith(f"Đã ghi {target} (") and out.rstrip().endswith(" byte)")
    if fmt == "html":
        assert "BÁO CÁO" in content.decode("utf-8")
    if fmt == "json":
        data = json.loads(content)
        assert (data["version"], data["status"], data["doc_number"], data["edits"]) == (0, "draft", None, {})
        assert data["meta"]["period"] == "2022S1"


def test_format_follows_the_file_name(tmp_path):
    target = tmp_path / "bao-cao.json"
    run(*ARGS, "-o", str(target))
    assert json.loads(target.read_text(encoding="utf-8"))["meta"]["period"] == "2022S1"


def test_demo_docx_has_the_seed_parts_and_figures(tmp_path):
    target = tmp_path / "BC-TTTT_2022S1_STTTT.docx"
    run(*ARGS, "--format", "docx", "-o", str(target))
    document = docx.Document(str(target))
    paragraphs = [p.text.strip() for p in document.paragraphs if p.text.strip()]

    # The five sector headings, in order (headings may be written in capitals).
    positions = []
    for heading in SECTOR_HEADINGS:
        found = [i for i, text in enumerate(paragraphs)
                 if re.match(r"^[IVX]+\. ", text) and heading.casefold() in text.casefold()]
        assert found, (heading, paragraphs[:40])
        positions.append(found[0])
    assert positions == sorted(positions), positions

    # The inspection part states the seed's figures exactly: 01 inspection, 02 petitions received
    # and resolved, no sanction.
    inspection = paragraphs[positions[3]:positions[4]]
    lines = {name: next((t for t in inspection if t.startswith(name + ":")), None)
             for name in ("Cuộc thanh tra", "Đơn khiếu nại, tố cáo, kiến nghị, phản ánh tiếp nhận",
                          "Đơn đã giải quyết", "Quyết định xử phạt vi phạm hành chính")}
    assert all(lines.values()), inspection
    assert re.match(r"Cuộc thanh tra: 0?1 cuộc\b", lines["Cuộc thanh tra"]), lines
    received = lines["Đơn khiếu nại, tố cáo, kiến nghị, phản ánh tiếp nhận"]
    assert re.search(r": 0?2 đơn\b", received), lines
    assert re.search(r": 0?2 đơn\b", lines["Đơn đã giải quyết"]), lines
    # Nothing this period is said in words (issue 12), with last year's figure.
    assert lines["Quyết định xử phạt vi phạm hành chính"].startswith(
        "Quyết định xử phạt vi phạm hành chính: không phát sinh"), lines
    # Compared with the same period of last year.
    assert any("6 tháng đầu năm 2021" in t for t in inspection + paragraphs[positions[0]:positions[1]])

    # The table by district has a total row; the document ends with the recipients and the signer.
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert any(c.startswith("Tổng") for c in cells)
    assert any("Nơi nhận" in c for c in cells) or any("Nơi nhận" in p for p in paragraphs)
    assert any("Lô Quang Tuyến" in c for c in cells) or any("Lô Quang Tuyến" in p for p in paragraphs)


def test_saved_version(tmp_path):
    target = tmp_path / "v.json"
    with pytest.raises(CommandError, match="Chưa có báo cáo tổng hợp") as excinfo:
        run("--regime", "BC-TTTT", "--period", "2021", "--unit", "STTTT", "--version", "1", "-o", str(target))
    assert excinfo.value.returncode == 2
    assert not target.exists()

    # The demo holds the 2022S1 draft the conference discussed (version 1); recompute and edit it.
    compiler = User.objects.get(username="tonghop")
    regime = ReportingRegime.objects.get(code="BC-TTTT")
    unit = OrgUnit.objects.get(code="STTTT")
    version = consolidated_report_build(regime=regime, period="2022S1", unit=unit, acting_user=compiler)
    assert version.number == 2
    consolidated_report_save(report=version.report, acting_user=compiler, base_version=2,
                             edits={"intro": "Mở đầu do chuyên viên viết."})
    out = run(*ARGS, "--version", "3", "--format", "json", "-o", str(target))
    assert str(target) in out
    data = json.loads(target.read_text(encoding="utf-8"))
    assert (data["version"], data["edits"]) == (3, {"intro": "Mở đầu do chuyên viên viết."})
    html = tmp_path / "v3.html"
    run(*ARGS, "--version", "3", "--format", "html", "-o", str(html))
    assert "Mở đầu do chuyên viên viết." in html.read_text(encoding="utf-8")

    with pytest.raises(CommandError, match="không có phiên bản 9") as excinfo:
        run(*ARGS, "--version", "9", "-o", str(target))
    assert excinfo.value.returncode == 2
    assert ConsolidatedReport.objects.count() == 1


@pytest.mark.parametrize("args,message", [
    (["--regime", "KHONG-CO", "--period", "2022S1", "--unit", "STTTT"], "Không tìm thấy chế độ báo cáo «KHONG-CO»"),
    (["--regime", "BC-TTTT", "--period", "2022S1", "--unit", "KHONG-CO"], "Không tìm thấy đơn vị «KHONG-CO»"),
    (["--regime", "BC-TTTT", "--period", "2022Q9", "--unit", "STTTT"], "2022Q9"),
    (["--regime", "BC-TTTT", "--period", "2022M06", "--unit", "STTTT"], "2022M06"),
])
def test_bad_input_exits_2(tmp_path, args, message):
    with pytest.raises(CommandError, match=re.escape(message)) as excinfo:
        run(*args, "--format", "docx", "-o", str(tmp_path / "x.docx"))
    assert excinfo.value.returncode == 2
    assert not (tmp_path / "x.docx").exists()


def test_console_prints_the_error_and_exits_2(tmp_path, capsys):
    argv = ["baocao", "report", "build", "--regime", "KHONG-CO", "--period", "2022S1", "--unit", "STTTT",
            "--format", "docx", "-o", str(tmp_path / "x.docx")]
    with pytest.raises(SystemExit) as excinfo:
        ManagementUtility(argv).execute()
    assert excinfo.value.code == 2
    assert "Không tìm thấy chế độ báo cáo «KHONG-CO»" in capsys.readouterr().err
