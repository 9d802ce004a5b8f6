"""The shared sorting of list pages (core.listing): a whitelist of keys, `-key` for descending,
anything else the default; empty values last; names in Vietnamese order before paging."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.http import urlencode

from baocao.core.listing import KeyOrdered, SortColumn, sort_param
from baocao.core.vietnamese import collation_key
from baocao.orgunits.models import OrgUnit
from tests.factories import unit


@dataclass
class Row:
    name: str
    due: date | None


COLUMNS = {
    "name": SortColumn("Tên", key=lambda r: collation_key(r.name)),
    "due": SortColumn("Hạn", key=lambda r: r.due),
    "made": SortColumn("Ngày tạo", fields=("created_at",), descending_first=True),
}
ROWS = [Row("Bình", date(2022, 3, 1)), Row("An", None), Row("Ân", date(2022, 1, 5)), Row("Đức", date(2022, 3, 1))]


@pytest.mark.parametrize("asked, key, descending", [
    ("", "due", False), ("name", "name", False), ("-name", "name", True), ("-due", "due", True),
    ("password", "due", False), ("-password", "due", False), ("--name", "due", False),
    ("name; drop table", "due", False), ("x" * 5000, "due", False), (" -name ", "name", True),
])
def test_only_whitelisted_keys_are_read(asked, key, descending):
    sort = sort_param({"sort": asked}, COLUMNS, default="due")
    assert (sort.key, sort.descending) == (key, descending)
    assert sort.is_default == (sort.param == "due")


def test_a_descending_default():
    sort = sort_param({}, COLUMNS, default="-made")
    assert (sort.key, sort.descending, sort.is_default, sort.query()) == ("made", True, True, {})
    assert sort_param({"sort": "made"}, COLUMNS, default="-made").query() == {"sort": "made"}


def test_rows_in_python_vietnamese_names_and_empty_values_last():
    names = [r.name for r in sort_param({"sort": "name"}, COLUMNS, default="due").apply(ROWS)]
    assert names == ["An", "Ân", "Bình", "Đức"]  # â after a, đ after d: not the code points' order
    names = [r.name for r in sort_param({"sort": "-name"}, COLUMNS, default="due").apply(ROWS)]
    assert names == ["Đức", "Bình", "Ân", "An"]
    up = [r.name for r in sort_param({"sort": "due"}, COLUMNS, default="due").apply(ROWS)]
    down = [r.name for r in sort_param({"sort": "-due"}, COLUMNS, default="due").apply(ROWS)]
    # Ties keep the order they came in; the row without a deadline is last both ways.
    assert up == ["Ân", "Bình", "Đức", "An"] and down == ["Bình", "Đức", "Ân", "An"]


def test_links_keep_the_filters_flip_the_current_column_and_drop_the_page():
    sort = sort_param({"sort": "name"}, COLUMNS, default="due", target="#t").with_links(
        "/tasks/", {"q": "ba bể", "status": "", "page": "3", "sort": "name"})
    name, due, made = sort.links["name"], sort.links["due"], sort.links["made"]
    assert name.current and not name.descending and name.aria_sort == "ascending" and name.arrow == "▲"
    assert name.href == "/tasks/?" + urlencode({"q": "ba bể", "sort": "-name"})
    assert due.href == "/tasks/?" + urlencode({"q": "ba bể"})  # the default needs no parameter
    assert made.href.endswith("sort=-made") and not made.current and made.aria_sort == "" and made.target == "#t"
    down = sort_param({"sort": "-name"}, COLUMNS, default="due").with_links("/tasks/", {})
    assert down.links["name"].aria_sort == "descending" and down.links["name"].href == "/tasks/?sort=name"


@pytest.mark.django_db
def test_a_queryset_is_ordered_by_the_database_with_empty_values_last():
    units = [unit(code=f"S{i}", name=f"Đơn vị {i}") for i in range(3)]
    OrgUnit.objects.filter(pk=units[1].pk).update(valid_from=None)
    OrgUnit.objects.filter(pk=units[0].pk).update(valid_from=date(2020, 1, 1))
    OrgUnit.objects.filter(pk=units[2].pk).update(valid_from=date(2021, 1, 1))
    columns = {"since": SortColumn("Từ", fields=("valid_from",))}
    qs = OrgUnit.objects.filter(code__startswith="S")
    assert [u.code for u in sort_param({}, columns, default="since").apply(qs)] == ["S0", "S2", "S1"]
    assert [u.code for u in sort_param({}, columns, default="-since").apply(qs)] == ["S2", "S0", "S1"]


@pytest.mark.django_db
def test_names_of_a_queryset_in_vietnamese_order_before_paging_in_two_queries():
    for i, name in enumerate(["Bắc", "Ba", "Bà", "An", "Ấn", "Đông", "Dương", "Ô", "Ơ", "O"] * 3):
        unit(code=f"K{i:02d}", name=name)
    column = SortColumn("Tên", key=lambda v: collation_key(v["name"]), values=("name",))
    qs = OrgUnit.objects.filter(code__startswith="K")
    with CaptureQueriesContext(connection) as ctx:
        page = Paginator(KeyOrdered(qs, column, descending=False), 12).get_page(2)
        names = [u.name for u in page.object_list]
    assert len(ctx.captured_queries) == 2
    everything = [u.name for u in KeyOrdered(qs, column, descending=False)[0:30]]
    assert everything[:15:3] == ["An", "Ấn", "Ba", "Bà", "Bắc"] and everything[15::3] == ["Dương", "Đông", "O", "Ô", "Ơ"]
    assert names == everything[12:24] and page.paginator.count == 30
    assert [u.name for u in KeyOrdered(qs, column, descending=True)[0:3]] == ["Ơ"] * 3
