"""State changes of accounts: API tokens for machine clients.

The raw token is shown once, to the client that asked for it; only its SHA-256 is stored, so a
copy of the database does not hand out working credentials.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare

from baocao.accounts.models import ApiToken, User, hash_token, password_fingerprint
from baocao.audit.services import audit_record

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
            audit_record(actor=user, action="api_token.revoke", entity="api_token", entity_id=old.pk,
                         unit=user.unit, comment=f"Thu hồi khi cấp mã mới: {reason}")
        ApiToken.objects.filter(pk__in=[t.pk for t in [*stale, *surplus]]).delete()
        token = ApiToken.objects.create(user=user, key_hash=hash_token(raw), expires_at=expires_at,
                                        password_fingerprint=fingerprint)
        audit_record(actor=user, action="api_token.create", entity="api_token", entity_id=token.pk,
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
        audit_record(actor=user, action="api_token.revoke", entity="api_token", entity_id=token_id,
                     unit=user.unit)
    return True
