"""The portal's 机构职能 pages, under /portal/jgzn/, without login and without JavaScript: the
units whose information the office approved, and each unit's page in one layout for all, with
the leaders' photos and the 更新日期 (the approval date). Only approved versions are shown;
the photos served are only those of a version now published.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import get_conditional_response, patch_cache_control
from django.views.decorators.http import require_GET

from gongkai.institutions.models import Photo, Release
from gongkai.institutions.views.staff import photo_response
from gongkai.portal.headers import public_page


def published() -> QuerySet[Release]:
    """The versions now shown: each active unit's latest approved one."""
    return Release.objects.filter(current_of__isnull=False, profile__unit__active=True)


@public_page
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    releases = published().select_related("profile__unit").order_by("profile__unit__name")
    return render(request, "institutions/public_index.html", {"releases": releases})


@public_page
@require_GET
def unit(request: HttpRequest, unit_pk: int) -> HttpResponse:
    release = (
        published()
        # __pk, not _id: Django turns an id past the column's range into no match only on the
        # key's own field (through the foreign key, SQLite raised OverflowError: a 500).
        .filter(profile__unit__pk=unit_pk)
        .select_related("profile__unit")
        .prefetch_related("leaders")
        .first()
    )
    if release is None:
        raise Http404("没有找到该单位的机构职能信息")
    context = {"release": release, "unit": release.profile.unit, "leaders": release.leaders.all()}
    return render(request, "institutions/public_unit.html", context)


@public_page
@require_GET
def photo(request: HttpRequest, pk: int) -> HttpResponse:
    shown = Photo.objects.filter(
        pk=pk,
        pk__in=published().values("leaders__photo"),
    ).first()
    if shown is None:
        raise Http404("没有找到该照片")
    response = photo_response(shown)
    # Revalidated on every use, never kept by a shared cache on its own authority: a photo taken
    # off the portal (a new version, a unit closed) must stop being served at once. The ETag
    # makes the check cheap.
    patch_cache_control(response, public=True, no_cache=True)
    return get_conditional_response(request, etag=response["ETag"], response=response) or response
