"""/api/v1/cases: per role, in and out of scope (404; every endpoint for a reporter), roles that only
read (403), rules (400) in the error shape with nothing written, and list queries that do not grow."""

from __future__ import annotations

from datetime import date

import pytest

from baocao.audit.models import AuditEvent
from baocao.cases.choices import CaseKind, CaseStatus
from baocao.cases.models import Case, CaseExtension
from tests.api.conftest import JsonClient, assert_error, query_count
from tests.cases.case_fixtures import case_world, make_case, make_denunciation

pytestmark = pytest.mark.django_db

ROLES = ["admin", "compiler", "leader", "inspector", "viewer", "reporter_a", "other_compiler", "other_inspector"]
SEES = {r: 200 for r in ROLES} | {"reporter_a": 404, "other_compiler": 404, "other_inspector": 404}
WRITES = ("admin", "inspector")


@pytest.fixture
def world():
    return case_world()


@pytest.fixture
def case(world):
    return make_case(world, code="KN-07", sector=world.sector)


def api(u=None) -> JsonClient:
    return JsonClient(user=u)


def new_case(world, **overrides) -> dict:
    body = {"kind": "complaint", "complaint_round": 1, "received_on": "2023-01-16", "channel": "post",
            "code": "KN-15", "subject_org": "Bưu điện tỉnh", "sector": world.sector.pk,
            "summary": "Khiếu nại quyết định xử phạt", "officer": world.inspector.pk,
            "assigned_unit": world.department.pk}
    return body | overrides


@pytest.mark.parametrize("role", ROLES)
def test_reads(world, case, role):
    client = api(getattr(world, role))
    r = client.get(f"/cases/{case.pk}")
    assert r.status_code == SEES[role], r.content
    if r.status_code == 404:
        assert_error(r, 404, "Không tìm thấy")
    listed = client.get("/cases")
    if role == "reporter_a":
        assert_error(listed, 404, "sổ vụ việc")
    else:
        assert ({c["id"] for c in listed.json()["items"]} == {case.pk}) == (SEES[role] == 200)
    history = client.get(f"/cases/{case.pk}/history")
    assert history.status_code == SEES[role]


@pytest.mark.parametrize("role", ROLES)
def test_create(world, role):
    r = api(getattr(world, role)).post("/cases", new_case(world, officer=None, assigned_unit=None))
    expected = {"admin": 201, "inspector": 201, "other_inspector": 201, "reporter_a": 404}.get(role, 403)
    assert r.status_code == expected, r.content
    if expected == 201:
        body = r.json()
        assert body["owner"]["id"] == getattr(world, role).unit_id
        assert body["deadlines"][0] == {"step": "acceptance", "label": "thụ lý", "deadline": "2023-02-06",
                                        "status": "overdue", "status_label": "Quá hạn"}
    else:
        assert not Case.objects.exists()


def test_create_full_and_detail(world):
    r = api(world.inspector).post("/cases", new_case(world))
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["kind_label"] == "Khiếu nại" and body["officer"] == {"id": world.inspector.pk,
                                                                      "name": "Hoàng Thị Thanh"}
    # Law on Complaints 2011 art. 27: 10 working days; Tết 2023 (20-26/01) is skipped.
    assert body["deadlines"][0]["deadline"] == "2023-02-06"
    assert body["deadlines"][1]["deadline"] is None and body["status"] == "received"
    assert body["allowed_actions"] == ["update", "accept", "refuse", "forward", "attach"]
    assert api(world.compiler).get(f"/cases/{body['id']}").json()["allowed_actions"] == []


def test_create_out_of_scope_units_404(world):
    assert_error(api(world.other_inspector).post("/cases", new_case(world, owner=world.department.pk,
                                                                   officer=None, assigned_unit=None)), 404)
    assert_error(api(world.inspector).post("/cases", new_case(world, owner=999999)), 404)
    assert_error(api(world.other_inspector).post("/cases", new_case(world, officer=None)), 404)
    assert not Case.objects.exists()


