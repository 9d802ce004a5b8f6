"""The official 2025 reorganisation, imported from the published files in their own shapes.

Three files: the 34 provinces from 12 June 2025 (`provinces-2025-merger.csv`), the 3,321 commune-level
units from 1 July 2025 with the free text of their predecessors (`wards-2025-with-predecessors.csv`),
and the old-ward-to-new-ward mapping by code (`wards-legacy-to-2025.csv`). The legacy GSO catalogue
must have been imported first (`orgunits_import_gso`): the mapping names old units by code.

A code alone never identifies a unit across the change (3,316 new communes carry the code of one of
their own predecessors, new provinces reuse old codes): old units are always "the unit holding code X
on the last day before the change", new ones "code X from the first day".
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_DOWN, Decimal

from django.db import transaction
from django.db.models import F

from baocao.audit.actions import AuditAction
from baocao.audit.models import AuditEvent
from baocao.audit.services import audit_record
from baocao.core.vietnamese import fold, format_date, parse_number
from baocao.orgunits.choices import ReorgKind, ShareMethod, UnitKind
from baocao.orgunits.models import PATH_SEPARATOR, OrgUnit, ReorgEvent, UnitLink
from baocao.orgunits.services import (
    ENTITY,
    GsoSource,
    _check_code,
    _child_path,
    _csv_rows,
    _read_source,
    _search_text,
    _SourceText,
)
from baocao.orgunits.signals import unit_paths_changed

PROVINCE_FIRST_DAY = date(2025, 6, 12)
PROVINCE_LAST_DAY = date(2025, 6, 11)
COMMUNE_FIRST_DAY = date(2025, 7, 1)
COMMUNE_LAST_DAY = date(2025, 6, 30)
DEFAULT_PROVINCE_BASIS = "Nghị quyết số 202/2025/QH15"
DEFAULT_WARD_BASIS = "Nghị quyết của Ủy ban Thường vụ Quốc hội về sắp xếp đơn vị hành chính cấp xã năm 2025"
SOURCE_PREFIX = "reorg2025:"
COMMENT = "Sắp xếp đơn vị hành chính năm 2025"

PROVINCES_LABEL = "Tệp tỉnh sau sắp xếp"
WARDS_LABEL = "Tệp xã sau sắp xếp"
MAPPING_LABEL = "Tệp ánh xạ xã cũ – xã mới"
PROVINCES_COLUMNS = ("id", "mahc", "tentinh", "dientichkm2", "dansonguoi", "truocsapnhap", "con")
WARDS_COLUMNS = ("matinh", "ma", "tentinh", "loai", "tenhc", "dientichkm2", "dansonguoi", "truocsapnhap")
MAPPING_COLUMNS = (
    "provinceCode", "districtCode", "wardCode", "isMergedProvince", "isMergedWard", "isDividedWard",
    "province", "district", "ward", "newProvince", "newWard", "newWardShort", "newProvinceCode", "newWardCode",
    "newWardType", "newWardAreaKm2",
)
NOT_MERGED = "khong sap nhap"
SHARE_QUANTUM = Decimal("0.00000001")
BULK_CHUNK = 500  # rows per bulk statement: under SQLite's parameter limit for every model written here
WARNING_SAMPLE = 10

_MISSING_NUMBER = {"", "dang cap nhat", "-", "chua co"}
_PROVINCE_PREFIXES = ("thu do ", "thanh pho ", "tinh ")
_PROVINCE_ALIASES = {"tphcm": "ho chi minh", "tp hcm": "ho chi minh", "tp. hcm": "ho chi minh"}
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "ʼ": "'"})
_PARTIAL_NOTE = "phan con lai"
# Level words dropped before comparing predecessor names: an old "Xã Đắc Sơn" may be written
# "Phường Đắc Sơn" by the other file.
_LEVEL_WORDS = re.compile(r"^(thi tran|thi xa|thanh pho|dac khu|phuong|huyen|quan|xa)\s+")


@dataclass(frozen=True)
class ReorgImportResult:
    provinces_created: int
    provinces_kept: int
    communes_created: int
    units_ended: int
    units_reparented: int
    events_created: int
    links_created: int
    estimated_links: int
    warnings: tuple[str, ...] = ()
    dry_run: bool = False

    @property
    def changed(self) -> bool:
        return bool(self.provinces_created or self.communes_created or self.units_ended or self.units_reparented
                     or self.events_created or self.links_created)


# ---------------------------------------------------------------------------
# Parsed rows


@dataclass
class _ProvinceRow:
    line: int
    mahc: str
    name: str
    key: str
    predecessor_keys: list[str]
    not_merged: bool
    con_text: str


@dataclass
class _WardRow:
    line: int
    mahc: str
    kind_key: str
    short_name: str
    population: int | None
    area: Decimal | None
    predecessors: list[tuple[str, bool]]  # (folded name, partial)


@dataclass
class _MapRow:
    line: int
    old_province: str
    old_district: str
    old_ward: str | None  # None: an island district without communes, itself the predecessor
    old_province_name: str
    old_name: str
    divided: bool
    new_province_code: str
    new_province_name: str
    new_ward_code: str
    new_ward_name: str
    new_ward_short: str
    new_ward_type: str
    new_area: Decimal | None


@dataclass
class _NewWard:
    code: str
    name: str
    province_code: str
    rows: list[_MapRow]
    ward_row: _WardRow | None = None
    unit: OrgUnit | None = None


@dataclass
class _Link:
    predecessor: OrgUnit
    share: Decimal
    method: str
    line: int


def _name_key(text: str) -> str:
    return " ".join(text.translate(_APOSTROPHES).lower().split())


def _province_key(name: str) -> str:
    key = fold(name.translate(_APOSTROPHES))
    key = _PROVINCE_ALIASES.get(key, key)
    for prefix in _PROVINCE_PREFIXES:
        if key.startswith(prefix):
            return key[len(prefix):]
    return key


def _split_top_level(text: str) -> list[str]:
    """Comma-separated items, ignoring commas inside parentheses."""
    items: list[str] = []
    depth = 0
    current: list[str] = []
    for ch in text:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(depth - 1, 0)
        if ch == "," and depth == 0:
            items.append("".join(current))
            current = []
        else:
            current.append(ch)
    items.append("".join(current))
    return [item.strip() for item in items if item.strip()]


def _predecessor_names(text: str) -> list[tuple[str, bool]]:
    """The wards file's "Phường A, Phường B (phần còn lại sau khi sáp nhập vào …), Xã C (huyện D)" as
    (folded name without the parenthesised note, partial?)."""
    result: list[tuple[str, bool]] = []
    for item in _split_top_level(text):
        notes = re.findall(r"\(([^)]*)\)", item)
        partial = any(_PARTIAL_NOTE in fold(note) for note in notes)
        name = re.sub(r"\([^)]*\)", " ", item)
        result.append((_compare_key(name), partial))
    return result


def _compare_key(name: str) -> str:
    return _LEVEL_WORDS.sub("", fold(name.translate(_APOSTROPHES)))


def _province_list(text: str) -> list[str]:
    parts = re.split(r",| và ", text)
    return [_province_key(part) for part in parts if part.strip()]


def _vn_number(src: _SourceText, line: int, column: str, value: str) -> Decimal:
    try:
        return parse_number(value)
    except ValueError:
        raise src.error(line, f"giá trị «{value}» ở cột «{column}» không phải là số "
                              "(viết theo kiểu Việt Nam, ví dụ 3.359,80 hoặc 8.718.000).", column=column) from None


def _dot_decimal(src: _SourceText, line: int, column: str, value: str) -> Decimal | None:
    if fold(value) in _MISSING_NUMBER:
        return None
    if not re.fullmatch(r"[0-9]+(\.[0-9]+)?", value):
        raise src.error(line, f"giá trị «{value}» ở cột «{column}» không phải là số (dấu chấm thập phân, "
                              "ví dụ 28.69).", column=column)
    return Decimal(value)


def _count(src: _SourceText, line: int, column: str, value: str) -> int | None:
    """A head count: "102136", grouped "30,509" or "30.509"; "đang cập nhật" or empty: unknown."""
    if fold(value) in _MISSING_NUMBER:
        return None
    if not re.fullmatch(r"[0-9]{1,3}([.,][0-9]{3})+|[0-9]+", value):
        raise src.error(line, f"giá trị «{value}» ở cột «{column}» không phải là số nguyên.", column=column)
    return int(re.sub(r"[.,]", "", value))


def _numeric_code(src: _SourceText, line: int, column: str, value: str, length: int) -> str:
    """"1834.0" or "1834" → "01834": the mapping's codes went through a spreadsheet."""
    match = re.fullmatch(r"([0-9]+)(?:\.0+)?", value)
    if match is None:
        raise src.error(line, f"mã «{value}» ở cột «{column}» phải là số (ví dụ 1834 hoặc 1834.0).", column=column)
    digits = match.group(1).lstrip("0") or "0"
    if len(digits) > length:
        raise src.error(line, f"mã «{value}» ở cột «{column}» dài quá {length} chữ số.", column=column)
    return digits.zfill(length)


