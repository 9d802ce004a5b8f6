"""Writes on the unit tree: create, update, move, close, and the GSO catalogue import.

Every function runs in one transaction and writes its audit rows (entity "orgunit") in it.
Paths are materialised ("/1/5/12/"), so a move rewrites its whole subtree with one UPDATE.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from os import PathLike
from pathlib import Path
from typing import IO, Any

from django.db import transaction
from django.db.models import CharField, F, Q, Value
from django.db.models.functions import Concat, Substr

from baocao.audit.actions import AuditAction
from baocao.audit.models import AuditEvent
from baocao.audit.services import FieldChange, audit_record, audit_record_changes
from baocao.core.clock import today_vn
from baocao.core.errors import AppError
from baocao.core.text import clean_text
from baocao.core.vietnamese import fold
from baocao.orgunits.choices import UnitKind
from baocao.orgunits.models import PATH_SEPARATOR, OrgUnit, UnitName
from baocao.orgunits.signals import unit_paths_changed

ENTITY = "orgunit"
UPDATABLE_FIELDS = ("code", "name", "short_name", "kind", "valid_from", "valid_to", "note")


# ---------------------------------------------------------------------------
# Helpers


def _kind_label(kind: str) -> str:
    try:
        return UnitKind(kind).label
    except ValueError:
        return kind


def _check_kind(kind: str) -> None:
    if kind not in UnitKind.values:
        raise AppError(f"Loại đơn vị «{kind}» không hợp lệ.", {"fields": {"kind": "Không hợp lệ"}, "kind": kind})


def _clean_code(code: str) -> str:
    code = (code or "").strip()
    if not code:
        raise AppError("Mã đơn vị không được để trống.", {"fields": {"code": "Bắt buộc"}})
    max_length = OrgUnit._meta.get_field("code").max_length
    if max_length is not None and len(code) > max_length:
        raise AppError("Mã đơn vị quá dài (tối đa 40 ký tự).", {"fields": {"code": "Quá dài"}})
    return code


def _check_code_free(code: str, *, valid_from: date | None, valid_to: date | None,
                     exclude_pk: int | None = None) -> None:
    """A code may be held by one unit at a time: refuse it when another unit (or another unit's
    former code) holds it at some day of [valid_from, valid_to] (open ends are unbounded)."""
    overlapping = Q(valid_from__isnull=True) | Q(valid_from__lte=valid_to) if valid_to else Q()
    ends = Q(valid_to__isnull=True) | Q(valid_to__gte=valid_from) if valid_from else Q()
    others = OrgUnit.objects.filter(code=code).filter(overlapping).filter(ends)
    former = UnitName.objects.filter(code=code).filter(overlapping).filter(
        Q(valid_to__gte=valid_from) if valid_from else Q())
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
        former = former.exclude(unit_id=exclude_pk)
    other = others.first() or next((n.unit for n in former.select_related("unit")[:1]), None)
    if other is not None:
        raise AppError(
            f"Mã «{code}» đã được dùng cho đơn vị «{other.name}» trong cùng thời gian hiệu lực.",
            {"fields": {"code": "Đã tồn tại"}, "code": code, "unit": other.pk},
        )


def _is_closed(unit: OrgUnit, day: date) -> bool:
    """A unit is closed on `day` when its validity ended before that day."""
    return unit.valid_to is not None and unit.valid_to < day


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _child_path(parent: OrgUnit | None, unit_id: int) -> str:
    base = parent.path if parent is not None else PATH_SEPARATOR
    return f"{base}{unit_id}{PATH_SEPARATOR}"


def _search_text(code: str, name: str, short_name: str) -> str:
    # Same formula as OrgUnit.save(); bulk writes bypass save() and must repeat it.
    return fold(f"{code} {name} {short_name}")


# ---------------------------------------------------------------------------
# Create, update, move, close


def orgunit_create(
    *,
    acting_user,
    code: str,
    name: str,
    kind: str,
    parent: OrgUnit | None = None,
    short_name: str = "",
    valid_from: date | None = None,
    valid_to: date | None = None,
) -> OrgUnit:
    """Create a unit under `parent` (or as a root) and set its materialised path and depth."""
    code = _clean_code(code)
    name = (name or "").strip()
    if not name:
        raise AppError("Tên đơn vị không được để trống.", {"fields": {"name": "Bắt buộc"}})
    _check_kind(kind)
    if valid_from and valid_to and valid_to < valid_from:
        raise AppError("Ngày hết hiệu lực phải sau ngày bắt đầu hiệu lực.", {"fields": {"valid_to": "Không hợp lệ"}})
    with transaction.atomic():
        _check_code_free(code, valid_from=valid_from, valid_to=valid_to)
        if parent is not None:
            parent = OrgUnit.objects.select_for_update().get(pk=parent.pk)
            if _is_closed(parent, valid_from or today_vn()):
                raise AppError(
                    f"Đơn vị cấp trên «{parent.name}» đã hết hiệu lực từ {parent.valid_to:%d/%m/%Y}.",
                    {"fields": {"parent": "Đã đóng"}, "parent": parent.pk},
                )
        unit = OrgUnit(
            code=code, name=name, short_name=(short_name or "").strip(), kind=kind, parent=parent,
            valid_from=valid_from, valid_to=valid_to,
        )
        unit.save()
        unit.path = _child_path(parent, unit.pk)
        unit.depth = parent.depth + 1 if parent is not None else 0
        OrgUnit.objects.filter(pk=unit.pk).update(path=unit.path, depth=unit.depth)
        audit_record(actor=acting_user, action=AuditAction.ORGUNIT_CREATE, entity=ENTITY, entity_id=unit.pk, unit=unit,
                     new=f"{unit.code} – {unit.name}")
        return unit


def orgunit_update(*, acting_user, unit: OrgUnit, **fields: Any) -> OrgUnit:
    """Change some of code, name, short_name, kind, valid_from, valid_to, note; one audit row per
    changed field. The parent changes only through `orgunit_move`."""
    unknown = sorted(set(fields) - set(UPDATABLE_FIELDS))
    if unknown:
        raise AppError(f"Không sửa được trường: {', '.join(unknown)}.", {"unknown": unknown})
    if "code" in fields:
        fields["code"] = _clean_code(fields["code"])
    if "name" in fields:
        fields["name"] = (fields["name"] or "").strip()
        if not fields["name"]:
            raise AppError("Tên đơn vị không được để trống.", {"fields": {"name": "Bắt buộc"}})
    for key in ("short_name", "note"):
        if key in fields:
            fields[key] = (fields[key] or "").strip()
    if "kind" in fields:
        _check_kind(fields["kind"])
    with transaction.atomic():
        unit = OrgUnit.objects.select_for_update().get(pk=unit.pk)
        valid_from = fields.get("valid_from", unit.valid_from)
        valid_to = fields.get("valid_to", unit.valid_to)
        if valid_from and valid_to and valid_to < valid_from:
            raise AppError("Ngày hết hiệu lực phải sau ngày bắt đầu hiệu lực.",
                           {"fields": {"valid_to": "Không hợp lệ"}})
        if fields.get("code", unit.code) != unit.code or (valid_from, valid_to) != (unit.valid_from, unit.valid_to):
            _check_code_free(fields.get("code", unit.code), valid_from=valid_from, valid_to=valid_to,
                             exclude_pk=unit.pk)
        changes: list[FieldChange] = []
        for key, new in fields.items():
            old = getattr(unit, key)
            if old != new:
                changes.append(FieldChange(key, _text(old), _text(new)))
                setattr(unit, key, new)
        if changes:
            unit.save()
            audit_record_changes(actor=acting_user, action=AuditAction.ORGUNIT_UPDATE, entity=ENTITY, entity_id=unit.pk,
                                 unit=unit, changes=changes)
        return unit


def _rewrite_subtree(*, old_path: str, new_path: str, depth_delta: int) -> int:
    """Replace the `old_path` prefix by `new_path` on the unit and all its descendants, in one
    UPDATE whatever the size or depth of the subtree."""
    moved = OrgUnit.objects.filter(path__startswith=old_path).update(
        path=Concat(Value(new_path), Substr("path", len(old_path) + 1), output_field=CharField()),
        depth=F("depth") + depth_delta,
    )
    unit_paths_changed.send(sender=OrgUnit, paths=[new_path])
    return moved


def orgunit_move(*, acting_user, unit: OrgUnit, new_parent: OrgUnit | None) -> OrgUnit:
    """Put `unit` (and its subtree) under `new_parent`, or make it a root when None."""
    with transaction.atomic():
        unit = OrgUnit.objects.select_for_update().get(pk=unit.pk)
        if new_parent is not None:
            new_parent = OrgUnit.objects.select_for_update().get(pk=new_parent.pk)
            if new_parent.pk == unit.pk or new_parent.path.startswith(unit.path):
                raise AppError(
                    f"Không chuyển được «{unit.name}» vào «{new_parent.name}»: đơn vị cấp trên mới "
                    "đang là chính nó hoặc đơn vị cấp dưới của nó.",
                    {"fields": {"parent": "Không hợp lệ"}, "unit": unit.pk, "parent": new_parent.pk},
                )
            if _is_closed(new_parent, today_vn()):
                raise AppError(
                    f"Đơn vị cấp trên «{new_parent.name}» đã hết hiệu lực từ {new_parent.valid_to:%d/%m/%Y}.",
                    {"fields": {"parent": "Đã đóng"}, "parent": new_parent.pk},
                )
        if unit.parent_id == (new_parent.pk if new_parent else None):
            return unit
        old_parent_name = unit.parent.name if unit.parent is not None else ""
        old_path = unit.path
        new_path = _child_path(new_parent, unit.pk)
        new_depth = new_parent.depth + 1 if new_parent is not None else 0
        OrgUnit.objects.filter(pk=unit.pk).update(parent=new_parent)
        _rewrite_subtree(old_path=old_path, new_path=new_path, depth_delta=new_depth - unit.depth)
        unit.refresh_from_db()
        audit_record(actor=acting_user, action=AuditAction.ORGUNIT_MOVE, entity=ENTITY, entity_id=unit.pk, unit=unit,
                     field="parent", old=old_parent_name, new=new_parent.name if new_parent else "")
        return unit


def orgunit_close(*, acting_user, unit: OrgUnit, valid_to: date) -> OrgUnit:
    """End a unit's validity on `valid_to`. Nothing is deleted; children must be closed (no later
    than that day) or moved elsewhere first."""
    with transaction.atomic():
        unit = OrgUnit.objects.select_for_update().get(pk=unit.pk)
        if unit.valid_to is not None:
            raise AppError(f"Đơn vị «{unit.name}» đã hết hiệu lực từ {unit.valid_to:%d/%m/%Y}.",
                           {"unit": unit.pk})
        if unit.valid_from is not None and valid_to < unit.valid_from:
            raise AppError("Ngày hết hiệu lực phải sau ngày bắt đầu hiệu lực.",
                           {"fields": {"valid_to": "Không hợp lệ"}})
        open_children = unit.children.exclude(valid_to__isnull=False, valid_to__lte=valid_to)
        count = open_children.count()
        if count:
            names = ", ".join(open_children.order_by("code").values_list("name", flat=True)[:5])
            raise AppError(
                f"Không đóng được «{unit.name}»: còn {count} đơn vị cấp dưới đang hoạt động ({names}…). "
                "Hãy đóng hoặc chuyển các đơn vị đó trước.",
                {"unit": unit.pk, "open_children": count},
            )
        unit.valid_to = valid_to
        unit.save(update_fields=["valid_to"])
        audit_record(actor=acting_user, action=AuditAction.ORGUNIT_CLOSE, entity=ENTITY, entity_id=unit.pk, unit=unit,
                     field="valid_to", old="", new=valid_to.isoformat())
        return unit


# ---------------------------------------------------------------------------
# GSO catalogue import

DISTRICT_COLUMNS = ("Mã", "Tên", "Tên Tiếng Anh", "Cấp", "Mã TP", "Tỉnh / Thành Phố")
WARD_COLUMNS = ("Mã", "Tên", "Tên Tiếng Anh", "Cấp", "Mã QH", "Quận Huyện", "Mã TP", "Tỉnh / Thành Phố")
PROVINCE_CODE_LENGTH = 2
DISTRICT_CODE_LENGTH = 3
WARD_CODE_LENGTH = 5
DISTRICT_FILE_LABEL = "Tệp huyện"
WARD_FILE_LABEL = "Tệp xã"

GsoSource = str | PathLike | IO[bytes] | IO[str]


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    unchanged: int

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged


@dataclass(frozen=True)
class _GsoRow:
    line: int
    code: str
    name: str
    level: str
    parent_code: str  # district code for a ward, province code for a district
    province_code: str
    province_name: str


@dataclass(frozen=True)
class _Planned:
    """One unit the catalogue says should exist."""

    code: str
    name: str
    kind: str
    parent_code: str | None
    label: str
    line: int


class _SourceText:
    def __init__(self, label: str, display_name: str, text: str):
        self.label = label
        self.display_name = display_name
        self.text = text

    def where(self, line: int | None = None) -> str:
        name = f" ({self.display_name})" if self.display_name else ""
        return f"{self.label}{name}" + (f", dòng {line}" if line else "")

    def error(self, line: int | None, detail: str, **extra: Any) -> AppError:
        return AppError(f"{self.where(line)}: {detail}",
                        {"file": self.display_name or self.label, "line": line, **extra})


def _read_source(source: GsoSource, label: str) -> _SourceText:
    """Text of a CSV given as a path or a binary/text file object, strictly UTF-8 (BOM optional)."""
    display_name = ""
    if isinstance(source, str | PathLike):
        path = Path(source)
        display_name = path.name
        try:
            data: bytes | str = path.read_bytes()
        except OSError as exc:
            raise AppError(f"{label} ({display_name}): không đọc được tệp ({exc.strerror}).",
                           {"file": display_name}) from None
    else:
        display_name = Path(str(getattr(source, "name", "") or "")).name
        data = source.read()
    if isinstance(data, bytes):
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            raise _SourceText(label, display_name, "").error(
                line, "tệp không đúng mã UTF-8 (có thể đã lưu bằng bảng mã khác như Windows-1258 hoặc "
                "Latin-1); hãy xuất lại tệp CSV dạng UTF-8."
            ) from None
    else:
        text = data
    if text.startswith("\ufeff"):
        text = text[1:]
    return _SourceText(label, display_name, text)


def _cell(value: str) -> str:
    """A cell's text as the import uses it: without the characters no stored text keeps
    (`core.text.clean_text`), on one line (a line break or tab inside a quoted cell becomes a
    space), NFC, trimmed. Every cell, header included, goes through here."""
    value = clean_text(value)
    if "\n" in value or "\t" in value:
        value = value.replace("\n", " ").replace("\t", " ")
    return unicodedata.normalize("NFC", value).strip()


def _csv_rows(src: _SourceText, columns: tuple[str, ...]) -> Iterator[tuple[int, dict[str, str]]]:
    """(line number, row by column name) for every non-blank data row, after checking the header
    and the column count of each row."""
    reader = csv.reader(io.StringIO(src.text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise src.error(None, "tệp trống, không có dòng tiêu đề.") from None
    except csv.Error as exc:
        raise src.error(1, f"dòng tiêu đề không đọc được ({exc}).") from None
    names = [_cell(h) for h in header]
    for column in columns:
        if column not in names:
            raise src.error(1, f"thiếu cột «{column}» trong dòng tiêu đề.", column=column)
    duplicates = sorted({n for n in names if names.count(n) > 1 and n in columns})
    if duplicates:
        raise src.error(1, f"cột «{duplicates[0]}» xuất hiện hai lần trong dòng tiêu đề.")
    index = {column: names.index(column) for column in columns}
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise src.error(reader.line_num, f"dòng không đọc được ({exc}).") from None
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) < len(names):
            missing = names[len(cells)]
            raise src.error(
                reader.line_num,
                f"thiếu cột «{missing}» (dòng có {len(cells)} cột, tiêu đề có {len(names)} cột; "
                "có thể dòng bị cắt cụt).",
                column=missing,
            )
        if len(cells) > len(names):
            raise src.error(
                reader.line_num,
                f"thừa cột (dòng có {len(cells)} cột, tiêu đề có {len(names)} cột; có thể tên chứa dấu phẩy "
                "mà không đặt trong ngoặc kép).",
            )
        yield reader.line_num, {column: _cell(cells[index[column]]) for column in columns}


def _check_code(src: _SourceText, line: int, column: str, value: str, length: int) -> str:
    if not value:
        raise src.error(line, f"cột «{column}» để trống.", column=column)
    if not value.isascii() or not value.isdigit():
        raise src.error(line, f"mã «{value}» ở cột «{column}» phải là dãy chữ số.", column=column)
    if len(value) != length:
        raise src.error(
            line, f"mã «{value}» ở cột «{column}» phải có đúng {length} chữ số (giữ các số 0 ở đầu).", column=column
        )
    return value


def _parse_gso(src: _SourceText, columns: tuple[str, ...], *, code_length: int,
               parent_column: str, parent_length: int) -> list[_GsoRow]:
    rows: list[_GsoRow] = []
    seen: dict[str, int] = {}
    for line, cells in _csv_rows(src, columns):
        code = _check_code(src, line, "Mã", cells["Mã"], code_length)
        parent_code = _check_code(src, line, parent_column, cells[parent_column], parent_length)
        province_code = _check_code(src, line, "Mã TP", cells["Mã TP"], PROVINCE_CODE_LENGTH)
        if not cells["Tên"]:
            raise src.error(line, "cột «Tên» để trống.", column="Tên")
        if code in seen:
            raise src.error(line, f"mã «{code}» trùng với dòng {seen[code]}.", code=code)
        seen[code] = line
        rows.append(_GsoRow(line, code, _normalise_level_case(cells["Tên"], cells["Cấp"]), cells["Cấp"],
                            parent_code, province_code, cells["Tỉnh / Thành Phố"]))
    return rows


def _normalise_level_case(name: str, level: str) -> str:
    """GSO writes a few names as "Thành Phố Bắc Kạn" / "Thị Trấn …" although their level column
    says "Thành phố" / "Thị trấn"; use the level's spelling for the leading words."""
    if level and name.lower().startswith(level.lower() + " ") and not name.startswith(level + " "):
        return level + name[len(level):]
    return name


