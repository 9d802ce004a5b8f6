"""Exceptions to the site's Content-Security-Policy (settings.CONTENT_SECURITY_POLICY).

Official documents rendered as HTML (documents/official.html, the news article) carry their
layout as inline CSS computed from the document's measurements. Views that show one allow inline
styles for that response only; inline scripts stay refused everywhere.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

from csp.constants import UNSAFE_INLINE

P = ParamSpec("P")
R = TypeVar("R")

DOCUMENT_STYLES = {"style-src": [UNSAFE_INLINE]}


def document_styles(view: Callable[P, R]) -> Callable[P, R]:
    """View decorator: this response may contain an official document's inline CSS."""

    @wraps(view)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> R:
        response = view(*args, **kwargs)
        # django-csp's CSPMiddleware adds these sources to the policy of this response.
        response._csp_update = DOCUMENT_STYLES  # type: ignore[attr-defined]
        return response

    return wrapped
