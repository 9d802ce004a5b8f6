"""Issue 13 item 5 on the demo: the history of a unit's report and of a case reads in words —
indicator names and Vietnamese numbers, status labels, dd/mm/yyyy dates — never field codes."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from baocao.accounts.models import User
from baocao.audit.models import AuditEvent
from baocao.cases.choices import CaseStatus
from baocao.cases.models import Case
from baocao.reporting.models import Indicator, NarrativeField
from baocao.submissions.models import Submission

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_in_module")]


def history_lines(html: str, pattern: str) -> list[str]:
    block = re.search(pattern, html, re.S)
    assert block, "no history on the page"
    return [re.sub(r"<[^>]+>", "", li).strip() for li in re.findall(r"<li[^>]*>(.*?)</li>", block[1], re.S)]


def admin_client() -> Client:
    c = Client()
    c.force_login(User.objects.filter(is_superuser=True).first() or User.objects.get(username="admin"))
    return c


def test_a_demo_report_history_names_its_indicators():
    saved = AuditEvent.objects.filter(entity="submission", action="submission.save").exclude(field="")
    event = saved.exclude(old_value="").first() or saved.first()
    assert event is not None, "the demo saves reports through the service"
    sub = Submission.objects.get(pk=event.entity_id)
    names = dict(Indicator.objects.filter(form_version_id=sub.form_version_id).values_list("code", "name"))
    names |= dict(NarrativeField.objects.filter(form_version_id=sub.form_version_id).values_list("code", "label"))
    html = admin_client().get(f"/submissions/{sub.pk}/").content.decode()
    lines = history_lines(html, r'<ul class="history small" id="history">(.*?)</ul>')
    edits = [line for line in lines if ": sửa · " in line]
    assert edits
    for code in names:
        assert not any(f"sửa · {code}:" in line for line in edits), code
    assert any(f"sửa · {names[event.field]}: " in line for line in edits)
    assert all(" → " in line for line in edits)


def test_a_demo_case_history_reads_status_and_dates_in_words():
    case = Case.objects.filter(status=CaseStatus.RESOLVED).order_by("pk").first()
    assert case is not None
    html = admin_client().get(f"/cases/{case.pk}/").content.decode()
    text = "\n".join(history_lines(html, r'<section class="card" id="history">(.*?)</section>'))
    assert f"trạng thái: {CaseStatus.ACCEPTED.label} → {CaseStatus.RESOLVED.label}" in text
    assert re.search(r"ngày thụ lý: — → \d{2}/\d{2}/\d{4}", text)
    assert not re.search(r"\d{4}-\d{2}-\d{2}", text)
    assert "resolved" not in text and "accepted" not in text
