from django.urls import path

from baocao.meetings import views

app_name = "meetings"

urlpatterns = [
    path("", views.meeting_list_view, name="list"),
    path("new/", views.meeting_new, name="new"),
    path("<int:meeting_id>/", views.meeting_detail_view, name="detail"),
    path("<int:meeting_id>/edit/", views.meeting_edit, name="edit"),
    path("<int:meeting_id>/attendees/", views.attendee_add_view, name="attendee_add"),
    path("<int:meeting_id>/agenda/", views.agenda_add_view, name="agenda_add"),
    path("<int:meeting_id>/opinions/", views.opinion_add_view, name="opinion_add"),
    path("<int:meeting_id>/conclusions/", views.conclusion_add_view, name="conclusion_add"),
    path("<int:meeting_id>/conclusions/<int:conclusion_id>/tasks/", views.conclusion_tasks_view,
         name="conclusion_tasks"),
    path("<int:meeting_id>/<str:section>/<int:row_id>/remove/", views.row_remove_view, name="row_remove"),
    path("<int:meeting_id>/documents/<str:kind>/<str:fmt>/", views.meeting_document_view, name="document"),
    path("<int:meeting_id>/article/", views.article_edit_view, name="article"),
]
