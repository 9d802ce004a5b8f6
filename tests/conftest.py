import pytest
from hypothesis import HealthCheck, settings

from tests import repo_guard

repo_guard.install()

# Property tests check rules, not speed: on a CI machine running both databases' suites side by side
# (and under other load) Hypothesis' timing checks fail tests whose rules hold. Timing is measured in bench/.
settings.register_profile("baocao", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("baocao")


def pytest_sessionfinish(session, exitstatus):
    if repo_guard.violations:
        session.exitstatus = 1
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            reporter.write_line("Tests opened files outside the repository (commit them under tests/data/):", red=True)
            for path in sorted(set(repo_guard.violations)):
                reporter.write_line(f"  {path}", red=True)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Argon2 is the production hasher; tests use a fast one so suites stay quick.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _reset_login_throttle(db):
    from axes.utils import reset

    reset()
    yield


@pytest.fixture(scope="module")
def demo_in_module(django_db_setup, django_db_blocker):
    """The demo for a test module (tests.demo_data.demo_restore), rolled back after it. Module-scoped,
    so the fast hasher of `_fast_password_hashing` is not active yet: set here for the first real load."""
    from django.db import transaction
    from django.test import override_settings

    from tests.demo_data import demo_restore

    fast = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock(), fast, transaction.atomic():
        demo_restore()
        yield
        transaction.set_rollback(True)
