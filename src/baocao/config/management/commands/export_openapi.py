"""`baocao export_openapi [--check] [--output PATH]`: write the API's OpenAPI schema to openapi.json.

The file is committed so that API changes show up in review; CI runs `--check`, which fails
when the committed file no longer matches the code.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

import baocao

# src/baocao/__init__.py -> the repository root (an editable install, as in development and CI).
DEFAULT_OUTPUT = Path(baocao.__file__).resolve().parents[2] / "openapi.json"


def openapi_text() -> str:
    """The schema as committed: UTF-8 JSON, indented, Vietnamese text unescaped, final newline."""
    from baocao.config.api import api

    return json.dumps(api.get_openapi_schema(path_prefix="/api/v1/"), indent=2, ensure_ascii=False) + "\n"


def openapi_schema() -> dict:
    """The schema as plain JSON data, comparable with a parsed openapi.json."""
    return json.loads(openapi_text())


class Command(BaseCommand):
    help = "Ghi lược đồ OpenAPI của API vào openapi.json (--check: chỉ kiểm tra tệp đã cập nhật chưa)."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true",
                            help="Không ghi; báo lỗi (mã thoát 1) nếu tệp khác với lược đồ hiện tại.")
        parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT,
                            help=f"Đường dẫn tệp (mặc định {DEFAULT_OUTPUT}).")

    def handle(self, *args, check: bool = False, output: Path = DEFAULT_OUTPUT, **options):
        text = openapi_text()
        if check:
            current = output.read_text(encoding="utf-8") if output.exists() else None
            if current is None or json.loads(current) != json.loads(text):
                raise CommandError(
                    f"{output} không khớp với API hiện tại: hãy chạy `baocao export_openapi` rồi commit tệp.",
                    returncode=1,
                )
            self.stdout.write(f"{output} khớp với API hiện tại.")
            return
        output.write_text(text, encoding="utf-8")
        self.stdout.write(f"Đã ghi {output}.")
