"""Evidence: downloading a file, and checking a link again now."""

from __future__ import annotations

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import URLPattern, URLResolver, path, reverse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET, require_POST

from gongkai.work.access import can_report, get_evidence_for_user
from gongkai.work.evidence import open_evidence_file
from gongkai.work.linkcheck import check_link
from gongkai.work.models import EvidenceKind, LinkState

log = logging.getLogger(__name__)


@require_GET
@login_required
def evidence_file(request: HttpRequest, pk: int) -> FileResponse:
    """The file, to those who may see its report, always as a download: a PDF or image is
    never rendered inline on our origin, and the browser is told not to guess the type."""
    evidence = get_evidence_for_user(request.user, pk)
    if evidence.kind != EvidenceKind.FILE:
        raise Http404("没有找到该佐证材料")
    try:
        stream, kind = open_evidence_file(evidence.stored_name)
    except FileNotFoundError:
        log.warning("evidence %s: stored file %r is missing", evidence.pk, evidence.stored_name)
        raise Http404("佐证材料文件已不存在") from None
    # FileResponse writes filename*=utf-8''… (RFC 5987) for a Chinese name.
    response = FileResponse(
        stream, as_attachment=True, filename=evidence.filename, content_type=kind.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    patch_cache_control(response, private=True)
    return response


@require_POST
@login_required
def evidence_recheck(request: HttpRequest, pk: int) -> HttpResponse:
    """Check one link now (the office, or a liaison of the report's unit)."""
    evidence = get_evidence_for_user(request.user, pk)
    if evidence.kind != EvidenceKind.URL:
        raise Http404("没有找到该链接")
    checkpoint = evidence.report.checkpoint
    if not can_report(request.user, checkpoint):
        raise PermissionDenied("只有公开办或本单位联络员可以重新检查链接")
    checked = check_link(evidence.pk)
    if checked is None:
        raise Http404("没有找到该链接")
    state = LinkState(checked.link_state)
    if state == LinkState.OK:
        messages.success(request, f"链接检查完成：{state.label}")
    elif state == LinkState.CHANGED:
        detail = f"（首次检查时标题为「{checked.first_title}」，现为「{checked.title}」）"
        messages.warning(request, f"链接检查完成：{state.label}{detail}")
    else:
        detail = f"（{checked.check_error}）" if checked.check_error else ""
        messages.warning(request, f"链接检查完成：{state.label}{detail}")
    return redirect(reverse("work:checkpoint", args=[checkpoint.pk]))


urlpatterns: list[URLPattern | URLResolver] = [
    path("evidence/<int:pk>/", evidence_file, name="evidence"),
    path("evidence/<int:pk>/recheck/", evidence_recheck, name="evidence_recheck"),
]
