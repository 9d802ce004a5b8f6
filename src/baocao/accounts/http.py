"""Request types for annotations: what the middleware and the API's authentication add to Django's
request, so that the type checker knows `request.user` is our User on pages behind a login,
`request.htmx` exists (django-htmx), and `request.auth` is the API caller."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

if TYPE_CHECKING:
    from baocao.accounts.models import User


class AppRequest(HttpRequest):
    """A page request behind `login_required`."""

    user: User  # AnonymousUser never gets past login_required
    htmx: HtmxDetails


class ApiRequest(HttpRequest):
    """An API request after authentication (session or bearer token)."""

    auth: User
    api_token_raw: str
