"""The yearly cleanup (文件清理) of policy documents: the list of cleanups, one cleanup with its
result list and the documents that may be added, and its publication (the office's).

Cleanups belong to no unit: every signed-in user may read them (they list published
documents); only the office changes them (403 for others).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from gongkai.publishing import access, actions
from gongkai.publishing.forms import CleanupForm, CleanupItemForm, CleanupPublishForm
from gongkai.publishing.models import (
    POLICY_KINDS,
    Cleanup,
    Document,
    DocumentQuerySet,
    Validity,
)

CANDIDATES = 100


def _require_office(user: Any) -> None:
    if not getattr(user, "is_office", False):
        raise PermissionDenied("文件清理由公开办办理")


def _get_cleanup(pk: int) -> Cleanup:
    found = Cleanup.objects.filter(pk=pk).first()
    if found is None:
        raise Http404("没有找到该清理")
    return found


def _candidates(cleanup: Cleanup) -> DocumentQuerySet:
    """Published policy documents in force at the end of the cleanup's year, not yet listed."""
    return (
        Document.objects.published()
        .filter(
            kind__in=POLICY_KINDS,
            validity__in=(Validity.VALID, Validity.AMENDED),
            published_on__lte=dt.date(cleanup.year, 12, 31),
        )
        .exclude(cleanup_items__cleanup=cleanup)
    )


@require_GET
@login_required
def cleanup_list(request: HttpRequest) -> HttpResponse:
    return _list(request, CleanupForm(initial={"year": timezone.localdate().year}))


def _list(request: HttpRequest, form: CleanupForm, status: int = 200) -> HttpResponse:
    context = {
        "cleanups": Cleanup.objects.annotate(n=Count("items")).order_by("-year"),
        "form": form if getattr(request.user, "is_office", False) else None,
    }
    return render(request, "publishing/cleanup_list.html", context, status=status)


@require_POST
@login_required
def cleanup_new(request: HttpRequest) -> HttpResponse:
    _require_office(request.user)
    form = CleanupForm(request.POST)
    if form.is_valid():
        c = form.cleaned_data
        try:
            made = actions.create_cleanup(
                request.user, year=c["year"], title=c["title"].strip(), note=c["note"]
            )
        except actions.PublishRejected as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"已建立 {made.year} 年度文件清理")
            return redirect("publishing:cleanup", pk=made.pk)
    return _list(request, form, status=400)


def _int(raw: str | None) -> int | None:
    text = (raw or "").strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 4 else None


def _detail(
    request: HttpRequest,
    cleanup: Cleanup,
    *,
    bound: dict[str, forms.Form] | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    bound = bound or {}
    office = bool(getattr(user, "is_office", False))
    items = list(cleanup.items.select_related("document", "document__unit"))
    visible = set(
        access.documents_for_user(user)
        .filter(pk__in=[i.document_id for i in items])
        .values_list("pk", flat=True)
    )
    year = _int(request.GET.get("year"))
    q = (request.GET.get("q") or "").strip()[:100]
    candidates: list[Document] = []
    more = False
    if office and cleanup.published_at is None:
        qs = _candidates(cleanup)
        if year:
            qs = qs.filter(published_on__year=year)
        if q:
            qs = qs.filter(title__icontains=q)
        found = list(qs.select_related("unit").order_by("published_on", "pk")[: CANDIDATES + 1])
        candidates, more = found[:CANDIDATES], len(found) > CANDIDATES
    context = {
        "cleanup": cleanup,
        "items": [(i, i.document_id in visible) for i in items],
        "office": office,
        "editable": office and cleanup.published_at is None,
        "candidates": candidates,
        "more": more,
        "year": year,
        "q": q,
        "item_form": bound.get("item") or CleanupItemForm(),
        "publish_form": bound.get("publish")
        or CleanupPublishForm(initial={"effective_on": timezone.localdate()}),
    }
    return render(request, "publishing/cleanup_detail.html", context, status=status)


@require_GET
@login_required
def cleanup_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _get_cleanup(pk))


@require_POST
@login_required
def cleanup_item(request: HttpRequest, pk: int) -> HttpResponse:
    cleanup = _get_cleanup(pk)
    _require_office(request.user)
    form = CleanupItemForm(request.POST)
    if form.is_valid():
        c = form.cleaned_data
        doc = Document.objects.published().filter(pk=c["document"], kind__in=POLICY_KINDS).first()
        if doc is None:
            form.add_error("document", "只能加入已发布的政策文件")
        else:
            try:
                actions.set_cleanup_item(
                    request.user, cleanup, doc, outcome=c["outcome"], note=c["note"].strip()
                )
            except actions.PublishRejected as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, f"已登记「{doc.title}」的清理结果")
                return redirect("publishing:cleanup", pk=cleanup.pk)
    return _detail(request, cleanup, bound={"item": form}, status=400)


@require_POST
@login_required
def cleanup_publish(request: HttpRequest, pk: int) -> HttpResponse:
    cleanup = _get_cleanup(pk)
    _require_office(request.user)
    form = CleanupPublishForm(request.POST)
    if form.is_valid():
        try:
            actions.publish_cleanup(
                request.user, cleanup, effective_on=form.cleaned_data["effective_on"]
            )
        except actions.PublishRejected as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "清理结果已发布，各文件的有效性已按清理结果更新")
            return redirect("publishing:cleanup", pk=cleanup.pk)
    return _detail(request, cleanup, bound={"publish": form}, status=400)
