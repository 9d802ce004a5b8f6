"""Splitting, normalising and merging the units' narrative texts (golden cases and properties)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from baocao.consolidation.narratives import (
    MergedSentence,
    attributed_paragraphs,
    join_labels,
    merge_narratives,
    normalise_sentence,
    split_sentences,
)

# --- split_sentences ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        (
            "Tổ chức 05 hội nghị. Phát triển thêm 20 trạm BTS! Có khó khăn gì không? Còn thiếu kinh phí; thiếu người",
            ["Tổ chức 05 hội nghị.", "Phát triển thêm 20 trạm BTS!", "Có khó khăn gì không?",
             "Còn thiếu kinh phí;", "thiếu người"],
        ),
        # Numbers are never split, whether Vietnamese (1.234,5) or with a decimal point.
        (
            "Doanh thu đạt 1.234,5 triệu đồng, tăng 12,5% (1.234.567 thuê bao). Tỷ lệ 98.5 điểm.",
            ["Doanh thu đạt 1.234,5 triệu đồng, tăng 12,5% (1.234.567 thuê bao).", "Tỷ lệ 98.5 điểm."],
        ),
        # A number ending a sentence still ends it.
        ("Tổng số trạm BTS là 1.234. Trong đó 5G có 12.", ["Tổng số trạm BTS là 1.234.", "Trong đó 5G có 12."]),
        # Abbreviations and addresses.
        (
            "Lắp đặt 12 cụm loa tại TP. Bắc Kạn. Xem tại backan.gov.vn. Đ/c. Hà Văn Tiến chủ trì.",
            ["Lắp đặt 12 cụm loa tại TP. Bắc Kạn.", "Xem tại backan.gov.vn.", "Đ/c. Hà Văn Tiến chủ trì."],
        ),
        (
            "In sách, báo, tờ rơi v.v. phục vụ tuyên truyền. Hỗ trợ sách, báo v.v. Năm 2022 tiếp tục.",
            ["In sách, báo, tờ rơi v.v. phục vụ tuyên truyền.", "Hỗ trợ sách, báo v.v.", "Năm 2022 tiếp tục."],
        ),
        # Bullet and numbered lists, markers removed, the line's own punctuation kept.
        (
            "Kết quả đạt được:\n- Tổ chức tập huấn chuyển đổi số;\n+ Nâng cấp 15 đài truyền thanh xã\n"
            "• Cấp 02 giấy phép xuất bản bản tin\n1. Thành lập Tổ Công nghệ số cộng đồng.\na) Thứ nhất; b) thứ hai",
            ["Kết quả đạt được:", "Tổ chức tập huấn chuyển đổi số;", "Nâng cấp 15 đài truyền thanh xã",
             "Cấp 02 giấy phép xuất bản bản tin", "Thành lập Tổ Công nghệ số cộng đồng.", "Thứ nhất;", "thứ hai"],
        ),
        # Markers in the middle of a line, ellipses, closing brackets, stray punctuation.
        (
            "Đã làm: - việc một; - việc hai. 2. Việc ba... (Xem Kế hoạch số 45/KH-UBND.) - . ;",
            ["Đã làm: - việc một;", "việc hai.", "Việc ba...", "(Xem Kế hoạch số 45/KH-UBND.)"],
        ),
        ("  Nhiều   khoảng\ttrắng  .  ", ["Nhiều khoảng trắng ."]),
        ("", []),
        ("\n\n - \n", []),
        ("Dòng một\r\nDòng hai", ["Dòng một", "Dòng hai"]),
    ],
)
def test_split_sentences(text: str, sentences: list[str]) -> None:
    assert split_sentences(text) == sentences


# --- normalise_sentence ------------------------------------------------------------------------


def test_normalise_ignores_case_spacing_and_punctuation() -> None:
    a = "Chỉ đạo các doanh nghiệp bảo đảm thông tin liên lạc phục vụ phòng, chống thiên tai."
    b = "chỉ đạo  các DOANH NGHIỆP bảo đảm thông tin liên lạc phục vụ phòng – chống thiên tai!"
    assert normalise_sentence(a) == normalise_sentence(b)
    assert normalise_sentence(a) == "chỉ đạo các doanh nghiệp bảo đảm thông tin liên lạc phục vụ phòng chống thiên tai"


def test_normalise_keeps_diacritics() -> None:
    assert normalise_sentence("Bà con tham gia.") != normalise_sentence("Ba con tham gia.")
    assert normalise_sentence("Đường truyền") != normalise_sentence("Dương truyền")


def test_normalise_is_nfc_and_reads_old_style_tone_placement_as_new() -> None:
    decomposed = "Xa\u0303 ho\u0302\u0323i hoa\u0301"  # NFD input
    assert normalise_sentence(decomposed) == "xã hội hóa"
    assert normalise_sentence("Xã hội hoá; thuỷ lợi; khoẻ") == normalise_sentence("xã hội hóa, thủy lợi, khỏe")
    # Closed syllables are written one way only and stay apart from other words.
    assert normalise_sentence("hoàng") == "hoàng"
    assert normalise_sentence("hoà") != normalise_sentence("hoa")


def test_normalise_keeps_numbers_apart() -> None:
    assert normalise_sentence("tăng 12,5%") != normalise_sentence("tăng 125%")
    assert normalise_sentence("1.234,5 triệu") == normalise_sentence("1.234,5  triệu.")


# --- merge_narratives -------------------------------------------------------------------------


def test_identical_sentences_differing_in_case_spaces_and_punctuation_merge() -> None:
    merged = merge_narratives([
        ("Huyện Ba Bể", "Chỉ đạo các doanh nghiệp bảo đảm thông tin liên lạc phục vụ phòng, chống thiên tai."),
        ("Huyện Na Rì", "chỉ đạo các doanh nghiệp  bảo đảm thông tin liên lạc phục vụ phòng chống thiên tai!"),
    ])
    assert merged == [
        MergedSentence("Chỉ đạo các doanh nghiệp bảo đảm thông tin liên lạc phục vụ phòng, chống thiên tai.",
                       ("Huyện Ba Bể", "Huyện Na Rì")),
    ]


def test_ba_and_ba_with_tone_do_not_merge() -> None:
    merged = merge_narratives([("Huyện Ba Bể", "Bà con đồng tình."), ("Huyện Na Rì", "Ba con đồng tình.")])
    assert [m.units for m in merged] == [("Huyện Ba Bể",), ("Huyện Na Rì",)]


def test_a_unit_repeating_itself_counts_once() -> None:
    merged = merge_narratives([("Huyện Ba Bể", "Kinh phí còn hạn chế. Kinh phí còn hạn chế;"),
                               ("Huyện Ba Bể", "- kinh phí còn hạn chế")])
    assert merged == [MergedSentence("Kinh phí còn hạn chế.", ("Huyện Ba Bể",))]


def test_merge_order_is_first_appearance() -> None:
    merged = merge_narratives([("A", "Hai. Một."), ("B", "Ba. Một. Hai.")])
    assert [(m.text, m.units) for m in merged] == [("Hai.", ("A", "B")), ("Một.", ("A", "B")), ("Ba.", ("B",))]


def test_merge_of_nothing() -> None:
    assert merge_narratives([]) == []
    assert merge_narratives([("A", ""), ("B", "   \n")]) == []


# --- attributed_paragraphs ---------------------------------------------------------------------


def test_three_units_sharing_one_sentence_each_with_their_own() -> None:
    shared = "Tuyên truyền về chuyển đổi số trên hệ thống truyền thanh cơ sở."
    items = [
        ("Huyện Ba Bể", f"{shared} Phục vụ Tuần du lịch – di sản văn hóa Ba Bể 2022."),
        ("Huyện Na Rì", f"- Nâng cấp 05 đài truyền thanh xã ứng dụng CNTT - viễn thông\n- {shared.lower()}"),
        ("Thành phố Bắc Kạn", f"{shared.upper()} Cập nhật 120 tin, bài lên Cổng thông tin điện tử thành phố"),
    ]
    assert attributed_paragraphs(items) == [
        "Huyện Ba Bể, huyện Na Rì, thành phố Bắc Kạn: Tuyên truyền về chuyển đổi số trên hệ thống truyền thanh "
        "cơ sở.",
        "Huyện Ba Bể: Phục vụ Tuần du lịch – di sản văn hóa Ba Bể 2022.",
        "Huyện Na Rì: Nâng cấp 05 đài truyền thanh xã ứng dụng CNTT - viễn thông.",
        "Thành phố Bắc Kạn: Cập nhật 120 tin, bài lên Cổng thông tin điện tử thành phố.",
    ]


def test_paragraph_sentences_are_joined_and_closed() -> None:
    items = [("Huyện Chợ Đồn", "Kết quả:\n- tổ chức 02 lớp tập huấn;\n- cấp phát 1.200 tờ rơi\n- lắp 3 cụm loa;")]
    assert attributed_paragraphs(items) == [
        "Huyện Chợ Đồn: Kết quả: tổ chức 02 lớp tập huấn; cấp phát 1.200 tờ rơi. Lắp 3 cụm loa."
    ]


def test_sentences_shared_by_the_same_units_form_one_paragraph() -> None:
    items = [("Phòng Văn hóa và Thông tin huyện Ba Bể", "Thiếu kinh phí. Thiếu nhân lực. Riêng một."),
             ("Trung tâm Văn hóa, Thể thao và Truyền thông huyện Ba Bể", "thiếu nhân lực; thiếu kinh phí")]
    assert attributed_paragraphs(items) == [
        "Phòng Văn hóa và Thông tin huyện Ba Bể, Trung tâm Văn hóa, Thể thao và Truyền thông huyện Ba Bể: "
        "Thiếu kinh phí. Thiếu nhân lực.",
        "Phòng Văn hóa và Thông tin huyện Ba Bể: Riêng một.",
    ]


def test_empty_texts_are_skipped_and_output_is_deterministic() -> None:
    items = [("Huyện Ba Bể", ""), ("Huyện Na Rì", "  "), ("Huyện Pác Nặm", "Đã hoàn thành.")]
    assert attributed_paragraphs(items) == ["Huyện Pác Nặm: Đã hoàn thành."]
    assert attributed_paragraphs([]) == []
    assert attributed_paragraphs(items) == attributed_paragraphs(list(items))


def test_order_follows_the_input() -> None:
    first = [("Huyện Ba Bể", "Việc A."), ("Huyện Na Rì", "Việc B.")]
    assert attributed_paragraphs(first) == ["Huyện Ba Bể: Việc A.", "Huyện Na Rì: Việc B."]
    assert attributed_paragraphs(first[::-1]) == ["Huyện Na Rì: Việc B.", "Huyện Ba Bể: Việc A."]


def test_join_labels_lower_cases_administrative_words_after_the_first() -> None:
    labels = ["Thành phố Bắc Kạn", "Huyện Ba Bể", "Xã Nam Mẫu", "Phòng Văn hóa và Thông tin huyện Na Rì",
              "Thành phố Hồ Chí Minh", "Huyệnx"]
    assert join_labels(labels) == (
        "Thành phố Bắc Kạn, huyện Ba Bể, xã Nam Mẫu, Phòng Văn hóa và Thông tin huyện Na Rì, "
        "Thành phố Hồ Chí Minh, Huyệnx"
    )
    assert join_labels(["Huyện Ba Bể", "Huyện Na Rì"], sentence_start=False) == "huyện Ba Bể, huyện Na Rì"
    assert join_labels(["huyện Ba Bể"]) == "Huyện Ba Bể"


# --- properties --------------------------------------------------------------------------------

WORDS = ["bà", "ba", "Bà", "con", "xã", "hội", "hoá", "hóa", "trạm", "BTS", "Đề", "án", "số", "1.234,5", "12,5%",
         "TP.", "v.v.", "(tổ)", "UBND", "tỉnh", "Bắc", "Kạn", "thuỷ", "thủy"]
SEPARATORS = [" ", " ", " ", ". ", "! ", "? ", "; ", ", ", "\n", "\n- ", "\n+ ", "\n• ", " - ", "...", ":\n"]
texts = st.lists(st.one_of(st.sampled_from(WORDS), st.sampled_from(SEPARATORS)), max_size=40).map("".join)
labels = st.sampled_from(["Huyện Ba Bể", "Huyện Na Rì", "Thành phố Bắc Kạn", "Phòng Bưu chính – Viễn thông"])
items_strategy = st.lists(st.tuples(labels, texts), max_size=6)


@settings(max_examples=300)
@given(items_strategy)
def test_merging_never_loses_a_sentence(items: list[tuple[str, str]]) -> None:
    merged = merge_narratives(items)
    by_key = {normalise_sentence(m.text): m for m in merged}
    for label, text in items:
        for sentence in split_sentences(text):
            key = normalise_sentence(sentence)
            if key:
                assert key in by_key
                assert label in by_key[key].units


@settings(max_examples=300)
@given(items_strategy)
def test_merged_sentences_are_distinct(items: list[tuple[str, str]]) -> None:
    keys = [normalise_sentence(m.text) for m in merge_narratives(items)]
    assert len(keys) == len(set(keys))
    assert all(keys)
    for m in merge_narratives(items):
        assert len(m.units) == len(set(m.units)) >= 1


@settings(max_examples=300)
@given(items_strategy)
def test_merging_the_merged_text_again_gives_the_same_sentences(items: list[tuple[str, str]]) -> None:
    merged = merge_narratives(items)
    again = merge_narratives([("Sở", "\n".join(m.text for m in merged))])
    assert [m.text for m in again] == [m.text for m in merged]


@settings(max_examples=300)
@given(st.text())
def test_split_sentences_is_stable_on_any_text(text: str) -> None:
    for sentence in split_sentences(text):
        assert sentence == sentence.strip() and sentence
        assert split_sentences(sentence) == [sentence]


@settings(max_examples=200)
@given(items_strategy)
def test_attributed_paragraphs_carry_every_sentence(items: list[tuple[str, str]]) -> None:
    paragraphs = attributed_paragraphs(items)
    assert len(paragraphs) <= len(merge_narratives(items))
    text = normalise_sentence(" ".join(paragraphs))
    for m in merge_narratives(items):
        assert normalise_sentence(m.text) in text