def _plan_gso(districts: _SourceText, wards: _SourceText, province_code: str | None) -> list[_Planned]:
    district_rows = _parse_gso(districts, DISTRICT_COLUMNS, code_length=DISTRICT_CODE_LENGTH,
                               parent_column="Mã TP", parent_length=PROVINCE_CODE_LENGTH)
    ward_rows = _parse_gso(wards, WARD_COLUMNS, code_length=WARD_CODE_LENGTH,
                           parent_column="Mã QH", parent_length=DISTRICT_CODE_LENGTH)
    district_by_code = {row.code: row for row in district_rows}
    for row in ward_rows:
        district = district_by_code.get(row.parent_code)
        if district is None:
            raise wards.error(row.line, f"mã quận/huyện «{row.parent_code}» không có trong {districts.where()}.",
                              code=row.code, district=row.parent_code)
        if district.province_code != row.province_code:
            raise wards.error(
                row.line,
                f"quận/huyện «{row.parent_code}» thuộc tỉnh «{district.province_code}» "
                f"({districts.where(district.line)}), không phải tỉnh «{row.province_code}».",
                code=row.code, district=row.parent_code,
            )

    if province_code is None:
        mine = district_rows
    else:
        mine = [row for row in district_rows if row.province_code == province_code]
        if not mine:
            raise districts.error(None, f"không có dòng nào của tỉnh mã «{province_code}».", province=province_code)
    plan: list[_Planned] = []
    seen_provinces: set[str] = set()
    for row in mine:
        if row.province_code not in seen_provinces:
            seen_provinces.add(row.province_code)
            plan.append(_Planned(row.province_code, row.province_name or f"Tỉnh {row.province_code}",
                                 UnitKind.PROVINCE, None, districts.where(), row.line))
    plan += [_Planned(row.code, row.name, UnitKind.PEOPLES_COMMITTEE, row.province_code, districts.where(), row.line)
             for row in mine]
    plan += [_Planned(row.code, row.name, UnitKind.COMMUNE, row.parent_code, wards.where(), row.line)
             for row in ward_rows if row.province_code in seen_provinces]
    return plan


