"""Conferences through the API (tag "meetings"): create, read, add rows, conclusions to tasks
(all-or-nothing), the article (read, edit) and the documents; every role in and out of scope
(out of scope 404, in scope but not allowed 403, anonymous 401), all errors in the one shape."""

from __future__ import annotations

import io
from datetime import date

import docx
import pytest

from baocao.consolidation.models import ConsolidatedReport, ReportVersion
from baocao.meetings.models import Meeting
from baocao.meetings.services import attendee_add, conclusion_add
from baocao.orgunits.choices import UnitKind
from baocao.work.models import Task
from tests.api.conftest import JsonClient, assert_error, query_count
from tests.factories import group, unit
from tests.meetings.conftest import make_meeting

pytestmark = pytest.mark.django_db

ROLES = ["admin", "compiler", "leader", "inspector", "viewer", "reporter_a", "reporter_b", "other_compiler"]
READ = {r: 200 for r in ROLES} | {"reporter_b": 404, "other_compiler": 404}
WRITE = {"admin": 201, "compiler": 201, "leader": 201, "inspector": 403, "viewer": 403, "reporter_a": 403,
         "reporter_b": 404, "other_compiler": 404}

NEW = {"title": "Hội nghị sơ kết công tác 6 tháng đầu năm 2022", "organiser": "DEPT", "date": "2022-07-07",
       "start_time": "08:00", "chair_name": "Hà Văn Tiến", "chair_title": "Giám đốc Sở", "regime": "BC-TEST",
       "period": "2022S1", "next_period": "2022S2",
       "secretary_name": "Bế Thị Thanh Hoài", "secretary_title": "Chuyên viên Văn phòng Sở"}


def api(user=None) -> JsonClient:
    return JsonClient(user=user)


@pytest.fixture
def meeting(world) -> Meeting:
    m = make_meeting(world)
    attendee_add(acting_user=world.compiler, meeting=m, unit=world.unit_a)
    return m


def test_create_and_read(world):
    r = api(world.compiler).post("/meetings", NEW)
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["organiser"]["code"] == "DEPT" and body["regime"]["code"] == "BC-TEST"
    assert (body["kind"], body["kind_label"], body["start_time"]) == ("midyear", "Sơ kết", "08:00:00")
    assert body["can_edit"] is True and body["created_by"] == "tonghop"
    assert (body["secretary_name"], body["secretary_title"], body["article_author"]) == (
        "Bế Thị Thanh Hoài", "Chuyên viên Văn phòng Sở", "")
    assert api(world.viewer).get(f"/meetings/{body['id']}").json()["can_edit"] is False


@pytest.mark.parametrize("payload,status,message", [
    ({**NEW, "title": " "}, 400, "Tên hội nghị không được để trống."),
    ({**NEW, "period": "2022M01"}, 400, "không thuộc chế độ báo cáo"),
    ({**NEW, "organiser": "DEPT2"}, 404, "Không tìm thấy đơn vị"),
    ({**NEW, "regime": "NOPE"}, 404, "Không tìm thấy chế độ báo cáo"),
    ({k: v for k, v in NEW.items() if k != "date"}, 422, "Dữ liệu gửi lên không hợp lệ."),
])
def test_create_refused(world, payload, status, message):
    assert_error(api(world.compiler).post("/meetings", payload), status, message)
    assert not Meeting.objects.exists()


@pytest.mark.parametrize("role", ROLES)
def test_create_by_role(world, role):
    payload = {**NEW, "organiser": "DEPT2" if role == "other_compiler" else "DEPT", "regime": None}
    r = api(getattr(world, role)).post("/meetings", payload)
    expected = {"inspector": 403, "viewer": 403, "reporter_a": 404, "reporter_b": 404}.get(role, 201)
    assert r.status_code == expected, (role, r.content)


