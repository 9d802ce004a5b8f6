"""The draft news item for the portal, composed from a conference's record.

It has the shape of a provincial portal's news item about a review conference: a title ("<the
organiser> tổ chức <the meeting>"), "(Cập nhật lúc: dd/mm/yyyy)", a lead paragraph (the date,
the organiser, the conference, who attended, who chaired), the presenter of the draft report, one
paragraph per sector of the presented consolidated report (what its units wrote, each sentence
attributed to the units that wrote it, and its first figure lines), a paragraph on the discussion
(the opinions, each point by its speaker), the chair's conclusion (the conclusions), photo caption
placeholders and the author (Meeting.article_author, else whoever recorded the meeting).

`compose_article` gives every part as text (paragraphs separated by a blank line, photo captions
one a line); the parts the compiler edited (Meeting.article) replace the composed ones.
`article_html` and `article_docx` lay it out as a simple news page — not a Decree 30 document.

The wording helpers here (honorifics, attendee phrases, dates in running text) are shared with the
invitation and the minutes (`meetings.documents`).
"""

from __future__ import annotations

import functools
import io
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, time

from django.db.models import Q

from baocao.consolidation import grouping
from baocao.consolidation.narratives import (
    ADMINISTRATIVE_PREFIXES,
    join_labels,
    normalise_sentence,
    split_sentences,
)
from baocao.core.clock import today_vn
from baocao.core.text import xml_text
from baocao.core.vietnamese import format_date, format_document_day, lower_first, upper_first
from baocao.meetings.models import Attendee, Meeting
from baocao.orgunits.models import OrgUnit, OrgUnitGroup

ARTICLE_PARTS: tuple[str, ...] = (
    "title", "updated", "lead", "presenter", "sectors", "discussion", "conclusion", "photos", "author",
)
PART_LABELS: dict[str, str] = {
    "title": "Tiêu đề",
    "updated": "Dòng cập nhật",
    "lead": "Đoạn mở đầu",
    "presenter": "Trình bày dự thảo báo cáo",
    "sectors": "Kết quả theo lĩnh vực (mỗi đoạn cách nhau một dòng trống)",
    "discussion": "Thảo luận",
    "conclusion": "Kết luận của chủ trì",
    "photos": "Chú thích ảnh (mỗi dòng một ảnh)",
    "author": "Tác giả",
}
UPDATED_PREFIX = "Cập nhật lúc: "
DISCUSSION_OPINIONS = 4

# ---------------------------------------------------------------------------
# Wording helpers

HONORIFICS = ("đồng chí", "đ/c", "ông", "bà", "anh", "chị")
WEEKDAYS = ("thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy", "Chủ nhật")
# Positions a signer's title starts with, longest first ("Phó Giám đốc Sở …" signs as "Phó Giám đốc").
POSITIONS = tuple(sorted((
    "Giám đốc", "Phó Giám đốc", "Chủ tịch", "Phó Chủ tịch", "Chánh Văn phòng", "Phó Chánh Văn phòng",
    "Chánh Thanh tra", "Phó Chánh Thanh tra", "Trưởng phòng", "Phó Trưởng phòng", "Trưởng ban", "Phó Trưởng ban",
    "Bí thư", "Phó Bí thư", "Tổng Giám đốc", "Phó Tổng Giám đốc", "Thủ trưởng", "Trưởng đoàn",
), key=len, reverse=True))
# A sector heading that already names an activity reads "Về công tác …"; others "Về lĩnh vực …".
ACTIVITY_WORDS = (
    "thanh tra", "kiểm tra", "quản lý", "giải quyết", "tuyên truyền", "cải cách", "chỉ đạo", "tổ chức",
    "xây dựng", "phối hợp", "tiếp công dân", "thi đua", "đánh giá",
)


def text_date(d: date) -> str:
    """A date in running text, Decree 30's way (as the seed's news item writes it too): the day
    padded below 10, the month padded only for months 1 and 2 ("07/7/2022", "31/5/2022",
    "15/02/2022"); the article, the invitation and the minutes (core.vietnamese)."""
    return format_document_day(d)


def text_time(t: time) -> str:
    return f"{t.hour:02d} giờ {t.minute:02d} phút"


def when(meeting: Meeting) -> str:
    """"08 giờ 00 phút, thứ Năm, ngày 07/7/2022"."""
    day = f"{WEEKDAYS[meeting.date.weekday()]}, ngày {text_date(meeting.date)}"
    return f"{text_time(meeting.start_time)}, {day}" if meeting.start_time else day


