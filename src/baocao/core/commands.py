"""What the console commands share."""

from __future__ import annotations

import argparse
from collections.abc import Callable, Mapping
from datetime import date
from typing import ClassVar

from django.core.management.base import BaseCommand, CommandParser


def iso_day(value: str) -> date:
    """An argparse type: a day written YYYY-MM-DD, refused in Vietnamese otherwise."""
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"ngày «{value}» không hợp lệ, cần dạng YYYY-MM-DD.") from None


class SubcommandCommand(BaseCommand):
    """A command of subcommands (`baocao cases limits`, `baocao analytics check`): `subcommands`
    maps each name to its help and a function adding its arguments; `handle` calls the method
    `_<name>` (dashes as underscores) with the options."""

    subcommands: ClassVar[Mapping[str, tuple[str, Callable[[CommandParser], None]]]] = {}

    def add_arguments(self, parser: CommandParser) -> None:
        chosen = parser.add_subparsers(dest="subcommand", required=True,
                                       metavar="{" + ",".join(self.subcommands) + "}")
        for name, (help_text, add_arguments) in self.subcommands.items():
            add_arguments(chosen.add_parser(name, help=help_text, description=help_text))

    def handle(self, *args, **options) -> None:
        getattr(self, "_" + options["subcommand"].replace("-", "_"))(options)
