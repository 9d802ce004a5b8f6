"""`baocao tasks remind [--days 3] [--today 2022-07-20]`: reminder e-mails about task deadlines.

The users of each lead unit (with an e-mail address) get one e-mail per task due within `--days`
days, and one when it becomes overdue, once per task and deadline (a recurring task's current
occurrence); the compilers and leaders of each assigning unit get one digest a day of its overdue
and due-soon tasks. Running it again the same day sends nothing new, so it can run from cron
every hour. E-mails go through Django's e-mail backend (the console in development).
"""

from __future__ import annotations

from datetime import date

from django.core.management.base import BaseCommand, CommandError, CommandParser

from baocao.core.clock import today_vn
from baocao.core.vietnamese import format_number
from baocao.work.services import tasks_remind

EXIT_BAD_INPUT = 2


class Command(BaseCommand):
    help = "Nhiệm vụ: gửi thư nhắc hạn cho đơn vị chủ trì và thư tổng hợp hằng ngày cho đơn vị giao."

    def add_arguments(self, parser: CommandParser) -> None:
        subcommands = parser.add_subparsers(dest="subcommand", required=True, metavar="{remind}")
        remind = subcommands.add_parser("remind", help="Gửi thư nhắc hạn và thư tổng hợp nhiệm vụ.")
        remind.add_argument("--days", type=int, default=3,
                            help="Nhắc các nhiệm vụ đến hạn trong số ngày này (mặc định 3).")
        remind.add_argument("--today", default=None,
                            help="Coi hôm nay là ngày này (YYYY-MM-DD); mặc định là ngày hiện tại ở Việt Nam.")

    def handle(self, *args, **options) -> None:
        days = options["days"]
        if days < 0:
            raise CommandError("--days phải là số ngày không âm.", returncode=EXIT_BAD_INPUT)
        today = today_vn()
        if options["today"]:
            try:
                today = date.fromisoformat(options["today"].strip())
            except ValueError:
                raise CommandError(f"Ngày «{options['today']}» không hợp lệ (cần dạng YYYY-MM-DD).",
                                   returncode=EXIT_BAD_INPUT) from None
        result = tasks_remind(today=today, days=days)
        self.stdout.write(f"Đã gửi {format_number(result.reminders)} thư nhắc, "
                          f"{format_number(result.digests)} thư tổng hợp.")
        if result.without_recipients:
            self.stdout.write(f"{format_number(result.without_recipients)} nhiệm vụ hoặc đơn vị chưa có người "
                              f"nhận thư (chưa khai báo e-mail).")
        if result.failed:
            self.stderr.write(f"{format_number(result.failed)} thư không gửi được; lần chạy sau sẽ gửi lại.")
