"""The plain row model every exchange format reads into and writes from.

A row is one value of one unit's report: (regime, period, unit code, indicator or narrative field
code, value, comment). Readers produce tuples, not ORM objects, so that hundreds of thousands of
rows stay cheap to hold and to check.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

STRATEGIES = ("CREATE_AND_UPDATE", "CREATE", "UPDATE", "DELETE")
STRATEGY_LABELS = {
    "CREATE_AND_UPDATE": "Thêm mới và cập nhật",
    "CREATE": "Chỉ thêm giá trị chưa có",
    "UPDATE": "Chỉ cập nhật giá trị đã có",
    "DELETE": "Xóa các giá trị có trong tệp",
}


class ValueRow(NamedTuple):
    """One value. `code` is an indicator code or a narrative field code; narrative text travels in
    `value` in our formats and in `comment` in DHIS2's. `regime` may be "" when the file does not
    name it (DHIS2): the importer then applies the regime given by the caller."""

    regime: str
    period: str
    unit_code: str
    code: str
    value: object  # as the file holds it: str, int, float, Decimal, a spreadsheet's date or bool, None
    comment: str | None = None


@dataclass
class ImportSummary:
    """What an import did (or, in a dry run, would do). Any conflict means nothing was written."""

    imported: int = 0
    updated: int = 0
    unchanged: int = 0
    ignored: int = 0
    deleted: int = 0
    conflicts: list[dict] = field(default_factory=list)
    dry_run: bool = False
    written: bool = False

    @property
    def total(self) -> int:
        return self.imported + self.updated + self.unchanged + self.ignored + self.deleted

    def conflict(self, row: int, reason: str, *, unit: str = "", code: str = "", period: str = "") -> None:
        self.conflicts.append({"row": row, "reason": reason, "unit": unit, "code": code, "period": period})

    def as_dict(self) -> dict:
        return {
            "imported": self.imported, "updated": self.updated, "unchanged": self.unchanged,
            "ignored": self.ignored, "deleted": self.deleted, "conflicts": list(self.conflicts),
            "dry_run": self.dry_run, "written": self.written,
        }
