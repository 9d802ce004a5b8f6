"""Units' reports through the API: open, read, save, submit, return, approve, history.

Status codes: an id outside the user's scope is 404 (as if it did not exist); an id in scope
but an action the user's role may not take is 403; a broken business rule is 400; a stale
edit is 409; input of the wrong shape is 422 (unreadable JSON 400).
"""

from __future__ import annotations

import pytest

from baocao.accounts.choices import Role
from baocao.audit.models import AuditEvent
from baocao.reporting.choices import ValueType
from baocao.reporting.models import Indicator
from baocao.submissions.choices import SubmissionStatus
from baocao.submissions.models import Submission, SubmissionNarrative, SubmissionValue
from baocao.submissions.services import submission_get_or_create
from tests import factories
from tests.api.conftest import assert_error, make_draft, make_submitted, query_count

pytestmark = pytest.mark.django_db

GOOD_VALUES = {"A": 2, "B": "1.234", "PCT": 12.5, "NOTE": "Số liệu minh họa"}


def save(client, submission_id: int, version: int, values=None, narratives=None):
    payload = {"version": version, "values": values or {}, "narratives": narratives or {}}
    return client.put(f"/submissions/{submission_id}/draft", payload)


class TestOpen:
    def test_reporter_opens_own_draft_201_then_200(self, world, api):
        client = api(world.reporter_a)
        first = client.post("/submissions", {"regime": "BC-TEST", "period": "2022s2"})
        assert first.status_code == 201, first.content
        body = first.json()
        assert (body["status"], body["version"], body["unit"]["code"]) == ("draft", 0, "UA")
        assert body["period"]["code"] == "2022S2"
        again = client.post("/submissions", {"regime": "BC-TEST", "period": "2022S2", "unit": "UA"})
        assert again.status_code == 200
        assert again.json()["id"] == body["id"]
        assert Submission.objects.count() == 1

    def test_unknown_regime_404(self, world, api):
        body = assert_error(api(world.reporter_a).post("/submissions", {"regime": "NOPE", "period": "2022S2"}),
                            404, "NOPE")
        assert body["extra"] == {"regime": "NOPE"}

    def test_unit_out_of_scope_404(self, world, api):
        response = api(world.reporter_a).post("/submissions", {"regime": "BC-TEST", "period": "2022S2", "unit": "UB"})
        assert_error(response, 404, "UB")
        assert not Submission.objects.exists()

    def test_period_not_in_regime_400(self, world, api):
        response = api(world.reporter_a).post("/submissions", {"regime": "BC-TEST", "period": "2022Q1"})
        assert_error(response, 400, "không thuộc chế độ báo cáo")
        assert not Submission.objects.exists()

    def test_compiler_may_not_open_a_units_report_403(self, world, api):
        response = api(world.compiler).post("/submissions", {"regime": "BC-TEST", "period": "2022S2", "unit": "UA"})
        assert_error(response, 403)

    def test_unit_required_for_non_reporters_400(self, world, api):
        body = assert_error(api(world.admin).post("/submissions", {"regime": "BC-TEST", "period": "2022S2"}), 400)
        assert "unit" in body["extra"]["fields"]

    def test_missing_field_422(self, world, api):
        body = assert_error(api(world.reporter_a).post("/submissions", {"regime": "BC-TEST"}), 422)
        assert body["extra"]["errors"][0]["loc"][-1] == "period"


