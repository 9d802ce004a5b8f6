"""A consolidated report version as an official document (Decree 30 layout lives in `documents`)."""

from __future__ import annotations

import functools
from datetime import date

from baocao.consolidation.choices import VersionStatus
from baocao.consolidation.issuers import Letterhead, letterhead
from baocao.consolidation.models import ConsolidatedReport, ReportOutline, ReportVersion
from baocao.consolidation.templates import DEFAULT_SUMMARY, render_summary
from baocao.core.vietnamese import format_document_day, format_number
from baocao.documents import model as d
from baocao.documents.charts import bar_chart


def _chart_png(chart: dict | None) -> bytes | None:
    if not chart or not chart.get("labels") or not any(v is not None for v in chart.get("values", [])):
        return None
    values = tuple(None if v is None else float(v) for v in chart["values"])
    return _cached_chart(tuple(chart["labels"]), values, chart.get("unit", ""))


@functools.lru_cache(maxsize=256)
def _cached_chart(labels: tuple[str, ...], values: tuple[float | None, ...], unit: str) -> bytes:
    # Drafts are rendered again and again with the same figures; a chart costs ~80 ms to draw.
    # The title is the figure's caption in the document; inside the picture it would be cut short.
    return bar_chart(list(labels), list(values), title="", unit=unit)


def report_summary(*, report: ConsolidatedReport, composed: dict, outline: ReportOutline) -> str:
    """The title under "BÁO CÁO" ("Kết quả … 6 tháng đầu năm 2022 và phương hướng, nhiệm vụ 6 tháng
    cuối năm 2022"), from the outline's template and the version's period; the next period only
    when the composition speaks of it."""
    meta = composed.get("meta") or {}
    return render_summary(
        outline.summary_template or DEFAULT_SUMMARY, regime=report.regime.name,
        period=meta.get("period_label") or report.period, period_code=report.period, unit=report.unit.name,
        next_period=(meta.get("next_period_label") or None) if meta.get("with_next_period") else None,
    )


def part_blocks(part: dict, edits: dict[str, str], *, with_charts: bool = True) -> list[d.Block]:
    """Heading, figure lines, table, chart, then the (edited) text of one part; the paragraphs that
    are the part's sub-headings ("1. Ưu điểm") print as such."""
    blocks: list[d.Block] = []
    heading = part.get("heading") or ""
    if heading:
        number = part.get("number") or ""
        blocks.append(d.Paragraph.heading(f"{number}. {heading}" if number else heading, level=1))
    for fig in part.get("figures") or []:
        if fig.get("line"):
            blocks.append(d.Paragraph.text(fig["line"]))
    table = part.get("table")
    if table and table.get("rows"):
        blocks.append(d.Table(
            columns=tuple(table["columns"]), rows=tuple(tuple(r) for r in table["rows"]),
            total=tuple(table["total"]) if table.get("total") else None,
            numeric=frozenset(range(1, len(table["columns"]))), caption=table.get("caption", ""),
        ))
    cases = part.get("cases") or []
    if cases:
        blocks.append(d.Table(
            columns=("TT", "Loại vụ việc", "Ngày", "Đối tượng", "Nội dung", "Kết quả"),
            rows=tuple(
                (str(i), c["kind"], format_document_day(date.fromisoformat(c["received_on"])), c.get("subject") or "",
                 c.get("summary") or "", c.get("outcome") or c.get("status") or "")
                for i, c in enumerate(cases, start=1)
            ),
            caption="Các vụ việc thanh tra, kiểm tra, đơn thư trong kỳ (theo sổ theo dõi)",
        ))
    if with_charts:
        png = _chart_png(part.get("chart"))
        if png:
            blocks.append(d.Figure(png=png, width_cm=15.0, caption=part["chart"].get("title", "")))
    text = edits.get(part["key"])
    # Every line typed in the editor is a paragraph of its own (blank lines between them or not).
    paragraphs = text.splitlines() if text is not None else list(part.get("narrative") or [])
    subheadings = set(part.get("subheadings") or [])
    for para in paragraphs:
        para = para.strip()
        if para in subheadings:
            blocks.append(d.Paragraph.heading(para, level=2))
        elif para:
            blocks.append(d.Paragraph.text(para))
    return blocks