def split_honorific(name: str) -> tuple[str | None, str]:
    """("ông", "Hà Văn Tiến") from "Ông Hà Văn Tiến"; (None, name) when it has none."""
    name = " ".join((name or "").split())
    lowered = name.lower()
    for word in HONORIFICS:
        if lowered.startswith(word + " "):
            return word, name[len(word) + 1:]
    return None, name


def honorific(name: str) -> str:
    """"ông" or "bà". The record has no gender: a name written with one ("Bà Nguyễn Ngọc Anh")
    keeps it; otherwise the middle name "Thị" reads "bà", anything else "ông"."""
    given, bare = split_honorific(name)
    if given:
        return given
    middle = [w.lower() for w in bare.split()[1:-1]]
    return "bà" if "thị" in middle else "ông"


def person(name: str, title: str = "", *, capital: bool = False) -> str:
    """"ông Hà Văn Tiến, Giám đốc Sở Thông tin và Truyền thông" (capital: "Ông …")."""
    _, bare = split_honorific(name)
    if not bare:
        return upper_first(title) if capital else title
    hon = honorific(name)
    text = f"{hon} {bare}"
    if title.strip():
        text += f", {title.strip()}"
    return upper_first(text) if capital else text


def signer_position(title: str) -> str:
    """The position a title starts with ("Giám đốc" of "Giám đốc Sở …"), else the whole title."""
    stripped = " ".join((title or "").split())
    lowered = stripped.lower()
    for position in POSITIONS:
        if lowered == position.lower() or lowered.startswith(position.lower() + " "):
            return stripped[:len(position)]
    return stripped


# Attending units in readable Vietnamese ------------------------------------------------------


@dataclass(frozen=True)
class _Phrase:
    head: str  # "Phòng Văn hóa và Thông tin", or a whole name
    tail: str  # "các huyện, thành phố", "huyện Ba Bể", or ""


def _level_at(words: Sequence[str], index: int) -> str | None:
    for prefix in sorted(ADMINISTRATIVE_PREFIXES, key=len, reverse=True):
        size = len(prefix.split())
        if index + size < len(words) and " ".join(words[index:index + size]).lower() == prefix:
            return prefix
    return None


def _split_place(name: str) -> _Phrase:
    """"Phòng Văn hóa và Thông tin huyện Ba Bể" -> ("Phòng Văn hóa và Thông tin", "huyện Ba Bể")."""
    words = name.split()
    for index in range(1, len(words)):
        level = _level_at(words, index)
        if level:
            return _Phrase(" ".join(words[:index]), join_labels([" ".join(words[index:])], sentence_start=False))
    return _Phrase(name.strip(), "")


def _group_phrase(name: str, members: Sequence[str]) -> _Phrase:
    """A group as its members read together: the district offices of every district are
    "Phòng Văn hóa và Thông tin các huyện, thành phố"; a group whose members share no such
    shape reads "các <group name>" ("các doanh nghiệp viễn thông")."""
    if len(members) == 1:
        return _split_place(members[0])
    split = [_split_place(m) for m in members]
    heads = {p.head for p in split}
    if members and len(heads) == 1 and all(p.tail for p in split):
        levels: Counter[str] = Counter()
        for p in split:
            words = p.tail.split()
            levels[_level_at(words + [""], 0) or words[0]] += 1
        ordered = [level for level, _ in sorted(levels.items(), key=lambda kv: -kv[1])]
        return _Phrase(split[0].head, "các " + ", ".join(ordered))
    return _Phrase("các " + lower_first(name), "")


def _merge(phrases: Sequence[_Phrase]) -> list[str]:
    """Phrases with the same place are written once: "Phòng Văn hóa và Thông tin, Trung tâm Văn
    hóa, Thể thao và Truyền thông các huyện, thành phố"; "các doanh nghiệp bưu chính" and "các
    doanh nghiệp viễn thông" become "các doanh nghiệp bưu chính, viễn thông"."""
    by_tail: dict[str, list[str]] = {}
    loose: list[str] = []
    for p in phrases:
        if p.tail:
            heads = by_tail.setdefault(p.tail, [])
            if p.head not in heads:
                heads.append(p.head)
        elif p.head not in loose:
            loose.append(p.head)
    same_head: dict[str, list[str]] = {}
    for tail, heads in by_tail.items():
        if len(heads) == 1:
            same_head.setdefault(heads[0], []).append(tail)
    out: list[str] = []
    done_heads: set[str] = set()
    for tail, heads in by_tail.items():
        if len(heads) > 1:
            out.append(f"{', '.join(heads)} {tail}")
        elif heads[0] not in done_heads:
            done_heads.add(heads[0])
            out.append(f"{heads[0]} {', '.join(same_head[heads[0]])}")
    collective: dict[tuple[str, ...], list[str]] = {}
    for head in loose:
        words = head.split()
        if words[0] == "các" and len(words) > 3:
            collective.setdefault(tuple(words[:3]), []).append(" ".join(words[3:]))
        else:
            collective.setdefault((head,), [])
    for key, rests in collective.items():
        out.append(" ".join(key) + (" " + ", ".join(rests) if rests else ""))
    return out


