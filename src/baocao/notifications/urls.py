from django.urls import path

from baocao.notifications import views

app_name = "notifications"

# The reminder button's endpoint (`notifications:remind`) reads the monitoring data, so its view
# lives in submissions (reminder_urlpatterns) and config.urls adds it to this namespace.
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("<int:notification_id>/open/", views.notification_open, name="open"),
    path("read-all/", views.mark_all_read, name="read_all"),
    path("preferences/", views.preferences, name="preferences"),
]