@pytest.mark.parametrize("body,status,part", [
    ({"summary": ""}, 400, "nội dung"),
    ({"received_on": "2999-01-01"}, 400, "không được sau hôm nay"),
    ({"kind": "lawsuit"}, 422, None),
    ({"received_on": "16/01/2023"}, 422, None),
    ({"officer": 999999}, 404, "cán bộ"),
    ({"sector": 999999}, 404, "lĩnh vực"),
])
def test_create_bad_input(world, body, status, part):
    assert_error(api(world.inspector).post("/cases", new_case(world, **body)), status, part)
    assert not Case.objects.exists()


@pytest.mark.parametrize("role", ROLES)
def test_state_changes_by_role(world, case, role):
    r = api(getattr(world, role)).post(f"/cases/{case.pk}/accept", {"accepted_on": "2022-03-02"})
    expected = 200 if role in WRITES else SEES[role] if SEES[role] == 404 else 403
    assert r.status_code == expected, r.content
    assert (Case.objects.get(pk=case.pk).status == CaseStatus.ACCEPTED) == (role in WRITES)


def test_accept_extend_resolve(world):
    case = make_denunciation(world)
    client = api(world.inspector)
    body = client.post(f"/cases/{case.pk}/accept", {"accepted_on": "2022-03-02"}).json()
    assert body["status"] == "accepted" and body["deadlines"][1]["deadline"] == "2022-04-01"
    assert body["allowed_actions"] == ["update", "extend", "resolve", "attach"]
    r = client.post(f"/cases/{case.pk}/extend", {"decision_number": "7/QĐ-TTr", "decided_on": "2022-03-25",
                                                  "days": 30, "reason": "Phức tạp"})
    assert r.status_code == 200, r.content
    assert r.json()["extensions"][0]["decision_number"] == "7/QĐ-TTr"
    assert r.json()["deadlines"][1]["deadline"] == "2022-05-04"
    r = client.post(f"/cases/{case.pk}/resolve", {"resolved_on": "2022-04-20", "conclusion": "Tố cáo đúng một phần",
                                                   "sanction_decisions": 1, "sanction_amount": 10000000})
    assert r.status_code == 200, r.content
    body = r.json()
    assert (body["status"], body["sanction_amount"], body["resolved_on"]) == ("resolved", 10000000, "2022-04-20")
    assert body["deadlines"][1]["status"] == "done_on_time"
    history = client.get(f"/cases/{case.pk}/history").json()
    assert [h["action"] for h in history] == ["case.create", "case.accept", "case.extend"] + ["case.resolve"] * 4
    # Each row also in words, as the case page shows it.
    assert [h["text"] for h in history[1:]] == [
        "thụ lý · ngày thụ lý: — → 02/03/2022",
        history[2]["text"],
        "giải quyết · trạng thái: Đã thụ lý / đang thực hiện → Đã giải quyết / kết thúc",
        "giải quyết · ngày giải quyết: — → 20/04/2022",
        "giải quyết · số quyết định xử phạt: — → 1",
        "giải quyết · số tiền xử phạt: — → 10.000.000",
    ]
    assert history[2]["text"].startswith("gia hạn: — → +30 ngày")
    assert history[3]["field_label"] == "trạng thái" and history[3]["old"] == "Đã thụ lý / đang thực hiện"


def test_refuse_and_forward(world):
    client = api(world.inspector)
    first, second = make_case(world), make_case(world)
    r = client.post(f"/cases/{first.pk}/refuse", {"decided_on": "2022-03-04", "reason": "Đơn nặc danh"})
    assert r.status_code == 200 and r.json()["status"] == "refused"
    r = client.post(f"/cases/{second.pk}/forward", {"decided_on": "2022-03-04", "to_agency": "UBND huyện Na Rì"})
    assert r.json()["conclusion"] == "UBND huyện Na Rì"
    assert_error(client.post(f"/cases/{second.pk}/accept", {"accepted_on": "2022-03-05"}), 400, "Đã chuyển")


