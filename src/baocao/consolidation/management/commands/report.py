"""`baocao report build --regime BC-TTTT --period 2022S1 --unit STTTT --format docx -o FILE [--version N]`:
write a consolidated report to a file.

Without ``--version`` the report is composed from the current approved data and nothing is saved;
with it, the saved version N of the existing report is written (an approved one with its number).
An admin console: no user scope applies. Bad input exits with code 2 and a Vietnamese message.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from baocao.consolidation.exports import FORMATS, export_current, export_version
from baocao.consolidation.models import ConsolidatedReport, ReportVersion
from baocao.core.errors import AppError
from baocao.core.vietnamese import format_number
from baocao.orgunits.lineage import unit_by_code
from baocao.reporting.models import ReportingRegime
from baocao.reporting.periods import PeriodError
from baocao.reporting.selectors import regime_period

EXIT_BAD_INPUT = 2


class Command(BaseCommand):
    help = "Lập báo cáo tổng hợp ra tệp DOCX, PDF, HTML hoặc JSON (từ số liệu hiện tại hoặc một phiên bản đã lưu)."

    def create_parser(self, prog_name: str, subcommand: str, **kwargs) -> CommandParser:
        # Our --version (a report version) replaces Django's --version (the program's version).
        return super().create_parser(prog_name, subcommand, conflict_handler="resolve", **kwargs)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["build"], help="build: lập báo cáo ra tệp.")
        parser.add_argument("--regime", required=True, help="Mã chế độ báo cáo, ví dụ BC-TTTT.")
        parser.add_argument("--period", required=True, help="Mã kỳ, ví dụ 2022S1.")
        parser.add_argument("--unit", required=True, help="Mã đơn vị tổng hợp, ví dụ STTTT.")
        parser.add_argument("--format", dest="fmt", choices=list(FORMATS), default=None,
                            help="docx, pdf, html hoặc json (mặc định: theo đuôi tệp, nếu không thì docx).")
        parser.add_argument("-o", "--output", required=True, type=Path, help="Tệp sẽ ghi.")
        parser.add_argument("--version", dest="version_number", type=int, default=None,
                            help="Ghi phiên bản N đã lưu của báo cáo thay vì lập từ số liệu hiện tại.")

    def handle(self, *args, **options) -> None:
        output: Path = options["output"]
        fmt = options["fmt"] or (output.suffix.lstrip(".").lower() if output.suffix.lstrip(".").lower()
                                 in FORMATS else "docx")
        regime_code = options["regime"].strip()
        unit_code = options["unit"].strip()
        # Admin console: regime and unit are looked up without a user's org scope.
        regime = ReportingRegime.objects.select_related("receiving_unit", "form").filter(code=regime_code).first()
        if regime is None:
            raise CommandError(f"Không tìm thấy chế độ báo cáo «{regime_code}».", returncode=EXIT_BAD_INPUT)
        try:
            rp = regime_period(regime, options["period"].strip())
            unit = unit_by_code(unit_code, on=rp.window_start, until=rp.window_end)
            if unit is None:
                raise CommandError(f"Không tìm thấy đơn vị «{unit_code}» trong kỳ {rp.code}.",
                                   returncode=EXIT_BAD_INPUT)
            if options["version_number"] is None:
                content, _, _ = export_current(regime=regime, period=rp.code, unit=unit, fmt=fmt)
            else:
                report, version = self._saved(regime, rp.code, unit, options["version_number"])
                content, _, _ = export_version(report=report, version=version, fmt=fmt)
        except (AppError, PeriodError) as exc:
            raise CommandError(str(exc), returncode=EXIT_BAD_INPUT) from None
        try:
            output.write_bytes(content)
        except OSError as exc:
            raise CommandError(f"Không ghi được tệp {output}: {exc.strerror or exc}.") from None
        self.stdout.write(f"Đã ghi {output} ({format_number(len(content))} byte)")

    @staticmethod
    def _saved(regime, period: str, unit, number: int) -> tuple[ConsolidatedReport, ReportVersion]:
        report = ConsolidatedReport.objects.select_related("regime", "unit").filter(
            regime=regime, period=period, unit=unit).first()
        if report is None:
            raise AppError(f"Chưa có báo cáo tổng hợp {regime.code} kỳ {period} của đơn vị {unit.code}.")
        version = report.versions.filter(number=number).first()
        if version is None:
            raise AppError(f"Báo cáo tổng hợp {regime.code} kỳ {period} của đơn vị {unit.code} "
                           f"không có phiên bản {number}.")
        return report, version
