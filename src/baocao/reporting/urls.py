from django.urls import path

from baocao.reporting import views

app_name = "reporting"

# Mounted under /regimes/ by config.urls, together with submissions.urls.regime_urlpatterns (the
# monitoring page of a regime), in this namespace.
urlpatterns = [
    path("", views.regime_list_view, name="regime_list"),
    path("<int:regime_id>/", views.regime_detail, name="regime_detail"),
]
