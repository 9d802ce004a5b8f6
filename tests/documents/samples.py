"""A realistic official document for the renderer tests: the Bắc Kạn six-month ICT report.

Figures are illustrative, not the province's.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

from baocao.core.vietnamese import format_number, format_percent
from baocao.documents.charts import bar_chart
from baocao.documents.model import (
    Figure,
    Header,
    OfficialDocument,
    Paragraph,
    Run,
    Signature,
    Table,
)

ARTIFACTS = (
    Path(os.environ.get("BAOCAO_ARTIFACTS", Path(__file__).resolve().parents[2] / "test-artifacts"))
    / "documents"
)

DISTRICTS = ("Thành phố Bắc Kạn", "Ba Bể", "Bạch Thông", "Chợ Đồn", "Chợ Mới", "Na Rì", "Ngân Sơn", "Pác Nặm")
BTS_4G = (96, 58, 47, 61, 52, 64, 41, 38)
BROADBAND = (61234, 18450, 14120, 20388, 17265, 16940, 11870, 9815)
COVERAGE = (100.0, 96.4, 97.2, 95.1, 98.6, 94.3, 93.8, 91.5)
SUMMARY = "Sơ kết công tác thông tin và truyền thông 6 tháng đầu năm 2022 và nhiệm vụ 6 tháng cuối năm 2022"
HEADINGS = (
    "I. Công tác chỉ đạo, điều hành",
    "II. Kết quả thực hiện nhiệm vụ 6 tháng đầu năm 2022",
    "III. Đánh giá chung",
    "IV. Nhiệm vụ trọng tâm 6 tháng cuối năm 2022",
    "V. Đề xuất, kiến nghị",
)


def sample_header(**changes) -> Header:
    values = {
        "parent_body": "UBND tỉnh Bắc Kạn",
        "issuer": "Sở Thông tin và Truyền thông",
        "number": 5,
        "type_code": "BC",
        "issuer_code": "STTTT",
        "place": "Bắc Kạn",
        "date": date(2022, 7, 5),
        "year": 2022,
    }
    values.update(changes)
    return Header(**values)


def sample_table() -> Table:
    rows = tuple(
        (str(index), name, format_number(bts), format_number(broadband), format_percent(coverage))
        for index, (name, bts, broadband, coverage) in enumerate(
            zip(DISTRICTS, BTS_4G, BROADBAND, COVERAGE, strict=True), start=1
        )
    )
    total = ("", "Tổng cộng", format_number(sum(BTS_4G)), format_number(sum(BROADBAND)), format_percent(95.9))
    return Table(
        columns=("STT", "Đơn vị", "Trạm BTS 4G", "Thuê bao băng rộng di động", "Thôn có sóng di động (%)"),
        rows=rows,
        total=total,
        numeric=frozenset({2, 3, 4}),
        caption="Bảng 1. Hạ tầng viễn thông theo đơn vị hành chính cấp huyện (số liệu minh họa)",
    )


def sample_document(**changes) -> OfficialDocument:
    chart = bar_chart(
        list(DISTRICTS), list(BTS_4G), title="Số trạm BTS 4G theo huyện, thành phố", unit="trạm"
    )
    body = Paragraph.text
    blocks = (
        Paragraph.heading(HEADINGS[0], level=1),
        body(
            "Thực hiện Kế hoạch công tác năm 2022 của Ủy ban nhân dân tỉnh, Sở Thông tin và Truyền thông "
            "đã ban hành các văn bản chỉ đạo, hướng dẫn các cơ quan, đơn vị triển khai nhiệm vụ chuyển đổi "
            "số, bảo đảm an toàn thông tin và tuyên truyền các sự kiện chính trị quan trọng của tỉnh."
        ),
        Paragraph.heading(HEADINGS[1], level=1),
        Paragraph.heading("1. Lĩnh vực báo chí, xuất bản và thông tin cơ sở", level=2),
        Paragraph(
            runs=(
                Run("Trong 6 tháng đầu năm, Cổng thông tin điện tử tỉnh đăng tải "),
                Run("1.245 tin, bài", bold=True),
                Run(
                    " (tăng 12,5% so với cùng kỳ); tổ chức 02 cuộc họp báo định kỳ; cấp 14 giấy phép "
                    "xuất bản tài liệu không kinh doanh."
                ),
            )
        ),
        Paragraph.heading("2. Lĩnh vực bưu chính, viễn thông", level=2),
        body(
            "Hạ tầng viễn thông tiếp tục được đầu tư mở rộng; toàn tỉnh có 457 trạm BTS 4G, tỷ lệ thôn có "
            "sóng di động đạt 95,9%. Số liệu chi tiết theo từng huyện, thành phố như sau:"
        ),
        sample_table(),
        Figure(png=chart, width_cm=15.0, caption="Hình 1. Số trạm BTS 4G theo huyện, thành phố"),
        Paragraph.heading("a) Chuyển đổi số cấp xã", level=3),
        body(
            "Thành lập 1.012 tổ công nghệ số cộng đồng với 4.856 thành viên; 100% cán bộ lãnh đạo cấp xã "
            "được tập huấn kỹ năng số cơ bản."
        ),
        Paragraph.heading(HEADINGS[2], level=1),
        body(
            "Các nhiệm vụ trọng tâm được triển khai đúng tiến độ; tuy nhiên hạ tầng tại một số thôn vùng "
            "sâu, vùng xa của huyện Ngân Sơn, Pác Nặm còn hạn chế."
        ),
        Paragraph.heading(HEADINGS[3], level=1),
        body("Tiếp tục phủ sóng di động các thôn chưa có sóng; nâng tỷ lệ hồ sơ trực tuyến toàn trình."),
        Paragraph.heading(HEADINGS[4], level=1),
        body("Đề nghị Bộ Thông tin và Truyền thông hỗ trợ kinh phí phủ sóng các thôn vùng lõm sóng."),
    )
    values = {
        "header": sample_header(),
        "kind_title": "Báo cáo",
        "summary": SUMMARY,
        "blocks": blocks,
        "recipients": (
            "Bộ Thông tin và Truyền thông (b/c)",
            "TT Tỉnh ủy, HĐND, UBND tỉnh (b/c)",
            "Lãnh đạo Sở",
            "Các phòng, đơn vị thuộc Sở",
        ),
        "archive": "VT, VP",
        "signature": Signature(authority="KT. Giám đốc", title="Phó Giám đốc", name="Lô Quang Tuyến"),
    }
    values.update(changes)
    return OfficialDocument(**values)
