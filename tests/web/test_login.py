"""Logging in through the page: Vietnamese messages, Argon2 hashes, throttling after failures."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.factories import PASSWORD, World

pytestmark = pytest.mark.django_db


def test_login_and_wrong_password_message():
    World()
    c = Client()
    r = c.post("/login/", {"username": "tonghop", "password": "sai"})
    assert "Sai tên đăng nhập hoặc mật khẩu." in r.content.decode()
    r = c.post("/login/", {"username": "tonghop", "password": PASSWORD})
    assert r.status_code == 302 and r["Location"] == "/"


def test_lockout_after_repeated_failures():
    World()
    c = Client()
    for _ in range(5):
        c.post("/login/", {"username": "tonghop", "password": "sai"})
    r = c.post("/login/", {"username": "tonghop", "password": PASSWORD})
    assert r.status_code == 429
    assert "Đăng nhập sai quá nhiều lần" in r.content.decode()


def test_passwords_are_hashed_with_argon2(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
    from tests.factories import user

    u = user(username="moi")
    assert u.password.startswith("argon2")
