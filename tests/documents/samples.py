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


# --- The consolidated report's tables (as the demo's 2022S1 report has them) -----------------------

UNITS = (
    "Viễn thông Bắc Kạn (VNPT)",
    "Viettel Bắc Kạn",
    "MobiFone Bắc Kạn",
    "Phòng Văn hóa và Thông tin huyện Bạch Thông",
    "Trung tâm Văn hóa, Thể thao và Truyền thông thành phố Bắc Kạn",
)


def report_tables() -> tuple[Table, ...]:
    """Tables like the report's: long headings with units, long unit names, dates, counts."""
    bts = Table(
        columns=(
            "Đơn vị",
            "Trạm thu phát sóng thông tin di động (BTS) (trạm)",
            "Trạm thu phát sóng thông tin di động (BTS) – 6 tháng đầu năm 2021",
            "Trạm BTS 4G (trạm)",
            "Thuê bao băng rộng di động (thuê bao)",
        ),
        rows=tuple(
            (name, format_number(443 + 31 * i), format_number(412 + 29 * i), format_number(354 + i),
             format_number(92292 + 10417 * i))
            for i, name in enumerate(UNITS)
        ),
        total=("Tổng cộng", "2.525", "2.350", "1.780", "566.545"),
        numeric=frozenset({1, 2, 3, 4}),
        caption="Một số chỉ tiêu chính theo đơn vị, 6 tháng đầu năm 2022",
    )
    tasks = Table(
        columns=("Lĩnh vực", "Hoàn thành đúng hạn", "Hoàn thành quá hạn", "Đang thực hiện", "Chưa thực hiện",
                 "Quá hạn", "Tổng số"),
        rows=(
            ("Thông tin – Báo chí – Xuất bản", "2", "0", "1", "0", "0", "3"),
            ("Công nghệ thông tin (chuyển đổi số)", "1", "0", "4", "0", "1", "6"),
            ("Bưu chính – Viễn thông", "12", "1", "3", "2", "1", "19"),
        ),
        total=("Tổng cộng", "15", "1", "8", "2", "2", "28"),
        numeric=frozenset(range(1, 7)),
        caption="Tình hình thực hiện nhiệm vụ theo lĩnh vực",
    )
    overdue = Table(
        columns=("TT", "Nhiệm vụ", "Đơn vị chủ trì", "Hạn", "Quá hạn"),
        rows=(
            ("1", "Hướng dẫn doanh nghiệp tự đánh giá mức độ chuyển đổi số (DBI)",
             "Phòng Công nghệ thông tin", "31/5/2022", "14 ngày"),
            ("2", "Nâng cấp hệ thống đài truyền thanh cấp xã ứng dụng công nghệ thông tin – viễn thông",
             "Phòng Văn hóa và Thông tin huyện Ba Bể", "15/06/2022", "5 ngày"),
        ),
        caption="Các nhiệm vụ quá hạn",
    )
    cases = Table(
        columns=("TT", "Loại vụ việc", "Ngày", "Đối tượng", "Nội dung", "Kết quả"),
        rows=(
            ("1", "Kiến nghị, phản ánh", "21/02/2022", "Doanh nghiệp cung ứng dịch vụ bưu chính, chuyển phát",
             "Kiến nghị của công dân về chất lượng dịch vụ bưu chính chuyển phát.",
             "Đã xem xét, trả lời công dân; doanh nghiệp khắc phục."),
            ("2", "Thanh tra", "11/04/2022", "Doanh nghiệp cung ứng dịch vụ bưu chính, chuyển phát trên địa bàn tỉnh",
             "Thanh tra việc chấp hành pháp luật trong hoạt động bưu chính, chuyển phát.",
             "Không phát hiện vi phạm phải xử lý vi phạm hành chính."),
        ),
        caption="Các vụ việc thanh tra, kiểm tra, đơn thư trong kỳ (theo sổ theo dõi)",
    )
    radio = Table(
        columns=("Đơn vị", "Đài truyền thanh cấp xã (đài)", "Đài truyền thanh cấp xã – 6 tháng đầu năm 2021",
                 "Đài truyền thanh cấp xã ứng dụng công nghệ thông tin – viễn thông (đài)",
                 "Đài truyền thanh cấp xã được đầu tư, nâng cấp (đài)"),
        rows=tuple((f"Phòng VHTT huyện {name}", "10", "10", "6", "3") for name in DISTRICTS[1:]),
        total=("Tổng cộng", "70", "70", "42", "21"),
        numeric=frozenset({1, 2, 3, 4}),
        caption="Đài truyền thanh cấp xã theo đơn vị, 6 tháng đầu năm 2022",
    )
    return bts, tasks, overdue, cases, radio


def wide_table(columns: int = 10) -> Table:
    """A table of many figure columns: too wide for 12 pt, so it is set smaller."""
    headings = ("Đơn vị", *(f"Chỉ tiêu thứ {index} (thuê bao)" for index in range(1, columns)))
    rows = tuple(
        (name, *(format_number(100000 + 1234 * index * (row + 1)) for index in range(1, columns)))
        for row, name in enumerate(DISTRICTS)
    )
    return Table(columns=headings, rows=rows, numeric=frozenset(range(1, columns)), caption="Bảng nhiều cột")


def tables_document(**changes) -> OfficialDocument:
    """An approved document made of the report's tables, each after a short paragraph."""
    blocks: list = []
    for table in (*report_tables(), wide_table()):
        blocks.append(Paragraph.text(f"Số liệu {table.caption.lower()} như sau:"))
        blocks.append(table)
    return sample_document(blocks=tuple(blocks), **changes)
