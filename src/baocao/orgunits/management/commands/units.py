"""`baocao units import-gso DISTRICTS.csv WARDS.csv [--province 06]`, `baocao units import-reorganisation
--provinces P --wards W --mapping M [--dry-run]`, `baocao units list [--on DATE]` and
`baocao units lineage CODE [--on DATE] [--json]`."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError, CommandParser

from baocao.core.clock import today_vn
from baocao.core.commands import iso_day
from baocao.core.errors import AppError
from baocao.core.vietnamese import collation_key, format_number
from baocao.orgunits.choices import UnitKind
from baocao.orgunits.lineage import unit_by_code, unit_history
from baocao.orgunits.models import OrgUnit
from baocao.orgunits.reorganisation import ReorgImportResult, reorganisation_import_2025
from baocao.orgunits.services import orgunits_import_gso

# Exit status for refused input (bad files, unknown province), distinct from Django's 1.
EXIT_BAD_INPUT = 2
WARNINGS_SHOWN = 10


class Command(BaseCommand):
    help = "Quản lý danh mục đơn vị: nhập danh mục hành chính GSO, liệt kê đơn vị."

    def add_arguments(self, parser: CommandParser) -> None:
        subcommands = parser.add_subparsers(dest="subcommand", required=True,
                                            metavar="{import-gso,import-reorganisation,list,lineage}")

        gso = subcommands.add_parser(
            "import-gso",
            help="Nhập tỉnh, các đơn vị cấp huyện và cấp xã (mọi tỉnh, hoặc một tỉnh) từ hai tệp CSV danh mục GSO.",
        )
        gso.add_argument("districts_file", help="Tệp CSV danh mục quận/huyện (GSO).")
        gso.add_argument("wards_file", help="Tệp CSV danh mục xã/phường/thị trấn (GSO).")
        gso.add_argument("--province", help="Chỉ nhập một tỉnh: mã 2 chữ số, ví dụ 06 (Bắc Kạn); "
                                            "không ghi thì nhập mọi tỉnh.")

        reorg = subcommands.add_parser(
            "import-reorganisation",
            help="Nhập đợt sắp xếp đơn vị hành chính năm 2025 (34 tỉnh từ 12/6/2025, 3.321 xã từ 1/7/2025) "
                 "từ ba tệp CSV; cần nhập danh mục GSO trước.",
        )
        reorg.add_argument("--provinces", required=True, help="Tệp CSV 34 tỉnh sau sắp xếp (provinces-2025-merger.csv).")
        reorg.add_argument("--wards", required=True,
                           help="Tệp CSV xã sau sắp xếp kèm đơn vị trước sắp xếp (wards-2025-with-predecessors.csv).")
        reorg.add_argument("--mapping", required=True,
                           help="Tệp CSV ánh xạ xã cũ – xã mới theo mã (wards-legacy-to-2025.csv).")
        reorg.add_argument("--dry-run", action="store_true", help="Chỉ kiểm tra và đếm, không ghi gì.")

        listing = subcommands.add_parser("list", help="Liệt kê đơn vị theo thứ tự chữ cái tiếng Việt.")
        listing.add_argument("--kind", choices=UnitKind.values, help="Chỉ liệt kê đơn vị thuộc loại này.")
        listing.add_argument("--on", type=iso_day, help="Chỉ các đơn vị có hiệu lực ngày này (YYYY-MM-DD).")

        lineage = subcommands.add_parser(
            "lineage", help="Đơn vị tiền thân và đơn vị kế thừa của đơn vị giữ mã này vào một ngày.")
        lineage.add_argument("code", help="Mã đơn vị, ví dụ 01840.")
        lineage.add_argument("--on", type=iso_day,
                             help="Ngày (YYYY-MM-DD) mà đơn vị giữ mã; mặc định hôm nay.")
        lineage.add_argument("--json", action="store_true", help="In dạng JSON.")

    def handle(self, *args, **options) -> None:
        if options["subcommand"] == "import-gso":
            self._import_gso(options)
        elif options["subcommand"] == "lineage":
            self._lineage(options)
        elif options["subcommand"] == "import-reorganisation":
            self._import_reorganisation(options)
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

    def _import_reorganisation(self, options: dict) -> None:
        try:
            result = reorganisation_import_2025(
                acting_user=None, provinces_file=options["provinces"], wards_file=options["wards"],
                mapping_file=options["mapping"], dry_run=options["dry_run"],
            )
        except AppError as exc:
            raise CommandError(exc.message, returncode=EXIT_BAD_INPUT) from None
        for line in _summary(result):
            self.stdout.write(line)

    def _list(self, options: dict) -> None:
        units = OrgUnit.objects.all()
        if options.get("on"):
            units = units.valid_on(options["on"])
        if options.get("kind"):
            units = units.filter(kind=options["kind"])
        rows = sorted(units.values_list("code", "kind", "name"), key=lambda row: collation_key(row[2]))
        width = max((len(code) for code, _, _ in rows), default=0)
        for code, kind, name in rows:
            self.stdout.write(f"{code:<{width}}  {kind:<17}  {name}")

    def _lineage(self, options: dict) -> None:
        day = options.get("on") or today_vn()
        unit = unit_by_code(options["code"], on=day)
        if unit is None:
            raise CommandError(f"Không có đơn vị nào giữ mã «{options['code']}» ngày {day:%d/%m/%Y}.",
                               returncode=EXIT_BAD_INPUT)
        history = unit_history(unit)
        if options["json"]:
            self.stdout.write(json.dumps(history.as_json(), ensure_ascii=False, indent=2))
            return
        span = (f"từ {unit.valid_from:%d/%m/%Y}" if unit.valid_from else "") + (
            f" đến {unit.valid_to:%d/%m/%Y}" if unit.valid_to else "")
        self.stdout.write(f"{unit.code}  {unit.name}" + (f" ({span.strip()})" if span.strip() else ""))
        for title, neighbours in (("Đơn vị tiền thân", history.predecessors), ("Đơn vị kế thừa", history.successors)):
            self.stdout.write(f"{title}: {format_number(len(neighbours))}" if neighbours else f"{title}: không có")
            for n in neighbours:
                share = "toàn bộ" if n.share == 1 else f"{format_number(n.share * 100, 2)}% ({n.method_label.lower()})"
                basis = f", {n.legal_basis}" if n.legal_basis else ""
                self.stdout.write(f"  {n.unit.code:<8} {n.unit.name} — {share}, từ {n.effective:%d/%m/%Y}{basis}")
        for former in history.former_names:
            self.stdout.write(f"Tên, mã cũ: {former.code} {former.name} (đến {former.valid_to:%d/%m/%Y})")


def _summary(result: ReorgImportResult) -> list[str]:
    head = "Chạy thử (không ghi gì): sẽ" if result.dry_run else "Đã"
    lines = [
        f"{head} tạo {result.provinces_created} tỉnh mới, giữ nguyên {result.provinces_kept} tỉnh; "
        f"tạo {result.communes_created} xã mới.",
        f"Đơn vị hết hiệu lực: {result.units_ended}; chuyển đơn vị cấp trên: {result.units_reparented}.",
        f"Sự kiện sắp xếp: {result.events_created}; liên kết kế thừa: {result.links_created} "
        f"(ước tính theo tỷ lệ: {result.estimated_links}).",
        f"Cảnh báo (hai tệp không khớp nhau): {len(result.warnings)}.",
    ]
    lines += [f"  - {warning}" for warning in result.warnings[:WARNINGS_SHOWN]]
    if len(result.warnings) > WARNINGS_SHOWN:
        lines.append(f"  … và {len(result.warnings) - WARNINGS_SHOWN} cảnh báo khác.")
    return lines
