"""The JSON API: one NinjaAPI, one router per app. OpenAPI schema at /api/openapi.json."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import ValidationError

from gongkai.accounts.api import router as accounts_router
from gongkai.api.auth import AUTH
from gongkai.disclosure.api import router as disclosure_router
from gongkai.holidays.api import router as calendar_router
from gongkai.jobs.api import router as jobs_router
from gongkai.opinion.api import router as opinion_router
from gongkai.plans.api import router as plans_router
from gongkai.units.api import router as units_router
from gongkai.work.api import router as work_router

api = NinjaAPI(
    title="Gongkai API",
    version="1",
    description=(
        "公开 Gongkai 的 JSON 接口。认证：浏览器会话（需 CSRF）或 `Authorization: Bearer <令牌>`。"
    ),
    auth=AUTH,
    docs_url="/docs",
    urls_namespace="api",
)
api.add_router("/accounts", accounts_router, tags=["accounts"])
api.add_router("/units", units_router, tags=["units"])
api.add_router("/plans", plans_router, tags=["plans"])
api.add_router("/work", work_router, tags=["work"])
api.add_router("/disclosure", disclosure_router, tags=["disclosure"])
api.add_router("/jobs", jobs_router, tags=["jobs"])
api.add_router("/calendar", calendar_router, tags=["calendar"])
api.add_router("/opinion", opinion_router, tags=["opinion"])


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    """Input of the wrong shape (a date that is no date, a number that is no number): 400 with
    the fields named in Chinese, like every other refusal of the API."""
    fields = []
    for error in exc.errors:
        loc = list(error.get("loc", ()))
        if len(loc) > 2 and loc[0] == "body":
            loc = loc[2:]  # ("body", <the view's parameter>, field…): the field is what to name
        where = [str(part) for part in loc if part not in ("body", "query", "path")]
        fields.append(".".join(where) or "请求体")
    detail = (
        "请求数据格式有误：" + "、".join(dict.fromkeys(fields)) if fields else "请求数据格式有误"
    )
    body: dict[str, Any] = {"detail": detail, "errors": exc.errors}
    return api.create_response(request, body, status=400)