def _boolean(src: _SourceText, line: int, column: str, value: str) -> bool:
    if value in ("True", "true", "TRUE", "1"):
        return True
    if value in ("False", "false", "FALSE", "0"):
        return False
    raise src.error(line, f"giá trị «{value}» ở cột «{column}» phải là True hoặc False.", column=column)


def _parse_provinces(src: _SourceText) -> list[_ProvinceRow]:
    rows: list[_ProvinceRow] = []
    seen: dict[str, int] = {}
    for line, cells in _csv_rows(src, PROVINCES_COLUMNS):
        mahc = cells["mahc"]
        if not mahc.isascii() or not mahc.isdigit():
            raise src.error(line, f"mã «{mahc}» ở cột «mahc» phải là dãy chữ số.", column="mahc")
        if not cells["tentinh"]:
            raise src.error(line, "cột «tentinh» để trống.", column="tentinh")
        _vn_number(src, line, "dientichkm2", cells["dientichkm2"])
        _vn_number(src, line, "dansonguoi", cells["dansonguoi"])
        key = _province_key(cells["tentinh"])
        for value, other in ((mahc, seen.get(mahc)), (key, seen.get(key))):
            if other is not None:
                raise src.error(line, f"«{value}» trùng với dòng {other}.")
        seen[mahc] = seen[key] = line
        not_merged = fold(cells["truocsapnhap"]) == NOT_MERGED
        rows.append(_ProvinceRow(line, mahc, cells["tentinh"], key,
                                 [] if not_merged else _province_list(cells["truocsapnhap"]), not_merged,
                                 cells["con"]))
    return rows


def _parse_wards(src: _SourceText, provinces: dict[str, _ProvinceRow], warnings: list[str]) -> list[_WardRow]:
    by_key = {row.key: row for row in provinces.values()}
    rows: list[_WardRow] = []
    for line, cells in _csv_rows(src, WARDS_COLUMNS):
        province = provinces.get(cells["matinh"])
        if province is None:
            raise src.error(line, f"mã tỉnh «{cells['matinh']}» ở cột «matinh» không có trong tệp tỉnh.",
                            column="matinh")
        named = by_key.get(_province_key(cells["tentinh"]))
        if named is not None and named is not province:
            # The published file has such a row (a Lào Cai commune with Điện Biên's number): the name,
            # which agrees with the rows around it and with the mapping, wins.
            warnings.append(f"{src.where(line)}: cột «matinh» ghi «{cells['matinh']}» ({province.name}) nhưng cột "
                            f"«tentinh» ghi «{cells['tentinh']}»; dùng {named.name}.")
            province = named
        if not cells["tenhc"]:
            raise src.error(line, "cột «tenhc» để trống.", column="tenhc")
        rows.append(_WardRow(
            line, province.mahc, fold(cells["loai"]), cells["tenhc"],
            _count(src, line, "dansonguoi", cells["dansonguoi"]),
            _dot_decimal(src, line, "dientichkm2", cells["dientichkm2"]),
            _predecessor_names(cells["truocsapnhap"]),
        ))
    return rows


