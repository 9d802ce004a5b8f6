"""tests.demo_data.demo_restore, which most tests use to get the demo, leaves exactly the rows the
real loader writes."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from baocao.audit.models import AuditEvent
from baocao.cases.models import Case
from baocao.demo.loader import demo_load
from baocao.submissions.models import Submission
from tests import demo_data

pytestmark = pytest.mark.django_db


def test_a_restored_copy_has_the_rows_of_a_real_load(settings):
    settings.PASSWORD_HASHERS = demo_data.FAST_HASHING
    kept = dict(demo_data._copies)
    demo_data._copies.clear()  # this test takes its own copy, from the state it starts in
    try:
        demo_data.reset_sequences()
        with transaction.atomic():
            assert demo_data.demo_restore() is not None  # no copy yet: the real loader ran
            real = demo_data.fingerprint()
            transaction.set_rollback(True)

        demo_data.reset_sequences()
        with transaction.atomic():
            restore_started = timezone.now()
            assert demo_data.demo_restore() is None  # the copy
            restored = demo_data.fingerprint()
            restore_finished = timezone.now()
            # The clock columns read "now", in the order the load wrote them.
            stamps = list(AuditEvent.objects.order_by("id").values_list("at", flat=True))
            assert stamps == sorted(stamps)
            assert restore_started - timedelta(seconds=1) <= stamps[0] <= stamps[-1] <= restore_finished
            assert not Case.objects.filter(created_at__lt=restore_started - timedelta(seconds=1)).exists()
            # The backdated history is the loader's.
            assert Submission.objects.filter(submitted_at__year=2022).exists()
            transaction.set_rollback(True)
    finally:
        demo_data._copies.clear()
        demo_data._copies.update(kept)

    assert restored == real
    assert sum(table["count"] for table in real.values()) > 10_000


def test_the_copy_then_behaves_as_the_loaded_demo(settings):
    """Loading the demo on top of the copy finds it there and writes nothing; new rows get new ids."""
    settings.PASSWORD_HASHERS = demo_data.FAST_HASHING
    demo_data.demo_restore()
    before = demo_data.fingerprint()
    assert demo_load()["loaded"] is False
    assert demo_data.fingerprint() == before
    newest = AuditEvent.objects.order_by("-id").first()
    assert newest is not None
    added = AuditEvent.objects.create(action="test", entity="test", entity_id=0)
    assert added.pk > newest.pk
