"""Serving a stored gazette PDF, to staff and on the portal alike."""

from __future__ import annotations

import logging

from django.http import FileResponse, Http404

from gongkai.gazette import pdf
from gongkai.gazette.models import StoredPdf

log = logging.getLogger(__name__)


def pdf_response(row: StoredPdf) -> FileResponse:
    """The row's PDF as a download (a PDF viewer in the page could run the file's scripts),
    never type-sniffed."""
    if not row.pdf_name:
        raise Http404("没有 PDF 文件")
    try:
        stream = pdf.open_pdf(row.pdf_name)
    except FileNotFoundError:
        log.warning("gazette PDF %r is missing", row.pdf_name)
        raise Http404("文件已不存在") from None
    response = FileResponse(
        stream, as_attachment=True, filename=row.pdf_filename, content_type="application/pdf"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
