"""Helpers of the tests that a page's buttons and the API's answers agree, role by role."""

from __future__ import annotations

from django.db import transaction
from django.test import Client

from tests.api.conftest import JsonClient

ROLES = ("admin", "compiler", "leader", "inspector", "viewer", "reporter_a", "reporter_b", "other_compiler")


def page_client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def api_client(user) -> JsonClient:
    return JsonClient(user=user)


def accepted(call) -> bool:
    """Whether the API accepts the call (2xx); whatever it did is rolled back, so each role tries
    the same action on the same record."""
    with transaction.atomic():
        response = call()
        transaction.set_rollback(True)
    assert response.status_code < 500, response.content
    return response.status_code < 300
