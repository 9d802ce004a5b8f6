"""Consolidated reports through the API: build, read, edit, recompute, approve, download; targets;
report outlines.

Status codes as everywhere in the API: an id or code outside the user's scope is 404; in scope but
not the user's role is 403 (building is the compiler's, approving the leader's, outlines the
admin's); a broken rule (a frozen report, an unknown placeholder) is 400; a stale version is 409.
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest

from baocao.consolidation.models import ConsolidatedReport, ReportVersion, Target
from baocao.submissions.models import Submission
from baocao.submissions.services import (
    submission_approve,
    submission_get_or_create,
    submission_save_draft,
    submission_submit,
)
from tests.api.conftest import JsonClient, assert_error, query_count
from tests.factories import World

pytestmark = pytest.mark.django_db

SECTION = "section:I"


@pytest.fixture
def world(db) -> World:
    return World()


def approved(world: World, unit, period: str, values: dict, text: str = "Hoàn thành kế hoạch.") -> Submission:
    """A unit's report for `period`, filled, submitted and approved through the services."""
    reporter = world.reporter_a if unit == world.unit_a else world.reporter_b
    submission = submission_get_or_create(regime=world.regime, period=period, unit=unit, acting_user=reporter)
    submission_save_draft(submission=submission, acting_user=reporter, values=values, narratives={"RESULTS": text})
    submission_submit(submission=submission, acting_user=reporter)
    return submission_approve(submission=submission, acting_user=world.compiler)


@pytest.fixture
def data(world: World) -> World:
    """2021S1 approved for both units; 2022S1 approved for unit A only (B is late)."""
    approved(world, world.unit_a, "2021S1", {"A": 1, "B": 2, "PCT": 40})
    approved(world, world.unit_b, "2021S1", {"A": 1, "B": 2, "PCT": 60})
    approved(world, world.unit_a, "2022S1", {"A": 2, "B": 3, "PCT": 50},
             text="Hoàn thành kế hoạch. Tổ chức 02 lớp tập huấn chuyển đổi số.")
    return world


def build(user, period: str = "2022S1", regime: str = "BC-TEST", unit: str = "DEPT"):
    return JsonClient(user=user).post("/reports/build", {"regime": regime, "period": period, "unit": unit})


def built(world: World, period: str = "2022S1") -> dict:
    response = build(world.compiler, period)
    assert response.status_code in (200, 201), response.content
    return response.json()


def num(text: str | None) -> Decimal | None:
    """A composed figure (a decimal string) as a number, so "2.000000" equals 2."""
    return None if text is None else Decimal(text)


def figure(body: dict, code: str, part: str = SECTION) -> dict:
    section = next(p for p in body["composed"]["parts"] if p["key"] == part)
    return next(f for f in section["figures"] if f["code"] == code)


class TestBuild:
    def test_first_build_201_with_parts_in_the_outline_order(self, data, world):
        r = build(world.compiler)
        assert r.status_code == 201, r.content
        body = r.json()
        assert (body["number"], body["status"], body["doc_number"], body["edits"]) == (1, "draft", None, {})
        outline = JsonClient(user=world.compiler).get(f"/regimes/{world.regime.pk}/outline").json()
        # The outline's order; closing parts with nothing in them are left out, the ending comes last.
        empty = {"closing:difficulties", "closing:next_tasks", "closing:proposals"}
        assert [p["key"] for p in body["composed"]["parts"]] == [
            *(key for key in outline["parts"] if key not in empty), "ending"]
        assert outline["parts"][0] == "intro" and SECTION in outline["parts"]
        assert "assessment" in outline["parts"] and "legal_basis" in outline["placeholders"]["intro"]
        a = figure(body, "A")
        assert (num(a["value"]), num(a["previous"]), a["sources"]) == (2, 2, 1)
        meta = body["composed"]["meta"]
        assert [u["code"] for u in meta["missing"]] == ["UB"]
        assert meta["period"] == "2022S1" and meta["expected_count"] == 2
        # Every part's effective text is there, the composed one until someone edits it.
        assert set(body["texts"]) == {p["key"] for p in body["composed"]["parts"]}
        assert "Tổ chức 02 lớp tập huấn chuyển đổi số" in body["texts"][SECTION]
        assert ConsolidatedReport.objects.count() == 1

    def test_second_build_recomputes_200(self, data, world):
        first = built(world)
        r = build(world.compiler, period="2022s1")
        assert r.status_code == 200, r.content
        assert r.json()["number"] == 2 and r.json()["report_id"] == first["report_id"]
        assert ConsolidatedReport.objects.count() == 1

    def test_a_period_without_approved_reports_builds_a_skeleton(self, world):
        r = build(world.compiler, period="2022S2")
        assert r.status_code == 201, r.content
        meta = r.json()["composed"]["meta"]
        assert (meta["approved_count"], meta["missing_count"]) == (0, 2)
        assert {u["code"] for u in meta["missing"]} == {"UA", "UB"}
        assert figure(r.json(), "A")["value"] is None
        download = JsonClient(user=world.compiler).get(f"/reports/{r.json()['report_id']}/versions/1/document",
                                                       {"format": "docx"})
        assert download.status_code == 200 and download.content[:2] == b"PK"

    def test_bad_input(self, data, world):
        assert_error(build(world.compiler, period="2022Q9"), 400)
        assert_error(build(world.compiler, regime="KHONG-CO"), 404, "KHONG-CO")
        assert_error(build(world.compiler, unit="KHONG-CO"), 404, "KHONG-CO")
        r = JsonClient(user=world.compiler).post("/reports/build", {"regime": "BC-TEST"})
        assert_error(r, 422)


