"""Concurrent saves and submits of one report on PostgreSQL (real threads, real transactions): each
save lands on its own version, a conflict is a conflict, nothing is lost, nothing deadlocks."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.db import connection, connections

from baocao.audit.models import AuditEvent
from baocao.core.errors import AppError, ConflictError
from baocao.submissions.choices import SubmissionStatus
from baocao.submissions.models import Submission, SubmissionValue
from baocao.submissions.services import submission_get_or_create, submission_save_draft, submission_submit
from tests import factories
from tests.factories import World

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks and parallel writers: PostgreSQL"),
]


def run_together(calls) -> list:
    """Run each call in its own thread and connection, started together; their results or errors."""
    barrier = threading.Barrier(len(calls))
    outcomes: list = [None] * len(calls)

    def run(i, call):
        try:
            barrier.wait()
            outcomes[i] = call()
        except Exception as exc:  # noqa: BLE001 - collected and checked by the test
            outcomes[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not any(t.is_alive() for t in threads), "a save is stuck"
    return outcomes


def test_parallel_saves_from_one_copy_all_land_on_their_own_version():
    w = World()
    specs = [{"code": f"C{i}", "name": f"Chỉ tiêu {i}", "min_value": Decimal(0)} for i in range(8)]
    fv = factories.form_version(owner=w.department, indicators=specs, rules=[])
    regime = factories.regime(receiving_unit=w.department, form_version=fv, units=[w.unit_a], code="BC-SS")
    sub = submission_get_or_create(regime=regime, period="2022S2", unit=w.unit_a, acting_user=w.reporter_a)
    copy = Submission.objects.select_related("unit", "form_version").get(pk=sub.pk)  # read once, by everyone
    outcomes = run_together([
        (lambda i=i: submission_save_draft(submission=copy, acting_user=w.reporter_a, values={f"C{i}": i + 1},
                                           base_version=0))
        for i in range(8)
    ])
    assert all(not isinstance(o, Exception) for o in outcomes), outcomes
    assert sorted(o.version for o in outcomes) == list(range(1, 9))
    stored = dict(SubmissionValue.objects.filter(submission=sub).values_list("indicator__code", "number"))
    assert stored == {f"C{i}": Decimal(i + 1) for i in range(8)}
    assert Submission.objects.get(pk=sub.pk).version == 8
    assert AuditEvent.objects.filter(entity_id=sub.pk, action="submission.save").count() == 8


def test_parallel_edits_of_one_field_keep_one_and_report_the_others():
    w = World()
    sub = submission_get_or_create(regime=w.regime, period="2022S2", unit=w.unit_a, acting_user=w.reporter_a)
    copy = Submission.objects.select_related("unit", "form_version").get(pk=sub.pk)
    outcomes = run_together([
        (lambda n=n: submission_save_draft(submission=copy, acting_user=w.reporter_a, values={"B": n},
                                           base_version=0))
        for n in (10, 20, 30, 40)
    ])
    saved = [o for o in outcomes if not isinstance(o, Exception)]
    conflicts = [o for o in outcomes if isinstance(o, ConflictError)]
    assert len(saved) == 1 and len(conflicts) == 3, outcomes
    assert all(c.extra["version"] == 1 for c in conflicts)
    winner = SubmissionValue.objects.get(submission=sub, indicator__code="B").number
    assert {c.extra["conflicts"]["B"]["theirs"] for c in conflicts} == {str(int(winner))}


def test_a_save_racing_a_submit_is_either_before_it_or_refused():
    w = World()
    sub = submission_get_or_create(regime=w.regime, period="2022S2", unit=w.unit_a, acting_user=w.reporter_a)
    submission_save_draft(submission=sub, acting_user=w.reporter_a, values={"A": 1, "B": 5},
                          narratives={"RESULTS": "Đạt."})
    copy = Submission.objects.select_related("unit", "regime", "form_version").get(pk=sub.pk)
    for _ in range(5):
        outcomes = run_together([
            lambda: submission_submit(submission=copy, acting_user=w.reporter_a),
            lambda: submission_save_draft(submission=copy, acting_user=w.reporter_a, values={"A": "2"}),
        ])
        sent, saved = outcomes
        final = Submission.objects.get(pk=sub.pk)
        assert final.status == SubmissionStatus.SUBMITTED and not isinstance(sent, Exception), outcomes
        if isinstance(saved, Exception):
            assert isinstance(saved, AppError) and "không sửa được" in saved.message
        else:
            assert saved.version == final.version  # saved first, then sent
        Submission.objects.filter(pk=sub.pk).update(status=SubmissionStatus.DRAFT)
        SubmissionValue.objects.filter(submission=sub, indicator__code="A").update(number=1)
