"""What units wrote, consolidated: sentences that say the same thing in other words form one group,
written once, attributed to its units with their own numbers kept.

The steps, all deterministic (same input, same output):

1. Every unit's text is split into sentences (`narratives.split_sentences`). In each sentence the
   unit's own name ("Phòng VHTT huyện Ba Bể", "Phòng" opening the sentence), its locality ("huyện
   Ba Bể", "Ba Bể") and its numbers ("12 đài") become slots, so that two units writing the same
   thing about their own district read alike.
2. Sentences equal once slotted fall in one bucket at once (a dictionary: linear). The distinct
   slotted forms are segmented into Vietnamese words (underthesea), weighed by TF-IDF over words and
   word pairs (scikit-learn) and grouped in order of first appearance: a form joins the first group
   whose leading form is at least `Rules.similarity` alike (cosine), else starts a group. The cost is
   the number of distinct forms times the number of groups, not the square of the sentences.
3. A group of one sentence is the sentence as written. A group of several is its first sentence
   with the slots filled for all: the attribution as subject, the locality as its level ("cấp
   huyện"), a number the units differ on as their total (or range) with each unit's own figure in
   parentheses ("nâng cấp 12 đài (Ba Bể 5, Na Rì 7)").
4. Units are named collectively when all of a kind share the sentence ("Phòng VHTT các huyện, thành
   phố"), "… (trừ huyện Pác Nặm)" when most do, listed when few do, counted ("42 xã, phường") with
   the list in the annex when many do; by province first when the report spans provinces.
5. Paragraphs: one per kind of units (a family), sentences in order of first appearance.

`consolidate` returns the sentences and their partition into groups; `render` turns a partition
(the computed one, or the compiler's after splitting or merging groups) into paragraphs. Both work
on plain data; `Consolidation.to_dict` / `from_dict` keep it in the report version's JSON.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from importlib import resources
from typing import Any

from baocao.consolidation.narratives import (
    ADMINISTRATIVE_PREFIXES,
    normalise_sentence,
    split_sentences,
)
from baocao.core.vietnamese import format_number

SELF, PLACE, NUMBER = "zzdv", "zznoi", "zzso"
_PLACEHOLDERS = (SELF, PLACE, NUMBER)


# ---------------------------------------------------------------------------
# Rules (data: consolidation/data/grouping.json, overridable per regime)


@dataclass(frozen=True)
class Rules:
    similarity: float = 0.6
    most_share: float = 0.6
    most_min_units: int = 4
    max_exceptions: int = 3
    max_listed: int = 10
    level_words: Mapping[str, str] = field(default_factory=dict)
    kind_collectives: Mapping[str, str] = field(default_factory=dict)
    self_words: tuple[str, ...] = ()
    subject_tags: tuple[str, ...] = ("V", "R")

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any] | None) -> Rules:
        base = default_rules()
        if not data:
            return base
        known = {f: data[f] for f in cls.__dataclass_fields__ if f in data}
        for name in ("self_words", "subject_tags"):
            if name in known:
                known[name] = tuple(known[name])
        for name in ("level_words", "kind_collectives"):  # the regime's words over the defaults
            if name in known:
                known[name] = {**getattr(base, name), **known[name]}
        return replace(base, **known)


_NUMBERS = {"similarity": (0.05, 1.0), "most_share": (0.05, 1.0)}
_COUNTS = {"most_min_units": (2, 10_000), "max_exceptions": (0, 100), "max_listed": (1, 10_000)}
_WORD_MAPS = ("level_words", "kind_collectives")
_WORD_LISTS = ("self_words", "subject_tags")


def validate_rules(data: Any) -> None:
    """Refuse overrides of the grouping rules that are not what `Rules` reads, naming the culprit."""
    from baocao.core.errors import AppError

    if data in (None, {}):
        return
    if not isinstance(data, Mapping):
        raise AppError("Cách gộp câu phải là một bảng {tên: giá trị}.")
    known = set(_NUMBERS) | set(_COUNTS) | set(_WORD_MAPS) | set(_WORD_LISTS)
    unknown = sorted(set(data) - known)
    if unknown:
        raise AppError(f"Cách gộp câu có mục không dùng được: {', '.join(unknown)}. "
                       f"Các mục dùng được: {', '.join(sorted(known))}.", {"unknown": unknown})
    for name, (low, high) in {**_NUMBERS, **_COUNTS}.items():
        if name not in data:
            continue
        value = data[name]
        whole = name in _COUNTS
        if isinstance(value, bool) or not isinstance(value, int if whole else (int, float)) \
                or not low <= value <= high:
            kind = "số nguyên" if whole else "số"
            raise AppError(f"Mục «{name}» của cách gộp câu phải là {kind} từ {low} đến {high}.", {"field": name})
    for name in _WORD_MAPS:
        if name in data and not (isinstance(data[name], Mapping) and all(
                isinstance(k, str) and isinstance(v, str) for k, v in data[name].items())):
            raise AppError(f"Mục «{name}» của cách gộp câu phải là một bảng {{chữ: chữ}}.", {"field": name})
    for name in _WORD_LISTS:
        if name in data and not (isinstance(data[name], list) and all(isinstance(v, str) for v in data[name])):
            raise AppError(f"Mục «{name}» của cách gộp câu phải là một danh sách chữ.", {"field": name})


@functools.cache
def default_rules() -> Rules:
    raw = json.loads(resources.files("baocao.consolidation").joinpath("data/grouping.json").read_text("utf-8"))
    raw.pop("_comment", None)
    return Rules(**{**raw, "self_words": tuple(raw.get("self_words", ())),
                    "subject_tags": tuple(raw.get("subject_tags", ("V", "R")))})


# ---------------------------------------------------------------------------
# Speakers: the units whose texts are consolidated


@dataclass(frozen=True)
class Speaker:
    id: int
    label: str  # unique within the report
    kind: str = ""
    family: str = ""  # what the units of one kind are called without their locality: "Phòng VHTT"
    place: str = ""  # the locality a unit serves, as written in its label: "huyện Ba Bể"
    area: str = ""  # the receiving unit's direct child that holds it (a province), "" when none
    aliases: tuple[str, ...] = ()  # other names it goes by in its own texts (its full name)

    @property
    def family_key(self) -> tuple[str, str]:
        return (self.kind, self.family)

    @property
    def place_prefix(self) -> str:
        return _prefix_of(self.place)

    @property
    def place_name(self) -> str:
        prefix = self.place_prefix
        return self.place[len(prefix):].strip() if prefix else self.place

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "label": self.label, "kind": self.kind, "family": self.family,
                "place": self.place, "area": self.area, "aliases": list(self.aliases)}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Speaker:
        return cls(id=int(d["id"]), label=d["label"], kind=d.get("kind", ""), family=d.get("family", ""),
                   place=d.get("place", ""), area=d.get("area", ""), aliases=tuple(d.get("aliases") or ()))


@functools.lru_cache(maxsize=65536)
def _prefix_of(place: str) -> str:
    lowered = place.lower()
    for prefix in sorted(ADMINISTRATIVE_PREFIXES, key=len, reverse=True):
        if lowered.startswith(prefix + " "):
            return prefix
    return ""


_PLACE_IN_LABEL = re.compile(
    r"(?:^|\s)((?:" + "|".join(sorted(ADMINISTRATIVE_PREFIXES, key=len, reverse=True)) + r")\s+\S.*)$",
    re.IGNORECASE,
)


def speaker_for(*, id: int, label: str, name: str = "", kind: str = "", area: str = "",
                rules: Rules | None = None) -> Speaker:
    """A speaker with its family and locality read off its label: "Phòng VHTT huyện Ba Bể" is
    family "Phòng VHTT", place "huyện Ba Bể"; "Xã Bằng Thành" has no family, place "xã Bằng Thành".
    Kinds named collectively by kind ("các doanh nghiệp") have neither."""
    rules = rules or default_rules()
    aliases = tuple(a for a in (name,) if a and a != label)
    if kind in rules.kind_collectives:
        return Speaker(id=id, label=label, kind=kind, area=area, aliases=aliases)
    match = _PLACE_IN_LABEL.search(label)
    if match is None:
        return Speaker(id=id, label=label, kind=kind, area=area, aliases=aliases)
    place = match.group(1)
    family = label[: match.start(1)].strip()
    place = place[0].lower() + place[1:] if _prefix_of(place) else place
    return Speaker(id=id, label=label, kind=kind, family=family, place=place, area=area, aliases=aliases)


# ---------------------------------------------------------------------------
# Sentences as slotted forms

_NUMBER = re.compile(r"(?<![\w/.,\-–])\d{1,3}(?:\.\d{3})+(?:,\d+)?(?![\w/\-])|(?<![\w/.,\-–])\d+(?:,\d+)?(?![\w/\-])")
_YEAR_BEFORE = re.compile(r"(?:năm|giai đoạn|tháng|quý|ngày)\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class Slot:
    kind: str  # SELF, PLACE or NUMBER
    raw: str  # as written
    value: Decimal | None = None  # NUMBER
    after: str = ""  # NUMBER: the word that follows it ("đài"), to align numbers across sentences


Piece = str | Slot


def _decimal(raw: str) -> Decimal | None:
    try:
        return Decimal(raw.replace(".", "").replace(",", "."))
    except InvalidOperation:
        return None


@functools.lru_cache(maxsize=16384)
def _names_of(label: str, aliases: tuple[str, ...], place: str, family: str,
              self_words: tuple[str, ...]) -> tuple[tuple[tuple[str, str, bool], ...], tuple[str, ...]]:
    """What a unit is called in its own texts: ((lowered name, slot kind, bare), …) longest first,
    and the words it opens a sentence with to speak of itself ("Phòng", "Trung tâm", "Xã")."""
    names: list[tuple[str, str, bool]] = [(n.lower(), SELF, False) for n in (label, *aliases) if n]
    prefix = _prefix_of(place)
    if place:
        names.append((place.lower(), PLACE, False))
        bare = place[len(prefix):].strip() if prefix else ""
        if bare:
            names.append((bare.lower(), PLACE, True))
    names.sort(key=lambda n: len(n[0]), reverse=True)
    heads = [family, *(" ".join(family.split()[:n]) for n in (2, 1))] if family else []
    if prefix and not family:
        heads.append(prefix[:1].upper() + prefix[1:])  # "Xã đã …", "Phường tổ chức …"
    heads += list(self_words)
    return tuple(names), tuple(dict.fromkeys(h for h in heads if h))


def _boundary(text: str, start: int, end: int) -> bool:
    return (start == 0 or not text[start - 1].isalnum()) and (end == len(text) or not text[end].isalnum())


def _after_prefix(lowered: str, start: int) -> bool:
    before = lowered[:start].rstrip()
    return any(before.endswith(p) and (len(before) == len(p) or not before[-len(p) - 1].isalnum())
               for p in ADMINISTRATIVE_PREFIXES)


def _name_spans(sentence: str, speaker: Speaker, rules: Rules) -> list[tuple[int, int, str]]:
    names, heads = _names_of(speaker.label, speaker.aliases, speaker.place, speaker.family, rules.self_words)
    lowered = sentence.lower()
    spans: list[tuple[int, int, str]] = []
    taken = [False] * (len(sentence) + 1)
    for head in sorted(heads, key=len, reverse=True):
        end = len(head)
        if sentence.startswith(head) and len(sentence) > end + 1 and sentence[end] == " " \
                and sentence[end + 1].islower():
            spans.append((0, end, SELF))
            taken[:end] = [True] * end
            break
    for name, kind, bare in names:
        at = lowered.find(name)
        while at != -1:
            end = at + len(name)
            if _boundary(lowered, at, end) and not any(taken[at:end]) and not (bare and _after_prefix(lowered, at)):
                spans.append((at, end, kind))
                taken[at:end] = [True] * (end - at)
            at = lowered.find(name, end)
    return sorted(spans)


def slot_sentence(sentence: str, speaker: Speaker, rules: Rules) -> tuple[Piece, ...]:
    """The sentence as text pieces and slots (the unit itself, its locality, its numbers)."""
    pieces: list[Piece] = []
    at = 0
    for start, end, kind in _name_spans(sentence, speaker, rules):
        pieces.extend(_number_pieces(sentence[at:start]))
        pieces.append(Slot(kind, sentence[start:end]))
        at = end
    pieces.extend(_number_pieces(sentence[at:]))
    return tuple(pieces)


def _number_pieces(text: str) -> list[Piece]:
    out: list[Piece] = []
    at = 0
    for match in _NUMBER.finditer(text):
        raw = match.group(0)
        value = _decimal(raw)
        if value is None or (1900 <= value <= 2100 and "," not in raw and "." not in raw) \
                or _YEAR_BEFORE.search(text[:match.start()]):
            continue  # years, dates and periods are words of the sentence, not figures
        if match.start() > at:
            out.append(text[at:match.start()])
        following = text[match.end():].split()
        after = following[0].strip(",.;:()").lower() if following else ""
        out.append(Slot(NUMBER, raw, value, after))
        at = match.end()
    if at < len(text):
        out.append(text[at:])
    return out


def slotted_key(pieces: Sequence[Piece]) -> str:
    return normalise_sentence(" ".join(p if isinstance(p, str) else f" {p.kind} " for p in pieces))


@functools.lru_cache(maxsize=65536)
def _words(key: str) -> tuple[str, ...]:
    from underthesea import word_tokenize

    return tuple(w.replace(" ", "_") for w in word_tokenize(key) if w not in _PLACEHOLDERS)


def _features(key: str) -> list[str]:
    words = _words(key)
    return list(words) + [f"{a}~{b}" for a, b in zip(words, words[1:], strict=False)]


# ---------------------------------------------------------------------------
# Consolidation


@dataclass(frozen=True)
class SentenceRec:
    speaker: int  # index into Consolidation.speakers
    text: str
    pieces: tuple[Piece, ...]
    key: str


@dataclass
class Consolidation:
    speakers: list[Speaker]
    sentences: list[SentenceRec]
    groups: list[list[int]]  # a partition of the sentence indexes, in order of first appearance

    def to_dict(self) -> dict[str, Any]:
        return {"speakers": [s.to_dict() for s in self.speakers],
                "sentences": [{"speaker": s.speaker, "text": s.text} for s in self.sentences],
                "groups": [list(g) for g in self.groups]}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any], rules: Rules | None = None) -> Consolidation:
        rules = rules or default_rules()
        speakers = [Speaker.from_dict(s) for s in d.get("speakers") or []]
        sentences = []
        for s in d.get("sentences") or []:
            pieces = slot_sentence(s["text"], speakers[int(s["speaker"])], rules)
            sentences.append(SentenceRec(int(s["speaker"]), s["text"], pieces, slotted_key(pieces)))
        return cls(speakers=speakers, sentences=sentences, groups=[list(map(int, g)) for g in d.get("groups") or []])


def consolidate(items: Sequence[tuple[Speaker, str]], rules: Rules | None = None,
                population: Sequence[Speaker] = ()) -> Consolidation:
    """Group the sentences of ``items`` (speaker, text), in report order (see the module docstring).
    ``population`` is every unit of the report (in its order), whether it wrote or not: units are
    named collectively against it ("các huyện" only when every district's office shares it)."""
    rules = rules or default_rules()
    speakers: list[Speaker] = list(population)
    index: dict[int, int] = {s.id: i for i, s in enumerate(speakers)}
    sentences: list[SentenceRec] = []
    seen: set[tuple[int, str]] = set()
    for speaker, text in items:
        if not text or not text.strip():
            continue
        at = index.setdefault(speaker.id, len(speakers))
        if at == len(speakers):
            speakers.append(speaker)
        for sentence in split_sentences(text):
            if not normalise_sentence(sentence):
                continue
            pieces = slot_sentence(sentence, speaker, rules)
            key = slotted_key(pieces)
            if (at, key) in seen:
                continue  # a unit repeating itself counts once
            seen.add((at, key))
            sentences.append(SentenceRec(at, sentence, pieces, key))
    return Consolidation(speakers=speakers, sentences=sentences, groups=_partition(sentences, rules))


def _partition(sentences: Sequence[SentenceRec], rules: Rules) -> list[list[int]]:
    by_key: dict[str, list[int]] = {}
    for i, s in enumerate(sentences):
        by_key.setdefault(s.key, []).append(i)
    keys = list(by_key)
    if len(keys) <= 1:
        return [by_key[k] for k in keys]
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectorizer = TfidfVectorizer(analyzer=_features, sublinear_tf=True, norm="l2")
    try:
        matrix = vectorizer.fit_transform(keys)
    except ValueError:  # no words at all (only numbers and names)
        return [by_key[k] for k in keys]
    matrix = matrix.tocsr()
    leaders: list[int] = []  # row of each group's leading form
    members: list[list[str]] = []
    leader_matrix = None
    for row, key in enumerate(keys):
        vector = matrix[row]
        best, best_score = -1, 0.0
        if leaders and vector.nnz:
            scores = (leader_matrix @ vector.T).toarray().ravel()
            best = int(scores.argmax())
            best_score = float(scores[best])
        if best >= 0 and best_score >= rules.similarity:
            members[best].append(key)
            continue
        leaders.append(row)
        members.append([key])
        leader_matrix = matrix[leaders]
    groups = [sorted(i for key in group for i in by_key[key]) for group in members]
    groups.sort(key=lambda g: g[0])
    return groups


# ---------------------------------------------------------------------------
# Naming units


@dataclass(frozen=True)
class Naming:
    text: str  # "Phòng VHTT các huyện, thành phố"
    summarised: bool = False  # a count stands for a list; the list goes to the annex


def _and(parts: Sequence[str]) -> str:
    parts = [p for p in parts if p]
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " và " + parts[-1]


def _prefixes(speakers: Sequence[Speaker]) -> list[str]:
    """The kinds of localities, the most numerous first ("huyện, thành phố"), then as they come."""
    found = [s.place_prefix for s in speakers if s.place_prefix]
    order = list(dict.fromkeys(found))
    return sorted(order, key=lambda p: (-found.count(p), order.index(p)))


def _places_listed(speakers: Sequence[Speaker]) -> str:
    """"huyện Ba Bể", "các huyện Ba Bể, Na Rì và thành phố Bắc Kạn"."""
    chunks = []
    by_prefix: dict[str, list[Speaker]] = {prefix: [] for prefix in _prefixes(speakers)}
    for s in speakers:
        by_prefix.setdefault(s.place_prefix, []).append(s)
    for prefix, group in by_prefix.items():
        names = [s.place_name for s in group]
        if not prefix:
            chunks.append(", ".join(s.place for s in group))
        elif len(names) == 1:
            chunks.append(f"{prefix} {names[0]}")
        else:
            chunks.append(f"các {prefix} {', '.join(names)}")
    return _and(chunks)


def _family_phrase(family: str, text: str) -> str:
    return f"{family} {text}".strip()


def _name_family(members: Sequence[Speaker], population: Sequence[Speaker], rules: Rules,
                 with_family: bool = True) -> Naming:
    family = members[0].family if with_family else ""
    kind = members[0].kind
    everyone = len(members) == len(population) and len(population) >= 2
    placed = all(s.place for s in population)
    if everyone:
        if placed:
            return Naming(_family_phrase(family, "các " + ", ".join(_prefixes(population))))
        if kind in rules.kind_collectives:
            return Naming(rules.kind_collectives[kind])
    ids = {s.id for s in members}
    missing = [s for s in population if s.id not in ids]
    if (placed and len(population) >= rules.most_min_units and len(members) / len(population) >= rules.most_share
            and len(missing) <= rules.max_exceptions):
        collective = _family_phrase(family, "các " + ", ".join(_prefixes(population)))
        return Naming(f"{collective} (trừ {_places_listed(missing)})")
    if len(members) > rules.max_listed:
        counted = ", ".join(_prefixes(members)) if placed else "đơn vị"
        return Naming(_family_phrase(family, f"{format_number(len(members))} {counted}"), summarised=True)
    if placed and family:
        return Naming(_family_phrase(family, _places_listed(members)))
    if placed:
        return Naming(_places_listed(members))
    return Naming(_and([s.label for s in members]))


def name_units(members: Sequence[Speaker], population: Sequence[Speaker], rules: Rules | None = None) -> Naming:
    """How a report names ``members`` among the ``population`` of units of the part."""
    rules = rules or default_rules()
    areas = list(dict.fromkeys(s.area for s in population if s.area))
    if len(areas) >= 2 and len(members) > rules.max_listed:
        return _name_by_area(members, population, rules)
    families: dict[tuple[str, str], list[Speaker]] = {}
    for s in members:
        families.setdefault(s.family_key, []).append(s)
    namings = []
    for key, group in families.items():
        namings.append(_name_family(group, [s for s in population if s.family_key == key], rules))
    # "Phòng VHTT, Trung tâm VHTTTT các huyện, thành phố": families sharing one collective suffix.
    texts = [n.text for n in namings]
    if len(families) > 1:
        suffixes = {n.text[len(k[1]):] for n, k in zip(namings, families, strict=True) if k[1] and n.text.startswith(k[1])}
        if len(suffixes) == 1 and all(k[1] for k in families) and next(iter(suffixes)).startswith(" các "):
            texts = [", ".join(k[1] for k in families) + next(iter(suffixes))]
    return Naming(_and(texts), summarised=any(n.summarised for n in namings))


def _name_by_area(members: Sequence[Speaker], population: Sequence[Speaker], rules: Rules) -> Naming:
    """Units of many provinces: named by province ("các xã, phường của tỉnh Thái Nguyên, 12 xã của
    tỉnh Cao Bằng"), counted when the provinces are many."""
    by_area: dict[str, list[Speaker]] = {}
    for s in members:
        by_area.setdefault(s.area, []).append(s)
    if len(by_area) > rules.max_listed:
        kinds = ", ".join(_prefixes(members)) or "đơn vị"
        return Naming(f"{format_number(len(members))} {kinds} của {format_number(len(by_area))} tỉnh, thành phố",
                      summarised=True)
    chunks = []
    for area, group in by_area.items():
        total = [s for s in population if s.area == area]
        kinds = ", ".join(_prefixes(group)) or "đơn vị"
        where = lower_prefix(area)
        chunks.append(f"các {kinds} của {where}" if len(group) == len(total)
                      else f"{format_number(len(group))} {kinds} của {where}")
    return Naming(_and(chunks), summarised=True)


def lower_prefix(label: str) -> str:
    prefix = _prefix_of(label)
    return label[0].lower() + label[1:] if prefix else label


# ---------------------------------------------------------------------------
# Rendering


@dataclass
class GroupText:
    sentence: str  # without its attribution
    attribution: Naming
    speakers: list[int]  # indexes into Consolidation.speakers
    self_subject: bool  # the sentence opens with its unit: the attribution is its subject
    members: list[int]  # sentence indexes


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


def _lower_first(text: str) -> str:
    if len(text) > 1 and text[1].isupper():
        return text  # an acronym: "UBND", "CNTT"
    return text[:1].lower() + text[1:] if text else text


def _short_names(speakers: Sequence[Speaker]) -> dict[int, str]:
    """How each unit is named in a parenthesis of figures: its place ("Ba Bể") when no other unit
    of the list has that place, else its label."""
    counts: dict[str, int] = {}
    for s in speakers:
        counts[s.place_name] = counts.get(s.place_name, 0) + 1
    return {s.id: s.place_name if s.place_name and counts[s.place_name] == 1 else s.label for s in speakers}


def _align(rep: SentenceRec, member: SentenceRec) -> list[Slot | None]:
    """For each number of ``rep``, the member's matching number (same position when the forms are
    equal, else the first unused one before the same word)."""
    rep_numbers = [p for p in rep.pieces if isinstance(p, Slot) and p.kind == NUMBER]
    theirs = [p for p in member.pieces if isinstance(p, Slot) and p.kind == NUMBER]
    if member.key == rep.key:
        return list(theirs)
    used: set[int] = set()
    out: list[Slot | None] = []
    for slot in rep_numbers:
        found = next((i for i, t in enumerate(theirs) if i not in used and t.after == slot.after), None)
        if found is None:
            out.append(None)
        else:
            used.add(found)
            out.append(theirs[found])
    return out


def _opens_with_self(s: SentenceRec) -> bool:
    first = next((p for p in s.pieces if not (isinstance(p, str) and not p.strip())), None)
    return isinstance(first, Slot) and first.kind == SELF


def _group_sentence(c: Consolidation, members: Sequence[int], rules: Rules) -> tuple[str, bool]:
    # The sentence standing for the group: the first that names its unit as subject, else the first.
    lead = next((m for m in members if _opens_with_self(c.sentences[m])), members[0])
    members = [lead, *(m for m in members if m != lead)]
    rep = c.sentences[lead]
    speakers = [c.speakers[c.sentences[m].speaker] for m in members]
    single = len({c.sentences[m].speaker for m in members}) == 1
    aligned = [_align(rep, c.sentences[m]) for m in members] if not single else []
    same_place = len({s.place for s in speakers}) == 1
    out: list[str] = []
    notes: list[tuple[int, str]] = []  # (offset in the output after which the note goes, note)
    self_subject = False
    number_at = 0
    for position, piece in enumerate(rep.pieces):
        if isinstance(piece, str):
            out.append(piece)
            continue
        if piece.kind == SELF:
            if position == 0 or (position == 1 and isinstance(rep.pieces[0], str) and not rep.pieces[0].strip()):
                self_subject = True
                continue
            out.append(piece.raw if single else "các đơn vị")
        elif piece.kind == PLACE:
            if single or same_place:
                out.append(piece.raw)
            else:
                prefix = c.speakers[rep.speaker].place_prefix
                out.append(rules.level_words.get(prefix, "địa phương"))
        else:
            index = number_at
            number_at += 1
            if single:
                out.append(piece.raw)
                continue
            found = [(speakers[i], row[index]) for i, row in enumerate(aligned)
                     if index < len(row) and row[index] is not None]
            listed = len({s.id for s, _ in found}) <= rules.max_listed
            values = [slot.value for _, slot in found if slot is not None and slot.value is not None]
            if len(set(values)) <= 1:
                out.append(piece.raw)
                continue
            percent = piece.after in ("%", "phần", "điểm") or rep.text.find(piece.raw + "%") >= 0
            if percent:
                out.append(f"từ {format_number(min(values))} đến {format_number(max(values))}")
            else:
                out.append(format_number(sum(values, Decimal(0))))
            if listed:  # beyond, the annex has the units; the text has their total
                short = _short_names([s for s, _ in found])
                note = ", ".join(f"{short[s.id]} {slot.raw}{'%' if slot.after == '%' else ''}"
                                 for s, slot in found if slot is not None)
                notes.append((len("".join(out)), note))
    text = "".join(out)
    # Each note closes the clause its number is in (up to ";", ":" or the end of the sentence; the
    # commas of "tin, bài" stay inside).
    for offset, note in reversed(notes):
        end = re.search(r"[;:.!?…](?:\s|$)", text[offset:])
        cut = offset + end.start() if end else len(text.rstrip(".;:!?… "))
        text = text[:cut].rstrip() + f" ({note})" + text[cut:]
    text = " ".join(text.split())
    if self_subject:
        text = text.lstrip(" ,:")
    return text, self_subject


def group_texts(c: Consolidation, groups: Sequence[Sequence[int]] | None = None,
                rules: Rules | None = None) -> list[GroupText]:
    rules = rules or default_rules()
    population = c.speakers
    out = []
    for members in (groups if groups is not None else c.groups):
        members = sorted(members)
        if not members:
            continue
        speaker_ids = list(dict.fromkeys(c.sentences[m].speaker for m in members))
        naming = name_units([population[i] for i in speaker_ids], population, rules)
        sentence, self_subject = _group_sentence(c, members, rules)
        out.append(GroupText(sentence=sentence, attribution=naming, speakers=speaker_ids,
                             self_subject=self_subject, members=list(members)))
    return out


@functools.lru_cache(maxsize=16384)
def _opens_with_verb(sentence: str, tags: tuple[str, ...]) -> bool:
    from underthesea import pos_tag

    tagged = pos_tag(sentence[:80])
    return bool(tagged) and tagged[0][1] in tags


def _ensure_end(text: str) -> str:
    text = text.rstrip()
    if not text:
        return text
    core = text.rstrip(")]}\"'”’»")
    if core[-1:] in (";", ":", ","):
        return core[:-1].rstrip() + "." + text[len(core):]
    if core[-1:] in (".", "!", "?", "…"):
        return text
    return text + "."


def _paragraph_key(c: Consolidation, g: GroupText, family_sizes: Mapping[tuple[str, str], int]) -> tuple:
    keys = []
    for i in g.speakers:
        s = c.speakers[i]
        keys.append(("family", s.family_key) if family_sizes.get(s.family_key, 0) >= 2 else ("unit", s.id))
    return tuple(sorted(set(keys), key=str))


def render(c: Consolidation, groups: Sequence[Sequence[int]] | None = None,
           rules: Rules | None = None) -> tuple[list[str], list[GroupText]]:
    """The paragraphs of the consolidation (its own partition, or ``groups``), and the groups."""
    rules = rules or default_rules()
    texts = group_texts(c, groups, rules)
    family_sizes: dict[tuple[str, str], int] = {}
    for i in sorted({s.speaker for s in c.sentences}):
        key = c.speakers[i].family_key
        family_sizes[key] = family_sizes.get(key, 0) + 1
    paragraphs: dict[tuple, list[GroupText]] = {}
    for g in texts:
        paragraphs.setdefault(_paragraph_key(c, g, family_sizes), []).append(g)
    out = []
    for key, members in paragraphs.items():
        single_unit = len(key) == 1 and key[0][0] == "unit"
        colon_lead = single_unit and not members[0].self_subject and not _opens_with_verb(
            members[0].sentence, rules.subject_tags)
        pieces: list[str] = []
        previous: str | None = None
        for position, g in enumerate(members):
            name = g.attribution.text
            body = g.sentence
            last = position == len(members) - 1
            continues = bool(pieces) and pieces[-1].endswith(";")
            if colon_lead or name == previous:
                body = body if continues else _upper_first(body)
            elif g.self_subject or _opens_with_verb(body, rules.subject_tags):
                body = f"{_upper_first(name) if not continues else name} {_lower_first(body)}"
            else:
                body = f"{_upper_first(name)}: {body}" if not continues else f"{name}: {body}"
            previous = name
            nxt = members[position + 1] if not last else None
            keeps_semicolon = body.rstrip().endswith(";") and nxt is not None and (
                colon_lead or nxt.attribution.text == name)
            pieces.append(body.rstrip() if keeps_semicolon else _ensure_end(body))
        text = " ".join(pieces)
        if colon_lead:
            text = f"{_upper_first(members[0].attribution.text)}: {text}"
        out.append(text)
    return out, texts


def annex_of(c: Consolidation, groups: Sequence[GroupText]) -> list[dict[str, Any]]:
    """The full lists behind the attributions a count stands for, in the order of the text, each
    by province when the units have one: {"attribution", "sentence", "units", "by_area"}."""
    out = []
    for g in groups:
        if not g.attribution.summarised:
            continue
        by_area: dict[str, list[str]] = {}
        for i in g.speakers:
            by_area.setdefault(c.speakers[i].area, []).append(c.speakers[i].label)
        out.append({"attribution": g.attribution.text, "sentence": g.sentence,
                    "units": [c.speakers[i].label for i in g.speakers],
                    "by_area": [{"area": area, "units": units} for area, units in by_area.items()]})
    return out
