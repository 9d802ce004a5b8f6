"""Vietnamese number/date formats, search folding, collation and numbers in words."""

from __future__ import annotations

import random
import unicodedata
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from baocao.core.vietnamese import (
    collation_key,
    fold,
    format_date,
    format_datetime,
    format_document_date,
    format_document_day,
    format_number,
    format_percent,
    number_to_words,
    parse_number,
    sort_vietnamese,
)

D = Decimal

# --- numbers ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "decimals", "text"),
    [
        (1234567, None, "1.234.567"),
        (D("1234.5"), None, "1.234,5"),
        (D("1234.5"), 2, "1.234,50"),
        (None, None, ""),
        (None, 2, ""),
        (-1234, None, "-1.234"),
        (0, None, "0"),
        (999, None, "999"),
        (1000, None, "1.000"),
        (D("1.2300"), None, "1,23"),
        (D("1E+3"), None, "1.000"),
        (D("-0"), None, "0"),
        (D("-0.004"), 2, "0,00"),
        (D("2.345"), 2, "2,35"),  # half up, as people round
        (D("-2.345"), 2, "-2,35"),
        (1234567, 0, "1.234.567"),
        (D("0.000001"), None, "0,000001"),
        (0.1, None, "0,1"),
        (1234.5, 1, "1.234,5"),
        (D("1E+30"), 2, "1.000.000.000.000.000.000.000.000.000.000,00"),
    ],
)
def test_format_number(value: Decimal | float | None, decimals: int | None, text: str) -> None:
    assert format_number(value, decimals) == text


def test_format_number_rejects_non_numbers() -> None:
    with pytest.raises(ValueError):
        format_number(D("NaN"))
    with pytest.raises(ValueError):
        format_number(float("inf"))
    with pytest.raises(TypeError):
        format_number(True)
    with pytest.raises(ValueError):
        format_number(1, -1)


@pytest.mark.parametrize(
    ("value", "decimals", "text"),
    [
        (12.5, 1, "12,5%"),
        (100, 1, "100%"),
        (D("100.0"), 1, "100%"),
        (D("33.333"), 1, "33,3%"),
        (D("12.5"), 2, "12,50%"),
        (0, 1, "0%"),
        (D("99.96"), 1, "100%"),
        (None, 1, ""),
        (D("1234.5"), 1, "1.234,5%"),
    ],
)
def test_format_percent(value: Decimal | float | None, decimals: int, text: str) -> None:
    assert format_percent(value, decimals) == text


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1.234.567", D(1234567)),
        ("1.234,5", D("1234.5")),
        ("12,5", D("12.5")),
        ("-3", D(-3)),
        ("+3", D(3)),
        ("\u22123", D(-3)),
        ("1234.5", D("1234.5")),
        ("1.234", D(1234)),  # Vietnamese thousands, not 1.234
        ("0.234", D("0.234")),  # no thousands group starts with 0
        ("1.2345", D("1.2345")),
        (" 12 ", D(12)),
        ("\u00a012\t", D(12)),
        ("1.234.567,89", D("1234567.89")),
        ("-1.234,5", D("-1234.5")),
        ("0", D(0)),
        ("-0", D(0)),
        ("007", D(7)),
    ],
)
def test_parse_number(text: str, value: Decimal) -> None:
    assert parse_number(text) == value


@pytest.mark.parametrize(
    "text",
    [
        "",
        " ",
        "abc",
        "nan",
        "NaN",
        "inf",
        "-inf",
        "Infinity",
        "1e5",
        "1,234,567",
        "1.234.5",
        "1..2",
        "1 234",
        ".5",
        ",5",
        "5.",
        "5,",
        "--1",
        "1-",
        "١٢",
        "１２",
        "12.345.67",
        "0.234.567",
        "1_000",
    ],
)
def test_parse_number_rejects(text: str) -> None:
    with pytest.raises(ValueError) as info:
        parse_number(text)
    assert str(info.value) == f"Giá trị «{text}» không phải là số."


@settings(max_examples=200)
@given(st.integers(min_value=-(10**20), max_value=10**20))
def test_integer_round_trip(value: int) -> None:
    assert parse_number(format_number(value)) == value


@settings(max_examples=200)
@given(
    st.integers(0, 4).flatmap(
        lambda places: st.decimals(
            min_value=-(10**15), max_value=10**15, places=places, allow_nan=False, allow_infinity=False
        )
    )
)
def test_decimal_round_trip(value: Decimal) -> None:
    assert parse_number(format_number(value)) == value
    assert parse_number(format_number(value, 4)) == value


# --- dates --------------------------------------------------------------------------------


def test_format_date() -> None:
    assert format_date(date(2022, 7, 7)) == "07/07/2022"
    assert format_date(date(2022, 12, 25)) == "25/12/2022"
    assert format_date(None) == ""
    # A datetime is shown as the Vietnamese calendar day: 20:00 UTC is 03:00 next day in Hà Nội.
    assert format_date(datetime(2022, 7, 6, 20, 0, tzinfo=UTC)) == "07/07/2022"