class TestRead:
    def test_detail(self, world, api):
        submission = make_draft(world)
        save(api(world.reporter_a), submission.pk, 0, GOOD_VALUES, {"RESULTS": "Hoàn thành."})
        body = api(world.reporter_a).get(f"/submissions/{submission.pk}").json()
        assert body["regime"] == {"id": world.regime.pk, "code": "BC-TEST", "name": world.regime.name}
        assert body["version"] == 1
        assert body["period"] == {"code": "2022S2", "label": "6 tháng cuối năm 2022", "frequency": "six_month",
                                  "window_start": "2022-06-15", "window_end": "2022-12-14",
                                  "deadline": "2022-12-20"}
        assert body["days_left"] < 0 and body["timeliness"] == "missing"
        assert body["values"] == {
            "A": {"value": 2, "display": "2", "changed_version": 1},
            "B": {"value": 1234, "display": "1.234", "changed_version": 1},
            "PCT": {"value": 12.5, "display": "12,5", "changed_version": 1},
            "NOTE": {"value": "Số liệu minh họa", "display": "Số liệu minh họa", "changed_version": 1},
        }
        assert body["narratives"] == {"RESULTS": {"text": "Hoàn thành.", "changed_version": 1}}
        assert body["issues"] == [] and body["missing"] == {}
        assert body["allowed_actions"] == ["save", "submit"]
        assert body["return_comment"] == ""

    def test_empty_values_are_listed(self, world, api):
        body = api(world.reporter_a).get(f"/submissions/{make_draft(world).pk}").json()
        assert body["values"]["A"] == {"value": None, "display": "", "changed_version": 0}
        assert body["missing"] == {"RESULTS": "Nội dung bắt buộc chưa nhập."}

    def test_reviewer_sees_review_actions(self, world, api):
        submission = make_submitted(world)
        assert api(world.compiler).get(f"/submissions/{submission.pk}").json()["allowed_actions"] == [
            "return", "approve"]
        assert api(world.reporter_a).get(f"/submissions/{submission.pk}").json()["allowed_actions"] == []

    def test_list_scope_and_filters(self, world, api):
        a = make_submitted(world, world.unit_a)
        b = make_draft(world, world.unit_b)
        a2 = make_draft(world, world.unit_a, period="2022S1")
        ids = lambda response: [item["id"] for item in response.json()["items"]]  # noqa: E731
        assert sorted(ids(api(world.reporter_a).get("/submissions"))) == sorted([a.pk, a2.pk])
        compiler = api(world.compiler)
        assert sorted(ids(compiler.get("/submissions"))) == sorted([a.pk, b.pk, a2.pk])
        assert ids(compiler.get("/submissions", {"status": "draft", "period": "2022S2"})) == [b.pk]
        assert ids(compiler.get("/submissions", {"unit": world.unit_a.pk, "period": "2022s1"})) == [a2.pk]
        assert sorted(ids(compiler.get("/submissions", {"regime": world.regime.pk}))) == sorted([a.pk, b.pk, a2.pk])
        assert ids(api(world.other_compiler).get("/submissions")) == []
        assert_error(compiler.get("/submissions", {"status": "lost"}), 422)

    def test_list_item_and_pagination_shape(self, world, api):
        a = make_submitted(world, world.unit_a)
        body = api(world.compiler).get("/submissions", {"page_size": 1}).json()
        assert set(body) == {"items", "count"} and body["count"] == 1
        item = body["items"][0]
        assert item["id"] == a.pk and item["status"] == "submitted" and item["status_label"] == "Đã gửi"
        assert item["unit"] == {"id": world.unit_a.pk, "code": "UA", "name": world.unit_a.name}
        assert item["regime"]["code"] == "BC-TEST"

    def test_list_queries_do_not_grow_with_rows(self, world, api):
        client = api(world.compiler)
        make_submitted(world, world.unit_a)
        one_row = query_count(client, "/submissions")
        for n in range(4):
            unit = factories.unit(code=f"XA{n}", name=f"Xã {n}", parent=world.province)
            world.regime.reporting_units.add(unit)
            reporter = factories.user(role=Role.REPORTER, unit=unit)
            submission_get_or_create(regime=world.regime, period="2022S2", unit=unit, acting_user=reporter)
        assert query_count(client, "/submissions") == one_row

    def test_detail_queries_do_not_grow_with_values(self, world, api):
        client = api(world.reporter_a)
        submission = make_draft(world)
        query_count(client, f"/submissions/{submission.pk}")  # reads the form's structure once per process
        empty = query_count(client, f"/submissions/{submission.pk}")
        save(client, submission.pk, 0, GOOD_VALUES, {"RESULTS": "Đạt."})
        assert query_count(client, f"/submissions/{submission.pk}") == empty