class TestScope:
    def test_anonymous_401(self, data, world):
        report_id = built(world)["report_id"]
        anonymous = JsonClient()
        for r in (anonymous.get("/reports"), anonymous.get(f"/reports/{report_id}"),
                  anonymous.get(f"/reports/{report_id}/versions/1/document", {"format": "json"}),
                  anonymous.post("/reports/build", {"regime": "BC-TEST", "period": "2022S1", "unit": "DEPT"}),
                  anonymous.get("/targets", {"unit": world.department.pk, "year": 2022})):
            assert_error(r, 401)

    def test_reporter_and_other_department_do_not_see_the_report(self, data, world):
        report_id = built(world)["report_id"]
        for user in (world.reporter_a, world.other_compiler):
            client = JsonClient(user=user)
            assert_error(client.get(f"/reports/{report_id}"), 404)
            assert_error(client.get(f"/reports/{report_id}/versions/1"), 404)
            assert_error(client.get(f"/reports/{report_id}/versions/1/document", {"format": "json"}), 404)
            assert_error(client.put(f"/reports/{report_id}/draft", {"base_version": 1, "edits": {}}), 404)
            assert_error(client.post(f"/reports/{report_id}/versions/1/approve"), 404)
            assert client.get("/reports").json()["count"] == 0
            assert_error(build(user), 404)

    def test_receivers_read_but_only_the_compiler_builds(self, data, world):
        report_id = built(world)["report_id"]
        for user in (world.viewer, world.leader, world.inspector):
            client = JsonClient(user=user)
            assert client.get(f"/reports/{report_id}").status_code == 200
            assert client.get("/reports").json()["count"] == 1
            assert_error(build(user), 403)
            assert_error(client.post(f"/reports/{report_id}/recompute"), 403)
            assert_error(client.put(f"/reports/{report_id}/draft",
                                    {"base_version": 1, "edits": {SECTION: "Sửa."}}), 403)
        assert ReportVersion.objects.count() == 1

    def test_unknown_versions_404(self, data, world):
        report_id = built(world)["report_id"]
        client = JsonClient(user=world.compiler)
        for number in (0, 2, 99):
            assert_error(client.get(f"/reports/{report_id}/versions/{number}"), 404)
        assert_error(client.get("/reports/999999"), 404)


