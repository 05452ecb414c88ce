"""Reminder settings per unit, and the daily digests sent to them."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class WebhookFormat(models.TextChoices):
    GENERIC = "generic", "通用 JSON"
    WECOM = "wecom", "企业微信机器人"
    DINGTALK = "dingtalk", "钉钉机器人"


class NotifySettings(models.Model):
    """How a unit wants its reminders. A unit without a row gets none but the in-app list."""

    unit = models.OneToOneField(
        "units.Unit", verbose_name="单位", on_delete=models.CASCADE, related_name="notify"
    )
    enabled = models.BooleanField("发送提醒", default=True)
    #: Addresses separated by commas, semicolons or new lines.
    emails = models.TextField("电子邮箱", blank=True)
    webhook_url = models.URLField("Webhook 地址", max_length=1000, blank=True)
    webhook_format = models.CharField(
        "Webhook 格式",
        max_length=16,
        choices=WebhookFormat.choices,
        default=WebhookFormat.GENERIC,
    )
    #: DingTalk robots may require signed requests (加签); the secret signs them.
    webhook_secret = models.CharField("加签密钥", max_length=200, blank=True)
    days_before = models.PositiveSmallIntegerField("提前提醒（工作日）", default=3)

    class Meta:
        verbose_name = "提醒设置"
        verbose_name_plural = "提醒设置"

    def __str__(self) -> str:
        return f"{self.unit} 的提醒设置"


class Channel(models.TextChoices):
    EMAIL = "email", "电子邮件"
    WEBHOOK = "webhook", "Webhook"


class DeliveryState(models.TextChoices):
    PENDING = "pending", "待发送"
    SENDING = "sending", "发送中"
    SENT = "sent", "已发送"
    FAILED = "failed", "发送失败（将重试）"
    GAVE_UP = "gave_up", "发送失败（已放弃）"


class Reminder(models.Model):
    """One unit's digest for one day on one channel, or one alert (`topic`) sent outside the
    daily digest. Unique, so it is made once; a worker claims it (pending → sending in one
    conditional UPDATE) before sending, so two workers never send it twice."""

    unit = models.ForeignKey(
        "units.Unit", verbose_name="单位", on_delete=models.CASCADE, related_name="reminders"
    )
    day = models.DateField("日期")
    channel = models.CharField("渠道", max_length=16, choices=Channel.choices)
    #: "" for the daily digest; an alert sent as it falls due names what it is about
    #: (e.g. "opinion:12:half"), so it is made once and does not stand for the day's digest.
    topic = models.CharField("专项提醒", max_length=100, blank=True, default="")
    target = models.CharField("发送至", max_length=1000, blank=True)
    #: {"soon": [checkpoint ids], "today": [...], "overdue": [...]} and the rendered text.
    payload = models.JSONField("内容", default=dict)
    state = models.CharField(
        "状态", max_length=16, choices=DeliveryState.choices, default=DeliveryState.PENDING
    )
    attempts = models.PositiveSmallIntegerField("尝试次数", default=0)
    next_attempt_at = models.DateTimeField("下次尝试", default=timezone.now)
    claimed_by = models.CharField("处理进程", max_length=200, blank=True)
    claimed_at = models.DateTimeField("领取时间", null=True, blank=True)
    sent_at = models.DateTimeField("发送时间", null=True, blank=True)
    last_error = models.TextField("最近错误", blank=True)
    created_at = models.DateTimeField("生成时间", default=timezone.now)

    class Meta:
        verbose_name = "提醒"
        verbose_name_plural = "提醒"
        ordering = ["-day", "unit"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "day", "channel", "topic"],
                name="reminder_unit_day_channel_topic_unique",
            )
        ]
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="reminder_queue")]

    def __str__(self) -> str:
        return f"{self.unit} {self.day:%Y-%m-%d} {self.get_channel_display()}提醒"
