"""The list of reports (/submissions/): periods in time order (a year's halves before its annual
report), newest first; sortable columns through the shared mechanism; scope kept whatever the order."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from baocao.orgunits.choices import UnitKind
from baocao.submissions.models import Submission
from baocao.submissions.services import submission_get_or_create
from tests.factories import World, unit

pytestmark = pytest.mark.django_db
VN = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture
def world():
    w = World()
    w.unit_c = unit(code="UC", name="Phòng Văn hóa và Thông tin huyện Ân Thi", kind=UnitKind.DISTRICT_OFFICE,
                    parent=w.province)
    w.regime.reporting_units.add(w.unit_c)
    for period in ("2021", "2021S2", "2022S1", "2021S1"):
        submission_get_or_create(regime=w.regime, period=period, unit=w.unit_a, acting_user=w.admin)
    for u in (w.unit_b, w.unit_c):
        submission_get_or_create(regime=w.regime, period="2020S1", unit=u, acting_user=w.admin)
    Submission.objects.filter(unit=w.unit_b).update(submitted_at=datetime(2020, 7, 1, 9, tzinfo=VN))
    return w


def get(user, query: str = "", **extra):
    c = Client()
    c.force_login(user)
    r = c.get("/submissions/" + query, **extra)
    assert r.status_code == 200
    return r.content.decode()


def ids(html: str) -> list[int]:
    return [int(i) for i in re.findall(r'href="/submissions/(\d+)/"', html)]


def periods(html: str) -> list[str]:
    return re.findall(r"<tr><td>(\w+)</td>", html)


def by(world, **fields) -> int:
    return Submission.objects.get(**fields).pk


def test_newest_period_first_with_a_years_halves_before_its_annual_report(world):
    assert periods(get(world.compiler)) == ["2022S1", "2021", "2021S2", "2021S1", "2020S1", "2020S1"]
    assert periods(get(world.compiler, "?sort=period")) == ["2020S1", "2020S1", "2021S1", "2021S2", "2021", "2022S1"]


def test_the_period_filter_is_a_list_of_the_periods_with_reports(world):
    html = get(world.compiler)
    options = re.findall(r'<option value="(\w+)"[^>]*>([^<]+)</option>', html.split('name="period"')[1].split("</select>")[0])
    assert options == [("2022S1", "6 tháng đầu năm 2022"), ("2021", "Năm 2021"), ("2021S2", "6 tháng cuối năm 2021"),
                       ("2021S1", "6 tháng đầu năm 2021"), ("2020S1", "6 tháng đầu năm 2020")]
    assert 'name="period" placeholder' not in html
    assert periods(get(world.compiler, "?period=2021s2")) == ["2021S2"]
    assert 'value="2021S2" selected' in get(world.compiler, "?period=2021S2")


def test_units_in_vietnamese_alphabetical_order(world):
    html = get(world.compiler, "?sort=unit&period=2020S1")
    # "Ân" after "An" and before "Bình" (by code points it would come last).
    assert ids(html) == [by(world, unit=world.unit_c), by(world, unit=world.unit_b)]
    html = get(world.compiler, "?sort=-unit")
    assert ids(html)[:2] == [by(world, unit=world.unit_b), by(world, unit=world.unit_c)]


def test_sent_time_status_and_regime_columns(world):
    html = get(world.compiler, "?sort=-submitted")
    assert ids(html)[0] == by(world, unit=world.unit_b)  # the only one sent; the unsent ones last
    assert ids(get(world.compiler, "?sort=submitted"))[0] == by(world, unit=world.unit_b)
    assert len(ids(get(world.compiler, "?sort=status"))) == 6 and len(ids(get(world.compiler, "?sort=-regime"))) == 6


def test_header_links_keep_the_filters_and_say_the_order(world):
    html = get(world.compiler, "?period=2020S1&sort=unit")
    assert '<th aria-sort="ascending"><a class="sort" href="/submissions/?period=2020S1&amp;sort=-unit"' in html
    assert 'href="/submissions/?period=2020S1"' in html  # back to the default order
    assert 'hx-target="#submission-table" hx-push-url="true" aria-current="true">Đơn vị' in html
    fragment = get(world.compiler, "?period=2020S1&sort=unit", HTTP_HX_REQUEST="true")
    assert "<html" not in fragment and '<input type="hidden" name="sort" value="unit" form="submission-filters">' in fragment


@pytest.mark.parametrize("sort", ["unit__name", "-pk", "unit__users__password", "regime__receiving_unit", "%E2%80%8Bunit", "-"])
def test_an_order_not_offered_is_the_default(world, sort):
    assert periods(get(world.compiler, f"?sort={sort}")) == periods(get(world.compiler))


@pytest.mark.parametrize("sort", ["", "unit", "-unit", "-submitted", "period"])
def test_sorting_shows_no_report_out_of_scope(world, sort):
    assert ids(get(world.other_compiler, f"?sort={sort}")) == []
    assert set(ids(get(world.reporter_b, f"?sort={sort}"))) == {by(world, unit=world.unit_b)}


@pytest.mark.parametrize("sort", ["", "unit", "-submitted"])
def test_queries_do_not_grow_with_the_number_of_reports(world, sort):
    c = Client()
    c.force_login(world.compiler)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert c.get(f"/submissions/?sort={sort}").status_code == 200
        return len(ctx.captured_queries)

    few = count()
    for year in range(2000, 2020):
        for period in (f"{year}S1", f"{year}S2", str(year)):
            submission_get_or_create(regime=world.regime, period=period, unit=world.unit_c, acting_user=world.admin)
    assert count() == few


def test_ties_keep_their_own_order_whichever_way_the_column_runs(world):
    # Under one period, units in tree order (codes here) both ways; under one regime, newest first.
    down = ids(get(world.compiler, "?period=2020S1"))
    up = ids(get(world.compiler, "?period=2020S1&sort=period"))
    assert down == up == [by(world, unit=world.unit_b), by(world, unit=world.unit_c)]
    assert periods(get(world.compiler, "?sort=regime")) == ["2022S1", "2021", "2021S2", "2021S1", "2020S1", "2020S1"]
