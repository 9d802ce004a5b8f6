"""The one error type of baocao's own rules, rendered as {"message", "extra"} everywhere."""

from __future__ import annotations

from typing import Any


class AppError(Exception):
    """A rule of the application was broken; `message` is Vietnamese and shown to the user.

    `status` is the HTTP status the API answers with (4xx); `extra` carries machine-readable
    detail (field errors, conflicting values, ...).
    """

    status = 400

    def __init__(self, message: str, extra: dict[str, Any] | None = None, *, status: int | None = None):
        super().__init__(message)
        self.message = message
        self.extra = extra or {}
        if status is not None:
            self.status = status


class NotFound(AppError):
    status = 404

    def __init__(self, message: str = "Không tìm thấy hoặc bạn không có quyền xem.", extra=None):
        super().__init__(message, extra)


class PermissionDeniedError(AppError):
    status = 403

    def __init__(self, message: str = "Bạn không có quyền thực hiện thao tác này.", extra=None):
        super().__init__(message, extra)


class ConflictError(AppError):
    status = 409