def test_extension_without_a_decision_400(world):
    case = make_denunciation(world, accepted_on=date(2022, 3, 2))
    body = assert_error(api(world.inspector).post(f"/cases/{case.pk}/extend", {
        "decision_number": "", "decided_on": "2022-03-20", "days": 30}), 400, "quyết định bằng văn bản")
    assert "decision_number" in body["extra"]["fields"]
    assert not CaseExtension.objects.exists()


def test_extension_of_a_petition_400(world, case):
    client = api(world.inspector)
    client.post(f"/cases/{case.pk}/accept", {"accepted_on": "2022-03-02"})
    assert_error(client.post(f"/cases/{case.pk}/extend", {"decision_number": "1/QĐ", "decided_on": "2022-03-10",
                                                          "days": 10}), 400, "không được gia hạn")


@pytest.mark.parametrize("body,part", [
    ({"resolved_on": "2022-03-01"}, "không được trước ngày thụ lý"),
    ({"sanction_amount": -1, "sanction_decisions": 1}, "không được âm"),
    ({"sanction_amount": 500000}, "ít nhất một quyết định"),
    ({"sanction_decisions": -2}, "không âm"),
])
def test_resolve_refusals_400(world, case, body, part):
    client = api(world.inspector)
    client.post(f"/cases/{case.pk}/accept", {"accepted_on": "2022-03-02"})
    before = AuditEvent.objects.count()
    payload = {"resolved_on": "2022-03-20", "conclusion": "Xong"} | body
    assert_error(client.post(f"/cases/{case.pk}/resolve", payload), 400, part)
    assert AuditEvent.objects.count() == before and Case.objects.get(pk=case.pk).status == CaseStatus.ACCEPTED


def test_resolve_before_acceptance_and_non_numeric_amount(world, case):
    client = api(world.inspector)
    assert_error(client.post(f"/cases/{case.pk}/resolve", {"resolved_on": "2022-03-20", "conclusion": "Xong"}),
                 400, "chưa được thụ lý")
    client.post(f"/cases/{case.pk}/accept", {"accepted_on": "2022-03-02"})
    assert_error(client.post(f"/cases/{case.pk}/resolve", {"resolved_on": "2022-03-20", "conclusion": "Xong",
                                                           "sanction_amount": "mười triệu"}), 422)
    assert Case.objects.get(pk=case.pk).status == CaseStatus.ACCEPTED


def test_list_filters_and_views(world):
    make_case(world, code="A", kind=CaseKind.INSPECTION, accepted_on=date(2022, 3, 1))
    make_case(world, code="B", sector=world.sector)
    client = api(world.leader)
    assert [c["code"] for c in client.get("/cases", {"kind": "inspection"}).json()["items"]] == ["A"]
    assert [c["code"] for c in client.get("/cases", {"sector": world.sector.pk}).json()["items"]] == ["B"]
    assert {c["code"] for c in client.get("/cases", {"view": "overdue"}).json()["items"]} == {"A", "B"}
    assert client.get("/cases", {"view": "due3"}).json()["items"] == []
    assert_error(client.get("/cases", {"view": "soon"}), 422)


def test_list_queries_do_not_grow(world):
    client = api(world.compiler)
    for i in range(3):
        make_denunciation(world, code=f"A{i}", accepted_on=date(2022, 3, 2), officer=world.inspector)
    few = [query_count(client, "/cases"), query_count(client, "/cases", {"view": "overdue"})]
    for i in range(27):
        make_case(world, code=f"B{i}", sector=world.sector, officer=world.inspector, assigned_unit=world.unit_a)
    assert [query_count(client, "/cases"), query_count(client, "/cases", {"view": "overdue"})] == few
