"""Fixtures of the notification tests: the small department of tests.factories.World with e-mail
addresses, and the task worker run in-process (django-tasks-db's own worker, batch mode)."""

from __future__ import annotations

import pytest

from tests.factories import World


def run_worker() -> int:
    """Run every queued task as `baocao db_worker --batch` does, in this process: django-tasks-db's
    own queue query, claim and `Worker.run_task` (its loop's connection housekeeping,
    `close_old_connections`, would close the test's transaction, so the loop is this one).
    Returns how many tasks ran."""
    from django_tasks_db.management.commands.db_worker import Worker
    from django_tasks_db.models import DBTaskResult
    from django_tasks_db.utils import exclusive_transaction

    worker = Worker(queue_names=["default"], interval=0, batch=True, backend_name="default", startup_delay=False,
                    max_tasks=None, worker_id="tests", excluded_queue_names=[])
    ran = 0
    while True:
        with exclusive_transaction():
            task_result = DBTaskResult.objects.ready().filter(backend_name="default").get_locked()
            if task_result is None:
                return ran
            task_result.claim(worker.worker_id)
        worker.run_task(task_result)
        ran += 1


@pytest.fixture
def world(db) -> World:
    w = World()
    for user in (w.admin, w.compiler, w.leader, w.inspector, w.viewer, w.reporter_a, w.reporter_b, w.other_compiler):
        user.email = f"{user.username}@example.vn"
        user.save(update_fields=["email"])
    return w
