from django.urls import path

from baocao.submissions import monitor_views, views

app_name = "submissions"

urlpatterns = [
    path("", views.submission_list_view, name="list"),
    path("open/<int:regime_id>/", views.submission_open_by_code, name="open_by_code"),
    path("open/<int:regime_id>/<str:period>/", views.submission_open, name="open"),
    path("<int:submission_id>/", views.submission_detail, name="detail"),
    path("<int:submission_id>/field/", views.submission_save_field, name="save_field"),
    path("<int:submission_id>/save/", views.submission_save, name="save"),
    path("<int:submission_id>/check/", views.submission_check_view, name="check"),
    path("<int:submission_id>/submit/confirm/", views.submission_confirm_view, name="submit_confirm"),
    path("<int:submission_id>/submit/", views.submission_submit_view, name="submit"),
    path("<int:submission_id>/return/", views.submission_return_view, name="return"),
    path("<int:submission_id>/approve/", views.submission_approve_view, name="approve"),
    path("<int:submission_id>/reopen/", views.submission_reopen_view, name="reopen"),
]

# A regime's monitoring page: it lives under the regime's URLs and in the `reporting` namespace
# (`reporting:monitor`, `reporting:monitor_approve`), where config.urls mounts it beside
# reporting.urls; reporting, below this app, cannot import these views itself.
regime_urlpatterns = [
    path("<int:regime_id>/monitor/", monitor_views.monitor, name="monitor"),
    path("<int:regime_id>/monitor/approve/", monitor_views.monitor_approve, name="monitor_approve"),
]

# The monitoring page's «Nhắc» button (and the compiler's desk): `notifications:remind`, mounted by
# config.urls in the notifications namespace beside the inbox (notifications, below this app,
# cannot import this view).
reminder_urlpatterns = [
    path("remind/", monitor_views.remind, name="remind"),
]
