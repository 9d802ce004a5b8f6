"""Where a broken rule (`core.errors.AppError`) raised under a page becomes what the user sees,
for every page at once; views catch it themselves only to show field-level errors next to a form
they re-render.

- an HTMX request: the Vietnamese message as a fragment placed in the page's message area
  (`#messages` of base.html) with the error's status, 404 included (base.html tells htmx to
  swap 4xx answers);
- not found (`NotFound`): the 404 page, as for any id outside the user's scope;
- a form posted from a page: back to that page with the message at its top;
- anything else: a page with the message, under the error's status.

The API never gets here: ninja renders AppError as {"message", "extra"} itself.
"""

from __future__ import annotations

import logging

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.http import url_has_allowed_host_and_scheme

from baocao.core.errors import AppError, NotFound, PermissionDeniedError

logger = logging.getLogger("baocao.http")


class AppErrorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if request.path.startswith("/api/"):
            return None
        if isinstance(exception, AppError):
            return app_error_response(request, exception)
        # Django's own 404/403 under htmx: the same fragment, not a whole error page swapped
        # into the part of the page that asked.
        if request.headers.get("HX-Request") and isinstance(exception, Http404):
            return app_error_response(request, NotFound())
        if request.headers.get("HX-Request") and isinstance(exception, PermissionDenied):
            return app_error_response(request, PermissionDeniedError(str(exception) or PermissionDeniedError().message))
        return None


def app_error_response(request: HttpRequest, error: AppError) -> HttpResponse:
    if request.headers.get("HX-Request"):
        response = render(request, "web/partials/_app_error.html", {"message": error.message}, status=error.status)
        response["HX-Retarget"] = "#messages"
        response["HX-Reswap"] = "innerHTML"
        return response
    if isinstance(error, NotFound):
        return page_not_found_view(request, Http404(error.message))
    back = request.headers.get("Referer", "")
    if request.method == "POST" and back and url_has_allowed_host_and_scheme(
            back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        messages.error(request, error.message)
        return redirect(back)
    return render(request, "web/error.html", {"message": error.message}, status=error.status)


# ---------------------------------------------------------------------------
# The error pages (config/urls.py's handler403/404/500, and 405 below): in Vietnamese, with the
# menu, and a way back. Under /api/ every one answers the API's {"message", "extra"} shape.

MSG_NOT_FOUND = "Không tìm thấy."
MSG_FORBIDDEN = "Tài khoản của bạn không được thực hiện thao tác này."
MSG_NOT_ALLOWED = "Địa chỉ này không nhận phương thức {method}."
MSG_SERVER_ERROR = "Hệ thống gặp lỗi khi xử lý yêu cầu."
MSG_CSRF = "Phiên làm việc của trang đã hết hạn hoặc biểu mẫu không hợp lệ. Hãy tải lại trang rồi gửi lại."

# What a 500 shows when even the layout cannot be drawn (the database is down, a context processor
# fails): no template, no query, no static file tag.
STATIC_500 = """<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Lỗi hệ thống · baocao</title></head>
<body><header><nav aria-label="Menu chính"><a href="/">baocao</a> · <a href="/">Tổng quan</a></nav></header>
<main id="main"><h1>Lỗi hệ thống</h1>
<p>Hệ thống gặp lỗi khi xử lý yêu cầu này. Lỗi đã được ghi lại để quản trị viên kiểm tra.
Hãy thử lại sau ít phút.</p>
<p><a href="/">Về trang tổng quan</a></p></main></body></html>
"""

VIETNAMESE_LETTERS = frozenset("ăâđêôơưáàảãạéèẻẽẹíìỉĩịóòỏõọúùủũụýỳỷỹỵấầẩẫậắằẳẵặếềểễệốồổỗộớờởỡợứừửữự")


def _is_api(request: HttpRequest) -> bool:
    return request.path_info.startswith("/api/")


def page_not_found_view(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """handler404: the same page for a missing id and one outside the user's scope (nothing told)."""
    if _is_api(request):
        return JsonResponse({"message": MSG_NOT_FOUND, "extra": {}}, status=404)
    return render(request, "404.html", status=404)


def permission_denied_view(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """handler403. Our own PermissionDenied messages are Vietnamese and shown; Django's are English
    and give way to a generic one."""
    message = str(exception) if exception is not None else ""
    if not VIETNAMESE_LETTERS.intersection(message.lower()):
        message = ""
    if _is_api(request):
        return JsonResponse({"message": message or MSG_FORBIDDEN, "extra": {}}, status=403)
    return render(request, "403.html", {"message": message}, status=403)


def csrf_failure_view(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: a form posted from a page kept open too long, or without its token."""
    if _is_api(request):
        return JsonResponse({"message": MSG_CSRF, "extra": {}}, status=403)
    return render(request, "403.html", {"message": MSG_CSRF}, status=403)


def server_error_view(request: HttpRequest) -> HttpResponse:
    """handler500: the page with the menu when it can be drawn, else a static Vietnamese page."""
    if _is_api(request):
        return JsonResponse({"message": MSG_SERVER_ERROR, "extra": {}}, status=500)
    try:
        content = render_to_string("500.html", request=request)
    except Exception:
        logger.exception("The 500 page could not be drawn with its layout")
        return HttpResponseServerError(STATIC_500)
    return HttpResponseServerError(content)


class MethodNotAllowedMiddleware:
    """require_POST and the class-based views answer a wrong method with an empty 405: on a page
    address it becomes the Vietnamese 405 page, keeping the Allow header (the API's own 405s keep
    their JSON; an empty one gets it)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code != 405 or getattr(response, "streaming", False) or response.content:
            return response
        allow = response.headers.get("Allow", "")
        page: HttpResponse
        if _is_api(request):
            page = JsonResponse({"message": MSG_NOT_ALLOWED.format(method=request.method),
                                 "extra": {"allow": [m.strip() for m in allow.split(",") if m.strip()]}},
                                status=405)
        else:
            page = render(request, "405.html", {"allow": allow}, status=405)
        if allow:
            page["Allow"] = allow
        return page