def _members(group: OrgUnitGroup, day: date) -> list[str]:
    return [m.name for m in group.members.all() if m.is_valid_on(day)]


def _person_with_unit(attendee, *, capital: bool, brackets: bool) -> str:
    """A person with their title, and their unit when the title is a bare position ("Trưởng
    phòng"); a title that names the body already ("Giám đốc Sở …") stands alone."""
    text = person(attendee.person_name, attendee.person_title, capital=capital)
    where = attendee.unit.name if attendee.unit is not None else attendee.group.name if attendee.group else ""
    title = " ".join(attendee.person_title.split())
    if where and (not title or signer_position(title) == title) and where.lower() not in text.lower():
        text += f" ({where})" if brackets else f", {where}"
    return text


def attendee_line(attendee: Attendee, day: date) -> str:
    """One attendee row as an invitation or the minutes list it."""
    if attendee.person_name:
        return _person_with_unit(attendee, capital=True, brackets=True)
    if attendee.group is not None:
        p = _group_phrase(attendee.group.name, _members(attendee.group, day))
    elif attendee.unit is not None:
        p = _Phrase(attendee.unit.name, "")
    else:
        raise AttributeError(f"attendee {attendee.pk} has no person, group or unit to name")
    return "Đại diện lãnh đạo " + f"{p.head} {p.tail}".strip()


def same_person(a: str, b: str) -> bool:
    return bool(a and b) and split_honorific(a)[1].lower() == split_honorific(b)[1].lower()


def attendance(attendees: Iterable[Attendee], day: date, *, exclude: Sequence[str] = ()) -> str:
    """Who attended, as one phrase: people first (but those in `exclude`, named elsewhere, such
    as the chair), then the units and groups merged and each introduced by "đại diện lãnh đạo",
    separated by semicolons."""
    people: list[str] = []
    phrases: list[_Phrase] = []
    for a in attendees:
        if a.person_name:
            if not any(same_person(a.person_name, name) for name in exclude):
                people.append(_person_with_unit(a, capital=False, brackets=False))
        elif a.group is not None:
            phrases.append(_group_phrase(a.group.name, _members(a.group, day)))
        elif a.unit is not None:
            phrases.append(_split_place(a.unit.name))
    return "; ".join(people + [f"đại diện lãnh đạo {text}" for text in _merge(phrases)])


# Agenda titles that start with what the presenter does ("Thông qua dự thảo báo cáo …").
PRESENTING_VERBS = ("thông qua", "trình bày", "giới thiệu", "quán triệt", "công bố", "báo cáo tóm tắt",
                    "phát biểu")


def starts_with_verb(title: str) -> bool:
    return " ".join(title.split()).lower().startswith(PRESENTING_VERBS)


def presenting(title: str) -> str:
    """"trình bày dự thảo Báo cáo …", or the title itself when it starts with the verb
    ("thông qua dự thảo Báo cáo sơ kết …")."""
    text = lower_first(" ".join(title.split()).rstrip("."))
    return text if starts_with_verb(text) else f"trình bày {text}"


def units_phrase(names: Sequence[str]) -> str:
    """Unit names merged the same way, joined with commas."""
    return ", ".join(_merge([_split_place(n) for n in names]))


# ---------------------------------------------------------------------------
# Sectors from the presented report
#
# The article says who did what. A section's units' sentences and their groups are the report's
# own (`consolidation.grouping`, kept in the part's "grouping": the consolidation computed it, or
# the compiler split and merged groups): one group is one thing several units wrote, in their own
# words, written once. Each group the article quotes opens with the units that wrote it, named as
# the consolidation names them but with their full names ("Phòng Văn hóa và Thông tin các huyện,
# thành phố …"); what the organiser's own offices wrote speaks for the organiser, right after "Về
# lĩnh vực …," as the seed's article does. A unit's own sentences are quoted only when the section
# has nothing from the organiser or shared by several units. A report version from before the
# groups were kept, and a part the compiler rewrote, are grouped here from their "<units>: …"
# paragraphs.

# How many sentences (groups) and figure lines of a section the article quotes.
SECTOR_SENTENCES = 8
SECTOR_FIGURES = 2
_SANCTION_METRICS = ("sanction_decisions", "sanction_amount")
_INSPECTION_METRICS = ("inspections_held", "checks_held")