class TestScope:
    """Reporter A and the other department's compiler must not reach unit B's report: 404."""

    @pytest.mark.parametrize("who", ["reporter_a", "other_compiler"])
    def test_other_units_report_is_404_everywhere(self, world, api, who):
        b = make_submitted(world, world.unit_b)
        client = api(getattr(world, who))
        assert_error(client.get(f"/submissions/{b.pk}"), 404)
        assert_error(client.get(f"/submissions/{b.pk}/history"), 404)
        assert_error(save(client, b.pk, 1, {"A": 1}), 404)
        assert_error(client.post(f"/submissions/{b.pk}/submit"), 404)
        assert_error(client.post(f"/submissions/{b.pk}/return", {"comment": "Sửa"}), 404)
        assert_error(client.post(f"/submissions/{b.pk}/approve", {}), 404)
        assert_error(client.post("/submissions/approve", {"ids": [b.pk]}), 404)
        b.refresh_from_db()
        assert (b.status, b.version) == (SubmissionStatus.SUBMITTED, 1)

    def test_draft_of_other_unit_404_on_save(self, world, api):
        b = make_draft(world, world.unit_b)
        assert_error(save(api(world.reporter_a), b.pk, 0, {"A": 1}), 404)
        assert not SubmissionValue.objects.exists()

    @pytest.mark.parametrize("who", ["reporter_a", "viewer", "inspector"])
    def test_in_scope_but_not_a_reviewer_is_403(self, world, api, who):
        a = make_submitted(world, world.unit_a)
        client = api(getattr(world, who))
        assert_error(client.post(f"/submissions/{a.pk}/return", {"comment": "Sửa"}), 403)
        assert_error(client.post(f"/submissions/{a.pk}/approve", {}), 403)
        assert_error(client.post("/submissions/approve", {"ids": [a.pk]}), 403)
        a.refresh_from_db()
        assert a.status == SubmissionStatus.SUBMITTED

    def test_reviewer_may_not_edit_a_units_report_403(self, world, api):
        a = make_draft(world)
        assert_error(save(api(world.compiler), a.pk, 0, {"A": 1}), 403)
        assert_error(api(world.compiler).post(f"/submissions/{a.pk}/submit"), 403)


