"""How API requests prove who they are: a bearer token (machines) or the browser session.

The session is checked only when the request carries a logged-in session, and then with CSRF
protection for unsafe methods (ninja's SessionAuth does the check). Anonymous requests fall
through both and get 401, never a CSRF 403.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from baocao.accounts.services import api_token_authenticate


class BearerTokenAuth(HttpBearer):
    """`Authorization: Bearer <token>` with a token from `POST /api/v1/auth/token`."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        token = token.strip()
        user = api_token_authenticate(token)
        if user is None:
            return None
        # Kept so that `DELETE /auth/token` can revoke the very token this request used.
        # HttpRequest does not declare it (baocao.accounts.http.ApiRequest does, for the handlers).
        request.api_token_raw = token  # type: ignore[attr-defined]
        return user


class BrowserSessionAuth(SessionAuth):
    """Django session cookie, CSRF-checked on unsafe methods, only for logged-in sessions."""

    def __call__(self, request: HttpRequest) -> Any:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        return super().__call__(request)


bearer_auth = BearerTokenAuth()
session_auth = BrowserSessionAuth()
API_AUTH = [bearer_auth, session_auth]
