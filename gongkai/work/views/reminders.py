"""Reminders: the office's view of the daily digests, and each unit's reminder settings.

Who may do what: the office and evaluators see every unit's digests and settings, liaisons and
leaders their own units' (another unit's settings are a 404). The office may retry a digest
and change any unit's settings; a liaison may change (and test) its own unit's; leaders and
evaluators read only (403).
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, IntegerField, Value, When
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, URLResolver, path
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gongkai.audit.models import AuditEvent
from gongkai.units.access import get_unit_for_user, units_for_user
from gongkai.units.models import Unit
from gongkai.work.access import sees_all
from gongkai.work.models import DeliveryState, NotifySettings, Reminder, WebhookFormat
from gongkai.work.notify import Message, mask_url, parse_emails
from gongkai.work.reminders import (
    SettingsInput,
    can_edit_settings,
    retry_reminder,
    save_settings,
    send_test_message,
)

#: Digests shown: the last weeks', failures first; older ones are in the audit trail.
RECENT_DAYS = 30
RECENT_ROWS = 200
MAX_DAYS_BEFORE = 30
_ORDER = Case(
    When(state=DeliveryState.GAVE_UP, then=Value(0)),
    When(state=DeliveryState.FAILED, then=Value(1)),
    When(state=DeliveryState.SENDING, then=Value(2)),
    When(state=DeliveryState.PENDING, then=Value(3)),
    default=Value(4),
    output_field=IntegerField(),
)


class SettingsForm(forms.Form):
    enabled = forms.BooleanField(label="发送提醒", required=False)
    emails = forms.CharField(
        label="电子邮箱",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="可填多个，用逗号、分号或换行分隔。",
    )
    webhook_url = forms.CharField(label="Webhook 地址", required=False, max_length=1000)
    webhook_format = forms.ChoiceField(label="Webhook 格式", choices=WebhookFormat.choices)
    webhook_secret = forms.CharField(
        label="加签密钥",
        required=False,
        max_length=200,
        widget=forms.PasswordInput(render_value=False),
        help_text="钉钉机器人“加签”的密钥（SEC 开头）；通用格式用它签名请求体。留空则不修改。",
    )
    clear_secret = forms.BooleanField(label="清除加签密钥", required=False)
    days_before = forms.IntegerField(
        label="提前提醒（工作日）",
        min_value=0,
        max_value=MAX_DAYS_BEFORE,
        help_text="截止前几个工作日内发送“临期”提醒；0 表示不发送临期提醒。",
        error_messages={
            "required": "请填写提前提醒的工作日数",
            "invalid": "提前提醒须为整数",
            "min_value": "提前提醒不能小于 0",
            "max_value": f"提前提醒最多 {MAX_DAYS_BEFORE} 个工作日",
        },
    )

    def clean_emails(self) -> list[str]:
        return parse_emails(self.cleaned_data["emails"])

    def clean_webhook_url(self) -> str:
        url = str(self.cleaned_data["webhook_url"]).strip()
        if not url:
            return ""
        parts = urlsplit(url)
        if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
            raise ValidationError("Webhook 地址须以 http:// 或 https:// 开头，并包含域名")
        try:
            forms.URLField(assume_scheme="https").clean(url)
        except ValidationError:
            raise ValidationError("Webhook 地址格式不正确") from None
        return url

    def to_input(self) -> SettingsInput:
        data = self.cleaned_data
        secret: str | None = data["webhook_secret"].strip() or None
        if data["clear_secret"]:
            secret = ""
        return SettingsInput(
            enabled=data["enabled"],
            emails=data["emails"],
            webhook_url=data["webhook_url"],
            webhook_format=WebhookFormat(data["webhook_format"]),
            days_before=data["days_before"],
            webhook_secret=secret,
        )


def _initial(notify: NotifySettings | None) -> dict[str, Any]:
    if notify is None:
        return {
            "enabled": True,
            "webhook_format": WebhookFormat.GENERIC,
            "days_before": settings.REMINDER_DAYS,
        }
    return {
        "enabled": notify.enabled,
        "emails": notify.emails,
        "webhook_url": notify.webhook_url,
        "webhook_format": notify.webhook_format,
        "days_before": notify.days_before,
    }


@login_required
@require_GET
def reminders_page(request: HttpRequest) -> HttpResponse:
    user = request.user
    wanted = request.GET.get("unit", "").strip()
    if wanted.isascii() and wanted.isdigit():
        return redirect("work:reminder_settings", unit_id=int(wanted))
    since = timezone.localdate() - dt.timedelta(days=RECENT_DAYS)
    digests = Reminder.objects.filter(day__gte=since).select_related("unit")
    configured = NotifySettings.objects.select_related("unit").order_by("unit__name")
    if not sees_all(user):
        digests = digests.filter(unit__in=units_for_user(user))
        configured = configured.filter(unit__in=units_for_user(user))
    ordered = digests.annotate(rank=_ORDER).order_by("rank", "-day", "unit__name", "channel")
    rows = list(ordered[: RECENT_ROWS + 1])
    context = {
        "digests": [(r, _contents(r)) for r in rows[:RECENT_ROWS]],
        "more": len(rows) > RECENT_ROWS,
        "failing": digests.filter(state__in=(DeliveryState.FAILED, DeliveryState.GAVE_UP)).count(),
        "configured": [(n, mask_url(n.webhook_url)) for n in configured],
        "unconfigured": units_for_user(user).filter(notify__isnull=True).order_by("name"),
        "is_office": bool(getattr(user, "is_office", False)),
        "recent_days": RECENT_DAYS,
        "reminder_hour": settings.REMINDER_HOUR,
    }
    return render(request, "work/reminders.html", context)


def _contents(reminder: Reminder) -> str:
    """What a sent or pending message holds, from any app's sections."""
    parts = Message.from_payload(reminder.unit.name, reminder.day, reminder.payload).parts()
    return "、".join(parts) or "—"


