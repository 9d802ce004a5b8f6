"""The admin's reorganisation form: kind, date, legal basis and one link per line."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from django import forms

from baocao.core.errors import AppError
from baocao.core.fields import VnDateField
from baocao.core.text import clean_text
from baocao.orgunits.choices import ReorgKind, ShareMethod
from baocao.orgunits.events import LinkSpec
from baocao.orgunits.lineage import units_by_code

LINE = re.compile(r"^\s*(?P<pred>\S+)\s*(?:>|→|->)\s*(?P<succ>\S+)\s*(?P<share>[0-9.,]+%?)?\s*(?P<method>.*?)\s*$")
METHOD_WORDS = {"dân số": ShareMethod.POPULATION, "dan so": ShareMethod.POPULATION,
                "diện tích": ShareMethod.AREA, "dien tich": ShareMethod.AREA,
                "nhập tay": ShareMethod.MANUAL, "nhap tay": ShareMethod.MANUAL}
EVENT_KINDS = [(k, label) for k, label in ReorgKind.choices
               if k in (ReorgKind.MERGE, ReorgKind.SPLIT, ReorgKind.TRANSFER, ReorgKind.DISSOLVE)]
MAX_LINES = 500


class ReorgForm(forms.Form):
    kind = forms.ChoiceField(label="Loại sắp xếp", choices=EVENT_KINDS)
    effective = VnDateField(label="Ngày có hiệu lực")
    legal_basis = forms.CharField(label="Căn cứ (số, ký hiệu văn bản)", max_length=255, required=False)
    links = forms.CharField(
        label="Đơn vị trước > đơn vị sau", max_length=40000,
        widget=forms.Textarea(attrs={"rows": 8, "placeholder": "01834 > 01840\n01837 > 01840 40% dân số\n01837 > 01846 60% dân số"}),
        help_text="Mỗi dòng một liên kết: mã đơn vị trước, dấu >, mã đơn vị sau, rồi (nếu chỉ một phần) tỷ lệ "
                  "và cách xác định (dân số, diện tích, nhập tay). Đơn vị còn tiếp tục ghi phần còn lại cho "
                  "chính nó; đơn vị giải thể không có đơn vị sau thì ghi «MÃ > -». Đơn vị sau phải được tạo "
                  "trước ở trang Đơn vị.")

    def clean_legal_basis(self) -> str:
        return clean_text(self.cleaned_data.get("legal_basis") or "").strip()


def _share(text: str, line_no: int) -> Decimal:
    raw = text.strip().rstrip("%")
    try:
        value = Decimal(raw.replace(".", "").replace(",", ".") if "," in raw else raw)
    except InvalidOperation:
        raise AppError(f"Dòng {line_no}: tỷ lệ «{text}» không phải là số.", {"line": line_no}) from None
    return value / 100 if text.strip().endswith("%") or value > 1 else value


def parse_links(text: str, effective: date) -> tuple[list[LinkSpec], list]:
    """The links and the units that end without a successor ("MÃ > -"), each unit found by the code
    it held the day before (predecessors) or on the day (successors)."""
    rows = []
    for line_no, line in enumerate(clean_text(text or "").splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        match = LINE.match(line)
        if match is None:
            raise AppError(f"Dòng {line_no}: cần dạng «MÃ_TRƯỚC > MÃ_SAU [tỷ lệ] [cách xác định]».", {"line": line_no})
        rows.append((line_no, match))
    if not rows:
        raise AppError("Hãy ghi ít nhất một liên kết.", {"fields": {"links": "Bắt buộc"}})
    if len(rows) > MAX_LINES:
        raise AppError(f"Mỗi lần ghi tối đa {MAX_LINES} liên kết.", {"fields": {"links": "Quá dài"}})
    before = units_by_code([m["pred"] for _, m in rows], on=effective - timedelta(days=1))
    after = units_by_code([m["succ"] for _, m in rows if m["succ"] != "-"], on=effective)
    links: list[LinkSpec] = []
    ends = []
    for line_no, m in rows:
        pred = before.get(m["pred"])
        if pred is None:
            raise AppError(f"Dòng {line_no}: không có đơn vị nào giữ mã «{m['pred']}» ngày "
                           f"{effective - timedelta(days=1):%d/%m/%Y}.", {"line": line_no})
        if m["succ"] == "-":
            ends.append(pred)
            continue
        succ = after.get(m["succ"])
        if succ is None:
            raise AppError(f"Dòng {line_no}: không có đơn vị nào giữ mã «{m['succ']}» ngày {effective:%d/%m/%Y} "
                           "(hãy tạo đơn vị mới trước).", {"line": line_no})
        share = _share(m["share"], line_no) if m["share"] else Decimal(1)
        method_text = (m["method"] or "").strip().lower()
        if method_text and method_text not in METHOD_WORDS:
            raise AppError(f"Dòng {line_no}: cách xác định «{m['method']}» không rõ; dùng dân số, diện tích "
                           "hoặc nhập tay.", {"line": line_no})
        method = METHOD_WORDS.get(method_text) or (ShareMethod.WHOLE if share == 1 else ShareMethod.MANUAL)
        links.append(LinkSpec(pred, succ, share, method))
    return links, ends
