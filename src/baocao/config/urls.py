from django.contrib import admin
from django.urls import include, path

from baocao.config.api import api
from baocao.notifications import urls as notifications_urls
from baocao.reporting import urls as reporting_urls
from baocao.submissions import urls as submissions_urls

# A malformed request (BadRequest, broken multipart, NUL...) answers the Vietnamese 400 page, or the
# API's error shape under /api/.
handler400 = "baocao.web.middleware.bad_request"
# The other error pages: Vietnamese, with the menu and a way back (web/errors.py); JSON under /api/.
handler403 = "baocao.web.errors.permission_denied_view"
handler404 = "baocao.web.errors.page_not_found_view"
handler500 = "baocao.web.errors.server_error_view"

admin.site.site_header = "Quản trị baocao"
admin.site.site_title = "baocao"

urlpatterns = [
    path("", include("baocao.web.urls")),
    path("units/", include("baocao.orgunits.urls")),
    path("reorganisations/", include("baocao.transition.urls")),
    # A regime's pages (reporting) and its monitoring page (submissions), in one `reporting` namespace.
    path("regimes/", include((reporting_urls.urlpatterns + submissions_urls.regime_urlpatterns,
                              reporting_urls.app_name))),
    path("submissions/", include("baocao.submissions.urls")),
    # The inbox (notifications) and the monitoring page's reminder button (submissions), in one
    # `notifications` namespace.
    path("notifications/", include((notifications_urls.urlpatterns + submissions_urls.reminder_urlpatterns,
                                    notifications_urls.app_name))),
    path("reports/", include("baocao.consolidation.urls")),
    path("tasks/", include("baocao.work.urls")),
    path("meetings/", include("baocao.meetings.urls")),
    path("cases/", include("baocao.cases.urls")),
    path("exchange/", include("baocao.exchange.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
]
