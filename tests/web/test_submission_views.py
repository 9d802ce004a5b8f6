"""The data-entry page: autosave per field, validation per field, conflicts, submit, review."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from baocao.audit.actions import AuditAction
from baocao.audit.services import audit_record
from baocao.submissions.choices import SubmissionStatus
from baocao.submissions.services import submission_get_or_create, submission_save_draft, submission_submit
from tests.factories import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    w = World()
    w.sub = submission_get_or_create(regime=w.regime, period="2022S2", unit=w.unit_a, acting_user=w.reporter_a)
    return w


def logged(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_page_shows_deadline_and_fields(world):
    r = logged(world.reporter_a).get(f"/submissions/{world.sub.pk}/")
    html = r.content.decode()
    assert "20/12/2022" in html and "Đang soạn" in html
    assert 'id="v-A"' in html and 'id="v-RESULTS"' in html
    assert "15/06/2022 – 14/12/2022" in html or "15/06/2022" in html


def test_autosave_field_ok_then_bad_value(world):
    c = logged(world.reporter_a)
    url = reverse("submissions:save_field", args=[world.sub.pk])
    r = c.post(url, {"field": "A", "v__A": "1.234", "base__A": "0"}, HTTP_HX_REQUEST="true")
    assert r.status_code == 200 and "Đã lưu" in r.content.decode()
    assert 'hx-swap-oob="true"' in r.content.decode()
    r = c.post(url, {"field": "B", "v__B": "12abc"}, HTTP_HX_REQUEST="true")
    assert "không phải là số" in r.content.decode()
    world.sub.refresh_from_db()
    assert world.sub.values.count() == 1


def test_autosave_conflict_shows_both_texts(world):
    c = logged(world.reporter_a)
    url = reverse("submissions:save_field", args=[world.sub.pk])
    c.post(url, {"field": "RESULTS", "v__RESULTS": "Bản đầu", "base__RESULTS": "0"})
    # Someone else saves on top of version 1 ...
    submission_save_draft(submission=world.sub, acting_user=world.admin, narratives={"RESULTS": "Bản của người khác"},
                          field_bases={"RESULTS": 1})
    # ... while this page still thinks the field is at version 1.
    r = c.post(url, {"field": "RESULTS", "v__RESULTS": "Bản của tôi", "base__RESULTS": "1"})
    html = r.content.decode()
    assert "Bản của người khác" in html and "Bản của tôi" in html and "Giữ nội dung của tôi" in html
    assert world.sub.narratives.get().text == "Bản của người khác"
    # Keeping mine: the client re-sends with the other version as its base.
    r = c.post(url, {"field": "RESULTS", "v__RESULTS": "Bản của tôi", "force_base": "2"})
    assert "Đã lưu" in r.content.decode()
    assert world.sub.narratives.get().text == "Bản của tôi"


def test_save_all_with_error_keeps_typed_values(world):
    c = logged(world.reporter_a)
    r = c.post(reverse("submissions:save", args=[world.sub.pk]),
               {"v__A": "5", "v__B": "-1", "v__RESULTS": "Nội dung", "then": "save"})
    assert r.status_code == 400
    html = r.content.decode()
    assert "không được nhỏ hơn" in html and 'value="-1"' in html and "Nội dung" in html
    assert world.sub.values.count() == 0


def test_save_and_submit_then_read_only(world):
    c = logged(world.reporter_a)
    r = c.post(reverse("submissions:save", args=[world.sub.pk]),
               {"v__A": "1", "v__B": "2", "v__RESULTS": "Hoàn thành", "then": "submit"})
    assert r.status_code == 302
    world.sub.refresh_from_db()
    assert world.sub.status == SubmissionStatus.SUBMITTED
    html = c.get(f"/submissions/{world.sub.pk}/").content.decode()
    assert 'name="v__A"' not in html and "Đã gửi" in html


def test_submit_blocked_shows_problems(world):
    c = logged(world.reporter_a)
    r = c.post(reverse("submissions:save", args=[world.sub.pk]), {"v__A": "9", "v__B": "2", "then": "submit"})
    assert r.status_code == 400
    html = r.content.decode()
    assert "Nội dung bắt buộc chưa nhập" in html
    assert "Số đơn đã giải quyết không được lớn hơn" in html


def test_return_needs_comment_and_shows_it(world):
    c = logged(world.reporter_a)
    c.post(reverse("submissions:save", args=[world.sub.pk]),
           {"v__A": "1", "v__B": "2", "v__RESULTS": "Hoàn thành", "then": "submit"})
    comp = logged(world.compiler)
    comp.post(reverse("submissions:return", args=[world.sub.pk]), {"comment": ""})
    world.sub.refresh_from_db()
    assert world.sub.status == SubmissionStatus.SUBMITTED
    comp.post(reverse("submissions:return", args=[world.sub.pk]), {"comment": "Sửa số liệu A"})
    world.sub.refresh_from_db()
    assert world.sub.status == SubmissionStatus.RETURNED
    html = c.get(f"/submissions/{world.sub.pk}/").content.decode()
    assert "Sửa số liệu A" in html and "trả lại báo cáo" in html


def test_reporter_opens_any_period_by_code(world):
    c = logged(world.reporter_b)
    r = c.post(reverse("submissions:open_by_code", args=[world.regime.pk]), {"period": "2021"})
    assert r.status_code == 302 and "/submissions/" in r["Location"]
    r = c.post(reverse("submissions:open_by_code", args=[world.regime.pk]), {"period": "2021Q3"}, follow=True)
    assert "không thuộc chế độ báo cáo" in r.content.decode()


def history_lines(client: Client, sub) -> list[str]:
    """The page's history, one entry a line, tags left out."""
    html = client.get(f"/submissions/{sub.pk}/").content.decode()
    block = re.search(r'<ul class="history small" id="history">(.*?)</ul>', html, re.S)
    assert block, "no history on the page"
    return [re.sub(r"<[^>]+>", "", li).strip() for li in re.findall(r"<li[^>]*>(.*?)</li>", block[1], re.S)]


