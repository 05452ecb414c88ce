"""The office's changes to the portal: the site identifiers and the 指南 / 制度 pages. Each is one
transaction, audited; only the office may make them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from gongkai.accounts import access
from gongkai.audit.record import record_change, record_create, snapshot
from gongkai.portal.models import ColumnPage, ColumnSlug, SiteIdentity
from gongkai.publishing.sanitize import MAX_HTML, clean_html

#: Fields of SiteIdentity the office edits.
IDENTITY_FIELDS = (
    "site_name", "organizer", "undertaker", "site_code", "icp_number", "police_number",
    "police_url", "badge_url", "phone", "email", "address",
)  # fmt: skip


class PortalRejected(Exception):
    """Nothing was changed; the message says why, in Chinese."""


def require_office(user: Any) -> None:
    access.require_office(user, "只有公开办可以修改门户网站的内容")


def save_identity(user: Any, **fields: Any) -> SiteIdentity:
    """Set the site identifiers (IDENTITY_FIELDS; others are refused)."""
    require_office(user)
    unknown = set(fields) - set(IDENTITY_FIELDS)
    if unknown:
        raise PortalRejected(f"不能修改这些项目：{'、'.join(sorted(unknown))}")
    with transaction.atomic():
        identity = SiteIdentity.objects.select_for_update().filter(pk=1).first()
        created = identity is None
        if identity is None:
            identity = SiteIdentity()
        before = snapshot(identity)
        for name, value in fields.items():
            setattr(identity, name, (value or "").strip())
        identity.updated_by = user
        identity.save()
        if created:
            record_create(user, identity)
        else:
            record_change(user, identity, before)
    return identity


def save_page(
    user: Any, slug: str, *, title: str, body_html: str, updated_on: dt.date
) -> ColumnPage:
    """Save the 指南 or 制度 page; the body is sanitised before it is stored."""
    require_office(user)
    if slug not in ColumnSlug.values:
        raise PortalRejected("没有这个栏目页面")
    title = (title or "").strip()
    if not title:
        raise PortalRejected("请填写标题")
    if len(body_html or "") > MAX_HTML:
        raise PortalRejected(f"正文过长（最多 {MAX_HTML:,} 个字符）")
    body = clean_html(body_html)
    if not body:
        raise PortalRejected("请填写正文")
    with transaction.atomic():
        page = ColumnPage.objects.select_for_update().filter(slug=slug).first()
        created = page is None
        if page is None:
            page = ColumnPage(slug=slug)
        before = snapshot(page)
        page.title, page.body_html, page.updated_on = title[:200], body, updated_on
        page.updated_by = user
        page.save()
        if created:
            record_create(user, page)
        else:
            record_change(user, page, before)
    return page
