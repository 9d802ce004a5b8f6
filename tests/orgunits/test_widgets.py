"""The unit picker (orgunits.widgets): the units of the user's scope only, in tree order, indented,
with their parents' names for the search box; one query for the options however many units; the
forms that use it still refuse a unit outside the scope; the exchange page's export picks a unit
by id (the old unit code still works) and refuses another one in Vietnamese."""

from __future__ import annotations

from datetime import date, timedelta
from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from baocao.cases.forms import CaseForm
from baocao.core.clock import today_vn
from baocao.orgunits.models import OrgUnit
from baocao.orgunits.widgets import INDENT, UnitPicker, picker_units, unit_choices
from baocao.work.forms import PlanForm, TaskForm
from tests.factories import World, unit

pytestmark = pytest.mark.django_db


class _Options(HTMLParser):
    """The options of the <select name=…> of a page: (value, attributes, text)."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.name, self.inside, self.in_option, self.options, self.selects = name, False, False, [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "select" and attrs.get("name") == self.name:
            self.inside = True
            self.selects.append(attrs)
        elif tag == "option" and self.inside:
            self.in_option = True
            self.options.append([attrs.get("value"), attrs, ""])

    def handle_endtag(self, tag):
        if tag == "select":
            self.inside = False
        elif tag == "option":
            self.in_option = False

    def handle_data(self, data):
        if self.inside and self.in_option:
            self.options[-1][2] += data


def options(html: str, name: str) -> list[tuple[str, dict, str]]:
    parser = _Options(name)
    parser.feed(html)
    return [(value, attrs, text) for value, attrs, text in parser.options]


def select_attrs(html: str, name: str) -> dict:
    parser = _Options(name)
    parser.feed(html)
    return parser.selects[0]


@pytest.fixture
def world():
    w = World()
    # Below the department (in the compiler's scope): an office and a team under it.
    w.office = unit(code="VP", name="Văn phòng Sở", parent=w.department)
    w.team = unit(code="TMC", name="Tổ Một cửa", parent=w.office)
    w.dong = unit(code="XDP", name="Xã Đồng Phúc", parent=w.office)
    # Below the other department (outside the compiler's scope).
    w.hidden = unit(code="YT-VP", name="Văn phòng Sở Y tế", parent=w.other_department)
    return w


def lead_unit_options(user):
    return options(str(TaskForm(user=user)["lead_unit"]), "lead_unit")


def test_task_form_lists_the_scope_in_tree_order_with_depth_and_parents(world):
    listed = lead_unit_options(world.compiler)
    assert listed[0][0] == "" and listed[0][2] == "— Chọn đơn vị —"
    units = {str(u.pk): u for u in OrgUnit.objects.all()}
    shown = [units[value] for value, _, _ in listed[1:]]
    assert shown == sorted(shown, key=lambda u: u.path)  # tree order: each unit right under its parent
    assert set(shown) == {world.department, world.office, world.team, world.dong, world.unit_a, world.unit_b}
    # Never a unit outside the scope, not even the province above them all, nor as a parent's name.
    page = str(TaskForm(user=world.compiler)["lead_unit"])
    for name in ("Sở Y tế", "Tỉnh Thử Nghiệm"):
        assert name not in page
    by_value = {value: (attrs, text) for value, attrs, text in listed}
    attrs, text = by_value[str(world.team.pk)]
    assert attrs["data-depth"] == "2" and text == INDENT * 2 + "Tổ Một cửa"
    assert attrs["data-parent"] == "Văn phòng Sở" and attrs["data-name"] == "Tổ Một cửa"
    assert attrs["data-search"] == "tmc to mot cua van phong so so thong tin va truyen thong"
    attrs, text = by_value[str(world.unit_a.pk)]
    assert attrs["data-depth"] == "0" and "data-parent" not in attrs and text == world.unit_a.name
    # đ is folded to d, the marks dropped: what the search box compares with the folded query.
    assert by_value[str(world.dong.pk)][0]["data-search"].startswith("xdp xa dong phuc")


def test_a_reporter_is_offered_their_own_unit_only(world):
    listed = lead_unit_options(world.reporter_a)
    assert [value for value, _, _ in listed] == ["", str(world.unit_a.pk)]


def test_multiple_picker_marks_the_chosen_units(world):
    form = TaskForm(user=world.compiler, initial={"cooperating_units": [world.team.pk, world.unit_b.pk]})
    html = str(form["cooperating_units"])
    assert select_attrs(html, "cooperating_units").keys() >= {"multiple", "data-unit-picker", "size"}
    chosen = [value for value, attrs, _ in options(html, "cooperating_units") if "selected" in attrs]
    assert chosen == [str(world.team.pk), str(world.unit_b.pk)]


def test_forms_refuse_a_unit_outside_the_scope(world):
    data = {"title": "Rà soát đài truyền thanh", "lead_unit": world.hidden.pk, "recurrence": ""}
    form = TaskForm(data=data, user=world.compiler)
    assert not form.is_valid() and "lead_unit" in form.errors
    form = TaskForm(data={**data, "lead_unit": world.team.pk,
                          "cooperating_units": [world.hidden.pk]}, user=world.compiler)
    assert not form.is_valid() and list(form.errors) == ["cooperating_units"]
    form = TaskForm(data={**data, "lead_unit": world.team.pk, "cooperating_units": [world.unit_b.pk]},
                    user=world.compiler)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["lead_unit"] == world.team
    case = {"owner": world.department.pk, "kind": "complaint", "received_on": "02/12/2026", "channel": "direct",
            "summary": "Khiếu nại", "assigned_unit": world.hidden.pk}
    form = CaseForm(data=case, user=world.inspector)
    assert not form.is_valid() and "assigned_unit" in form.errors
    form = CaseForm(data={**case, "owner": world.other_department.pk, "assigned_unit": world.team.pk},
                    user=world.inspector)
    assert not form.is_valid() and "owner" in form.errors


def test_closed_units_stay_out_of_the_forms_and_are_marked_in_filters(world):
    """The forms offer the units in being today (valid_on), as before the picker; a list filter that
    shows every unit in scope marks a closed one with its last day."""
    OrgUnit.objects.filter(pk=world.team.pk).update(valid_to=today_vn() - timedelta(days=1))
    assert str(world.team.pk) not in {value for value, _, _ in lead_unit_options(world.compiler)}
    team = OrgUnit.objects.get(pk=world.team.pk)
    html = UnitPicker(choices=unit_choices([team], blank="Tất cả")).render("unit", "")
    assert f"Tổ Một cửa (đến {team.valid_to:%d/%m/%Y})" in html


def test_plan_issuer_keeps_the_units_above_the_user(world):
    """The issuer of a plan may be the province above the department (as before the picker)."""
    listed = options(str(PlanForm(user=world.compiler)["issuer"]), "issuer")
    assert str(world.province.pk) in {value for value, _, _ in listed}
    assert str(world.hidden.pk) not in {value for value, _, _ in listed}


def render_queries(form_class, user, *fields) -> list[int]:
    counts = []
    for name in fields:
        form = form_class(user=user)
        with CaptureQueriesContext(connection) as ctx:
            str(form[name])
        counts.append(len(ctx.captured_queries))
    return counts


def test_one_query_for_the_options_however_many_units(world):
    before_task = render_queries(TaskForm, world.compiler, "lead_unit", "cooperating_units")
    before_case = render_queries(CaseForm, world.inspector, "owner", "assigned_unit")
    assert before_task == [1, 1] and before_case == [1, 1]
    for n in range(40):
        unit(code=f"X{n}", name=f"Xã Thử {n}", parent=world.office if n % 2 else world.team)
    assert render_queries(TaskForm, world.compiler, "lead_unit", "cooperating_units") == before_task
    assert render_queries(CaseForm, world.inspector, "owner", "assigned_unit") == before_case
    assert len(lead_unit_options(world.compiler)) == 1 + 6 + 40


@pytest.mark.parametrize("role", ["compiler", "inspector"])
def test_whole_form_pages_do_not_grow_with_the_number_of_units(world, role):
    c = Client()
    c.force_login(getattr(world, role))

    def queries(path):
        with CaptureQueriesContext(connection) as ctx:
            assert c.get(path).status_code == 200
        return len(ctx.captured_queries)

    paths = ["/tasks/new/", "/tasks/", "/exchange/"] if role == "compiler" else ["/cases/new/", "/cases/"]
    few = [queries(p) for p in paths]
    for n in range(30):
        unit(code=f"Y{n}", name=f"Xã Nhiều {n}", parent=world.office)
    assert [queries(p) for p in paths] == few


def test_pages_render_the_picker(world):
    c, inspector = Client(), Client()
    c.force_login(world.compiler)
    inspector.force_login(world.inspector)
    for path, name in [("/tasks/new/", "lead_unit"), ("/tasks/new/", "cooperating_units"), ("/cases/new/", "owner"),
                       ("/cases/new/", "assigned_unit"), ("/tasks/", "unit"), ("/exchange/", "unit_id")]:
        html = (inspector if path.startswith("/cases/") else c).get(path).content.decode()
        assert "data-unit-picker" in select_attrs(html, name), (path, name)
        values = {value for value, _, _ in options(html, name)}
        assert str(world.team.pk) in values and str(world.hidden.pk) not in values, (path, name)
    html = c.get("/tasks/", {"unit": world.team.pk}).content.decode()
    assert [v for v, attrs, _ in options(html, "unit") if "selected" in attrs] == [str(world.team.pk)]


def test_picker_units_reads_only_what_it_shows(world):
    with CaptureQueriesContext(connection) as ctx:
        html = UnitPicker(choices=unit_choices(picker_units(OrgUnit.objects.within(world.department)))).render(
            "unit", str(world.office.pk))
    assert len(ctx.captured_queries) == 1
    assert [v for v, attrs, _ in options(html, "unit") if "selected" in attrs] == [str(world.office.pk)]


# ---------------------------------------------------------------------------
# The exchange page's export: a unit picked, not typed


def export(client, **params):
    return client.get("/exchange/", {"export": "1", "regime": "BC-TEST", "period": "2022S1", "format": "csv",
                                     **params})


def stored_world(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    admin = Client()
    admin.force_login(world.admin)
    rows = "regime,period,unit,code,value\nBC-TEST,2022S1,UA,A,3\nBC-TEST,2022S1,UB,A,4\n"
    admin.post("/exchange/", {"file": SimpleUploadedFile("x.csv", rows.encode()), "format": "auto",
                              "strategy": "CREATE_AND_UPDATE"}, headers={"HX-Request": "true"})


def test_export_by_the_picked_unit(world):
    stored_world(world)
    c = Client()
    c.force_login(world.compiler)
    r = export(c, unit_id=str(world.unit_b.pk))
    assert r.status_code == 200
    assert r.content.decode("utf-8-sig").splitlines() == ["regime,period,unit,code,value", "BC-TEST,2022S1,UB,A,4"]
    # The code a link or script written before the picker sends still works.
    r = export(c, unit="UA")
    assert r.content.decode("utf-8-sig").splitlines()[1:] == ["BC-TEST,2022S1,UA,A,3"]
    # An empty choice: every unit in scope.
    assert len(export(c, unit_id="").content.decode("utf-8-sig").splitlines()) == 3


@pytest.mark.parametrize("value", ["hidden", "99999999", "abc", "1" * 40, "-3"])
def test_export_refuses_another_or_unknown_unit_in_vietnamese(world, value):
    stored_world(world)
    reporter = Client()
    reporter.force_login(world.reporter_a)
    unit_id = {"hidden": str(world.unit_b.pk)}.get(value, value)
    r = export(reporter, unit_id=unit_id)
    assert r.status_code == 400
    html = r.content.decode()
    assert "Không tìm thấy đơn vị đã chọn hoặc đơn vị ngoài phạm vi của bạn." in html
    assert "huyện Bình" not in html  # the other unit is never named, nor listed in the picker
    assert [v for v, _, _ in options(html, "unit_id")] == ["", str(world.unit_a.pk)]


def test_exchange_picker_lists_closed_units_of_past_periods(world):
    """An export is of any period, so the picker lists the scope's units that have ended too."""
    OrgUnit.objects.filter(pk=world.unit_b.pk).update(valid_to=date(2025, 6, 30))
    c = Client()
    c.force_login(world.compiler)
    html = c.get("/exchange/").content.decode()
    labels = {v: text for v, _, text in options(html, "unit_id")}
    assert labels[str(world.unit_b.pk)] == "Phòng Văn hóa và Thông tin huyện Bình (đến 30/06/2025)"