ANNEX_HEADING = "PHỤ LỤC: CÁC ĐƠN VỊ THEO NỘI DUNG TỔNG HỢP"


def annex_blocks(parts: list[dict]) -> list[d.Block]:
    """The units behind each attribution the text gives as a count ("1.109 xã, phường"): one table
    per attribution, a row per province (or one row when the units have none)."""
    blocks: list[d.Block] = []
    number = 0
    for part in parts:
        for entry in part.get("annex") or []:
            number += 1
            by_area = entry.get("by_area") or [{"area": "", "units": entry.get("units") or []}]
            with_area = any(row.get("area") for row in by_area)
            columns = ("TT", "Tỉnh, thành phố", "Số đơn vị", "Đơn vị") if with_area else ("TT", "Số đơn vị", "Đơn vị")
            rows = tuple(
                (str(i), *((row.get("area") or "",) if with_area else ()), format_number(len(row["units"])),
                 ", ".join(row["units"]))
                for i, row in enumerate(by_area, start=1))
            sentence = str(entry.get("sentence") or "")
            caption = f"Bảng {number}. {entry.get('attribution', '')}: {sentence[:160]}"
            blocks.append(d.Table(columns=columns, rows=rows, numeric=frozenset({len(columns) - 2}), caption=caption))
    if blocks:
        blocks.insert(0, d.Paragraph.heading(ANNEX_HEADING, level=1))
    return blocks


def document_date(report: ConsolidatedReport, version: ReportVersion) -> date:
    """The date the document speaks for: its day of issue once approved, else the period's cut-off end."""
    if version.issued_on is not None:
        return version.issued_on
    window_end = ((version.composed or {}).get("meta") or {}).get("window_end")
    if window_end:
        try:
            return date.fromisoformat(str(window_end)[:10])
        except ValueError:
            pass
    from baocao.reporting.selectors import regime_period

    return regime_period(report.regime, report.period).window_end


def report_letterhead(*, report: ConsolidatedReport, version: ReportVersion, outline: ReportOutline,
                      on: date | None = None) -> Letterhead:
    """The version's letterhead: as frozen at approval, else the outline's overrides over the issuer's
    profile valid on the document's date."""
    if version.status == VersionStatus.APPROVED and version.header:
        return Letterhead.from_dict(version.header)
    unit = report.unit
    parent = unit.parent
    return letterhead(
        unit=unit, on=on or document_date(report, version), outline=outline, type_code=outline.type_code or "BC",
        fallback_parent_body=(parent.name if parent else "").upper(), fallback_issuer=unit.name.upper(),
    )


def official_document(*, report: ConsolidatedReport, version: ReportVersion, outline: ReportOutline,
                      with_charts: bool = True) -> d.OfficialDocument:
    composed = version.composed
    approved = version.status == VersionStatus.APPROVED
    summary = report_summary(report=report, composed=composed, outline=outline)
    blocks: list[d.Block] = []
    for part in composed.get("parts", []):
        blocks.extend(part_blocks(part, version.edits or {}, with_charts=with_charts))

    lh = report_letterhead(report=report, version=version, outline=outline)
    header = d.Header(
        parent_body=lh.parent_body, issuer=lh.issuer,
        number=version.doc_number if approved else None, type_code=lh.type_code or "BC",
        issuer_code=lh.issuer_code or report.unit.code, place=lh.place,
        date=version.issued_on if approved else None, year=int(report.period[:4]) if not approved else None,
    )
    return d.OfficialDocument(
        header=header, kind_title="BÁO CÁO", summary=summary, blocks=tuple(blocks),
        recipients=lh.recipients, archive=lh.archive or "VT",
        signature=d.Signature(authority=lh.signer_authority or None, title=lh.signer_title,
                              name=lh.signer_name),
        draft_watermark=not approved,
        appendix=tuple(annex_blocks(composed.get("parts", []))),
    )
