"""Login, lockout and password pages (Django's views with the project's forms and templates)."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.shortcuts import render
from django.urls import reverse_lazy

from baocao.accounts.forms import LoginForm, PasswordChangeForm, PasswordResetForm, PasswordSetForm


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


class PasswordResetView(auth_views.PasswordResetView):
    """Asks for the account's e-mail address and mails a one-time link (the page never says
    whether the address belongs to anyone)."""

    template_name = "accounts/password_reset.html"
    form_class = PasswordResetForm
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("web:password_reset_sent")

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
        return super().form_valid(form)


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