class TestSaveDraft:
    def test_saves_and_reports_rule_issues(self, world, api):
        submission = make_draft(world)
        response = save(api(world.reporter_a), submission.pk, 0, {"A": 5, "B": 3, "PCT": "99,5"},
                        {"RESULTS": "Đạt."})
        assert response.status_code == 200, response.content
        body = response.json()
        assert body["version"] == 1
        assert sorted(body["changed"]) == ["A", "B", "PCT", "RESULTS"]
        assert body["field_versions"] == {"A": 1, "B": 1, "PCT": 1, "RESULTS": 1}
        assert body["issues"] == [{"code": "R1", "severity": "error", "indicators": ["A", "B"],
                                   "message": "Số đơn đã giải quyết không được lớn hơn số đơn tiếp nhận."}]
        assert body["missing"] == {}
        assert SubmissionValue.objects.get(indicator__code="PCT").number == 99.5

    def test_unchanged_values_do_not_bump_the_version(self, world, api):
        submission = make_draft(world)
        client = api(world.reporter_a)
        save(client, submission.pk, 0, {"A": 1})
        body = save(client, submission.pk, 1, {"A": "1"}).json()
        assert (body["version"], body["changed"]) == (1, [])

    def test_yes_no_and_clearing(self, world, api):
        section = world.form_version.sections.get()
        Indicator.objects.create(section=section, form_version=world.form_version, code="YN", name="Có tổ CNS",
                                 value_type=ValueType.YES_NO, order=9)
        submission = make_draft(world)
        client = api(world.reporter_a)
        save(client, submission.pk, 0, {"A": 3, "YN": True})
        assert client.get(f"/submissions/{submission.pk}").json()["values"]["YN"] == {
            "value": True, "display": "Có", "changed_version": 1}
        body = save(client, submission.pk, 1, {"A": None, "YN": "không"}).json()
        assert sorted(body["changed"]) == ["A", "YN"]
        values = client.get(f"/submissions/{submission.pk}").json()["values"]
        assert values["A"]["value"] is None and values["YN"]["value"] is False

    @pytest.mark.parametrize("values,field,message", [
        ({"A": "abc"}, "A", "không phải là số"),
        ({"A": 1.5}, "A", "số nguyên"),
        ({"A": -1}, "A", "nhỏ hơn 0"),
        ({"PCT": 150}, "PCT", "từ 0 đến 100"),
        ({"A": True}, "A", "phải là số"),
    ])
    def test_invalid_value_400_and_nothing_saved(self, world, api, values, field, message):
        submission = make_draft(world)
        body = assert_error(save(api(world.reporter_a), submission.pk, 0, {"B": 7, **values},
                                 {"RESULTS": "Đạt."}), 400, "chưa lưu gì")
        assert list(body["extra"]["fields"]) == [field]
        assert message in body["extra"]["fields"][field]
        submission.refresh_from_db()
        assert submission.version == 0
        assert not SubmissionValue.objects.exists() and not SubmissionNarrative.objects.exists()

    def test_unknown_code_400(self, world, api):
        body = assert_error(save(api(world.reporter_a), make_draft(world).pk, 0, {"ZZZ": 1}), 400)
        assert body["extra"]["unknown"] == ["ZZZ"]

    @pytest.mark.parametrize("payload", [
        {"values": {"A": 1}},
        {"version": "x", "values": {}},
        {"version": -1},
        {"version": 0, "narratives": {"RESULTS": 5}},
        {"version": 0, "values": {"A": [1]}},
    ])
    def test_wrong_shape_422(self, world, api, payload):
        submission = make_draft(world)
        body = assert_error(api(world.reporter_a).put(f"/submissions/{submission.pk}/draft", payload), 422,
                            "Dữ liệu gửi lên không hợp lệ.")
        assert all({"loc", "msg"} <= set(e) for e in body["extra"]["errors"])

    def test_malformed_json_400(self, world, api):
        submission = make_draft(world)
        assert_error(api(world.reporter_a).put(f"/submissions/{submission.pk}/draft", "{not json"), 400, "JSON")

    def test_stale_version_409_with_both_values(self, world, api):
        submission = make_draft(world)
        first, second = api(world.reporter_a), api(world.reporter_a)
        assert save(first, submission.pk, 0, {"A": 1}, {"RESULTS": "Bản của người thứ nhất"}).status_code == 200
        body = assert_error(save(second, submission.pk, 0, {"A": 4, "B": 9}, {"RESULTS": "Bản thứ hai"}), 409)
        conflicts = body["extra"]["conflicts"]
        assert set(conflicts) == {"A", "RESULTS"}
        assert (conflicts["A"]["yours"], conflicts["A"]["theirs"], conflicts["A"]["their_version"]) == ("4", "1", 1)
        assert (conflicts["RESULTS"]["yours"], conflicts["RESULTS"]["theirs"]) == ("Bản thứ hai",
                                                                                   "Bản của người thứ nhất")
        assert body["extra"]["version"] == 1
        # Nothing of the stale save was written, not even the non-conflicting B.
        assert not SubmissionValue.objects.filter(indicator__code="B").exists()
        assert save(second, submission.pk, 1, {"A": 4}).json()["version"] == 2


