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

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.defaults import page_not_found

from baocao.core.errors import AppError, NotFound, PermissionDeniedError


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
        return page_not_found(request, Http404(error.message))
    back = request.headers.get("Referer", "")
    if request.method == "POST" and back and url_has_allowed_host_and_scheme(
            back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        messages.error(request, error.message)
        return redirect(back)
    return render(request, "web/error.html", {"message": error.message}, status=error.status)
