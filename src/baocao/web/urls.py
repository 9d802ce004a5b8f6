from django.contrib.auth import views as auth_views
from django.urls import path

from baocao.accounts.views import LoginView
from baocao.web import views

app_name = "web"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("login/", LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
]
