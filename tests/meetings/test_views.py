"""Conference pages: scope per role (anonymous → login, out of scope 404, in scope but not allowed
to write 403), creating a meeting, HTMX forms adding rows in place (errors next to the form),
"Giao nhiệm vụ" per conclusion, downloads, the article editor, and a list page whose query
count does not grow with the number of meetings."""

from __future__ import annotations

import io
from datetime import date

import docx
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from baocao.meetings.models import Attendee, Meeting, Opinion
from baocao.meetings.services import attendee_add, conclusion_add, opinion_add
from baocao.orgunits.choices import UnitKind
from baocao.work.models import Task
from tests.factories import unit
from tests.meetings.conftest import make_meeting

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def client(u=None) -> Client:
    c = Client()
    if u is not None:
        c.force_login(u)
    return c


@pytest.fixture
def meeting(world) -> Meeting:
    m = make_meeting(world)
    attendee_add(acting_user=world.compiler, meeting=m, unit=world.unit_a)
    return m


def test_pages_by_role(world, meeting):
    expected = {"admin": 200, "compiler": 200, "leader": 200, "inspector": 200, "viewer": 200, "reporter_a": 200,
                "reporter_b": 404, "other_compiler": 404}
    for role, status in expected.items():
        c = client(getattr(world, role))
        assert c.get(f"/meetings/{meeting.pk}/").status_code == status, role
        assert c.get(f"/meetings/{meeting.pk}/documents/invitation/docx/").status_code == status, role
        assert c.get(f"/meetings/{meeting.pk}/article/").status_code == status, role
        listing = c.get("/meetings/").content.decode()
        assert (meeting.title in listing) == (status == 200), role
    anonymous = client().get(f"/meetings/{meeting.pk}/")
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/login/")


def test_editors_see_the_forms_readers_do_not(world, meeting):
    html = client(world.compiler).get(f"/meetings/{meeting.pk}/").content.decode()
    for form in ('id="attendee-form"', 'id="agenda-form"', 'id="opinion-form"', 'id="conclusion-form"',
                 'id="meeting-edit-form"'):
        assert form in html
    assert 'href="/meetings/"' in html and ">Hội nghị</a>" in html  # the nav link
    for role in ("viewer", "reporter_a"):
        html = client(getattr(world, role)).get(f"/meetings/{meeting.pk}/").content.decode()
        assert 'id="attendee-form"' not in html and 'id="dl-minutes-docx"' in html, role
    assert "bạn xem được nội dung, không sửa được" in html


def test_create_meeting(world):
    c = client(world.compiler)
    assert 'id="meeting-new-form"' in c.get("/meetings/").content.decode()
    r = c.post("/meetings/new/", {"organiser": world.department.pk, "title": "Hội nghị tổng kết năm 2022",
                                  "kind": "annual", "date": "2022-12-28", "start_time": "08:00",
                                  "chair_name": "Hà Văn Tiến", "chair_title": "Giám đốc Sở",
                                  "secretary_name": "Bế Thị Thanh Hoài", "secretary_title": "Chuyên viên",
                                  "regime": world.regime.pk, "period": "2022", "next_period": "2023"})
    meeting = Meeting.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/meetings/{meeting.pk}/"
    assert (meeting.kind, meeting.date, meeting.start_time.hour, meeting.regime) == (
        "annual", date(2022, 12, 28), 8, world.regime)
    assert (meeting.secretary_name, meeting.secretary_title) == ("Bế Thị Thanh Hoài", "Chuyên viên")
    html = c.get(f"/meetings/{meeting.pk}/").content.decode()
    assert '<dd id="meeting-secretary">Bế Thị Thanh Hoài, Chuyên viên</dd>' in html
    assert 'name="secretary_name" value="Bế Thị Thanh Hoài"' in html


