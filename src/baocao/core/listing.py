"""What every filtered list page shares: filters read from the query string (values outside their
choices dropped), whole-number parameters, sortable columns (`?sort=key` / `?sort=-key` from a
whitelist), pagination, and the HTMX answer (the table alone) or the whole page (the table plus
what its filter form needs)."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import urlencode

from django.core.exceptions import BadRequest
from django.core.paginator import Paginator
from django.db.models import F, QuerySet
from django.db.models.expressions import OrderBy
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


# ---------------------------------------------------------------------------
# Sortable columns


@dataclass(frozen=True)
class SortColumn:
    """One column a list may be sorted by, ascending as written.

    For a queryset: `fields`, names or expressions it orders by ("-name" for a field that runs the
    other way); empty values come last in both directions. For rows in a list (or a queryset whose
    order the database cannot give, such as Vietnamese names): `key`, a function of a row (of a
    dict of `values` read from the queryset); a row whose key is None comes last. `descending_first`:
    the first click sorts newest / largest first (dates of sending, updates). `then`: fields a
    queryset's ties are ordered by, in their own direction (units in tree order under any period)."""

    label: str
    fields: tuple[Any, ...] = ()
    key: Callable[[Any], Any] | None = None
    values: tuple[str, ...] = ()
    descending_first: bool = False
    then: tuple[Any, ...] = ()  # ties broken by these, as written whichever way the column runs


@dataclass(frozen=True)
class SortLink:
    """A column header as the page shows it (rendered by web/partials/_sort_th.html)."""

    label: str
    href: str
    target: str
    current: bool
    descending: bool

    @property
    def aria_sort(self) -> str:
        return ("descending" if self.descending else "ascending") if self.current else ""

    @property
    def arrow(self) -> str:
        return ("▼" if self.descending else "▲") if self.current else ""


@dataclass(frozen=True)
class Sorting:
    """The order a list is shown in: a key of `columns` and its direction."""

    columns: Mapping[str, SortColumn]
    key: str
    descending: bool
    default: str
    target: str = ""  # the element the table is swapped into (hx-target)
    form: str = ""  # the id of the filter form, which carries the order along (see _sort_keep.html)
    links: dict[str, SortLink] = field(default_factory=dict)

    @property
    def param(self) -> str:
        return ("-" if self.descending else "") + self.key

    @property
    def is_default(self) -> bool:
        return self.param == self.default

    def query(self) -> dict[str, str]:
        """What the query string needs to keep this order (nothing for the default)."""
        return {} if self.is_default else {"sort": self.param}

    def apply(self, rows):
        """`rows` in this order: a queryset ordered by the database (a tie broken by id, so pages do
        not overlap), a list sorted in Python (stable: ties keep the order they came in)."""
        column = self.columns[self.key]
        if isinstance(rows, QuerySet):
            if column.key is not None:
                return KeyOrdered(rows, column, descending=self.descending)
            return rows.order_by(*(_order_by(f, descending=self.descending) for f in column.fields),
                                 *(_order_by(f, descending=False) for f in column.then),
                                 "-pk" if self.descending else "pk")
        return _sorted(list(rows), lambda row: column.key(row) if column.key else None, descending=self.descending)

    def with_links(self, path: str, query: Mapping[str, str]) -> Sorting:
        """This order with a link per column to `path`, keeping the other filters of `query`."""
        kept = {k: v for k, v in query.items() if v and k not in ("sort", "page")}
        links = {}
        for key, column in self.columns.items():
            current = key == self.key
            descending = not self.descending if current else column.descending_first
            param = ("-" if descending else "") + key
            params = dict(kept)
            if param != self.default:
                params["sort"] = param
            links[key] = SortLink(column.label, f"{path}?{urlencode(params)}" if params else path,
                                  self.target, current, self.descending if current else False)
        return Sorting(self.columns, self.key, self.descending, self.default, self.target, self.form, links)


def sort_param(query: Mapping[str, str], columns: Mapping[str, SortColumn], *, default: str,
               target: str = "", form: str = "") -> Sorting:
    """The order asked for by `?sort=key` or `?sort=-key`; a key not in `columns` (the whitelist:
    only columns the page shows, so an order never tells what a hidden field holds) gives the
    `default` ("key" or "-key"), silently."""
    raw = (query.get("sort") or "").strip()[:40]
    key = raw.removeprefix("-")
    if key not in columns:
        raw = default
        key = raw.removeprefix("-")
    return Sorting(columns, key, raw.startswith("-"), default, target, form)


def _order_by(expression, *, descending: bool) -> OrderBy:
    if isinstance(expression, OrderBy):  # a direction of its own (`then=(F("x").desc(),)`)
        if not descending:
            return expression
        flipped = expression.copy()
        flipped.reverse_ordering()
        return flipped
    if isinstance(expression, str):
        reverse = expression.startswith("-")
        expression = F(expression.removeprefix("-"))
        descending = descending != reverse
    return expression.desc(nulls_last=True) if descending else expression.asc(nulls_last=True)


def _sorted(rows: list, key: Callable[[Any], Any], *, descending: bool) -> list:
    keyed = [(key(row), row) for row in rows]
    present = [pair for pair in keyed if pair[0] is not None]
    present.sort(key=lambda pair: pair[0], reverse=descending)
    return [row for _, row in present] + [row for k, row in keyed if k is None]


class KeyOrdered:
    """A queryset in an order computed in Python (Vietnamese names): one query reads the ids with
    the values the key needs, each page one more for its rows. Paginator takes it as a list."""

    def __init__(self, queryset: QuerySet, column: SortColumn, *, descending: bool) -> None:
        assert column.key is not None
        values = list(queryset.order_by("pk").values("pk", *column.values))
        key = column.key
        self._ids = [v["pk"] for v in _sorted(values, key, descending=descending)]
        self._queryset = queryset

    def __len__(self) -> int:
        return len(self._ids)

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index:index + 1][0] if index >= 0 else self[len(self) + index]
        ids = self._ids[index]
        rows = {row.pk: row for row in self._queryset.filter(pk__in=ids)}
        return [rows[pk] for pk in ids if pk in rows]


def render_list(request: HttpRequest, rows, *, filters: dict[str, str], today: date, tabs,
                table_template: str, page_template: str, page_context: Callable[[], dict],
                sort: Sorting | None = None) -> HttpResponse:
    """A page of `rows`: the table for an HTMX request, else the page with `page_context()` added
    (called only then: the filter form's choices cost queries the table does not need). With
    `sort`, the rows are put in its order before paging and the headers link to the other orders."""
    if sort is not None:
        rows = sort.apply(rows)
        sort = sort.with_links(request.path, filters)
    page = Paginator(rows, PAGE_SIZE).get_page(page_param(request))
    query = urlencode({**{k: v for k, v in filters.items() if v}, **(sort.query() if sort else {})})
    ctx = {"page": page, "filters": filters, "query": query, "today": today, "tabs": tabs, "sort": sort}
    if getattr(request, "htmx", False):
        return render(request, table_template, ctx)
    ctx.update(page_context())
    return render(request, page_template, ctx)
