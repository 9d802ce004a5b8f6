"""Text that is safe to store and to render: one place for the characters we never keep and the
spreadsheet prefixes we never let act.

Input (`clean_text`, `clean_data`): line breaks become LF; the C0 control characters other than
tab and LF, lone surrogates and the non-characters U+FFFE/U+FFFF are dropped. They carry no
meaning in a report, cannot be stored in XML (DOCX, XLSX) and, for NUL, not in PostgreSQL.

Output (`xml_text`): the same characters dropped (CR kept), for stored text that predates the
input rule; every DOCX/XLSX/HTML/PDF/CSV writer passes text through it.

Spreadsheets (`spreadsheet_text`, `spreadsheet_unescape`): a text cell that Excel or LibreOffice
would read as a formula or a DDE call (OWASP "CSV injection": a leading =, +, -, @, tab or CR)
gets a leading apostrophe. Texts that are plain numbers ("-5", "-1.234,5") are left alone: a
spreadsheet reads them as numbers, never as formulas. Importers drop that apostrophe again, so
export → import → export is lossless: the rule escapes any text made of apostrophes and then a
formula character (so "'=x" is written "''=x") and unescaping removes exactly one apostrophe from
such a text only.

File names (`clean_filename`): an uploaded file's name is kept, stored and sent back only as this
makes it: its last path component, NFC (macOS sends names decomposed), without control, format
(bidi overrides such as U+202E, zero-width), private-use or unassigned characters, without the
characters Windows reserves, on one line, with no leading dot, and short enough for any file
system (FILENAME_MAX_CHARS characters, FILENAME_MAX_BYTES bytes of UTF-8) with its extension kept.
Vietnamese letters, spaces and ordinary punctuation stay.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Iterable
from typing import Any

from baocao.core.bounds import JSON_DEPTH_MAX

# XML 1.0 Char excludes C0 controls other than TAB/LF/CR, surrogates, U+FFFE and U+FFFF.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_NEWLINES = re.compile("\r\n?")
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_ESCAPED = re.compile("'*[=+\\-@\t\r]")
_UNESCAPE = re.compile("'+[=+\\-@\t\r]")
_PLAIN_NUMBER = re.compile(r"[-+]?[0-9]+(?:[.,][0-9]+)*%?")


_ILLEGAL_BUT_NUL = re.compile("[\x01-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def clean_text(text: str, *, keep_nul: bool = False) -> str:
    """Text as it is stored: CR LF and lone CR become LF, XML-illegal characters are dropped.

    `keep_nul` is for request data: a NUL there is refused with a 400 by the HTTP boundary
    (web.middleware), not silently dropped."""
    if "\r" in text:
        text = _NEWLINES.sub("\n", text)
    return (_ILLEGAL_BUT_NUL if keep_nul else _XML_ILLEGAL).sub("", text)


def needs_cleaning(text: str) -> bool:
    return "\r" in text or _XML_ILLEGAL.search(text) is not None


def clean_data(value, *, keep_nul: bool = False):
    """`clean_text` applied to every string (keys included) of parsed JSON data. Lists and dicts
    are cleaned in place, without recursion (a deeply nested body must not overflow the stack)."""
    if isinstance(value, str):
        return clean_text(value, keep_nul=keep_nul)
    stack = [value]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            for index, item in enumerate(node):
                if isinstance(item, str):
                    node[index] = clean_text(item, keep_nul=keep_nul)
                elif isinstance(item, list | dict):
                    stack.append(item)
        elif isinstance(node, dict):
            items = list(node.items())
            if any(needs_cleaning(key) for key, _ in items):
                node.clear()
            for key, item in items:
                if isinstance(item, str):
                    item = clean_text(item, keep_nul=keep_nul)
                elif isinstance(item, list | dict):
                    stack.append(item)
                node[clean_text(key, keep_nul=keep_nul) if isinstance(key, str) else key] = item
    return value


FILENAME_MAX_CHARS = 200
# ext4, XFS and NTFS take 255 bytes a name; the rest is room for the suffix storage adds to a
# name already taken.
FILENAME_MAX_BYTES = 240
FILENAME_DEFAULT = "tệp"
_FILENAME_RESERVED = frozenset('<>:"|?*')
_FILENAME_MAX_EXTENSION = 16


def _filename_char(char: str) -> str:
    if char.isspace() or char in _FILENAME_RESERVED:
        return " "
    # Cc control, Cf format (bidi, zero-width, BOM), Cs surrogate, Co private use, Cn unassigned.
    return "" if unicodedata.category(char)[0] == "C" else char


def _bounded(text: str, chars: int, size: int) -> str:
    text = text[:chars]
    if len(text.encode()) > size:
        text = text.encode()[:size].decode("utf-8", "ignore")
    return text


def clean_filename(name: str) -> str:
    """The name an uploaded file is kept under and sent back with (see the module's docstring);
    never empty, idempotent."""
    name = unicodedata.normalize("NFC", str(name or ""))
    name = re.split(r"[/\\]", name)[-1]
    name = " ".join("".join(map(_filename_char, name)).split()).strip(" .")
    stem, dot, extension = name.rpartition(".")
    if not (dot and stem and len(extension) <= _FILENAME_MAX_EXTENSION and " " not in extension):
        stem, extension = name, ""
    suffix = "." + extension if extension else ""
    stem = _bounded(stem, FILENAME_MAX_CHARS - len(suffix), FILENAME_MAX_BYTES - len(suffix.encode()))
    stem = unicodedata.normalize("NFC", stem).rstrip(" .")
    return (stem or FILENAME_DEFAULT) + suffix


def contains_nul(value) -> bool:
    """Whether a NUL is in a string, or in any string (keys included) of parsed JSON data, walked
    without recursion. Request bodies and imported files with one are refused, not cleaned: no text
    of ours has a NUL, and PostgreSQL refuses it in any query."""
    stack = [value]
    while stack:
        node = stack.pop()
        if isinstance(node, str):
            if "\x00" in node:
                return True
        elif isinstance(node, dict):
            stack.extend(node.keys())
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return False


def json_too_deep(data, limit: int = JSON_DEPTH_MAX) -> bool:
    """Whether parsed JSON nests lists and objects deeper than `limit` (walked without recursion)."""
    stack = [(data, 1)]
    while stack:
        node, depth = stack.pop()
        children: Iterable
        if isinstance(node, dict):
            children = node.values()
        elif isinstance(node, list):
            children = node
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return False


def has_illegal(text: str) -> bool:
    return _XML_ILLEGAL.search(text) is not None


def xml_text(text: str) -> str:
    """Text that any XML writer accepts (python-docx, openpyxl, HTML templates)."""
    return _XML_ILLEGAL.sub("", text)


def spreadsheet_text(text: str) -> str:
    """A text cell that cannot act as a formula, and that XML accepts."""
    text = _XML_ILLEGAL.sub("", text)
    if text and _ESCAPED.match(text) and not _PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


def spreadsheet_cell(value):
    """A cell as exports write it: texts through `spreadsheet_text`, anything else unchanged
    (numbers stay numbers)."""
    return spreadsheet_text(value) if isinstance(value, str) else value


def spreadsheet_row(values: Iterable) -> list:
    return [spreadsheet_text(v) if isinstance(v, str) else v for v in values]


def spreadsheet_unescape(text: str) -> str:
    """The inverse of `spreadsheet_text` on a cell read back from a file."""
    if text[:1] == "'" and _UNESCAPE.match(text):
        return text[1:]
    return text


class SpreadsheetCsvWriter:
    """`csv.writer` whose text cells go through `spreadsheet_text`: the one writer of every CSV
    export, so that no export hands Excel a formula."""

    def __init__(self, out, **kwargs: Any):
        self._writer = csv.writer(out, **kwargs)

    def writerow(self, row: Iterable) -> Any:
        return self._writer.writerow(spreadsheet_row(row))

    def writerows(self, rows: Iterable[Iterable]) -> None:
        self._writer.writerows(map(spreadsheet_row, rows))


def csv_writer(out, **kwargs: Any) -> SpreadsheetCsvWriter:
    return SpreadsheetCsvWriter(out, **kwargs)
