"""What every filtered list page shares: filters read from the query string (values outside their
choices dropped), whole-number parameters, pagination, and the HTMX answer (the table alone) or
the whole page (the table plus what its filter form needs)."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping
from datetime import date
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

PAGE_SIZE = 50


def int_param(value: str | None) -> int | None:
    """A whole number from the query string, or None for anything else (never an error)."""
    value = (value or "").strip()
    return int(value) if value.isdigit() else None


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
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = urlencode({k: v for k, v in filters.items() if v})
    ctx = {"page": page, "filters": filters, "query": query, "today": today, "tabs": tabs}
    if getattr(request, "htmx", False):
        return render(request, table_template, ctx)
    ctx.update(page_context())
    return render(request, page_template, ctx)
