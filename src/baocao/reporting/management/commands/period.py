"""`baocao period 2022S1 [--regime CODE]`: a period's Decree 09 cut-off window (and deadline).

Prints one line, ISO dates: ``2022S1 2021-12-15 2022-06-14``; with ``--regime`` the regime's
cut-off rule applies and its sending deadline is the fourth field (``-`` when the regime sets none).
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser

from baocao.core.errors import AppError
from baocao.reporting.models import ReportingRegime
from baocao.reporting.periods import PeriodError, cutoff_window, parse_period
from baocao.reporting.selectors import regime_period

EXIT_BAD_INPUT = 2


class Command(BaseCommand):
    help = "In thời gian chốt số liệu (và thời hạn gửi theo chế độ báo cáo) của một kỳ báo cáo."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("period", help="Mã kỳ: 2022M06, 2022Q2, 2022S1, 2022S2, 2022N9, 2022.")
        parser.add_argument("--regime", help="Mã chế độ báo cáo, để in thêm thời hạn gửi báo cáo.")

    def handle(self, *args, **options) -> None:
        code: str = options["period"]
        regime_code: str | None = options.get("regime")
        if regime_code:
            # Admin console: the regime is looked up without a user's org scope.
            regime = ReportingRegime.objects.filter(code=regime_code.strip()).first()
            if regime is None:
                raise CommandError(f"Không tìm thấy chế độ báo cáo «{regime_code}».", returncode=EXIT_BAD_INPUT)
            try:
                rp = regime_period(regime, code)
            except (AppError, PeriodError) as exc:
                raise CommandError(str(exc), returncode=EXIT_BAD_INPUT) from None
            deadline = rp.deadline.isoformat() if rp.deadline else "-"
            self.stdout.write(f"{rp.code} {rp.window_start.isoformat()} {rp.window_end.isoformat()} {deadline}")
            return
        try:
            period = parse_period(code)
        except PeriodError as exc:
            raise CommandError(str(exc), returncode=EXIT_BAD_INPUT) from None
        start, end = cutoff_window(period)
        self.stdout.write(f"{period.code} {start.isoformat()} {end.isoformat()}")