def sector_intro(heading: str) -> str:
    """"Về lĩnh vực thông tin – báo chí – xuất bản", "Về công tác thanh tra, kiểm tra, …"."""
    text = lower_first(heading)
    # "Thông tin – Báo chí – Xuất bản": every word after a dash is a title-case capital.
    text = re.sub(r"([–-]\s+)(\w)(?=\w*\b)", lambda m: m.group(1) + m.group(2).lower(), text)
    lowered = text.lower()
    if lowered.startswith(("lĩnh vực", "công tác", "hoạt động")):
        return f"Về {text}"
    if lowered.startswith(ACTIVITY_WORDS):
        return f"Về công tác {text}"
    return f"Về lĩnh vực {text}"


def _full_named(speakers: Sequence[grouping.Speaker], rules: grouping.Rules) -> list[grouping.Speaker]:
    """The speakers named by their full names ("Phòng Văn hóa và Thông tin huyện Ba Bể"), their
    labels as aliases: the article names units in full, as news items do — but for a name two units
    share, whose label the report made unique ("Xã Tân Thành (tỉnh Thái Nguyên)")."""
    def full(s: grouping.Speaker) -> str:
        return next(iter(s.aliases), "") or s.label

    names = Counter(full(s) for s in speakers)
    return [grouping.speaker_for(id=s.id, label=full(s), name=s.label, kind=s.kind, area=s.area, rules=rules)
            if full(s) != s.label and names[full(s)] == 1 else s for s in speakers]


def _speakers_expected(version, rules: grouping.Rules) -> list[grouping.Speaker]:
    """The report's units as speakers, from its `meta.expected` (a version without groups)."""
    expected = ((version.composed or {}).get("meta") or {}).get("expected") or []
    return [grouping.speaker_for(id=int(u["id"]), label=u.get("label") or u.get("name") or "",
                                 name=u.get("name") or "", kind=u.get("kind") or "", area=u.get("area") or "",
                                 rules=rules)
            for u in expected if u.get("id")]


def _named(head: str, speakers: Sequence[grouping.Speaker]) -> list[grouping.Speaker] | None:
    """The speakers "Huyện Ba Bể, huyện Na Rì" lists (by label or full name), None if it is not such a list."""
    by_name = {n.lower(): s for s in speakers for n in (s.label, *s.aliases) if n}
    found: list[grouping.Speaker] = []
    remaining = head.strip().lower()
    while remaining:
        match = next((k for k in sorted(by_name, key=len, reverse=True) if remaining.startswith(k)), None)
        if match is None:
            return None
        if by_name[match] not in found:
            found.append(by_name[match])
        remaining = remaining[len(match):]
        remaining = remaining[2:] if remaining.startswith(", ") else remaining
        if remaining and not remaining[:1].isalnum():
            return None
    return found


def _from_paragraphs(text: str, version, rules: grouping.Rules) -> tuple[grouping.Consolidation | None, list[str]]:
    """(the units' sentences of "<units>: …" paragraphs, grouped; the other paragraphs' sentences,
    which are the organiser's or the compiler's own text)."""
    speakers = _speakers_expected(version, rules)
    items: list[tuple[grouping.Speaker, str]] = []
    own: list[str] = []
    for paragraph in re.split(r"\n\s*\n", text or ""):
        paragraph = " ".join(paragraph.split())
        if not paragraph:
            continue
        head, sep, body = paragraph.partition(": ")
        named = _named(head, speakers) if sep else None
        if sep and named is None and len(head) <= 2000:
            speakers += _units_called(head, speakers, rules)
            named = _named(head, speakers)
        if named:
            items.extend((s, body) for s in named)
        else:
            own.extend(_closed(split_sentences(paragraph)))
    if not items:
        return None, own
    return grouping.consolidate(items, rules, population=speakers), own


def _units_called(head: str, known: Sequence[grouping.Speaker], rules: grouping.Rules) -> list[grouping.Speaker]:
    """The units a compiler's edit names that the report did not expect (by name or short name),
    so that their sentences are still theirs."""
    names = {n.strip() for n in head.split(", ") if n.strip()}
    names -= {n for s in known for n in (s.label, *s.aliases)}
    if not names or len(names) > 50:
        return []
    units = OrgUnit.objects.filter(Q(name__in=names) | Q(short_name__in=names)).order_by("path")
    return [grouping.speaker_for(id=u.pk, label=u.short_name or u.name, name=u.name, kind=u.kind, rules=rules)
            for u in units]


