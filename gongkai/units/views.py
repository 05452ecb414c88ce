"""Pages of the unit directory. Units are loaded only through gongkai.units.access.

Who may do what:
- list, detail, export: anyone signed in, over the units they can see — the office and
  evaluators all units, liaisons and leaders their own. Export covers exactly what the list
  shows, so an evaluator can take the directory away to check it, and a liaison its own row.
- new, edit, import: the office only (403 for a unit the user can see, 404 for one they cannot).
- resolve: those who see the whole directory (office, evaluators); its candidates name any unit.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gongkai.audit.models import AuditEvent
from gongkai.files.pending import UploadKind, save_pending
from gongkai.jobs.models import JobKind
from gongkai.jobs.runner import start_job
from gongkai.units.access import get_unit_for_user, units_for_user
from gongkai.units.actions import create_unit, update_unit
from gongkai.units.directory import explain, load_directory
from gongkai.units.exporting import export_units
from gongkai.units.forms import ImportUploadForm, UnitForm
from gongkai.units.importing import RowAction, preview
from gongkai.units.models import Unit, UnitGroup
from gongkai.units.resolve import normalise, resolve_many
from gongkai.units.sheets import SheetError, TableFormat

#: Session key: pending import tokens this user previewed → their original file names.
PENDING_KEY = "units_import_pending"


def _require_office(user: Any) -> None:
    if not getattr(user, "is_office", False):
        raise PermissionDenied("单位名录由公开办维护")


def _require_whole_directory(user: Any) -> None:
    if not getattr(user, "sees_all_units", False):
        raise PermissionDenied("仅公开办和评估人员可以使用此功能")


@require_GET
@login_required
def unit_list(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()
    units = list(units_for_user(request.user).select_related("parent"))
    if q:
        key = normalise(q)
        units = [u for u in units if any(key in normalise(n) for n in [*u.names(), u.code])]
    groups: list[tuple[UnitGroup, list[Unit]]] = []
    if request.user.sees_all_units:  # type: ignore[union-attr]  # login_required: a User
        groups = [(g, list(g.resolve_members())) for g in UnitGroup.objects.all()]
    context = {"units": units, "groups": groups, "q": q}
    return render(request, "units/list.html", context)


@require_GET
@login_required
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_unit_for_user(request.user, pk)
    context = {
        "unit": unit,
        "members": unit.members.order_by("username"),
        "children": units_for_user(request.user).filter(parent=unit),
        "groups": [g for g in UnitGroup.objects.prefetch_related("members") if g.includes(unit)],
        "events": AuditEvent.objects.for_object(unit),
    }
    return render(request, "units/detail.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def unit_create(request: HttpRequest) -> HttpResponse:
    _require_office(request.user)
    form = UnitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            unit = create_unit(
                request.user, comment=form.cleaned_data["comment"], **form.unit_fields()
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"已新建单位「{unit.name}」")
            return redirect("units:detail", pk=unit.pk)
    return render(request, "units/form.html", {"form": form, "unit": None})


@require_http_methods(["GET", "POST"])
@login_required
def unit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_unit_for_user(request.user, pk, write=True)
    form = UnitForm(request.POST or None, unit=unit)
    if request.method == "POST" and form.is_valid():
        try:
            unit = update_unit(
                request.user, unit, comment=form.cleaned_data["comment"], **form.unit_fields()
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"已保存单位「{unit.name}」")
            return redirect("units:detail", pk=unit.pk)
    return render(request, "units/form.html", {"form": form, "unit": unit})


@require_http_methods(["GET", "POST"])
@login_required
def unit_import(request: HttpRequest) -> HttpResponse:
    """Upload a file and see what importing it would do; nothing is written here."""
    _require_office(request.user)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    context: dict[str, Any] = {"form": form, "actions": RowAction}
    if request.method == "POST" and form.is_valid():
        filename = form.cleaned_data["file"].name
        try:
            result = preview(form.data_bytes, filename)
        except SheetError as exc:
            form.add_error("file", str(exc))
        else:
            context["preview"] = result
            writes = result.count(RowAction.CREATE) + result.count(RowAction.UPDATE)
            if not result.has_errors and writes:
                token = save_pending(
                    form.data_bytes, kind=UploadKind.UNITS, suffix=form.format.value
                )
                pending = dict(request.session.get(PENDING_KEY, {}))
                pending[token] = filename
                request.session[PENDING_KEY] = pending
                context["token"] = token
    return render(request, "units/import.html", context)


@require_POST
@login_required
def unit_import_confirm(request: HttpRequest) -> HttpResponse:
    """Start the import of a file this user previewed; the job page shows how it went."""
    _require_office(request.user)
    pending = dict(request.session.get(PENDING_KEY, {}))
    token = request.POST.get("token", "")
    if token not in pending:
        messages.error(request, "没有找到待导入的文件，请重新上传")
        return redirect("units:import")
    filename = pending.pop(token)
    request.session[PENDING_KEY] = pending
    job = start_job(
        JobKind.UNITS_IMPORT, user=request.user, params={"upload": token, "filename": filename}
    )
    return redirect("jobs:detail", pk=job.pk)


@require_GET
@login_required
def unit_export(request: HttpRequest) -> HttpResponse:
    """?format=xlsx|csv; ?unit=<id> for one unit. Same scope as the list."""
    try:
        fmt = TableFormat(request.GET.get("format", TableFormat.XLSX.value))
    except ValueError:
        return HttpResponseBadRequest("format 只能是 xlsx 或 csv")
    unit_param = request.GET.get("unit")
    if unit_param is not None:
        if not unit_param.isdigit():
            raise Http404("没有找到该单位")
        units: list[Unit] = [get_unit_for_user(request.user, int(unit_param))]
    else:
        units = list(units_for_user(request.user).select_related("parent"))
    response = HttpResponse(export_units(units, fmt), content_type=fmt.content_type)
    filename = f"单位名录-{timezone.localdate():%Y%m%d}.{fmt.value}"
    response["Content-Disposition"] = content_disposition_header(True, filename) or ""
    return response


@require_GET
@login_required
def unit_resolve(request: HttpRequest) -> HttpResponse:
    """Type a units cell, see how each phrase resolves. Partial page for HTMX requests."""
    _require_whole_directory(request.user)
    q = request.GET.get("q", "")[:2000]
    rows = []
    if q.strip():
        directory = load_directory()
        rows = explain(resolve_many(q, directory, settings.RESOLVE_THRESHOLD), directory)
    context = {"q": q, "rows": rows, "threshold": settings.RESOLVE_THRESHOLD}
    if request.headers.get("HX-Request"):
        return render(request, "units/_resolution.html", context)
    return render(request, "units/resolve.html", context)
