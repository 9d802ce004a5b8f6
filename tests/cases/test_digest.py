"""`baocao cases digest`: the weekly e-mail to the inspectorate of each owner unit listing its cases
overdue or due within 3 working days, once per ISO week and unit, recorded in the audit log."""

from __future__ import annotations

from datetime import date
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError

from baocao.accounts.choices import Role
from baocao.audit.models import AuditEvent
from baocao.cases.choices import CaseKind
from baocao.cases.services import case_resolve, cases_digest
from tests.cases.case_fixtures import case_world, make_case, make_denunciation
from tests.factories import user

pytestmark = pytest.mark.django_db

TODAY = date(2022, 3, 16)  # a Wednesday, ISO week 2022-W11


@pytest.fixture
def world(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SITE_URL = "https://baocao.test"
    w = case_world()
    w.compiler.email = "tonghop@baocao.test"
    w.compiler.save()
    return w


@pytest.fixture
def cases(world):
    return {
        # Petition received 01/03: answer due 15/03 (10 working days) -> overdue on 16/03.
        "late": make_case(world, code="KN-01", received_on=date(2022, 3, 1), summary="Phản ánh chậm phát bưu phẩm"),
        # Received 07/03: due 21/03; 17, 18, 21 are the 3 working days left -> due soon.
        "soon": make_case(world, code="KN-02", received_on=date(2022, 3, 7), summary="Phản ánh cước viễn thông"),
        # Received 15/03: due 29/03 -> not yet.
        "later": make_case(world, code="KN-03", received_on=date(2022, 3, 15)),
        # Resolved cases are never listed.
        "done": make_case(world, code="KN-04", received_on=date(2022, 2, 1), accepted_on=date(2022, 2, 2)),
    }


def test_sends_one_digest_to_the_owners_inspectorate(world, cases):
    case_resolve(case=cases["done"], resolved_on=date(2022, 2, 10), conclusion="Xong", acting_user=world.inspector)
    result = cases_digest(today=TODAY)
    assert (result.digests, result.cases, result.units) == (1, 2, [world.department.name])
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["thanhtra@baocao.test"]  # the inspectorate only, not the compiler
    assert message.subject == ("[baocao] Vụ việc tuần 2022-W11: 1 quá hạn, 1 đến hạn trong 3 ngày làm việc")
    body = message.body
    assert f"Kính gửi: Thanh tra {world.department.name}" in body
    overdue, soon = body.split("Vụ việc đến hạn trong 3 ngày làm việc tới")
    assert "KN-01" in overdue and "hạn thụ lý 15/03/2022 (quá hạn 1 ngày)" in overdue
    assert f"https://baocao.test/cases/{cases['late'].pk}/" in overdue
    assert "KN-02" in soon and "21/03/2022 (còn 3 ngày làm việc)" in soon
    assert "KN-03" not in body and "KN-04" not in body
    event = AuditEvent.objects.get(action="case.digest")
    assert (event.entity, event.entity_id, event.new_value) == ("orgunit", world.department.pk, "2022-W11")


def test_once_per_iso_week(world, cases):
    cases_digest(today=TODAY)
    again = cases_digest(today=date(2022, 3, 18))  # Friday of the same week
    assert (again.digests, again.already_sent) == (0, 1) and len(mail.outbox) == 1
    next_week = cases_digest(today=date(2022, 3, 21))
    assert next_week.digests == 1 and len(mail.outbox) == 2


def test_each_owner_unit_gets_its_own(world, cases):
    world.other_inspector.email = "thanhtra2@baocao.test"
    world.other_inspector.save()
    make_case(world, by=world.other_inspector, code="YT-01", received_on=date(2022, 3, 1))
    assert cases_digest(today=TODAY).digests == 2
    by_recipient = {m.to[0]: m.body for m in mail.outbox}
    assert "YT-01" in by_recipient["thanhtra2@baocao.test"] and "KN-01" not in by_recipient["thanhtra2@baocao.test"]
    assert "YT-01" not in by_recipient["thanhtra@baocao.test"]


def test_units_without_an_inspector_address_are_counted_and_retried(world, cases):
    world.inspector.email = ""
    world.inspector.save()
    result = cases_digest(today=TODAY)
    assert (result.digests, result.without_recipients) == (0, 1) and not mail.outbox
    assert not AuditEvent.objects.filter(action="case.digest").exists()
    user(username="thanhtra3", role=Role.INSPECTORATE, unit=world.department, email="tt3@baocao.test")
    assert cases_digest(today=TODAY).digests == 1


def test_nothing_due_nothing_sent(world):
    make_case(world, kind=CaseKind.CHECK, received_on=date(2022, 1, 3), accepted_on=date(2022, 1, 3))
    assert cases_digest(today=TODAY).digests == 0 and not mail.outbox


def test_a_refused_email_is_retried_next_run(world, cases, monkeypatch):
    def refuse(self, *args, **kwargs):
        raise OSError("máy chủ thư từ chối")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", refuse)
    assert cases_digest(today=TODAY).failed == 1
    assert not AuditEvent.objects.filter(action="case.digest").exists()
    monkeypatch.undo()
    assert cases_digest(today=TODAY).digests == 1


def test_resolution_deadlines_are_listed_too(world):
    make_denunciation(world, code="TC-09", received_on=date(2022, 2, 10), accepted_on=date(2022, 2, 14))
    cases_digest(today=TODAY)  # 30 days from 14/02 end on 16/03: today is the last day
    assert "TC-09" in mail.outbox[0].body and "hạn giải quyết 16/03/2022 (hôm nay là hạn cuối)" in mail.outbox[0].body


def test_command(world, cases):
    out = StringIO()
    call_command("cases", "digest", "--today", "2022-03-16", stdout=out)
    assert out.getvalue().splitlines() == ["Tuần 2022-W11: đã gửi 1 thư tổng hợp (2 vụ việc).",
                                           f"- {world.department.name}"]
    out = StringIO()
    call_command("cases", "digest", "--today", "2022-03-17", stdout=out)
    assert "đã gửi 0 thư" in out.getvalue() and "1 đơn vị đã nhận thư của tuần này." in out.getvalue()


def test_command_bad_date(world):
    with pytest.raises(CommandError, match="Ngày không hợp lệ") as excinfo:
        call_command("cases", "digest", "--today", "16/03/2022")
    assert excinfo.value.returncode == 2
