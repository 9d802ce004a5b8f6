"""State changes of accounts: users (their role, unit and password, each change audited) and API
tokens for machine clients.

A user's role and unit decide what they see (accounts.roles, orgunits.scope), so every change of
them is an audit row with the old and the new value; a password change is a row too, without the
password.

The raw token is shown once, to the client that asked for it; only its SHA-256 is stored, so a
copy of the database does not hand out working credentials.
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare

from baocao.accounts.choices import Role
from baocao.accounts.models import ApiToken, User, hash_token, password_fingerprint
from baocao.accounts.roles import is_admin
from baocao.audit.actions import AuditAction
from baocao.audit.services import FieldChange, audit_record, audit_record_changes
from baocao.core.errors import AppError, PermissionDeniedError

ENTITY = "user"
USER_FIELDS = ("username", "first_name", "last_name", "email", "full_name", "role", "unit", "is_active",
               "is_staff", "is_superuser", "groups", "user_permissions")
M2M_FIELDS = ("groups", "user_permissions")

# Writing last_used_at on every request would turn each read into a write; a minute is precise
# enough to tell which tokens are still in use.
LAST_USED_PRECISION = timedelta(minutes=1)


def api_token_create(*, user: User) -> str:
    """Issue a new bearer token for `user`, valid for settings.API_TOKEN_TTL_DAYS; returns the raw token.

    A user holds at most settings.API_TOKENS_PER_USER tokens: tokens that no longer work go first,
    then the oldest ones, each with an audit row, so a leaked old token does not live on forever.
    """
    raw = secrets.token_urlsafe(32)
    now = timezone.now()
    expires_at = now + timedelta(days=settings.API_TOKEN_TTL_DAYS)
    limit = max(1, settings.API_TOKENS_PER_USER)
    fingerprint = password_fingerprint(user)
    with transaction.atomic():
        # Serialises concurrent logins of one user, so that together they cannot exceed the limit.
        User.objects.select_for_update().filter(pk=user.pk).first()
        held = list(ApiToken.objects.filter(user=user).order_by("created_at", "pk"))
        stale = [t for t in held if t.expires_at <= now or t.password_fingerprint != fingerprint]
        live = [t for t in held if t not in stale]
        surplus = live[: max(0, len(live) - (limit - 1))]
        for old, reason in [*((t, "hết hiệu lực") for t in stale),
                            *((t, f"vượt số mã tối đa {limit} của một người dùng") for t in surplus)]:
            audit_record(actor=user, action=AuditAction.API_TOKEN_REVOKE, entity="api_token", entity_id=old.pk,
                         unit=user.unit, comment=f"Thu hồi khi cấp mã mới: {reason}")
        ApiToken.objects.filter(pk__in=[t.pk for t in [*stale, *surplus]]).delete()
        token = ApiToken.objects.create(user=user, key_hash=hash_token(raw), expires_at=expires_at,
                                        password_fingerprint=fingerprint)
        audit_record(actor=user, action=AuditAction.API_TOKEN_CREATE, entity="api_token", entity_id=token.pk,
                     unit=user.unit, new=f"hết hạn {expires_at.isoformat()}")
    return raw


def api_token_get(raw: str) -> ApiToken | None:
    """The stored token for a raw token, whether or not it is still valid."""
    if not raw:
        return None
    return ApiToken.objects.select_related("user").filter(key_hash=hash_token(raw)).first()


def api_token_authenticate(raw: str) -> User | None:
    """The active user a raw token belongs to, or None when unknown, expired or the user is disabled."""
    token = api_token_get(raw)
    if token is None:
        return None
    now = timezone.now()
    if token.expires_at <= now or not token.user.is_active:
        return None
    # The password changed since the token was issued (by any path): the token ended with it.
    if not constant_time_compare(token.password_fingerprint, password_fingerprint(token.user)):
        return None
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def api_token_revoke(*, user: User, raw: str) -> bool:
    """Delete the user's token `raw` (logging out a machine client); False when there was none."""
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().filter(user=user, key_hash=hash_token(raw)).first()
        if token is None:
            return False
        token_id = token.pk
        token.delete()
        audit_record(actor=user, action=AuditAction.API_TOKEN_REVOKE, entity="api_token", entity_id=token_id,
                     unit=user.unit)
    return True


# ---------------------------------------------------------------------------
# Users


def _require_user_manager(acting_user, *, superuser_field: bool) -> None:
    if not is_admin(acting_user):
        raise PermissionDeniedError("Chỉ quản trị hệ thống được quản lý người dùng.")
    if superuser_field and not acting_user.is_superuser:
        raise PermissionDeniedError("Chỉ quản trị cấp cao nhất (superuser) được cấp hoặc thu hồi quyền đó.",
                               {"fields": {"is_superuser": "Không được phép"}})


def _show(key: str, value: Any) -> str:
    if key == "role":
        return Role(value).label if value in Role.values else str(value or "")
    if key in M2M_FIELDS:
        return ", ".join(sorted(str(v) for v in value))
    if isinstance(value, bool):
        return "có" if value else "không"
    return "" if value is None else str(value)


