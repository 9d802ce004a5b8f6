"""Service tests for the unit tree: create, update, move, close, on the real database."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from baocao.accounts.choices import Role
from baocao.audit.models import AuditEvent
from baocao.core.errors import AppError
from baocao.orgunits.choices import UnitKind
from baocao.orgunits.models import OrgUnit
from baocao.orgunits.services import orgunit_close, orgunit_create, orgunit_move, orgunit_update
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin():
    return factories.user(username="quantri", role=Role.ADMIN, is_superuser=True)


def create(admin, code, parent=None, kind=UnitKind.OTHER, **fields):
    return orgunit_create(acting_user=admin, code=code, name=fields.pop("name", f"Đơn vị {code}"), kind=kind,
                          parent=parent, **fields)


def chain(admin, depth: int, prefix: str = "C") -> list[OrgUnit]:
    units: list[OrgUnit] = []
    parent = None
    for level in range(depth):
        parent = create(admin, f"{prefix}{level}", parent)
        units.append(parent)
    return units


class TestOrgunitCreate:
    def test_root_and_child_get_materialised_paths(self, admin):
        province = create(admin, "06", kind=UnitKind.PROVINCE, name="Tỉnh Bắc Kạn")
        department = create(admin, "STTTT", province, kind=UnitKind.DEPARTMENT,
                            name="Sở Thông tin và Truyền thông tỉnh Bắc Kạn", short_name="Sở TTTT")
        province.refresh_from_db()
        department.refresh_from_db()
        assert province.path == f"/{province.pk}/" and province.depth == 0
        assert department.path == f"/{province.pk}/{department.pk}/" and department.depth == 1
        assert department.ancestor_ids() == [province.pk, department.pk]
        assert department.search_text == "stttt so thong tin va truyen thong tinh bac kan so tttt"

    def test_writes_an_audit_row(self, admin):
        unit = create(admin, "X1", name="Phòng Văn hóa và Thông tin huyện Ba Bể")
        event = AuditEvent.objects.get(entity="orgunit", entity_id=unit.pk)
        assert event.action == "orgunit.create"
        assert event.actor == admin
        assert "Ba Bể" in event.new_value

    def test_duplicate_code_is_refused(self, admin):
        create(admin, "DUP")
        with pytest.raises(AppError, match="Mã «DUP» đã được dùng"):
            create(admin, "DUP")
        assert OrgUnit.objects.filter(code="DUP").count() == 1

    def test_unknown_kind_is_refused(self, admin):
        with pytest.raises(AppError, match="Loại đơn vị «planet» không hợp lệ"):
            create(admin, "K1", kind="planet")
        assert not OrgUnit.objects.exists()

    def test_parent_closed_is_refused(self, admin):
        parent = create(admin, "OLD", valid_to=date(2025, 6, 30))
        with pytest.raises(AppError, match="đã hết hiệu lực từ 30/06/2025"):
            create(admin, "NEW", parent)
        # A unit that itself starts before the parent closed may still be recorded (history).
        historical = create(admin, "HIST", parent, valid_from=date(2020, 1, 1), valid_to=date(2025, 6, 30))
        assert historical.parent == parent

    def test_empty_code_and_name_are_refused(self, admin):
        with pytest.raises(AppError, match="Mã đơn vị không được để trống"):
            create(admin, "  ")
        with pytest.raises(AppError, match="Tên đơn vị không được để trống"):
            create(admin, "E1", name=" ")


class TestOrgunitUpdate:
    def test_one_audit_row_per_changed_field(self, admin):
        unit = create(admin, "U1", name="Tên cũ", short_name="Cũ")
        before = AuditEvent.objects.count()
        unit = orgunit_update(acting_user=admin, unit=unit, name="Tên mới", short_name="Cũ",
                              valid_from=date(2021, 1, 1))
        rows = AuditEvent.objects.filter(action="orgunit.update", entity_id=unit.pk).order_by("field")
        assert AuditEvent.objects.count() == before + 2
        assert [(r.field, r.old_value, r.new_value) for r in rows] == [
            ("name", "Tên cũ", "Tên mới"), ("valid_from", "", "2021-01-01")]
        unit.refresh_from_db()
        assert unit.search_text == "u1 ten moi cu"

    def test_nothing_changed_writes_nothing(self, admin):
        unit = create(admin, "U2", name="Giữ nguyên")
        before = AuditEvent.objects.count()
        orgunit_update(acting_user=admin, unit=unit, name="Giữ nguyên")
        assert AuditEvent.objects.count() == before

    def test_refuses_duplicate_code_and_unknown_fields(self, admin):
        create(admin, "TAKEN")
        unit = create(admin, "U3")
        with pytest.raises(AppError, match="đã được dùng"):
            orgunit_update(acting_user=admin, unit=unit, code="TAKEN")
        with pytest.raises(AppError, match="Không sửa được trường: parent, path"):
            orgunit_update(acting_user=admin, unit=unit, path="/1/", parent=None)


class TestOrgunitMove:
    def test_rewrites_the_whole_subtree_in_one_update(self, admin):
        old_root, new_root = create(admin, "OLD"), create(admin, "NEW")
        top = create(admin, "TOP", old_root)
        deep = [top]
        for level in range(5):
            deep.append(create(admin, f"D{level}", deep[-1]))
        side = create(admin, "SIDE", top)
        outsider = create(admin, "OUT", old_root)

        with CaptureQueriesContext(connection) as ctx:
            orgunit_move(acting_user=admin, unit=top, new_parent=new_root)
        path_updates = [q["sql"] for q in ctx.captured_queries
                        if q["sql"].startswith("UPDATE") and '"path"' in q["sql"]]
        assert len(path_updates) == 1

        new_root.refresh_from_db()
        for unit in [*deep, side]:
            unit.refresh_from_db()
            parent = unit.parent
            assert unit.path == f"{parent.path}{unit.pk}/"
            assert unit.depth == parent.depth + 1
        assert deep[-1].path.startswith(new_root.path) and deep[-1].depth == 6
        outsider.refresh_from_db()
        assert outsider.path == f"/{old_root.pk}/{outsider.pk}/"
        event = AuditEvent.objects.get(action="orgunit.move")
        assert (event.field, event.old_value, event.new_value) == ("parent", "Đơn vị OLD", "Đơn vị NEW")

    def test_move_to_root(self, admin):
        root, child, grandchild = chain(admin, 3)
        orgunit_move(acting_user=admin, unit=child, new_parent=None)
        grandchild.refresh_from_db()
        assert grandchild.path == f"/{child.pk}/{grandchild.pk}/" and grandchild.depth == 1

    def test_refuses_its_own_descendant_or_itself(self, admin):
        root, child, grandchild = chain(admin, 3)
        with pytest.raises(AppError, match="chính nó hoặc đơn vị cấp dưới"):
            orgunit_move(acting_user=admin, unit=child, new_parent=grandchild)
        with pytest.raises(AppError, match="chính nó hoặc đơn vị cấp dưới"):
            orgunit_move(acting_user=admin, unit=child, new_parent=child)
        grandchild.refresh_from_db()
        assert grandchild.path == f"/{root.pk}/{child.pk}/{grandchild.pk}/"

    def test_refuses_a_closed_parent(self, admin):
        closed = create(admin, "CLOSED")
        orgunit_close(acting_user=admin, unit=closed, valid_to=date(2020, 1, 1))
        unit = create(admin, "MOVER")
        with pytest.raises(AppError, match="đã hết hiệu lực"):
            orgunit_move(acting_user=admin, unit=unit, new_parent=closed)


class TestOrgunitClose:
    def test_children_must_be_closed_or_moved_first(self, admin):
        district = create(admin, "063", kind=UnitKind.PEOPLES_COMMITTEE, name="Huyện Bạch Thông")
        commune = create(admin, "01900", district, kind=UnitKind.COMMUNE, name="Xã Nguyên Phúc")
        with pytest.raises(AppError, match="còn 1 đơn vị cấp dưới đang hoạt động"):
            orgunit_close(acting_user=admin, unit=district, valid_to=date(2025, 6, 30))
        orgunit_close(acting_user=admin, unit=commune, valid_to=date(2025, 6, 30))
        orgunit_close(acting_user=admin, unit=district, valid_to=date(2025, 6, 30))
        district.refresh_from_db()
        assert district.valid_to == date(2025, 6, 30)
        assert OrgUnit.objects.filter(pk=district.pk).exists()
        assert not district.is_valid_on(date(2025, 7, 1))
        assert AuditEvent.objects.filter(action="orgunit.close").count() == 2

    def test_a_child_closing_later_blocks(self, admin):
        parent = create(admin, "PAR")
        create(admin, "KID", parent, valid_to=date(2026, 1, 1))
        with pytest.raises(AppError, match="Hãy đóng hoặc chuyển"):
            orgunit_close(acting_user=admin, unit=parent, valid_to=date(2025, 6, 30))

    def test_a_moved_child_no_longer_blocks(self, admin):
        parent, elsewhere = create(admin, "PAR"), create(admin, "ELSE")
        child = create(admin, "KID", parent)
        orgunit_move(acting_user=admin, unit=child, new_parent=elsewhere)
        orgunit_close(acting_user=admin, unit=parent, valid_to=date(2025, 6, 30))

    def test_already_closed_is_refused_and_nothing_is_deleted(self, admin):
        unit = create(admin, "GONE")
        orgunit_close(acting_user=admin, unit=unit, valid_to=date(2025, 6, 30))
        with pytest.raises(AppError, match="đã hết hiệu lực từ 30/06/2025"):
            orgunit_close(acting_user=admin, unit=unit, valid_to=date(2025, 7, 1))
        with pytest.raises(TypeError):
            unit.delete()
        with pytest.raises(TypeError):
            OrgUnit.objects.filter(pk=unit.pk).delete()


class TestDescendants:
    @pytest.mark.parametrize("depth", [2, 8])
    def test_one_query_whatever_the_depth(self, admin, depth, django_assert_num_queries):
        units = chain(admin, depth)
        for unit in units:
            create(admin, f"L{unit.code}", unit)  # a leaf on every level
        create(admin, "STRANGER")
        root = OrgUnit.objects.get(pk=units[0].pk)
        with django_assert_num_queries(1):
            found = list(root.descendants())
        assert len(found) == 2 * depth - 1
        bottom = OrgUnit.objects.get(pk=units[-1].pk)
        with django_assert_num_queries(1):
            assert bottom.descendants(include_self=True).count() == 2
