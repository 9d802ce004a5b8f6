from django.contrib.auth import views as auth_views
from django.urls import path

from baocao.accounts import views as account_views
from baocao.accounts.views import LoginView
from baocao.web import views

app_name = "web"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("login/", LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/change/", account_views.PasswordChangeView.as_view(), name="password_change"),
    path("password/reset/", account_views.PasswordResetView.as_view(), name="password_reset"),
    path("password/reset/sent/", account_views.PasswordResetSentView.as_view(), name="password_reset_sent"),
    path("password/reset/<uidb64>/<token>/", account_views.PasswordResetConfirmView.as_view(),
         name="password_reset_confirm"),
    path("password/reset/done/", account_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
]