def _parse_mapping(src: _SourceText) -> list[_MapRow]:
    rows: list[_MapRow] = []
    seen: dict[tuple[str, str | None, str], int] = {}
    for line, c in _csv_rows(src, MAPPING_COLUMNS):
        old_province = _numeric_code(src, line, "provinceCode", c["provinceCode"], 2)
        old_district = _numeric_code(src, line, "districtCode", c["districtCode"], 3)
        old_ward = _numeric_code(src, line, "wardCode", c["wardCode"], 5) if c["wardCode"] else None
        _boolean(src, line, "isMergedProvince", c["isMergedProvince"])
        _boolean(src, line, "isMergedWard", c["isMergedWard"])
        divided = _boolean(src, line, "isDividedWard", c["isDividedWard"])
        new_province = _check_code(src, line, "newProvinceCode", c["newProvinceCode"], 2)
        new_ward = _check_code(src, line, "newWardCode", c["newWardCode"], 5)
        for column in ("newWard", "newWardShort", "newProvince"):
            if not c[column]:
                raise src.error(line, f"cột «{column}» để trống.", column=column)
        if old_ward is None and not c["district"]:
            raise src.error(line, "cột «wardCode» trống mà không có tên huyện ở cột «district».", column="wardCode")
        key = (old_district, old_ward, new_ward)
        if key in seen:
            raise src.error(line, f"cặp xã cũ «{old_ward or old_district}» → xã mới «{new_ward}» trùng với dòng "
                                  f"{seen[key]}.", code=new_ward)
        seen[key] = line
        rows.append(_MapRow(
            line, old_province, old_district, old_ward, c["province"], c["ward"] if old_ward else c["district"],
            divided, new_province, c["newProvince"], new_ward, c["newWard"], c["newWardShort"], c["newWardType"],
            _dot_decimal(src, line, "newWardAreaKm2", c["newWardAreaKm2"]),
        ))
    return rows


# ---------------------------------------------------------------------------
# Units as they stand


class _Units:
    """Every unit, read once: "the unit holding code X on day D" without a query per row."""

    def __init__(self, units: Iterable[OrgUnit]):
        self.all = list(units)
        self.by_pk = {unit.pk: unit for unit in self.all}
        self.by_code: dict[str, list[OrgUnit]] = defaultdict(list)
        for unit in self.all:
            self.by_code[unit.code].append(unit)

    def holding(self, code: str, kind: str, day: date) -> OrgUnit | None:
        for unit in self.by_code.get(code, ()):
            if unit.kind == kind and unit.is_valid_on(day):
                return unit
        return None

    def any_of(self, code: str, kind: str) -> OrgUnit | None:
        return next((unit for unit in self.by_code.get(code, ()) if unit.kind == kind), None)


def _kind_word(kind: str) -> str:
    words: dict[str, str] = {UnitKind.PROVINCE: "tỉnh", UnitKind.PEOPLES_COMMITTEE: "huyện", UnitKind.COMMUNE: "xã"}
    return words.get(kind, kind)


def _old_unit(units: _Units, src: _SourceText, row: _MapRow, code: str, kind: str, last_day: date,
              end: date | None) -> OrgUnit:
    """The unit holding `code` on `last_day`, whose validity may end on `end` (or not at all)."""
    unit = units.holding(code, kind, last_day)
    if unit is None:
        other = units.any_of(code, kind)
        if other is not None:
            raise src.error(
                row.line, f"{_kind_word(kind)} mã «{code}» («{other.name}») không còn hiệu lực ngày "
                f"{format_date(last_day)} (hiệu lực {format_date(other.valid_from) or '…'} – "
                f"{format_date(other.valid_to) or '…'}): xung đột ngày.", code=code, unit=other.pk,
            )
        raise src.error(
            row.line, f"{_kind_word(kind)} cũ mã «{code}» chưa có trong cơ sở dữ liệu; hãy nhập danh mục hành "
            "chính GSO trước (baocao units import-gso).", code=code,
        )
    if unit.valid_to is not None and unit.valid_to != end and end is not None:
        raise src.error(
            row.line, f"{_kind_word(kind)} «{unit.name}» (mã {code}) đã có ngày hết hiệu lực "
            f"{format_date(unit.valid_to)}, khác ngày {format_date(end)} của đợt sắp xếp: xung đột ngày.",
            code=code, unit=unit.pk,
        )
    return unit


def _new_unit(units: _Units, src: _SourceText, line: int, code: str, kind: str, first_day: date,
              ending: set[int]) -> OrgUnit | None:
    """The unit formed with `code` on `first_day` by an earlier run, or None; any other unit holding
    the code from that day on (not one this import ends the day before) is a date conflict."""
    reused: OrgUnit | None = None
    for unit in units.by_code.get(code, ()):
        if unit.pk in ending or (unit.valid_to is not None and unit.valid_to < first_day):
            continue
        if unit.kind == kind and unit.valid_from == first_day and unit.valid_to is None and reused is None:
            reused = unit
            continue
        raise src.error(
            line, f"mã «{code}» đã được dùng cho đơn vị «{unit.name}» (hiệu lực "
            f"{format_date(unit.valid_from) or '…'} – {format_date(unit.valid_to) or '…'}), trùng với đơn vị "
            f"mới từ ngày {format_date(first_day)}: xung đột ngày.", code=code, unit=unit.pk,
        )
    return reused


# ---------------------------------------------------------------------------
# Shares


def _apportion(weights: Sequence[Decimal]) -> list[Decimal]:
    """Shares proportional to `weights`, 8 decimals, adding up exactly to 1 (largest remainders)."""
    total = sum(weights, Decimal(0))
    if total <= 0:
        weights = [Decimal(1)] * len(weights)
        total = Decimal(len(weights))
    exact = [w / total for w in weights]
    shares = [value.quantize(SHARE_QUANTUM, rounding=ROUND_DOWN) for value in exact]
    left = int((Decimal(1) - sum(shares, Decimal(0))) / SHARE_QUANTUM)
    order = sorted(range(len(shares)), key=lambda i: (exact[i] - shares[i], exact[i]), reverse=True)
    for i in order[:left]:
        shares[i] += SHARE_QUANTUM
    for i, share in enumerate(shares):  # a share of 0 breaks the link's meaning: take a quantum from the largest
        if share <= 0:
            largest = max(range(len(shares)), key=lambda j: shares[j])
            shares[largest] -= SHARE_QUANTUM
            shares[i] = SHARE_QUANTUM
    return shares


