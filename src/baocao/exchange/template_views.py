"""Browser side of Excel templates: download a submission's template, upload a filled one.

A failed upload answers with the submission page itself, an error card listing every cell.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from baocao.core.downloads import content_disposition
from baocao.core.errors import AppError, NotFound, PermissionDeniedError
from baocao.core.text import clean_filename
from baocao.core.vietnamese import format_number
from baocao.exchange.xlsx_template import (
    CONTENT_TYPE,
    check_upload_size,
    template_build,
    template_filename,
    template_import,
)
from baocao.submissions.selectors import submission_get_for_user
from baocao.submissions.views import entry_context


def _get(user, submission_id: int):
    try:
        return submission_get_for_user(user=user, submission_id=submission_id)
    except NotFound:
        raise Http404 from None


@login_required
def template_download(request, submission_id: int):
    sub = _get(request.user, submission_id)
    response = HttpResponse(template_build(submission=sub), content_type=CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition(template_filename(sub))
    return response


@login_required
@require_POST
def template_upload(request, submission_id: int):
    sub = _get(request.user, submission_id)
    upload = request.FILES.get("file")
    try:
        if upload is None:
            raise AppError("Chưa chọn tệp mẫu Excel để tải lên.")
        check_upload_size(upload.size)
        result = template_import(submission=sub, data=upload.read(), acting_user=request.user)
    except PermissionDeniedError:
        raise PermissionDenied from None
    except AppError as exc:
        messages.error(request, exc.message)
        sub.refresh_from_db()
        ctx = entry_context(request, sub)
        ctx["template_errors"] = exc.extra.get("cells", [])
        ctx["template_filename"] = clean_filename(upload.name) if upload is not None else ""
        return render(request, "submissions/detail.html", ctx, status=400)
    if result.changed:
        messages.success(request, f"Đã nhập mẫu Excel: cập nhật {format_number(len(result.changed))} ô vào bản nháp.")
    else:
        messages.success(request, "Đã đọc mẫu Excel: số liệu không có gì thay đổi.")
    return redirect("submissions:detail", sub.pk)
