"""The task list's sortable columns (core.listing): task, lead unit, deadline, progress, status;
Vietnamese order for names, pages cut after sorting, scope kept, queries fixed."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from baocao.core.clock import today_vn
from baocao.orgunits.choices import UnitKind
from baocao.work.services import task_progress_add
from tests.factories import unit
from tests.work.conftest import logged, make_task
from tests.work.test_views import page_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def tasks(world):
    today = today_vn()
    world.unit_c = unit(code="UC", name="Phòng Văn hóa và Thông tin huyện Ân", kind=UnitKind.DISTRICT_OFFICE,
                        parent=world.province)
    make_task(world, title="Bảo trì loa", deadline=today + timedelta(days=20))
    make_task(world, title="Ấn phẩm tuyên truyền", deadline=today + timedelta(days=3), lead=world.unit_b)
    make_task(world, title="An toàn thông tin", deadline=None, lead=world.unit_c, by=world.admin)
    late = make_task(world, title="Đo kiểm sóng", deadline=today - timedelta(days=2))
    task_progress_add(acting_user=world.reporter_a, task=late, text="x", progress=40)
    return world


def titles(user, query: str = "", **extra) -> list[str]:
    r = logged(user).get("/tasks/" + query, **extra)
    assert r.status_code == 200
    return re.findall(r'<a href="/tasks/\d+/">([^<]+)</a>', r.content.decode())


@pytest.mark.parametrize("sort, order", [
    ("", ["Đo kiểm sóng", "Ấn phẩm tuyên truyền", "Bảo trì loa", "An toàn thông tin"]),  # soonest deadline
    ("-deadline", ["Bảo trì loa", "Ấn phẩm tuyên truyền", "Đo kiểm sóng", "An toàn thông tin"]),  # none: last
    ("title", ["An toàn thông tin", "Ấn phẩm tuyên truyền", "Bảo trì loa", "Đo kiểm sóng"]),
    ("-title", ["Đo kiểm sóng", "Bảo trì loa", "Ấn phẩm tuyên truyền", "An toàn thông tin"]),
    # Lead units: huyện An (two, by deadline), huyện Ân, huyện Bình.
    ("unit", ["Đo kiểm sóng", "Bảo trì loa", "An toàn thông tin", "Ấn phẩm tuyên truyền"]),
    ("-progress", ["Đo kiểm sóng", "Ấn phẩm tuyên truyền", "Bảo trì loa", "An toàn thông tin"]),
    ("status", ["Ấn phẩm tuyên truyền", "Bảo trì loa", "An toàn thông tin", "Đo kiểm sóng"]),  # overdue last
    ("sector", ["Đo kiểm sóng", "Ấn phẩm tuyên truyền", "Bảo trì loa", "An toàn thông tin"]),  # not offered
    ("-lead_unit__users__password", ["Đo kiểm sóng", "Ấn phẩm tuyên truyền", "Bảo trì loa", "An toàn thông tin"]),
])
def test_sort_columns(tasks, sort, order):
    assert titles(tasks.compiler, f"?sort={sort}") == order


def test_links_tabs_and_fragment(tasks):
    html = logged(tasks.compiler).get("/tasks/?view=due7&sort=-title", HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in html
    assert ('<th aria-sort="descending"><a class="sort" href="/tasks/?view=due7&amp;sort=title" '
            'hx-get="/tasks/?view=due7&amp;sort=title" hx-target="#task-table" hx-push-url="true" aria-current="true">'
            'Nhiệm vụ <span aria-hidden="true">▼</span></a></th>') in html
    assert '<input type="hidden" name="sort" value="-title" form="task-filters">' in html
    assert re.findall(r'<a href="/tasks/\d+/">([^<]+)</a>', html) == ["Ấn phẩm tuyên truyền"]  # the tab kept


def test_sorting_shows_no_task_out_of_scope(tasks):
    for sort in ("", "title", "-unit", "progress"):
        assert titles(tasks.reporter_b, f"?sort={sort}") == ["Ấn phẩm tuyên truyền"]
        assert titles(tasks.other_compiler, f"?sort={sort}") == []


def test_the_plan_page_sorts_its_tasks_with_plain_links(tasks):
    plan_task = make_task(tasks, title="Ảnh hưởng", deadline=today_vn() + timedelta(days=1), plan=tasks.plan)
    make_task(tasks, title="Áp dụng", deadline=today_vn() + timedelta(days=9), plan=tasks.plan)
    html = logged(tasks.compiler).get(f"/tasks/plans/{tasks.plan.pk}/?sort=-title").content.decode()
    assert re.findall(r'<a href="/tasks/\d+/">([^<]+)</a>', html) == ["Áp dụng", "Ảnh hưởng"]  # "anh" < "ap"
    assert f'<a class="sort" href="/tasks/plans/{tasks.plan.pk}/?sort=title" aria-current="true">' in html
    assert plan_task.pk


@pytest.mark.parametrize("sort", ["title", "-unit", "-progress", "status"])
def test_queries_do_not_grow_with_the_number_of_tasks(world, sort):
    from tests.work.test_selectors import make_many

    c = logged(world.compiler)
    make_many(world, 3)
    few = [page_queries(c, f"/tasks/?sort={sort}"), page_queries(c, f"/tasks/?sort={sort}", HTTP_HX_REQUEST="true")]
    make_many(world, 57, start=3)  # more than a page
    assert [page_queries(c, f"/tasks/?sort={sort}"),
            page_queries(c, f"/tasks/?sort={sort}", HTTP_HX_REQUEST="true")] == few