def test_history_names_indicators_and_shows_values_in_words(world):
    sub, reporter = world.sub, world.reporter_a
    submission_save_draft(submission=sub, acting_user=reporter, values={"A": 5, "B": "1234", "PCT": "12,5"},
                          narratives={"RESULTS": "Hoàn thành " + "rất tốt " * 40})
    submission_save_draft(submission=sub, acting_user=reporter, values={"A": 2, "B": "12345", "PCT": "7,25",
                                                                       "NOTE": "Ước tính"})
    submission_submit(submission=sub, acting_user=reporter)
    lines = history_lines(logged(world.compiler), sub)
    text = "\n".join(lines)
    assert "sửa · Số đơn đã giải quyết: 5 → 2" in text
    assert "sửa · Số đơn đã giải quyết: — → 5" in text
    assert "sửa · Số đơn tiếp nhận: 1.234 → 12.345" in text
    assert "sửa · Tỷ lệ hồ sơ trực tuyến: 12,5 → 7,25" in text
    assert "sửa · Ghi chú: — → Ước tính" in text
    assert "gửi báo cáo · trạng thái: Đang soạn → Đã gửi" in text
    assert lines[-1].endswith("lập báo cáo")  # oldest last; its first status says nothing more
    results = next(line for line in lines if "Kết quả thực hiện" in line)
    assert results.endswith("…") and len(results) < 200  # long text is cut
    assert "<code>" not in text and "· A:" not in text and "submitted" not in text


def test_history_reads_older_rows_and_codes_the_form_no_longer_has(world):
    sub = world.sub
    # Rows as an older version wrote them (raw numbers, status codes), and an indicator since removed.
    for field, old, new in (("B", "1234.5", "2000"), ("status", "submitted", "returned"), ("GONE", "7", "8")):
        audit_record(actor=world.admin, action=AuditAction.SUBMISSION_SAVE, entity="submission", entity_id=sub.pk,
                     unit=sub.unit, field=field, old=old, new=new)
    text = "\n".join(history_lines(logged(world.reporter_a), sub))
    assert "Số đơn tiếp nhận: 1.234,5 → 2.000" in text
    assert "trạng thái: Đã gửi → Bị trả lại" in text
    assert "sửa · GONE: 7 → 8" in text


def test_history_query_count_does_not_grow_with_rows(world):
    sub, reporter = world.sub, world.reporter_a
    c = logged(world.compiler)
    submission_save_draft(submission=sub, acting_user=reporter, values={"A": 1})

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert c.get(f"/submissions/{sub.pk}/").status_code == 200
        return len(ctx.captured_queries)

    before = count()
    for i in range(6):
        submission_save_draft(submission=sub, acting_user=reporter, values={"A": i + 2, "B": i + 9, "NOTE": f"n{i}"},
                              narratives={"RESULTS": f"lần {i}"})
        audit_record(actor=world.admin, action=AuditAction.SUBMISSION_SAVE, entity="submission", entity_id=sub.pk,
                     unit=sub.unit, field=f"GONE{i}", old="", new=str(i))
    assert len(history_lines(c, sub)) > 25
    assert count() == before
