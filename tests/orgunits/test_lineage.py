"""The units' history: events with shares, lookups by code on a day, the set-based walk back to
the units of an earlier day, and the refusals (shares, dates, cycles) that write nothing."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction

from baocao.audit.models import AuditEvent
from baocao.core.errors import AppError
from baocao.orgunits.choices import PreviousBasis, ReorgKind, ShareMethod, UnitKind
from baocao.orgunits.events import LinkSpec, reorg_event_record, reorg_rename, reorg_reparent
from baocao.orgunits.lineage import lineage_sources, parents_on, unit_by_code, unit_history, units_by_code
from baocao.orgunits.models import OrgUnit, ReorgEvent, UnitLink
from baocao.orgunits.selectors import orgunit_list
from baocao.orgunits.services import orgunit_create

pytestmark = pytest.mark.django_db

JULY = date(2025, 7, 1)
JUNE_END = date(2025, 6, 30)
BASIS = "Nghị quyết số 1683/NQ-UBTVQH15"


@pytest.fixture
def tree(admin_user):
    """Old province 06 with district 058 and communes 01834, 01837, 01840; on 1 July 2025 the new
    commune 01840 takes 01834, 01840 and 40% of 01837, and the new 01846 the other 60%."""
    province = orgunit_create(acting_user=admin_user, code="06", name="Tỉnh Bắc Kạn", kind=UnitKind.PROVINCE)
    district = orgunit_create(acting_user=admin_user, code="058", name="Thành phố Bắc Kạn",
                              kind=UnitKind.PEOPLES_COMMITTEE, parent=province)
    old = {code: orgunit_create(acting_user=admin_user, code=code, name=name, kind=UnitKind.COMMUNE, parent=district)
           for code, name in (("01834", "Phường Nguyễn Thị Minh Khai"), ("01837", "Phường Sông Cầu"),
                              ("01840", "Phường Đức Xuân"))}
    new_a = orgunit_create(acting_user=admin_user, code="01840x", name="Phường Đức Xuân (mới)",
                           kind=UnitKind.COMMUNE, parent=province, valid_from=JULY)
    new_b = orgunit_create(acting_user=admin_user, code="01846", name="Phường Bắc Kạn",
                           kind=UnitKind.COMMUNE, parent=province, valid_from=JULY)
    return {"province": province, "district": district, "old": old, "a": new_a, "b": new_b}


def _merge(admin_user, tree, b_share="0.6"):
    old = tree["old"]
    return reorg_event_record(
        acting_user=admin_user, kind=ReorgKind.MERGE, effective=JULY, legal_basis=BASIS, links=[
            LinkSpec(old["01834"], tree["a"]), LinkSpec(old["01840"], tree["a"]),
            LinkSpec(old["01837"], tree["a"], Decimal("0.4"), ShareMethod.POPULATION),
            LinkSpec(old["01837"], tree["b"], Decimal(b_share), ShareMethod.POPULATION),
        ])


def test_a_merge_ends_the_predecessors_and_the_new_units_are_made_of_them(admin_user, tree):
    _merge(admin_user, tree)
    old = {u.code: u for u in OrgUnit.objects.filter(pk__in=[u.pk for u in tree["old"].values()])}
    assert {u.valid_to for u in old.values()} == {JUNE_END}
    assert AuditEvent.objects.filter(action="orgunit.close").count() == 3
    assert AuditEvent.objects.filter(action="orgunit.reorganise").count() == 1

    sources = lineage_sources([tree["a"].pk, tree["b"].pk], on=date(2025, 6, 14))
    a, b = sources[tree["a"].pk], sources[tree["b"].pk]
    assert a.shares == {old["01834"].pk: 1, old["01840"].pk: 1, old["01837"].pk: Decimal("0.4")}
    assert b.shares == {old["01837"].pk: Decimal("0.6")}
    assert (a.basis, b.basis) == (PreviousBasis.ESTIMATE, PreviousBasis.ESTIMATE)
    assert a.estimated == [old["01837"].pk]
    # After the change the units are their own sources.
    assert lineage_sources([tree["a"].pk], on=date(2025, 12, 14))[tree["a"].pk].basis == PreviousBasis.SAME_UNIT


def test_the_walk_back_is_set_based(admin_user, tree, django_assert_max_num_queries):
    _merge(admin_user, tree)
    ids = [tree["a"].pk, tree["b"].pk]
    with django_assert_max_num_queries(5):
        lineage_sources(ids, on=date(2025, 6, 14))


def test_a_chain_of_events_multiplies_the_shares(admin_user, tree):
    _merge(admin_user, tree)
    later = orgunit_create(acting_user=admin_user, code="01900", name="Phường Mới", kind=UnitKind.COMMUNE,
                           parent=tree["province"], valid_from=date(2026, 1, 1))
    # 1 January 2026: half of the new 01846 goes to 01900, the other half stays.
    reorg_event_record(acting_user=admin_user, kind=ReorgKind.TRANSFER, effective=date(2026, 1, 1), links=[
        LinkSpec(tree["b"], later, Decimal("0.5"), ShareMethod.AREA),
        LinkSpec(tree["b"], tree["b"], Decimal("0.5"), ShareMethod.AREA)])
    sources = lineage_sources([later.pk, tree["b"].pk], on=date(2025, 6, 14))
    assert sources[later.pk].shares == {tree["old"]["01837"].pk: Decimal("0.3")}
    assert sources[tree["b"].pk].shares == {tree["old"]["01837"].pk: Decimal("0.3")}
    # Compared with 2025S2 (after July, before the transfer), 01846 kept half of itself.
    assert lineage_sources([tree["b"].pk], on=date(2025, 12, 14))[tree["b"].pk].shares == {tree["b"].pk: Decimal("0.5")}


def test_shares_that_do_not_add_up_to_one_are_refused_and_nothing_is_written(admin_user, tree):
    before = (ReorgEvent.objects.count(), UnitLink.objects.count(), AuditEvent.objects.count())
    with pytest.raises(AppError, match="Tổng tỷ lệ của «Phường Sông Cầu» ngày 01/07/2025 là 0.9, phải bằng 1"):
        _merge(admin_user, tree, b_share="0.5")
    assert (ReorgEvent.objects.count(), UnitLink.objects.count(), AuditEvent.objects.count()) == before
    assert not OrgUnit.objects.filter(valid_to__isnull=False).exists()


@pytest.mark.parametrize("share, message", [("0", "lớn hơn 0"), ("1.5", "không quá 1"), ("abc", "không phải là số"),
                                            ("NaN", "lớn hơn 0")])
def test_a_share_outside_0_1_is_refused(admin_user, tree, share, message):
    with pytest.raises(AppError, match=message):
        reorg_event_record(acting_user=admin_user, kind=ReorgKind.SPLIT, effective=JULY, links=[
            LinkSpec(tree["old"]["01837"], tree["a"], share, ShareMethod.MANUAL)])
    assert not UnitLink.objects.exists()


def test_a_part_needs_its_method(admin_user, tree):
    with pytest.raises(AppError, match="phải nói cách xác định"):
        reorg_event_record(acting_user=admin_user, kind=ReorgKind.SPLIT, effective=JULY, links=[
            LinkSpec(tree["old"]["01837"], tree["a"], Decimal("0.5")),
            LinkSpec(tree["old"]["01837"], tree["b"], Decimal("0.5"))])


def test_dates_that_conflict_are_refused(admin_user, tree):
    # The successor only exists from 1 July: an event of 1 January cannot feed it.
    with pytest.raises(AppError, match="không có hiệu lực ngày 01/01/2025"):
        reorg_event_record(acting_user=admin_user, kind=ReorgKind.MERGE, effective=date(2025, 1, 1),
                           links=[LinkSpec(tree["old"]["01834"], tree["a"])])
    _merge(admin_user, tree)
    # An ended unit cannot be merged again later.
    with pytest.raises(AppError, match="không còn hiệu lực ngày 31/12/2025"):
        reorg_event_record(acting_user=admin_user, kind=ReorgKind.MERGE, effective=date(2026, 1, 1),
                           links=[LinkSpec(tree["old"]["01834"], tree["b"])])


def test_a_cycle_is_refused(admin_user, tree):
    a, b = tree["a"], tree["b"]
    reorg_event_record(acting_user=admin_user, kind=ReorgKind.TRANSFER, effective=date(2026, 1, 1), links=[
        LinkSpec(a, b, Decimal("0.3"), ShareMethod.AREA), LinkSpec(a, a, Decimal("0.7"), ShareMethod.AREA)])
    with pytest.raises(AppError, match="vòng lặp"):
        reorg_event_record(acting_user=admin_user, kind=ReorgKind.TRANSFER, effective=date(2026, 2, 1), links=[
            LinkSpec(b, a, Decimal("0.2"), ShareMethod.AREA), LinkSpec(b, b, Decimal("0.8"), ShareMethod.AREA)])
    with pytest.raises(AppError, match="không thể kế thừa chính nó"):
        reorg_event_record(acting_user=admin_user, kind=ReorgKind.MERGE, effective=date(2026, 3, 1),
                           links=[LinkSpec(a, a)])


def test_a_code_is_held_by_one_unit_at_a_time(admin_user, tree):
    _merge(admin_user, tree)
    # The old 01840 ended on 30 June: the code is free from 1 July, not before.
    with pytest.raises(AppError, match="Mã «01840» đã được dùng cho đơn vị «Phường Đức Xuân»"):
        orgunit_create(acting_user=admin_user, code="01840", name="X", kind=UnitKind.COMMUNE,
                       parent=tree["province"], valid_from=date(2025, 6, 1))
    new = orgunit_create(acting_user=admin_user, code="01840", name="Phường Đức Xuân", kind=UnitKind.COMMUNE,
                         parent=tree["province"], valid_from=JULY)
    assert unit_by_code("01840", on=JUNE_END) == tree["old"]["01840"]
    assert unit_by_code("01840", on=JULY) == new
    assert unit_by_code("01840") == new
    assert unit_by_code("01840", on=date(2025, 6, 15), until=date(2025, 12, 14)) == new  # the latest holder
    assert units_by_code(["01834", "01846"], on=JUNE_END) == {"01834": tree["old"]["01834"]}
    # The database refuses two current holders whatever the entry point.
    with pytest.raises(IntegrityError), transaction.atomic():
        OrgUnit.objects.create(code="01840", name="Y", kind=UnitKind.COMMUNE)


def test_a_rename_keeps_the_former_name_and_code(admin_user, tree):
    unit = tree["old"]["01834"]
    reorg_rename(acting_user=admin_user, unit=unit, effective=date(2024, 1, 1), name="Phường Minh Khai", code="01835",
                 legal_basis="Nghị quyết số 1/NQ")
    unit.refresh_from_db()
    assert (unit.code, unit.name) == ("01835", "Phường Minh Khai")
    assert unit_by_code("01834", on=date(2023, 6, 1)) == unit
    assert unit_by_code("01834", on=date(2024, 6, 1)) is None
    assert list(orgunit_list(user=admin_user, q="nguyen thi minh khai")) == [unit]
    history = unit_history(unit)
    assert [(n.code, n.name) for n in history.former_names] == [("01834", "Phường Nguyễn Thị Minh Khai")]
    assert AuditEvent.objects.filter(action="orgunit.reorganise", entity_id=history.former_names[0].event_id).exists()


def test_a_reparenting_remembers_the_parent_of_its_day(admin_user, tree):
    new_province = orgunit_create(acting_user=admin_user, code="19", name="Tỉnh Thái Nguyên", kind=UnitKind.PROVINCE,
                                  valid_from=date(2025, 6, 12))
    district = tree["district"]
    reorg_reparent(acting_user=admin_user, unit=district, new_parent=new_province, effective=date(2025, 6, 12))
    district.refresh_from_db()
    assert district.parent == new_province and district.path.startswith(new_province.path)
    assert parents_on([district], date(2025, 6, 1)) == {district.pk: tree["province"].pk}
    assert parents_on([district], date(2025, 6, 12)) == {district.pk: new_province.pk}


def test_units_lineage_prints_predecessors_and_successors(admin_user, tree):
    _merge(admin_user, tree)
    out = StringIO()
    call_command("units", "lineage", "01846", "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["code"] == "01846"
    assert data["predecessors"] == [{"code": "01837", "name": "Phường Sông Cầu", "share": 0.6, "method": "population",
                                     "effective": "2025-07-01", "legal_basis": BASIS}]
    assert data["successors"] == []
    out = StringIO()
    call_command("units", "lineage", "01837", "--on", "2025-06-30", stdout=out)
    text = out.getvalue()
    assert "Đơn vị kế thừa: 2" in text
    assert "01846    Phường Bắc Kạn — 60,00% (theo tỷ lệ dân số), từ 01/07/2025, Nghị quyết số 1683/NQ-UBTVQH15" in text
    with pytest.raises(CommandError, match="Không có đơn vị nào giữ mã «01837» ngày"):
        call_command("units", "lineage", "01837")


def test_the_history_page_shows_the_events_with_shares(client, admin_user, tree):
    _merge(admin_user, tree)
    client.force_login(admin_user)
    response = client.get(f"/units/{tree['old']['01837'].pk}/history/")
    text = response.content.decode()
    assert response.status_code == 200
    assert "01/07/2025</strong> — Sáp nhập (Nghị quyết số 1683/NQ-UBTVQH15)" in text
    assert "Phường Bắc Kạn</a> (60%, theo tỷ lệ dân số)" in text
    assert "hiệu lực từ trước khi có dữ liệu đến 30/06/2025" in text


def test_the_history_page_of_a_unit_out_of_scope_is_404(client, tree, django_user_model):
    from baocao.accounts.choices import Role

    reporter = django_user_model.objects.create_user("xa", password="x-Very-long-1", role=Role.REPORTER,
                                                      unit=tree["old"]["01834"])
    client.force_login(reporter)
    assert client.get(f"/units/{tree['old']['01837'].pk}/history/").status_code == 404
    assert client.get(f"/units/{tree['old']['01834'].pk}/history/").status_code == 200


def test_the_tree_of_a_day_in_the_list_page_and_the_api(client, admin_user, tree):
    _merge(admin_user, tree)
    client.force_login(admin_user)
    old_day = client.get("/units/?on=2025-06-30").content.decode()
    assert "Phường Sông Cầu" in old_day and "Phường Bắc Kạn" not in old_day
    today = client.get("/units/").content.decode()
    assert "Phường Sông Cầu" not in today and "Phường Bắc Kạn" in today
    assert client.get("/units/?on=not-a-date").status_code == 200
    items = client.get("/api/v1/units?on=2025-07-01&page_size=100").json()["items"]
    codes = [u["code"] for u in items]
    assert "01846" in codes and "01837" not in codes
    bad = client.get("/api/v1/units?on=2025-13-01")
    assert bad.status_code == 422 and set(bad.json()) == {"message", "extra"}


def test_the_api_gives_a_units_lineage_within_scope(client, admin_user, tree):
    _merge(admin_user, tree)
    client.force_login(admin_user)
    data = client.get(f"/api/v1/units/{tree['b'].pk}/lineage").json()
    assert data["predecessors"] == [{"code": "01837", "name": "Phường Sông Cầu", "share": 0.6, "method": "population",
                                     "effective": "2025-07-01", "legal_basis": BASIS}]
    assert client.get("/api/v1/units/999999/lineage").status_code == 404


def test_a_root_moved_under_a_parent_had_no_parent_before(admin_user, tree):
    """The rule of the day's parent is one SQL expression: a unit that was a root before its
    re-parenting has no parent on an earlier day (not its parent of today)."""
    root = orgunit_create(acting_user=admin_user, code="CTY", name="Công ty độc lập", kind=UnitKind.ENTERPRISE)
    reorg_reparent(acting_user=admin_user, unit=root, new_parent=tree["province"], effective=date(2024, 1, 1))
    assert parents_on([root], date(2023, 6, 1)) == {root.pk: None}
    assert parents_on([root], date(2024, 6, 1)) == {root.pk: tree["province"].pk}
    listed = {u.pk: u.parent_on for u in orgunit_list(user=admin_user, on=date(2023, 6, 1))}
    assert listed[root.pk] is None
