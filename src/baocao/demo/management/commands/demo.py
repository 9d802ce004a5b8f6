"""`baocao demo`: load the Bắc Kạn demo data (once; a second run changes nothing)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from baocao.core.errors import AppError
from baocao.demo.loader import demo_load

EXIT_BAD_INPUT = 2


class Command(BaseCommand):
    help = "Nạp dữ liệu mẫu: Sở Thông tin và Truyền thông tỉnh Bắc Kạn, các kỳ báo cáo 2021–2022."

    def handle(self, *args, **options) -> None:
        try:
            demo_load(stdout=self.stdout)
        except AppError as exc:
            raise CommandError(exc.message, returncode=EXIT_BAD_INPUT) from None