def _closed(pieces: list[str]) -> list[str]:
    """A paragraph's sentences, its last ending with a full stop rather than ";"."""
    if pieces and pieces[-1][-1:] in (";", ",", ":"):
        pieces[-1] = pieces[-1][:-1].rstrip() + "."
    return pieces


@functools.lru_cache(maxsize=4096)
def _opens_with_verb(sentence: str) -> bool:
    """Whether the sentence is a predicate without its subject ("Rà soát …", "Đã …", "Tích cực
    tham gia …", "Chủ động rà soát …"): the units' name is then its subject. Tagged in lower case,
    as it reads after the name (a capital makes underthesea read "Tổ chức" as a noun)."""
    from underthesea import pos_tag

    text = lower_first(sentence[:80])
    if text[:1].isupper():
        return False  # a name opens it: it has its own subject
    tags = [tag for _, tag in pos_tag(text)[:2]]
    return bool(tags) and (tags[0] in ("V", "R", "A") or tags[:2] == ["N", "V"])


def _own_ids(speakers: Sequence[grouping.Speaker], organiser) -> set[int]:
    """The speakers that are the organiser or one of its offices."""
    if organiser is None or not organiser.path:
        return set()
    ids = [s.id for s in speakers]
    return set(OrgUnit.objects.within(organiser).filter(pk__in=ids).values_list("pk", flat=True))


def _quoted(c: grouping.Consolidation, own_ids: set[int], rules: grouping.Rules, *,
            has_own: bool = False) -> tuple[list[str], list[str]]:
    """(what the organiser's offices wrote, what other units wrote with each run of sentences of
    the same units opening with their names). A unit's own sentences only when there is nothing
    else (`has_own`: the organiser's text besides)."""
    texts = grouping.group_texts(c, c.groups, rules)
    own: list[str] = []
    shared: list[grouping.GroupText] = []
    single: list[grouping.GroupText] = []
    for g in texts:
        ids = {c.speakers[i].id for i in g.speakers}
        if ids <= own_ids:
            own.append(f"{g.attribution.text} {lower_first(g.sentence)}" if g.self_subject else g.sentence)
        elif len(ids) > 1:
            shared.append(g)
        else:
            single.append(g)
    others: list[str] = []
    previous = None
    for g in shared or ([] if own or has_own else single):
        name = g.attribution.text
        body = g.sentence
        if name == previous:
            others.append(body)  # the same units go on
            continue
        if others:
            others[-1] = _closed([others[-1]])[0]  # other units: a new sentence
        if g.self_subject or _opens_with_verb(body):
            others.append(f"{upper_first(name)} {lower_first(body)}")
        else:
            others.append(f"Theo báo cáo của {name}, {lower_first(body)}")
        previous = name
    return own, others


def _sentence_body(sentence: str) -> str:
    return sentence.strip().rstrip(".;:,…").strip()


def _join(sentences: Sequence[str]) -> str:
    """Sentences (each with its own ending, or none) as running text: the last closes with a full
    stop; after a full stop a capital."""
    out: list[str] = []
    for position, sentence in enumerate(sentences):
        sentence = sentence.strip()
        if out and out[-1][-1:] in ".!?…":
            sentence = upper_first(sentence)
        last = position == len(sentences) - 1
        if sentence[-1:] in (";", ",", ":"):
            sentence = sentence[:-1].rstrip() + ("." if last else sentence[-1])
        elif sentence[-1:] not in (".", "!", "?", "…"):
            sentence += "."
        out.append(sentence)
    return " ".join(out)


def _rules(version) -> grouping.Rules:
    """The report's rules of grouping and naming (its regime's outline over the defaults)."""
    from baocao.consolidation.selectors import outline_get

    return grouping.Rules.from_mapping(outline_get(version.report.regime).grouping_rules)


def _case_metrics(version) -> dict[str, str]:
    """indicator code -> the case register's metric it is counted from, for the report's regime."""
    from baocao.cases.models import CaseIndicator

    return dict(CaseIndicator.objects.filter(regime_id=version.report.regime_id)
                .values_list("indicator_code", "metric"))


def _is_zero(value) -> bool:
    try:
        return value is not None and float(value) == 0
    except (TypeError, ValueError):
        return False


def _sanctions(figures: Sequence[dict], metrics: Mapping[str, str]) -> tuple[list[dict], list[dict]]:
    """(the section's figures of administrative penalties, its figures of inspections and checks)."""
    def is_sanction(f: dict) -> bool:
        name = (f.get("name") or "").lower()
        return metrics.get(f.get("code", "")) in _SANCTION_METRICS or "xử phạt" in name
    def is_inspection(f: dict) -> bool:
        name = (f.get("name") or "").lower()
        return metrics.get(f.get("code", "")) in _INSPECTION_METRICS or \
            f.get("unit_of_measure") == "cuộc" and ("thanh tra" in name or "kiểm tra" in name)
    sanctions = [f for f in figures if is_sanction(f)]
    inspections = [f for f in figures if is_inspection(f)]
    return sanctions, inspections


