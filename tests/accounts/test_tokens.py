"""API tokens end when their user's password changes, by whatever path, and a user holds at most
settings.API_TOKENS_PER_USER of them: one more revokes the oldest, with an audit row."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from baocao.accounts.models import ApiToken
from baocao.accounts.services import api_token_authenticate, api_token_create
from baocao.audit.models import AuditEvent
from tests.factories import PASSWORD, World

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Mây-trắng-bay-2026"


@pytest.fixture
def world():
    return World()


def me(token: str) -> int:
    return Client(headers={"Authorization": f"Bearer {token}"}).get("/api/v1/auth/me").status_code


class TestPasswordChangeEndsTokens:
    def test_set_password_anywhere(self, world):
        # What `changepassword`, a shell or any other code does: set_password, then save.
        raw = api_token_create(user=world.reporter_a)
        assert me(raw) == 200
        world.reporter_a.set_password(NEW_PASSWORD)
        world.reporter_a.save()
        assert me(raw) == 401
        assert api_token_authenticate(raw) is None

    def test_changepassword_command(self, world, monkeypatch):
        raw = api_token_create(user=world.reporter_a)
        monkeypatch.setattr("getpass.getpass", lambda prompt="": NEW_PASSWORD)
        call_command("changepassword", "an", stdout=open("/dev/null", "w"))  # noqa: SIM115
        assert me(raw) == 401

    def test_admin_password_form(self, world):
        raw = api_token_create(user=world.reporter_a)
        admin = Client()
        admin.force_login(world.admin)
        response = admin.post(f"/admin/accounts/user/{world.reporter_a.pk}/password/",
                              {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"})
        assert response.status_code == 302, response.content.decode()
        assert me(raw) == 401

    def test_change_password_page_revokes_and_audits(self, world):
        raw = api_token_create(user=world.reporter_a)
        api_token_create(user=world.reporter_a)
        client = Client()
        client.force_login(world.reporter_a)
        response = client.post("/password/change/", {"old_password": PASSWORD, "new_password1": NEW_PASSWORD,
                                                      "new_password2": NEW_PASSWORD})
        assert response.status_code == 302
        assert me(raw) == 401
        assert not ApiToken.objects.filter(user=world.reporter_a).exists()
        assert AuditEvent.objects.filter(action="api_token.revoke", actor=world.reporter_a).count() == 2
        assert AuditEvent.objects.filter(action="password.change", entity_id=world.reporter_a.pk).count() == 1

    def test_other_users_tokens_survive(self, world):
        raw = api_token_create(user=world.reporter_b)
        world.reporter_a.set_password(NEW_PASSWORD)
        world.reporter_a.save()
        assert me(raw) == 200

    def test_saving_the_user_without_a_new_password_keeps_tokens(self, world):
        raw = api_token_create(user=world.reporter_a)
        world.reporter_a.full_name = "Nguyễn Văn An"
        world.reporter_a.save()
        assert me(raw) == 200


class TestTokensPerUser:
    def test_one_more_revokes_the_oldest_with_an_audit_row(self, world, settings):
        settings.API_TOKENS_PER_USER = 5
        raws = [api_token_create(user=world.reporter_a) for _ in range(5)]
        oldest = ApiToken.objects.filter(user=world.reporter_a).order_by("created_at", "pk").first()
        assert oldest is not None
        newest = api_token_create(user=world.reporter_a)
        assert ApiToken.objects.filter(user=world.reporter_a).count() == 5
        assert me(raws[0]) == 401
        assert all(me(raw) == 200 for raw in [*raws[1:], newest])
        event = AuditEvent.objects.get(action="api_token.revoke", entity_id=oldest.pk)
        assert event.actor == world.reporter_a
        assert "tối đa 5" in event.comment

    def test_stale_tokens_are_cleared_first(self, world, settings):
        settings.API_TOKENS_PER_USER = 2
        expired = api_token_create(user=world.reporter_a)
        ApiToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
        live = api_token_create(user=world.reporter_a)
        newest = api_token_create(user=world.reporter_a)
        assert me(live) == 200 and me(newest) == 200 and me(expired) == 401
        assert ApiToken.objects.filter(user=world.reporter_a).count() == 2

    def test_through_the_api(self, world, settings):
        settings.API_TOKENS_PER_USER = 2
        client = Client()
        tokens = [client.post("/api/v1/auth/token", {"username": "an", "password": PASSWORD},
                              content_type="application/json").json()["token"] for _ in range(3)]
        assert [me(t) for t in tokens] == [401, 200, 200]

    def test_limit_is_per_user(self, world, settings):
        settings.API_TOKENS_PER_USER = 1
        a = api_token_create(user=world.reporter_a)
        api_token_create(user=world.reporter_b)
        assert me(a) == 200
