"""Login, lockout and password pages (Django's views with the project's forms and templates)."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse_lazy

from baocao.accounts.forms import LoginForm, PasswordChangeForm, PasswordResetForm, PasswordSetForm
from baocao.accounts.throttle import reset_address_allowed, reset_email_allowed, reset_window_minutes


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class PasswordChangeView(auth_views.PasswordChangeView):
    """Any logged-in user changes their own password; their other sessions and API tokens end."""

    template_name = "accounts/password_change.html"
    form_class = PasswordChangeForm
    success_url = reverse_lazy("web:dashboard")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, "Đã đổi mật khẩu. Các mã truy cập API cũ đã bị thu hồi.")
        return response


class _RedirectThenSend(HttpResponseRedirect):
    """A redirect that sends the reset form's mails when the server closes it, i.e. once the
    answer has been written to the client: how long sending takes (or whether there was anything
    to send) does not show in how long the answer takes."""

    def __init__(self, url: str, form: PasswordResetForm):
        super().__init__(url)
        self._form = form

    def close(self) -> None:
        try:
            self._form.send_outbox()
        finally:
            super().close()


class PasswordResetView(auth_views.PasswordResetView):
    """Asks for the account's e-mail address and mails a one-time link. The page never says
    whether the address belongs to anyone, and is throttled per client address and per target
    address (`accounts.throttle`)."""

    template_name = "accounts/password_reset.html"
    form_class = PasswordResetForm
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("web:password_reset_sent")

    def post(self, request, *args, **kwargs):
        if not reset_address_allowed(request):
            return render(request, "accounts/password_reset_throttled.html", {"minutes": reset_window_minutes()},
                          status=429)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        # Links in the mail point at the public address (SITE_URL) when it is set, not at
        # whatever Host the request named.
        site = urlsplit(settings.SITE_URL) if settings.SITE_URL else None
        if site and site.netloc:
            self.domain_override = site.netloc
            self.use_https = site.scheme == "https"
            self.extra_email_context = {"site_url": settings.SITE_URL}
        else:
            self.extra_email_context = {"site_url": f"{self.request.scheme}://{self.request.get_host()}"}
        form.mail_allowed = reset_email_allowed(form.cleaned_data["email"])
        super().form_valid(form)
        return _RedirectThenSend(self.get_success_url(), form)


class PasswordResetSentView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_sent.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    form_class = PasswordSetForm
    success_url = reverse_lazy("web:password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_done.html"


def cooloff_minutes() -> int:
    return max(1, round(float(settings.AXES_COOLOFF_TIME) * 60))


def lockout_response(request, credentials=None, *args, **kwargs):
    """django-axes calls this when a username+address pair is locked out."""
    minutes = cooloff_minutes()
    if request.path.startswith("/api/"):
        from django.http import JsonResponse

        return JsonResponse(
            {"message": f"Đăng nhập sai quá nhiều lần; hãy thử lại sau {minutes} phút.", "extra": {}}, status=429
        )
    return render(request, "accounts/locked.html", {"minutes": minutes}, status=429)
