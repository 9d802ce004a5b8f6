"""Authentication endpoints for machine clients: issue and revoke bearer tokens, who am I."""

# No `from __future__ import annotations` here: ninja reads the handlers' annotations
# (Query[...], schemas) when the router is built.
from datetime import datetime, timedelta

from django.contrib.auth import authenticate
from django.contrib.auth.signals import user_logged_in
from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from baocao.accounts.auth import bearer_auth
from baocao.accounts.choices import Role
from baocao.accounts.http import ApiRequest
from baocao.accounts.services import api_token_create, api_token_get, api_token_revoke
from baocao.core.api_types import CODE_PATTERN, InputSchema
from baocao.core.errors import AppError

router = Router(tags=["auth"])

BAD_CREDENTIALS = "Sai tên đăng nhập hoặc mật khẩu."


class TokenIn(InputSchema):
    username: str = Field(..., min_length=1, max_length=150, pattern=CODE_PATTERN)
    password: str = Field(..., min_length=1, max_length=4096, pattern=CODE_PATTERN)


class TokenOut(Schema):
    token: str
    expires_at: datetime


class MeOut(Schema):
    id: int
    username: str
    full_name: str
    role: Role
    role_label: str
    unit_id: int | None


def _lockout_minutes(request: HttpRequest) -> int:
    from axes.helpers import get_cool_off

    cool_off = get_cool_off(request) or timedelta(minutes=15)
    return max(1, round(cool_off.total_seconds() / 60))


@router.post("/auth/token", auth=None, response=TokenOut, summary="Lấy mã truy cập API")
def token_create(request: HttpRequest, payload: TokenIn):
    """Exchange a username and password for a bearer token (sent as `Authorization: Bearer …`).

    Failed attempts count towards django-axes' lockout, as logins in the browser do.
    """
    user = authenticate(request=request, username=payload.username, password=payload.password)
    if getattr(request, "axes_locked_out", False):
        # Answered here in the API's shape; clearing the flag stops AxesMiddleware from
        # replacing this response with the browser's lockout page.
        request.axes_locked_out = False  # type: ignore[attr-defined]
        raise AppError(
            f"Đăng nhập sai quá nhiều lần; hãy thử lại sau {_lockout_minutes(request)} phút.", status=429
        )
    if user is None:
        raise AppError(BAD_CREDENTIALS, status=401)
    raw = api_token_create(user=user)
    # A token is a login: this records last_login and resets axes' failure count as the
    # browser login does.
    user_logged_in.send(sender=user.__class__, request=request, user=user)
    token = api_token_get(raw)
    assert token is not None  # issued just above
    return {"token": raw, "expires_at": token.expires_at}


@router.delete("/auth/token", auth=[bearer_auth], response={204: None}, summary="Thu hồi mã truy cập API")
def token_revoke(request: ApiRequest):
    """Revoke the bearer token this request was made with."""
    api_token_revoke(user=request.auth, raw=request.api_token_raw)
    return Status(204, None)


@router.get("/auth/me", response=MeOut, summary="Người dùng hiện tại")
def me(request: ApiRequest):
    user = request.auth
    return {
        "id": user.pk,
        "username": user.username,
        "full_name": user.full_name,
        "role": user.role,
        "role_label": user.get_role_display(),
        "unit_id": user.unit_id,
    }
