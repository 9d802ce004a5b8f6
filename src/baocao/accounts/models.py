from __future__ import annotations

import hashlib

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.crypto import salted_hmac

from baocao.accounts.choices import Role


class User(AbstractUser):
    """A person using baocao: a role and the org unit their scope starts from."""

    full_name = models.CharField("họ và tên", max_length=150, blank=True)
    role = models.CharField("vai trò", max_length=20, choices=Role.choices, default=Role.VIEWER)
    unit = models.ForeignKey(
        "orgunits.OrgUnit", verbose_name="đơn vị", null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )

    class Meta:
        verbose_name = "người dùng"
        verbose_name_plural = "người dùng"

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def display_name(self) -> str:
        return self.full_name or self.username

    @property
    def is_admin_role(self) -> bool:
        return self.role == Role.ADMIN or self.is_superuser


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def password_fingerprint(user: User) -> str:
    """A keyed digest of the user's stored password hash: it changes whenever the password does,
    whichever way it is changed (page, admin, reset, command), as Django's session hash does."""
    return salted_hmac("baocao.accounts.ApiToken", user.password, algorithm="sha256").hexdigest()


class ApiToken(models.Model):
    """A bearer token for machine clients. Only its SHA-256 is stored; the raw token is shown once.
    It works only while its user's password is the one it was issued under (`password_fingerprint`)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    password_fingerprint = models.CharField(max_length=64, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "mã truy cập API"
        verbose_name_plural = "mã truy cập API"

    def __str__(self) -> str:
        return f"token of {self.user_id} until {self.expires_at:%Y-%m-%d}"


class PasswordResetRequest(models.Model):
    """One request of the password-reset page, counted against a client address and against the
    e-mail address asked for (`accounts.throttle`). Only a keyed digest of either is stored."""

    key = models.CharField(max_length=64)
    requested_at = models.DateTimeField()

    class Meta:
        verbose_name = "yêu cầu đặt lại mật khẩu"
        verbose_name_plural = "yêu cầu đặt lại mật khẩu"
        indexes = [
            models.Index(fields=["key", "requested_at"], name="reset_request_key_at"),
            models.Index(fields=["requested_at"], name="reset_request_at"),
        ]

    def __str__(self) -> str:
        return f"reset request at {self.requested_at:%Y-%m-%d %H:%M}"
