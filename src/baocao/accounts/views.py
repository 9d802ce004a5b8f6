from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.shortcuts import render


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "Sai tên đăng nhập hoặc mật khẩu.",
        "inactive": "Tài khoản đã bị khóa.",
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = "Tên đăng nhập"
        self.fields["password"].label = "Mật khẩu"
        self.fields["username"].widget = forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"})


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


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