def test_create_refused(world):
    r = client(world.compiler).post("/meetings/new/", {"organiser": world.department.pk, "title": "",
                                                       "date": "2022-12-28"})
    assert r.status_code == 400 and "Tên hội nghị không được để trống." in r.content.decode()
    r = client(world.compiler).post("/meetings/new/", {"organiser": world.department.pk, "title": "Hội nghị",
                                                       "date": "31/02/2022"})
    assert r.status_code == 400 and "không hợp lệ" in r.content.decode()
    assert client(world.viewer).post("/meetings/new/", {"title": "x"}).status_code == 403
    assert "meeting-new-form" not in client(world.viewer).get("/meetings/").content.decode()
    r = client(world.other_compiler).post("/meetings/new/", {"organiser": world.department.pk, "title": "Hội nghị",
                                                             "date": "2022-12-28"})
    assert r.status_code == 400 and "Chưa chọn đơn vị tổ chức" in r.content.decode()
    assert not Meeting.objects.exists()


def test_edit_meeting(world, meeting):
    data = {"title": "Hội nghị sơ kết (đã sửa)", "kind": "midyear", "date": "2022-07-08", "place": "Hội trường"}
    assert client(world.viewer).post(f"/meetings/{meeting.pk}/edit/", data).status_code == 403
    assert client(world.other_compiler).post(f"/meetings/{meeting.pk}/edit/", data).status_code == 404
    r = client(world.leader).post(f"/meetings/{meeting.pk}/edit/", data)
    assert r.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.title, meeting.date, meeting.place) == ("Hội nghị sơ kết (đã sửa)", date(2022, 7, 8), "Hội trường")


def test_htmx_forms_add_rows_in_place(world, meeting):
    c = client(world.compiler)
    r = c.post(f"/meetings/{meeting.pk}/opinions/", {"speaker_name": "Hoàng Văn An", "speaker_title": "Trưởng phòng",
                                                     "unit": world.unit_a.pk, "topic": "chuyển đổi số",
                                                     "summary": "Đề nghị tập huấn chuyển đổi số cho xã."}, **HTMX)
    html = r.content.decode()
    assert r.status_code == 200 and html.lstrip().startswith('<section class="card" id="opinions">')
    assert "Đề nghị tập huấn chuyển đổi số cho xã." in html and "Đã ghi ý kiến." in html
    assert "<html" not in html
    r = c.post(f"/meetings/{meeting.pk}/attendees/", {"person_name": "Nguyễn Văn Bình",
                                                      "person_title": "Phó Chủ tịch UBND tỉnh"}, **HTMX)
    assert "Nguyễn Văn Bình, Phó Chủ tịch UBND tỉnh" in r.content.decode()
    r = c.post(f"/meetings/{meeting.pk}/conclusions/", {"text": "Tập trung chuyển đổi số cấp xã."}, **HTMX)
    assert "Tập trung chuyển đổi số cấp xã." in r.content.decode()
    r = c.post(f"/meetings/{meeting.pk}/agenda/", {"title": "Báo cáo tham luận của huyện An",
                                                   "presenter_name": "Hoàng Văn An"}, **HTMX)
    assert "Báo cáo tham luận của huyện An" in r.content.decode()


def test_htmx_error_shows_next_to_the_form_and_keeps_the_input(world, meeting):
    r = client(world.compiler).post(f"/meetings/{meeting.pk}/opinions/",
                                    {"speaker_name": "Hoàng Văn An", "summary": "  "}, **HTMX)
    html = r.content.decode()
    assert r.status_code == 200 and 'class="msg msg-error"' in html
    assert "Tóm tắt ý kiến không được để trống." in html and 'value="Hoàng Văn An"' in html
    assert not Opinion.objects.exists()


def test_without_htmx_the_form_redirects_with_a_message(world, meeting):
    c = client(world.compiler)
    r = c.post(f"/meetings/{meeting.pk}/attendees/", {"unit": world.unit_a.pk})
    assert r.status_code == 302 and r["Location"] == f"/meetings/{meeting.pk}/#attendees"
    assert "đã có trong thành phần tham dự" in c.get(r["Location"]).content.decode()


def test_writes_by_role(world, meeting):
    data = {"summary": "Ý kiến.", "unit": world.unit_a.pk}
    for role, status in [("viewer", 403), ("inspector", 403), ("reporter_a", 403), ("reporter_b", 404),
                         ("other_compiler", 404)]:
        r = client(getattr(world, role)).post(f"/meetings/{meeting.pk}/opinions/", data, **HTMX)
        assert r.status_code == status, role
    assert not Opinion.objects.exists()


