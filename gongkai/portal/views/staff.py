"""The office's pages under /site/: the site identifiers and the 指南 / 制度 pages. Others get
403; every save is audited (actions.py)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from gongkai.audit.models import AuditEvent
from gongkai.portal import actions, guide
from gongkai.portal.forms import IdentityForm, PageForm
from gongkai.portal.models import ColumnPage, ColumnSlug, SiteIdentity

PUBLIC_URL = {ColumnSlug.GUIDE: "portal:guide", ColumnSlug.SYSTEM: "portal:system"}


def _trail(obj: Any) -> Any:
    if obj.pk is None:
        return AuditEvent.objects.none()
    return AuditEvent.objects.filter(
        content_type__app_label="portal",
        content_type__model=type(obj)._meta.model_name,
        object_id=str(obj.pk),
    ).order_by("-at")[:20]


@require_GET
@login_required
def index(request: HttpRequest) -> HttpResponse:
    actions.require_office(request.user)
    pages = [ColumnPage.current(slug) for slug in ColumnSlug]
    context = {
        "identity": SiteIdentity.current(),
        "pages": [
            (p, reverse(f"site:{p.slug}"), reverse(PUBLIC_URL[ColumnSlug(p.slug)])) for p in pages
        ],
    }
    return render(request, "portal/staff/index.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def identity(request: HttpRequest) -> HttpResponse:
    actions.require_office(request.user)
    current = SiteIdentity.current()
    form = IdentityForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        try:
            actions.save_identity(
                request.user, **{name: form.cleaned_data[name] for name in actions.IDENTITY_FIELDS}
            )
        except actions.PortalRejected as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "网站标识已保存")
            return redirect("site:identity")
    context = {"form": form, "events": _trail(current)}
    status = 400 if request.method == "POST" else 200
    return render(request, "portal/staff/identity.html", context, status=status)


def _edit_page(request: HttpRequest, slug: ColumnSlug) -> HttpResponse:
    actions.require_office(request.user)
    page = ColumnPage.current(slug)
    initial = {
        "title": page.title,
        "body_html": page.body_html,
        "updated_on": page.updated_on if page.saved else timezone.localdate(),
    }
    form = PageForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.save_page(request.user, slug, **form.cleaned_data)
        except actions.PortalRejected as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"“{slug.label}”已保存，公开页面已更新")
            return redirect(f"site:{slug.value}")
    text = form.data.get("body_html", page.body_html) if form.is_bound else page.body_html
    context = {
        "form": form,
        "page": page,
        "label": slug.label,
        "public_url": reverse(PUBLIC_URL[slug]),
        "placeholders": guide.placeholders(text),
        "missing": guide.missing_elements(text) if slug == ColumnSlug.GUIDE else [],
        "events": _trail(page),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "portal/staff/page.html", context, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def guide_edit(request: HttpRequest) -> HttpResponse:
    return _edit_page(request, ColumnSlug.GUIDE)


@require_http_methods(["GET", "POST"])
@login_required
def system_edit(request: HttpRequest) -> HttpResponse:
    return _edit_page(request, ColumnSlug.SYSTEM)