def _says_no_sanction(sentence: str) -> bool:
    words = f" {normalise_sentence(sentence)} "
    return " không " in words and " vi phạm " in words and (" xử phạt " in words or " xử lý " in words)


def sector_paragraphs(version, *, organiser=None) -> list[str]:
    """One paragraph per section of the report version: what its units wrote, each sentence by the
    units that wrote it (see above; the edited text if the compiler edited the part), "không phát
    sinh xử lý vi phạm hành chính" when the period's penalties are nil, and its first figure lines
    (with the penalties, when there were some). `organiser` defaults to the report's unit."""
    composed = version.composed or {}
    edits = version.edits or {}
    organiser = organiser if organiser is not None else version.report.unit
    rules = _rules(version)
    metrics = _case_metrics(version)
    out = []
    for part in composed.get("parts") or []:
        key = part.get("key", "")
        if not key.startswith("section:") or not part.get("heading"):
            continue
        figures = [f for f in part.get("figures") or [] if f.get("line")]
        sanctions, inspections = _sanctions(figures, metrics)
        sanction_line = ""
        if sanctions and all(_is_zero(f.get("value")) for f in sanctions):
            lead = "Qua thanh tra, kiểm tra" if any(not _is_zero(f.get("value")) for f in inspections) \
                else "Trong kỳ"
            sanction_line = f"{lead}, không phát sinh xử lý vi phạm hành chính đối với cơ quan, tổ chức, cá nhân."
        stored = part.get("grouping") or {}
        c: grouping.Consolidation | None
        own_text: list[str] = []
        if key not in edits and stored.get("sentences"):
            c = grouping.Consolidation.from_dict(stored, rules)
        else:
            text = edits[key] if key in edits else "\n\n".join(part.get("narrative") or [])
            c, own_text = _from_paragraphs(text, version, rules)
        own: list[str] = []
        others: list[str] = []
        if c is not None:
            c = replace(c, speakers=_full_named(c.speakers, rules))
            own, others = _quoted(c, _own_ids(c.speakers, organiser), rules, has_own=bool(own_text))
        own = _closed(own_text + own)
        if sanction_line:
            own = [s for s in own if not _says_no_sanction(s)]
        sentences = (own + others)[:SECTOR_SENTENCES]
        if sanction_line:
            sentences.append(sanction_line)
        # The first figures that are not nil, and the penalties whenever there were some.
        quoted = [f for f in figures if not _is_zero(f.get("value")) and f not in sanctions][:SECTOR_FIGURES]
        quoted += [f for f in sanctions if not _is_zero(f.get("value"))]
        lines = [lower_first(f["line"].strip().rstrip(".;:,…").strip()) for f in quoted]
        if not sentences and not lines:
            continue
        pieces = []
        if sentences:
            body = _join(sentences)
            # After "Về lĩnh vực …," the organiser's sentence goes on in lower case; so does "các
            # doanh nghiệp …" or "theo báo cáo của …", while a unit's name keeps its capitals.
            if own or sanction_line and len(sentences) == 1:
                body = lower_first(body)
            elif body.startswith(("Các ", "Theo ")):
                body = body[:1].lower() + body[1:]
            pieces.append(body)
        if lines:
            figure_text = "; ".join(lines)
            pieces.append(f"Về số liệu, {figure_text}." if sentences else f"{figure_text}.")
        out.append(f"{sector_intro(part['heading'])}, {' '.join(pieces)}")
    return out


# ---------------------------------------------------------------------------
# The article


def _presented(meeting: Meeting):
    agenda = list(meeting.agenda.all())
    with_report = next((a for a in agenda if a.report_version_id), None)
    return with_report, agenda


def _lead(meeting: Meeting) -> str:
    organiser = meeting.organiser
    text = f"Ngày {text_date(meeting.date)}, {organiser.name} đã tổ chức {meeting.title}"
    if meeting.place:
        text += f" tại {meeting.place}"
    sentences = [text + "."]
    presenters = [a.presenter_name for a in meeting.agenda.all() if a.report_version_id]
    attending = attendance(meeting.attendees.all(), meeting.date, exclude=[meeting.chair_name, *presenters])
    if attending:
        sentences.append(f"Tham dự Hội nghị có {attending}.")
    if meeting.chair_name:
        sentences.append(f"{person(meeting.chair_name, meeting.chair_title, capital=True)} chủ trì Hội nghị.")
    return " ".join(sentences)


