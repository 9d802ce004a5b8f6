"""A consolidated report as a file: DOCX, PDF, HTML or JSON, shared by the API, the `report`
command and the web views.

`export_version` writes a saved version (an approved one with its number and date);
`export_current` composes the report from the current data without saving anything.
"""

from __future__ import annotations

import json
import re
from typing import Any

from baocao.consolidation.compose import compose
from baocao.consolidation.models import ConsolidatedReport, ReportVersion
from baocao.consolidation.rendering import official_document
from baocao.consolidation.selectors import compose_input, outline_get
from baocao.core.errors import AppError
from baocao.reporting.selectors import regime_period

# format -> (content type, file extension)
FORMATS: dict[str, tuple[str, str]] = {
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
    "pdf": ("application/pdf", "pdf"),
    "html": ("text/html; charset=utf-8", "html"),
    "json": ("application/json; charset=utf-8", "json"),
}

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def export_filename(*, report: ConsolidatedReport, version: ReportVersion, fmt: str) -> str:
    """`BC-TTTT_2022S1_STTTT_v3.docx`; a report composed from current data has no version suffix."""
    parts = [report.regime.code, report.period, report.unit.code]
    stem = "_".join(_UNSAFE.sub("-", p).strip("-") or "-" for p in parts)
    if version.number:
        stem += f"_v{version.number}"
    return f"{stem}.{FORMATS[fmt][1]}"


def version_json(version: ReportVersion) -> dict[str, Any]:
    """The composed structure with the version's edits, number, status and document number."""
    data = dict(version.composed or {})
    data.update({
        "edits": dict(version.edits or {}),
        "version": version.number,
        "status": version.status,
        "doc_number": version.doc_number,
    })
    return data


def _check_format(fmt: str) -> str:
    fmt = (fmt or "").strip().lower()
    if fmt not in FORMATS:
        raise AppError(f"Định dạng «{fmt}» không hỗ trợ; chọn một trong: {', '.join(FORMATS)}.",
                       {"fields": {"format": fmt}})
    return fmt


def export_version(*, report: ConsolidatedReport, version: ReportVersion, fmt: str) -> tuple[bytes, str, str]:
    """(content, content type, file name) of one version of the report in `fmt`."""
    fmt = _check_format(fmt)
    content_type = FORMATS[fmt][0]
    filename = export_filename(report=report, version=version, fmt=fmt)
    if fmt == "json":
        from baocao.consolidation.rendering import report_letterhead

        data = version_json(version)
        data["letterhead"] = report_letterhead(report=report, version=version,
                                               outline=outline_get(report.regime)).to_dict()
        data["letterhead"].pop("profile_id", None)
        text = json.dumps(data, ensure_ascii=False, indent=2, default=str)
        return text.encode("utf-8"), content_type, filename
    doc = official_document(report=report, version=version, outline=outline_get(report.regime))
    # Renderers load on first use: WeasyPrint is slow to import and most callers need one format.
    if fmt == "docx":
        from baocao.documents.docx_render import render_docx

        content = render_docx(doc)
    elif fmt == "pdf":
        from baocao.documents.pdf_render import render_pdf

        content = render_pdf(doc)
    else:
        from baocao.documents.html_render import render_html

        content = render_html(doc, standalone=True).encode("utf-8")
    return content, content_type, filename


def export_current(*, regime, period: str, unit, fmt: str) -> tuple[bytes, str, str]:
    """The report as the current approved data compose it, in `fmt`; nothing is saved."""
    fmt = _check_format(fmt)
    rp = regime_period(regime, period)
    composed = compose(compose_input(regime=regime, period=rp.code, unit=unit)).to_dict()
    report = ConsolidatedReport(regime=regime, period=rp.code, unit=unit)
    version = ReportVersion(report=report, number=0, composed=composed, edits={})
    return export_version(report=report, version=version, fmt=fmt)