def test_unit_outside_scope_is_refused(world, meeting):
    r = client(world.compiler).post(f"/meetings/{meeting.pk}/attendees/", {"unit": world.other_department.pk},
                                    **HTMX)
    assert "Không tìm thấy đơn vị" in r.content.decode()
    assert meeting.attendees.count() == 1


def test_remove_row(world, meeting):
    attendee = meeting.attendees.get()
    assert client(world.viewer).post(f"/meetings/{meeting.pk}/attendees/{attendee.pk}/remove/").status_code == 403
    r = client(world.compiler).post(f"/meetings/{meeting.pk}/attendees/{attendee.pk}/remove/", **HTMX)
    assert r.status_code == 200 and not Attendee.objects.exists()
    assert client(world.compiler).post(f"/meetings/{meeting.pk}/tasks/1/remove/").status_code == 404


def test_give_tasks_from_a_conclusion(world, meeting):
    conclusion = conclusion_add(acting_user=world.compiler, meeting=meeting, text="Nâng cấp đài truyền thanh xã.")
    url = f"/meetings/{meeting.pk}/conclusions/{conclusion.pk}/tasks/"
    r = client(world.compiler).post(url, {"lead_units": [world.unit_a.pk, world.unit_b.pk],
                                          "deadline": "2022-12-15", "is_key": "on"}, **HTMX)
    html = r.content.decode()
    tasks = list(Task.objects.order_by("lead_unit__code"))
    assert [t.lead_unit for t in tasks] == [world.unit_a, world.unit_b]
    assert all(t.conclusion == conclusion and t.is_key and t.title == conclusion.text for t in tasks)
    assert "Đã giao 2 nhiệm vụ từ kết luận 1." in html
    for t in tasks:
        assert f'href="/tasks/{t.pk}/"' in html


def test_give_tasks_all_or_nothing(world, meeting):
    conclusion = conclusion_add(acting_user=world.compiler, meeting=meeting, text="Nâng cấp đài truyền thanh xã.")
    closed = unit(name="Phòng đã giải thể", kind=UnitKind.DIVISION, parent=world.department,
                  valid_to=date(2022, 1, 1))
    url = f"/meetings/{meeting.pk}/conclusions/{conclusion.pk}/tasks/"
    r = client(world.compiler).post(url, {"lead_units": [world.unit_a.pk, closed.pk], "deadline": "2022-12-15"},
                                    **HTMX)
    assert "Phòng đã giải thể" in r.content.decode() and "ngừng hoạt động" in r.content.decode()
    r = client(world.compiler).post(url, {"lead_units": [world.unit_a.pk], "deadline": "2022-06-01"}, **HTMX)
    assert "không được trước ngày bắt đầu" in r.content.decode()
    r = client(world.compiler).post(url, {"deadline": "2022-12-01"}, **HTMX)
    assert "Chọn ít nhất một đơn vị chủ trì." in r.content.decode()
    assert not Task.objects.exists()
    assert client(world.viewer).post(url, {"lead_units": [world.unit_a.pk], "deadline": "2022-12-15"}).status_code == 403


def test_downloads(world, meeting):
    c = client(world.reporter_a)
    for kind, fmt, magic in [("invitation", "docx", b"PK"), ("invitation", "pdf", b"%PDF"), ("minutes", "docx", b"PK"),
                             ("minutes", "pdf", b"%PDF"), ("article", "html", b"<!DOCTYPE"), ("article", "docx", b"PK")]:
        r = c.get(f"/meetings/{meeting.pk}/documents/{kind}/{fmt}/")
        assert r.status_code == 200 and r.content.startswith(magic), (kind, fmt)
    r = c.get(f"/meetings/{meeting.pk}/documents/minutes/docx/")
    assert r["Content-Disposition"] == 'attachment; filename="bien-ban_DEPT_2022-07-07.docx"'
    body = "\n".join(p.text for p in docx.Document(io.BytesIO(r.content)).paragraphs)
    assert "Phòng Văn hóa và Thông tin huyện An" in body
    assert c.get(f"/meetings/{meeting.pk}/documents/article/pdf/").status_code == 400
    assert c.get(f"/meetings/{meeting.pk}/documents/agenda/docx/").status_code == 404


