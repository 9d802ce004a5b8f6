"""Login throttling (django-axes) locks a username from one client address, never the username for
everyone: behind the reverse proxy (BEHIND_PROXY=1) the address is the one the proxy appended to
X-Forwarded-For; otherwise it is the connection's address and X-Forwarded-For is ignored."""

from __future__ import annotations

import json

import pytest
from django.test import Client, RequestFactory

from baocao.accounts.throttle import client_ip
from tests.factories import PASSWORD, World

pytestmark = pytest.mark.django_db

PROXY = "127.0.0.1"
ATTACKER = "203.0.113.66"
VICTIM = "198.51.100.7"


def page_login(*, remote: str, forwarded: str | None = None, password: str = "sai-mat-khau",
               username: str = "tonghop") -> int:
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    response = Client().post("/login/", {"username": username, "password": password}, **extra)
    return response.status_code


def api_login(*, remote: str, forwarded: str | None = None, password: str = "sai-mat-khau",
              username: str = "tonghop") -> int:
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    response = Client().post("/api/v1/auth/token", json.dumps({"username": username, "password": password}),
                             content_type="application/json", **extra)
    return response.status_code


# What a right password answers: the page redirects, the API issues a token.
LOGINS = [pytest.param(page_login, 302, 200, id="page"), pytest.param(api_login, 200, 401, id="api")]


@pytest.fixture
def world():
    return World()


@pytest.mark.parametrize("login,ok,wrong", LOGINS)
class TestBehindProxy:
    @pytest.fixture(autouse=True)
    def _behind_proxy(self, settings):
        settings.BEHIND_PROXY = True

    def test_attacker_cannot_lock_the_user_out_from_another_address(self, world, login, ok, wrong):
        for _ in range(6):
            login(remote=PROXY, forwarded=ATTACKER)
        assert login(remote=PROXY, forwarded=VICTIM, password=PASSWORD) == ok

    def test_attacker_is_locked_whatever_it_puts_before_the_proxys_entry(self, world, login, ok, wrong):
        for n in range(6):
            login(remote=PROXY, forwarded=f"10.9.9.{n}, {ATTACKER}")
        assert login(remote=PROXY, forwarded=f"10.9.9.77, {ATTACKER}", password=PASSWORD) == 429
        assert login(remote=PROXY, forwarded=ATTACKER, password=PASSWORD) == 429


@pytest.mark.parametrize("login,ok,wrong", LOGINS)
class TestDirect:
    @pytest.fixture(autouse=True)
    def _direct(self, settings):
        settings.BEHIND_PROXY = False

    def test_attacker_cannot_lock_the_user_out_from_another_address(self, world, login, ok, wrong):
        for _ in range(6):
            login(remote=ATTACKER)
        assert login(remote=ATTACKER, password=PASSWORD) == 429
        assert login(remote=VICTIM, password=PASSWORD) == ok

    def test_forged_forwarded_for_does_not_escape_the_lock(self, world, login, ok, wrong):
        for n in range(6):
            assert login(remote=ATTACKER, forwarded=f"10.9.9.{n}") in (wrong, 200, 429)
        assert login(remote=ATTACKER, forwarded=VICTIM, password=PASSWORD) == 429


class TestClientIp:
    rf = RequestFactory()

    def test_direct_uses_the_connection_address(self, settings):
        settings.BEHIND_PROXY = False
        request = self.rf.get("/", REMOTE_ADDR=ATTACKER, HTTP_X_FORWARDED_FOR=VICTIM)
        assert client_ip(request) == ATTACKER

    def test_behind_proxy_uses_the_right_most_forwarded_address(self, settings):
        settings.BEHIND_PROXY = True
        request = self.rf.get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"{VICTIM}, {ATTACKER}")
        assert client_ip(request) == ATTACKER
        request = self.rf.get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=" 2001:db8::1 ")
        assert client_ip(request) == "2001:db8::1"

    @pytest.mark.parametrize("header", [None, "", "not-an-address", "1.2.3.4, ", "1.2.3.4,999.1.1.1"])
    def test_behind_proxy_without_a_usable_header_falls_back_to_the_connection(self, settings, header):
        settings.BEHIND_PROXY = True
        extra = {} if header is None else {"HTTP_X_FORWARDED_FOR": header}
        assert client_ip(self.rf.get("/", REMOTE_ADDR=PROXY, **extra)) == PROXY