# ---------------------------------------------------------------------------
# The import


def reorganisation_import_2025(
    *,
    acting_user,
    provinces_file: GsoSource,
    wards_file: GsoSource,
    mapping_file: GsoSource,
    dry_run: bool = False,
    province_basis: str = DEFAULT_PROVINCE_BASIS,
    ward_basis: str = DEFAULT_WARD_BASIS,
) -> ReorgImportResult:
    """Apply the 2025 reorganisation: 63 provinces → 34 on 12 June 2025, the district level ended
    and 10,035 communes → 3,321 on 1 July 2025, with one event per new unit and a link from each
    predecessor. The three files are read and checked in full first; a refused file writes nothing,
    and a second run changes nothing (events carry a `source_key`). `dry_run` checks and counts
    without writing."""
    provinces_src = _read_source(provinces_file, PROVINCES_LABEL)
    wards_src = _read_source(wards_file, WARDS_LABEL)
    mapping_src = _read_source(mapping_file, MAPPING_LABEL)
    province_rows = _parse_provinces(provinces_src)
    provinces_by_mahc = {row.mahc: row for row in province_rows}
    warnings: list[str] = []
    ward_rows = _parse_wards(wards_src, provinces_by_mahc, warnings)
    map_rows = _parse_mapping(mapping_src)
    if not map_rows:
        raise mapping_src.error(None, "tệp không có dòng dữ liệu nào.")

    with transaction.atomic():
        units = _Units(OrgUnit.objects.select_for_update().all() if not dry_run else OrgUnit.objects.all())
        importer = _Importer(acting_user=acting_user, units=units, provinces_src=provinces_src, wards_src=wards_src,
                             mapping_src=mapping_src, province_basis=province_basis, ward_basis=ward_basis,
                             warnings=warnings)
        importer.plan(province_rows, ward_rows, map_rows)
        if dry_run:
            return importer.result(dry_run=True)
        importer.write()
        return importer.result(dry_run=False)