def test_article_editor(world, meeting):
    opinion_add(acting_user=world.compiler, meeting=meeting, unit=world.unit_a, summary="Đề nghị tập huấn.")
    c = client(world.compiler)
    html = c.get(f"/meetings/{meeting.pk}/article/").content.decode()
    assert 'name="part:lead"' in html and 'id="article-preview"' in html and "Ngày 07/7/2022" in html
    r = c.post(f"/meetings/{meeting.pk}/article/", {"part:title": "Tiêu đề đã biên tập", "part:lead": "Mở đầu mới."})
    assert r.status_code == 302
    meeting.refresh_from_db()
    assert meeting.article == {"title": "Tiêu đề đã biên tập", "lead": "Mở đầu mới."}
    html = c.get(f"/meetings/{meeting.pk}/article/").content.decode()
    assert "Tiêu đề đã biên tập" in html and "đã sửa" in html
    assert "Tiêu đề đã biên tập" in c.get(f"/meetings/{meeting.pk}/documents/article/html/").content.decode()
    # The author is edited where the article is, and kept when the composed text is restored.
    c.post(f"/meetings/{meeting.pk}/article/", {"part:author": "Bế Thị Thanh Hoài"})
    meeting.refresh_from_db()
    assert meeting.article_author == "Bế Thị Thanh Hoài"
    assert '<p class="author">Bế Thị Thanh Hoài</p>' in c.get(f"/meetings/{meeting.pk}/documents/article/html/") \
        .content.decode()
    c.post(f"/meetings/{meeting.pk}/article/", {"reset": "1"})
    meeting.refresh_from_db()
    assert meeting.article == {} and meeting.article_author == "Bế Thị Thanh Hoài"
    viewer = client(world.viewer)
    assert 'name="part:lead"' not in viewer.get(f"/meetings/{meeting.pk}/article/").content.decode()
    assert viewer.post(f"/meetings/{meeting.pk}/article/", {"part:lead": "x"}).status_code == 403


def _list_queries(user) -> int:
    c = client(user)
    c.get("/meetings/")  # session, user and unit are loaded once per request; warm nothing else
    with CaptureQueriesContext(connection) as ctx:
        assert c.get("/meetings/").status_code == 200
    return len(ctx.captured_queries)


def test_list_page_queries_do_not_grow(world):
    make_meeting(world)
    few = _list_queries(world.compiler)
    for n in range(6):
        m = make_meeting(world, title=f"Hội nghị {n}")
        attendee_add(acting_user=world.compiler, meeting=m, unit=world.unit_b)
        opinion_add(acting_user=world.compiler, meeting=m, unit=world.unit_b, summary="Ý kiến.")
    assert _list_queries(world.compiler) == few


def test_list_filters_by_year_with_htmx(world):
    make_meeting(world)
    make_meeting(world, title="Hội nghị năm 2023", date=date(2023, 1, 10))
    r = client(world.compiler).get("/meetings/", {"year": "2023", "fragment": "table"}, **HTMX)
    html = r.content.decode()
    assert html.startswith('<div class="table-wrap" id="meeting-table">')
    assert "Hội nghị năm 2023" in html and "Hội nghị sơ kết" not in html


def test_article_editor_saves_only_what_the_user_changed(world, meeting):
    from baocao.meetings.article import compose_article

    shown = compose_article(meeting)
    # Someone records an opinion while the editor is open: the discussion the user did not touch
    # must keep following the record, not freeze the text shown before.
    opinion_add(acting_user=world.leader, meeting=meeting, unit=world.unit_a, summary="Đề nghị tập huấn.")
    data = {}
    for key, text in shown.items():
        data[f"part:{key}"] = text.replace("\n", "\r\n")
        data[f"shown:{key}"] = text.replace("\n", "\r\n")
    data["part:title"] = "Tiêu đề đã biên tập"
    assert client(world.compiler).post(f"/meetings/{meeting.pk}/article/", data).status_code == 302
    meeting.refresh_from_db()
    assert meeting.article == {"title": "Tiêu đề đã biên tập"}
    assert "đề nghị tập huấn" in compose_article(meeting)["discussion"]
