"""Form versioning: editing a form never changes what was already submitted."""

from __future__ import annotations

import pytest

from baocao.core.errors import AppError
from baocao.reporting.choices import FormVersionStatus
from baocao.reporting.models import Indicator
from baocao.reporting.services import (
    form_version_new_draft,
    form_version_publish,
    indicator_update,
    validation_rule_create,
)
from baocao.submissions.services import submission_get_or_create, submission_save_draft
from tests.factories import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return World()


def test_published_version_cannot_be_edited(world):
    ind = Indicator.objects.get(form_version=world.form_version, code="A")
    with pytest.raises(AppError, match="đã ban hành"):
        indicator_update(acting_user=world.admin, indicator=ind, name="Tên mới")
    with pytest.raises(AppError, match="đã ban hành"):
        validation_rule_create(acting_user=world.admin, form_version=world.form_version, code="R9",
                               expression="A <= 10", message="x")


def test_new_version_leaves_submitted_reports_on_their_version(world):
    old = submission_get_or_create(regime=world.regime, period="2022S1", unit=world.unit_a,
                                   acting_user=world.reporter_a)
    submission_save_draft(submission=old, acting_user=world.reporter_a, values={"A": 3})
    draft = form_version_new_draft(acting_user=world.admin, form=world.form_version.form)
    assert draft.number == 2 and draft.status == FormVersionStatus.DRAFT
    assert set(draft.indicators.values_list("code", flat=True)) == {"A", "B", "PCT", "NOTE"}
    assert draft.rules.count() == 1 and draft.narratives.count() == 1
    ind = draft.indicators.get(code="A")
    indicator_update(acting_user=world.admin, indicator=ind, name="Số đơn đã giải quyết xong", max_value=50)
    form_version_publish(acting_user=world.admin, form_version=draft)
    # The old report keeps version 1 and its indicator definitions; a new one uses version 2.
    old.refresh_from_db()
    assert old.form_version_id == world.form_version.pk
    assert old.values.get().indicator.name == "Số đơn đã giải quyết"
    new = submission_get_or_create(regime=world.regime, period="2022S2", unit=world.unit_a,
                                   acting_user=world.reporter_a)
    assert new.form_version_id == draft.pk
    with pytest.raises(AppError):
        submission_save_draft(submission=new, acting_user=world.reporter_a, values={"A": 51})


def test_only_one_draft_at_a_time(world):
    form_version_new_draft(acting_user=world.admin, form=world.form_version.form)
    with pytest.raises(AppError, match="phiên bản nháp"):
        form_version_new_draft(acting_user=world.admin, form=world.form_version.form)


@pytest.mark.parametrize("expression,message", [
    ("A <=", "không hợp lệ"),
    ("A <= ZZZ", "không có trong biểu mẫu"),
    ("__import__('os')", "không hợp lệ|không được|Công thức"),
    ("A + B", "so sánh|Công thức|không hợp lệ"),
])
def test_rules_are_parsed_safely_and_checked_against_the_form(world, expression, message):
    draft = form_version_new_draft(acting_user=world.admin, form=world.form_version.form)
    with pytest.raises(AppError, match=message):
        validation_rule_create(acting_user=world.admin, form_version=draft, code="R2", expression=expression,
                               message="Thông báo")
    assert draft.rules.count() == 1


def test_rule_created_on_draft(world):
    draft = form_version_new_draft(acting_user=world.admin, form=world.form_version.form)
    rule = validation_rule_create(acting_user=world.admin, form_version=draft, code="R2",
                                  expression="PCT <= 100 and A >= 0", message="Tỷ lệ không quá 100%")
    assert rule.pk
