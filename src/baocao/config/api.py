"""The JSON API under /api/v1/: one NinjaAPI that mounts each app's router.

Every error, ours or the framework's, answers `{"message": <Vietnamese>, "extra": {...}}`:
AppError and its subclasses with their own status; invalid input 422; unreadable JSON 400;
missing authentication 401; unknown or out-of-scope ids 404; anything unexpected 500 without
a traceback (the traceback goes to the log).
"""

import functools
import logging
from typing import Any

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.urls import URLPattern, re_path
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError

from baocao.accounts.api import router as accounts_router
from baocao.accounts.auth import API_AUTH
from baocao.cases.api import router as cases_router
from baocao.consolidation.api import router as consolidation_router
from baocao.core.errors import AppError
from baocao.core.input import CleanTextParser
from baocao.exchange.bulk_api import router as exchange_bulk_router
from baocao.exchange.template_api import router as template_router
from baocao.meetings.api import router as meetings_router
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


class ErrorOut(Schema):
    """The one error shape of the API."""

    message: str
    extra: dict[str, Any]


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
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components["ErrorOut"] = ErrorOut.model_json_schema(ref_template="#/components/schemas/{model}")
        error_response = {
            "description": "Lỗi: {\"message\": thông báo tiếng Việt, \"extra\": chi tiết}",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}},
        }
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                operation.setdefault("responses", {}).setdefault("4XX", error_response)
        return schema


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
    parser=CleanTextParser(),
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
    return error_response(request, 422, MSG_INVALID, {"errors": [_error_item(e) for e in exc.errors]})


@api.exception_handler(AuthenticationError)
def _authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return error_response(request, 401, MSG_UNAUTHENTICATED)


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
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
