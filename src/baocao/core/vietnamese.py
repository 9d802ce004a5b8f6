"""Vietnamese conventions: number and date formats, search folding, alphabetical order.

Numbers use "." between thousands and "," before decimals (1.234.567,5). Document dates
follow Decree 30/2020/NĐ-CP ("ngày 05 tháng 7 năm 2022"). Sorting follows the Vietnamese
alphabet (a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y), base letters first,
then tones (none, huyền, hỏi, ngã, sắc, nặng).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import ROUND_HALF_UP, Context, Decimal
from typing import Any, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

T = TypeVar("T")

try:
    VIETNAM_TZ: ZoneInfo | timezone = ZoneInfo("Asia/Ho_Chi_Minh")
except ZoneInfoNotFoundError:  # pragma: no cover - only on systems without tz data
    # Vietnam has kept UTC+7 without daylight saving since 1975, so a fixed offset is exact
    # for any date this application handles.
    VIETNAM_TZ = timezone(timedelta(hours=7), "ICT")


# ---------------------------------------------------------------------------
# Numbers


def _group_thousands(digits: str) -> str:
    head = len(digits) % 3 or 3
    groups = [digits[:head]] + [digits[i : i + 3] for i in range(head, len(digits), 3)]
    return ".".join(groups)


def _to_decimal(value: Decimal | float) -> Decimal:
    if isinstance(value, bool):
        raise TypeError("format_number() does not format booleans")
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, float):
        # repr is the shortest text that round-trips: what a person typed (0.1, not 0.1000...0055).
        number = Decimal(repr(value))
    else:
        raise TypeError(f"cannot format {type(value).__name__} as a number")
    if not number.is_finite():
        raise ValueError(f"Giá trị «{value}» không phải là số hữu hạn.")
    return number


def format_number(value: Decimal | float | None, decimals: int | None = None) -> str:
    """Vietnamese number text: 1234567 -> "1.234.567", Decimal("1234.5") -> "1.234,5".

    With ``decimals`` the value is rounded half-up to that many places and zeros are kept
    ("1.234,50"); without it a Decimal's trailing zeros are dropped. None gives "".
    """
    if value is None:
        return ""
    number = _to_decimal(value)
    if decimals is not None:
        if not isinstance(decimals, int) or isinstance(decimals, bool) or decimals < 0:
            raise ValueError("decimals must be a non-negative integer")
        # Enough precision for the integer digits plus the requested places: quantize
        # refuses (InvalidOperation) results longer than the context precision.
        context = Context(prec=max(28, number.adjusted() + decimals + 3))
        number = number.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP, context=context)
    text = format(number, "f")
    negative = text.startswith("-")
    text = text.lstrip("-")
    integer, _, fraction = text.partition(".")
    if decimals is None:
        fraction = fraction.rstrip("0")
    result = _group_thousands(integer)
    if fraction:
        result += "," + fraction
    # "-0" and "-0,00" (a tiny negative rounded away) read as zero.
    if negative and any(ch not in "0" for ch in integer + fraction):
        result = "-" + result
    return result


def format_percent(value: Decimal | float | None, decimals: int = 1) -> str:
    """A value already in percent: 12.5 -> "12,5%", 100 -> "100%" (an all-zero fraction is dropped)."""
    if value is None:
        return ""
    text = format_number(value, decimals)
    integer, sep, fraction = text.partition(",")
    if sep and not fraction.strip("0"):
        text = integer
    return f"{text}%"


_SIGN = r"(?P<sign>[-+\u2212]?)"
_NUMBER_PATTERNS = (
    # 1.234.567 or 1.234.567,89: dots group thousands, the first group has no leading zero.
    re.compile(_SIGN + r"(?P<int>[1-9][0-9]{0,2}(?:\.[0-9]{3})+)(?:,(?P<frac>[0-9]+))?"),
    # 12,5 or 1234,5: decimal comma without grouping.
    re.compile(_SIGN + r"(?P<int>[0-9]+)(?:,(?P<frac>[0-9]+))?"),
    # 1234.5 or 0.234: decimal point (a single dot before exactly three digits after a
    # non-zero lead is caught above as Vietnamese thousands: "1.234" is 1234).
    re.compile(_SIGN + r"(?P<int>[0-9]+)\.(?P<frac>[0-9]+)"),
)


def parse_number(text: str) -> Decimal:
    """Read a number typed the Vietnamese way ("1.234.567", "1.234,5", "12,5") or "1234.5".

    "1.234" is 1234 (Vietnamese thousands). Raises ValueError with a Vietnamese message.
    """
    if not isinstance(text, str):
        raise TypeError(f"parse_number() takes a string, not {type(text).__name__}")
    stripped = text.strip()
    for pattern in _NUMBER_PATTERNS:
        match = pattern.fullmatch(stripped)
        if match is not None:
            literal = match["int"].replace(".", "")
            if match["frac"]:
                literal += "." + match["frac"]
            number = Decimal(literal)
            return -number if match["sign"] in ("-", "\u2212") and number else number
    raise ValueError(f"Giá trị «{text}» không phải là số.")


# ---------------------------------------------------------------------------
# Dates


def _to_vietnam_time(dt: datetime) -> datetime:
    # Naive datetimes come from the database/server clock, which runs in UTC.
    if dt.tzinfo is None or dt.tzinfo.utcoffset(dt) is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.astimezone(VIETNAM_TZ)


def format_date(d: date | None) -> str:
    """dd/mm/yyyy, e.g. "07/07/2022"; a datetime is first moved to Vietnam time."""
    if d is None:
        return ""
    if isinstance(d, datetime):
        d = _to_vietnam_time(d).date()
    return f"{d.day:02d}/{d.month:02d}/{d.year:04d}"


DATE_PLACEHOLDER = "dd/mm/yyyy"
# What a date box lets the browser accept: dd/mm/yyyy (a day or month of one digit too), or the ISO
# form a script or an older page posts.
DATE_INPUT_PATTERN = r"\s*(\d{1,2}/\d{1,2}/\d{4}|\d{4}-\d{1,2}-\d{1,2})\s*"
_DMY = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
MSG_DATE_FORMAT = "Ngày «{text}» không đúng dạng ngày/tháng/năm (dd/mm/yyyy), ví dụ 02/12/2026."
MSG_DATE_INVALID = "Không có ngày {text}: hãy kiểm tra ngày và tháng."


def parse_date(text: str) -> date:
    """A day typed dd/mm/yyyy (02/12/2026, 2/12/2026, 02.12.2026, 02-12-2026) or ISO (2026-12-02),
    always day first: never the browser's or the locale's guess. Raises ValueError with a
    Vietnamese message for anything else, or a day that does not exist (31/02/2026)."""
    if not isinstance(text, str):
        raise TypeError(f"parse_date() takes a string, not {type(text).__name__}")
    stripped = text.strip()
    shown = stripped[:20] + ("…" if len(stripped) > 20 else "")
    iso = _ISO.fullmatch(stripped)
    dmy = None if iso else _DMY.fullmatch(stripped)
    if iso:
        year, month, day = (int(g) for g in iso.groups())
    elif dmy:
        day, month, year = (int(g) for g in dmy.groups())
    else:
        raise ValueError(MSG_DATE_FORMAT.format(text=shown))
    try:
        return date(year, month, day)
    except ValueError:
        raise ValueError(MSG_DATE_INVALID.format(text=shown)) from None


def format_document_date(d: date, place: str | None = None) -> str:
    """Decree 30/2020/NĐ-CP date line: "Bắc Kạn, ngày 05 tháng 7 năm 2022".

    Days below 10 and the months 1 and 2 take a leading zero; other months do not.
    """
    if isinstance(d, datetime):
        d = _to_vietnam_time(d).date()
    month = f"{d.month:02d}" if d.month <= 2 else str(d.month)
    text = f"ngày {d.day:02d} tháng {month} năm {d.year}"
    if place is not None and place.strip():
        return f"{place.strip()}, {text}"
    return text


def format_document_day(d: date) -> str:
    """A day inside an official document's text (Decree 30/2020/NĐ-CP practice): "07/7/2022",
    "14/6/2022", "15/12/2021", "05/02/2022" — the day padded below 10, the month only for 1 and 2.

    For the body of reports and minutes; screens keep `format_date` (dd/mm/yyyy)."""
    if isinstance(d, datetime):
        d = _to_vietnam_time(d).date()
    month = f"{d.month:02d}" if d.month <= 2 else str(d.month)
    return f"{d.day:02d}/{month}/{d.year}"


def format_datetime(dt: datetime | None) -> str:
    """Vietnam local time as "07/07/2022 14:05"; naive datetimes are taken as UTC."""
    if dt is None:
        return ""
    local = _to_vietnam_time(dt)
    return f"{format_date(local.date())} {local.hour:02d}:{local.minute:02d}"


# ---------------------------------------------------------------------------
# Running text

# Words naming a body, capitalised in running text when they mean a given one ("Sở đã chỉ đạo …").
INSTITUTIONS = ("Sở", "Phòng", "Thanh tra", "Văn phòng", "Ủy ban", "Uỷ ban", "Trung tâm", "Bộ", "Cục", "Ban",
                "Hội", "Đảng", "Nhà nước", "Chính phủ", "Tỉnh ủy", "Huyện ủy", "Đoàn", "Cổng")


def lower_first(text: str) -> str:
    """The first letter in lower case, to continue a sentence; kept when the first word is an
    acronym ("UBND"), names a body ("Sở", "Phòng") or starts a proper name ("Tổ Công nghệ số")."""
    text = (text or "").strip()
    words = text.split(" ", 2)
    first = words[0] if words else ""
    if sum(ch.isupper() for ch in first) > 1:
        return text
    if any(text == name or text.startswith(name + " ") for name in INSTITUTIONS):
        return text
    second = words[1] if len(words) > 1 else ""
    if second[:1].isupper() and any(ch.islower() for ch in second):
        return text
    return text[:1].lower() + text[1:]


def upper_first(text: str) -> str:
    text = (text or "").strip()
    return text[:1].upper() + text[1:]


# ---------------------------------------------------------------------------
# Search folding


def _strip_marks(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


# đ is a letter of its own, not d plus a mark, so NFD leaves it alone. Ð/ð (eth) appear in
# text converted from legacy TCVN3/VNI fonts in place of Đ/đ, so they fold the same way.
_D_LETTERS = str.maketrans({"đ": "d", "Đ": "d", "ð": "d", "Ð": "d"})


def fold(text: str) -> str:
    """Search form: lower-case, no diacritics, đ -> d, single spaces. "Bắc  Kạn" -> "bac kan"."""
    folded = _strip_marks(text.translate(_D_LETTERS)).lower()
    # Lower-casing can itself produce marks (e.g. "İ" -> "i̇"), so strip once more.
    folded = _strip_marks(folded)
    return " ".join(folded.split())


# ---------------------------------------------------------------------------
# Collation

_ALPHABET = tuple("aăâbcdđeêfghijklmnoôơpqrstuưvwxyz")  # precomposed (NFC) letters
# f, j, w, z are not in the Vietnamese alphabet but occur in names and loanwords; they sit
# where the Latin alphabet puts them.
_LETTER_RANK = {letter: rank for rank, letter in enumerate(_ALPHABET)}
_BREVE, _CIRCUMFLEX, _HORN = "\u0306", "\u0302", "\u031b"
_MODIFIED = {
    ("a", _BREVE): "ă",
    ("a", _CIRCUMFLEX): "â",
    ("e", _CIRCUMFLEX): "ê",
    ("o", _CIRCUMFLEX): "ô",
    ("o", _HORN): "ơ",
    ("u", _HORN): "ư",
}
# Tone order: none (0), huyền, hỏi, ngã, sắc, nặng.
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
_CLASS_SPACE, _CLASS_PUNCT, _CLASS_DIGIT, _CLASS_LETTER, _CLASS_OTHER = 0, 1, 2, 3, 4


def _letters(text: str) -> list[tuple[str, list[str]]]:
    """Split NFD text into (base character, its combining marks)."""
    result: list[tuple[str, list[str]]] = []
    for ch in unicodedata.normalize("NFD", text):
        if unicodedata.combining(ch) and result:
            result[-1][1].append(ch)
        elif not unicodedata.combining(ch):
            result.append((ch, []))
    return result


@functools.lru_cache(maxsize=65536)
def collation_key(text: str) -> tuple[Any, ...]:
    """Sort key for Vietnamese alphabetical order.

    Levels: (1) base letters, case-insensitive, with ă â đ ê ô ơ ư as letters of their own;
    (2) tones per syllable (so "hoà" and "hòa" tie here); (3) lower case before upper case;
    (4) the text itself, so that only equal texts (after NFC) have equal keys.
    Whitespace runs count as one separator that sorts before every letter.
    """
    normalized = unicodedata.normalize("NFC", text)
    primary: list[tuple[int, int]] = []
    tones: list[tuple[int, ...]] = []
    cases: list[int] = []
    syllable: list[int] | None = None
    for base, marks in _letters(" ".join(normalized.split())):
        lower = base.lower()
        if lower == "ð":  # legacy-font stand-in for đ, see _D_LETTERS
            lower = "đ"
        modifiers = [m for m in marks if m not in _TONES]
        letter = _MODIFIED.get((lower, modifiers[0]), lower) if modifiers else lower
        if letter in _LETTER_RANK:
            primary.append((_CLASS_LETTER, _LETTER_RANK[letter]))
        elif base.isspace():
            primary.append((_CLASS_SPACE, 0))
        elif base in "0123456789":
            primary.append((_CLASS_DIGIT, ord(base)))
        elif base.isalnum():
            primary.append((_CLASS_OTHER, ord(lower[0])))
        else:
            primary.append((_CLASS_PUNCT, ord(base)))
        if base.isalnum():
            if syllable is None:
                syllable = []
                tones.append(())
            syllable.extend(_TONES[m] for m in marks if m in _TONES)
            tones[-1] = tuple(syllable)
        else:
            syllable = None
        cases.append(1 if base.lower() != base else 0)
    return (tuple(primary), tuple(tones), tuple(cases), normalized)


def sort_vietnamese(items: Iterable[T], key: Callable[[T], str] | None = None) -> list[T]:
    """Items sorted in Vietnamese alphabetical order of ``key(item)`` (the item itself by default)."""
    if key is None:
        return sorted(items, key=lambda item: collation_key(str(item)))
    return sorted(items, key=lambda item: collation_key(key(item)))


# ---------------------------------------------------------------------------
# Numbers in words

_DIGIT_WORDS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
_GROUP_UNITS = ("", "nghìn", "triệu")


def _read_group(value: int, leading: bool) -> list[str]:
    """Words of a 0-999 group; a non-leading group reads its hundreds even when zero."""
    hundreds, tens, units = value // 100, value // 10 % 10, value % 10
    words: list[str] = []
    if hundreds or not leading:
        words += [_DIGIT_WORDS[hundreds], "trăm"]
    if tens == 0:
        if units:
            if words:
                words.append("linh")
            words.append(_DIGIT_WORDS[units])
        return words
    if tens == 1:
        words.append("mười")
    else:
        words += [_DIGIT_WORDS[tens], "mươi"]
    if units == 5:
        words.append("lăm")
    elif units == 1 and tens > 1:
        words.append("mốt")
    elif units == 4 and tens > 1:
        words.append("tư")
    elif units:
        words.append(_DIGIT_WORDS[units])
    return words


def number_to_words(n: int) -> str:
    """Vietnamese reading of an integer: 1234 -> "một nghìn hai trăm ba mươi tư", 0 -> "không"."""
    if not isinstance(n, int) or isinstance(n, bool):
        raise TypeError("number_to_words() takes an integer")
    if n == 0:
        return "không"
    if n < 0:
        return "âm " + number_to_words(-n)
    groups: list[int] = []
    while n:
        groups.append(n % 1000)
        n //= 1000
    words: list[str] = []
    for index in range(len(groups) - 1, -1, -1):
        value = groups[index]
        if value == 0:
            continue
        words += _read_group(value, leading=not words)
        # Beyond "triệu", "tỷ" repeats: nghìn tỷ, triệu tỷ, tỷ tỷ, ...
        unit = " ".join(filter(None, [_GROUP_UNITS[index % 3]] + ["tỷ"] * (index // 3)))
        if unit:
            words.append(unit)
    return " ".join(words)
