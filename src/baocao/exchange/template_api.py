"""Excel templates through the API: download a submission's template, upload a filled one.

An upload is all or nothing; a refused file answers 400 with every problem in
`extra.cells` ([{"sheet", "cell", "message"}]).
"""

# No `from __future__ import annotations`: ninja reads the handlers' annotations.
from django.http import HttpResponse
from ninja import File, Router, Schema

from baocao.accounts.http import ApiRequest
from baocao.core.api_types import Id, UploadedData
from baocao.core.downloads import content_disposition
from baocao.exchange.xlsx_template import (
    CONTENT_TYPE,
    check_upload_size,
    template_build,
    template_filename,
    template_import,
)
from baocao.submissions.selectors import submission_get_for_user

router = Router(tags=["exchange"])

_XLSX_RESPONSE = {
    200: {
        "description": "Mẫu Excel (.xlsx) của báo cáo, điền sẵn số liệu bản nháp",
        "content": {CONTENT_TYPE: {"schema": {"type": "string", "format": "binary"}}},
    },
}


class TemplateImportOut(Schema):
    version: int
    changed: list[str]


@router.get("/submissions/{int:submission_id}/template", summary="Tải mẫu Excel của báo cáo",
            openapi_extra={"responses": _XLSX_RESPONSE})
def template_download_endpoint(request: ApiRequest, submission_id: Id):
    """The submission's template: sections, indicators, narrative cells; hidden keys; protected."""
    submission = submission_get_for_user(user=request.auth, submission_id=submission_id)
    response = HttpResponse(template_build(submission=submission), content_type=CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition(template_filename(submission))
    return response


@router.post("/submissions/{int:submission_id}/template", response=TemplateImportOut,
             summary="Nhập mẫu Excel đã điền vào bản nháp")
def template_upload_endpoint(request: ApiRequest, submission_id: Id, file: File[UploadedData]):
    """Multipart field `file`. Only the unit's reporter (or an admin) on a draft or returned report."""
    submission = submission_get_for_user(user=request.auth, submission_id=submission_id)
    check_upload_size(file.size or 0)  # the limit is checked again on the bytes read
    result = template_import(submission=submission, data=file.read(), acting_user=request.auth)
    return {"version": result.version, "changed": result.changed}
