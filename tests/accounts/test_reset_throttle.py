"""The password-reset page cannot be used to flood someone's mailbox or to learn which addresses
have an account: a few requests an hour per client address (the proxy's entry behind
BEHIND_PROXY=1, as for login throttling) and a few mails an hour per target address, answered
with the same neutral page whether the address has an account, and whether it was throttled."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.core import mail
from django.core.signals import request_finished
from django.db import close_old_connections, connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext

from baocao.accounts.models import PasswordResetRequest
from baocao.accounts.views import PasswordResetView
from tests.factories import World

pytestmark = pytest.mark.django_db

VICTIM_EMAIL = "tonghop@stttt.example.gov.vn"
UNKNOWN_EMAIL = "khong-co-ai@stttt.example.gov.vn"
PROXY = "127.0.0.1"
ATTACKER = "203.0.113.66"
OTHER = "198.51.100.7"
SENT = "/password/reset/sent/"


@pytest.fixture
def world(settings):
    settings.BEHIND_PROXY = False
    settings.PASSWORD_RESET_LIMIT_PER_ADDRESS = 10
    settings.PASSWORD_RESET_LIMIT_PER_EMAIL = 3
    world = World()
    world.compiler.email = VICTIM_EMAIL
    world.compiler.save()
    return world


def ask(email: str = VICTIM_EMAIL, *, remote: str = ATTACKER, forwarded: str | None = None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return Client().post("/password/reset/", {"email": email}, **extra)


def page(response) -> bytes:
    # Django masks the CSRF token afresh on every page: the only difference two answers may have.
    return re.sub(rb'("X-CSRFToken": "|name="csrfmiddlewaretoken" value=")[A-Za-z0-9]+', rb"\1", response.content)


def close(response) -> None:
    """What the WSGI server does once it has written the answer (as Django's test client, without
    closing the test's database connection)."""
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)


def is_neutral(response) -> bool:
    return response.status_code == 302 and response["Location"] == SENT


class TestPerTarget:
    def test_the_victim_gets_a_few_mails_an_hour_however_often_it_is_asked(self, world):
        answers = [ask() for _ in range(8)]
        assert all(is_neutral(r) for r in answers)
        assert len(mail.outbox) == 3 and {tuple(m.to) for m in mail.outbox} == {(VICTIM_EMAIL,)}

    def test_from_many_addresses_too(self, world):
        for n in range(8):
            assert is_neutral(ask(remote=f"203.0.113.{n}"))
        assert len(mail.outbox) == 3

    def test_every_spelling_of_the_address_is_the_same_target(self, world):
        for n, email in enumerate(["TongHop@stttt.example.gov.vn", "TONGHOP@STTTT.EXAMPLE.GOV.VN", VICTIM_EMAIL,
                                   " tonghop@STTTT.example.gov.vn ", "tonghop@stttt.example.gov.vn"]):
            assert is_neutral(ask(email, remote=f"203.0.113.{n}"))
        assert len(mail.outbox) == 3

    def test_another_target_is_not_affected(self, world):
        for _ in range(5):
            ask()
        world.leader.email = "lanhdao@stttt.example.gov.vn"
        world.leader.save()
        assert is_neutral(ask("lanhdao@stttt.example.gov.vn", remote=OTHER))
        assert mail.outbox[-1].to == ["lanhdao@stttt.example.gov.vn"]

    def test_after_an_hour_the_target_gets_mail_again(self, world):
        for _ in range(4):
            ask()
        assert len(mail.outbox) == 3
        PasswordResetRequest.objects.update(requested_at=PasswordResetRequest.objects.first().requested_at
                                            - timedelta(minutes=61))
        assert is_neutral(ask())
        assert len(mail.outbox) == 4

    def test_nothing_stores_the_address_itself(self, world):
        ask()
        keys = list(PasswordResetRequest.objects.values_list("key", flat=True))
        assert len(keys) == 2 and not any(VICTIM_EMAIL in k or ATTACKER in k for k in keys)


