"""Files the site sends: one Content-Disposition for all of them, and stored uploads sent back.

The name goes through `core.text.clean_filename` and then Django's `content_disposition_header`:
a plain ASCII name as a quoted `filename="…"`, any other as RFC 5987 `filename*=utf-8''…`, so
that a name made of user text (a unit's code, an uploaded file's name) can neither break the
header nor reach the browser as anything but a file name."""

from __future__ import annotations

from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404
from django.utils.http import content_disposition_header

from baocao.core.text import clean_filename


def content_disposition(filename: str, *, inline: bool = False) -> str:
    """The header of a download named `filename`, a name the site made from codes and dates: a
    slash in it is part of a code, not a path to drop."""
    filename = filename.replace("/", "-").replace("\\", "-")
    header = content_disposition_header(not inline, clean_filename(filename))
    assert header is not None  # always a name: clean_filename is never empty
    return header


def stored_file_response(file: FieldFile) -> FileResponse:
    """A stored upload as a download under its own (clean) name; 404 when the file is gone."""
    if not file:
        raise Http404
    try:
        handle = file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    # FileResponse names the file through the same content_disposition_header.
    return FileResponse(handle, as_attachment=True, filename=clean_filename((file.name or "").rsplit("/", 1)[-1]))
