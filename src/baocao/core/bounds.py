"""The ranges a number from outside (query string, form, JSON body, URL) must fall in before it
reaches the database or the calendar. Beyond them SQLite raises OverflowError, PostgreSQL
NumericValueOutOfRange, and `date()` ValueError: a 500 for what is only a malformed request.

One place for the limits, read by the pages (`core.listing.int_param`) and the API
(`core.api_types`)."""

from __future__ import annotations

import re

ID_MAX = 2**63 - 1  # BigAutoField, and BigIntegerField columns
INT_MAX = 2**31 - 1  # IntegerField / PositiveIntegerField on PostgreSQL
YEAR_MIN, YEAR_MAX = 1900, 2999
PAGE_MAX = 10**9
# JSON nesting: deeper than any body or file of ours (an outline's key indicators are 3 levels),
# far below the depth at which Python's JSON reader or pydantic would recurse out of the stack.
JSON_DEPTH_MAX = 64

# str.isdigit() accepts "²" and "١", which int() refuses or reads: only ASCII digits are numbers here.
_WHOLE_NUMBER = re.compile(r"[0-9]+")
# Longer than any bound above: refused before int() (which refuses 4,300 digits with ValueError).
_MAX_DIGITS = 30


class OutOfRange(ValueError):
    """A whole number that no parameter of ours can hold."""

    def __init__(self, text: str, maximum: int):
        super().__init__(f"{text[:40]} > {maximum}")
        self.text = text
        self.maximum = maximum


def whole_number(text: str | None, *, maximum: int = ID_MAX) -> int | None:
    """The whole number written in `text` (ASCII digits, surrounding blanks ignored); None when it
    is empty or not a whole number; OutOfRange when it is one beyond `maximum`."""
    text = (text or "").strip()
    if not _WHOLE_NUMBER.fullmatch(text):
        return None
    if len(text.lstrip("0")) > _MAX_DIGITS or int(text) > maximum:
        raise OutOfRange(text, maximum)
    return int(text)