class TestListAndDetail:
    def test_list_filters_and_fields(self, data, world):
        built(world, "2022S1")
        built(world, "2021S1")
        client = JsonClient(user=world.leader)
        body = client.get("/reports").json()
        assert body["count"] == 2
        assert [i["period"] for i in body["items"]] == ["2022S1", "2021S1"]
        item = body["items"][0]
        assert item["regime"]["code"] == "BC-TEST" and item["unit"] == {
            "id": world.department.pk, "code": "DEPT", "name": world.department.name}
        assert (item["latest_version"], item["status"], item["approved_version"], item["doc_number"]) == (
            1, "draft", None, None)
        assert client.get("/reports", {"period": "2021S1"}).json()["count"] == 1
        assert client.get("/reports", {"regime": world.regime.pk}).json()["count"] == 2
        assert client.get("/reports", {"regime": world.regime.pk + 1000}).json()["count"] == 0
        assert client.get("/reports", {"unit": world.unit_a.pk}).json()["count"] == 0

    def test_list_queries_do_not_grow_with_rows(self, data, world):
        built(world, "2022S1")
        client = JsonClient(user=world.compiler)
        one = query_count(client, "/reports")
        built(world, "2021S1")
        built(world, "2022S2")
        assert query_count(client, "/reports") == one

    def test_detail_lists_versions_newest_first(self, data, world):
        report_id = built(world)["report_id"]
        client = JsonClient(user=world.compiler)
        client.put(f"/reports/{report_id}/draft", {"base_version": 1, "edits": {SECTION: "Đã sửa."}})
        body = client.get(f"/reports/{report_id}").json()
        assert (body["period"], body["status"], body["approved_version"]) == ("2022S1", "draft", None)
        assert [v["number"] for v in body["versions"]] == [2, 1]
        assert body["versions"][0]["created_by"] == "tonghop"
        assert {"number", "status", "created_by", "created_at", "note", "changes", "doc_number"} <= set(
            body["versions"][0])


class TestEdit:
    def test_edit_makes_a_new_version_and_a_stale_base_is_409(self, data, world):
        report_id = built(world)["report_id"]
        client = JsonClient(user=world.compiler)
        r = client.put(f"/reports/{report_id}/draft", {"base_version": 1, "edits": {SECTION: "Nội dung đã sửa."}})
        assert r.status_code == 200, r.content
        body = r.json()
        assert body["number"] == 2
        assert body["edits"] == {SECTION: "Nội dung đã sửa."}
        assert body["texts"][SECTION] == "Nội dung đã sửa."
        stale = client.put(f"/reports/{report_id}/draft", {"base_version": 1, "edits": {SECTION: "Bản khác."}})
        assert assert_error(stale, 409)["extra"]["latest"] == 2
        assert_error(client.post(f"/reports/{report_id}/recompute", {"base_version": 1}), 409)
        assert ReportVersion.objects.filter(report_id=report_id).count() == 2
        # Version 1 is unchanged.
        assert client.get(f"/reports/{report_id}/versions/1").json()["edits"] == {}

    def test_unknown_part_400(self, data, world):
        report_id = built(world)["report_id"]
        r = JsonClient(user=world.compiler).put(f"/reports/{report_id}/draft",
                                                {"base_version": 1, "edits": {"section:XX": "?"}})
        assert_error(r, 400, "section:XX")

    def test_late_approval_then_recompute_lists_the_change_and_keeps_the_edit(self, data, world):
        report_id = built(world)["report_id"]
        client = JsonClient(user=world.compiler)
        edited = client.put(f"/reports/{report_id}/draft",
                            {"base_version": 1, "edits": {SECTION: "Đoạn do chuyên viên viết lại."}}).json()
        approved(world, world.unit_b, "2022S1", {"A": 5, "B": 6, "PCT": 70}, text="Huyện Bình hoàn thành.")
        r = client.post(f"/reports/{report_id}/recompute", {"base_version": edited["number"]})
        assert r.status_code == 200, r.content
        body = r.json()
        assert body["number"] == 3
        assert num(figure(body, "A")["value"]) == 7
        change = next(c for c in body["changes"] if c.get("code") == "A" and c.get("field") == "value")
        assert (change["old"], change["new"]) == ("2", "7")
        assert any(c.get("part") == SECTION and c.get("kind") == "narrative" for c in body["changes"])
        assert body["texts"][SECTION] == "Đoạn do chuyên viên viết lại."
        assert body["composed"]["meta"]["missing"] == []
        detail = client.get(f"/reports/{report_id}").json()
        assert detail["versions"][0]["changes"] == len(body["changes"])