class TestPerAddress:
    def test_one_address_asks_a_few_times_an_hour_whatever_the_targets(self, world):
        for n in range(10):
            assert is_neutral(ask(f"nguoi-{n}@example.com"))
        refused = ask(VICTIM_EMAIL)
        assert refused.status_code == 429
        html = refused.content.decode()
        assert '<html lang="vi">' in html and "Đã có quá nhiều yêu cầu đặt lại mật khẩu" in html
        assert mail.outbox == []
        # Someone else is not locked out by it.
        assert is_neutral(ask(VICTIM_EMAIL, remote=OTHER)) and len(mail.outbox) == 1

    def test_the_refusal_does_not_depend_on_the_target(self, world):
        for n in range(10):
            ask(f"nguoi-{n}@example.com")
        known, unknown = ask(VICTIM_EMAIL), ask(UNKNOWN_EMAIL)
        assert (known.status_code, page(known)) == (unknown.status_code, page(unknown))

    def test_behind_the_proxy_the_address_is_the_proxys_entry(self, world, settings):
        settings.BEHIND_PROXY = True
        for n in range(10):
            # Whatever the client writes before the proxy's entry does not make it someone else.
            assert is_neutral(ask(f"nguoi-{n}@example.com", remote=PROXY, forwarded=f"10.0.0.{n}, {ATTACKER}"))
        assert ask(remote=PROXY, forwarded=ATTACKER).status_code == 429
        # Every client comes from the proxy: the others are not throttled with the attacker.
        assert is_neutral(ask(remote=PROXY, forwarded=OTHER)) and len(mail.outbox) == 1

    def test_without_the_proxy_forwarded_for_is_ignored(self, world):
        for n in range(10):
            assert is_neutral(ask(f"nguoi-{n}@example.com", forwarded=f"10.0.0.{n}"))
        assert ask(forwarded="10.9.9.9").status_code == 429


class TestNoOracle:
    """The answer, the queries made and the moment the answer is complete are the same whether the
    address has an account or not, and whether it was throttled; the mail leaves after the answer."""

    def view(self, email: str, remote: str = ATTACKER):
        request = RequestFactory().post("/password/reset/", {"email": email}, REMOTE_ADDR=remote)
        request.session = SessionStore()
        request._messages = FallbackStorage(request)  # type: ignore[attr-defined]
        request._dont_enforce_csrf_checks = True  # type: ignore[attr-defined]
        with CaptureQueriesContext(connection) as queries:
            response = PasswordResetView.as_view()(request)
        # The statements, without their values (addresses, digests, times).
        shape = [re.sub(r"'[^']*'|\"s\w+_x\d+\"|\b\d+\b", "?", q["sql"]) for q in queries.captured_queries]
        return response, shape

    def test_known_unknown_and_throttled_answer_alike(self, world):
        known = ask(VICTIM_EMAIL, remote=OTHER)
        unknown = ask(UNKNOWN_EMAIL)
        for n in range(3):
            ask(remote=f"192.0.2.{n}")
        throttled = ask(remote="192.0.2.99")
        assert len(mail.outbox) == 3
        shapes = [(r.status_code, r["Location"], page(r), sorted(k for k in r.headers if k != "Date"))
                  for r in (known, unknown, throttled)]
        assert shapes[0] == shapes[1] == shapes[2]

    def test_same_queries_and_the_mail_is_sent_only_once_the_answer_is_written(self, world):
        known, known_queries = self.view(VICTIM_EMAIL)
        assert mail.outbox == []  # not while the answer is being made ...
        close(known)  # ... but when the server has written it (WSGI calls close() after the body)
        assert len(mail.outbox) == 1
        unknown, unknown_queries = self.view(UNKNOWN_EMAIL)
        close(unknown)
        assert len(mail.outbox) == 1
        assert known_queries == unknown_queries
        assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])

    def test_throttled_target_makes_the_same_queries(self, world):
        response, fresh = self.view(VICTIM_EMAIL, remote="192.0.2.1")
        close(response)
        for n in range(3):
            close(self.view(VICTIM_EMAIL, remote=f"192.0.2.{10 + n}")[0])
        response, throttled = self.view(VICTIM_EMAIL, remote="192.0.2.20")
        close(response)
        assert len(mail.outbox) == 3
        assert fresh == throttled

    def test_a_mail_that_cannot_be_sent_changes_nothing_in_the_answer(self, world, settings):
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
        response = ask()
        assert is_neutral(response)
