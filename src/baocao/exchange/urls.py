from django.urls import path

from baocao.exchange import bulk_views, template_views

app_name = "exchange"

urlpatterns = [
    # Excel templates of one submission
    path("submissions/<int:submission_id>/template.xlsx", template_views.template_download, name="template_download"),
    path("submissions/<int:submission_id>/template/", template_views.template_upload, name="template_upload"),
    # end Excel templates
    # bulk import and export
    path("", bulk_views.exchange_page, name="page"),
    # end bulk import and export
]
