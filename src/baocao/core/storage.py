"""The storage of uploaded files (settings.STORAGES["default"]): Django's file system storage
whose file names are `core.text.clean_filename`'s, so that every FileField, present and future,
keeps an uploaded file under a clean name whatever path it came through (page, API, command)."""

from __future__ import annotations

from django.core.files.storage import FileSystemStorage

from baocao.core.text import clean_filename


class UploadStorage(FileSystemStorage):
    def get_valid_name(self, name: str) -> str:
        # Django's default would turn spaces into "_" and drop every character that is not a
        # letter, digit, "-" or "." (and, from decomposed names, the Vietnamese marks).
        return clean_filename(name)
