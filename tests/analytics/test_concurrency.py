"""Approvals and reopenings of sibling units at the same moment, each in its own connection and
transaction (PostgreSQL): every one counts once, none deadlocks, and the aggregates equal the
values afterwards."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from baocao.submissions.models import Submission
from baocao.submissions.services import submission_approve, submission_reopen
from tests.analytics.conftest import AnalyticsWorld, assert_consistent
from tests.analytics.test_maintenance import C1, C2, C3, UA

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has one writer at a time"),
]


def _at_once(actions) -> list[BaseException]:
    barrier = threading.Barrier(len(actions))
    errors: list[BaseException] = []

    def run(action) -> None:
        try:
            barrier.wait(timeout=10)
            action()
        except BaseException as exc:  # noqa: BLE001 - reported by the test
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(a,)) for a in actions]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return errors


def test_sibling_approvals_and_reopenings_at_once_all_count():
    w = AnalyticsWorld()
    subs = [w.submitted(u, **values) for u, values in
            ((w.commune_1, C1), (w.commune_2, C2), (w.commune_3, C3), (w.unit_a, UA))]
    assert _at_once([lambda s=s: submission_approve(submission=s, acting_user=w.compiler) for s in subs]) == []
    assert_consistent()
    fresh = [Submission.objects.get(pk=s.pk) for s in subs[:3]]
    assert _at_once([lambda s=s: submission_reopen(submission=s, acting_user=w.compiler, reason="Sửa")
                     for s in fresh]) == []
    assert_consistent()