class TestApproval:
    def test_leader_approves_numbered_from_the_register_and_the_version_is_frozen(self, data, world):
        first = built(world, "2022S1")
        second = built(world, "2021S1")
        leader = JsonClient(user=world.leader)
        compiler = JsonClient(user=world.compiler)
        rid = first["report_id"]
        assert_error(compiler.post(f"/reports/{rid}/versions/1/approve"), 403)

        r = leader.post(f"/reports/{rid}/versions/1/approve", {"issued_on": "2022-07-05"})
        assert r.status_code == 200, r.content
        body = r.json()
        assert (body["status"], body["doc_number"], body["doc_number_label"], body["issued_on"]) == (
            "approved", 1, "01/BC-DEPT", "2022-07-05")
        assert body["approved_by"] == "lanhdao"
        other = leader.post(f"/reports/{second['report_id']}/versions/1/approve", {"issued_on": "2022-12-20"})
        assert other.json()["doc_number"] == 2

        listed = {i["id"]: i for i in leader.get("/reports").json()["items"]}
        assert (listed[rid]["status"], listed[rid]["approved_version"], listed[rid]["doc_number"]) == (
            "approved", 1, 1)

        frozen = "đã được phê duyệt"
        assert_error(compiler.put(f"/reports/{rid}/draft", {"base_version": 1, "edits": {SECTION: "Sửa."}}), 400,
                     frozen)
        assert_error(compiler.post(f"/reports/{rid}/recompute"), 400, frozen)
        assert_error(build(world.compiler), 400, frozen)
        assert_error(leader.post(f"/reports/{rid}/versions/1/approve"), 400, frozen)

        # Data change after approval: the approved version still shows what it showed.
        approved(world, world.unit_b, "2022S1", {"A": 5, "B": 6, "PCT": 70})
        again = compiler.get(f"/reports/{rid}/versions/1").json()
        assert again["composed"] == body["composed"]
        assert num(figure(again, "A")["value"]) == 2
        document = json.loads(compiler.get(f"/reports/{rid}/versions/1/document", {"format": "json"}).content)
        assert (document["status"], document["doc_number"]) == ("approved", 1)

    def test_issue_date_defaults_to_today(self, data, world):
        rid = built(world)["report_id"]
        body = JsonClient(user=world.leader).post(f"/reports/{rid}/versions/1/approve").json()
        assert body["doc_number"] == 1 and body["issued_on"] is not None


class TestDocument:
    def test_each_format(self, data, world):
        rid = built(world)["report_id"]
        client = JsonClient(user=world.viewer)
        expected = {
            "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", b"PK"),
            "pdf": ("application/pdf", b"%PDF"),
        }
        for fmt, (content_type, magic) in expected.items():
            r = client.get(f"/reports/{rid}/versions/1/document", {"format": fmt})
            assert r.status_code == 200, r.content[:500]
            assert r["Content-Type"] == content_type
            assert r.content.startswith(magic)
            assert r["Content-Disposition"] == f'attachment; filename="BC-TEST_2022S1_DEPT_v1.{fmt}"'
        html = client.get(f"/reports/{rid}/versions/1/document", {"format": "html"})
        assert html["Content-Type"].startswith("text/html")
        text = html.content.decode("utf-8")
        assert "BÁO CÁO" in text and "<html" in text.lower()
        r = client.get(f"/reports/{rid}/versions/1/document", {"format": "json"})
        assert r["Content-Type"].startswith("application/json")
        document = json.loads(r.content.decode("utf-8"))
        assert (document["version"], document["status"], document["doc_number"], document["edits"]) == (
            1, "draft", None, {})
        assert [p["key"] for p in document["parts"]][0] == "intro"

    def test_edits_are_in_the_document(self, data, world):
        rid = built(world)["report_id"]
        client = JsonClient(user=world.compiler)
        client.put(f"/reports/{rid}/draft", {"base_version": 1, "edits": {SECTION: "Câu do chuyên viên viết."}})
        html = client.get(f"/reports/{rid}/versions/2/document", {"format": "html"}).content.decode("utf-8")
        assert "Câu do chuyên viên viết." in html

    def test_bad_format_422(self, data, world):
        rid = built(world)["report_id"]
        r = JsonClient(user=world.compiler).get(f"/reports/{rid}/versions/1/document", {"format": "xlsx"})
        assert_error(r, 422)