@pytest.mark.parametrize(
    ("day", "place", "text"),
    [
        # Decree 30/2020/NĐ-CP: day < 10 and months 1, 2 take a leading zero.
        (date(2022, 7, 7), None, "ngày 07 tháng 7 năm 2022"),
        (date(2022, 7, 5), "Bắc Kạn", "Bắc Kạn, ngày 05 tháng 7 năm 2022"),
        (date(2022, 1, 15), None, "ngày 15 tháng 01 năm 2022"),
        (date(2022, 2, 3), None, "ngày 03 tháng 02 năm 2022"),
        (date(2022, 3, 10), None, "ngày 10 tháng 3 năm 2022"),
        (date(2022, 10, 31), None, "ngày 31 tháng 10 năm 2022"),
        (date(2022, 12, 1), " Hà Nội ", "Hà Nội, ngày 01 tháng 12 năm 2022"),
        (date(2022, 12, 1), "", "ngày 01 tháng 12 năm 2022"),
    ],
)
def test_format_document_date(day: date, place: str | None, text: str) -> None:
    assert format_document_date(day, place) == text


@pytest.mark.parametrize(
    ("day", "text"),
    [
        # A day inside a document's text: the day padded below 10, the month only for 1 and 2.
        (date(2022, 7, 7), "07/7/2022"),
        (date(2022, 6, 14), "14/6/2022"),
        (date(2022, 5, 31), "31/5/2022"),
        (date(2021, 12, 15), "15/12/2021"),
        (date(2022, 2, 5), "05/02/2022"),
        (date(2022, 1, 10), "10/01/2022"),
        (datetime(2022, 6, 13, 18, 30, tzinfo=UTC), "14/6/2022"),  # a datetime is taken in Vietnam time
    ],
)
def test_format_document_day(day: date, text: str) -> None:
    assert format_document_day(day) == text
    assert format_date(date(2022, 6, 14)) == "14/06/2022"  # screens keep dd/mm/yyyy


def test_format_datetime() -> None:
    assert format_datetime(datetime(2022, 7, 7, 7, 5)) == "07/07/2022 14:05"  # naive = UTC
    assert format_datetime(datetime(2022, 7, 7, 7, 5, tzinfo=UTC)) == "07/07/2022 14:05"
    assert format_datetime(datetime(2022, 7, 6, 17, 30, tzinfo=UTC)) == "07/07/2022 00:30"
    tokyo = timezone(timedelta(hours=9))
    assert format_datetime(datetime(2022, 7, 7, 16, 5, tzinfo=tokyo)) == "07/07/2022 14:05"
    assert format_datetime(None) == ""


# --- folding ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Bắc Kạn", "bac kan"),
        ("  Đồng   Tháp\n", "dong thap"),
        ("ĐẮK LẮK", "dak lak"),
        ("Thừa Thiên Huế", "thua thien hue"),
        ("Nghĩa Lộ", "nghia lo"),
        (unicodedata.normalize("NFD", "Quảng Ngãi"), "quang ngai"),
        ("Ðà Nẵng", "da nang"),  # eth from legacy fonts
        ("", ""),
    ],
)
def test_fold(text: str, folded: str) -> None:
    assert fold(text) == folded


VIETNAMESE_LOWER = "aàảãáạăằẳẵắặâầẩẫấậbcdđeèẻẽéẹêềểễếệghiìỉĩíịklmnoòỏõóọôồổỗốộơờởỡớợpqrstuùủũúụưừửữứựvxyỳỷỹýỵ"
VIETNAMESE_LETTERS = VIETNAMESE_LOWER + VIETNAMESE_LOWER.upper()
vietnamese_words = st.text(alphabet=VIETNAMESE_LETTERS + " ", max_size=20)


@settings(max_examples=200)
@given(st.text())
def test_fold_is_idempotent(text: str) -> None:
    assert fold(fold(text)) == fold(text)


@settings(max_examples=200)
@given(vietnamese_words)
def test_fold_of_vietnamese_is_ascii(text: str) -> None:
    folded = fold(text)
    assert folded.isascii()
    assert folded == folded.lower()
    assert len(folded.replace(" ", "")) == len(text.replace(" ", ""))


# --- collation ----------------------------------------------------------------------------


def test_sorting_place_names() -> None:
    names = ["Đồng", "Dương", "Bắc", "Ba", "Bạch", "Cao", "Ă", "Ân", "Chợ Mới", "Chợ Đồn"]
    assert sort_vietnamese(names) == [
        "Ă",
        "Ân",
        "Ba",
        "Bạch",
        "Bắc",
        "Cao",
        "Chợ Đồn",
        "Chợ Mới",
        "Dương",
        "Đồng",
    ]


def test_base_letters_decide_before_tones() -> None:
    words = ["băm", "bạch", "bác", "bà", "ba"]
    assert sort_vietnamese(words) == ["ba", "bà", "bác", "bạch", "băm"]


