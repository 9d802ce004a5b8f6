"""The HTTP boundary's guard: requests that no view can answer sensibly are refused with 400 here,
once, instead of reaching a view, a form or the database.

- A NUL character anywhere in the path, a query-string or form key or value: PostgreSQL refuses it
  in any text ("A string literal cannot contain NUL characters"), SQLite stores it and documents
  then fail on it. Refused before any view runs. (The API's JSON bodies and multipart forms are
  checked by its parser, `config.api.GuardedParser`: reading a multipart body here would leave the
  API unable to read it again.)
- As a last resort only, an OverflowError or DataError that escapes a page (a number or text the
  database cannot hold, from input that should have been bounded at the boundary) is a 400 page,
  not a traceback; it is logged, since it means a parameter slipped past its bound.

`bad_request` is the project's handler400 (config/urls.py): Django calls it for BadRequest (as
`core.listing.int_param` raises), malformed multipart bodies and other SuspiciousOperations.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

from django.core.exceptions import BadRequest
from django.db import DataError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

logger = logging.getLogger("baocao.http")

# config/urls.py mounts the API here; its errors answer in the API's {"message", "extra"} shape.
API_PREFIX = "/api/"

MSG_BAD_REQUEST = "Yêu cầu không hợp lệ: địa chỉ hoặc dữ liệu gửi lên không đọc được."
MSG_NUL = "Dữ liệu gửi lên không hợp lệ: có ký tự NUL (mã 0), không được phép trong văn bản."
MSG_TOO_LARGE = "Dữ liệu gửi lên không hợp lệ: có số hoặc văn bản vượt quá giới hạn lưu trữ."

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def is_api(request: HttpRequest) -> bool:
    return request.path_info.startswith(API_PREFIX)


def bad_request_response(request: HttpRequest, message: str = MSG_BAD_REQUEST, extra: dict | None = None,
                         ) -> HttpResponse:
    """400 in the API's error shape under /api/, else the Vietnamese 400 page."""
    if is_api(request):
        return JsonResponse({"message": message, "extra": extra or {}}, status=400)
    return render(request, "400.html", {"message": message}, status=400)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """handler400. A BadRequest raised by our own code carries a Vietnamese message worth showing;
    Django's own (multipart, too many fields, suspicious operations) are in English: a generic one."""
    message = str(exception) if type(exception) is BadRequest and exception.args else MSG_BAD_REQUEST
    return bad_request_response(request, message)


def _nul_in(pairs: Iterable[tuple[str, list]]) -> str | None:
    """The first key whose name or a value holds a NUL, or None."""
    for key, values in pairs:
        if "\x00" in key or any(isinstance(v, str) and "\x00" in v for v in values):
            return key.replace("\x00", "\\x00")
    return None


def nul_parameter(request: HttpRequest) -> str | None:
    """Where a NUL is in this request ("path", a parameter's name), or None."""
    if "\x00" in request.path:
        return "path"
    found = _nul_in(request.GET.lists())
    if found is None and request.method == "POST" and request.content_type in FORM_TYPES:
        if request.content_type == FORM_TYPES[0] or not is_api(request):
            found = _nul_in(request.POST.lists())
            if found is None:
                found = _nul_in((key, [f.name for f in files]) for key, files in request.FILES.lists())
    return found


class HostileInputMiddleware:
    """Refuses NUL in the path, query string and form body with 400; turns database overflow that
    escaped a page into 400 (see the module's docstring)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        parameter = nul_parameter(request)
        if parameter is not None:
            return bad_request_response(request, MSG_NUL, {"parameter": parameter})
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, OverflowError | DataError):
            logger.warning("Unbounded input reached the database on %s %s: %r", request.method,
                           request.path, exception)
            return bad_request_response(request, MSG_TOO_LARGE)
        return None
