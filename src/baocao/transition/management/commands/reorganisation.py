"""`baocao reorganisation carry [--effective DATE] [--dry-run]`: carry the recorded reorganisation
events through (what pointed at the ended units goes to their successors), as the admin's page
does, for every event not yet carried (or those of one day)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser

from baocao.core.commands import iso_day
from baocao.core.errors import AppError
from baocao.core.vietnamese import format_number
from baocao.orgunits.models import ReorgEvent
from baocao.transition.services import CarryPlan, carry_apply, carry_preview

EXIT_BAD_INPUT = 2
KIND_LABELS = {"regime_receiver": "chế độ báo cáo đổi cơ quan nhận", "regime_reporting": "đơn vị báo cáo thêm vào chế độ",
               "group_member": "thành viên nhóm thêm vào", "child": "đơn vị trực thuộc chuyển cấp trên",
               "user": "tài khoản", "task": "nhiệm vụ đang thực hiện", "case": "vụ việc đang giải quyết",
               "target": "chỉ tiêu kế hoạch"}


class Command(BaseCommand):
    help = "Chuyển giao sau sắp xếp đơn vị: chế độ báo cáo, tài khoản, nhiệm vụ, vụ việc, chỉ tiêu sang đơn vị kế thừa."

    def add_arguments(self, parser: CommandParser) -> None:
        subcommands = parser.add_subparsers(dest="subcommand", required=True, metavar="{carry}")
        carry = subcommands.add_parser("carry", help="Chuyển giao các sự kiện sắp xếp chưa chuyển giao.")
        carry.add_argument("--effective", type=iso_day, help="Chỉ các sự kiện có hiệu lực ngày này (YYYY-MM-DD).")
        carry.add_argument("--dry-run", action="store_true", help="Chỉ liệt kê những gì sẽ chuyển, không ghi gì.")

    def handle(self, *args, **options) -> None:
        pending = ReorgEvent.objects.filter(applied_at__isnull=True).order_by("effective", "id")
        if options.get("effective"):
            pending = pending.filter(effective=options["effective"])
        events = list(pending)
        if not events:
            self.stdout.write("Không có sự kiện sắp xếp nào chưa chuyển giao.")
            return
        try:
            plan = carry_preview(events) if options["dry_run"] else carry_apply(acting_user=None, events=events)
        except AppError as exc:
            blockers = exc.extra.get("blockers") or []
            raise CommandError("\n".join([exc.message, *(f"  - {b}" for b in blockers)]),
                               returncode=EXIT_BAD_INPUT) from None
        for line in _summary(plan, events, dry_run=options["dry_run"]):
            self.stdout.write(line)
        if options["dry_run"] and plan.blockers:
            raise CommandError(f"Còn {format_number(len(plan.blockers))} báo cáo chưa duyệt của đơn vị đã kết thúc: "
                               "chưa chuyển giao được.", returncode=EXIT_BAD_INPUT)


def _summary(plan: CarryPlan, events: list[ReorgEvent], *, dry_run: bool) -> list[str]:
    head = "Chạy thử (không ghi gì): sẽ chuyển" if dry_run else "Đã chuyển"
    counts = plan.counts
    parts = [f"{format_number(n)} {KIND_LABELS.get(kind, kind)}" for kind, n in sorted(counts.items())]
    lines = [f"{head} {format_number(len(plan.moves))} mục của {format_number(len(events))} sự kiện sắp xếp"
             + (f": {', '.join(parts)}." if parts else ".")]
    lines += [f"  - {n.source}: {n.label}." for n in plan.notes[:10]]
    lines += [f"  ! {b}" for b in plan.blockers[:20]]
    return lines
