"""`baocao cases limits ...`: a case's deadlines as ISO dates from the TimeLimitRule rows; and the
data migration cases/0002 that seeds those rows with BRIEF §4's defaults."""

from __future__ import annotations

import importlib
import io
import os
import subprocess
import sys

import pytest
from django.apps import apps as django_apps
from django.core.management import call_command
from django.core.management.base import CommandError

from baocao.cases.limits import DEFAULT_RULES, LimitRule
from baocao.cases.models import TimeLimitRule

pytestmark = pytest.mark.django_db

seed_migration = importlib.import_module("baocao.cases.migrations.0002_default_time_limits")


def limits(*args: str) -> str:
    out = io.StringIO()
    call_command("cases", "limits", *args, stdout=out)
    return out.getvalue()


def test_complaint_received_before_tet_2023() -> None:
    """Law on Complaints 2011 Art. 27 (10 working days, Decree 124/2020) across Tết 2023, and the
    Art. 9 lodging limit of 90 days ending Sunday 16/04 moved to Monday (Civil Code Art. 148(5))."""
    assert limits("--kind", "complaint", "--received", "2023-01-16") == (
        "acceptance 2023-02-06\nresolution -\nlodging 2023-04-17\n"
    )


def test_second_complaint_complex_and_remote() -> None:
    """Law on Complaints 2011 Art. 37: 70 days from acceptance; Art. 33: 45 days to lodge (remote)."""
    out = limits("--kind", "complaint", "--received", "2023-02-20", "--round", "2", "--accepted", "2023-03-01",
                 "--complex", "--remote")
    assert out == "acceptance 2023-03-06\nresolution 2023-05-10\nlodging 2023-04-06\n"


@pytest.mark.parametrize(
    ("extensions", "resolution"),
    [
        ((), "2023-03-31"),
        (("--extension", "30"), "2023-05-04"),
        (("--extension", "30", "--extension", "30"), "2023-05-30"),
        (("--extension", "30", "30"), "2023-05-30"),
    ],
)
def test_denunciation_with_extensions(extensions, resolution) -> None:
    """Law on Denunciations 2018 Art. 30: each decided extension adds to the 30 days."""
    out = limits("--kind", "denunciation", "--received", "2023-02-20", "--accepted", "2023-03-01", "--complex",
                 *extensions)
    assert out.splitlines()[1] == f"resolution {resolution}"


def test_petition_across_the_2024_swap() -> None:
    """Law on Citizen Reception 2013 Art. 28: 10 working days, Saturday 04/05/2024 worked."""
    assert limits("--kind", "petition", "--received", "2024-04-25").splitlines()[0] == "acceptance 2024-05-13"


def test_the_admins_rows_are_used() -> None:
    TimeLimitRule.objects.filter(kind="complaint", step="acceptance").update(days=15)
    assert limits("--kind", "complaint", "--received", "2023-03-01").splitlines()[0] == "acceptance 2023-03-22"


def test_an_empty_table_falls_back_to_the_defaults() -> None:
    TimeLimitRule.objects.all().delete()
    assert limits("--kind", "complaint", "--received", "2023-01-16").splitlines()[0] == "acceptance 2023-02-06"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--kind", "complain", "--received", "2023-01-16"), "Loại vụ việc không hợp lệ: «complain»"),
        (("--received", "2023-01-16"), "Thiếu loại vụ việc"),
        (("--kind", "complaint"), "Thiếu ngày nhận"),
        (("--kind", "complaint", "--received", "2023-02-30"), "Ngày nhận không hợp lệ: «2023-02-30»"),
        (("--kind", "complaint", "--received", "16/01/2023"), "Ngày nhận không hợp lệ"),
        (("--kind", "complaint", "--received", "20230116"), "Ngày nhận không hợp lệ"),
        (("--kind", "complaint", "--received", "2023-01-16", "--accepted", "hôm qua"), "Ngày thụ lý không hợp lệ"),
        (("--kind", "complaint", "--received", "2023-01-16", "--accepted", "2023-01-10"),
         "Ngày thụ lý (10/01/2023) không được trước ngày nhận (16/01/2023)"),
        (("--kind", "complaint", "--received", "2023-01-16", "--round", "3"), "Lần giải quyết phải là 1 hoặc 2"),
        (("--kind", "complaint", "--received", "2023-01-16", "--round", "hai"), "Lần giải quyết phải là số nguyên"),
        (("--kind", "denunciation", "--received", "2023-01-16", "--extension", "30", "30", "30"),
         "tối đa 2 lần, đã nhập 3 lần"),
        (("--kind", "denunciation", "--received", "2023-01-16", "--extension", "-5"), "Số ngày gia hạn phải là số"),
        (("--kind", "complaint", "--received", "2023-01-16", "--extension", "10"), "không được gia hạn"),
    ],
)
def test_bad_input_exits_2_with_a_vietnamese_message(args, message) -> None:
    with pytest.raises(CommandError) as info:
        limits(*args)
    assert info.value.returncode == 2
    assert message in str(info.value)


@pytest.mark.parametrize("args", [("--kind", "appeal", "--received", "2023-01-16"),
                                  ("--kind", "complaint", "--received", "2023-13-01")])
def test_the_console_command_exits_2(args) -> None:
    """Run as `baocao cases limits ...`: status 2 and the message on stderr."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "baocao.config.settings"}
    result = subprocess.run([sys.executable, "-m", "baocao.cli", "cases", "limits", *args],
                            capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 2
    assert "không hợp lệ" in result.stderr
    assert result.stdout == ""


# --- the data migration -----------------------------------------------------------------------


def _rules_in_table() -> set[LimitRule]:
    return {LimitRule.from_model(row) for row in TimeLimitRule.objects.all()}


def test_migration_seeds_the_default_rules() -> None:
    """The literals copied into cases/0002 are DEFAULT_RULES."""
    assert _rules_in_table() == set(DEFAULT_RULES)
    assert TimeLimitRule.objects.count() == len(DEFAULT_RULES)


def test_migration_reverse_keeps_rows_the_admin_changed() -> None:
    TimeLimitRule.objects.filter(kind="petition").update(days=12)
    seed_migration.unseed(django_apps, None)
    assert list(TimeLimitRule.objects.values_list("kind", "days")) == [("petition", 12)]
    seed_migration.seed(django_apps, None)
    assert TimeLimitRule.objects.count() == len(DEFAULT_RULES)
    assert TimeLimitRule.objects.get(kind="petition").days == 12  # not overwritten
