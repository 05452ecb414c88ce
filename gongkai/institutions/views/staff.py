"""Staff pages, under /institutions/: the units and where each stands, the office's check list,
one unit's working copy beside what is published (with every act allowed on it), the edit
forms, and photos. Every change goes through gongkai.institutions.actions; a refused act is
shown on the page it came from with status 400 and nothing changed.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gongkai.accounts.access import sees_all
from gongkai.audit.models import AuditEvent
from gongkai.institutions import actions
from gongkai.institutions.access import (
    can_edit,
    get_leader_for_user,
    get_photo_for_user,
    get_unit_for_user,
    is_office,
    require_office,
    units_for_user,
)
from gongkai.institutions.forms import LeaderForm, ProfileForm, ReviewForm
from gongkai.institutions.models import Leader, Photo, Profile, Release
from gongkai.institutions.photos import PhotoRejected
from gongkai.institutions.status import stale_days, status_of, unit_statuses
from gongkai.units.models import Unit

HISTORY_ROWS = 30


@require_GET
@login_required
def index(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    units = list(units_for_user(request.user).active().order_by("name"))
    context = {
        "rows": unit_statuses(today, units),
        "office": is_office(request.user),
        "sees_all": sees_all(request.user),
        "stale_days": stale_days(),
    }
    return render(request, "institutions/index.html", context)


@require_GET
@login_required
def check(request: HttpRequest) -> HttpResponse:
    if not sees_all(request.user):
        raise PermissionDenied("只有公开办和评估人员可以查看机构职能信息检查")
    today = timezone.localdate()
    rows = [s for s in unit_statuses(today) if s.needs_attention]
    context = {"rows": rows, "today": today, "stale_days": stale_days()}
    return render(request, "institutions/check.html", context)


#: The audit trail's field names in the page's words; bookkeeping fields are not shown.
_LABELS: dict[str, str] = {
    **{f.name: str(f.verbose_name) for m in (Profile, Leader) for f in m._meta.concrete_fields},
    "functions_html": "主要职能",
    "leaders": "负责人",
    "sha256": "照片指纹",
    "size": "照片尺寸",
}
_HIDDEN = {"id", "created_at", "updated_at", "unit", "profile"}


def field_labels(event: AuditEvent) -> list[str]:
    return [_LABELS.get(name, name) for name in event.changes if name not in _HIDDEN]


def _history(profile: Profile | None) -> list[tuple[AuditEvent, list[str]]]:
    if profile is None:
        return []
    events = AuditEvent.objects.for_object(profile)
    leader_events = AuditEvent.objects.filter(
        content_type__app_label="institutions",
        content_type__model__in=("leader", "release", "photo"),
        unit_id=profile.unit_id,
    )
    rows = (events | leader_events).order_by("-at", "-pk")[:HISTORY_ROWS]
    return [(event, field_labels(event)) for event in rows]


def _profile_page(
    request: HttpRequest, unit: Unit, bound: dict[str, Any] | None = None, status: int = 200
) -> HttpResponse:
    s = status_of(unit, timezone.localdate())
    profile = s.profile
    published: Release | None = None
    if profile is not None and profile.published_id is not None:
        published = (
            Release.objects.prefetch_related("leaders").filter(pk=profile.published_id).first()
        )
    bound = bound or {}
    context = {
        "unit": unit,
        "s": s,
        "profile": profile,
        "leaders": list(profile.leaders.all()) if profile else [],
        "published": published,
        "can_edit": can_edit(request.user, unit.pk),
        "office": is_office(request.user),
        "review_form": bound.get("review") or ReviewForm(),
        "problem": bound.get("problem", ""),
        "history": _history(profile),
        "stale_days": stale_days(),
    }
    return render(request, "institutions/profile.html", context, status=status)


@require_GET
@login_required
def profile(request: HttpRequest, unit_pk: int) -> HttpResponse:
    return _profile_page(request, get_unit_for_user(request.user, unit_pk))


@require_http_methods(["GET", "POST"])
@login_required
def edit(request: HttpRequest, unit_pk: int) -> HttpResponse:
    unit = get_unit_for_user(request.user, unit_pk, write=True)
    current = Profile.objects.filter(unit=unit).first()
    if request.method != "POST":
        form = ProfileForm(instance=current)
        return render(request, "institutions/edit.html", {"unit": unit, "form": form})
    # Not bound to the stored row: the action compares the stored values with the new ones.
    form = ProfileForm(request.POST)
    if form.is_valid():
        try:
            actions.save_profile(request.user, unit, form.cleaned_data)
        except actions.InstitutionRejected as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "已保存。修改经报送、公开办审核通过后才在门户网站显示。")
            return redirect("institutions:profile", unit_pk=unit.pk)
    return render(request, "institutions/edit.html", {"unit": unit, "form": form}, status=400)


def _leader_page(
    request: HttpRequest, unit: Unit, form: LeaderForm, leader: Leader | None, status: int = 200
) -> HttpResponse:
    context = {"unit": unit, "form": form, "leader": leader}
    return render(request, "institutions/leader.html", context, status=status)


def _save_leader(request: HttpRequest, unit: Unit, leader: Leader | None) -> HttpResponse:
    form = LeaderForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            actions.save_leader(
                request.user, unit, leader, form.cleaned_data, photo=form.photo_bytes()
            )
        except PhotoRejected as exc:
            form.add_error("photo_file", str(exc))
        except actions.InstitutionRejected as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "负责人信息已保存")
            return redirect("institutions:profile", unit_pk=unit.pk)
    return _leader_page(request, unit, form, leader, status=400)


@require_http_methods(["GET", "POST"])
@login_required
def leader_new(request: HttpRequest, unit_pk: int) -> HttpResponse:
    unit = get_unit_for_user(request.user, unit_pk, write=True)
    if request.method == "POST":
        return _save_leader(request, unit, None)
    return _leader_page(request, unit, LeaderForm(), None)


@require_http_methods(["GET", "POST"])
@login_required
def leader_edit(request: HttpRequest, pk: int) -> HttpResponse:
    leader = get_leader_for_user(request.user, pk, write=True)
    unit = leader.profile.unit
    if request.method == "POST":
        return _save_leader(request, unit, leader)
    return _leader_page(request, unit, LeaderForm(instance=leader), leader)


@require_POST
@login_required
def leader_remove(request: HttpRequest, pk: int) -> HttpResponse:
    leader = get_leader_for_user(request.user, pk, write=True)
    unit = leader.profile.unit
    try:
        actions.remove_leader(request.user, leader)
    except actions.InstitutionRejected as exc:
        return _profile_page(request, unit, {"problem": str(exc)}, status=400)
    messages.success(request, f"已删除负责人「{leader.name}」")
    return redirect("institutions:profile", unit_pk=unit.pk)


def _act(request: HttpRequest, unit: Unit, done: str, act: Any) -> HttpResponse:
    profile = Profile.objects.filter(unit=unit).first()
    try:
        if profile is None:
            raise actions.InstitutionRejected("尚未填写机构职能信息")
        act(profile)
    except actions.InstitutionRejected as exc:
        return _profile_page(request, unit, {"problem": str(exc)}, status=400)
    messages.success(request, done)
    return redirect("institutions:profile", unit_pk=unit.pk)


@require_POST
@login_required
def submit(request: HttpRequest, unit_pk: int) -> HttpResponse:
    unit = get_unit_for_user(request.user, unit_pk, write=True)
    return _act(request, unit, "已报送公开办审核", lambda p: actions.submit(request.user, p))


@require_POST
@login_required
def confirm(request: HttpRequest, unit_pk: int) -> HttpResponse:
    unit = get_unit_for_user(request.user, unit_pk, write=True)
    return _act(
        request,
        unit,
        "已确认信息无变化",
        lambda p: actions.confirm_current(request.user, p),
    )


@require_POST
@login_required
def review(request: HttpRequest, unit_pk: int) -> HttpResponse:
    unit = get_unit_for_user(request.user, unit_pk)
    require_office(request.user, "只有公开办可以审核机构职能信息")
    form = ReviewForm(request.POST)
    if not form.is_valid():
        return _profile_page(request, unit, {"review": form}, status=400)
    approve = form.cleaned_data["decision"] == "approve"
    done = "审核通过，已在门户网站发布" if approve else "已退回单位修改"
    reason = form.cleaned_data["reason"]
    return _act(
        request,
        unit,
        done,
        lambda p: actions.review(request.user, p, approve=approve, reason=reason),
    )


def photo_response(photo: Photo) -> HttpResponse:
    response = HttpResponse(bytes(photo.data), content_type=photo.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    # Photos never change (a new upload is a new row), so the fingerprint is a fine ETag.
    response["ETag"] = f'"{photo.sha256}"'
    return response


@require_GET
@login_required
def photo(request: HttpRequest, pk: int) -> HttpResponse:
    response = photo_response(get_photo_for_user(request.user, pk))
    patch_cache_control(response, private=True, max_age=3600)
    return response
