"""`baocao cases limits --kind complaint --received 2023-01-16 [--round 2] [--accepted DATE] [--complex]
[--remote] [--extension DAYS ...]`: a case's legal deadlines, one ISO date per line.

Subcommands live in SUBCOMMANDS: add one with a function that declares its arguments and a method
``_<name>`` that runs it.
"""

from __future__ import annotations

import re
from argparse import ArgumentParser
from datetime import date

from django.core.management.base import CommandError

from baocao.cases.limits import DEADLINE_KEYS, DEFAULT_RULES, KINDS, LimitError, LimitRule, case_deadlines
from baocao.cases.models import TimeLimitRule
from baocao.core.commands import SubcommandCommand

# Exit status for refused input (bad kind, bad date), distinct from Django's 1.
EXIT_BAD_INPUT = 2

_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _limits_arguments(parser: ArgumentParser) -> None:
    # Checked in the handler rather than by argparse, so the messages are Vietnamese.
    parser.add_argument("--kind", help=f"Loại vụ việc: {', '.join(KINDS)}.")
    parser.add_argument("--received", help="Ngày nhận (năm-tháng-ngày), ví dụ 2023-01-16.")
    parser.add_argument("--round", default="1", help="Lần giải quyết khiếu nại: 1 (mặc định) hoặc 2.")
    parser.add_argument("--accepted", help="Ngày thụ lý (năm-tháng-ngày); không có thì chưa tính hạn giải quyết.")
    parser.add_argument("--complex", action="store_true", help="Vụ việc phức tạp (tố cáo: cần xác minh).")
    parser.add_argument("--remote", action="store_true", help="Vùng sâu, vùng xa đi lại khó khăn.")
    parser.add_argument("--extension", action="extend", nargs="+", default=[], metavar="DAYS",
                        help="Số ngày của mỗi lần gia hạn đã quyết định, theo thứ tự.")


def _digest_arguments(parser: ArgumentParser) -> None:
    parser.add_argument("--today", default=None,
                        help="Coi hôm nay là ngày này (năm-tháng-ngày); mặc định là ngày hiện tại ở Việt Nam.")


SUBCOMMANDS = {
    "limits": ("In các thời hạn theo luật của một vụ việc, mỗi dòng một hạn (ngày ISO).", _limits_arguments),
    "digest": ("Gửi thư tổng hợp hằng tuần cho thanh tra: vụ việc quá hạn và đến hạn trong 3 ngày làm việc.",
               _digest_arguments),
}


def _parse_date(value: str, label: str) -> date:
    text = value.strip()
    try:
        if not _ISO_DATE.fullmatch(text):
            raise ValueError(text)
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"{label} không hợp lệ: «{value}». Dạng đúng: năm-tháng-ngày, ví dụ 2023-01-16.",
                           returncode=EXIT_BAD_INPUT) from None


def _parse_int(value: str, label: str) -> int:
    text = value.strip()
    if not text.isascii() or not text.isdigit():
        raise CommandError(f"{label} phải là số nguyên dương, nhận được «{value}».", returncode=EXIT_BAD_INPUT)
    return int(text)


def limit_rules() -> tuple[LimitRule, ...]:
    """The admin's TimeLimitRule rows, or the defaults of BRIEF §4 when there are none."""
    rows = list(TimeLimitRule.objects.all())
    if not rows:
        return DEFAULT_RULES
    return tuple(LimitRule.from_model(row) for row in rows)


class Command(SubcommandCommand):
    help = "Sổ vụ việc thanh tra, khiếu nại, tố cáo, kiến nghị: thời hạn theo luật."
    subcommands = SUBCOMMANDS

    def _limits(self, options: dict) -> None:
        if not options.get("kind"):
            raise CommandError(f"Thiếu loại vụ việc: --kind {{{','.join(KINDS)}}}.", returncode=EXIT_BAD_INPUT)
        if options["kind"].strip() not in KINDS:
            raise CommandError(f"Loại vụ việc không hợp lệ: «{options['kind']}». Các loại: {', '.join(KINDS)}.",
                               returncode=EXIT_BAD_INPUT)
        if not options.get("received"):
            raise CommandError("Thiếu ngày nhận: --received năm-tháng-ngày.", returncode=EXIT_BAD_INPUT)
        received = _parse_date(options["received"], "Ngày nhận")
        accepted = _parse_date(options["accepted"], "Ngày thụ lý") if options.get("accepted") else None
        round_ = _parse_int(str(options["round"]), "Lần giải quyết")
        extensions = [_parse_int(str(value), "Số ngày gia hạn") for value in options.get("extension") or []]
        try:
            deadlines = case_deadlines(
                kind=options["kind"].strip(),
                round=round_,
                received_on=received,
                accepted_on=accepted,
                is_complex=options["complex"],
                is_remote=options["remote"],
                extensions=extensions,
                rules=limit_rules(),
            )
        except LimitError as exc:
            raise CommandError(str(exc), returncode=EXIT_BAD_INPUT) from None
        for key in DEADLINE_KEYS:
            value = deadlines[key]
            self.stdout.write(f"{key} {value.isoformat() if value else '-'}")

    def _digest(self, options: dict) -> None:
        """`baocao cases digest [--today DATE]`: once per ISO week and owner unit (see
        cases.services.cases_digest), so it can run from cron every day."""
        from baocao.cases.services import cases_digest, iso_week
        from baocao.core.clock import today_vn
        from baocao.core.vietnamese import format_number

        today = _parse_date(options["today"], "Ngày") if options.get("today") else today_vn()
        result = cases_digest(today=today)
        self.stdout.write(f"Tuần {iso_week(today)}: đã gửi "
                          f"{format_number(result.digests)} thư tổng hợp ({format_number(result.cases)} vụ việc).")
        for name in result.units:
            self.stdout.write(f"- {name}")
        if result.already_sent:
            self.stdout.write(f"{format_number(result.already_sent)} đơn vị đã nhận thư của tuần này.")
        if result.without_recipients:
            self.stdout.write(f"{format_number(result.without_recipients)} đơn vị chưa có cán bộ thanh tra có "
                              f"địa chỉ e-mail.")
        if result.failed:
            self.stderr.write(f"{format_number(result.failed)} thư không gửi được; lần chạy sau sẽ gửi lại.")