def _presenter(meeting: Meeting) -> str:
    """Who presented the draft report (the agenda item with a report version; else the first
    item someone other than the chair presented)."""
    item, agenda = _presented(meeting)
    if item is not None:
        who = person(item.presenter_name, item.presenter_title) if item.presenter_name else "đại diện đơn vị tổ chức"
        meta = (item.report_version.composed or {}).get("meta") or {}
        period = meta.get("period_label") or item.report_version.report.period
        return (f"Tại Hội nghị, {who} đã {presenting(item.title)}. Báo cáo đánh giá kết quả thực hiện nhiệm vụ "
                f"{period} trên từng lĩnh vực, trong đó có những kết quả nổi bật sau.")
    other = next((a for a in agenda if a.presenter_name and not same_person(a.presenter_name, meeting.chair_name)),
                 None)
    if other is None:
        return ""
    return f"Tại Hội nghị, {person(other.presenter_name, other.presenter_title)} đã {presenting(other.title)}."


def _discussion(meeting: Meeting) -> str:
    opinions = list(meeting.opinions.all())
    if not opinions:
        return ""
    units: list[str] = []
    for o in opinions:
        name = o.unit.name if o.unit is not None else person(o.speaker_name, o.speaker_title)
        if name and name not in units:
            units.append(name)
    topics = []
    for o in opinions:
        if o.topic and lower_first(o.topic) not in topics:
            topics.append(lower_first(o.topic))
    text = f"Hội nghị đã nghe {len(opinions):02d} ý kiến trao đổi, thảo luận của đại biểu {units_phrase(units)}"
    if topics:
        text += f" về {', '.join(topics)}"
    points = []
    for o in opinions[:DISCUSSION_OPINIONS]:
        sentences = split_sentences(o.summary)
        if sentences:
            points.append(f"{_speaker(o)} {lower_first(_sentence_body(sentences[0]))}")
    text += "."
    if points:
        text += f" Trong đó, {'; '.join(points)}."
    return text


def _speaker(opinion) -> str:
    """Who voiced an opinion, as its point is attributed: "đại diện Viễn thông Bắc Kạn (VNPT)",
    "bà Hoàng Thị Lan (Phòng Văn hóa và Thông tin huyện Ba Bể)", "ông …, Giám đốc Trung tâm"."""
    unit = opinion.unit.name if opinion.unit is not None else ""
    if opinion.speaker_name:
        who = person(opinion.speaker_name, "" if unit else opinion.speaker_title)
        return f"{who} ({unit})" if unit else who
    return f"đại diện {unit}" if unit else lower_first(opinion.speaker_title) or "đại biểu"


def _conclusion(meeting: Meeting) -> str:
    conclusions = [lower_first(_sentence_body(" ".join(c.text.split()))) for c in meeting.conclusions.all()]
    conclusions = [c for c in conclusions if c]
    if not conclusions:
        return ""
    if meeting.chair_name:
        who = person(meeting.chair_name, meeting.chair_title)
        return f"Phát biểu kết luận Hội nghị, {who} nêu rõ: {'; '.join(conclusions)}./."
    return f"Kết luận Hội nghị nêu rõ: {'; '.join(conclusions)}./."


def _photos(meeting: Meeting) -> str:
    captions = ["[Ảnh: Quang cảnh Hội nghị]"]
    if meeting.chair_name:
        _, bare = split_honorific(meeting.chair_name)
        title = f" – {meeting.chair_title}" if meeting.chair_title else ""
        captions.append(f"[Ảnh: {upper_first(honorific(meeting.chair_name))} {bare}{title} "
                        "phát biểu chỉ đạo Hội nghị]")
    item, _ = _presented(meeting)
    if item is not None and item.presenter_name:
        _, bare = split_honorific(item.presenter_name)
        title = f" – {item.presenter_title}" if item.presenter_title else ""
        captions.append(f"[Ảnh: {upper_first(honorific(item.presenter_name))} {bare}{title} "
                        "trình bày dự thảo báo cáo]")
    if meeting.opinions.all():
        captions.append("[Ảnh: Đại biểu phát biểu ý kiến tại Hội nghị]")
    return "\n".join(captions)