class _Importer:
    def __init__(self, *, acting_user, units: _Units, provinces_src: _SourceText, wards_src: _SourceText,
                 mapping_src: _SourceText, province_basis: str, ward_basis: str, warnings: list[str]):
        self.user = acting_user
        self.units = units
        self.provinces_src = provinces_src
        self.wards_src = wards_src
        self.mapping_src = mapping_src
        self.province_basis = province_basis
        self.ward_basis = ward_basis
        self.warnings = warnings
        self.done_keys = set(ReorgEvent.objects.filter(source_key__startswith=SOURCE_PREFIX)
                             .values_list("source_key", flat=True))
        # Filled by plan():
        self.kept: dict[str, OrgUnit] = {}  # new province code → the continuing unit
        self.merged: dict[str, tuple[str, list[OrgUnit], OrgUnit | None, int]] = {}  # code → (name, olds, reused, line)
        self.new_wards: dict[str, _NewWard] = {}
        self.links: dict[str, list[_Link]] = {}
        self.to_end: dict[int, tuple[OrgUnit, date]] = {}
        self.reparent: dict[str, list[OrgUnit]] = {}  # new province code → districts moving under it
        self.counts: dict[str, int] | None = None  # what write() wrote

    # -- planning -------------------------------------------------------

    def plan(self, province_rows: list[_ProvinceRow], ward_rows: list[_WardRow], map_rows: list[_MapRow]) -> None:
        province_of_code = self._match_provinces(province_rows, map_rows)
        self._match_wards(ward_rows, map_rows, province_of_code)
        self._plan_provinces(province_rows, map_rows, province_of_code)
        self._plan_wards(map_rows)
        self._check_cycles()
        self._compare_texts(province_rows, province_of_code)

    def _match_provinces(self, province_rows: list[_ProvinceRow], map_rows: list[_MapRow]) -> dict[str, _ProvinceRow]:
        by_key = {row.key: row for row in province_rows}
        found: dict[str, _ProvinceRow] = {}
        for row in map_rows:
            if row.new_province_code in found:
                if found[row.new_province_code].key != _province_key(row.new_province_name):
                    raise self.mapping_src.error(
                        row.line, f"tỉnh mới mã «{row.new_province_code}» mang tên «{row.new_province_name}», khác "
                        f"tên «{found[row.new_province_code].name}» ở các dòng trước.", code=row.new_province_code)
                continue
            province = by_key.get(_province_key(row.new_province_name))
            if province is None:
                raise self.mapping_src.error(
                    row.line, f"tỉnh mới «{row.new_province_name}» không có trong {self.provinces_src.where()}.",
                    code=row.new_province_code)
            found[row.new_province_code] = province
        matched = {row.key for row in found.values()}
        for province in province_rows:
            if province.key not in matched:
                raise self.provinces_src.error(
                    province.line, f"tỉnh «{province.name}» không có xã nào trong {self.mapping_src.where()}.")
        return found

    def _match_wards(self, ward_rows: list[_WardRow], map_rows: list[_MapRow],
                     province_of_code: dict[str, _ProvinceRow]) -> None:
        for row in map_rows:
            ward = self.new_wards.get(row.new_ward_code)
            if ward is None:
                self.new_wards[row.new_ward_code] = _NewWard(row.new_ward_code, row.new_ward_name,
                                                             row.new_province_code, [row])
                continue
            if ward.province_code != row.new_province_code or fold(ward.name) != fold(row.new_ward_name):
                first = ward.rows[0]
                raise self.mapping_src.error(
                    row.line, f"xã mới mã «{row.new_ward_code}» ghi «{row.new_ward_name}» tỉnh "
                    f"«{row.new_province_code}», khác dòng {first.line} («{first.new_ward_name}» tỉnh "
                    f"«{first.new_province_code}»).", code=row.new_ward_code)
            ward.rows.append(row)

        exact: dict[tuple[str, str, str], _WardRow] = {}
        folded: dict[tuple[str, str, str], list[_WardRow]] = defaultdict(list)
        for ward_row in ward_rows:
            key = (ward_row.mahc, ward_row.kind_key, _name_key(ward_row.short_name))
            if key in exact:
                raise self.wards_src.error(ward_row.line, f"«{ward_row.short_name}» trùng với dòng "
                                                          f"{exact[key].line} (cùng tỉnh, cùng loại).")
            exact[key] = ward_row
            folded[(key[0], key[1], fold(key[2]))].append(ward_row)
        used: dict[int, _NewWard] = {}
        pending: list[_NewWard] = []
        for ward in self.new_wards.values():
            first = ward.rows[0]
            key = (province_of_code[ward.province_code].mahc, fold(first.new_ward_type), _name_key(first.new_ward_short))
            ward.ward_row = exact.get(key)
            if ward.ward_row is None:
                pending.append(ward)
            else:
                used[ward.ward_row.line] = ward
        for ward in pending:  # then accent-insensitive, where that is unambiguous
            first = ward.rows[0]
            key = (province_of_code[ward.province_code].mahc, fold(first.new_ward_type),
                   fold(_name_key(first.new_ward_short)))
            candidates = [w for w in folded.get(key, []) if w.line not in used]
            if len(candidates) != 1:
                raise self.mapping_src.error(
                    first.line, f"xã mới «{ward.name}» (mã {ward.code}) không có trong {self.wards_src.where()}.",
                    code=ward.code)
            ward.ward_row = candidates[0]
            used[candidates[0].line] = ward
        for ward_row in ward_rows:
            if ward_row.line not in used:
                raise self.wards_src.error(
                    ward_row.line, f"đơn vị «{ward_row.short_name}» không có trong "
                    f"{self.mapping_src.where()}.")

    def _plan_provinces(self, province_rows: list[_ProvinceRow], map_rows: list[_MapRow],
                        province_of_code: dict[str, _ProvinceRow]) -> None:
        olds: dict[str, dict[str, _MapRow]] = defaultdict(dict)  # new code → old code → first row
        for row in map_rows:
            olds[row.new_province_code].setdefault(row.old_province, row)
        where_old: dict[str, str] = {}
        for new_code, old_rows in olds.items():
            for old_code, row in old_rows.items():
                if old_code in where_old and where_old[old_code] != new_code:
                    raise self.mapping_src.error(
                        row.line, f"tỉnh cũ mã «{old_code}» được sáp nhập vào hai tỉnh mới («{where_old[old_code]}» "
                        f"và «{new_code}»).", code=old_code)
                where_old[old_code] = new_code
        for new_code, old_rows in olds.items():
            province = province_of_code[new_code]
            first = next(iter(old_rows.values()))
            if set(old_rows) == {new_code} and province.not_merged:
                self.kept[new_code] = _old_unit(self.units, self.mapping_src, first, new_code, UnitKind.PROVINCE,
                                                PROVINCE_LAST_DAY, None)
                continue
            old_units = [_old_unit(self.units, self.mapping_src, row, old_code, UnitKind.PROVINCE, PROVINCE_LAST_DAY,
                                   PROVINCE_LAST_DAY) for old_code, row in old_rows.items()]
            for unit in old_units:
                self.to_end[unit.pk] = (unit, PROVINCE_LAST_DAY)
            self.merged[new_code] = (first.new_province_name, old_units, None, first.line)
        for new_code, (name, old_units, _, line) in self.merged.items():
            ending = {unit.pk for unit in old_units} | {pk for pk, (_, day) in self.to_end.items()
                                                        if day == PROVINCE_LAST_DAY}
            reused = _new_unit(self.units, self.mapping_src, line, new_code, UnitKind.PROVINCE, PROVINCE_FIRST_DAY,
                               ending)
            self.merged[new_code] = (name, old_units, reused, line)

    def _plan_wards(self, map_rows: list[_MapRow]) -> None:
        by_predecessor: dict[int, list[_MapRow]] = defaultdict(list)
        predecessor_unit: dict[int, OrgUnit] = {}
        moving: dict[int, str] = {}  # district pk → new province code, for merged provinces
        for row in map_rows:
            district = _old_unit(self.units, self.mapping_src, row, row.old_district, UnitKind.PEOPLES_COMMITTEE,
                                 COMMUNE_LAST_DAY, COMMUNE_LAST_DAY)
            self.to_end[district.pk] = (district, COMMUNE_LAST_DAY)
            if row.new_province_code in self.merged:
                moving[district.pk] = row.new_province_code
            if row.old_ward is None:
                unit = district
            else:
                unit = _old_unit(self.units, self.mapping_src, row, row.old_ward, UnitKind.COMMUNE, COMMUNE_LAST_DAY,
                                 COMMUNE_LAST_DAY)
                self.to_end[unit.pk] = (unit, COMMUNE_LAST_DAY)
            by_predecessor[unit.pk].append(row)
            predecessor_unit[unit.pk] = unit
        for pk, new_code in moving.items():
            self.reparent.setdefault(new_code, []).append(self.units.by_pk[pk])
        # Whatever else the absorbed provinces held and goes on after 11 June (a department, an
        # enterprise) moves with the districts: nothing stays under a province that ended.
        old_to_new = {unit.pk: code for code, (_, old_units, _, _) in self.merged.items() for unit in old_units}
        for unit in self.units.all:
            code = old_to_new.get(unit.parent_id) if unit.parent_id else None
            if (code is not None and unit.pk not in moving and unit.kind != UnitKind.PROVINCE
                    and (unit.valid_to is None or unit.valid_to > PROVINCE_LAST_DAY)
                    and (unit.valid_from is None or unit.valid_from <= PROVINCE_LAST_DAY)):
                self.reparent.setdefault(code, []).append(unit)

        ending = {pk for pk, (_, day) in self.to_end.items() if day == COMMUNE_LAST_DAY}
        for ward in self.new_wards.values():
            ward.unit = _new_unit(self.units, self.mapping_src, ward.rows[0].line, ward.code, UnitKind.COMMUNE,
                                  COMMUNE_FIRST_DAY, ending)
            self.links[ward.code] = []
        for pk, rows in by_predecessor.items():
            unit = predecessor_unit[pk]
            if len(rows) == 1:
                self.links[rows[0].new_ward_code].append(_Link(unit, Decimal(1), ShareMethod.WHOLE, rows[0].line))
                continue
            if not all(row.divided for row in rows):
                raise self.mapping_src.error(
                    rows[-1].line, f"đơn vị cũ «{unit.name}» (mã {unit.code}) được chuyển nguyên vẹn vào "
                    f"{len(rows)} xã mới (dòng {', '.join(str(r.line) for r in rows)}) mà không đánh dấu "
                    f"isDividedWard=True: tổng tỷ lệ là {len(rows)}, phải bằng 1.", code=unit.code)
            targets = [self.new_wards[row.new_ward_code] for row in rows]
            populations = [t.ward_row.population if t.ward_row else None for t in targets]
            if all(p is not None for p in populations):
                weights = [Decimal(p or 0) for p in populations]
                method = ShareMethod.POPULATION
            else:
                areas = [(t.ward_row.area if t.ward_row else None) or row.new_area for t, row in zip(targets, rows,
                                                                                                   strict=True)]
                weights = [a or Decimal(0) for a in areas]
                method = ShareMethod.AREA
            shares = _apportion(weights)
            if sum(shares, Decimal(0)) != 1:  # pragma: no cover - _apportion guarantees it
                raise self.mapping_src.error(rows[0].line, f"tổng tỷ lệ của «{unit.name}» khác 1.", code=unit.code)
            for row, share in zip(rows, shares, strict=True):
                self.links[row.new_ward_code].append(_Link(unit, share, method, row.line))

    def _check_cycles(self) -> None:
        """Predecessors are units before the change and successors units after it: a unit on both
        sides (through this import or links already stored) would make the lineage a loop."""
        edges: dict[object, set[object]] = defaultdict(set)
        line_of: dict[object, int] = {}
        for code, links in self.links.items():
            ward = self.new_wards[code]
            target: object = ward.unit.pk if ward.unit is not None else ("new", code)
            for link in links:
                edges[link.predecessor.pk].add(target)
                line_of[link.predecessor.pk] = link.line
        for code, (_, old_units, reused, line) in self.merged.items():
            target = reused.pk if reused is not None else ("province", code)
            for unit in old_units:
                edges[unit.pk].add(target)
                line_of.setdefault(unit.pk, line)
        reused_pks = [node for targets in edges.values() for node in targets if isinstance(node, int)]
        for start in range(0, len(reused_pks), BULK_CHUNK):
            part = reused_pks[start:start + BULK_CHUNK]
            for pred, succ in UnitLink.objects.filter(predecessor_id__in=part).exclude(
                    predecessor_id=F("successor_id")).values_list("predecessor_id", "successor_id"):
                edges[pred].add(succ)
        state: dict[object, int] = {}
        for root in list(edges):
            if root in state:
                continue
            stack: list[tuple[object, Iterator[object]]] = [(root, iter(edges.get(root, ())))]
            state[root] = 1
            while stack:
                node, children = stack[-1]
                child = next(children, None)
                if child is None:
                    state[node] = 2
                    stack.pop()
                    continue
                if state.get(child) == 1:
                    looped = self.units.by_pk.get(child) if isinstance(child, int) else None
                    raise self.mapping_src.error(
                        line_of.get(child) or line_of.get(root),
                        f"vòng lặp kế thừa: đơn vị «{looped.name if looped else child}» vừa là đơn vị trước vừa là "
                        "đơn vị sau sắp xếp.", unit=child if isinstance(child, int) else None)
                if child not in state:
                    state[child] = 1
                    stack.append((child, iter(edges.get(child, ()))))

    # -- comparing the two descriptions ----------------------------------

    def _compare_texts(self, province_rows: list[_ProvinceRow], province_of_code: dict[str, _ProvinceRow]) -> None:
        for ward in self.new_wards.values():
            ward_row = ward.ward_row
            if ward_row is None:
                continue
            text_names = sorted(name for name, _ in ward_row.predecessors)
            mapped = sorted(_compare_key(row.old_name) for row in ward.rows)
            if text_names == [NOT_MERGED] and len(mapped) == 1:  # "không sáp nhập": the commune goes on
                continue
            if text_names != mapped:
                missing = sorted(set(mapped) - set(text_names))
                extra = sorted(set(text_names) - set(mapped))
                detail = f"tệp xã ghi {len(text_names)} đơn vị trước sắp xếp, tệp ánh xạ có {len(mapped)}"
                if missing:
                    detail += f"; chỉ trong tệp ánh xạ: {', '.join(missing)}"
                if extra:
                    detail += f"; chỉ trong tệp xã: {', '.join(extra)}"
                self.warnings.append(f"{ward.name} (mã {ward.code}, {self.wards_src.where(ward_row.line)}): {detail}.")
            partial_text = {name for name, partial in ward_row.predecessors if partial}
            not_divided = sorted(name for name in partial_text
                                 if any(_compare_key(r.old_name) == name and not r.divided for r in ward.rows))
            if not_divided:
                self.warnings.append(
                    f"{ward.name} (mã {ward.code}, {self.wards_src.where(ward_row.line)}): tệp xã ghi nhận một phần "
                    f"của {', '.join(not_divided)} nhưng tệp ánh xạ không đánh dấu isDividedWard.")

        old_names: dict[str, set[str]] = defaultdict(set)
        counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        for ward in self.new_wards.values():
            counts[ward.province_code][fold(ward.rows[0].new_ward_type)] += 1
            for row in ward.rows:
                old_names[row.new_province_code].add(_province_key(row.old_province_name))
        for code, province in province_of_code.items():
            expected = {province.key} if province.not_merged else set(province.predecessor_keys)
            if expected != old_names[code]:
                self.warnings.append(
                    f"{province.name} ({self.provinces_src.where(province.line)}): cột «truocsapnhap» ghi "
                    f"{', '.join(sorted(expected))}; tệp ánh xạ có {', '.join(sorted(old_names[code]))}.")
            self._compare_con(province, counts[code])

    def _compare_con(self, province: _ProvinceRow, counts: dict[str, int]) -> None:
        text = fold(province.con_text)
        match = re.match(r"(\d+)\s*dvhc", text)
        total = sum(counts.values())
        if match is None:
            self.warnings.append(f"{province.name} ({self.provinces_src.where(province.line)}): không đọc được số "
                                 f"đơn vị cấp xã ở cột «con» («{province.con_text}»).")
            return
        stated = {kind: int(number) for number, kind in re.findall(r"(\d+)\s+(phuong|xa|dac khu)", text)}
        actual = {kind: n for kind, n in counts.items() if n}
        if int(match.group(1)) != total or (stated and stated != actual):
            described = ", ".join(f"{n} {kind}" for kind, n in sorted(actual.items()))
            self.warnings.append(
                f"{province.name} ({self.provinces_src.where(province.line)}): cột «con» ghi «{province.con_text}», "
                f"tệp ánh xạ có {total} đơn vị ({described}).")

    # -- counts -----------------------------------------------------------

    def _pending(self) -> dict[str, int]:
        provinces_new = sum(1 for _, _, reused, _ in self.merged.values() if reused is None)
        communes_new = sum(1 for ward in self.new_wards.values() if ward.unit is None)
        ended = sum(1 for unit, day in self.to_end.values() if unit.valid_to != day)
        reparented = sum(1 for code, districts in self.reparent.items() for d in districts
                         if self._reparent_needed(code, d))
        events = links = estimated = 0
        for code, (_, old_units, _, _) in self.merged.items():
            if f"{SOURCE_PREFIX}province:{code}" not in self.done_keys:
                events += 1
                links += len(old_units)
            if f"{SOURCE_PREFIX}reparent:{code}" not in self.done_keys and self.reparent.get(code):
                events += 1
                links += len(self.reparent[code])
        for code, ward_links in self.links.items():
            if f"{SOURCE_PREFIX}ward:{code}" not in self.done_keys:
                events += 1
                links += len(ward_links)
                estimated += sum(1 for link in ward_links if link.share != 1)
        return {"provinces_created": provinces_new, "communes_created": communes_new, "units_ended": ended,
                "units_reparented": reparented, "events_created": events, "links_created": links,
                "estimated_links": estimated}

    def _reparent_needed(self, code: str, district: OrgUnit) -> bool:
        _, old_units, reused, _ = self.merged[code]
        return reused is None or district.parent_id != reused.pk

    def result(self, *, dry_run: bool) -> ReorgImportResult:
        counts = self.counts if self.counts is not None else self._pending()
        return ReorgImportResult(provinces_kept=len(self.kept), warnings=tuple(self.warnings), dry_run=dry_run,
                                 **counts)

    # -- writing ----------------------------------------------------------

    def write(self) -> None:
        self.counts = counts = self._pending()
        audit: list[AuditEvent] = []
        # 1. Old merged provinces end on 11 June, before the new ones take their codes on 12 June.
        provinces_ending = [u for u, day in self.to_end.values() if day == PROVINCE_LAST_DAY and u.valid_to != day]
        self._end(provinces_ending, PROVINCE_LAST_DAY, audit)
        new_provinces: dict[str, OrgUnit] = {}
        to_create: list[OrgUnit] = []
        for code, (name, old_units, reused, _) in self.merged.items():
            if reused is not None:
                new_provinces[code] = reused
                continue
            parent = self.units.by_pk.get(old_units[0].parent_id) if old_units[0].parent_id else None
            unit = OrgUnit(code=code, name=name, kind=UnitKind.PROVINCE, parent=parent,
                           depth=parent.depth + 1 if parent else 0, valid_from=PROVINCE_FIRST_DAY,
                           search_text=_search_text(code, name, ""))
            new_provinces[code] = unit
            to_create.append(unit)
        self._create(to_create, audit)

        events: list[ReorgEvent] = []
        pending_links: list[tuple[ReorgEvent, list[UnitLink]]] = []
        for code, (_, old_units, _, _) in self.merged.items():
            key = f"{SOURCE_PREFIX}province:{code}"
            if key in self.done_keys:
                continue
            event = ReorgEvent(kind=ReorgKind.MERGE, effective=PROVINCE_FIRST_DAY, legal_basis=self.province_basis,
                               note=f"Sáp nhập thành {new_provinces[code].name}", source_key=key,
                               created_by=self.user)
            events.append(event)
            pending_links.append((event, [
                UnitLink(predecessor=unit, successor=new_provinces[code], share=Decimal(1), method=ShareMethod.WHOLE,
                         effective=PROVINCE_FIRST_DAY) for unit in old_units]))

        # 2. District-level units (and the other units) of merged provinces move under the new province
        #    on 12 June.
        moved: list[OrgUnit] = []
        for code, districts in self.reparent.items():
            new_province = new_provinces[code]
            key = f"{SOURCE_PREFIX}reparent:{code}"
            reparent_links: list[UnitLink] = []
            for district in districts:
                if district.parent_id == new_province.pk:
                    continue
                before = self.units.by_pk.get(district.parent_id) if district.parent_id else None
                reparent_links.append(UnitLink(predecessor=district, successor=district, share=Decimal(1),
                                               method=ShareMethod.WHOLE, effective=PROVINCE_FIRST_DAY,
                                               parent_before=before, parent_after=new_province))
                audit.append(AuditEvent(actor=self.user, action=AuditAction.ORGUNIT_MOVE, entity=ENTITY,
                                        entity_id=district.pk, unit=district, field="parent",
                                        old_value=before.name if before else "", new_value=new_province.name,
                                        comment=COMMENT))
                district.parent = new_province
                moved.append(district)
            if reparent_links and key not in self.done_keys:
                event = ReorgEvent(kind=ReorgKind.REPARENT, effective=PROVINCE_FIRST_DAY,
                                   legal_basis=self.province_basis,
                                   note=f"Chuyển các đơn vị trực thuộc về {new_province.name}", source_key=key,
                                   created_by=self.user)
                events.append(event)
                pending_links.append((event, reparent_links))
        self._move(moved)

        # 3. Old communes and the district level end on 30 June; new communes start on 1 July.
        self._end([u for u, day in self.to_end.values() if day == COMMUNE_LAST_DAY and u.valid_to != day],
                  COMMUNE_LAST_DAY, audit)
        communes: list[OrgUnit] = []
        for ward in self.new_wards.values():
            if ward.unit is not None:
                continue
            parent = new_provinces.get(ward.province_code) or self.kept[ward.province_code]
            ward.unit = OrgUnit(code=ward.code, name=ward.name, kind=UnitKind.COMMUNE, parent=parent,
                                depth=parent.depth + 1, valid_from=COMMUNE_FIRST_DAY,
                                search_text=_search_text(ward.code, ward.name, ""))
            communes.append(ward.unit)
        self._create(communes, audit)
        for code, ward_links in self.links.items():
            key = f"{SOURCE_PREFIX}ward:{code}"
            if key in self.done_keys:
                continue
            ward = self.new_wards[code]
            assert ward.unit is not None
            event = ReorgEvent(kind=ReorgKind.MERGE, effective=COMMUNE_FIRST_DAY, legal_basis=self.ward_basis,
                               note=f"Sắp xếp thành {ward.name}", source_key=key, created_by=self.user)
            events.append(event)
            pending_links.append((event, [
                UnitLink(predecessor=link.predecessor, successor=ward.unit, share=link.share, method=link.method,
                         effective=COMMUNE_FIRST_DAY) for link in ward_links]))

        ReorgEvent.objects.bulk_create(events, batch_size=BULK_CHUNK)
        if any(event.pk is None for event in events):  # pragma: no cover - SQLite < 3.35 returns no ids
            ids = dict(ReorgEvent.objects.filter(source_key__in=[e.source_key for e in events])
                       .values_list("source_key", "pk"))
            for event in events:
                event.pk = ids[event.source_key]
        all_links: list[UnitLink] = []
        for event, event_links in pending_links:
            for link in event_links:
                link.event = event
            all_links += event_links
        UnitLink.objects.bulk_create(all_links, batch_size=BULK_CHUNK)
        AuditEvent.objects.bulk_create(audit, batch_size=BULK_CHUNK)
        if any(counts.values()):
            c = counts
            audit_record(actor=self.user, action=AuditAction.ORGUNIT_REORGANISE, entity=ENTITY, entity_id=0,
                         comment=f"{COMMENT}: {c['provinces_created']} tỉnh mới, {len(self.kept)} tỉnh giữ nguyên, "
                                 f"{c['communes_created']} xã mới, {c['units_ended']} đơn vị hết hiệu lực, "
                                 f"{c['units_reparented']} đơn vị chuyển cấp trên, {c['events_created']} sự kiện, "
                                 f"{c['links_created']} liên kết ({c['estimated_links']} ước tính).")

    def _create(self, units: list[OrgUnit], audit: list[AuditEvent]) -> None:
        if not units:
            return
        OrgUnit.objects.bulk_create(units, batch_size=BULK_CHUNK)
        if any(unit.pk is None for unit in units):  # pragma: no cover - SQLite < 3.35 returns no ids
            raise RuntimeError("bulk_create returned no ids; SQLite >= 3.35 or PostgreSQL is required")
        for unit in units:
            unit.path = _child_path(unit.parent, unit.pk)
            self.units.by_pk[unit.pk] = unit
        OrgUnit.objects.bulk_update(units, ["path"], batch_size=BULK_CHUNK)
        audit.extend(AuditEvent(actor=self.user, action=AuditAction.ORGUNIT_CREATE, entity=ENTITY, entity_id=unit.pk,
                                unit=unit, new_value=f"{unit.code} – {unit.name}", comment=COMMENT) for unit in units)

    def _end(self, units: list[OrgUnit], day: date, audit: list[AuditEvent]) -> None:
        pks = [unit.pk for unit in units]
        for start in range(0, len(pks), BULK_CHUNK):
            OrgUnit.objects.filter(pk__in=pks[start:start + BULK_CHUNK]).update(valid_to=day)
        for unit in units:
            audit.append(AuditEvent(actor=self.user, action=AuditAction.ORGUNIT_CLOSE, entity=ENTITY,
                                    entity_id=unit.pk, unit=unit, field="valid_to",
                                    old_value=unit.valid_to.isoformat() if unit.valid_to else "",
                                    new_value=day.isoformat(), comment=COMMENT))
            unit.valid_to = day

    def _move(self, districts: list[OrgUnit]) -> None:
        """New parent for each district and new paths for its whole subtree, computed from the units
        read at the start and written in chunks (no query per unit)."""
        if not districts:
            return
        prefixes: dict[str, tuple[str, int]] = {}
        for district in districts:
            parent = district.parent
            assert parent is not None
            prefixes[district.path] = (_child_path(parent, district.pk), parent.depth + 1 - district.depth)
        changed: list[OrgUnit] = []
        for unit in self.units.all:
            path = unit.path
            cut = path.find(PATH_SEPARATOR, 1)
            # A district's path is its province's path plus its id: try the prefixes of each length.
            while cut != -1:
                prefix = path[: cut + 1]
                if prefix in prefixes:
                    new_prefix, delta = prefixes[prefix]
                    unit.path = new_prefix + path[cut + 1:]
                    unit.depth += delta
                    changed.append(unit)
                    break
                cut = path.find(PATH_SEPARATOR, cut + 1)
        # The districts are among `changed` (a path starts with itself) and carry their new parent.
        OrgUnit.objects.bulk_update(changed, ["path", "depth", "parent"], batch_size=BULK_CHUNK)
        unit_paths_changed.send(sender=OrgUnit, paths=[new for new, _ in prefixes.values()])