def test_tone_order() -> None:
    """Tones: none, huyền, hỏi, ngã, sắc, nặng."""
    assert sort_vietnamese(["má", "mạ", "mã", "mả", "mà", "ma"]) == ["ma", "mà", "mả", "mã", "má", "mạ"]


def test_alphabet_order() -> None:
    alphabet = list("aăâbcdđeêghiklmnoôơpqrstuưvxy")
    shuffled = alphabet[:]
    random.Random(9).shuffle(shuffled)
    assert sort_vietnamese(shuffled) == alphabet
    assert sort_vietnamese([w.upper() for w in shuffled]) == [w.upper() for w in alphabet]


def test_case_and_spacing() -> None:
    assert sort_vietnamese(["Ba", "ba", "BA"]) == ["ba", "Ba", "BA"]
    assert sort_vietnamese(["Chợt", "Chợ Mới"]) == ["Chợ Mới", "Chợt"]  # a space sorts before letters
    assert sort_vietnamese(["Xã 2", "Xã 10", "Xã 1"]) == ["Xã 1", "Xã 10", "Xã 2"]


def test_tone_placement_styles_tie_before_the_last_level() -> None:
    old, new = collation_key("hoà"), collation_key("hòa")
    assert old[:2] == new[:2]
    assert old != new


def test_sort_with_key() -> None:
    rows = [{"name": "Đồng Hỷ"}, {"name": "Định Hóa"}, {"name": "Võ Nhai"}, {"name": "Đại Từ"}]
    assert [r["name"] for r in sort_vietnamese(rows, key=lambda r: r["name"])] == [
        "Đại Từ",
        "Định Hóa",
        "Đồng Hỷ",
        "Võ Nhai",
    ]


_TONE_MARKS = {"\u0300", "\u0309", "\u0303", "\u0301", "\u0323"}


def _without_tones(text: str) -> str:
    stripped = "".join(ch for ch in unicodedata.normalize("NFD", text) if ch not in _TONE_MARKS)
    return " ".join(unicodedata.normalize("NFC", stripped).lower().split())


@settings(max_examples=200)
@given(vietnamese_words, vietnamese_words)
def test_collation_key_is_a_total_order_consistent_with_equality(a: str, b: str) -> None:
    ka, kb = collation_key(a), collation_key(b)
    # Equal keys exactly for equal texts (after NFC); tuples make the order total.
    assert (ka == kb) == (unicodedata.normalize("NFC", a) == unicodedata.normalize("NFC", b))
    assert (ka < kb) + (ka > kb) + (ka == kb) == 1
    # The first level sees base letters only: equal iff equal once tones and case are dropped.
    assert (ka[0] == kb[0]) == (_without_tones(a) == _without_tones(b))
    # Same base letters and, syllable by syllable, the same tones: only case or spacing differ.
    if ka[:2] == kb[:2] and _without_tones(a) == _without_tones(b):
        assert fold(a) == fold(b)


@settings(max_examples=200)
@given(st.lists(vietnamese_words, max_size=8), st.randoms())
def test_sorting_does_not_depend_on_input_order(words: list[str], rng: random.Random) -> None:
    shuffled = words[:]
    rng.shuffle(shuffled)
    assert [unicodedata.normalize("NFC", w) for w in sort_vietnamese(words)] == [
        unicodedata.normalize("NFC", w) for w in sort_vietnamese(shuffled)
    ]


@settings(max_examples=200)
@given(vietnamese_words, vietnamese_words)
def test_decomposed_input_sorts_like_composed(a: str, b: str) -> None:
    nfd_a, nfd_b = unicodedata.normalize("NFD", a), unicodedata.normalize("NFD", b)
    assert (collation_key(a) < collation_key(b)) == (collation_key(nfd_a) < collation_key(nfd_b))


# --- numbers in words ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("number", "words"),
    [
        (0, "không"),
        (1, "một"),
        (5, "năm"),
        (10, "mười"),
        (11, "mười một"),
        (14, "mười bốn"),
        (15, "mười lăm"),
        (20, "hai mươi"),
        (21, "hai mươi mốt"),
        (24, "hai mươi tư"),
        (25, "hai mươi lăm"),
        (100, "một trăm"),
        (101, "một trăm linh một"),
        (105, "một trăm linh năm"),
        (110, "một trăm mười"),
        (115, "một trăm mười lăm"),
        (1234, "một nghìn hai trăm ba mươi tư"),
        (1005, "một nghìn không trăm linh năm"),
        (1050, "một nghìn không trăm năm mươi"),
        (2021, "hai nghìn không trăm hai mươi mốt"),
        (10_000, "mười nghìn"),
        (1_000_000, "một triệu"),
        (1_000_005, "một triệu không trăm linh năm"),
        (1_500_000, "một triệu năm trăm nghìn"),
        (1_000_000_000, "một tỷ"),
        (1_000_000_000_001, "một nghìn tỷ không trăm linh một"),
        (-7, "âm bảy"),
    ],
)
def test_number_to_words(number: int, words: str) -> None:
    assert number_to_words(number) == words
