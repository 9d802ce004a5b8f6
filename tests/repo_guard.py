"""Tests read only files inside the repository.

A fresh clone has no reference data beside it (`../shared`), so a test that reads it passes on a
developer's machine and fails for everyone else. This audit hook makes such a read fail everywhere:
opening or listing anything under the checkout's sibling `shared/` raises `OutsideRepository`, and
the violation is also remembered so that a test which swallows the error still fails the run.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[1]
FORBIDDEN = str(REPOSITORY.parent / "shared")
WATCHED_EVENTS = frozenset({"open", "os.listdir", "os.scandir"})

violations: list[str] = []


class OutsideRepository(RuntimeError):
    """A test opened a file outside the repository that a fresh clone does not have."""


def _is_forbidden(target: object) -> bool:
    if isinstance(target, int) or target is None:
        return False  # file descriptors and the current directory
    try:
        path = os.path.abspath(os.fsdecode(target))  # type: ignore[arg-type]
    except TypeError:
        return False
    return path == FORBIDDEN or path.startswith(FORBIDDEN + os.sep)


def _audit(event: str, args: tuple) -> None:
    if event in WATCHED_EVENTS and args and _is_forbidden(args[0]):
        violations.append(os.fsdecode(args[0]))
        raise OutsideRepository(
            f"{args[0]!s} is outside the repository; commit what the test needs under tests/data/")


_installed = False


def install() -> None:
    """Install the hook once per process (audit hooks cannot be removed)."""
    global _installed
    if not _installed:
        sys.addaudithook(_audit)
        _installed = True
