"""Where text enters through HTTP, it is cleaned once (`core.text.clean_text`): the pages' form
posts (`CleanTextMiddleware`) and the API's JSON bodies (`CleanTextParser`). Every field of every
page and endpoint gets it, present and future, without a form or schema base to remember.

Line breaks become LF and control characters other than tab and LF are dropped: they carry no
meaning in a report and break every XML document built from it. NUL is left in place for the
HTTP boundary's guard (web.middleware) to refuse with a 400. Imports clean their own text
(exchange.bulk, exchange.xlsx_template).
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, QueryDict
from ninja.parser import Parser

from baocao.core.text import clean_data, clean_text, needs_cleaning

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class CleanTextMiddleware:
    """Replaces `request.POST` of a page's form post by a cleaned copy before the view reads it.

    Runs in process_view, after CsrfViewMiddleware has parsed the body anyway; API views
    (csrf-exempt: ninja reads its own body) are left to `CleanTextParser`."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> None:
        if request.method != "POST" or getattr(view_func, "csrf_exempt", False):
            return None
        if request.content_type not in FORM_TYPES:
            return None
        post = request.POST
        lists = list(post.lists())
        if not any(needs_cleaning(key) or any(needs_cleaning(v) for v in values) for key, values in lists):
            return None
        cleaned = QueryDict(mutable=True, encoding=post.encoding)
        for key, values in lists:
            cleaned.setlist(clean_text(key, keep_nul=True), [clean_text(v, keep_nul=True) for v in values])
        cleaned._mutable = False
        request.POST = cleaned  # type: ignore[assignment]  # made immutable above; WSGIRequest.POST has a setter
        return None


class CleanTextParser(Parser):
    """The API's JSON bodies with every string cleaned (keys included)."""

    def parse_body(self, request: HttpRequest):
        return clean_data(super().parse_body(request), keep_nul=True)
