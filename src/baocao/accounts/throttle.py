"""The client address login throttling (django-axes) counts failures against.

Behind the documented reverse proxy every connection comes from the proxy itself, so the
connection's address would lock a username for everyone. There (settings.BEHIND_PROXY) the
address is the right-most entry of X-Forwarded-For: the one the proxy appended, which the client
cannot choose (whatever it sends itself stands to the left). Without a proxy the header is the
client's own text and is ignored.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


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
