"""Units' narrative texts as sentences, and how units are named in them (the grouping of sentences
that say the same thing is `consolidation.grouping`).

Sentences are split on ``. ! ? ; …`` and line breaks; list markers ("- ", "+ ", "• ", "1. ",
"a) ") at the start of a line or sentence are removed. A full stop only ends a sentence when
whitespace (or the end of the text) follows it, so numbers ("1.234.567", "12,5"), addresses
("baocao.gov.vn") and codes ("Th.S") stay whole; a few abbreviations ("TP. Bắc Kạn") never end a
sentence. `normalise_sentence` is the comparison form: case, spacing, punctuation and the placement
of tone marks ("hoà"/"hòa") do not matter, the diacritics themselves do ("bà" and "ba" are
different words).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

# Sentence terminators. ";" and "!" "?" always end a sentence; "." and "…" only before whitespace.
_HARD_ENDS = frozenset("!?;")
_SOFT_ENDS = frozenset(".…")
_ENDS = _HARD_ENDS | _SOFT_ENDS
# Closing marks that stay with the sentence they close: «(… đạt 90%.)».
_CLOSERS = frozenset(")]}\"'”’»")
# Tokens that a full stop follows without ending the sentence ("TP. Bắc Kạn", "Đ/c. Hà Văn Tiến").
ABBREVIATIONS = frozenset({
    "TP", "Tp", "tp", "TX", "Tx", "TT", "Tt", "ThS", "Th.S", "TS", "PGS", "GS", "BS", "KS", "Đ/c", "đ/c",
})
# "v.v." (etc.) ends a sentence only when the next word starts with a capital letter.
_ETC = frozenset({"v.v", "V.v"})

# A list marker: bullets and dashes, "1." "1.2." "1)" "(1)", "a)" "(a)"; always followed by a space.
_MARKER = re.compile(r"(?:[-+•*–—●○◦▪■►✓]+|\(?\d{1,3}(?:\.\d{1,3})*[.)]|\(?[a-zđ]\))\s+")


def _strip_markers(text: str) -> str:
    text = text.strip()
    while True:
        match = _MARKER.match(text)
        if match is None or match.end() == len(text):
            return text
        text = text[match.end():].lstrip()


def _clean(piece: str) -> str | None:
    piece = " ".join(_strip_markers(piece).split())
    # A piece without a letter or digit ("-", "...", "•") is not a sentence.
    if not any(ch.isalnum() for ch in piece):
        return None
    return piece


def _token_before(line: str, end: int) -> str:
    start = end
    while start > 0 and not line[start - 1].isspace() and line[start - 1] not in "([":
        start -= 1
    return line[start:end]


def _split_line(line: str) -> list[str]:
    sentences: list[str] = []
    start = 0
    i = 0
    n = len(line)
    while i < n:
        if line[i] not in _ENDS:
            i += 1
            continue
        run_start = i
        while i < n and line[i] in _ENDS:
            i += 1
        while i < n and line[i] in _CLOSERS:
            i += 1
        run = line[run_start:i]
        at_boundary = i == n or line[i].isspace()
        if not any(ch in _HARD_ENDS for ch in run):
            if not at_boundary:
                continue  # 1.234.567, baocao.gov.vn, Th.S
            if run == ".":
                token = _token_before(line, run_start)
                if token in ABBREVIATIONS:
                    continue
                if token in _ETC:
                    following = line[i:].lstrip()
                    if following and not following[0].isupper():
                        continue
        sentences.append(line[start:i])
        # A list marker opening the next sentence ("…; 1. Tổ chức …") is not a sentence itself.
        while i < n and line[i].isspace():
            i += 1
        marker = _MARKER.match(line, i)
        while marker is not None and marker.end() < n:
            i = marker.end()
            marker = _MARKER.match(line, i)
        start = i
    sentences.append(line[start:])
    return sentences


def split_sentences(text: str) -> list[str]:
    """The sentences of ``text``, each with its own closing punctuation, list markers removed,
    inner whitespace collapsed; pieces without a letter or digit are dropped."""
    result: list[str] = []
    for line in (text or "").splitlines():
        for piece in _split_line(_strip_markers(line)):
            sentence = _clean(piece)
            if sentence is not None:
                result.append(sentence)
    return result


# Old-style tone placement ("hoà", "khoẻ", "thuỷ") and new style ("hòa", "khỏe", "thủy") are the
# same word; comparison uses the new style. Only open syllables differ (the vowel pair ends the
# syllable), so a letter after the pair leaves it alone ("hoàng" is spelt one way only).
_TONE_MARKS = ("\u0300", "\u0301", "\u0309", "\u0303", "\u0323")
_OLD_TONES: dict[str, str] = {}
for _first, _second in (("o", "a"), ("o", "e"), ("u", "y")):
    for _mark in _TONE_MARKS:
        _old = _first + unicodedata.normalize("NFC", _second + _mark)
        _new = unicodedata.normalize("NFC", _first + _mark) + _second
        _OLD_TONES[_old] = _new
_OLD_TONE_RE = re.compile("(?:" + "|".join(map(re.escape, _OLD_TONES)) + r")(?![^\W\d_])")
_LEGACY_D = str.maketrans({"ð": "đ", "Ð": "đ"})


def normalise_sentence(s: str) -> str:
    """The comparison form of a sentence: NFC, lower case, tone marks placed the new way, every
    character other than a letter or digit (diacritics kept) read as a space, spaces collapsed."""
    text = unicodedata.normalize("NFC", s).translate(_LEGACY_D).lower()
    text = unicodedata.normalize("NFC", text)
    text = _OLD_TONE_RE.sub(lambda m: _OLD_TONES[m.group(0)], text)
    kept = [ch if unicodedata.category(ch)[0] in "LNM" else " " for ch in text]
    return " ".join("".join(kept).split())


# Decree 30/2020/NĐ-CP, Appendix II: the word naming the kind of administrative unit is written in
# lower case before the name ("huyện Ba Bể", "thành phố Bắc Kạn") except at the start of a
# sentence; agency names ("Phòng Văn hóa và Thông tin", "Trung tâm ...") keep their capital.
ADMINISTRATIVE_PREFIXES = ("thành phố", "thị xã", "thị trấn", "huyện", "quận", "tỉnh", "xã", "phường")
_PROPER_NAMES = ("thành phố hồ chí minh",)


def _lower_prefix(label: str) -> str:
    lowered = label.lower()
    if any(lowered.startswith(name) for name in _PROPER_NAMES):
        return label
    for prefix in ADMINISTRATIVE_PREFIXES:
        if lowered.startswith(prefix) and (len(label) == len(prefix) or label[len(prefix)].isspace()):
            return label[0].lower() + label[1:]
    return label


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


def join_labels(labels: Sequence[str], *, sentence_start: bool = True) -> str:
    """Unit labels joined with ", ": "Huyện Ba Bể, huyện Na Rì, thành phố Bắc Kạn"; at the start of a
    sentence the first letter is a capital, elsewhere the administrative words are all lower case."""
    joined = ", ".join(_lower_prefix(label.strip()) for label in labels if label.strip())
    return _upper_first(joined) if sentence_start else joined