@pytest.mark.parametrize("role", ROLES)
def test_reads_by_role(world, meeting, role):
    client = api(getattr(world, role))
    for path in (f"/meetings/{meeting.pk}", f"/meetings/{meeting.pk}/article",
                 f"/meetings/{meeting.pk}/documents/minutes?format=docx"):
        r = client.get(path)
        assert r.status_code == READ[role], (role, path, r.content)
        if r.status_code != 200:
            assert_error(r, READ[role])
    ids = [m["id"] for m in client.get("/meetings").json()["items"]]
    assert ids == ([meeting.pk] if READ[role] == 200 else [])


@pytest.mark.parametrize("role", ROLES)
def test_writes_by_role(world, meeting, role):
    client = api(getattr(world, role))
    requests = [
        (f"/meetings/{meeting.pk}/attendees", {"person_name": "Nguyễn Văn Bình", "person_title": "Phó Chủ tịch"}),
        (f"/meetings/{meeting.pk}/agenda", {"title": "Báo cáo tham luận", "presenter_name": "Hoàng Văn An"}),
        (f"/meetings/{meeting.pk}/opinions", {"summary": "Đề nghị tập huấn.", "unit": world.unit_a.pk}),
        (f"/meetings/{meeting.pk}/conclusions", {"text": "Tập trung chuyển đổi số."}),
    ]
    for path, payload in requests:
        r = client.post(path, payload)
        assert r.status_code == WRITE[role], (role, path, r.content)
        if r.status_code != 201:
            assert_error(r, WRITE[role])
    r = client.put(f"/meetings/{meeting.pk}/article", {"parts": {"lead": "Mở đầu."}})
    assert r.status_code == (200 if WRITE[role] == 201 else WRITE[role]), (role, r.content)


def test_rows_and_their_shapes(world, meeting):
    client = api(world.compiler)
    r = client.post(f"/meetings/{meeting.pk}/attendees", {"group": 999})
    assert_error(r, 404, "Không tìm thấy nhóm đơn vị.")
    r = client.post(f"/meetings/{meeting.pk}/attendees", {"unit": world.other_department.pk})
    assert_error(r, 404, "Không tìm thấy đơn vị")
    r = client.post(f"/meetings/{meeting.pk}/attendees", {})
    assert_error(r, 400, "Chọn đơn vị, nhóm đơn vị hoặc nhập họ tên")
    r = client.post(f"/meetings/{meeting.pk}/opinions", {"summary": "", "speaker_name": "A"})
    assert_error(r, 400, "Tóm tắt ý kiến không được để trống.")
    r = client.post(f"/meetings/{meeting.pk}/conclusions", {"text": "Kết luận.", "sector": "NOPE"})
    assert_error(r, 400, "Không có lĩnh vực mã «NOPE».")
    r = client.post(f"/meetings/{meeting.pk}/opinions", {"summary": "Đề nghị tập huấn.", "unit": world.unit_a.pk,
                                                         "speaker_name": "Hoàng Văn An", "topic": "chuyển đổi số"})
    assert r.status_code == 201 and r.json()["unit"]["code"] == "UA" and r.json()["order"] == 1
    body = client.get(f"/meetings/{meeting.pk}").json()
    assert body["attendees"][0]["label"] == "Đại diện lãnh đạo Phòng Văn hóa và Thông tin huyện An"
    assert body["opinions"][0]["topic"] == "chuyển đổi số"


def test_agenda_presents_a_report_version(world, meeting):
    report = ConsolidatedReport.objects.create(regime=world.regime, period="2022S1", unit=world.department)
    for n in (1, 2):
        ReportVersion.objects.create(report=report, number=n, composed={"parts": [], "meta": {}},
                                     created_by=world.compiler)
    client = api(world.compiler)
    r = client.post(f"/meetings/{meeting.pk}/agenda", {"report": report.pk, "presenter_name": "Lô Quang Tuyến",
                                                       "presenter_title": "Phó Giám đốc Sở"})
    assert r.status_code == 201, r.content
    assert r.json()["report_version"]["number"] == 2 and r.json()["title"].startswith("Dự thảo Báo cáo")
    r = client.post(f"/meetings/{meeting.pk}/agenda", {"report": report.pk, "version": 1, "title": "Bản 1"})
    assert r.json()["report_version"]["number"] == 1
    assert_error(client.post(f"/meetings/{meeting.pk}/agenda", {"report": report.pk, "version": 9}), 404)
    assert_error(api(world.other_compiler).post(f"/meetings/{meeting.pk}/agenda", {"report": report.pk}), 404)
    assert_error(client.post(f"/meetings/{meeting.pk}/agenda", {"version": 1}), 400, "Chọn báo cáo tổng hợp")


