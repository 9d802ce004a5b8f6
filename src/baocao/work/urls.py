from django.urls import path

from baocao.work import views

app_name = "work"

urlpatterns = [
    path("", views.task_list_view, name="list"),
    path("new/", views.task_new, name="new"),
    path("<int:task_id>/", views.task_detail, name="detail"),
    path("<int:task_id>/edit/", views.task_edit, name="edit"),
    path("<int:task_id>/progress/", views.task_progress, name="progress"),
    path("<int:task_id>/comments/", views.task_comment, name="comment"),
    path("<int:task_id>/updates/<int:update_id>/evidence/", views.task_evidence, name="evidence"),
    path("plans/", views.plan_list_view, name="plan_list"),
    path("plans/<int:plan_id>/", views.plan_detail, name="plan_detail"),
    path("plans/<int:plan_id>/edit/", views.plan_edit, name="plan_edit"),
    path("plans/<int:plan_id>/attachment/", views.plan_attachment, name="plan_attachment"),
]
