"""What a bulk import writes: new drafts, values inserted and updated in place, unchanged values
recognised for every value type (SQLite keeps decimals as REAL, PostgreSQL as numeric), narrative
texts, versions and one audit row per report."""

from __future__ import annotations

from decimal import Decimal

import pytest

from baocao.audit.models import AuditEvent
from baocao.exchange.bulk import bulk_import
from baocao.exchange.rows import ValueRow
from baocao.submissions.choices import SubmissionStatus
from baocao.submissions.models import Submission, SubmissionNarrative, SubmissionValue
from tests.factories import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db) -> World:
    return World()


def rows(unit: str, **values) -> list[ValueRow]:
    return [ValueRow("BC-TEST", "2022S1", unit, code, value) for code, value in values.items()]


FIRST = {"A": "2", "B": "1234567", "PCT": "12.5", "NOTE": "Ổn định", "RESULTS": "Hoàn thành\r\nkế hoạch"}


def load(world, items, **kwargs):
    return bulk_import(rows=items, acting_user=world.admin, **kwargs)


def stored(unit: str) -> dict[str, object]:
    out: dict[str, object] = {}
    for v in SubmissionValue.objects.filter(submission__unit__code=unit).select_related("indicator"):
        out[v.indicator.code] = v.number if v.text == "" else v.text
    for n in SubmissionNarrative.objects.filter(submission__unit__code=unit).select_related("field"):
        out[n.field.code] = n.text
    return out


def test_new_drafts_hold_every_value_type_with_one_audit_row_each(world):
    summary = load(world, rows("UA", **FIRST) + rows("UB", A="0", B="5"))
    assert (summary.imported, summary.updated, summary.written) == (7, 0, True)
    subs = {s.unit.code: s for s in Submission.objects.select_related("unit")}
    assert {s.status for s in subs.values()} == {SubmissionStatus.DRAFT}
    assert {s.version for s in subs.values()} == {1}
    assert stored("UA") == {"A": 2, "B": 1234567, "PCT": Decimal("12.5"), "NOTE": "Ổn định",
                            "RESULTS": "Hoàn thành\nkế hoạch"}
    assert set(SubmissionValue.objects.values_list("changed_version", flat=True)) == {1}
    events = AuditEvent.objects.filter(action="exchange.import").order_by("unit__code")
    assert [(e.unit.code, e.entity_id, e.actor_id, e.comment) for e in events] == [
        ("UA", subs["UA"].pk, world.admin.pk, "Nhập hàng loạt: 5 giá trị mới, 0 cập nhật, 0 xóa; tạo báo cáo nháp."),
        ("UB", subs["UB"].pk, world.admin.pk, "Nhập hàng loạt: 2 giá trị mới, 0 cập nhật, 0 xóa; tạo báo cáo nháp."),
    ]


@pytest.mark.parametrize("spelling", [
    {"A": "2", "PCT": "12.50"},
    {"A": 2, "PCT": Decimal("12.5")},
    {"A": 2.0, "PCT": 12.5},
])
def test_the_same_values_again_are_unchanged(world, spelling):
    load(world, rows("UA", **FIRST))
    again = dict(FIRST, **spelling)
    again["RESULTS"] = "Hoàn thành\nkế hoạch"
    summary = load(world, rows("UA", **again))
    assert (summary.unchanged, summary.updated, summary.imported, summary.written) == (5, 0, 0, False)
    assert Submission.objects.get().version == 1


def test_fractional_values_compare_exactly(world):
    load(world, rows("UA", PCT="0.1"))
    assert load(world, rows("UA", PCT="0.1")).unchanged == 1
    assert load(world, rows("UA", PCT="0.100001")).updated == 1
    assert stored("UA")["PCT"] == Decimal("0.100001")


