"""What the console commands share."""

from __future__ import annotations

import argparse
from datetime import date


def iso_day(value: str) -> date:
    """An argparse type: a day written YYYY-MM-DD, refused in Vietnamese otherwise."""
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"ngày «{value}» không hợp lệ, cần dạng YYYY-MM-DD.") from None
