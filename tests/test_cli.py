"""The `baocao` console command itself."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest


def test_a_database_never_migrated_gets_a_message_not_a_traceback(tmp_path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(DJANGO_SETTINGS_MODULE="baocao.config.settings", BAOCAO_DATA_DIR=str(tmp_path))
    result = subprocess.run([sys.executable, "-m", "baocao.cli", "exchange", "export", "--regime", "BC-TTTT",
                             "--period", "2022S1", "--format", "csv", "-o", str(tmp_path / "x.csv")],
                            capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 2
    assert "chưa có bảng của baocao: chạy «baocao migrate» trước" in result.stderr
    assert str(tmp_path / "baocao.sqlite3") in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "x.csv").exists()


@pytest.mark.parametrize("command", [["check"], ["migrate", "--noinput"], ["help"]])
def test_no_secret_key_in_production_gets_a_message_not_a_traceback(tmp_path, command) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DATABASE_URL")}
    env.update(DJANGO_SETTINGS_MODULE="baocao.config.settings", DEBUG="0", BAOCAO_DATA_DIR=str(tmp_path))
    result = subprocess.run([sys.executable, "-m", "baocao.cli", *command], capture_output=True, text=True,
                            env=env, timeout=120)
    assert result.returncode == 2, (result.returncode, result.stderr)
    assert "Chưa đặt SECRET_KEY" in result.stderr and "DEBUG=1" in result.stderr
    assert "Traceback" not in result.stderr and "ImproperlyConfigured" not in result.stderr
    assert not (tmp_path / "baocao.sqlite3").exists()  # nothing ran


def test_a_secret_key_or_debug_starts(tmp_path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DATABASE_URL")}
    env.update(DJANGO_SETTINGS_MODULE="baocao.config.settings", BAOCAO_DATA_DIR=str(tmp_path))
    for extra in ({"DEBUG": "0", "SECRET_KEY": "k" * 50}, {"DEBUG": "1"}):
        result = subprocess.run([sys.executable, "-m", "baocao.cli", "check"], capture_output=True, text=True,
                                env=env | extra, timeout=120)
        assert "SECRET_KEY" not in result.stderr, (extra, result.stderr)
