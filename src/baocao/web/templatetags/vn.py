"""Template filters for Vietnamese conventions: numbers 1.234.567, 12,5%, dates dd/mm/yyyy."""

from __future__ import annotations

from datetime import date

from django import template

from baocao.core import vietnamese

register = template.Library()


@register.filter
def vn_number(value, decimals=None):
    if value is None or value == "":
        return ""
    return vietnamese.format_number(value, None if decimals in (None, "") else int(decimals))


@register.filter
def vn_percent(value, decimals=1):
    return vietnamese.format_percent(value, int(decimals))


@register.filter
def vn_date(value):
    return vietnamese.format_date(value) if value else ""


@register.filter
def vn_datetime(value):
    return vietnamese.format_datetime(value) if value else ""


@register.filter
def vn_abs(value):
    try:
        return abs(value)
    except TypeError:
        return value


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.filter
def date_input(value):
    """The value of a date box: a day as dd/mm/yyyy, posted text as it was typed."""
    if isinstance(value, date):
        return vietnamese.format_date(value)
    return "" if value is None else value