def test_changes_update_in_place_and_bump_the_version(world):
    load(world, rows("UA", **FIRST))
    ids = dict(SubmissionValue.objects.values_list("indicator__code", "id"))
    summary = load(world, rows("UA", A="3", B="1234567", PCT="99", NOTE="Tăng", RESULTS="Khác", **{}))
    assert (summary.updated, summary.unchanged) == (4, 1)
    assert dict(SubmissionValue.objects.values_list("indicator__code", "id")) == ids  # same rows, updated
    sub = Submission.objects.get()
    assert sub.version == 2
    changed = dict(SubmissionValue.objects.values_list("indicator__code", "changed_version"))
    assert changed == {"A": 2, "B": 1, "PCT": 2, "NOTE": 2}
    assert stored("UA") == {"A": 3, "B": 1234567, "PCT": Decimal("99"), "NOTE": "Tăng", "RESULTS": "Khác"}
    event = AuditEvent.objects.filter(action="exchange.import").latest("pk")
    assert (event.new_value, event.comment) == ("2", "Nhập hàng loạt: 0 giá trị mới, 4 cập nhật, 0 xóa.")


def test_mixed_new_changed_and_emptied_values_in_one_report(world):
    load(world, rows("UA", A="2", NOTE="x"))
    summary = load(world, rows("UA", A="4", B="6", NOTE=""))
    assert (summary.imported, summary.updated, summary.deleted) == (1, 1, 1)
    assert stored("UA") == {"A": 4, "B": 6}


def test_a_returned_report_takes_an_import_and_keeps_its_status(world):
    load(world, rows("UA", A="2"))
    Submission.objects.update(status=SubmissionStatus.RETURNED, version=7)
    assert load(world, rows("UA", A="5")).updated == 1
    sub = Submission.objects.get()
    assert (sub.status, sub.version) == (SubmissionStatus.RETURNED, 8)


def test_large_whole_numbers_and_bounds(world):
    # 15 significant digits: what Django reads back exactly from SQLite, whose decimals go through a float.
    summary = load(world, rows("UA", A="999999999999999", B="007"))
    assert summary.written and stored("UA") == {"A": 999999999999999, "B": 7}
    summary = load(world, rows("UB", A="100000000000000000"))
    assert not summary.written and "quá lớn" in summary.conflicts[0]["reason"]
    summary = load(world, rows("UB", PCT="101"))
    assert "không được lớn hơn 100" in summary.conflicts[0]["reason"] or "từ 0 đến 100" in summary.conflicts[0]["reason"]


def test_the_same_value_under_two_period_spellings_is_a_duplicate(world):
    items = [ValueRow("BC-TEST", "2022S1", "UA", "A", "1"), ValueRow("", "2022S1", "UA", "A", "2")]
    summary = load(world, items, regime="BC-TEST")
    assert not summary.written
    assert [c["row"] for c in summary.conflicts] == [2]
    assert "Trùng dòng" in summary.conflicts[0]["reason"]


@pytest.mark.parametrize("fmt,content,line", [
    ("csv", "regime,period,unit,code,value\nBC-TEST,2022S1,UA,A,1\n\nBC-TEST,2022S1,UA,B,x\n", 4),
    ("csv", "regime,period,unit,code,value\r\n\r\nBC-TEST,2022S1,UA,A,x\r\n", 3),
    ("dhis2-csv", "dataelement,period,orgunit,catoptcombo,attroptcombo,value\nA,2022S1,UA,,,1\n\nB,2022S1,UA,,,x\n",
     4),
])
def test_conflicts_name_the_files_row_after_blank_lines(world, fmt, content, line):
    from baocao.exchange.formats import read_file

    parsed = read_file(content.encode(), fmt=fmt)
    summary = bulk_import(rows=parsed.rows, acting_user=world.admin, regime="BC-TEST", first_row=parsed.first_row,
                          lines=parsed.lines)
    assert [c["row"] for c in summary.conflicts] == [line]
    assert not SubmissionValue.objects.exists()
