"""audit.history: audit rows told in words, from the vocabulary the owning app gives. The rows are
unsaved AuditEvent objects: describing them runs no query."""

from __future__ import annotations

from baocao.audit.history import (
    HistoryVocabulary,
    describe_events,
    show_auto,
    show_bool,
    show_choice,
    show_date,
    show_number,
    show_text,
)
from baocao.audit.models import AuditEvent

VOCABULARY = HistoryVocabulary(
    field_labels={"extension": "gia hạn", "status": "trạng thái", "count": "Kiến nghị đã giải quyết", "on": "ngày nhận", "urgent": "khẩn"},
    formatters={"status": show_choice({"received": "Mới tiếp nhận", "accepted": "Đã thụ lý"}), "count": show_number,
                "on": show_date, "urgent": show_bool},
)


def entry(field="", old="", new="", action="case.update", comment="", conceal=()):
    event = AuditEvent(action=action, entity="case", entity_id=1, field=field, old_value=old, new_value=new,
                       comment=comment)
    return describe_events([event], vocabulary=VOCABULARY, conceal=conceal)[0]


def test_numbers_read_vietnamese_whatever_way_they_were_stored():
    assert [show_number(v) for v in ("5", "1234.5", "1.234,5", "1234,50", "-3", "0.25")] == [
        "5", "1.234,5", "1.234,5", "1.234,5", "-3", "0,25"]
    assert show_number("không rõ") == "không rõ"


def test_dates_read_dd_mm_yyyy():
    assert show_date("2022-03-02") == show_date("02/03/2022") == "02/03/2022"
    assert show_auto("2022-03-02") == "02/03/2022"
    assert show_date("2022-03-02T03:05:00+00:00") == "02/03/2022 10:05"  # Vietnam time
    assert show_auto("KN-2022-07") == "KN-2022-07"


def test_booleans_choices_and_text():
    assert [show_bool(v) for v in ("True", "có", "0", "không")] == ["Có", "Có", "Không", "Không"]
    assert show_choice({"received": "Mới tiếp nhận"})("received") == "Mới tiếp nhận"
    assert show_choice({"received": "Mới tiếp nhận"})("Đã giải quyết") == "Đã giải quyết"  # already a label
    assert show_text(10)("một hai ba bốn năm") == "một hai b…"


def test_an_entry_in_words():
    e = entry("count", "5", "2")
    assert (e.field_label, e.old, e.new, e.change) == ("Kiến nghị đã giải quyết", "5", "2", "5 → 2")
    assert e.text == "sửa · Kiến nghị đã giải quyết: 5 → 2"
    assert entry("status", "received", "accepted").text == "sửa · trạng thái: Mới tiếp nhận → Đã thụ lý"
    assert entry("on", "", "2022-03-02").change == "— → 02/03/2022"
    assert entry("urgent", "False", "True").change == "Không → Có"
    assert entry("count", "5", "").change == "5 → —"
    # A field the vocabulary does not know shows its code; a row without field, its value.
    assert entry("OLD_CODE", "a", "b").text == "sửa · OLD_CODE: a → b"
    assert entry(action="case.create", new="KN-07", comment="Nhận ngày 01/03/2022").text == (
        "ghi sổ: KN-07 — «Nhận ngày 01/03/2022»")
    assert entry(action="retired.action").action_label == "retired.action"
    # A field named as its action says is not said twice.
    assert entry("extension", "", "+30 ngày", action="case.extend").text == "gia hạn: — → +30 ngày"
    assert entry("count", "5", "2").actor_name == "Hệ thống"


def test_concealed_fields_never_show_their_value():
    e = entry("name", "", "Nguyễn Văn A", conceal=("name",))
    assert (e.new, e.new_value, e.old) == ("[bảo mật]", "[bảo mật]", "")
    assert "Nguyễn" not in e.text


def test_a_vocabulary_may_leave_values_of_rows_without_field_out():
    quiet = HistoryVocabulary(values_without_field=False)
    event = AuditEvent(action="submission.create", entity="submission", entity_id=1, new_value="draft")
    assert describe_events([event], vocabulary=quiet)[0].text == "lập báo cáo"
