"""Checking a unit's values: value types and ranges per field, and the form's validation rules."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from baocao.core.expressions import ExpressionError, evaluate, parse_rule
from baocao.core.vietnamese import format_number, parse_number
from baocao.reporting.choices import Severity, ValueType

YES_WORDS = {"có", "co", "1", "true", "yes", "x", "đúng", "dung"}
NO_WORDS = {"không", "khong", "0", "false", "no", "sai"}
MAX_TEXT_LENGTH = 20000


class ValueProblem(ValueError):
    """A value that cannot be stored for its indicator; the message is Vietnamese."""


@dataclass(frozen=True)
class ParsedValue:
    number: Decimal | None
    text: str


@dataclass(frozen=True)
class RuleIssue:
    code: str
    severity: str
    message: str
    indicators: tuple[str, ...]

    def as_dict(self) -> dict:
        return {"code": self.code, "severity": self.severity, "message": self.message,
                "indicators": list(self.indicators)}


def parse_indicator_value(indicator, raw: object) -> ParsedValue:
    """Turn what a user typed (or a JSON value) into a stored value, or raise ValueProblem."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return ParsedValue(None, "")
    if indicator.value_type == ValueType.TEXT:
        text = str(raw)
        if len(text) > MAX_TEXT_LENGTH:
            raise ValueProblem(f"Nội dung dài quá {format_number(MAX_TEXT_LENGTH)} ký tự.")
        return ParsedValue(None, text)
    if indicator.value_type == ValueType.YES_NO:
        if isinstance(raw, bool):
            return ParsedValue(Decimal(int(raw)), "")
        word = str(raw).strip().lower()
        if word in YES_WORDS:
            return ParsedValue(Decimal(1), "")
        if word in NO_WORDS:
            return ParsedValue(Decimal(0), "")
        raise ValueProblem("Chọn «Có» hoặc «Không».")
    if isinstance(raw, bool):
        raise ValueProblem("Giá trị phải là số.")
    if isinstance(raw, int):
        number = Decimal(raw)
    elif isinstance(raw, Decimal):
        number = raw
    elif isinstance(raw, float):
        number = Decimal(str(raw))
    else:
        try:
            number = parse_number(str(raw))
        except ValueError as exc:
            raise ValueProblem(str(exc)) from None
    if not number.is_finite():
        raise ValueProblem("Giá trị phải là số.")
    if abs(number) >= Decimal(10) ** 17:
        raise ValueProblem("Giá trị quá lớn.")
    if indicator.value_type == ValueType.INTEGER and number != number.to_integral_value():
        raise ValueProblem("Giá trị phải là số nguyên.")
    if number.as_tuple().exponent < -6:  # type: ignore[operator]
        raise ValueProblem("Chỉ nhập tối đa 6 chữ số thập phân.")
    low, high = indicator.min_value, indicator.max_value
    if low is not None and high is not None and not (low <= number <= high):
        raise ValueProblem(f"Giá trị phải từ {format_number(low)} đến {format_number(high)}.")
    if low is not None and number < low:
        raise ValueProblem(f"Giá trị không được nhỏ hơn {format_number(low)}.")
    if high is not None and number > high:
        raise ValueProblem(f"Giá trị không được lớn hơn {format_number(high)}.")
    return ParsedValue(number, "")


def display_value(indicator, number: Decimal | None, text: str) -> str:
    """How a stored value is shown back in a form field (Vietnamese number format)."""
    if indicator.value_type == ValueType.TEXT:
        return text
    if number is None:
        return ""
    if indicator.value_type == ValueType.YES_NO:
        return "Có" if number else "Không"
    return format_number(number)


def check_rules(rules: Iterable, values: Mapping[str, Decimal | None]) -> list[RuleIssue]:
    """Evaluate the form's rules; a rule whose operands are missing cannot fail."""
    issues = []
    for rule in rules:
        try:
            node = parse_rule(rule.expression)
        except ExpressionError:
            continue  # rules are validated when saved; a broken legacy rule never blocks a unit
        result = evaluate(node, values)
        if result is False:
            from baocao.core.expressions import identifiers

            issues.append(RuleIssue(rule.code, rule.severity, rule.message, tuple(sorted(identifiers(node)))))
    return issues


def blocking(issues: Iterable[RuleIssue]) -> list[RuleIssue]:
    return [i for i in issues if i.severity == Severity.ERROR]
