"""Hostile text (issue 10, item 4): legacy stored text with control characters still renders, and
exports never hand a spreadsheet a formula.

The control characters are written straight into the database with `QuerySet.update`, as text
stored before the input rule would be; every document is downloaded through the API and read
back with python-docx / openpyxl.
"""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from docx import Document

from baocao.core.text import has_illegal
from baocao.meetings.models import Conclusion, Opinion
from baocao.submissions.models import SubmissionNarrative
from tests.api.conftest import JsonClient
from tests.factories import World
from tests.meetings.conftest import seed  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db

ESC = "\u001b"
# No NUL: PostgreSQL cannot store one, so no legacy text holds it (input cleaning drops it on SQLite).
HOSTILE = f"Hoàn thành{ESC} kế hoạch\x07\x0b\ufffe năm."
CLEAN = "Hoàn thành kế hoạch năm."
FORMULAS = ('=HYPERLINK("http://x","y")', "+1+cmd|' /C calc'!A0")


def docx_text(content: bytes) -> str:
    document = Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join(parts)


@pytest.fixture
def world(db) -> World:
    return World()


def approved_with_narrative(world: World, text: str):
    from baocao.submissions.services import (
        submission_approve,
        submission_get_or_create,
        submission_save_draft,
        submission_submit,
    )

    sub = submission_get_or_create(regime=world.regime, period="2022S1", unit=world.unit_a,
                                   acting_user=world.reporter_a)
    submission_save_draft(submission=sub, acting_user=world.reporter_a, values={"A": 2, "B": 3, "PCT": 50},
                          narratives={"RESULTS": "tạm"})
    SubmissionNarrative.objects.filter(submission=sub).update(text=text)
    submission_submit(submission=sub, acting_user=world.reporter_a)
    return submission_approve(submission=sub, acting_user=world.compiler)