class TestConclusionTasks:
    @pytest.fixture
    def conclusion(self, world, meeting):
        return conclusion_add(acting_user=world.compiler, meeting=meeting, text="Nâng cấp đài truyền thanh cấp xã.")

    def test_creates_all(self, world, conclusion):
        r = api(world.compiler).post(f"/conclusions/{conclusion.pk}/tasks", {"tasks": [
            {"lead_unit": world.unit_a.pk, "deadline": "2022-12-15", "is_key": True,
             "cooperating_units": [world.unit_b.pk]},
            {"lead_unit": world.unit_b.pk, "deadline": "2022-11-30", "title": "Nâng cấp đài huyện Bình"},
        ]})
        assert r.status_code == 201, r.content
        body = r.json()
        assert [t["lead_unit"]["code"] for t in body] == ["UA", "UB"]
        assert body[0]["title"] == conclusion.text and body[0]["is_key"] and body[0]["url"] == f"/tasks/{body[0]['id']}/"
        assert set(Task.objects.values_list("conclusion_id", flat=True)) == {conclusion.pk}
        detail = api(world.reporter_a).get(f"/meetings/{conclusion.meeting_id}").json()
        assert [t["id"] for t in detail["conclusions"][0]["tasks"]] == [t["id"] for t in body]

    def test_all_or_nothing(self, world, conclusion):
        closed = unit(name="Phòng đã giải thể", kind=UnitKind.DIVISION, parent=world.department,
                      valid_to=date(2022, 1, 1))
        client = api(world.compiler)
        body = assert_error(client.post(f"/conclusions/{conclusion.pk}/tasks", {"tasks": [
            {"lead_unit": world.unit_a.pk, "deadline": "2022-12-15"},
            {"lead_unit": closed.pk, "deadline": "2022-12-15"},
        ]}), 400, "ngừng hoạt động")
        assert body["extra"]["task_index"] == 1
        body = assert_error(client.post(f"/conclusions/{conclusion.pk}/tasks", {"tasks": [
            {"lead_unit": world.unit_a.pk, "deadline": "2022-06-15"}]}), 400, "không được trước ngày bắt đầu")
        body = assert_error(client.post(f"/conclusions/{conclusion.pk}/tasks", {"tasks": [
            {"lead_unit": world.unit_a.pk, "deadline": "2022-12-15"},
            {"lead_unit": world.other_department.pk, "deadline": "2022-12-15"}]}), 404)
        assert body["extra"]["task_index"] == 1
        assert_error(client.post(f"/conclusions/{conclusion.pk}/tasks", {"tasks": []}), 400, "Cần ít nhất một")
        assert not Task.objects.exists()

    @pytest.mark.parametrize("role", ROLES)
    def test_by_role(self, world, conclusion, role):
        r = api(getattr(world, role)).post(f"/conclusions/{conclusion.pk}/tasks", {"tasks": [
            {"lead_unit": world.unit_a.pk, "deadline": "2022-12-15"}]})
        expected = WRITE[role]
        assert r.status_code == expected, (role, r.content)
        assert Task.objects.exists() == (expected == 201)


