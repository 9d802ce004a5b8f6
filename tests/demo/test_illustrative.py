"""Issue 12 item 5: whether a record is illustrative is a flag on the record, shown as a badge in the
browser; the demo's official documents (report, minutes, invitation, article) carry no marker."""

from __future__ import annotations

import io

import docx
import pytest
from django.core.management import call_command

from baocao.accounts.models import User
from baocao.cases.models import Case
from baocao.meetings.models import Meeting
from baocao.submissions.models import Submission
from baocao.work.models import Task
from tests.demo_data import demo_restore

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    demo_restore()


def _docx_text(content: bytes) -> str:
    document = docx.Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def test_the_demo_flags_what_it_made_up(demo):
    seed = Submission.objects.get(unit__code="STTTT-TTRA", period="2022S1")
    assert not seed.illustrative  # the seed's figures are exact
    assert Submission.objects.filter(illustrative=True).count() == Submission.objects.count() - 1
    assert Case.objects.filter(illustrative=True).exists() and Case.objects.filter(illustrative=False).exists()
    assert Meeting.objects.get().illustrative and Task.objects.filter(illustrative=False).count() == 0


def test_the_official_documents_carry_no_marker(demo, tmp_path):
    for args in (("report", "build", "--regime", "BC-TTTT", "--period", "2022S1", "--unit", "STTTT"),
                 ("report", "build", "--regime", "BC-XA", "--period", "2026S1", "--unit", "SKHCN-TN")):
        target = tmp_path / "bc.docx"
        call_command(*args, "--format", "docx", "-o", str(target), stdout=io.StringIO())
        assert "minh họa" not in _docx_text(target.read_bytes())
    for kind in ("invitation", "minutes", "article"):
        target = tmp_path / f"{kind}.docx"
        fmt = "html" if kind == "article" else "docx"
        target = tmp_path / f"{kind}.{fmt}"
        call_command("meetings", kind, "--unit", "STTTT", "--date", "2022-07-07", "--format", fmt, "-o", str(target),
                     stdout=io.StringIO())
        text = target.read_text(encoding="utf-8") if fmt == "html" else _docx_text(target.read_bytes())
        assert "minh họa" not in text, kind


def test_the_browser_shows_a_badge(demo, client):
    client.force_login(User.objects.get(username="tonghop"))
    sub = Submission.objects.filter(illustrative=True, regime__code="BC-TTTT").first()
    assert "data-illustrative" in client.get(f"/submissions/{sub.pk}/").content.decode()
    seed = Submission.objects.get(unit__code="STTTT-TTRA", period="2022S1")
    assert "data-illustrative" not in client.get(f"/submissions/{seed.pk}/").content.decode()
    meeting = Meeting.objects.get()
    assert "data-illustrative" in client.get(f"/meetings/{meeting.pk}/").content.decode()
