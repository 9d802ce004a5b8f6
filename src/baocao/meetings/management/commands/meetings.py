"""`baocao meetings article --unit STTTT --date 2022-07-07 --format html|docx -o FILE`: write the
draft news article of the conference a unit held on a day (also `invitation` and `minutes`, as
DOCX, PDF or HTML).

An admin console: no user scope applies. When the unit held several meetings that day, pick one
with ``--meeting ID``. Bad input exits with code 2 and a Vietnamese message.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from baocao.core.errors import AppError
from baocao.core.vietnamese import format_number
from baocao.meetings.documents import KINDS, meeting_document
from baocao.meetings.selectors import meeting_for_unit_on
from baocao.orgunits.lineage import unit_by_code

EXIT_BAD_INPUT = 2


def _day(text: str, what: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise CommandError(f"{what} «{text}» không hợp lệ; ghi theo dạng YYYY-MM-DD, ví dụ 2022-07-07.",
                           returncode=EXIT_BAD_INPUT) from None


class Command(BaseCommand):
    help = "Ghi bài viết đưa tin, giấy mời hoặc biên bản của một hội nghị ra tệp."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=list(KINDS),
                            help="article: bài viết; invitation: giấy mời; minutes: biên bản.")
        parser.add_argument("--unit", required=True, help="Mã đơn vị tổ chức, ví dụ STTTT.")
        parser.add_argument("--date", required=True, help="Ngày hội nghị, ví dụ 2022-07-07.")
        parser.add_argument("--format", dest="fmt", default=None,
                            help="article: html hoặc docx; invitation, minutes: docx, pdf hoặc html "
                                 "(mặc định: theo đuôi tệp).")
        parser.add_argument("-o", "--output", required=True, type=Path, help="Tệp sẽ ghi.")
        parser.add_argument("--meeting", type=int, default=None, help="Mã số hội nghị khi ngày đó có nhiều hội nghị.")
        parser.add_argument("--updated", default=None,
                            help="Bài viết: ngày ghi ở dòng «Cập nhật lúc» (mặc định hôm nay), ví dụ 2022-07-12.")

    def handle(self, *args, **options) -> None:
        kind = options["kind"]
        output: Path = options["output"]
        suffix = output.suffix.lstrip(".").lower()
        fmt = (options["fmt"] or (suffix if suffix in KINDS[kind] else KINDS[kind][0])).strip().lower()
        if fmt not in KINDS[kind]:
            raise CommandError(f"Định dạng «{fmt}» không dùng được cho {kind}; chọn một trong: "
                               f"{', '.join(KINDS[kind])}.", returncode=EXIT_BAD_INPUT)
        day = _day(options["date"], "Ngày")
        on = _day(options["updated"], "Ngày cập nhật") if options["updated"] else None
        code = options["unit"].strip()
        if unit_by_code(code, on=day) is None:
            raise CommandError(f"Không tìm thấy đơn vị «{code}».", returncode=EXIT_BAD_INPUT)
        meetings = meeting_for_unit_on(unit_code=code, day=day)
        if options["meeting"] is not None:
            meetings = [m for m in meetings if m.pk == options["meeting"]]
        if not meetings:
            raise CommandError(f"Đơn vị «{code}» không có hội nghị nào ngày {day:%d/%m/%Y}"
                               + (f" với mã số {options['meeting']}." if options["meeting"] is not None else "."),
                               returncode=EXIT_BAD_INPUT)
        if len(meetings) > 1:
            listed = "; ".join(f"{m.pk}: {m.title}" for m in meetings)
            raise CommandError(f"Đơn vị «{code}» có {len(meetings)} hội nghị ngày {day:%d/%m/%Y} ({listed}); "
                               "chọn một bằng --meeting.", returncode=EXIT_BAD_INPUT)
        try:
            content, _, _ = meeting_document(meetings[0], kind, fmt, on=on)
        except AppError as exc:
            raise CommandError(exc.message, returncode=EXIT_BAD_INPUT) from None
        try:
            output.write_bytes(content)
        except OSError as exc:
            raise CommandError(f"Không ghi được tệp {output}: {exc.strerror or exc}.") from None
        self.stdout.write(f"Đã ghi {output} ({format_number(len(content))} byte)")
