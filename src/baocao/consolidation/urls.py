from django.urls import path

from baocao.consolidation import issuer_views, views

app_name = "consolidation"

urlpatterns = [
    path("", views.report_list, name="list"),
    path("build/", views.report_build, name="build"),
    path("targets/", views.targets, name="targets"),
    path("issuers/<int:unit_id>/", issuer_views.issuer_profiles_page, name="issuers"),
    path("issuers/<int:unit_id>/<int:profile_id>/", issuer_views.issuer_profile_edit, name="issuer_edit"),
    path("issuers/<int:unit_id>/<int:profile_id>/delete/", issuer_views.issuer_profile_remove, name="issuer_remove"),
    path("<int:report_id>/", views.report_detail, name="detail"),
    path("<int:report_id>/save/", views.report_save, name="save"),
    path("<int:report_id>/recompute/", views.report_recompute, name="recompute"),
    path("<int:report_id>/regroup/", views.report_regroup, name="regroup"),
    path("<int:report_id>/versions/<int:number>/approve/", views.report_approve, name="approve"),
    path("<int:report_id>/versions/<int:number>/send/", views.report_send, name="send"),
    path("<int:report_id>/versions/<int:number>/return/", views.report_return, name="return"),
    path("<int:report_id>/versions/<int:number>/<str:fmt>/", views.report_download, name="download"),
]
