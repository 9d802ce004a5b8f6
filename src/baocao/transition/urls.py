from django.urls import path

from baocao.transition import views

app_name = "transition"

urlpatterns = [
    path("", views.event_list, name="list"),
    path("new/", views.event_new, name="new"),
    path("carry/", views.carry_day, name="carry"),
    path("<int:event_id>/", views.event_detail, name="detail"),
    path("<int:event_id>/apply/", views.event_apply, name="apply"),
]