def orgunits_import_gso(
    *, acting_user, districts_file: GsoSource, wards_file: GsoSource, province_code: str | None = None
) -> ImportResult:
    """Create or update one province's units (`province_code`, e.g. "06"), or every province's when
    it is None, from the GSO catalogue CSV exports, as published (UTF-8 with BOM, Vietnamese
    headers, codes with leading zeros).

    The province, its district-level units (3-digit codes, kind peoples_committee) and its
    commune-level units (5-digit codes, kind commune). The catalogue describes units before
    1 July 2025; a code is matched against the units current on the catalogue's day, never
    against the units of the same code formed by a later reorganisation. Both files are read and checked in full
    before anything is written, and everything is written in one transaction, so a bad file
    writes nothing. Running the same import again changes nothing.
    """
    if province_code is not None:
        province_code = province_code.strip()
    if province_code is not None and not (province_code.isascii() and province_code.isdigit() and len(province_code) == PROVINCE_CODE_LENGTH):
        raise AppError(f"Mã tỉnh «{province_code}» không hợp lệ: cần đúng 2 chữ số, ví dụ «06».",
                       {"province": province_code})
    districts = _read_source(districts_file, DISTRICT_FILE_LABEL)
    wards = _read_source(wards_file, WARD_FILE_LABEL)
    plan = _plan_gso(districts, wards, province_code)

    with transaction.atomic():
        existing = _units_by_code([item.code for item in plan])
        for item in plan:
            unit = existing.get(item.code)
            if unit is not None and unit.kind != item.kind:
                raise AppError(
                    f"{item.label}, dòng {item.line}: mã «{item.code}» đã được dùng cho đơn vị «{unit.name}» "
                    f"loại «{_kind_label(unit.kind)}», không phải «{_kind_label(item.kind)}».",
                    {"code": item.code, "line": item.line, "unit": unit.pk},
                )
        return _write_plan(acting_user=acting_user, plan=plan, existing=existing, province_code=province_code)


