"""Fixtures of the API tests: the small department of tests.factories.World and JSON clients.

Password hashing is made fast and axes' counters are reset by tests/conftest.py.
"""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from baocao.submissions.choices import SubmissionStatus
from baocao.submissions.models import Submission
from baocao.submissions.services import submission_get_or_create, submission_save_draft, submission_submit
from tests.factories import World

API = "/api/v1"


class JsonClient:
    """django.test.Client speaking JSON to /api/v1, as a logged-in browser session (`user`), a
    machine with a bearer `token`, or anonymous."""

    def __init__(self, *, user=None, token: str | None = None, enforce_csrf_checks: bool = False):
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        self.client = Client(enforce_csrf_checks=enforce_csrf_checks, headers=headers)
        if user is not None:
            self.client.force_login(user)

    def get(self, path: str, params: dict | None = None, **extra):
        return self.client.get(API + path, params or {}, **extra)

    def _send(self, method: str, path: str, data, **extra):
        body = "" if data is None else (data if isinstance(data, str | bytes) else json.dumps(data))
        return getattr(self.client, method)(API + path, body, content_type="application/json", **extra)

    def post(self, path: str, data=None, **extra):
        return self._send("post", path, data, **extra)

    def put(self, path: str, data=None, **extra):
        return self._send("put", path, data, **extra)

    def delete(self, path: str, data=None, **extra):
        return self._send("delete", path, data, **extra)


def query_count(client: JsonClient, path: str, params: dict | None = None) -> int:
    """Queries run to answer a GET that must succeed."""
    with CaptureQueriesContext(connection) as context:
        response = client.get(path, params)
    assert response.status_code == 200, response.content
    return len(context.captured_queries)


def assert_error(response, status: int, message_part: str | None = None) -> dict:
    """The response is the API's error shape with `status`; returns the body."""
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"message", "extra"}, body
    assert isinstance(body["message"], str) and body["message"]
    assert isinstance(body["extra"], dict)
    if message_part is not None:
        assert message_part in body["message"], body["message"]
    return body



@pytest.fixture
def world(db) -> World:
    return World()


@pytest.fixture
def api():
    """api(user) -> a JsonClient logged in as `user`; api() -> anonymous."""

    def make(user=None, **kwargs) -> JsonClient:
        return JsonClient(user=user, **kwargs)

    return make


def make_draft(world: World, unit=None, period: str = "2022S2") -> Submission:
    unit = unit or world.unit_a
    reporter = world.reporter_a if unit == world.unit_a else world.reporter_b
    return submission_get_or_create(regime=world.regime, period=period, unit=unit, acting_user=reporter)


def make_submitted(world: World, unit=None, period: str = "2022S2") -> Submission:
    submission = make_draft(world, unit, period)
    reporter = world.reporter_a if submission.unit_id == world.unit_a.pk else world.reporter_b
    submission_save_draft(submission=submission, acting_user=reporter, values={"A": 2, "B": 3, "PCT": 50},
                          narratives={"RESULTS": "Hoàn thành kế hoạch."})
    submission = submission_submit(submission=submission, acting_user=reporter)
    assert submission.status == SubmissionStatus.SUBMITTED
    return submission
