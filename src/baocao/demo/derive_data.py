"""Derive the demo's committed extracts from the shared reference data.

Run by developers from a checkout that has the shared reference data beside it::

    python src/baocao/demo/derive_data.py            # reads ../shared/data, writes src/baocao/demo/data
    python src/baocao/demo/derive_data.py --source /path/to/shared/data

It is never run at run time: a fresh install has no ``../shared``; the product reads only the
extracts in ``data/``. Each extract keeps its source's own format (BOM or none, header and record
text exactly as published) so the demo goes through the same importers as the real files:

- the GSO catalogue of Bắc Kạn (old province 06) and of old Thái Nguyên (19), the two provinces
  that became the new Thái Nguyên on 12 June 2025;
- the three files of the 2025 reorganisation, restricted to the new province 19: its row of
  ``provinces-2025-merger.csv``, its communes in ``wards-2025-with-predecessors.csv`` and the rows of
  ``wards-legacy-to-2025.csv`` whose new province is 19.
"""

from __future__ import annotations

import argparse
import csv
import io
from collections.abc import Callable, Iterator
from pathlib import Path

PROVINCE_CODE = "06"
THAI_NGUYEN_CODE = "19"
NEW_PROVINCE_CODE = "19"
HERE = Path(__file__).resolve().parent
DEFAULT_SOURCE = HERE.parents[2].parent / "shared" / "data"
GSO_DISTRICTS = "gso-districts-legacy-2025-07-18.csv"
GSO_WARDS = "gso-wards-legacy-2025-07-18.csv"
GSO_FILES = {
    # source file, province code -> target file
    (GSO_DISTRICTS, PROVINCE_CODE): "gso-districts-bac-kan.csv",
    (GSO_WARDS, PROVINCE_CODE): "gso-wards-bac-kan.csv",
    (GSO_DISTRICTS, THAI_NGUYEN_CODE): "gso-districts-thai-nguyen.csv",
    (GSO_WARDS, THAI_NGUYEN_CODE): "gso-wards-thai-nguyen.csv",
}
PROVINCES = "provinces-2025-merger.csv"
WARDS = "wards-2025-with-predecessors.csv"
MAPPING = "wards-legacy-to-2025.csv"
REORG_TARGETS = {
    PROVINCES: "provinces-2025-merger-thai-nguyen.csv",
    WARDS: "wards-2025-with-predecessors-thai-nguyen.csv",
    MAPPING: "wards-legacy-to-2025-thai-nguyen.csv",
}
BOM = "\ufeff"


def _records(text: str) -> Iterator[tuple[str, dict[str, str]]]:
    """(record text as written, cells by column) for each data record; a quoted cell may hold a line
    break, so a record may span several lines."""
    lines = text.split("\n")
    header = next(csv.reader([lines[0]]))
    pending: list[str] = []
    for line in lines[1:]:
        pending.append(line)
        raw = "\n".join(pending)
        if raw.count('"') % 2:  # inside a quoted cell: the record goes on on the next line
            continue
        pending = []
        if not raw:
            continue
        cells = next(csv.reader(io.StringIO(raw)), [])
        yield raw, dict(zip(header, cells, strict=False))


def _keep(text: str, wanted: Callable[[dict[str, str]], bool]) -> str:
    """The header and the records `wanted` accepts, exactly as written, with the source's BOM (or none)."""
    bom = BOM if text.startswith(BOM) else ""
    body = text[len(bom):]
    header = body.split("\n", 1)[0]
    kept = [header] + [raw for raw, cells in _records(body) if wanted(cells)]
    return bom + "\n".join(kept) + "\n"


def _fold(text: str) -> str:
    return " ".join(text.lower().split())


def _in_province(code: str) -> Callable[[dict[str, str]], bool]:
    return lambda cells: cells.get("Mã TP") == code


def extract(source: Path) -> dict[str, str]:
    """Output file name -> text."""
    result: dict[str, str] = {}
    for (source_name, province), target_name in GSO_FILES.items():
        text = (source / source_name).read_text(encoding="utf-8")
        result[target_name] = _keep(text, _in_province(province))

    mapping_text = (source / MAPPING).read_text(encoding="utf-8")
    result[REORG_TARGETS[MAPPING]] = _keep(mapping_text, lambda c: c.get("newProvinceCode") == NEW_PROVINCE_CODE)
    names = {_fold(cells["newProvince"]) for _, cells in _records(mapping_text.lstrip(BOM))
             if cells.get("newProvinceCode") == NEW_PROVINCE_CODE}
    provinces_text = (source / PROVINCES).read_text(encoding="utf-8")
    numbers = {cells["mahc"] for _, cells in _records(provinces_text.lstrip(BOM)) if _fold(cells["tentinh"]) in names}
    if len(numbers) != 1:
        raise SystemExit(f"{PROVINCES}: expected one row for new province {NEW_PROVINCE_CODE}, found {len(numbers)}")
    result[REORG_TARGETS[PROVINCES]] = _keep(provinces_text, lambda c: c.get("mahc") in numbers)
    # The wards file numbers provinces by the provinces file's `mahc`; its province name decides
    # where the two disagree (as the importer does).
    wards_text = (source / WARDS).read_text(encoding="utf-8")
    result[REORG_TARGETS[WARDS]] = _keep(
        wards_text, lambda c: c.get("matinh") in numbers or _fold(c.get("tentinh", "")) in names)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE, help="folder of the shared reference data")
    parser.add_argument("--target", type=Path, default=HERE / "data", help="folder to write the extracts to")
    args = parser.parse_args()
    args.target.mkdir(parents=True, exist_ok=True)
    for name, text in extract(args.source).items():
        (args.target / name).write_text(text, encoding="utf-8", newline="")
        print(f"{args.target / name}: {sum(1 for _ in _records(text.lstrip(BOM)))} bản ghi dữ liệu")


if __name__ == "__main__":
    main()
