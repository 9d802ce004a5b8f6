"""Model fields several apps declare alike."""

from __future__ import annotations

from django.db import models


def illustrative_field() -> models.BooleanField:
    """Whether a record is sample data (the demo): the browser shows a «minh họa» badge on it; the
    official documents never print a marker (a report, minutes, an invitation or an article reads
    as the real thing)."""
    return models.BooleanField("dữ liệu minh họa", default=False,
                               help_text="Bản ghi của dữ liệu mẫu: trang web gắn nhãn «minh họa»; văn bản không ghi.")
