"""A title is broken between words an officer would break between: never inside the name of a
period ("6 tháng đầu năm 2022"), never between a number and the word it counts or dates."""

from __future__ import annotations

from baocao.documents.decree30 import title_texts


def test_a_period_phrase_stays_on_one_line():
    lines = title_texts("BÁO CÁO", "Kết quả công tác thông tin và truyền thông 6 tháng đầu năm 2022 và phương "
                                   "hướng, nhiệm vụ 6 tháng cuối năm 2022").summary_lines
    assert lines == ("Kết quả công tác thông tin và truyền thông 6 tháng đầu năm 2022",
                     "và phương hướng, nhiệm vụ 6 tháng cuối năm 2022")


def test_a_number_is_never_alone_at_a_line_end():
    for summary in ("Kết quả triển khai Đề án chuyển đổi số tại 34 tỉnh, thành phố và 3.321 xã, phường trên "
                    "cả nước sau sắp xếp đơn vị hành chính",
                    "Kết quả thực hiện chế độ báo cáo 6 tháng về khoa học, công nghệ và chuyển đổi số cấp xã "
                    "quý III năm 2026"):
        for line in title_texts("BÁO CÁO", summary).summary_lines:
            last = line.split()[-1].strip(",.;:")
            assert not last.replace(".", "").isdigit() or line.endswith(("năm " + last, "năm " + last + ","))
        assert " ".join(title_texts("BÁO CÁO", summary).summary_lines) == " ".join(summary.split())
