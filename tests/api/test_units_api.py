"""GET /units, /units/{id}, /units/{id}/children, /unit-groups: scope, filters, pagination."""

from __future__ import annotations

from datetime import date

import pytest

from baocao.orgunits.choices import UnitKind
from baocao.orgunits.models import OrgUnit
from tests import factories
from tests.api.conftest import assert_error, query_count

pytestmark = pytest.mark.django_db


def codes(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["code"] for item in response.json()["items"]]


class TestUnitList:
    def test_reporter_sees_only_their_unit(self, world, api):
        response = api(world.reporter_a).get("/units")
        assert response.json()["count"] == 1
        assert codes(response) == ["UA"]

    def test_compiler_sees_department_subtree_and_reporting_units(self, world, api):
        division = factories.unit(code="VP", name="Văn phòng Sở", kind=UnitKind.DIVISION, parent=world.department)
        found = codes(api(world.compiler).get("/units"))
        assert sorted(found) == sorted(["DEPT", division.code, "UA", "UB"])

    def test_compiler_of_another_department_sees_neither_unit(self, world, api):
        assert codes(api(world.other_compiler).get("/units")) == ["DEPT2"]

    def test_admin_sees_everything(self, world, api):
        assert api(world.admin).get("/units").json()["count"] == OrgUnit.objects.count()

    def test_item_shape(self, world, api):
        item = api(world.reporter_a).get("/units").json()["items"][0]
        assert item == {
            "id": world.unit_a.pk, "code": "UA", "name": "Phòng Văn hóa và Thông tin huyện An", "short_name": "",
            "kind": "district_office", "kind_label": "Phòng chuyên môn cấp huyện", "parent_id": world.province.pk,
            "depth": 1, "valid_from": None, "valid_to": None, "is_active": True,
        }

    @pytest.mark.parametrize("q", ["huyen an", "HUYỆN AN", "Phòng văn hoá  và thông tin huyện an", "ua"])
    def test_search_ignores_diacritics_and_case(self, world, api, q):
        assert codes(api(world.compiler).get("/units", {"q": q})) == ["UA"]

    def test_search_matches_a_phrase(self, world, api):
        assert sorted(codes(api(world.compiler).get("/units", {"q": "phong van hoa"}))) == ["UA", "UB"]
        assert codes(api(world.compiler).get("/units", {"q": "Bình"})) == ["UB"]

    def test_filter_kind_and_parent(self, world, api):
        client = api(world.admin)
        assert sorted(codes(client.get("/units", {"kind": "district_office"}))) == ["UA", "UB"]
        assert sorted(codes(client.get("/units", {"parent": world.province.pk}))) == ["DEPT", "DEPT2", "UA", "UB"]

    def test_unknown_kind_422(self, world, api):
        body = assert_error(api(world.admin).get("/units", {"kind": "planet"}), 422)
        assert body["extra"]["errors"][0]["loc"] == ["query", "kind"]

    def test_filter_active_and_valid_on(self, world, api):
        OrgUnit.objects.filter(pk=world.unit_b.pk).update(valid_to=date(2025, 6, 30))
        OrgUnit.objects.filter(pk=world.unit_a.pk).update(valid_from=date(2025, 7, 1))
        client = api(world.compiler)
        assert "UB" not in codes(client.get("/units", {"active": "true"}))
        assert codes(client.get("/units", {"active": "false"})) == ["UB"]
        assert "UA" not in codes(client.get("/units", {"valid_on": "2025-06-30"}))
        assert "UB" in codes(client.get("/units", {"valid_on": "2025-06-30"}))
        assert "UB" not in codes(client.get("/units", {"valid_on": "2025-07-01"}))

    def test_queries_do_not_grow_with_rows(self, world, api):
        client = api(world.compiler)
        few = query_count(client, "/units")
        for n in range(10):
            factories.unit(code=f"X{n:02d}", name=f"Xã {n}", kind=UnitKind.COMMUNE, parent=world.department)
        assert query_count(client, "/units") == few

    def test_pagination_shape(self, world, api):
        for n in range(60):
            factories.unit(code=f"X{n:02d}", name=f"Xã {n}", kind=UnitKind.COMMUNE, parent=world.department)
        client = api(world.compiler)
        first = client.get("/units").json()
        assert set(first) == {"items", "count"}
        assert first["count"] == 63 and len(first["items"]) == 50
        second = client.get("/units", {"page": 2}).json()
        assert len(second["items"]) == 13
        assert {i["id"] for i in first["items"]}.isdisjoint({i["id"] for i in second["items"]})
        assert len(client.get("/units", {"page_size": 5}).json()["items"]) == 5
        assert_error(client.get("/units", {"page": 0}), 422)


class TestUnitDetail:
    def test_in_scope(self, world, api):
        response = api(world.compiler).get(f"/units/{world.unit_a.pk}")
        assert response.status_code == 200
        assert response.json()["code"] == "UA"

    @pytest.mark.parametrize("who,unit", [("reporter_a", "unit_b"), ("compiler", "province"),
                                          ("other_compiler", "unit_a")])
    def test_out_of_scope_is_404(self, world, api, who, unit):
        assert_error(api(getattr(world, who)).get(f"/units/{getattr(world, unit).pk}"), 404, "Không tìm thấy")

    def test_unknown_id_404(self, world, api):
        assert_error(api(world.admin).get("/units/999999"), 404)

    def test_children(self, world, api):
        factories.unit(code="VP", name="Văn phòng Sở", kind=UnitKind.DIVISION, parent=world.department)
        response = api(world.compiler).get(f"/units/{world.department.pk}/children")
        assert [u["code"] for u in response.json()] == ["VP"]
        admin_view = api(world.admin).get(f"/units/{world.province.pk}/children").json()
        assert sorted(u["code"] for u in admin_view) == ["DEPT", "DEPT2", "UA", "UB"]

    def test_children_of_out_of_scope_unit_404(self, world, api):
        assert_error(api(world.compiler).get(f"/units/{world.province.pk}/children"), 404)


class TestUnitGroups:
    def test_members_are_limited_to_scope(self, world, api):
        group = factories.group(code="VT", members=[world.unit_a, world.unit_b])
        factories.group(code="HIDDEN", members=[world.other_department])
        mine = api(world.reporter_a).get("/unit-groups").json()
        assert mine == [{"id": group.pk, "code": "VT", "name": group.name, "member_ids": [world.unit_a.pk]}]
        compiler = api(world.compiler).get("/unit-groups").json()
        assert [(g["code"], sorted(g["member_ids"])) for g in compiler] == [
            ("VT", sorted([world.unit_a.pk, world.unit_b.pk]))]
        assert sorted(g["code"] for g in api(world.admin).get("/unit-groups").json()) == ["HIDDEN", "VT"]
