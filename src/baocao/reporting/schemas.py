"""API shapes of reporting regimes, periods, forms and the receiving unit's monitor."""

from datetime import date, datetime
from decimal import Decimal

from ninja import Field, Schema

from baocao.reporting.choices import (
    Aggregation,
    FormVersionStatus,
    NarrativeKind,
    SendingMethod,
    Severity,
    ValueType,
)
from baocao.reporting.periods import Frequency


def json_number(value: Decimal | None) -> int | float | None:
    """A stored decimal as a JSON number: an integer when it is whole, otherwise a float."""
    if value is None:
        return None
    if value == value.to_integral_value():
        return int(value)
    return float(value)


def unit_ref(unit) -> dict:
    return {"id": unit.pk, "code": unit.code, "name": unit.name}


def regime_period_out(rp) -> dict:
    """PeriodOut data of a reporting.selectors.RegimePeriod."""
    return {
        "code": rp.code,
        "label": rp.period.label,
        "frequency": rp.period.frequency,
        "window_start": rp.window_start,
        "window_end": rp.window_end,
        "deadline": rp.deadline,
    }


class UnitRef(Schema):
    id: int
    code: str
    name: str


class RegimeListOut(Schema):
    id: int
    code: str
    name: str
    receiving_unit: UnitRef
    frequencies: list[Frequency]
    form_id: int
    is_active: bool


class FrequencyOut(Schema):
    code: Frequency
    label: str


class CutoffOut(Schema):
    start_day: int = Field(description="Ngày bắt đầu chốt số liệu (tháng trước kỳ)")
    end_day: int = Field(description="Ngày kết thúc chốt số liệu; 0 = hết tháng dương lịch")
    is_decree09: bool = Field(description="Đúng quy định Điều 12 Nghị định 09/2019/NĐ-CP (15 – 14)")
    is_calendar: bool


class DeadlineRuleOut(Schema):
    month_offset: int = Field(description="Số tháng tính từ tháng cuối của kỳ")
    day: int = Field(description="Ngày trong tháng; 31 = ngày cuối tháng")


class RegimeDetailOut(Schema):
    """Every item Decree 09/2019/NĐ-CP Art. 7 requires of a periodic reporting regime."""

    id: int
    code: str
    name: str
    legal_basis: str
    content: str
    receiving_unit: UnitRef
    reporting_unit_ids: list[int]
    reporting_group_ids: list[int]
    method: SendingMethod
    method_label: str
    frequencies: list[FrequencyOut]
    cutoff: CutoffOut
    deadline_rules: dict[Frequency, DeadlineRuleOut]
    form_id: int
    form_code: str
    form_name: str
    current_form_version_id: int | None
    outline: str
    is_active: bool


class PeriodOut(Schema):
    code: str
    label: str
    frequency: Frequency
    window_start: date = Field(description="Ngày bắt đầu chốt số liệu")
    window_end: date = Field(description="Ngày kết thúc chốt số liệu")
    deadline: date | None = Field(description="Hạn gửi báo cáo theo chế độ báo cáo (nếu có)")


class IndicatorOut(Schema):
    id: int
    code: str
    name: str
    unit_of_measure: str
    value_type: ValueType
    aggregation: Aggregation
    min: int | float | None
    max: int | float | None
    required: bool
    help_text: str


class NarrativeFieldOut(Schema):
    id: int
    code: str
    kind: NarrativeKind
    label: str
    required: bool


class FormSectionOut(Schema):
    code: str
    title: str
    sector_code: str | None
    sector_name: str | None
    indicators: list[IndicatorOut]
    narratives: list[NarrativeFieldOut]


class ValidationRuleOut(Schema):
    code: str
    expression: str
    severity: Severity
    message: str


class FormVersionOut(Schema):
    id: int
    form_id: int
    form_code: str
    form_name: str
    number: int
    status: FormVersionStatus
    published_at: datetime | None
    sections: list[FormSectionOut]
    rules: list[ValidationRuleOut]