def test_article_read_edit_and_documents(world, meeting):
    client = api(world.compiler)
    body = client.get(f"/meetings/{meeting.pk}/article", {"on": "2022-07-12"}).json()
    assert body["parts"]["updated"] == "Cập nhật lúc: 12/07/2022" and body["edited"] == []
    assert body["parts"]["lead"].startswith("Ngày 07/7/2022, Sở Thông tin và Truyền thông đã tổ chức")
    assert body["html_url"] == f"/api/v1/meetings/{meeting.pk}/documents/article?format=html"
    r = client.put(f"/meetings/{meeting.pk}/article", {"parts": {"title": "Tiêu đề mới", "photos": ""}})
    assert r.status_code == 200 and r.json()["parts"]["title"] == "Tiêu đề mới"
    assert r.json()["edited"] == ["title", "photos"]
    r = client.put(f"/meetings/{meeting.pk}/article", {"parts": {"title": None}})
    assert r.json()["edited"] == ["photos"] and r.json()["parts"]["title"].startswith("Sở Thông tin")
    assert_error(client.put(f"/meetings/{meeting.pk}/article", {"parts": {"body": "x"}}), 400, "không có phần: body")
    r = client.put(f"/meetings/{meeting.pk}/article", {"parts": {"author": "Bế Thị Thanh Hoài"}})
    assert r.json()["parts"]["author"] == "Bế Thị Thanh Hoài" and r.json()["edited"] == ["photos", "author"]
    assert client.get(f"/meetings/{meeting.pk}").json()["article_author"] == "Bế Thị Thanh Hoài"
    page = client.get(f"/meetings/{meeting.pk}/documents/article", {"format": "html", "on": "2022-07-12"})
    assert page.status_code == 200 and "(Cập nhật lúc: 12/07/2022)" in page.content.decode()
    word = client.get(f"/meetings/{meeting.pk}/documents/invitation", {"format": "docx"})
    assert word.status_code == 200 and word["Content-Disposition"] == \
        'attachment; filename="giay-moi_DEPT_2022-07-07.docx"'
    tables = "\n".join(c.text for t in docx.Document(io.BytesIO(word.content)).tables for row in t.rows
                       for c in row.cells)
    assert "/GM-DEPT" in tables
    assert client.get(f"/meetings/{meeting.pk}/documents/minutes", {"format": "pdf"}).content.startswith(b"%PDF")
    assert_error(client.get(f"/meetings/{meeting.pk}/documents/article", {"format": "pdf"}), 400, "html, docx")
    assert_error(client.get(f"/meetings/{meeting.pk}/documents/agenda"), 404, "Không có loại tài liệu")
    assert_error(client.get(f"/meetings/{meeting.pk}/documents/minutes", {"format": "odt"}), 422)


def test_anonymous_401(world, meeting):
    client = api()
    for path in ("/meetings", f"/meetings/{meeting.pk}", f"/meetings/{meeting.pk}/article",
                 f"/meetings/{meeting.pk}/documents/minutes"):
        assert_error(client.get(path), 401, "Cần đăng nhập.")
    for path in ("/meetings", f"/meetings/{meeting.pk}/attendees", f"/meetings/{meeting.pk}/agenda",
                 f"/meetings/{meeting.pk}/opinions", f"/meetings/{meeting.pk}/conclusions", "/conclusions/1/tasks"):
        assert_error(client.post(path, {}), 401)
    assert_error(client.put(f"/meetings/{meeting.pk}/article", {"parts": {}}), 401)


def test_list_query_count_does_not_grow(world):
    make_meeting(world)
    few = query_count(api(world.compiler), "/meetings")
    for n in range(5):
        m = make_meeting(world, title=f"Hội nghị {n}")
        attendee_add(acting_user=world.compiler, meeting=m, unit=world.unit_b)
    assert query_count(api(world.compiler), "/meetings") == few


def test_detail_query_count_does_not_grow(world, meeting):
    # One row of each kind first: a prefetch runs only when there are rows to prefetch for.
    conclusion_add(acting_user=world.compiler, meeting=meeting, text="Kết luận.")
    attendee_add(acting_user=world.compiler, meeting=meeting, group=group(members=[world.unit_b]))
    few = query_count(api(world.compiler), f"/meetings/{meeting.pk}")
    for n in range(4):
        attendee_add(acting_user=world.compiler, meeting=meeting, person_name=f"Người {n}")
        attendee_add(acting_user=world.compiler, meeting=meeting, group=group(members=[world.unit_a, world.unit_b]))
        conclusion_add(acting_user=world.compiler, meeting=meeting, text=f"Kết luận {n}.")
    assert query_count(api(world.compiler), f"/meetings/{meeting.pk}") == few
