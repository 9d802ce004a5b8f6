"""The `baocao` console command itself."""

from __future__ import annotations

import os
import subprocess
import sys


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
