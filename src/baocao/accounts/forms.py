"""Forms of the login and password pages, with Vietnamese labels; the new password is saved
through `passwords.user_password_set`, never by the form itself."""

from __future__ import annotations

from django import forms
from django.contrib.auth import forms as auth_forms

from baocao.accounts.passwords import user_password_set
from baocao.audit.actions import AuditAction


class LoginForm(auth_forms.AuthenticationForm):
    error_messages = {
        "invalid_login": "Sai tên đăng nhập hoặc mật khẩu.",
        "inactive": "Tài khoản đã bị khóa.",
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = "Tên đăng nhập"
        self.fields["password"].label = "Mật khẩu"
        self.fields["username"].widget = forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"})


def _vietnamese_new_password_fields(form: auth_forms.SetPasswordForm) -> None:
    form.fields["new_password1"].label = "Mật khẩu mới"
    form.fields["new_password2"].label = "Nhập lại mật khẩu mới"
    form.fields["new_password2"].help_text = ""
    form.error_messages = {**form.error_messages, "password_mismatch": "Hai mật khẩu mới không giống nhau."}


class PasswordSetForm(auth_forms.SetPasswordForm):
    """A new password from an e-mailed reset link."""

    action = AuditAction.PASSWORD_RESET

    def __init__(self, user, *args, **kwargs):
        super().__init__(user, *args, **kwargs)
        _vietnamese_new_password_fields(self)

    def save(self, commit: bool = True):
        user_password_set(user=self.user, password=self.cleaned_data["new_password1"], acting_user=self.user,
                          action=self.action)
        return self.user


class PasswordChangeForm(PasswordSetForm, auth_forms.PasswordChangeForm):
    """A logged-in user's own new password, after the current one."""

    action = AuditAction.PASSWORD_CHANGE
    error_messages = {
        **auth_forms.PasswordChangeForm.error_messages,
        "password_incorrect": "Mật khẩu hiện tại không đúng.",
    }

    def __init__(self, user, *args, **kwargs):
        super().__init__(user, *args, **kwargs)
        self.fields["old_password"].label = "Mật khẩu hiện tại"


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Django's reset form whose mails are not sent by `save()` but kept in `outbox` for the view
    to send once its answer is written, and dropped when the target is throttled (`mail_allowed`):
    either way the request does the same work whether the address has an account or not."""

    mail_allowed = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = "Địa chỉ thư điện tử của tài khoản"
        self.outbox: list[tuple[tuple, dict]] = []

    def send_mail(self, *args, **kwargs) -> None:
        if self.mail_allowed:
            self.outbox.append((args, kwargs))

    def send_outbox(self) -> None:
        """Renders and sends the kept mails (Django's `send_mail` logs a failure, never raises)."""
        outbox, self.outbox = self.outbox, []
        for args, kwargs in outbox:
            super().send_mail(*args, **kwargs)
