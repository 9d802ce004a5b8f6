"""The `baocao` console command: Django's management commands under the project's settings.

`baocao units import-gso D.csv W.csv --province 06`, `baocao period 2022S1`, `baocao demo`,
`baocao migrate`, `baocao runserver` ... all go to `django-admin` with our settings module.
"""

from __future__ import annotations

import os
import sys

MSG_NO_SECRET_KEY = (
    "Chưa đặt SECRET_KEY: máy chủ thật (DEBUG=0) không chạy với khóa mặc định. Hãy đặt biến môi trường "
    "SECRET_KEY là một chuỗi ngẫu nhiên dài, ví dụ từ lệnh:\n"
    "  python -c \"import secrets; print(secrets.token_urlsafe(50))\"\n"
    "(trên máy của người phát triển: đặt DEBUG=1, hoặc dùng «make run»).\n"
)


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "baocao.config.settings")
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        settings.SECRET_KEY  # noqa: B018 - loads the settings, which refuse to start without a key
    except ImproperlyConfigured as exc:
        if "SECRET_KEY" not in str(exc):
            raise
        sys.stderr.write(MSG_NO_SECRET_KEY)
        sys.exit(2)
    args = list(sys.argv if argv is None else ["baocao", *argv])
    try:
        execute_from_command_line(args)
    except Exception as exc:
        if not _missing_tables(exc):
            raise
        from django.conf import settings

        name = settings.DATABASES["default"]["NAME"]
        sys.stderr.write(
            f"Cơ sở dữ liệu «{name}» chưa có bảng của baocao: chạy «baocao migrate» trước"
            " (hoặc đặt BAOCAO_DATA_DIR / DATABASE_URL trỏ tới cơ sở dữ liệu đang dùng).\n")
        sys.exit(2)


def _missing_tables(exc: BaseException) -> bool:
    """A command run against a database that was never migrated (SQLite: "no such table";
    PostgreSQL: undefined table)."""
    from django.db.utils import OperationalError, ProgrammingError

    if not isinstance(exc, OperationalError | ProgrammingError):
        return False
    text = str(exc)
    return "no such table" in text or ("relation" in text and "does not exist" in text)


if __name__ == "__main__":
    main()
