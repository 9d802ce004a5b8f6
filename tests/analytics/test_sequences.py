"""Random sequences of approvals, reopenings, corrections and moves on a small tree: after each
step the aggregates equal the values (hypothesis)."""

from __future__ import annotations

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from baocao.orgunits.services import orgunit_move
from baocao.submissions.choices import SubmissionStatus
from baocao.submissions.models import Submission
from baocao.submissions.services import (
    submission_approve,
    submission_reopen,
    submission_save_draft,
    submission_submit,
)
from tests.analytics.conftest import AnalyticsWorld, assert_consistent

pytestmark = pytest.mark.django_db

PERIODS = ("2022S1", "2022")
whole = st.one_of(st.none(), st.integers(min_value=-5, max_value=50).map(str))
decimal = st.one_of(st.none(), st.decimals(min_value=-10, max_value=10, places=2).map(str))
steps = st.lists(st.tuples(st.sampled_from(["approve", "reopen", "move"]), st.integers(0, 4),
                           st.sampled_from(PERIODS), whole, decimal), min_size=1, max_size=12)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=steps)
def test_random_sequences_keep_the_aggregates_consistent(db, steps):
    with transaction.atomic():
        w = AnalyticsWorld()
        units = w.reporting_units
        for action, index, period, whole_value, decimal_value in steps:
            unit = units[index]
            sub = Submission.objects.filter(regime=w.regime, period=period, unit=unit).first()
            if action == "approve":
                if sub is None or sub.status != SubmissionStatus.SUBMITTED:
                    values = {"S": whole_value or "", "L": whole_value or "", "MN": decimal_value or "", "AV": decimal_value or ""}
                    if sub is None:
                        sub = w.submitted(unit, period, **values)
                    elif sub.status == SubmissionStatus.APPROVED:
                        continue
                    else:
                        submission_save_draft(submission=sub, acting_user=w.admin, values=values)
                        sub = submission_submit(submission=sub, acting_user=w.admin)
                submission_approve(submission=sub, acting_user=w.compiler)
            elif action == "reopen":
                if sub is None or sub.status != SubmissionStatus.APPROVED:
                    continue
                submission_reopen(submission=sub, acting_user=w.compiler, reason="Sửa lại")
            else:
                # Move a commune between the two district offices (districts stay put).
                commune = [w.commune_1, w.commune_2, w.commune_3][index % 3]
                commune.refresh_from_db()
                target = w.unit_b if commune.parent_id == w.unit_a.pk else w.unit_a
                orgunit_move(acting_user=w.admin, unit=commune, new_parent=target)
            assert_consistent()
        transaction.set_rollback(True)