class TestTargets:
    def put(self, user, world: World, value, unit=None, code: str = "A", year: int = 2022):
        payload = {"unit": (unit or world.department).pk, "year": year, "indicator_code": code, "value": value,
                   "note": "Kế hoạch năm"}
        return JsonClient(user=user).put("/targets", payload)

    def get(self, user, world: World, unit=None, year: int = 2022):
        return JsonClient(user=user).get("/targets", {"unit": (unit or world.department).pk, "year": year})

    def test_set_get_clear(self, data, world):
        r = self.put(world.compiler, world, "12,5")
        assert r.status_code == 200, r.content
        assert r.json() == {"indicator_code": "A", "value": 12.5, "display": "12,5", "note": "Kế hoạch năm"}
        assert self.put(world.leader, world, 4).json()["value"] == 4
        assert self.get(world.viewer, world).json() == [
            {"indicator_code": "A", "value": 4, "display": "4", "note": "Kế hoạch năm"}]
        assert self.get(world.compiler, world, year=2021).json() == []
        # The target reaches the report: 2 of 4 is 50%.
        assert num(figure(built(world), "A")["achieved_pct"]) == 50
        cleared = self.put(world.compiler, world, None)
        assert cleared.status_code == 200 and cleared.json()["value"] is None
        assert self.get(world.compiler, world).json() == []
        assert not Target.objects.exists()

    def test_bad_values_400_with_fields(self, data, world):
        for value in ("abc", "1,2,3", True):
            body = assert_error(self.put(world.compiler, world, value), 400)
            assert "value" in body["extra"]["fields"], (value, body)
        assert_error(self.put(world.compiler, world, 1, code="KHONG_CO"), 400, "KHONG_CO")
        assert_error(self.put(world.compiler, world, 1, year=1200), 400)
        assert not Target.objects.exists()

    def test_scope(self, data, world):
        self.put(world.compiler, world, 10)
        assert_error(self.get(world.other_compiler, world), 404)
        assert_error(self.put(world.other_compiler, world, 1), 404)
        assert_error(self.get(world.reporter_a, world), 404)
        assert_error(self.put(world.reporter_a, world, 1), 404)
        assert_error(self.put(world.viewer, world, 1), 403)
        assert_error(self.put(world.inspector, world, 1), 403)
        assert_error(JsonClient().get("/targets", {"unit": world.department.pk, "year": 2022}), 401)
        assert Target.objects.get().value == 10


class TestOutline:
    def url(self, world: World) -> str:
        return f"/regimes/{world.regime.pk}/outline"

    def test_grouping_rules_are_data_of_the_regime(self, world):
        approved(world, world.unit_a, "2021S1", {"A": 1}, text="Hoàn thành kế hoạch năm.")
        approved(world, world.unit_b, "2021S1", {"A": 1}, text="Đã hoàn thành kế hoạch của năm.")
        client = JsonClient(user=world.admin)
        for bad, culprit in (({"similarity": 2}, "similarity"), ({"khong_co": 1}, "khong_co"),
                             ({"max_listed": "ba"}, "max_listed"), ({"level_words": ["x"]}, "level_words")):
            assert_error(client.put(self.url(world), {"grouping_rules": bad}), 400, culprit)
        before = next(p for p in built(world, "2021S1")["composed"]["parts"] if p["key"] == SECTION)
        # A looser similarity joins the two ways of saying it; the outline keeps what was saved.
        r = client.put(self.url(world), {"grouping_rules": {"similarity": 0.2}})
        assert r.status_code == 200 and r.json()["grouping_rules"] == {"similarity": 0.2}
        after = next(p for p in built(world, "2021S1")["composed"]["parts"] if p["key"] == SECTION)
        assert len(after["grouping"]["groups"]) < len(before["grouping"]["groups"])

    def test_unknown_placeholder_400_naming_it(self, data, world):
        client = JsonClient(user=world.admin)
        r = client.put(self.url(world), {"intro_template": "Thực hiện {regime}, {khong_co} báo cáo."})
        assert_error(r, 400, "khong_co")
        assert client.get(self.url(world)).json()["saved"] is False

    def test_admin_edits_and_the_report_follows(self, data, world):
        client = JsonClient(user=world.admin)
        default = client.get(self.url(world)).json()
        assert default["saved"] is False and "window_start" in default["placeholders"]["intro"]
        parts = ["units", SECTION, "intro"]
        r = client.put(self.url(world), {
            "parts": parts, "headings": {SECTION: "Kết quả thực hiện"}, "place": "Thử Nghiệm",
            "intro_template": "Kỳ {period_code}: {approved}/{expected} đơn vị.", "signer_name": "Nguyễn Văn A",
        })
        assert r.status_code == 200, r.content
        body = r.json()
        assert (body["saved"], body["parts"], body["place"]) == (True, parts, "Thử Nghiệm")
        assert body["summary_template"] == default["summary_template"]  # fields not sent are kept
        report = built(world)
        assert [p["key"] for p in report["composed"]["parts"]] == [*parts, "ending"]
        section = next(p for p in report["composed"]["parts"] if p["key"] == SECTION)
        assert (section["number"], section["heading"]) == ("I", "Kết quả thực hiện")
        assert report["texts"]["intro"] == "Kỳ 2022S1: 1/2 đơn vị."

    def test_bad_parts_400(self, data, world):
        r = JsonClient(user=world.admin).put(self.url(world), {"parts": ["intro", "section:ZZ"]})
        assert_error(r, 400, "section:ZZ")

    def test_only_admins_edit(self, data, world):
        for user in (world.compiler, world.leader):
            assert JsonClient(user=user).get(self.url(world)).status_code == 200
            assert_error(JsonClient(user=user).put(self.url(world), {"place": "X"}), 403)
        for user in (world.other_compiler, world.reporter_a):
            assert_error(JsonClient(user=user).get(self.url(world)), 404)
            assert_error(JsonClient(user=user).put(self.url(world), {"place": "X"}), 404)
        assert_error(JsonClient().get(self.url(world)), 401)


