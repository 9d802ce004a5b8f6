"""Every user changes their own password and resets a forgotten one by e-mail; the password rules
refuse the username inside the password and speak Vietnamese."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client

from baocao.accounts.models import User
from baocao.accounts.passwords import USERNAME_IN_PASSWORD, UsernameInPasswordValidator
from baocao.audit.models import AuditEvent
from tests.factories import PASSWORD, World

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Mây-trắng-bay-2026"


@pytest.fixture
def world():
    return World()


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def can_log_in(username: str, password: str) -> bool:
    return Client().post("/login/", {"username": username, "password": password}).status_code == 302


def messages_for(password: str, user=None) -> list[str]:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        return list(exc.messages)
    return []


class TestUsernameInPasswordValidator:
    @pytest.mark.parametrize("password", ["tonghop2026!", "xx-TONGHOP-xx", "Tổng.Hợp-2026", "tong_hop99x"])
    def test_refuses_the_username_whatever_case_marks_or_punctuation(self, password):
        user = User(username="tonghop")
        with pytest.raises(ValidationError) as exc:
            UsernameInPasswordValidator().validate(password, user)
        assert exc.value.messages == [USERNAME_IN_PASSWORD]

    def test_username_with_marks_and_dots(self):
        with pytest.raises(ValidationError):
            UsernameInPasswordValidator().validate("NguyenVanAn#2026", User(username="nguyễn.văn.an"))

    def test_accepts_other_passwords_and_short_usernames(self):
        UsernameInPasswordValidator().validate("Mây-trắng-bay-2026", User(username="tonghop"))
        UsernameInPasswordValidator().validate("an-ninh-mang-2026", User(username="an"))
        UsernameInPasswordValidator().validate("tonghop2026", None)

    def test_is_one_of_the_project_rules(self, world):
        assert USERNAME_IN_PASSWORD in messages_for("tonghop-2026-xyz", world.compiler)


class TestRulesSpeakVietnamese:
    @pytest.mark.parametrize("password,expected", [
        ("ngan", "Mật khẩu quá ngắn: cần ít nhất 8 ký tự."),
        ("password123", "Mật khẩu này quá phổ biến."),
        ("83920174650", "Mật khẩu này hoàn toàn là số."),
        ("tonghop-2026-xyz", USERNAME_IN_PASSWORD),
        ("Nguyen Thi Tong", "Mật khẩu quá giống với họ và tên."),
    ])
    def test_each_rule(self, world, password, expected):
        world.compiler.full_name = "Nguyễn Thị Tổng"
        world.compiler.username = "tonghop"
        assert expected in messages_for(password, world.compiler)

    def test_no_message_or_help_text_is_english(self, world):
        from django.contrib.auth.password_validation import password_validators_help_texts

        texts = [*password_validators_help_texts()]
        for password in ["a", "password", "12345678", "tonghop1234", "tonghop"]:
            texts += messages_for(password, world.compiler)
        english = re.compile(r"\b(password|must|too|characters?|entirely|common|similar|your)\b", re.IGNORECASE)
        assert texts and not [t for t in texts if english.search(t)], texts


class TestChangePage:
    def test_menu_links_to_the_page(self, world):
        html = logged_in(world.reporter_a).get("/").content.decode()
        assert 'href="/password/change/"' in html and "Đổi mật khẩu" in html

    def test_anonymous_goes_to_login(self, world):
        response = Client().get("/password/change/")
        assert response.status_code == 302 and response["Location"].startswith("/login/")

    def test_every_role_changes_its_own_password(self, world):
        for user in [world.admin, world.compiler, world.leader, world.inspector, world.viewer, world.reporter_a]:
            client = logged_in(user)
            page = client.get("/password/change/")
            assert page.status_code == 200 and "Mật khẩu hiện tại" in page.content.decode()
            response = client.post("/password/change/", {"old_password": PASSWORD, "new_password1": NEW_PASSWORD,
                                                         "new_password2": NEW_PASSWORD})
            assert response.status_code == 302 and response["Location"] == "/"
            # The session that changed the password stays logged in.
            assert "Đã đổi mật khẩu" in client.get("/").content.decode()
            assert can_log_in(user.username, NEW_PASSWORD) and not can_log_in(user.username, PASSWORD)
        assert AuditEvent.objects.filter(action="password.change").count() == 6

    @pytest.mark.parametrize("data,message", [
        ({"old_password": "sai", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
         "Mật khẩu hiện tại không đúng."),
        ({"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD + "x"},
         "Hai mật khẩu mới không giống nhau."),
        ({"old_password": PASSWORD, "new_password1": "tonghop-moi-2026", "new_password2": "tonghop-moi-2026"},
         USERNAME_IN_PASSWORD),
        ({"old_password": PASSWORD, "new_password1": "ngan", "new_password2": "ngan"},
         "Mật khẩu quá ngắn: cần ít nhất 8 ký tự."),
        ({"old_password": PASSWORD, "new_password1": "", "new_password2": ""}, "Trường này là bắt buộc."),
    ])
    def test_refusals_change_nothing(self, world, data, message):
        response = logged_in(world.compiler).post("/password/change/", data)
        assert response.status_code == 200
        assert message in response.content.decode()
        assert can_log_in("tonghop", PASSWORD)
        assert not AuditEvent.objects.filter(action="password.change").exists()


class TestResetByEmail:
    @pytest.fixture(autouse=True)
    def _email(self, world):
        world.compiler.email = "tonghop@stttt.example.gov.vn"
        world.compiler.full_name = "Trần Văn Tổng"
        world.compiler.save()

    def request_link(self, email: str = "TongHop@stttt.example.gov.vn") -> str:
        response = Client().post("/password/reset/", {"email": email})
        assert response.status_code == 302 and response["Location"] == "/password/reset/sent/"
        assert len(mail.outbox) == 1
        message = mail.outbox[0]
        assert message.to == ["tonghop@stttt.example.gov.vn"]
        match = re.search(r"(https?://\S+/password/reset/\S+/)", message.body)
        assert match, message.body
        return match.group(1)

    def test_login_page_links_to_reset(self, world):
        assert 'href="/password/reset/"' in Client().get("/login/").content.decode()

    def test_mail_is_vietnamese_and_links_to_site_url(self, world, settings):
        settings.SITE_URL = "https://baocao.example.gov.vn"
        link = self.request_link()
        message = mail.outbox[0]
        assert message.subject == "Đặt lại mật khẩu tài khoản tonghop trên baocao"
        assert "Kính gửi Trần Văn Tổng" in message.body and "chỉ dùng được một lần" in message.body
        assert link.startswith("https://baocao.example.gov.vn/password/reset/")

    def test_without_site_url_the_link_uses_the_request_host(self, world, settings):
        settings.SITE_URL = ""
        assert self.request_link().startswith("http://testserver/password/reset/")

    def test_full_reset_then_link_is_spent(self, world):
        link = self.request_link().removeprefix("http://testserver")
        client = Client()
        form = client.get(link, follow=True)
        assert "Đặt mật khẩu mới" in form.content.decode() and "Mật khẩu mới" in form.content.decode()
        set_url = form.redirect_chain[-1][0]
        refused = client.post(set_url, {"new_password1": "tonghop-2026-x", "new_password2": "tonghop-2026-x"})
        assert USERNAME_IN_PASSWORD in refused.content.decode()
        done = client.post(set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
        assert done.status_code == 302 and done["Location"] == "/password/reset/done/"
        assert "Đã đặt mật khẩu mới" in client.get("/password/reset/done/").content.decode()
        assert can_log_in("tonghop", NEW_PASSWORD) and not can_log_in("tonghop", PASSWORD)
        event = AuditEvent.objects.get(action="password.reset")
        assert (event.actor, event.entity_id) == (world.compiler, world.compiler.pk)
        again = Client().get(link, follow=True).content.decode()
        assert "không hợp lệ hoặc đã được dùng" in again

    def test_unknown_address_says_the_same_and_sends_nothing(self, world):
        response = Client().post("/password/reset/", {"email": "ai-do@example.com"})
        assert response.status_code == 302 and response["Location"] == "/password/reset/sent/"
        assert mail.outbox == []

    def test_pages_are_vietnamese(self, world):
        for path in ["/password/reset/", "/password/reset/sent/", "/password/reset/done/",
                     "/password/reset/MQ/bad-token/"]:
            html = Client().get(path, follow=True).content.decode()
            assert '<html lang="vi">' in html and "Password" not in html, path
