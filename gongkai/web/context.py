"""Template context shared by every page: the navigation for the signed-in user."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse

from gongkai.web.duties import DUTY_PREFIXES


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str | None  # None: a module still being built, shown greyed out
    prefix: str = ""
    #: Further path prefixes the item stands for (专项工作 covers seven registers).
    also: tuple[str, ...] = ()

    def current(self, path: str) -> bool:
        return any(p and p in path for p in (self.prefix, *self.also))


def navigation(request: HttpRequest) -> dict[str, object]:
    user = request.user
    if not user.is_authenticated:
        return {"nav": []}
    items = [
        NavItem("首页", reverse("home"), "/$"),
        NavItem("任务清单", reverse("plans:list"), "/plans/"),
        NavItem(
            "任务落实" if getattr(user, "sees_all_units", False) else "我的任务",
            reverse("work:list"),
            "/work/",
        ),
        NavItem("依申请公开", reverse("disclosure:list"), "/disclosure/"),
        NavItem("主动公开", reverse("publishing:list"), "/publishing/"),
        NavItem("互动交流", reverse("interact:list"), "/interact/"),
        NavItem("意见征集", reverse("consult:list"), "/consult/"),
        NavItem("网站检查", reverse("inspection:index"), "/inspection/"),
        NavItem("专项工作", reverse("duties"), "/duties/", DUTY_PREFIXES),
        NavItem("年度报告", reverse("reports:list"), "/reports/"),
        NavItem("单位", reverse("units:list"), "/units/"),
        NavItem("工作日历", reverse("holidays:calendar"), "/calendar/"),
        NavItem("后台任务", reverse("jobs:list"), "/jobs/"),
    ]
    if getattr(user, "is_office", False):
        items.append(NavItem("门户网站", reverse("site:index"), "/site/"))
    if getattr(user, "sees_all_units", False):
        items.append(NavItem("审计日志", reverse("audit:list"), "/audit/"))
    path = request.path
    return {"nav": items, "nav_current": [item.label for item in items if item.current(path)]}
