from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from gongkai.api.root import api

admin.site.site_header = "公开 Gongkai 管理后台"
admin.site.site_title = "公开 Gongkai"

urlpatterns = [
    path("", include("gongkai.web.urls")),
    path("units/", include("gongkai.units.urls")),
    path("plans/", include("gongkai.plans.urls")),
    path("work/", include("gongkai.work.urls")),
    path("disclosure/", include("gongkai.disclosure.urls")),
    path("apply/", include("gongkai.disclosure.public_urls")),
    path("reports/", include("gongkai.reports.urls")),
    path("publishing/", include("gongkai.publishing.urls")),
    path("site/", include("gongkai.portal.staff_urls")),
    path("interact/", include("gongkai.interact.urls")),
    path("consult/", include("gongkai.consult.urls")),
    path("inspection/", include("gongkai.inspection.urls")),
    path("opinion/", include("gongkai.opinion.urls")),
    path("proposals/", include("gongkai.proposals.urls")),
    path("newmedia/", include("gongkai.newmedia.urls")),
    path("decisions/", include("gongkai.decisions.urls")),
    path("withheld/", include("gongkai.withheld.urls")),
    path("institutions/", include("gongkai.institutions.urls")),
    path("gazette/", include("gongkai.gazette.urls")),
    path("portal/hdjl/", include("gongkai.interact.public_urls")),
    path("portal/yjzj/", include("gongkai.consult.public_urls")),
    path("portal/jyta/", include("gongkai.proposals.public_urls")),
    path("portal/xmt/", include("gongkai.newmedia.public_urls")),
    path("portal/zdjc/", include("gongkai.decisions.public_urls")),
    path("portal/fmqd/", include("gongkai.withheld.public_urls")),
    path("portal/jgzn/", include("gongkai.institutions.public_urls")),
    path("portal/gb/", include("gongkai.gazette.public_urls")),
    path("portal/", include("gongkai.portal.urls")),
    path("jobs/", include("gongkai.jobs.urls")),
    path("calendar/", include("gongkai.holidays.urls")),
    path("audit/", include("gongkai.audit.urls")),
    path("account/", include("gongkai.accounts.urls")),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
]
