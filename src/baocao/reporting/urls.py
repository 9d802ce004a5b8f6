from django.urls import path

from baocao.reporting import views

app_name = "reporting"

urlpatterns = [
    path("", views.regime_list_view, name="regime_list"),
    path("<int:regime_id>/", views.regime_detail, name="regime_detail"),
    path("<int:regime_id>/monitor/", views.monitor, name="monitor"),
    path("<int:regime_id>/monitor/approve/", views.monitor_approve, name="monitor_approve"),
]
