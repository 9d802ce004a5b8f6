from django.urls import path

from baocao.orgunits import views

app_name = "orgunits"

urlpatterns = [path("", views.unit_list, name="list")]
