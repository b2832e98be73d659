"""Sending a stored file: always as a download, never interpreted by the browser.

`attachment` makes the browser save rather than render; `nosniff` stops it guessing a
type other than ours; the CSP sandbox with `default-src 'none'` disarms the file even
if it is opened in a tab (no script, no plugin, no same-origin access). The caller has
already fetched the owner record through its scoped getter (docs/uploads.md).
"""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.utils.http import content_disposition_header

from srbgov.files.models import StoredFile
from srbgov.files.storage import absolute

CSP = "default-src 'none'; sandbox"


def file_response(relative: str, *, content_type: str, filename: str) -> HttpResponse:
    """The whole file in one response: stored files are at most 10 MB."""
    path = absolute(relative)
    if not path.is_file():
        raise Http404
    response = HttpResponse(path.read_bytes(), content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=filename
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = CSP
    response["Cache-Control"] = "private, no-store"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response


def stored_file_response(stored: StoredFile | None) -> HttpResponse:
    if stored is None:
        raise Http404
    return file_response(
        stored.path, content_type=stored.content_type, filename=stored.original_name
    )