def _check_user_values(values: dict[str, Any]) -> None:
    if "role" in values and values["role"] not in Role.values:
        raise AppError(f"Vai trò «{values['role']}» không hợp lệ.", {"fields": {"role": "Không hợp lệ"}})
    if "username" in values:
        values["username"] = (values["username"] or "").strip()
        if not values["username"]:
            raise AppError("Tên đăng nhập không được để trống.", {"fields": {"username": "Bắt buộc"}})
    unit = values.get("unit")
    # The unit model is the user's foreign key target (accounts sits below orgunits in the layers).
    if unit is not None and not isinstance(unit, User._meta.get_field("unit").related_model):
        raise AppError("Đơn vị không hợp lệ.", {"fields": {"unit": "Không hợp lệ"}})


def _check_password(password: str, user: User) -> None:
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        raise AppError(" ".join(exc.messages), {"fields": {"password": " ".join(exc.messages)}}) from None


def user_create(*, acting_user, username: str, password: str | None, role: str = Role.VIEWER,
                unit: Any = None, full_name: str = "", email: str = "", is_active: bool = True,
                is_staff: bool = False, is_superuser: bool = False) -> User:
    """Create a user; `password` None makes one who cannot log in with a password (yet)."""
    values: dict[str, Any] = {"username": username, "role": role, "unit": unit, "full_name": (full_name or "").strip(),
                              "email": (email or "").strip(), "is_active": is_active, "is_staff": is_staff,
                              "is_superuser": is_superuser}
    _require_user_manager(acting_user, superuser_field=is_superuser)
    _check_user_values(values)
    with transaction.atomic():
        if User.objects.filter(username__iexact=values["username"]).exists():
            raise AppError(f"Tên đăng nhập «{values['username']}» đã được dùng.",
                           {"fields": {"username": "Đã tồn tại"}})
        user = User(**values)
        if password is None:
            user.set_unusable_password()
        else:
            _check_password(password, user)
            user.set_password(password)
        user.save()
        audit_record(actor=acting_user, action=AuditAction.USER_CREATE, entity=ENTITY, entity_id=user.pk, unit=unit,
                     new=f"{user.username} – {_show('role', role)}" + (f" – {unit.name}" if unit else ""))
        return user


def user_update(*, acting_user, user: User, **fields: Any) -> User:
    """Change some of USER_FIELDS (groups and user_permissions as iterables); one audit row per
    changed field, old → new, in the user's (new) unit."""
    unknown = sorted(set(fields) - set(USER_FIELDS))
    if unknown:
        raise AppError(f"Không sửa được trường: {', '.join(unknown)}.", {"unknown": unknown})
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        superuser_field = "is_superuser" in fields and bool(fields["is_superuser"]) != user.is_superuser
        _require_user_manager(acting_user, superuser_field=superuser_field or user.is_superuser)
        _check_user_values(fields)
        if "username" in fields and fields["username"] != user.username and User.objects.filter(
                username__iexact=fields["username"]).exclude(pk=user.pk).exists():
            raise AppError(f"Tên đăng nhập «{fields['username']}» đã được dùng.",
                           {"fields": {"username": "Đã tồn tại"}})
        if user.pk == acting_user.pk and fields.get("is_active") is False:
            raise AppError("Không tự khóa tài khoản của chính mình được.", {"fields": {"is_active": "Không hợp lệ"}})
        changes: list[FieldChange] = []
        m2m: dict[str, list] = {}
        for key, new in fields.items():
            if key in M2M_FIELDS:
                old_set = list(getattr(user, key).all())
                new_set = list(new or [])
                if {o.pk for o in old_set} != {o.pk for o in new_set}:
                    m2m[key] = new_set
                    changes.append(FieldChange(key, _show(key, old_set), _show(key, new_set)))
                continue
            old = getattr(user, key)
            if old != new:
                changes.append(FieldChange(key, _show(key, old), _show(key, new)))
                setattr(user, key, new)
        if changes:
            user.save()
            for key, values in m2m.items():
                getattr(user, key).set(values)
            audit_record_changes(actor=acting_user, action=AuditAction.USER_UPDATE, entity=ENTITY, entity_id=user.pk,
                                 unit=user.unit, changes=changes)
        return user


def user_set_password(*, acting_user, user: User, password: str | None) -> User:
    """Set `user`'s password, or (None) turn password login off. The audit row says that it
    changed, never what to. `user` itself is updated, so the caller can refresh a session hash."""
    if acting_user.pk != user.pk:
        _require_user_manager(acting_user, superuser_field=user.is_superuser)
    if password is not None:
        _check_password(password, user)
    with transaction.atomic():
        if password is None:
            user.set_unusable_password()
        else:
            user.set_password(password)
        user.save(update_fields=["password"])
        audit_record(actor=acting_user, action=AuditAction.USER_PASSWORD, entity=ENTITY, entity_id=user.pk, unit=user.unit,
                     field="password", comment="Đổi mật khẩu" if password is not None else "Tắt đăng nhập bằng mật khẩu")
        return user

