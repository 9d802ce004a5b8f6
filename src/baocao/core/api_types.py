"""Bounded whole numbers for the API's path, query and body parameters (`core.bounds` holds the
limits), and the API's one paginator.

Every integer an API client sends is one of these types, so that the OpenAPI schema states the
range (clients and fuzzers never send what no column can hold) and a number outside it is a 422
from validation, before it reaches the database: no OverflowError on SQLite, no "integer out of
range" on PostgreSQL, no `date(99999, …)`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime, time
from typing import Annotated, Any

from ninja import Schema
from ninja.files import UploadedFile
from ninja.pagination import PageNumberPagination
from pydantic import BaseModel, BeforeValidator, Field, PlainSerializer, WithJsonSchema, model_validator

from baocao.core.bounds import ID_MAX, INT_MAX, PAGE_MAX, YEAR_MAX, YEAR_MIN


class InputSchema(Schema):
    """The base of every schema an API client sends (bodies, query strings, forms, their parts).

    ninja's Schema reads any value attribute by attribute (it is made to read model instances),
    so that `"AAA"`, `[null]` or `null` would pass as a body whose fields all have defaults. An
    input is an object: anything else is refused by validation (422). tests/api enforces the base."""

    @model_validator(mode="before")
    @classmethod
    def _an_object(cls, value: Any) -> Any:
        given = getattr(value, "_obj", value)  # ninja wraps the value in a DjangoGetter first
        if not isinstance(given, Mapping | BaseModel):
            raise ValueError("phải là một đối tượng {…}")
        return value


CODE_PATTERN = r"^[^\x00-\x1f\x7f]+$"
"""A code a client sends (a regime, period, unit or indicator code): no control character. The
API cleans control characters out of every string before validation (core.input), so a required
code made of them only would arrive empty; the schema says so, and clients and fuzzers know it."""

Id = Annotated[int, Field(ge=1, le=ID_MAX)]
"""A row's id (BigAutoField)."""

Year = Annotated[int, Field(ge=YEAR_MIN, le=YEAR_MAX)]
"""A calendar year."""

Count = Annotated[int, Field(ge=0, le=INT_MAX)]
"""A version number that may be 0 (PositiveIntegerField)."""

Number = Annotated[int, Field(ge=1, le=INT_MAX)]
"""A number that starts at 1: a version of a form or a report (PositiveIntegerField)."""

# Numbers whose rule the service checks with its own message (a progress of 0–100 %, a day of the
# month, a sanction amount that is not negative: 400 with `extra.fields`): bounded here only by
# what the column's type holds, so that the rule, not the validation, answers.
SMALL_MIN, SMALL_MAX = -(2**15), 2**15 - 1
SmallInt = Annotated[int, Field(ge=SMALL_MIN, le=SMALL_MAX)]
"""Stored in a (Positive)SmallIntegerField."""

Int = Annotated[int, Field(ge=-INT_MAX - 1, le=INT_MAX)]
"""Stored in a (Positive)IntegerField."""

MONEY_MAX = 10**18 - 1  # DecimalField(max_digits=18, decimal_places=0): whole đồng
Money = Annotated[int, Field(ge=-MONEY_MAX, le=MONEY_MAX)]

_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _iso_date(value: Any) -> Any:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str) and _ISO_DATE.fullmatch(value):
        return value  # pydantic checks the month and the day
    raise ValueError("ngày phải viết YYYY-MM-DD")


IsoDate = Annotated[date, BeforeValidator(_iso_date)]
"""A date written as its schema says (`format: date`, YYYY-MM-DD). pydantic's `date` also reads
numbers and numeric strings as Unix timestamps (`?valid_on=0` is 1970-01-01) and datetimes."""

_LOCAL_TIME = re.compile(r"([01][0-9]|2[0-3]):([0-5][0-9])(?::([0-5][0-9]))?")
LOCAL_TIME_PATTERN = "^" + _LOCAL_TIME.pattern + "$"


def _local_time(value: Any) -> Any:
    if isinstance(value, time):
        if value.tzinfo is not None:
            raise ValueError("giờ địa phương không kèm múi giờ")
        return value
    match = _LOCAL_TIME.fullmatch(value) if isinstance(value, str) else None
    if match is None:
        raise ValueError("giờ phải viết HH:MM hoặc HH:MM:SS")
    hour, minute, second = match.groups()
    return time(int(hour), int(minute), int(second or 0))


LocalTime = Annotated[
    time,
    BeforeValidator(_local_time),
    PlainSerializer(lambda value: value.strftime("%H:%M:%S"), return_type=str),
    WithJsonSchema({"type": "string", "pattern": LOCAL_TIME_PATTERN,
                    "description": "Giờ Việt Nam, HH:MM hoặc HH:MM:SS (không kèm múi giờ), ví dụ 08:00"}),
]
"""A time of day in Vietnam, as a TimeField stores it: naive. JSON Schema's `format: time` (what
pydantic declares for `time`) is RFC 3339's full-time, which requires an offset ("08:00:00Z"):
neither what we store nor what we answer, and an aware time is refused by every database backend."""

UploadedData = Annotated[UploadedFile, WithJsonSchema({"type": "string", "format": "binary", "minLength": 1})]
"""An uploaded file, which must not be empty: every upload of ours refuses an empty file (400,
with a message). Declared, so that clients and fuzzers know it."""

PAGE_SIZE_MAX = 100


class BoundedPageNumberPagination(PageNumberPagination):
    """ninja's page-number pagination with both numbers bounded: `?page=0` and
    `?page=99999999999999999999` are 422, never an OFFSET no database accepts."""

    class Input(InputSchema):
        page: int = Field(1, ge=1, le=PAGE_MAX, description="Trang (từ 1)")
        page_size: int | None = Field(None, ge=1, le=PAGE_SIZE_MAX, description="Số dòng mỗi trang (tối đa 100)")

    def __init__(self, page_size: int = 50, max_page_size: int = PAGE_SIZE_MAX, **kwargs: Any) -> None:
        super().__init__(page_size=page_size, max_page_size=max_page_size, **kwargs)