def _write_plan(*, acting_user, plan: list[_Planned], existing: dict[str, OrgUnit],
                province_code: str | None) -> ImportResult:
    created = updated = unchanged = 0
    by_code: dict[str, OrgUnit] = dict(existing)
    audit_rows: list[AuditEvent] = []
    moved: list[OrgUnit] = []  # units whose parent changed

    # Parents always come before their children in the plan: province, districts, communes.
    for level in (UnitKind.PROVINCE, UnitKind.PEOPLES_COMMITTEE, UnitKind.COMMUNE):
        items = [item for item in plan if item.kind == level]
        new_units: list[OrgUnit] = []
        changed_units: list[OrgUnit] = []
        for item in items:
            parent = by_code[item.parent_code] if item.parent_code else None
            unit = existing.get(item.code)
            if unit is None:
                unit = OrgUnit(code=item.code, name=item.name, kind=item.kind, parent=parent,
                               search_text=_search_text(item.code, item.name, ""),
                               depth=parent.depth + 1 if parent else 0)
                new_units.append(unit)
                by_code[item.code] = unit
                continue
            changes: list[FieldChange] = []
            if unit.name != item.name:
                changes.append(FieldChange("name", unit.name, item.name))
                unit.name = item.name
            if unit.parent_id != (parent.pk if parent else None):
                changes.append(FieldChange("parent", unit.parent.name if unit.parent is not None else "",
                                           parent.name if parent else ""))
                moved.append(unit)
                unit.parent = parent
            if changes:
                unit.search_text = _search_text(unit.code, unit.name, unit.short_name)
                changed_units.append(unit)
                audit_rows += [
                    AuditEvent(actor=acting_user, action=AuditAction.ORGUNIT_UPDATE, entity=ENTITY, entity_id=unit.pk,
                               unit=unit, field=c.field, old_value=c.old, new_value=c.new,
                               comment="Nhập danh mục hành chính GSO")
                    for c in changes
                ]
            else:
                unchanged += 1
        if new_units:
            OrgUnit.objects.bulk_create(new_units)
            _ensure_ids(new_units)
            for unit in new_units:
                unit.path = _child_path(unit.parent, unit.pk)
            OrgUnit.objects.bulk_update(new_units, ["path"])
            audit_rows += [
                AuditEvent(actor=acting_user, action=AuditAction.ORGUNIT_CREATE, entity=ENTITY, entity_id=unit.pk, unit=unit,
                           new_value=f"{unit.code} – {unit.name}", comment="Nhập danh mục hành chính GSO")
                for unit in new_units
            ]
            created += len(new_units)
        if changed_units:
            OrgUnit.objects.bulk_update(changed_units, ["name", "parent", "search_text"])
            updated += len(changed_units)

    for unit in moved:
        # Rare (a commune moved between districts): re-read, since an earlier move may have
        # rewritten this unit's path already.
        unit.refresh_from_db(fields=["path", "depth", "parent"])
        parent = unit.parent
        new_depth = parent.depth + 1 if parent else 0
        _rewrite_subtree(old_path=unit.path, new_path=_child_path(parent, unit.pk), depth_delta=new_depth - unit.depth)

    if created or updated:
        AuditEvent.objects.bulk_create(audit_rows)
        province = by_code[province_code] if province_code is not None else None
        where = f"tỉnh {province_code}" if province_code is not None else "toàn quốc"
        audit_record(actor=acting_user, action=AuditAction.ORGUNIT_IMPORT_GSO, entity=ENTITY,
                     entity_id=province.pk if province is not None else 0, unit=province,
                     comment=f"Nhập danh mục GSO {where}: {created} mới, {updated} cập nhật, "
                             f"{unchanged} không đổi.")
    return ImportResult(created=created, updated=updated, unchanged=unchanged)


