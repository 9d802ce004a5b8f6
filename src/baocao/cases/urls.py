from django.urls import path

from baocao.cases import views

app_name = "cases"

urlpatterns = [
    path("", views.case_list_view, name="list"),
    path("new/", views.case_new, name="new"),
    path("<int:case_id>/", views.case_detail, name="detail"),
    path("<int:case_id>/edit/", views.case_edit, name="edit"),
    path("<int:case_id>/attachments/<int:attachment_id>/", views.case_attachment, name="attachment"),
    path("<int:case_id>/<slug:action>/", views.case_action, name="action"),
]
