"""A national report over the real 2025 list (34 provinces, 3,321 communes), two sentences each drawn
from a few templates: grouped by province, no commune lost from an attribution, tables by province."""

from __future__ import annotations

import csv
import random
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from baocao.consolidation import compose as c
from baocao.consolidation.grouping import Consolidation, group_texts

WARDS = Path(__file__).resolve().parents[1] / "data" / "reorg" / "wards-2025-with-predecessors.csv"

FIRST = (
    "{Kind} đã tổ chức tuyên truyền về chuyển đổi số cho {n} hộ gia đình.",
    "Trong kỳ, {kind} đã tổ chức tuyên truyền chuyển đổi số tới {n} hộ gia đình.",
    "{Kind} đã tuyên truyền về chuyển đổi số đến {n} hộ gia đình trên địa bàn.",
)
SECOND = (
    "Đài truyền thanh của {kind} hoạt động ổn định, phát {m} chương trình.",
    "Duy trì hoạt động ổn định của đài truyền thanh, phát {m} chương trình.",
)


@pytest.fixture(scope="module")
def national():
    rows = list(csv.DictReader(WARDS.open(encoding="utf-8")))
    rng = random.Random(2025)
    units, narratives, approved = [], {}, {}
    for i, row in enumerate(rows, start=1):
        kind = row["loai"].strip()
        label = f"{kind[:1].upper()}{kind[1:]} {row['tenhc'].strip()}"
        province = row["tentinh"].strip()
        units.append(c.UnitRef(id=i, code=row["ma"], name=label, label=label, kind="commune",
                               area=province[:1].upper() + province[1:], parent_name=province))
        n, m = rng.randint(50, 900), rng.randint(10, 90)
        narratives[i] = {("S", "results"): " ".join((
            rng.choice(FIRST).format(Kind=kind.capitalize(), kind=kind, n=n),
            rng.choice(SECOND).format(kind=kind, m=m)))}
        approved[i] = {"HOUSEHOLDS": Decimal(n)}
    section = c.SectionDef(code="S", title="Chuyển đổi số ở cơ sở", indicators=(
        c.IndicatorDef("HOUSEHOLDS", "Hộ gia đình được tuyên truyền về chuyển đổi số", "hộ", "integer", "sum"),))
    inp = c.ComposeInput(
        regime_name="chế độ báo cáo chuyển đổi số", unit_name="Bộ Khoa học và Công nghệ", period_code="2026S1",
        period_label="6 tháng đầu năm 2026", previous_period_label="6 tháng đầu năm 2025",
        window_start=date(2025, 12, 15), window_end=date(2026, 6, 14), sections=(section,), units=tuple(units),
        approved=approved, narratives=narratives)
    return rows, units, c.compose(inp)


def test_the_real_list_is_the_national_one(national):
    rows, units, _ = national
    assert len(rows) == 3321
    assert len({u.area for u in units}) == 34
    assert len({u.label for u in units}) < 3321  # same-named communes exist in different provinces


def test_every_commune_stays_in_an_attribution_and_names_are_by_province(national):
    _, units, report = national
    part = next(p for p in report.parts if p.key == "section:S")
    assert part.grouping is not None
    consolidation = Consolidation.from_dict(part.grouping)
    groups = group_texts(consolidation)
    assert 2 <= len(groups) <= 6  # two sentences of a few templates: a handful of groups, not thousands
    # No commune lost: every unit that wrote is in a group, and in the annex list of its group.
    writers = {consolidation.sentences[i].speaker for g in consolidation.groups for i in g}
    assert len(writers) == 3321
    annexed = {label for entry in part.annex for label in entry["units"]}
    labels = {u.label for u in c.unique_labels(c.ComposeInput(
        regime_name="", unit_name="", period_code="", period_label="", previous_period_label="",
        window_start=date(2026, 1, 1), window_end=date(2026, 1, 1), sections=(), units=tuple(units))).units}
    assert len(labels) == 3321  # labels made unique, qualified by province
    assert annexed == labels
    text = " ".join(part.narrative)
    assert len(text) < 5000  # not 89 KB of names
    assert "34 tỉnh, thành phố" in text


def test_tables_are_by_province(national):
    _, _, report = national
    part = next(p for p in report.parts if p.key == "section:S")
    assert part.table is not None
    assert part.table.columns[0] == "Tỉnh, thành phố"
    assert len(part.table.rows) == 34
    assert part.chart is not None and len(part.chart["labels"]) <= 20


def test_the_annex_lists_every_commune_by_province_after_the_signature(national):
    import io

    import docx

    from baocao.consolidation.rendering import ANNEX_HEADING, annex_blocks
    from baocao.documents.docx_render import render_docx
    from tests.documents.samples import sample_document

    _, units, report = national
    parts = report.to_dict()["parts"]
    appendix = tuple(annex_blocks(parts))
    data = render_docx(sample_document(appendix=appendix))
    document = docx.Document(io.BytesIO(data))
    body = list(document.element.body.iterchildren())
    texts = ["".join(node.itertext()) for node in body]
    heading = next(i for i, t in enumerate(texts) if ANNEX_HEADING in t)
    signature = next(i for i, t in enumerate(texts) if "Nơi nhận" in t)
    assert heading > signature  # the annex follows the signature
    tables = [t for t in document.tables if t.rows[0].cells[0].text == "TT" and len(t.columns) == 4]
    annex = next(p for p in parts if p["key"] == "section:S")["annex"]
    assert len(tables) == len(annex) >= 2
    for table, entry in zip(tables, annex, strict=True):
        assert len(table.rows) - 1 == len({row["area"] for row in entry["by_area"]})
        listed = {name.strip() for row in table.rows[1:] for name in row.cells[3].text.split(", ")}
        assert listed == set(entry["units"])  # every commune of the attribution, none lost
