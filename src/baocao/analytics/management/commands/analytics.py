"""`baocao analytics check [--regime CODE] [--period CODE]`: compare every stored aggregate with a
fresh GROUP BY over the approved values; prints each difference and exits 1 when there is any.
`baocao analytics rebuild [--regime CODE] [--period CODE]`: recompute them (audited).
"""

from __future__ import annotations

from argparse import ArgumentParser

from django.core.management.base import CommandError

from baocao.analytics.services import aggregates_differences, aggregates_rebuild
from baocao.core.commands import SubcommandCommand
from baocao.reporting.models import ReportingRegime

EXIT_BAD_INPUT = 2
EXIT_DIFFERENT = 1
SHOWN = 50  # differences printed in full; the rest are counted


def _scope_arguments(parser: ArgumentParser) -> None:
    parser.add_argument("--regime", default="", help="Mã chế độ báo cáo; mặc định: mọi chế độ.")
    parser.add_argument("--period", default="", help="Mã kỳ báo cáo, ví dụ 2022S1; mặc định: mọi kỳ.")


SUBCOMMANDS = {
    "check": ("So số liệu tổng hợp sẵn với số liệu đã duyệt; in chỗ lệch, trả mã 1 nếu có.", _scope_arguments),
    "rebuild": ("Dựng lại số liệu tổng hợp sẵn từ số liệu đã duyệt (có ghi nhật ký).", _scope_arguments),
}


class Command(SubcommandCommand):
    help = "Số liệu tổng hợp sẵn (theo chế độ, kỳ, chỉ tiêu và đơn vị cấp trên): kiểm tra, dựng lại."
    subcommands = SUBCOMMANDS

    def _scope(self, options: dict) -> tuple[ReportingRegime | None, str | None]:
        code = (options.get("regime") or "").strip()
        regime = None
        if code:
            regime = ReportingRegime.objects.filter(code=code).first()
            if regime is None:
                raise CommandError(f"Không có chế độ báo cáo mã «{code}».", returncode=EXIT_BAD_INPUT)
        period = (options.get("period") or "").strip() or None
        return regime, period

    def _check(self, options: dict) -> None:
        regime, period = self._scope(options)
        differences = aggregates_differences(regime_id=regime.pk if regime else None, period=period)
        for d in differences[:SHOWN]:
            regime_id, period_code, unit_id, code = d.key
            self.stdout.write(f"lệch: chế độ #{regime_id} kỳ {period_code} đơn vị #{unit_id} chỉ tiêu {code}: "
                              f"đang lưu {d.stored}, tính lại {d.fresh}")
        if differences:
            more = len(differences) - SHOWN
            if more > 0:
                self.stdout.write(f"… và {more} chỗ lệch khác.")
            raise CommandError(f"Số liệu tổng hợp sẵn lệch {len(differences)} dòng; chạy «baocao analytics rebuild».",
                               returncode=EXIT_DIFFERENT)
        self.stdout.write("Số liệu tổng hợp sẵn khớp với số liệu đã duyệt.")

    def _rebuild(self, options: dict) -> None:
        regime, period = self._scope(options)
        count = aggregates_rebuild(acting_user=None, regime=regime, period=period)
        self.stdout.write(f"Đã dựng lại số liệu tổng hợp sẵn: {count} dòng.")