class TestWorkflow:
    def test_draft_submit_return_resubmit_approve(self, world, api):
        reporter, compiler = api(world.reporter_a), api(world.compiler)
        sid = reporter.post("/submissions", {"regime": "BC-TEST", "period": "2022S2"}).json()["id"]

        blocked = assert_error(reporter.post(f"/submissions/{sid}/submit"), 400, "chưa gửi được")
        assert "RESULTS" in blocked["extra"]["fields"]

        assert save(reporter, sid, 0, {"A": 5, "B": 3}, {"RESULTS": "Đạt."}).status_code == 200
        rule = assert_error(reporter.post(f"/submissions/{sid}/submit"), 400)
        assert rule["extra"]["rules"][0]["code"] == "R1"

        assert save(reporter, sid, 1, {"A": 2}).status_code == 200
        sent = reporter.post(f"/submissions/{sid}/submit")
        assert sent.status_code == 200 and sent.json()["status"] == "submitted"
        assert_error(save(reporter, sid, 2, {"A": 1}), 400, "không sửa được")

        no_comment = assert_error(compiler.post(f"/submissions/{sid}/return", {"comment": "  "}), 400)
        assert "comment" in no_comment["extra"]["fields"]
        returned = compiler.post(f"/submissions/{sid}/return", {"comment": "Kiểm tra lại chỉ tiêu B."}).json()
        assert (returned["status"], returned["return_comment"]) == ("returned", "Kiểm tra lại chỉ tiêu B.")
        assert_error(compiler.post(f"/submissions/{sid}/approve", {}), 400, "Chỉ duyệt được báo cáo đã gửi")

        assert save(reporter, sid, 2, {"B": 4}).json()["version"] == 3
        assert reporter.post(f"/submissions/{sid}/submit").json()["status"] == "submitted"
        approved = compiler.post(f"/submissions/{sid}/approve", {"comment": "Đạt yêu cầu."}).json()
        assert approved["status"] == "approved" and approved["allowed_actions"] == ["reopen"]

        assert_error(reporter.post(f"/submissions/{sid}/submit"), 400, "Đã duyệt")
        assert_error(compiler.post(f"/submissions/{sid}/return", {"comment": "Muộn"}), 400)

        history = reporter.get(f"/submissions/{sid}/history").json()
        actions = [row["action"] for row in reversed(history)]
        assert actions == ["submission.create", "submission.save", "submission.save", "submission.save",
                           "submission.save", "submission.submit", "submission.return", "submission.save",
                           "submission.submit", "submission.approve"]
        newest = history[0]
        assert (newest["actor"], newest["field"], newest["old"], newest["new"], newest["comment"]) == (
            "tonghop", "status", "submitted", "approved", "Đạt yêu cầu.")
        returned_row = next(row for row in history if row["action"] == "submission.return")
        assert returned_row["comment"] == "Kiểm tra lại chỉ tiêu B."
        b_change = next(row for row in history if row["field"] == "B" and row["old"])
        assert (b_change["old"], b_change["new"], b_change["actor_id"]) == ("3", "4", world.reporter_a.pk)
        # The same change in words, named as the form names the indicator.
        assert (b_change["field_label"], b_change["text"]) == ("Số đơn tiếp nhận", "sửa · Số đơn tiếp nhận: 3 → 4")
        assert newest["text"] == "duyệt báo cáo · trạng thái: Đã gửi → Đã duyệt — «Đạt yêu cầu.»"
        assert set(newest) == {"id", "at", "actor_id", "actor", "action", "action_label", "field", "field_label",
                               "old", "new", "comment", "text"}

    def test_approve_without_body(self, world, api):
        a = make_submitted(world)
        response = api(world.leader).post(f"/submissions/{a.pk}/approve")
        assert response.status_code == 200, response.content
        assert response.json()["status"] == "approved"


class TestBulkApprove:
    def test_all(self, world, api):
        a, b = make_submitted(world, world.unit_a), make_submitted(world, world.unit_b)
        response = api(world.compiler).post("/submissions/approve", {"ids": [b.pk, a.pk, a.pk]})
        assert response.json() == {"approved": 2, "ids": sorted([a.pk, b.pk])}
        assert set(Submission.objects.values_list("status", flat=True)) == {SubmissionStatus.APPROVED}

    def test_none_when_one_cannot_be_approved(self, world, api):
        a, b = make_submitted(world, world.unit_a), make_draft(world, world.unit_b)
        body = assert_error(api(world.compiler).post("/submissions/approve", {"ids": [a.pk, b.pk]}), 400)
        assert body["extra"]["submission"] == b.pk
        a.refresh_from_db()
        assert a.status == SubmissionStatus.SUBMITTED
        assert not AuditEvent.objects.filter(action="submission.approve").exists()

    def test_none_when_one_id_is_unknown(self, world, api):
        a = make_submitted(world, world.unit_a)
        body = assert_error(api(world.compiler).post("/submissions/approve", {"ids": [a.pk, 999999]}), 404)
        assert body["extra"] == {"ids": [999999]}
        a.refresh_from_db()
        assert a.status == SubmissionStatus.SUBMITTED

    def test_empty_list_422(self, world, api):
        assert_error(api(world.compiler).post("/submissions/approve", {"ids": []}), 422)
