"""Template tags of the portal frame (portal/base.html), which pages of other apps extend:
the site identifiers and the navigation are loaded here, not passed by each view."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils.safestring import SafeString, mark_safe

from gongkai.portal.catalogue import POLICIES
from gongkai.portal.models import SiteIdentity
from gongkai.publishing.models import DocKind
from gongkai.publishing.sanitize import clean_html

register = template.Library()


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    current: bool = False


#: (label, URL name, query); an item whose URL name does not exist (yet) is left out.
NAV: list[tuple[str, str, str]] = [
    ("首页", "portal:home", ""),
    ("政府信息公开", "portal:column", ""),
    ("政策文件", "portal:list", f"kind={POLICIES}"),
    ("政策解读", "portal:list", f"kind={DocKind.INTERPRETATION}"),
    ("互动交流", "hdjl:list", ""),
    ("意见征集", "yjzj:list", ""),
    ("依申请公开", "apply:form", ""),
    ("搜索", "portal:search", ""),
]


def _reverse(name: str) -> str | None:
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


def _within(path: str, url: str, home: str | None) -> bool:
    if url == home:
        return path == url
    if path.startswith(url):
        return True
    # Documents' pages (/portal/documents/<pk>/) are part of the 政府信息公开 column.
    return url == _reverse("portal:column") and path.startswith(f"{home}documents/")


def navigation(path: str, kind: str) -> list[NavItem]:
    """The items, the one for this page marked: an exact kind list first, else the longest
    URL that this path is under (the home page only for itself)."""
    found = [(label, url, query) for label, name, query in NAV if (url := _reverse(name))]
    home = _reverse("portal:home")
    current = next(
        (i for i, (_, url, q) in enumerate(found) if q and path == url and q == f"kind={kind}"),
        None,
    )
    if current is None:
        best = -1
        for i, (_, url, query) in enumerate(found):
            if not query and _within(path, url, home) and len(url) > best:
                current, best = i, len(url)
    return [
        NavItem(label, url + ("?" + query if query else ""), i == current)
        for i, (label, url, query) in enumerate(found)
    ]


@register.simple_tag(takes_context=True)
def portal_nav(context: template.Context) -> list[NavItem]:
    request = context.get("request")
    if request is None:
        return navigation("", "")
    return navigation(request.path, request.GET.get("kind", ""))


@register.simple_tag
def portal_identity() -> SiteIdentity:
    return SiteIdentity.current()


@register.filter
def sanitised(html: Any) -> SafeString:
    """Stored rich text, cleaned once more on the way out.

    Bodies are sanitised when saved (publishing.actions, portal.actions); cleaning again here
    costs microseconds and keeps a row written any other way (an import, the admin, a SQL
    fix) from ever reaching a page unsanitised."""
    return mark_safe(clean_html(str(html or "")))  # noqa: S308  # nh3 output: allow-listed HTML only
