"""The JSON API under /api/v1/: one NinjaAPI that mounts each app's router.

Every error, ours or the framework's, answers `{"message": <Vietnamese>, "extra": {...}}`:
AppError and its subclasses with their own status; invalid input 422; unreadable JSON 400;
missing authentication 401; unknown or out-of-scope ids 404; anything unexpected 500 without
a traceback (the traceback goes to the log).

Hostile input is a 4xx, never a 500, and reaches nothing (issue 10, item 4):
- `GuardedParser` reads JSON bodies: NUL (raw or as the `\u0000` escape) and nesting deeper than
  MAX_JSON_DEPTH are 400, a top level that is not an object (or null) 422, as any body of the wrong type;
  other control characters are cleaned (core.input.CleanTextParser). It refuses NUL in multipart
  fields too (web.middleware leaves API multipart to it; Django itself drops NUL from file names).
- Every integer parameter is bounded in its declared type (core.api_types), so that the schema
  states the range and validation refuses the rest; a path parameter that fails validation names
  no resource: 404, as an unknown path does.
- As a last resort, a number the database cannot hold (OverflowError, DataError), a malformed
  multipart body, a SuspiciousOperation or a BadRequest is a 400 (413 for a body over the limit);
  database errors are logged, since they mean a parameter slipped past its bound.
"""

import copy
import functools
import json
import logging
from typing import Any

from django.core.exceptions import (
    BadRequest,
    ObjectDoesNotExist,
    PermissionDenied,
    RequestDataTooBig,
    SuspiciousOperation,
)
from django.db import DataError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.http.multipartparser import MultiPartParserError
from django.urls import URLPattern, re_path
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError

from baocao.accounts.api import router as accounts_router
from baocao.accounts.auth import API_AUTH
from baocao.cases.api import router as cases_router
from baocao.consolidation.api import router as consolidation_router
from baocao.core.bounds import JSON_DEPTH_MAX
from baocao.core.errors import AppError
from baocao.core.input import CleanTextParser
from baocao.core.text import clean_data, contains_nul, json_too_deep
from baocao.exchange.bulk_api import router as exchange_bulk_router
from baocao.exchange.template_api import router as template_router
from baocao.meetings.api import router as meetings_router
from baocao.notifications.api import router as notifications_router
from baocao.orgunits.api import router as orgunits_router
from baocao.reporting.api import router as reporting_router
from baocao.submissions.api import router as submissions_router
from baocao.work.api import router as work_router

logger = logging.getLogger("baocao.api")

MSG_INVALID = "Dữ liệu gửi lên không hợp lệ."
MSG_BAD_JSON = "Nội dung gửi lên không đọc được (cần JSON hợp lệ)."
MSG_UNAUTHENTICATED = "Cần đăng nhập."
MSG_FORBIDDEN = "Bạn không có quyền thực hiện thao tác này."
MSG_CSRF = "Thiếu hoặc sai mã chống giả mạo (CSRF); hãy tải lại trang rồi thử lại."
MSG_NOT_FOUND = "Không tìm thấy."
MSG_METHOD = "Phương thức không được hỗ trợ ở địa chỉ này."
MSG_THROTTLED = "Gửi yêu cầu quá nhiều; hãy thử lại sau."
MSG_SERVER = "Lỗi hệ thống."
MSG_NUL = "Dữ liệu gửi lên không hợp lệ: có ký tự NUL (mã 0), không được phép trong văn bản."
MSG_TOO_DEEP = "Dữ liệu gửi lên không hợp lệ: JSON lồng nhau quá {depth} cấp."
MSG_NOT_OBJECT = "Nội dung JSON phải là một đối tượng {…}."
MSG_TOO_LARGE_NUMBER = "Dữ liệu gửi lên không hợp lệ: có số hoặc văn bản vượt quá giới hạn lưu trữ."
MSG_MULTIPART = "Nội dung multipart/form-data không đọc được (thiếu hoặc sai boundary)."
MSG_BAD_REQUEST = "Yêu cầu không hợp lệ: địa chỉ hoặc dữ liệu gửi lên không đọc được."
MSG_BODY_TOO_BIG = "Nội dung gửi lên quá lớn."

MAX_JSON_DEPTH = JSON_DEPTH_MAX


class ErrorOut(Schema):
    """The one error shape of the API."""

    message: str
    extra: dict[str, Any]


class RefusedInput(AppError):
    """A body the parser will not hand to validation (400)."""


