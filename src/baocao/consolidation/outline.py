"""The report outline as data: defaults for a regime, validation when saved, and the pure
`compose.Outline` it becomes."""

from __future__ import annotations

import re
from collections.abc import Sequence

from baocao.consolidation import compose as c
from baocao.consolidation.choices import NextPeriodMode
from baocao.consolidation.grouping import validate_rules
from baocao.consolidation.models import ReportOutline
from baocao.consolidation.templates import (
    ASSESSMENT_TEMPLATES,
    DEFAULT_CLOSING,
    DEFAULT_INDICATOR_LINE,
    DEFAULT_INTRO,
    DEFAULT_NEXT_HEADING,
    DEFAULT_SUMMARY,
    PLACEHOLDERS_CLOSING,
    PLACEHOLDERS_INDICATOR,
    PLACEHOLDERS_INTRO,
    PLACEHOLDERS_NEXT_HEADING,
    PLACEHOLDERS_SUMMARY,
    validate_template,
)
from baocao.core.errors import AppError

CLOSING_PARTS = ("closing:difficulties", "closing:next_tasks", "closing:proposals")
FIXED_PARTS = ("intro", "tasks", "assessment", *CLOSING_PARTS, "units")
LEADING_NUMERAL = re.compile(r"^\s*(?:[IVXLC]+|\d+)[.)]\s*")


def default_parts(section_codes: Sequence[str]) -> list[str]:
    return ["intro", "units", *(f"section:{code}" for code in section_codes), "tasks", "assessment", *CLOSING_PARTS]


def default_outline(regime) -> ReportOutline:
    """An unsaved outline with sensible defaults, for regimes nobody configured yet. Its letterhead
    fields are empty: the issuer's profile of the document's date supplies them (consolidation.issuers)."""
    version = regime.form.current_version()
    codes = list(version.sections.values_list("code", flat=True)) if version else []
    return ReportOutline(
        regime=regime, summary_template=DEFAULT_SUMMARY, next_period_mode=NextPeriodMode.AUTO,
        intro_template=DEFAULT_INTRO, indicator_template=DEFAULT_INDICATOR_LINE,
        assessment_templates={}, next_heading_template=DEFAULT_NEXT_HEADING, closing_template=DEFAULT_CLOSING,
        parts=default_parts(codes), headings={}, key_indicators={},
        parent_body="", issuer_name="", issuer_code="", place="", recipients=[], archive="",
    )


def outline_validate(outline: ReportOutline, *, section_codes: Sequence[str], indicator_codes: Sequence[str]) -> None:
    """Reject unknown placeholders (naming them), unknown parts and unknown indicator codes."""
    validate_template(outline.summary_template or "", PLACEHOLDERS_SUMMARY)
    validate_template(outline.intro_template or "", PLACEHOLDERS_INTRO)
    validate_template(outline.indicator_template or "", PLACEHOLDERS_INDICATOR)
    validate_template(outline.closing_template or "", PLACEHOLDERS_CLOSING)
    validate_rules(outline.grouping_rules)
    validate_template(outline.next_heading_template or "", PLACEHOLDERS_NEXT_HEADING)
    if outline.next_period_mode not in NextPeriodMode.values:
        raise AppError(f"Cách ghi phương hướng kỳ tới không hợp lệ: «{outline.next_period_mode}». "
                       f"Chọn một trong: {', '.join(NextPeriodMode.values)}.", {"next_period_mode": outline.next_period_mode})
    assessment = outline.assessment_templates
    if not isinstance(assessment, dict):
        raise AppError("Mẫu câu phần đánh giá chung phải là một bảng {mã câu: mẫu câu}.")
    for key, text in assessment.items():
        if key not in ASSESSMENT_TEMPLATES:
            raise AppError(f"Mẫu câu phần đánh giá chung có mã không hợp lệ: {key}. Các mã dùng được: "
                           f"{', '.join(ASSESSMENT_TEMPLATES)}.", {"assessment": key})
        if not isinstance(text, str):
            raise AppError(f"Mẫu câu «{key}» của phần đánh giá chung phải là văn bản.", {"assessment": key})
        validate_template(text, ASSESSMENT_TEMPLATES[key][1])
    known = set(indicator_codes)
    if not isinstance(outline.indicator_templates, dict):
        raise AppError("Mẫu câu riêng theo chỉ tiêu phải là một bảng {mã chỉ tiêu: mẫu câu}.")
    for code, text in outline.indicator_templates.items():
        if code not in known:
            raise AppError(f"Mẫu câu riêng dùng mã chỉ tiêu không có trong biểu mẫu: {code}.", {"indicator": code})
        validate_template(str(text), PLACEHOLDERS_INDICATOR)
    allowed_parts = set(FIXED_PARTS) | {f"section:{s}" for s in section_codes}
    if not isinstance(outline.parts, list) or not all(isinstance(p, str) for p in outline.parts):
        raise AppError("Thứ tự các phần phải là một danh sách.")
    bad = [p for p in outline.parts if p not in allowed_parts]
    if bad:
        raise AppError(f"Phần không có trong đề cương: {', '.join(bad)}.", {"parts": bad})
    if len(set(outline.parts)) != len(outline.parts):
        raise AppError("Một phần xuất hiện hai lần trong thứ tự các phần.")
    for section, codes in (outline.key_indicators or {}).items():
        unknown = [code for code in codes if code not in known]
        if section not in section_codes or unknown:
            raise AppError(f"Chỉ tiêu chính không hợp lệ ở phần {section}: {', '.join(unknown) or section}.")


def outline_for_compose(outline: ReportOutline, sections: Sequence[c.SectionDef]) -> c.Outline:
    codes = [s.code for s in sections]
    parts = [p for p in (outline.parts or default_parts(codes))
             if not p.startswith("section:") or p.split(":", 1)[1] in codes]
    # Sections added to the form after the outline was written still appear, before the assessment
    # and the closing parts.
    listed = {p.split(":", 1)[1] for p in parts if p.startswith("section:")}
    missing = [f"section:{code}" for code in codes if code not in listed]
    if missing:
        at = next((i for i, p in enumerate(parts) if p == "assessment" or p.startswith("closing:")), len(parts))
        parts[at:at] = missing
    headings = dict(outline.headings or {})
    for section in sections:
        # A form's section titles often carry their own numeral ("I. Thông tin ..."); the report
        # numbers its parts itself.
        headings.setdefault(f"section:{section.code}", LEADING_NUMERAL.sub("", section.title).strip())
    return c.Outline(
        summary_template=outline.summary_template or DEFAULT_SUMMARY,
        next_period_mode=outline.next_period_mode or NextPeriodMode.AUTO,
        intro_template=outline.intro_template or DEFAULT_INTRO,
        assessment_templates=dict(outline.assessment_templates or {}),
        next_heading_template=outline.next_heading_template or DEFAULT_NEXT_HEADING,
        closing_template=outline.closing_template or DEFAULT_CLOSING,
        indicator_template=outline.indicator_template or DEFAULT_INDICATOR_LINE,
        indicator_templates=dict(outline.indicator_templates or {}),
        parts=tuple(parts),
        headings=headings,
        key_indicators={k: tuple(v) for k, v in (outline.key_indicators or {}).items()},
        grouping_rules=dict(outline.grouping_rules or {}),
    )
