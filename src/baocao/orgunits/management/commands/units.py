"""`baocao units import-gso DISTRICTS.csv WARDS.csv [--province 06]` and `baocao units list`."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser

from baocao.core.errors import AppError
from baocao.core.vietnamese import collation_key
from baocao.orgunits.choices import UnitKind
from baocao.orgunits.models import OrgUnit
from baocao.orgunits.services import orgunits_import_gso

# Exit status for refused input (bad files, unknown province), distinct from Django's 1.
EXIT_BAD_INPUT = 2


class Command(BaseCommand):
    help = "Quản lý danh mục đơn vị: nhập danh mục hành chính GSO, liệt kê đơn vị."

    def add_arguments(self, parser: CommandParser) -> None:
        subcommands = parser.add_subparsers(dest="subcommand", required=True, metavar="{import-gso,list}")

        gso = subcommands.add_parser(
            "import-gso",
            help="Nhập tỉnh, các đơn vị cấp huyện và cấp xã (mọi tỉnh, hoặc một tỉnh) từ hai tệp CSV danh mục GSO.",
        )
        gso.add_argument("districts_file", help="Tệp CSV danh mục quận/huyện (GSO).")
        gso.add_argument("wards_file", help="Tệp CSV danh mục xã/phường/thị trấn (GSO).")
        gso.add_argument("--province", help="Chỉ nhập một tỉnh: mã 2 chữ số, ví dụ 06 (Bắc Kạn); "
                                            "không ghi thì nhập mọi tỉnh.")

        listing = subcommands.add_parser("list", help="Liệt kê đơn vị theo thứ tự chữ cái tiếng Việt.")
        listing.add_argument("--kind", choices=UnitKind.values, help="Chỉ liệt kê đơn vị thuộc loại này.")

    def handle(self, *args, **options) -> None:
        if options["subcommand"] == "import-gso":
            self._import_gso(options)
        else:
            self._list(options)

    def _import_gso(self, options: dict) -> None:
        try:
            result = orgunits_import_gso(
                acting_user=None,
                districts_file=options["districts_file"],
                wards_file=options["wards_file"],
                province_code=options["province"],
            )
        except AppError as exc:
            raise CommandError(exc.message, returncode=EXIT_BAD_INPUT) from None
        self.stdout.write(f"Đã nhập: {result.created} mới, {result.updated} cập nhật, {result.unchanged} không đổi.")

    def _list(self, options: dict) -> None:
        units = OrgUnit.objects.all()
        if options.get("kind"):
            units = units.filter(kind=options["kind"])
        rows = sorted(units.values_list("code", "kind", "name"), key=lambda row: collation_key(row[2]))
        width = max((len(code) for code, _, _ in rows), default=0)
        for code, kind, name in rows:
            self.stdout.write(f"{code:<{width}}  {kind:<17}  {name}")
