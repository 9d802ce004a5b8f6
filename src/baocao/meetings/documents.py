"""A conference's documents, all through the Decree 30 layout module (`baocao.documents`): the
invitation (giấy mời, GM), the minutes (biên bản, BB), and the draft news article (not a Decree
30 document: `meetings.article`).

The header comes from the regime's saved report outline when the meeting belongs to a regime
that has one (parent body, issuer, its code, place, archive), otherwise from the organiser (its
parent as the parent body, the province as the place). Both documents are drafts to be
registered: the number and the day of issue are left blank for the clerk, with the year printed.
The minutes name the secretary in their opening lines and are signed by the secretary ("THƯ KÝ")
and the chair ("CHỦ TRÌ") side by side, as Decree 30's form of minutes is; each conclusion is
followed by the tasks given from it (content, lead unit, deadline). Dates in running text are
written the documents' way ("07/7/2022", `article.text_date`).
"""

from __future__ import annotations

import re
from datetime import date

from baocao.consolidation.issuers import issuer_profile_on, letterhead
from baocao.consolidation.models import ReportOutline
from baocao.core.errors import AppError, NotFound
from baocao.documents import model as d
from baocao.meetings.article import (
    article_docx,
    article_html,
    attendee_line,
    compose_article,
    lower_first,
    person,
    presenting,
    same_person,
    signer_position,
    split_honorific,
    starts_with_verb,
    text_date,
    upper_first,
    when,
)
from baocao.meetings.models import Meeting
from baocao.orgunits.choices import UnitKind
from baocao.orgunits.models import OrgUnit

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
CONTENT_TYPES = {"docx": DOCX, "pdf": "application/pdf", "html": "text/html; charset=utf-8"}
# kind -> formats it comes in
KINDS: dict[str, tuple[str, ...]] = {
    "invitation": ("docx", "pdf", "html"),
    "minutes": ("docx", "pdf", "html"),
    "article": ("html", "docx"),
}
KIND_LABELS = {"invitation": "Giấy mời", "minutes": "Biên bản", "article": "Bài viết"}
_COMMITTEE_KINDS = (UnitKind.PROVINCE, UnitKind.PEOPLES_COMMITTEE)
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


# ---------------------------------------------------------------------------
# Header and signer


def _outline(meeting: Meeting) -> ReportOutline | None:
    """The regime's saved outline ("when the regime has one"), else None."""
    regime = meeting.regime
    if regime is None:
        return None
    from baocao.consolidation.selectors import outline_get

    outline = outline_get(regime)
    return outline if outline.pk is not None else None


def _parent_body(unit: OrgUnit) -> str:
    parent = unit.parent
    if parent is None:
        return ""
    name = parent.name
    if parent.kind in _COMMITTEE_KINDS and not name.lower().startswith(("ubnd", "ủy ban", "uỷ ban")):
        return f"UBND {name}"
    return name


def _place(unit: OrgUnit) -> str:
    """The province of the unit without its level word ("Bắc Kạn"), as the date line writes it."""
    province = OrgUnit.objects.filter(pk__in=unit.ancestor_ids(), kind=UnitKind.PROVINCE).order_by("depth").first()
    if province is None:
        return ""
    name = province.name
    for prefix in ("Thành phố ", "Tỉnh ", "thành phố ", "tỉnh "):
        if name.startswith(prefix):
            return name[len(prefix):]
    return name


def _issuer_name(unit: OrgUnit) -> str:
    """"Sở Thông tin và Truyền thông" of "Sở Thông tin và Truyền thông tỉnh Bắc Kạn": the parent body
    line already names the province."""
    name = unit.name
    parent = unit.parent
    if parent is not None and name.lower().endswith(" " + parent.name.lower()) and len(name) > len(parent.name) + 1:
        return name[: -len(parent.name) - 1]
    return name


def document_header(meeting: Meeting, type_code: str) -> tuple[d.Header, str]:
    """The header of a meeting's document and the archive line ("VT, VP"): the regime outline's
    overrides where set, else the organiser's issuer profile valid on the meeting's date, else what
    the organiser's own record gives (consolidation.issuers)."""
    organiser = meeting.organiser
    lh = letterhead(
        unit=organiser, on=meeting.date, outline=_outline(meeting), type_code=type_code,
        fallback_parent_body=_parent_body(organiser), fallback_issuer=_issuer_name(organiser),
        fallback_place=_place(organiser),
    )
    header = d.Header(
        parent_body=lh.parent_body, issuer=lh.issuer, number=None, type_code=type_code,
        issuer_code=lh.issuer_code, place=lh.place, date=None, year=meeting.date.year,
    )
    return header, lh.archive or "VT"