def test_approve_on_a_given_date_uses_that_year_register(data, world):
    rid = built(world)["report_id"]
    body = JsonClient(user=world.leader).post(f"/reports/{rid}/versions/1/approve",
                                              {"issued_on": date(2023, 1, 3).isoformat()}).json()
    assert (body["doc_number"], body["issued_on"]) == (1, "2023-01-03")


class TestRegroup:
    """POST /reports/{id}/regroup: split a sentence out of its group, merge groups back."""

    def both_wrote(self, world: World) -> dict:
        approved(world, world.unit_a, "2021S1", {"A": 1}, text="Hoàn thành kế hoạch.")
        approved(world, world.unit_b, "2021S1", {"A": 1}, text="Hoàn thành kế hoạch.")
        return built(world, "2021S1")

    def test_split_and_merge(self, world):
        body = self.both_wrote(world)
        report_id, number = body["report_id"], body["number"]
        part = next(p for p in body["composed"]["parts"] if p["key"] == SECTION)
        assert part["grouping"]["groups"] == [[0, 1]]
        client = JsonClient(user=world.compiler)
        split = client.post(f"/reports/{report_id}/regroup", {"base_version": number, "part": SECTION, "split": 1})
        assert split.status_code == 200, split.content
        after = next(p for p in split.json()["composed"]["parts"] if p["key"] == SECTION)
        assert after["grouping"]["groups"] == [[0], [1]] and len(after["narrative"]) >= 1
        assert_error(client.post(f"/reports/{report_id}/regroup",
                                 {"base_version": number, "part": SECTION, "split": 1}), 409)
        merged = client.post(f"/reports/{report_id}/regroup",
                             {"base_version": split.json()["number"], "part": SECTION, "merge": [0, 1]})
        assert merged.status_code == 200
        assert next(p for p in merged.json()["composed"]["parts"] if p["key"] == SECTION)["narrative"] == \
            part["narrative"]

    def test_bad_choices_400_and_scope_404(self, world):
        body = self.both_wrote(world)
        report_id, number = body["report_id"], body["number"]
        client = JsonClient(user=world.compiler)
        count = ReportVersion.objects.count()
        for payload in ({"part": "intro", "split": 0}, {"part": SECTION, "merge": [0]},
                        {"part": SECTION, "split": 99}, {"part": SECTION}):
            assert_error(client.post(f"/reports/{report_id}/regroup", {"base_version": number, **payload}), 400)
        assert_error(client.post(f"/reports/{report_id}/regroup",
                                 {"base_version": number, "part": SECTION, "split": -1}), 422)
        for user in (world.reporter_a, world.other_compiler):
            assert_error(JsonClient(user=user).post(f"/reports/{report_id}/regroup",
                                                    {"base_version": number, "part": SECTION, "split": 1}), 404)
        assert_error(JsonClient(user=world.leader).post(f"/reports/{report_id}/regroup",
                                                        {"base_version": number, "part": SECTION, "split": 1}), 403)
        assert ReportVersion.objects.count() == count
