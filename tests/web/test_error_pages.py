"""The error pages never strand a user: 400, 403, 404, 405 and 500 in Vietnamese (lang="vi"), with
the menu and a way back; the API keeps its {"message", "extra"} shape; a 500 whose layout cannot be
drawn still answers a static Vietnamese page."""

from __future__ import annotations

import pytest
from django.test import Client, RequestFactory, override_settings

from baocao.web.errors import server_error_view
from tests.factories import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    return World()


def logged_in(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def assert_vietnamese_page_with_menu(html: str, heading: str) -> None:
    assert '<html lang="vi">' in html
    assert 'id="mainnav"' in html, "the menu is missing"
    assert heading in html
    assert "Về trang tổng quan" in html
    assert 'href="#main"' in html  # the skip link


def test_404_is_vietnamese_with_the_menu(world):
    r = logged_in(world.compiler).get("/no-such-page/")
    assert r.status_code == 404
    assert_vietnamese_page_with_menu(r.content.decode(), "Không tìm thấy trang")


def test_another_units_record_is_the_same_404(world):
    r = logged_in(world.reporter_a).get("/reports/999999/")
    assert r.status_code == 404
    assert_vietnamese_page_with_menu(r.content.decode(), "Không tìm thấy trang")


def test_404_for_an_anonymous_user_offers_the_login():
    r = Client().get("/no-such-page/")
    assert r.status_code == 404
    html = r.content.decode()
    assert '<html lang="vi">' in html and "Không tìm thấy trang" in html and "Đăng nhập" in html


def test_405_on_a_page_is_vietnamese_and_keeps_allow(world):
    r = logged_in(world.compiler).get("/logout/")  # LogoutView: POST only
    assert r.status_code == 405 and "POST" in r["Allow"]
    assert_vietnamese_page_with_menu(r.content.decode(), "Thao tác không được hỗ trợ")


def test_405_of_require_post(world):
    from django.urls import reverse

    url = reverse("work:progress", args=[1])
    r = logged_in(world.compiler).get(url)
    assert r.status_code == 405 and "POST" in r["Allow"]
    assert_vietnamese_page_with_menu(r.content.decode(), "Thao tác không được hỗ trợ")


def test_api_404_and_405_keep_json(world):
    c = logged_in(world.compiler)
    r = c.get("/api/v1/no-such-endpoint")
    assert r.status_code == 404 and set(r.json()) == {"message", "extra"}


def test_csrf_failure_is_vietnamese_403(world):
    c = Client(enforce_csrf_checks=True)
    c.force_login(world.compiler)
    r = c.post("/logout/")
    assert r.status_code == 403
    html = r.content.decode()
    assert_vietnamese_page_with_menu(html, "Không có quyền truy cập")
    assert "Phiên làm việc của trang đã hết hạn" in html


def test_500_page_has_the_menu(world):
    request = RequestFactory().get("/")
    request.user = world.compiler
    response = server_error_view(request)
    assert response.status_code == 500
    assert_vietnamese_page_with_menu(response.content.decode(), "Lỗi hệ thống")


def broken_context_processor(request):
    raise RuntimeError("the database is down")


def test_500_falls_back_to_a_static_page_when_the_layout_fails(world, settings):
    templates = [dict(settings.TEMPLATES[0])]
    templates[0]["OPTIONS"] = dict(templates[0]["OPTIONS"])
    templates[0]["OPTIONS"]["context_processors"] = [
        *templates[0]["OPTIONS"]["context_processors"], "tests.web.test_error_pages.broken_context_processor"]
    with override_settings(TEMPLATES=templates):
        request = RequestFactory().get("/")
        request.user = world.compiler
        response = server_error_view(request)
    assert response.status_code == 500
    html = response.content.decode()
    assert '<html lang="vi">' in html and "Lỗi hệ thống" in html and 'href="/"' in html


def test_api_500_is_json():
    request = RequestFactory().get("/api/v1/regimes")
    response = server_error_view(request)
    assert response.status_code == 500
    assert response["Content-Type"].startswith("application/json")


def test_400_page_has_the_menu(world):
    r = logged_in(world.compiler).get("/tasks/?unit=99999999999999999999999")
    assert r.status_code == 400
    assert_vietnamese_page_with_menu(r.content.decode(), "Yêu cầu không hợp lệ")