def chair_signature(meeting: Meeting) -> d.Signature | None:
    """The chair signs with the position their title starts with; a deputy signs for the head
    ("KT. GIÁM ĐỐC" / "PHÓ GIÁM ĐỐC")."""
    if not meeting.chair_name:
        return None
    _, name = split_honorific(meeting.chair_name)
    position = signer_position(meeting.chair_title) or "Chủ trì Hội nghị"
    authority = None
    if position.lower().startswith("phó ") and len(position) > 4:
        authority = "KT. " + position[4:]
    return d.Signature(authority=authority, title=position, name=name)


def _invitation_signature(meeting: Meeting) -> d.Signature:
    chair = chair_signature(meeting)
    if chair is not None:
        return chair
    outline = _outline(meeting)
    if outline is not None and outline.signer_title:
        return d.Signature(authority=outline.signer_authority or None, title=outline.signer_title,
                           name=outline.signer_name)
    profile = issuer_profile_on(meeting.organiser, meeting.date)
    if profile is not None and profile.signer_title:
        return d.Signature(authority=profile.signer_authority or None, title=profile.signer_title, name="")
    return d.Signature(authority=None, title="Thủ trưởng cơ quan", name="")


# ---------------------------------------------------------------------------
# Documents


def _lines(items: list[str]) -> list[d.Paragraph]:
    """"- …;" lines, the last ending with a full stop."""
    out = []
    for index, item in enumerate(items):
        text = item.strip().rstrip(".;,")
        end = "." if index == len(items) - 1 else ";"
        out.append(d.Paragraph.text(f"- {text}{end}"))
    return out


def _labelled(label: str, text: str) -> d.Paragraph:
    return d.Paragraph(runs=(d.Run(label, bold=True), d.Run(" " + text)), kind="body")


def _agenda_text(item) -> str:
    text = item.title.strip().rstrip(".")
    if item.presenter_name:
        verb = "" if starts_with_verb(item.title) else " trình bày"
        text += f" ({person(item.presenter_name, item.presenter_title)}{verb})"
    return text


def invitation_document(meeting: Meeting) -> d.OfficialDocument:
    """The invitation (giấy mời, "GM"): whom, when, where, what, and what to prepare."""
    from baocao.meetings.selectors import meeting_detail

    m = meeting_detail(meeting)
    header, archive = document_header(m, "GM")
    # The chair signs the invitation: he is not among those invited.
    attendees = [attendee_line(a, m.date) for a in m.attendees.all()
                 if not (a.person_name and same_person(a.person_name, m.chair_name))]
    agenda = list(m.agenda.all())
    blocks: list[d.Block] = [
        d.Paragraph.text(f"{_issuer_name(m.organiser)} tổ chức {m.title}."),
    ]
    if attendees:
        blocks.append(d.Paragraph((d.Run("Trân trọng kính mời:", bold=True),), kind="body"))
        blocks.extend(_lines(attendees))
    else:
        blocks.append(d.Paragraph((d.Run("Trân trọng kính mời các đại biểu tham dự.", bold=True),), kind="body"))
    blocks.append(_labelled("Thời gian:", upper_first(when(m)) + "."))
    if m.place:
        blocks.append(_labelled("Địa điểm:", m.place.rstrip(".") + "."))
    if agenda:
        blocks.append(d.Paragraph((d.Run("Nội dung:", bold=True),), kind="body"))
        blocks.extend(_lines([_agenda_text(item) for item in agenda]))
    elif m.summary:
        blocks.append(_labelled("Nội dung:", m.summary.strip()))
    if any(item.report_version_id for item in agenda):
        request = ("Đề nghị các đại biểu nghiên cứu trước dự thảo báo cáo gửi kèm theo Giấy mời này, chuẩn bị ý kiến "
                   "tham luận về kết quả thực hiện nhiệm vụ, khó khăn, vướng mắc và đề xuất, kiến nghị của đơn vị; "
                   "tham dự đúng thành phần và thời gian.")
    else:
        request = "Đề nghị các đại biểu chuẩn bị ý kiến phát biểu và tham dự đúng thành phần, thời gian."
    blocks.append(d.Paragraph.text(request))
    blocks.append(d.Paragraph.text("Trân trọng./."))
    return d.OfficialDocument(
        header=header, kind_title="Giấy mời", summary=f"Dự {m.title}", blocks=tuple(blocks),
        recipients=("Như trên",), archive=archive, signature=_invitation_signature(m),
    )


