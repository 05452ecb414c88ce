"""法定主动公开内容: the document list by catalogue category, a document's page and its files."""

from __future__ import annotations

import logging

from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.views.decorators.http import require_GET

from gongkai.portal.catalogue import (
    PAGE_SIZE,
    Catalogue,
    ListFilter,
    get_public_document,
    kind_choices,
    page_links,
    page_number,
    page_of,
    public_documents,
    published_years,
)
from gongkai.portal.headers import public_page
from gongkai.publishing.models import DocKind, DocState, Document, DocumentAttachment, Validity
from gongkai.units.models import Unit
from gongkai.work.evidence import clean_filename, open_evidence_file

log = logging.getLogger(__name__)

#: Columns a list row needs (the body is not read for a list).
ROW_FIELDS = ("pk", "title", "published_on", "doc_number", "validity", "kind", "unit_id")


@public_page
@require_GET
def document_list(request: HttpRequest) -> HttpResponse:
    catalogue = Catalogue.load()
    chosen = ListFilter.from_query(request.GET, catalogue)
    documents = chosen.apply(public_documents(), catalogue)
    total = documents.count()
    last = max(1, -(-total // PAGE_SIZE))
    current = min(page_number(request.GET.get("page")), last)
    start = (current - 1) * PAGE_SIZE
    seek = not (chosen.kind or chosen.category or chosen.unit)
    rows = page_of(documents, start, PAGE_SIZE, ROW_FIELDS, seek=seek)
    category = catalogue.categories.get(chosen.category) if chosen.category else None
    context = {
        "rows": rows,
        "total": total,
        "page": current,
        "last": last,
        "pages": page_links(current, last),
        "filter": chosen,
        "tree": catalogue.tree(),
        "category": category,
        "category_path": catalogue.path(category.pk) if category else [],
        "kinds": kind_choices(),
        "kind_label": dict(kind_choices()).get(chosen.kind, ""),
        "units": Unit.objects.filter(active=True).only("pk", "name"),
        "years": published_years(),
        "valid": Validity.VALID,
    }
    return render(request, "portal/list.html", context)


def _public(doc: Document | None) -> bool:
    return doc is not None and doc.state == DocState.PUBLISHED


@public_page
@require_GET
def document(request: HttpRequest, pk: int) -> HttpResponse:
    doc = get_public_document(pk)
    published = public_documents()
    interpretations = list(
        published.filter(interprets=doc).only(*ROW_FIELDS).order_by("published_on", "pk")
    )
    # A linked document that is not public is not linked (nor named).
    interprets = doc.interprets if _public(doc.interprets) else None
    changed_by = doc.validity_changed_by if _public(doc.validity_changed_by) else None
    history = list(doc.validity_changes.select_related("changed_by_document"))
    public_ids = set(
        published.filter(
            pk__in=[h.changed_by_document_id for h in history if h.changed_by_document_id]
        ).values_list("pk", flat=True)
    )
    context = {
        "doc": doc,
        "attachments": list(doc.attachments.all()),
        "interpretations": interpretations,
        "interprets": interprets,
        "changed_by": changed_by,
        "history": [(h, h.changed_by_document_id in public_ids) for h in history],
        "category_path": Catalogue.load().path(doc.category_id) if doc.category_id else [],
        "valid": Validity.VALID,
        "is_interpretation": doc.kind == DocKind.INTERPRETATION,
    }
    return render(request, "portal/document.html", context)


@public_page
@require_GET
def attachment(request: HttpRequest, pk: int, file_pk: int) -> HttpResponseBase:
    """An attachment of a published document, streamed from storage as a download."""
    doc = get_public_document(pk)
    found = DocumentAttachment.objects.filter(pk=file_pk, document=doc).first()
    if found is None:
        raise Http404("没有找到该附件")
    try:
        stream, kind = open_evidence_file(found.stored_name, area="publishing")
    except (FileNotFoundError, KeyError):
        log.warning("attachment %s of document %s: stored file is missing", found.pk, doc.pk)
        raise Http404("附件文件已不存在") from None
    response = FileResponse(
        stream,
        as_attachment=True,
        filename=clean_filename(found.original_name, kind),
        content_type=kind.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