class GuardedParser(CleanTextParser):
    """The API's parser: JSON bodies without NUL and at most MAX_JSON_DEPTH deep, their other
    control characters cleaned; query strings and multipart fields without NUL.

    A body refused here is a RefusedInput, which ninja wraps in HttpError(400, "Cannot parse
    request body"); `_http_error` answers with the refusal's own message."""

    def parse_body(self, request: HttpRequest):
        body = request.body
        if b"\x00" in body:
            raise RefusedInput(MSG_NUL, {"parameter": "body"})
        try:
            data = json.loads(body)
        except RecursionError:
            raise RefusedInput(MSG_TOO_DEEP.format(depth=MAX_JSON_DEPTH), {"max_depth": MAX_JSON_DEPTH}) from None
        if json_too_deep(data):
            raise RefusedInput(MSG_TOO_DEEP.format(depth=MAX_JSON_DEPTH), {"max_depth": MAX_JSON_DEPTH})
        if contains_nul(data):
            raise RefusedInput(MSG_NUL, {"parameter": "body"})
        if data is not None and not isinstance(data, dict):
            # Every body of ours is an object (`null` for an optional one); core.api_types.InputSchema
            # refuses the rest too, this says so before validation does.
            raise RefusedInput(MSG_INVALID, {"errors": [{"loc": ["body"], "msg": MSG_NOT_OBJECT, "type": "model_type"}]},
                               status=422)
        return clean_data(data, keep_nul=True)

    def parse_querydict(self, data, list_fields, request: HttpRequest):
        # Called for the query string, the form fields and the files an operation declares; a
        # multipart body is checked whole (fields it does not declare included), as pages are.
        sources = [data]
        if request.content_type == "multipart/form-data" and request.method != "GET":
            sources += [request.POST, request.FILES]
        for source in sources:
            for key, values in source.lists():
                texts = [getattr(v, "name", v) for v in values]  # uploaded files: their names
                if "\x00" in key or any(isinstance(v, str) and "\x00" in v for v in texts):
                    raise RefusedInput(MSG_NUL, {"parameter": key.replace("\x00", "\\x00")})
        return super().parse_querydict(data, list_fields, request)


class BaocaoAPI(NinjaAPI):
    def _get_urls(self):
        """Ninja's URLs, answering 405 in the error shape, then a catch-all so that unknown paths
        under /api/v1/ (including ids that are not numbers) answer 404 in the error shape too."""
        urls = super()._get_urls()
        for pattern in urls:
            if isinstance(pattern, URLPattern):
                pattern.callback = _error_shaped_405(pattern.callback)
        urls.append(re_path(r"^.*$", _unknown_path, name="unknown-path"))
        return urls

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        """Document the shared error shape on every operation (4XX), alongside its own answers."""
        # A copy: the operations' `openapi_extra` dicts are shared with every later call, and
        # _hoist_defs below takes their `$defs` out.
        schema = copy.deepcopy(super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params))
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components["ErrorOut"] = ErrorOut.model_json_schema(ref_template="#/components/schemas/{model}")
        error_response = {
            "description": "Lỗi: {\"message\": thông báo tiếng Việt, \"extra\": chi tiết}",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}},
        }
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                operation.setdefault("responses", {}).setdefault("4XX", error_response)
                _hoist_defs(operation, components)
                for parameter in operation.get("parameters", []):
                    # ninja copies the schema's `examples` (a JSON Schema list) to the parameter,
                    # where OpenAPI wants a map of Example Objects.
                    if isinstance(parameter.get("examples"), list):
                        parameter["examples"] = {str(value): {"value": value} for value in parameter["examples"]}
        return schema


def _hoist_defs(node: Any, components: dict) -> None:
    """Schemas an operation declares in `openapi_extra` (a body ninja does not read itself) come
    from `Model.model_json_schema(ref_template="#/components/schemas/{model}")`: their nested
    models, under `$defs`, become components."""
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, dict):
            for name, definition in current.pop("$defs", {}).items():
                components.setdefault(name, definition)
                stack.append(definition)
            stack.extend(current.values())
        elif isinstance(current, list):
            stack.extend(current)


api = BaocaoAPI(
    title="baocao API",
    version="1",
    description=(
        "API của baocao: đơn vị, chế độ báo cáo, kỳ báo cáo, biểu mẫu và báo cáo của đơn vị.\n\n"
        "Xác thực: `POST /api/v1/auth/token` với tên đăng nhập và mật khẩu, rồi gửi "
        "`Authorization: Bearer <token>`; trình duyệt dùng phiên đăng nhập kèm mã CSRF. "
        "Mọi lỗi trả về `{\"message\", \"extra\"}`."
    ),
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
    auth=API_AUTH,
    parser=GuardedParser(),
)


def _error_shaped_405(view):
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if isinstance(response, HttpResponseNotAllowed):
            shaped = error_response(request, 405, MSG_METHOD)
            shaped["Allow"] = response["Allow"]
            return shaped
        return response

    return wrapper