def compose_article(meeting: Meeting, *, on: date | None = None, with_edits: bool = True) -> dict[str, str]:
    """Every part of the news item as text. `on` is the day it is generated or published (the
    "Cập nhật lúc" line), today in Vietnam by default; with_edits=False ignores Meeting.article."""
    from baocao.meetings.selectors import meeting_detail

    m = meeting_detail(meeting)
    item, _ = _presented(m)
    organiser = m.organiser
    composed = {
        "title": f"{organiser.short_name or organiser.name} tổ chức {m.title}",
        "updated": UPDATED_PREFIX + format_date(on or today_vn()),
        "lead": _lead(m),
        "presenter": _presenter(m),
        "sectors": "\n\n".join(sector_paragraphs(item.report_version, organiser=organiser))
        if item is not None else "",
        "discussion": _discussion(m),
        "conclusion": _conclusion(m),
        "photos": _photos(m),
        "author": m.article_author or m.created_by.display_name,
    }
    if with_edits:
        for key, text in (m.article or {}).items():
            if key in composed and isinstance(text, str):
                composed[key] = text
    return composed


def article_edited(meeting: Meeting) -> list[str]:
    """The parts set by hand: the edited ones, and the author when one is recorded."""
    edits = meeting.article or {}
    return [key for key in ARTICLE_PARTS if key in edits or key == "author" and meeting.article_author]


# ---------------------------------------------------------------------------
# Layout: the body as a sequence of paragraphs and photo captions


@dataclass(frozen=True)
class ArticleBlock:
    kind: str  # "paragraph" or "photo"
    text: str


def _paragraphs(text: str) -> list[str]:
    return [" ".join(p.split()) for p in re.split(r"\n\s*\n", text or "") if p.strip()]


def article_blocks(article: dict[str, str]) -> list[ArticleBlock]:
    """The body in reading order: a photo after the lead, after the chair's and the presenter's
    parts and after the discussion, as news pages place them; extra captions at the end."""
    photos = [line.strip() for line in (article.get("photos") or "").splitlines() if line.strip()]
    blocks: list[ArticleBlock] = []

    def paragraphs(key: str) -> None:
        blocks.extend(ArticleBlock("paragraph", p) for p in _paragraphs(article.get(key, "")))

    def photo() -> None:
        if photos:
            blocks.append(ArticleBlock("photo", photos.pop(0)))

    paragraphs("lead")
    photo()
    photo()
    paragraphs("presenter")
    photo()
    paragraphs("sectors")
    paragraphs("discussion")
    photo()
    paragraphs("conclusion")
    while photos:
        photo()
    return blocks


def updated_line(article: dict[str, str]) -> str:
    text = (article.get("updated") or "").strip()
    return f"({text})" if text else ""


def _xml_safe(article: dict[str, str]) -> dict[str, str]:
    """Edited or composed text may hold control characters stored before input was cleaned."""
    return {key: xml_text(value) if isinstance(value, str) else value for key, value in article.items()}


def article_html(article: dict[str, str]) -> str:
    """A standalone HTML page of the news item (simple, printable, no external files)."""
    from django.template.loader import render_to_string

    article = _xml_safe(article)

    return render_to_string("meetings/article_page.html", {
        "article": article, "blocks": article_blocks(article), "updated": updated_line(article),
    })


def article_docx(article: dict[str, str]) -> bytes:
    """The news item as .docx: Times New Roman 14, title bold, captions italic, author at the right."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Mm, Pt

    from baocao.documents.docx_render import set_core_properties

    article = _xml_safe(article)
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = section.bottom_margin = Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    normal = document.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(14)
    rpr = normal.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), "Times New Roman")
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.15
    set_core_properties(document, title=article.get("title", ""), author=article.get("author", ""), language="vi-VN")

    def add(text: str, *, bold=False, italic=False, size=14, align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent=False):
        paragraph = document.add_paragraph()
        paragraph.alignment = align
        if indent:
            paragraph.paragraph_format.first_line_indent = Cm(1)
        run = paragraph.add_run(text)
        run.font.size = Pt(size)
        run.font.bold = bold
        run.font.italic = italic
        return paragraph

    # The template's first empty paragraph is reused for the title.
    first = document.paragraphs[0] if document.paragraphs else None
    title = add(article.get("title", ""), bold=True, size=16, align=WD_ALIGN_PARAGRAPH.CENTER)
    if first is not None and not first.text:
        first._element.getparent().remove(first._element)
    title.paragraph_format.space_after = Pt(3)
    if updated_line(article):
        add(updated_line(article), italic=True, size=12, align=WD_ALIGN_PARAGRAPH.CENTER)
    for block in article_blocks(article):
        if block.kind == "photo":
            add(block.text, italic=True, size=13, align=WD_ALIGN_PARAGRAPH.CENTER)
        else:
            add(block.text, indent=True)
    if article.get("author", "").strip():
        add(article["author"].strip(), bold=True, align=WD_ALIGN_PARAGRAPH.RIGHT)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
