"""`baocao exchange import|export|template`: bulk data in and out, and Excel templates.

    baocao exchange import FILE [--format auto|csv|xlsx|json|dhis2-json|dhis2-csv] [--regime CODE]
                                [--dry-run] [--strategy CREATE_AND_UPDATE|CREATE|UPDATE|DELETE] [--user NAME]
    baocao exchange export --regime CODE --period CODE [--unit CODE [--subtree]] --format FMT -o FILE
    baocao exchange template --regime CODE --period CODE --unit CODE -o FILE.xlsx

An admin console: imports act as --user (default: the first admin) and go through the same scope
and checks as the API. Bad input and conflicts exit with code 2, nothing written.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from baocao.accounts.choices import Role
from baocao.accounts.models import User
from baocao.core.errors import AppError
from baocao.core.vietnamese import format_number
from baocao.exchange.bulk import bulk_import
from baocao.exchange.export import export_values
from baocao.exchange.formats import FORMATS, READ_FORMATS, check_size, read_file
from baocao.exchange.rows import STRATEGIES, ImportSummary
from baocao.orgunits.lineage import unit_by_code
from baocao.orgunits.models import OrgUnit
from baocao.reporting.models import ReportingRegime
from baocao.reporting.selectors import RegimePeriod, regime_period

EXIT_BAD_INPUT = 2


def summary_lines(summary: ImportSummary) -> list[str]:
    """The summary in Vietnamese, as the console and the web page show it."""
    if summary.dry_run:
        head = "Chạy thử (không ghi gì)"
    elif summary.written:
        head = "Đã nhập"
    elif summary.conflicts:
        head = f"Chưa ghi gì vì có {format_number(len(summary.conflicts))} xung đột. Các dòng hợp lệ"
    else:
        head = "Không có gì thay đổi"
    lines = [
        f"{head}: {format_number(summary.imported)} giá trị mới, {format_number(summary.updated)} cập nhật, "
        f"{format_number(summary.unchanged)} không đổi, {format_number(summary.ignored)} bỏ qua, "
        f"{format_number(summary.deleted)} xóa.",
    ]
    if summary.conflicts:
        lines.append(f"{format_number(len(summary.conflicts))} xung đột — chưa ghi gì:")
        for c in summary.conflicts[:200]:
            lines.append(f"  Dòng {c['row']}: {c['reason']}")
        if len(summary.conflicts) > 200:
            lines.append(f"  … và {format_number(len(summary.conflicts) - 200)} xung đột khác.")
    return lines


class Command(BaseCommand):
    help = "Nhập, xuất số liệu hàng loạt (CSV, XLSX, JSON, DHIS2) và tạo mẫu Excel của báo cáo."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="Nhập số liệu từ tệp.")
        imp.add_argument("file", type=Path)
        imp.add_argument("--format", dest="fmt", choices=READ_FORMATS, default="auto")
        imp.add_argument("--regime", default=None, help="Chế độ báo cáo (bắt buộc với tệp DHIS2 không có dataSet).")
        imp.add_argument("--dry-run", action="store_true", help="Chỉ kiểm tra và tóm tắt, không ghi.")
        imp.add_argument("--strategy", choices=STRATEGIES, default="CREATE_AND_UPDATE")
        imp.add_argument("--user", default=None, help="Tên đăng nhập thực hiện (mặc định: quản trị đầu tiên).")
        exp = sub.add_parser("export", help="Xuất số liệu một kỳ ra tệp.")
        exp.add_argument("--regime", required=True)
        exp.add_argument("--period", required=True)
        exp.add_argument("--unit", default=None)
        exp.add_argument("--subtree", action="store_true", help="Cả các đơn vị trực thuộc --unit.")
        exp.add_argument("--format", dest="fmt", choices=FORMATS, default="csv")
        exp.add_argument("--user", default=None)
        exp.add_argument("-o", "--output", required=True, type=Path)
        tpl = sub.add_parser("template", help="Tạo mẫu Excel để đơn vị điền báo cáo.")
        tpl.add_argument("--regime", required=True)
        tpl.add_argument("--period", required=True)
        tpl.add_argument("--unit", required=True)
        tpl.add_argument("--user", default=None)
        tpl.add_argument("-o", "--output", required=True, type=Path)

    def handle(self, *args, **options) -> None:
        try:
            user = self._user(options.get("user"))
            getattr(self, f"_{options['action']}")(user, options)
        except AppError as exc:
            raise CommandError(exc.message, returncode=EXIT_BAD_INPUT) from None

    @staticmethod
    def _user(username: str | None) -> User:
        if username:
            user = User.objects.filter(username=username, is_active=True).first()
            if user is None:
                raise AppError(f"Không tìm thấy người dùng «{username}».")
            return user
        user = (User.objects.filter(is_active=True, is_superuser=True).order_by("pk").first()
                or User.objects.filter(is_active=True, role=Role.ADMIN).order_by("pk").first())
        if user is None:
            raise AppError("Chưa có tài khoản quản trị nào; dùng --user.")
        return user

    def _import(self, user: User, options) -> None:
        path: Path = options["file"]
        try:
            check_size(path.stat().st_size)  # before reading: the limit bounds memory too
            content = path.read_bytes()
        except OSError as exc:
            raise AppError(f"Không đọc được tệp {path}: {exc.strerror or exc}.") from None
        parsed = read_file(content, fmt=options["fmt"], filename=path.name)
        summary = bulk_import(rows=parsed.rows, acting_user=user, dry_run=options["dry_run"],
                              strategy=options["strategy"], regime=options["regime"], first_row=parsed.first_row,
                              lines=parsed.lines)
        for line in summary_lines(summary):
            self.stdout.write(line)
        if summary.conflicts:
            raise CommandError(f"Tệp có {format_number(len(summary.conflicts))} xung đột; không ghi gì.",
                               returncode=EXIT_BAD_INPUT)

    @staticmethod
    def _regime_unit(options) -> tuple[ReportingRegime, RegimePeriod, OrgUnit | None]:
        regime = ReportingRegime.objects.select_related("form").filter(code=options["regime"].strip()).first()
        if regime is None:
            raise AppError(f"Không tìm thấy chế độ báo cáo «{options['regime']}».")
        rp = regime_period(regime, options["period"].strip())
        unit = None
        if options.get("unit"):
            unit = unit_by_code(options["unit"], on=rp.window_start, until=rp.window_end)
            if unit is None:
                raise AppError(f"Không tìm thấy đơn vị «{options['unit']}» trong kỳ {rp.code}.")
        return regime, rp, unit

    def _export(self, user: User, options) -> None:
        regime, rp, unit = self._regime_unit(options)
        content = export_values(user=user, regime=regime, period=rp.code, unit=unit, subtree=options["subtree"],
                                fmt=options["fmt"])
        self._write(options["output"], content)

    def _template(self, user: User, options) -> None:
        from baocao.exchange.xlsx_template import template_build
        from baocao.submissions.services import submission_get_or_create

        regime, rp, unit = self._regime_unit(options)
        submission = submission_get_or_create(regime=regime, period=rp.code, unit=unit, acting_user=user)
        self._write(options["output"], template_build(submission=submission))

    def _write(self, output: Path, content: bytes) -> None:
        try:
            output.write_bytes(content)
        except OSError as exc:
            raise CommandError(f"Không ghi được tệp {output}: {exc.strerror or exc}.") from None
        self.stdout.write(f"Đã ghi {output} ({format_number(len(content))} byte)")
