"""Splitting and normalising the units' narrative texts, naming units (golden cases and properties);
the grouping of sentences is tested in test_grouping."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from baocao.consolidation.narratives import (
    join_labels,
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
@given(st.text())
def test_split_sentences_is_stable_on_any_text(text: str) -> None:
    for sentence in split_sentences(text):
        assert sentence == sentence.strip() and sentence
        assert split_sentences(sentence) == [sentence]
