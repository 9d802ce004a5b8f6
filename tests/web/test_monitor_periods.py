"""The monitoring page's period list on the demo: every period of the regime that has a report
(2021S1, 2021, 2022S1 in the demo) besides the recent ones, newest first, with their names."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from baocao.accounts.models import User
from baocao.demo.loader import REGIME_CODE
from baocao.reporting.models import ReportingRegime

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_in_module")]


def period_options(html: str) -> list[tuple[str, str]]:
    select = html.split('<select id="f-period" name="period">')[1].split("</select>")[0]
    return re.findall(r'<option value="(\w+)"[^>]*>([^<]+)</option>', select)


def test_the_periods_with_reports_are_offered_newest_first():
    regime = ReportingRegime.objects.get(code=REGIME_CODE)
    c = Client()
    c.force_login(User.objects.get(username="tonghop"))
    r = c.get(f"/regimes/{regime.pk}/monitor/")
    assert r.status_code == 200
    options = period_options(r.content.decode())
    codes = [code for code, _ in options]
    assert ("2022S1", "6 tháng đầu năm 2022") in options and ("2021", "Năm 2021") in options
    assert ("2021S1", "6 tháng đầu năm 2021") in options
    assert codes.index("2022S1") < codes.index("2021") < codes.index("2021S1") and len(codes) == len(set(codes))
    assert len(codes) > 3  # the recent periods are still there
    html = c.get(f"/regimes/{regime.pk}/monitor/?period=2022S1").content.decode()
    assert '<option value="2022S1" selected>' in html and html.count('value="2022S1"') >= 1
    assert period_options(html) == options  # the chosen period is one of the list, not added again
