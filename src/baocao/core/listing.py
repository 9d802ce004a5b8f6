"""What every filtered list page shares: filters read from the query string (values outside their
choices dropped), whole-number parameters, pagination, and the HTMX answer (the table alone) or
the whole page (the table plus what its filter form needs)."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping
from datetime import date
from urllib.parse import urlencode

from django.core.exceptions import BadRequest
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from baocao.core.bounds import ID_MAX, PAGE_MAX, YEAR_MAX, OutOfRange, whole_number
from baocao.core.vietnamese import parse_date

PAGE_SIZE = 50
MSG_OUT_OF_RANGE = "Số «{text}» trong địa chỉ hoặc biểu mẫu không hợp lệ: lớn quá mức cho phép."


def int_param(value: str | None, *, maximum: int = ID_MAX) -> int | None:
    """A whole number (an id, by default) from the query string or a form; None for empty or
    anything that is not a number (the filter is dropped). A number beyond `maximum` is a bad
    request (400): no column can hold it, and dropping the filter would show rows not asked for."""
    try:
        return whole_number(value, maximum=maximum)
    except OutOfRange as exc:
        raise BadRequest(MSG_OUT_OF_RANGE.format(text=exc.text[:20] + ("…" if len(exc.text) > 20 else ""))) from exc


def date_param(value: str | None) -> date | None:
    """A day written dd/mm/yyyy (as the date boxes ask) or YYYY-MM-DD; None for empty or not a date."""
    try:
        return parse_date(value[:40]) if value and value.strip() else None
    except ValueError:
        return None


def year_param(value: str | None) -> int | None:
    """A year from the query string or a form (None for empty or not a number; 400 beyond 2999)."""
    return int_param(value, maximum=YEAR_MAX)


def page_param(request: HttpRequest) -> int | None:
    """The page number of a list (Paginator falls back to the first or last page)."""
    return int_param(request.GET.get("page"), maximum=PAGE_MAX)


def read_filters(query: Mapping[str, str], keys: Iterable[str],
                 allowed: Mapping[str, Collection[str]] | None = None) -> dict[str, str]:
    """The filters named by `keys`, stripped; one whose value is not in `allowed[key]` is empty."""
    filters = {key: (query.get(key) or "").strip() for key in keys}
    for key, values in (allowed or {}).items():
        if filters[key] not in values:
            filters[key] = ""
    return filters


def render_list(request: HttpRequest, rows, *, filters: dict[str, str], today: date, tabs,
                table_template: str, page_template: str, page_context: Callable[[], dict]) -> HttpResponse:
    """A page of `rows`: the table for an HTMX request, else the page with `page_context()` added
    (called only then: the filter form's choices cost queries the table does not need)."""
    page = Paginator(rows, PAGE_SIZE).get_page(page_param(request))
    query = urlencode({k: v for k, v in filters.items() if v})
    ctx = {"page": page, "filters": filters, "query": query, "today": today, "tabs": tabs}
    if getattr(request, "htmx", False):
        return render(request, table_template, ctx)
    ctx.update(page_context())
    return render(request, page_template, ctx)
