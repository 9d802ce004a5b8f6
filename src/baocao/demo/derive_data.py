"""Derive the demo's committed extract of the GSO catalogue (Bắc Kạn, province code 06).

Run by developers from a checkout that has the shared reference data beside it::

    python src/baocao/demo/derive_data.py            # reads ../shared/data, writes src/baocao/demo/data
    python src/baocao/demo/derive_data.py --source /path/to/shared/data

It is never run at run time: a fresh install has no ``../shared``; the product reads only the
extract in ``data/``. The extract keeps the GSO export's own format (UTF-8 BOM, Vietnamese
header, original line text) so the demo goes through the same importer as a real catalogue.
"""

from __future__ import annotations

import argparse
import csv
import io
from pathlib import Path

PROVINCE_CODE = "06"
HERE = Path(__file__).resolve().parent
DEFAULT_SOURCE = HERE.parents[2].parent / "shared" / "data"
FILES = {
    "gso-districts-legacy-2025-07-18.csv": ("gso-districts-bac-kan.csv", "Mã TP"),
    "gso-wards-legacy-2025-07-18.csv": ("gso-wards-bac-kan.csv", "Mã TP"),
}
BOM = "\ufeff"


def extract(source: Path, province_code: str = PROVINCE_CODE) -> dict[str, str]:
    """Output file name -> text (header and the province's lines, exactly as in the source)."""
    result: dict[str, str] = {}
    for source_name, (target_name, column) in FILES.items():
        text = (source / source_name).read_text(encoding="utf-8-sig")
        lines = text.splitlines()
        header = next(csv.reader([lines[0]]))
        position = header.index(column)
        kept = [lines[0]]
        for line in lines[1:]:
            cells = next(csv.reader(io.StringIO(line)), [])
            if len(cells) > position and cells[position] == province_code:
                kept.append(line)
        result[target_name] = BOM + "\n".join(kept) + "\n"
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE, help="folder of the GSO CSV exports")
    parser.add_argument("--target", type=Path, default=HERE / "data", help="folder to write the extract to")
    args = parser.parse_args()
    args.target.mkdir(parents=True, exist_ok=True)
    for name, text in extract(args.source).items():
        (args.target / name).write_text(text, encoding="utf-8", newline="")
        print(f"{args.target / name}: {text.count(chr(10)) - 1} dòng dữ liệu")


if __name__ == "__main__":
    main()
