"""The `baocao` console command: Django's management commands under the project's settings.

`baocao units import-gso D.csv W.csv --province 06`, `baocao period 2022S1`, `baocao demo`,
`baocao migrate`, `baocao runserver` ... all go to `django-admin` with our settings module.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "baocao.config.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv if argv is None else ["baocao", *argv])
    execute_from_command_line(args)


if __name__ == "__main__":
    main()