def _units_by_code(codes: list[str], chunk: int = 500) -> dict[str, OrgUnit]:
    """Existing units by code, locked; chunked to stay under SQLite's parameter limit.

    Where several units carried a code one after another (a commune formed on 1 July 2025 keeps the
    code of a predecessor), the earliest holder is the one the GSO catalogue of units before the
    reorganisation describes.
    """
    found: dict[str, OrgUnit] = {}
    for start in range(0, len(codes), chunk):
        part = codes[start : start + chunk]
        for unit in OrgUnit.objects.select_for_update().filter(code__in=part).order_by("id"):
            held = found.get(unit.code)
            if held is None or _holder_order(unit) < _holder_order(held):
                found[unit.code] = unit
    return found


def _holder_order(unit: OrgUnit) -> tuple[bool, date, int]:
    return (unit.valid_from is not None, unit.valid_from or date.min, unit.pk)


def _ensure_ids(units: Iterable[OrgUnit]) -> None:
    """bulk_create returns ids on PostgreSQL and SQLite >= 3.35; fetch them by code otherwise."""
    missing = [unit for unit in units if unit.pk is None]
    if not missing:
        return
    ids = {code: unit.pk for code, unit in _units_by_code([u.code for u in missing]).items()}
    for unit in missing:
        unit.pk = ids[unit.code]