class TestLegacyControlCharacters:
    def test_consolidated_report_docx_html_pdf(self, world):
        approved_with_narrative(world, HOSTILE)
        client = JsonClient(user=world.compiler)
        built = client.post("/reports/build", {"regime": "BC-TEST", "period": "2022S1", "unit": "DEPT"})
        assert built.status_code in (200, 201), built.content
        rid = built.json()["report_id"]
        r = client.get(f"/reports/{rid}/versions/1/document", {"format": "docx"})
        assert r.status_code == 200, r.content[:300]
        text = docx_text(r.content)
        assert "Phòng Văn hóa và Thông tin huyện An: Hoàn thành" in text and not has_illegal(text)
        for fmt in ("html", "pdf"):
            assert client.get(f"/reports/{rid}/versions/1/document", {"format": fmt}).status_code == 200

    def test_minutes_invitation_and_article(self, seed):  # noqa: F811
        Conclusion.objects.filter(meeting=seed.meeting).update(text=f"Kết luận{ESC} của chủ trì\x01.")
        Opinion.objects.filter(meeting=seed.meeting).update(summary=f"Đề nghị{ESC} hỗ trợ.")
        type(seed.meeting).objects.filter(pk=seed.meeting.pk).update(title=f"Hội nghị{ESC} sơ kết",
                                                                     place="Hội trường\x02")
        client = JsonClient(user=seed.compiler)
        base = f"/meetings/{seed.meeting.pk}/documents"
        r = client.get(f"{base}/minutes", {"format": "docx"})
        assert r.status_code == 200, r.content[:300]
        text = docx_text(r.content)
        assert "Kết luận của chủ trì." in text and ESC not in text
        for kind, fmt in (("minutes", "html"), ("minutes", "pdf"), ("invitation", "docx"), ("invitation", "pdf"),
                          ("article", "html"), ("article", "docx")):
            r = client.get(f"{base}/{kind}", {"format": fmt})
            assert r.status_code == 200, (kind, fmt, r.content[:300])
            if fmt == "docx":
                assert ESC not in docx_text(r.content)
            if fmt == "html":
                assert ESC not in r.content.decode("utf-8")

    def test_exchange_exports(self, world):
        approved_with_narrative(world, HOSTILE)
        client = JsonClient(user=world.compiler)
        for fmt in ("xlsx", "csv", "json", "dhis2-csv", "dhis2-json"):
            r = client.get("/exchange/export", {"regime": "BC-TEST", "period": "2022S1", "format": fmt})
            assert r.status_code == 200, (fmt, r.content[:300])
            if fmt == "xlsx":
                sheet = openpyxl.load_workbook(io.BytesIO(r.content)).worksheets[0]
                texts = [c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
                assert CLEAN in texts


class TestFormulasAreInert:
    @pytest.fixture
    def exported(self, world):
        approved_with_narrative(world, FORMULAS[0])
        return world

    def test_exchange_csv_and_xlsx(self, exported):
        client = JsonClient(user=exported.compiler)
        r = client.get("/exchange/export", {"regime": "BC-TEST", "period": "2022S1", "format": "csv"})
        cells = [c for row in csv.reader(io.StringIO(r.content.decode("utf-8"))) for c in row]
        assert "'" + FORMULAS[0] in cells
        assert not any(c.startswith(("=", "+", "@", "\t", "\r")) for c in cells)
        r = client.get("/exchange/export", {"regime": "BC-TEST", "period": "2022S1", "format": "xlsx"})
        sheet = openpyxl.load_workbook(io.BytesIO(r.content)).worksheets[0]
        all_cells = [c for row in sheet.iter_rows() for c in row]
        assert not [c for c in all_cells if c.data_type == "f"]
        assert "'" + FORMULAS[0] in [c.value for c in all_cells]
        r = client.get("/exchange/export", {"regime": "BC-TEST", "period": "2022S1", "format": "dhis2-csv"})
        cells = [c for row in csv.reader(io.StringIO(r.content.decode("utf-8"))) for c in row]
        assert "'" + FORMULAS[0] in cells


class TestExcelTemplate:
    def test_template_builds_inert_and_reads_back(self, world):
        from baocao.reporting.models import Indicator
        from baocao.submissions.models import SubmissionValue
        from baocao.submissions.services import submission_get_or_create, submission_save_draft

        Indicator.objects.filter(form_version=world.form_version, code="A").update(name=f"- Trong đó: nữ{ESC}")
        Indicator.objects.filter(form_version=world.form_version, code="B").update(min_value=-10)
        sub = submission_get_or_create(regime=world.regime, period="2022S1", unit=world.unit_a,
                                       acting_user=world.reporter_a)
        submission_save_draft(submission=sub, acting_user=world.reporter_a, values={"A": 2, "B": -3},
                              narratives={"RESULTS": "tạm"})
        SubmissionNarrative.objects.filter(submission=sub).update(text=FORMULAS[0] + ESC)
        client = JsonClient(user=world.reporter_a)
        r = client.get(f"/submissions/{sub.pk}/template")
        assert r.status_code == 200, r.content[:300]
        workbook = openpyxl.load_workbook(io.BytesIO(r.content))
        all_cells = [c for ws in workbook.worksheets for row in ws.iter_rows() for c in row]
        assert not [c.coordinate for c in all_cells if c.data_type == "f"]
        values = [c.value for c in all_cells]
        assert "'" + FORMULAS[0] in values and "'- Trong đó: nữ" in values
        assert -3 in values  # a negative number stays a number
        assert not any(isinstance(v, str) and has_illegal(v) for v in values)
        # Uploaded back unchanged: the apostrophes are dropped, nothing else moves.
        from django.core.files.uploadedfile import SimpleUploadedFile
        from django.test import Client

        upload = Client()
        upload.force_login(world.reporter_a)
        r = upload.post(f"/api/v1/submissions/{sub.pk}/template",
                        {"file": SimpleUploadedFile("mau.xlsx", r.content)})
        assert r.status_code == 200, r.content[:500]
        assert SubmissionNarrative.objects.get(submission=sub).text == FORMULAS[0]
        numbers = dict(SubmissionValue.objects.filter(submission=sub).values_list("indicator__code", "number"))
        assert (numbers["A"], numbers["B"]) == (2, -3)


class TestInputIsCleaned:
    """Text entering through a page's form, the API's JSON or an import is stored clean."""

    def draft(self, world):
        from baocao.submissions.services import submission_get_or_create

        return submission_get_or_create(regime=world.regime, period="2022S1", unit=world.unit_a,
                                        acting_user=world.reporter_a)

    def test_page_form_post(self, world):
        from django.test import Client

        sub = self.draft(world)
        client = Client()
        client.force_login(world.reporter_a)
        r = client.post(f"/submissions/{sub.pk}/save/", {"v__RESULTS": f"Dòng 1{ESC}\r\nDòng 2\x07\rDòng 3",
                                                          "v__A": "2"})
        assert r.status_code in (200, 302), r.content[:300]
        assert SubmissionNarrative.objects.get(submission=sub).text == "Dòng 1\nDòng 2\nDòng 3"

    def test_api_json_body(self, seed):  # noqa: F811
        client = JsonClient(user=seed.compiler)
        r = client.post(f"/meetings/{seed.meeting.pk}/conclusions", {"text": f"Kết luận{ESC} mới\r\n\x0c."})
        assert r.status_code == 201, r.content
        assert Conclusion.objects.get(pk=r.json()["id"]).text == "Kết luận mới\n."

    def test_bulk_import(self, world):
        from baocao.exchange.bulk import bulk_import
        from baocao.exchange.formats import read_file

        content = f"regime,period,unit,code,value\nBC-TEST,2022S1,UA,RESULTS,\"Báo cáo{ESC}\r\nxong\"\n".encode()
        parsed = read_file(content, filename="x.csv")
        summary = bulk_import(rows=parsed.rows, acting_user=world.admin, first_row=parsed.first_row)
        assert summary.written, summary.conflicts
        assert SubmissionNarrative.objects.get().text == "Báo cáo\nxong"


class TestOtherCsvExports:
    def test_case_register_csv(self, db):
        from baocao.cases.models import Case
        from tests.cases.case_fixtures import case_world, logged, make_case

        world = case_world()
        make_case(world, code="KN-09", summary=FORMULAS[1], sector=world.sector)
        Case.objects.filter(code="KN-09").update(note=f"ghi chú{ESC}", conclusion=FORMULAS[0])
        r = logged(world.compiler).get("/cases/", {"format": "csv"})
        assert r.status_code == 200
        rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
        cells = [c for row in rows for c in row]
        assert "'" + FORMULAS[1] in cells and "'" + FORMULAS[0] in cells and "ghi chú" in cells
        assert not any(c.startswith(("=", "+", "@", "\t", "\r")) for c in cells)
        assert not any(has_illegal(c) for c in cells)

    def test_monitor_csv(self, world):
        from django.test import Client

        from baocao.orgunits.models import OrgUnit

        OrgUnit.objects.filter(pk=world.unit_a.pk).update(name='=HYPERLINK("http://x","y")' + ESC)
        client = Client()
        client.force_login(world.compiler)
        r = client.get(f"/regimes/{world.regime.pk}/monitor/", {"period": "2022S1", "format": "csv"})
        assert r.status_code == 200, r.content[:300]
        cells = [c for row in csv.reader(io.StringIO(r.content.decode("utf-8-sig"))) for c in row]
        assert "'" + FORMULAS[0] in cells
        assert not any(c.startswith(("=", "+", "@")) for c in cells)
