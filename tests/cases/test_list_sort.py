"""The register's sortable columns (core.listing): received, deadline, status; the submitter is not
a column to sort by (its order would tell a reader who may not see the name what it is)."""

from __future__ import annotations

import re
from datetime import date

import pytest

from baocao.cases.choices import CaseKind
from baocao.cases.services import case_resolve
from tests.cases.case_fixtures import case_world, logged, make_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    w = case_world()
    w.old = make_case(w, code="P-OLD", received_on=date(2022, 1, 3), accepted_on=date(2022, 1, 5))
    w.mid = make_case(w, code="P-MID", kind=CaseKind.DENUNCIATION, received_on=date(2022, 2, 1),
                      submitter_name="Zơ Văn Cuối", submitter_contact="x")
    w.new = make_case(w, code="P-NEW", kind=CaseKind.DENUNCIATION, received_on=date(2022, 3, 1),
                      submitter_name="An Văn Đầu", submitter_contact="y")
    w.done = make_case(w, code="P-DONE", received_on=date(2022, 2, 15), accepted_on=date(2022, 2, 16))
    case_resolve(case=w.done, resolved_on=date(2022, 2, 20), conclusion="Đã trả lời.", acting_user=w.inspector)
    w.elsewhere = make_case(w, by=w.other_inspector, code="P-ELSE", received_on=date(2022, 2, 10))
    return w


def codes(user, query: str = "", **extra) -> list[str]:
    r = logged(user).get("/cases/" + query, **extra)
    assert r.status_code == 200
    return re.findall(r"(P-[A-Z]+)</a>", r.content.decode())


def test_newest_first_by_default_and_each_column_both_ways(world):
    assert codes(world.compiler) == ["P-NEW", "P-DONE", "P-MID", "P-OLD"]
    assert codes(world.compiler, "?sort=received") == ["P-OLD", "P-MID", "P-DONE", "P-NEW"]
    # The denunciations wait for acceptance; the resolved case and the accepted petition have no
    # deadline running: last both ways, in the default order.
    assert codes(world.compiler, "?sort=deadline") == ["P-MID", "P-NEW", "P-DONE", "P-OLD"]
    assert codes(world.compiler, "?sort=-deadline") == ["P-NEW", "P-MID", "P-DONE", "P-OLD"]
    assert codes(world.compiler, "?sort=status")[-1] == "P-DONE"
    assert codes(world.compiler, "?sort=status")[0] in ("P-MID", "P-NEW")  # received before accepted
    assert codes(world.compiler, "?sort=-status")[0] == "P-DONE"


@pytest.mark.parametrize("sort", ["submitter_name", "-submitter_name", "submitter_contact", "-shown_name", "officer"])
def test_the_submitter_is_not_an_order(world, sort):
    # By name "An" would come before "Zơ": the list stays in the default order instead.
    assert codes(world.compiler, f"?sort={sort}") == codes(world.compiler)
    assert codes(world.inspector, f"?sort={sort}") == codes(world.inspector)


@pytest.mark.parametrize("sort", ["", "received", "-deadline", "status"])
def test_sorting_shows_no_case_out_of_scope(world, sort):
    assert "P-ELSE" not in codes(world.compiler, f"?sort={sort}")
    assert codes(world.other_inspector, f"?sort={sort}") == ["P-ELSE"]


def test_headers_tabs_htmx_and_csv_keep_the_order(world):
    r = logged(world.compiler).get("/cases/?sort=received&kind=petition", HTTP_HX_REQUEST="true")
    html = r.content.decode()
    assert "<html" not in html
    # Ascending now; the next click is the default (newest first), which needs no parameter.
    assert ('<th class="hide-sm" aria-sort="ascending"><a class="sort" href="/cases/?kind=petition"'
            ' hx-get="/cases/?kind=petition" hx-target="#case-table" hx-push-url="true" aria-current="true">'
            'Ngày nhận <span aria-hidden="true">▲</span></a></th>') in html
    assert '<input type="hidden" name="sort" value="received" form="case-filters">' in html
    assert "format=csv" in html and "sort=received&amp;format=csv" in html
    csv_text = logged(world.compiler).get("/cases/?sort=received&format=csv").content.decode("utf-8-sig")
    assert [line.split(",")[0] for line in csv_text.splitlines()[1:]] == ["P-OLD", "P-MID", "P-DONE", "P-NEW"]
    # The deadline tabs list the soonest first without asking; "-received" is then an explicit order.
    page = logged(world.compiler).get("/cases/?view=overdue").content.decode()
    assert 'aria-sort="ascending"><a class="sort" href="/cases/?view=overdue&amp;sort=-deadline"' in page