@login_required
@require_POST
def reminder_retry(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    reminder = Reminder.objects.select_related("unit").filter(pk=pk).first()
    if reminder is None or not (sees_all(user) or reminder.unit_id in user.unit_ids()):
        raise Http404("没有找到该提醒")
    if not getattr(user, "is_office", False):
        raise PermissionDenied("只有公开办可以重发提醒")
    try:
        row = retry_reminder(request.user, reminder)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        if row.state == DeliveryState.SENT:
            messages.success(request, f"已重新发送：{row}")
        else:
            messages.error(request, f"重新发送失败：{row.last_error}")
    return redirect("work:reminders")


def _settings_page(
    request: HttpRequest, unit: Unit, form: SettingsForm | None = None, status: int = 200
) -> HttpResponse:
    notify = NotifySettings.objects.filter(unit=unit).first()
    can_edit = can_edit_settings(request.user, unit)
    context = {
        "unit": unit,
        "notify": notify,
        "masked_url": mask_url(notify.webhook_url) if notify else "",
        "can_edit": can_edit,
        "form": (form or SettingsForm(initial=_initial(notify))) if can_edit else None,
        "digests": Reminder.objects.filter(unit=unit).order_by("-day", "channel")[:20],
        "events": AuditEvent.objects.filter(
            content_type=ContentType.objects.get_for_model(NotifySettings),
            object_id=str(notify.pk) if notify else "",
        )[:20],
    }
    return render(request, "work/reminders_settings.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def reminder_settings(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit = get_unit_for_user(request.user, unit_id)
    if request.method == "GET":
        return _settings_page(request, unit)
    if not can_edit_settings(request.user, unit):
        raise PermissionDenied("只有公开办或本单位联络员可以修改提醒设置")
    form = SettingsForm(request.POST)
    if form.is_valid():
        try:
            save_settings(request.user, unit, form.to_input())
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"已保存{unit.name}的提醒设置")
            return redirect("work:reminder_settings", unit_id=unit.pk)
    return _settings_page(request, unit, form, status=400)


@login_required
@require_POST
def reminder_test(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit = get_unit_for_user(request.user, unit_id)
    try:
        outcomes = send_test_message(request.user, unit)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        for o in outcomes:
            if o.error:
                messages.error(request, f"{o.channel}测试消息发送失败：{o.error}")
            else:
                messages.success(request, f"{o.channel}测试消息已发送至 {o.target}")
    return redirect("work:reminder_settings", unit_id=unit.pk)


urlpatterns: list[URLPattern | URLResolver] = [
    path("reminders/", reminders_page, name="reminders"),
    path("reminders/<int:pk>/retry/", reminder_retry, name="reminder_retry"),
    path("reminders/units/<int:unit_id>/", reminder_settings, name="reminder_settings"),
    path("reminders/units/<int:unit_id>/test/", reminder_test, name="reminder_test"),
]
