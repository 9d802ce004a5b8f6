"""`baocao period CODE [--regime CODE]`: Decree 09/2019/NĐ-CP Art. 12 windows and the regime's deadline."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from baocao.orgunits.choices import UnitKind
from tests import factories

pytestmark = pytest.mark.django_db


def period(*args: str) -> str:
    out = io.StringIO()
    call_command("period", *args, stdout=out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("code", "line"),
    [
        ("2022S1", "2022S1 2021-12-15 2022-06-14"),  # Art. 12: 15/12 of the previous year to 14/6
        ("2022S2", "2022S2 2022-06-15 2022-12-14"),  # Art. 12: 15/6 to 14/12
        ("2022", "2022 2021-12-15 2022-12-14"),  # Art. 12: annual 15/12 to 14/12
        ("2022Q2", "2022Q2 2022-03-15 2022-06-14"),  # Art. 12: quarterly
        ("2022M01", "2022M01 2021-12-15 2022-01-14"),  # Art. 12: monthly, across the year end
        ("2022N9", "2022N9 2021-12-15 2022-09-14"),  # nine months: the issuing body's default
        (" 2022s1 ", "2022S1 2021-12-15 2022-06-14"),  # whitespace and case forgiven
    ],
)
def test_prints_the_cutoff_window(code, line):
    assert period(code) == line + "\n"


@pytest.fixture
def regime():
    department = factories.unit(code="STTTT", name="Sở Thông tin và Truyền thông", kind=UnitKind.DEPARTMENT)
    form_version = factories.form_version(owner=department)
    return factories.regime(receiving_unit=department, form_version=form_version, code="BC-TTTT")


def test_with_a_regime_prints_the_deadline(regime):
    assert period("2022S1", "--regime", "BC-TTTT") == "2022S1 2021-12-15 2022-06-14 2022-06-20\n"
    assert period("2021", "--regime", "BC-TTTT") == "2021 2020-12-15 2021-12-14 2021-12-20\n"


def test_a_frequency_without_a_deadline_prints_a_dash(regime):
    regime.frequencies = ["six_month", "annual", "quarterly"]
    regime.save()
    assert period("2022Q2", "--regime", "BC-TTTT") == "2022Q2 2022-03-15 2022-06-14 -\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("2022X",), "Mã kỳ báo cáo không hợp lệ: «2022X»"),
        (("2022S3",), "Mã kỳ báo cáo không hợp lệ: «2022S3»"),
        (("2022Q2", "--regime", "BC-TTTT"), "Kỳ 2022Q2 không thuộc chế độ báo cáo «BC-TTTT»"),
        (("2022Z", "--regime", "BC-TTTT"), "Mã kỳ báo cáo không hợp lệ: «2022Z»"),
        (("2022S1", "--regime", "KHONG-CO"), "Không tìm thấy chế độ báo cáo «KHONG-CO»"),
    ],
)
def test_bad_input_exits_with_code_2(regime, args, message):
    with pytest.raises(CommandError) as caught:
        period(*args)
    assert caught.value.returncode == 2
    assert message in str(caught.value)
