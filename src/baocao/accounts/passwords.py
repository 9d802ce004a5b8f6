"""Passwords: the rule that a password may not contain its username, and setting a new password
from the change and reset pages (the API tokens issued under the old one end with it).

Tokens also stop working when a password is changed any other way (admin, `changepassword`,
code): they remember the password they were issued under (`models.password_fingerprint`).
"""

from __future__ import annotations

import re

from django.contrib.auth.password_validation import MinimumLengthValidator as DjangoMinimumLengthValidator
from django.core.exceptions import ValidationError
from django.db import transaction

from baocao.accounts.models import ApiToken, User
from baocao.audit.actions import AuditAction
from baocao.audit.services import audit_record
from baocao.core.vietnamese import fold

USERNAME_IN_PASSWORD = "Mật khẩu không được chứa tên đăng nhập."


def _letters_and_digits(text: str) -> str:
    # "Nguyễn.Văn-An" and "nguyenvanan" are the same name to whoever guesses passwords.
    return re.sub(r"[\W_]+", "", fold(text))


class UsernameInPasswordValidator:
    """Refuses a password containing the username, ignoring case, diacritics and punctuation.

    Usernames shorter than `min_length` letters are not checked: "an" occurs in too many words.
    """

    def __init__(self, min_length: int = 3) -> None:
        self.min_length = min_length

    def validate(self, password: str, user: User | None = None) -> None:
        username = _letters_and_digits(getattr(user, "username", "") or "")
        if len(username) >= self.min_length and username in _letters_and_digits(password):
            raise ValidationError(USERNAME_IN_PASSWORD, code="password_contains_username")

    def get_help_text(self) -> str:
        return USERNAME_IN_PASSWORD


class MinimumLengthValidator(DjangoMinimumLengthValidator):
    """Django's, with its message in Vietnamese: Django 5.2 reworded the message and its Vietnamese
    catalogue still has only the old wording, so the built-in one answers in English."""

    def get_error_message(self) -> str:
        return f"Mật khẩu quá ngắn: cần ít nhất {self.min_length} ký tự."

    def get_help_text(self) -> str:
        return f"Mật khẩu phải có ít nhất {self.min_length} ký tự."


def user_password_set(*, user: User, password: str, acting_user: User | None, action: AuditAction) -> None:
    """Give `user` a new (already validated) password, ending every API token they hold.

    `action` is PASSWORD_CHANGE (the user changed it) or PASSWORD_RESET (set from
    an e-mailed link, when there is no logged-in actor but the user themself).
    """
    actor = acting_user or user
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
        tokens = list(ApiToken.objects.filter(user=user).values_list("pk", flat=True))
        for token_id in tokens:
            audit_record(actor=actor, action=AuditAction.API_TOKEN_REVOKE, entity="api_token", entity_id=token_id,
                         unit=user.unit, comment="Thu hồi vì mật khẩu đã đổi")
        ApiToken.objects.filter(pk__in=tokens).delete()
        audit_record(actor=actor, action=action, entity="user", entity_id=user.pk, unit=user.unit)
