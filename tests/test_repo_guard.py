"""The guard that keeps tests inside the repository (tests/repo_guard.py)."""

from __future__ import annotations

import os

import pytest

from tests import repo_guard


@pytest.fixture
def forget_violations():
    before = list(repo_guard.violations)
    yield
    repo_guard.violations[:] = before


@pytest.mark.parametrize("how", ["open", "listdir", "scandir"])
def test_reading_the_reference_data_beside_the_checkout_fails(how, forget_violations):
    target = os.path.join(repo_guard.FORBIDDEN, "data", "README.md")
    with pytest.raises(repo_guard.OutsideRepository):
        if how == "open":
            open(target, encoding="utf-8").close()
        elif how == "listdir":
            os.listdir(os.path.dirname(target))
        else:
            list(os.scandir(os.path.dirname(target)))
    assert repo_guard.violations[-1].startswith(repo_guard.FORBIDDEN)


def test_relative_paths_are_resolved_before_the_check(forget_violations, monkeypatch):
    monkeypatch.chdir(repo_guard.REPOSITORY)
    with pytest.raises(repo_guard.OutsideRepository):
        open(os.path.join("..", "shared", "data", "README.md"), encoding="utf-8").close()


def test_files_inside_the_repository_and_elsewhere_open_as_usual(tmp_path):
    assert (repo_guard.REPOSITORY / "tests" / "data" / "README.md").read_text(encoding="utf-8")
    (tmp_path / "x.txt").write_text("ok", encoding="utf-8")
    assert (tmp_path / "x.txt").read_text(encoding="utf-8") == "ok"
