from django.urls import path

from baocao.orgunits import views

app_name = "orgunits"

urlpatterns = [
    path("", views.unit_list, name="list"),
    path("<int:unit_id>/", views.unit_edit, name="edit"),
    path("<int:unit_id>/close/", views.unit_close, name="close"),
    path("<int:unit_id>/history/", views.unit_history_page, name="history"),
]