def _secretary(meeting: Meeting, secretary: str | None) -> tuple[str, str]:
    """(the secretary as the opening lines name them, the name they sign with): `secretary` when
    given, else the meeting's secretary, else whoever recorded the meeting."""
    if secretary is not None:
        text = secretary.strip()
        return text, split_honorific(text)[1]
    if meeting.secretary_name.strip():
        text = person(meeting.secretary_name, meeting.secretary_title, capital=True)
        return text, split_honorific(meeting.secretary_name)[1]
    user = meeting.created_by
    return user.display_name + (f" ({user.unit.name})" if user.unit_id and user.unit else ""), user.display_name


def _task_line(task, conclusion_text: str) -> str:
    """"Nâng cấp … (chủ trì: Phòng …; phối hợp: …; hạn: 10/12/2022)"; a task titled by the
    conclusion itself reads "Thực hiện nội dung kết luận trên"."""
    title = " ".join(task.title.split()).rstrip(".;")
    if title.rstrip("…") and conclusion_text.startswith(title.rstrip("…").rstrip()):
        title = "Thực hiện nội dung kết luận trên"
    given = [f"chủ trì: {task.lead_unit.name}"]
    cooperating = [u.name for u in task.cooperating_units.all()]
    if cooperating:
        given.append(f"phối hợp: {', '.join(cooperating)}")
    if task.deadline:
        given.append(f"hạn: {text_date(task.deadline)}")
    return f"{upper_first(title)} ({'; '.join(given)})"


def _opinion_text(opinion) -> tuple[str, str]:
    unit = opinion.unit.name if opinion.unit is not None else ""
    if opinion.speaker_name:
        who = person(opinion.speaker_name, opinion.speaker_title, capital=True)
    elif opinion.speaker_title:
        who = upper_first(opinion.speaker_title)
    else:
        who = f"Đại diện {unit}" if unit else "Đại biểu"
    if unit and unit.lower() not in who.lower():
        who += f" ({unit})"
    if opinion.topic:
        who += f" phát biểu về {lower_first(opinion.topic)}"
    return who, " ".join(opinion.summary.split())


