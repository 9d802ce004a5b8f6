"""The client address login throttling (django-axes) counts failures against, and the throttle of
the password-reset page.

Behind the documented reverse proxy every connection comes from the proxy itself, so the
connection's address would lock a username for everyone. There (settings.BEHIND_PROXY) the
address is the right-most entry of X-Forwarded-For: the one the proxy appended, which the client
cannot choose (whatever it sends itself stands to the left). Without a proxy the header is the
client's own text and is ignored.

The password-reset page sends mail to whatever address it is given: unthrottled, anyone could
fill a victim's mailbox. Each request is counted against its client address (`client_ip`) and
against the address asked for; over `PASSWORD_RESET_LIMIT_PER_ADDRESS` requests an hour from one
client are refused (429, whatever the target), and over `PASSWORD_RESET_LIMIT_PER_EMAIL` an hour
for one target are answered as usual but send nothing. Both counts are made whether or not the
target has an account, so that neither the answer nor the work done says which addresses do.
Rows hold a keyed digest (never the address) and are pruned as they age out of the window.
"""

from __future__ import annotations

import ipaddress
import unicodedata
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import salted_hmac

from baocao.accounts.models import PasswordResetRequest

RESET_WINDOW = timedelta(hours=1)


def _address(text: str) -> str | None:
    try:
        return str(ipaddress.ip_address(text.strip()))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str | None:
    """AXES_CLIENT_IP_CALLABLE: the address of the client that sent `request`."""
    remote = request.META.get("REMOTE_ADDR")
    if settings.BEHIND_PROXY:
        # One proxy: only its own (last) entry is trusted; a missing or garbled one falls back
        # to the connection rather than to an address someone else wrote.
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            appended = _address(forwarded.rsplit(",", 1)[-1])
            if appended:
                return appended
    return remote


def _reset_key(kind: str, value: str) -> str:
    return salted_hmac("baocao.accounts.throttle.reset", f"{kind}:{value}", algorithm="sha256").hexdigest()


def _count_reset_request(kind: str, value: str, limit: int, *, count_refused: bool) -> bool:
    """Whether fewer than `limit` requests for `value` were counted within the window; this one
    is counted if so, or if `count_refused`."""
    key = _reset_key(kind, value)
    now = timezone.now()
    since = now - RESET_WINDOW
    with transaction.atomic():
        PasswordResetRequest.objects.filter(requested_at__lt=since).delete()
        allowed = PasswordResetRequest.objects.filter(key=key, requested_at__gte=since).count() < limit
        if allowed or count_refused:
            PasswordResetRequest.objects.create(key=key, requested_at=now)
    return allowed


def reset_address_allowed(request: HttpRequest) -> bool:
    """Counts a password-reset request against its client address."""
    # A refused request is not counted: a client that keeps asking writes nothing more.
    return _count_reset_request("address", client_ip(request) or "", settings.PASSWORD_RESET_LIMIT_PER_ADDRESS,
                                count_refused=False)


def reset_email_allowed(email: str) -> bool:
    """Counts a password-reset request against the address asked for. The key folds the address
    as Django's reset form matches it to accounts (NFKC, case-folded), so no spelling of one
    account's address escapes the count."""
    folded = unicodedata.normalize("NFKC", email.strip()).casefold()
    # Counted even when refused, so that a throttled target costs the same work as any other (the
    # rows stay bounded: only requests the address throttle let through get here).
    return _count_reset_request("email", folded, settings.PASSWORD_RESET_LIMIT_PER_EMAIL, count_refused=True)


def reset_window_minutes() -> int:
    return int(RESET_WINDOW.total_seconds() // 60)