@csrf_exempt
def _unknown_path(request: HttpRequest) -> HttpResponse:
    return error_response(request, 404, MSG_NOT_FOUND)


def error_response(request: HttpRequest, status: int, message: str, extra: dict | None = None) -> HttpResponse:
    return api.create_response(request, {"message": message, "extra": extra or {}}, status=status)


@api.exception_handler(AppError)
def _app_error(request: HttpRequest, exc: AppError) -> HttpResponse:
    return error_response(request, exc.status, exc.message, exc.extra)


def _error_item(error: dict) -> dict:
    # pydantic's ctx may hold exception objects: keep only what serialises and helps.
    return {"loc": [str(part) if not isinstance(part, int) else part for part in error.get("loc", ())],
            "msg": str(error.get("msg", "")), "type": str(error.get("type", ""))}


@api.exception_handler(ValidationError)
def _validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = [_error_item(e) for e in exc.errors]
    if any(e["loc"][:1] == ["path"] for e in errors):
        # `/units/0`, `/units/99999999999999999999`: an id no row can have names nothing,
        # whatever the rest of the request holds.
        return error_response(request, 404, MSG_NOT_FOUND, {"errors": errors})
    return error_response(request, 422, MSG_INVALID, {"errors": errors})


@api.exception_handler(AuthenticationError)
def _authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return error_response(request, 401, MSG_UNAUTHENTICATED)


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    cause = exc.__cause__
    if isinstance(cause, AppError):  # refused by GuardedParser
        return _app_error(request, cause)
    if isinstance(cause, SuspiciousOperation):  # request.body over DATA_UPLOAD_MAX_MEMORY_SIZE
        return _suspicious(request, cause)
    status = exc.status_code
    if status == 400:
        message = MSG_BAD_JSON if "parse request body" in exc.message else MSG_INVALID
    elif status == 401:
        message = MSG_UNAUTHENTICATED
    elif status == 403:
        message = MSG_CSRF if "CSRF" in exc.message else MSG_FORBIDDEN
    elif status == 404:
        message = MSG_NOT_FOUND
    elif status == 429:
        message = MSG_THROTTLED
    else:
        message = MSG_INVALID if 400 <= status < 500 else MSG_SERVER
    return error_response(request, status, message)


@api.exception_handler(Http404)
def _http404(request: HttpRequest, exc: Http404) -> HttpResponse:
    return error_response(request, 404, MSG_NOT_FOUND)


@api.exception_handler(ObjectDoesNotExist)
def _does_not_exist(request: HttpRequest, exc: ObjectDoesNotExist) -> HttpResponse:
    return error_response(request, 404, MSG_NOT_FOUND)


@api.exception_handler(PermissionDenied)
def _permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return error_response(request, 403, MSG_FORBIDDEN)


@api.exception_handler(OverflowError)
@api.exception_handler(DataError)
def _out_of_range(request: HttpRequest, exc: Exception) -> HttpResponse:
    logger.warning("Unbounded input reached the database on %s %s: %r", request.method, request.path, exc)
    return error_response(request, 400, MSG_TOO_LARGE_NUMBER)


@api.exception_handler(MultiPartParserError)
def _multipart(request: HttpRequest, exc: MultiPartParserError) -> HttpResponse:
    return error_response(request, 400, MSG_MULTIPART)


@api.exception_handler(SuspiciousOperation)
def _suspicious(request: HttpRequest, exc: SuspiciousOperation) -> HttpResponse:
    if isinstance(exc, RequestDataTooBig):
        return error_response(request, 413, MSG_BODY_TOO_BIG)
    return error_response(request, 400, MSG_BAD_REQUEST)


@api.exception_handler(BadRequest)
def _bad_request(request: HttpRequest, exc: BadRequest) -> HttpResponse:
    # Ours (core.listing.int_param) carry a Vietnamese message; Django's are in English.
    message = str(exc) if type(exc) is BadRequest and exc.args else MSG_BAD_REQUEST
    return error_response(request, 400, message)


@api.exception_handler(Exception)
def _unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
    logger.exception("Unhandled API error on %s %s", request.method, request.path, exc_info=exc)
    return error_response(request, 500, MSG_SERVER)


api.add_router("", accounts_router)
api.add_router("", orgunits_router)
api.add_router("", reporting_router)
api.add_router("", submissions_router)
api.add_router("", consolidation_router)
api.add_router("", work_router)
api.add_router("", meetings_router)
api.add_router("", cases_router)
api.add_router("", template_router)
api.add_router("", exchange_bulk_router)
api.add_router("", notifications_router)