def minutes_document(meeting: Meeting, *, secretary: str | None = None) -> d.OfficialDocument:
    """The minutes (biên bản, "BB"): time, place, chair, secretary, attendees; the agenda with its
    presenters; each opinion as "Ông/Bà … (unit): …"; the conclusions numbered, with the tasks
    given from them; signed by the chair. `secretary` defaults to the user who recorded the meeting."""
    from baocao.meetings.selectors import meeting_detail

    m = meeting_detail(meeting)
    header, archive = document_header(m, "BB")
    blocks: list[d.Block] = [_labelled("Thời gian:", f"Bắt đầu lúc {when(m)}.")]
    if m.place:
        blocks.append(_labelled("Địa điểm:", m.place.rstrip(".") + "."))
    if m.chair_name:
        blocks.append(_labelled("Chủ trì:", person(m.chair_name, m.chair_title, capital=True) + "."))
    secretary_text, secretary_name = _secretary(m, secretary)
    if secretary_text:
        blocks.append(_labelled("Thư ký:", secretary_text.rstrip(".") + "."))
    attendees = [attendee_line(a, m.date) for a in m.attendees.all()]
    if attendees:
        blocks.append(d.Paragraph((d.Run("Thành phần tham dự:", bold=True),), kind="body"))
        blocks.extend(_lines(attendees))

    blocks.append(d.Paragraph.heading("I. Nội dung Hội nghị", level=1))
    agenda = list(m.agenda.all())
    for number, item in enumerate(agenda, start=1):
        text = item.title.strip().rstrip(".")
        if item.presenter_name:
            text = f"{person(item.presenter_name, item.presenter_title, capital=True)} {presenting(item.title)}"
        version = item.report_version
        if version is not None:
            text += f" (báo cáo tổng hợp kỳ {version.report.period}, phiên bản {version.number})"
        blocks.append(d.Paragraph.text(f"{number}. {text}."))
    if not agenda:
        blocks.append(d.Paragraph.text(m.summary.strip() or f"{m.title}."))

    blocks.append(d.Paragraph.heading("II. Ý kiến thảo luận", level=1))
    opinions = list(m.opinions.all())
    for opinion in opinions:
        who, summary = _opinion_text(opinion)
        blocks.append(d.Paragraph(runs=(d.Run(who, bold=True), d.Run(f": {summary}")), kind="body"))
    if not opinions:
        blocks.append(d.Paragraph.text("Không có ý kiến thảo luận."))

    blocks.append(d.Paragraph.heading("III. Kết luận của chủ trì Hội nghị", level=1))
    conclusions = list(m.conclusions.all())
    for number, conclusion in enumerate(conclusions, start=1):
        text = " ".join(conclusion.text.split())
        blocks.append(d.Paragraph.text(f"{number}. {text}" + ("" if text[-1:] in ".!?…;" else ".")))
        tasks = list(conclusion.tasks.all())
        if tasks:
            blocks.append(d.Paragraph((d.Run("Giao nhiệm vụ:", italic=True),), kind="body"))
            blocks.extend(_lines([_task_line(t, text) for t in tasks]))
    if not conclusions:
        blocks.append(d.Paragraph.text("Chưa ghi nhận kết luận."))
    blocks.append(d.Paragraph.text("Hội nghị kết thúc vào hồi … giờ … phút cùng ngày. Biên bản đã được thông qua "
                                   "tại Hội nghị./."))

    # Decree 30's minutes: the secretary signs on the left, the chair on the right.
    chair = d.Signature(authority=None, title="Chủ trì", name=split_honorific(m.chair_name)[1])
    secretary_signature = d.Signature(authority=None, title="Thư ký", name=secretary_name)
    return d.OfficialDocument(
        header=header, kind_title="Biên bản", summary=m.title, blocks=tuple(blocks),
        recipients=("Các đại biểu dự Hội nghị",), archive=archive, signature=chair,
        co_signature=secretary_signature,
    )


# ---------------------------------------------------------------------------
# Files


def document_filename(meeting: Meeting, kind: str, fmt: str) -> str:
    """`giay-moi_STTTT_2022-07-07.docx`."""
    stem = {"invitation": "giay-moi", "minutes": "bien-ban", "article": "bai-viet"}[kind]
    code = _UNSAFE.sub("-", meeting.organiser.code).strip("-") or "-"
    return f"{stem}_{code}_{meeting.date.isoformat()}.{fmt}"


def meeting_document(meeting: Meeting, kind: str, fmt: str, *, on: date | None = None) -> tuple[bytes, str, str]:
    """(content, content type, file name) of one of the meeting's documents."""
    kind = (kind or "").strip().lower()
    fmt = (fmt or "").strip().lower()
    if kind not in KINDS:
        raise NotFound(f"Không có loại tài liệu «{kind}»; chọn một trong: {', '.join(KINDS)}.", {"kind": kind})
    if fmt not in KINDS[kind]:
        raise AppError(f"{KIND_LABELS[kind]} có các định dạng: {', '.join(KINDS[kind])}; không có «{fmt}».",
                       {"fields": {"format": fmt}})
    if kind == "article":
        article = compose_article(meeting, on=on)
        content = article_docx(article) if fmt == "docx" else article_html(article).encode("utf-8")
        return content, CONTENT_TYPES[fmt], document_filename(meeting, kind, fmt)
    doc = invitation_document(meeting) if kind == "invitation" else minutes_document(meeting)
    if fmt == "docx":
        from baocao.documents.docx_render import render_docx

        content = render_docx(doc)
    elif fmt == "pdf":
        from baocao.documents.pdf_render import render_pdf

        content = render_pdf(doc)
    else:
        from baocao.documents.html_render import render_html

        content = render_html(doc, standalone=True).encode("utf-8")
    return content, CONTENT_TYPES[fmt], document_filename(meeting, kind, fmt)

