"""`baocao tasks remind`: reminders to the lead unit's users once per task and deadline, --days,
overdue notices, the daily digest to the assigning unit's compilers and leaders, idempotence."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from baocao.accounts.choices import Role
from baocao.work.choices import Recurrence
from baocao.work.models import Task, TaskReminder
from tests.factories import user
from tests.work.conftest import make_task

pytestmark = pytest.mark.django_db


def remind(*args: str) -> str:
    out = io.StringIO()
    call_command("tasks", "remind", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def tasks(world):
    for u, email in ((world.reporter_a, "an@huyenan.gov.vn"), (world.reporter_b, "binh@huyenbinh.gov.vn"),
                     (world.compiler, "tonghop@stttt.gov.vn"), (world.leader, "giamdoc@stttt.gov.vn"),
                     (world.viewer, "xem@stttt.gov.vn")):
        u.email = email
        u.save()
    user(role=Role.REPORTER, unit=world.unit_a, email="ca2@huyenan.gov.vn")
    user(role=Role.REPORTER, unit=world.unit_a, email="nghi@huyenan.gov.vn", is_active=False)
    user(role=Role.REPORTER, unit=world.unit_a)  # no e-mail
    t = {
        "soon": make_task(world, title="Nâng cấp đài truyền thanh xã", deadline=date(2022, 7, 22)),
        "later": make_task(world, title="Tập huấn chuyển đổi số", deadline=date(2022, 7, 24)),
        "overdue": make_task(world, title="Báo cáo Covid-19", deadline=date(2022, 7, 18), lead=world.unit_b),
        "done": make_task(world, title="Đã xong", deadline=date(2022, 7, 21)),
        "monthly": make_task(world, title="Báo cáo tháng", recurrence=Recurrence.MONTHLY, recurrence_day=22,
                             start=date(2022, 1, 1), deadline=date(2022, 12, 31)),
    }
    Task.objects.filter(pk=t["done"].pk).update(progress=100, completed_on=date(2022, 7, 19))
    return t


def test_reminders_and_digest(world, tasks, mailoutbox):
    assert remind("--today", "2022-07-20").strip() == "Đã gửi 3 thư nhắc, 1 thư tổng hợp."
    by_subject = {m.subject: m for m in mailoutbox}
    soon = by_subject["[baocao] Nhắc hạn nhiệm vụ: Nâng cấp đài truyền thanh xã (hạn 22/07/2022)"]
    # Active users of the lead unit with an address; not the inactive one, not the other units'.
    assert sorted(soon.to) == ["an@huyenan.gov.vn", "ca2@huyenan.gov.vn"]
    assert f"Kính gửi: {world.unit_a.name}" in soon.body
    assert "Hạn hoàn thành: 22/07/2022 (còn 2 ngày)" in soon.body
    assert f"/tasks/{tasks['soon'].pk}/" in soon.body
    monthly = by_subject["[baocao] Nhắc hạn nhiệm vụ: Báo cáo tháng (hạn 22/07/2022)"]
    assert "Hạn hoàn thành lần này: 22/07/2022" in monthly.body
    overdue = by_subject["[baocao] Nhiệm vụ quá hạn: Báo cáo Covid-19 (hạn 18/07/2022)"]
    assert overdue.to == ["binh@huyenbinh.gov.vn"] and "đã quá hạn 2 ngày" in overdue.body

    digest = by_subject["[baocao] Tình hình nhiệm vụ ngày 20/07/2022: 1 quá hạn, 2 sắp đến hạn"]
    assert sorted(digest.to) == ["giamdoc@stttt.gov.vn", "tonghop@stttt.gov.vn"]
    body = digest.body
    assert body.index("Nhiệm vụ quá hạn (1):") < body.index("Báo cáo Covid-19") < body.index(
        "Nhiệm vụ đến hạn trong 3 ngày tới (2):") < body.index("Nâng cấp đài truyền thanh xã")
    assert f"chủ trì: {world.unit_b.name}; hạn 18/07/2022 (đã quá hạn 2 ngày)" in body
    assert "Tập huấn chuyển đổi số" not in body and "Đã xong" not in body

    assert set(TaskReminder.objects.values_list("task__title", "deadline", "kind")) == {
        ("Nâng cấp đài truyền thanh xã", date(2022, 7, 22), "before"),
        ("Báo cáo tháng", date(2022, 7, 22), "before"),
        ("Báo cáo Covid-19", date(2022, 7, 18), "overdue"),
    }


def test_same_day_again_sends_nothing(world, tasks, mailoutbox):
    remind("--today", "2022-07-20")
    sent = len(mailoutbox)
    assert remind("--today", "2022-07-20").strip() == "Đã gửi 0 thư nhắc, 0 thư tổng hợp."
    assert len(mailoutbox) == sent


def test_once_per_task_and_deadline_digest_once_a_day(world, tasks, mailoutbox):
    remind("--today", "2022-07-20")
    mailoutbox.clear()
    # The next day only "Tập huấn" (24/7) comes within 3 days; the digest is a new day's.
    assert remind("--today", "2022-07-21").strip() == "Đã gửi 1 thư nhắc, 1 thư tổng hợp."
    assert [m.subject for m in mailoutbox][0] == "[baocao] Nhắc hạn nhiệm vụ: Tập huấn chuyển đổi số (hạn 24/07/2022)"
    # A new deadline is a new reminder.
    Task.objects.filter(pk=tasks["soon"].pk).update(deadline=date(2022, 7, 23))
    mailoutbox.clear()
    remind("--today", "2022-07-21")
    assert [m.subject for m in mailoutbox] == [
        "[baocao] Nhắc hạn nhiệm vụ: Nâng cấp đài truyền thanh xã (hạn 23/07/2022)"]


def test_recurring_task_is_reminded_again_for_its_next_occurrence(world, tasks, mailoutbox):
    remind("--today", "2022-07-20")
    mailoutbox.clear()
    remind("--today", "2022-08-20")
    assert "[baocao] Nhắc hạn nhiệm vụ: Báo cáo tháng (hạn 22/08/2022)" in [m.subject for m in mailoutbox]


def test_days_option(world, tasks, mailoutbox):
    assert remind("--today", "2022-07-20", "--days", "0").strip() == "Đã gửi 1 thư nhắc, 1 thư tổng hợp."
    assert [m.subject for m in mailoutbox][0].startswith("[baocao] Nhiệm vụ quá hạn")
    mailoutbox.clear()
    remind("--today", "2022-07-20", "--days", "4")
    subjects = [m.subject for m in mailoutbox]
    assert any("Tập huấn chuyển đổi số" in s for s in subjects)
    assert any("Nâng cấp đài truyền thanh xã" in s for s in subjects)


def test_units_without_addresses_are_reported(world, tasks, mailoutbox):
    for u in (world.reporter_b, world.compiler, world.leader):
        u.email = ""
        u.save()
    out = remind("--today", "2022-07-20")
    assert "Đã gửi 2 thư nhắc, 0 thư tổng hợp." in out
    assert "2 nhiệm vụ hoặc đơn vị chưa có người nhận thư" in out
    # Nothing recorded for the overdue task nobody was told about: it is tried again next run.
    assert not TaskReminder.objects.filter(kind="overdue").exists()


@pytest.mark.parametrize("args", [["--today", "20/07/2022"], ["--days", "-1"]])
def test_bad_input(world, args):
    with pytest.raises(CommandError) as exc:
        call_command("tasks", "remind", *args)
    assert exc.value.returncode == 2
