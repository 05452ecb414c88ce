"""政务新媒体 accounts: the register of each unit's accounts and when each last posted.

The last post is known two ways: a date a liaison enters by hand (`manual_post_on`), and, where
the account has the URL of a page or feed, the newest date the hourly fetch found there
(`fetched_post_on`, at most one fetch a day). `last_post_on` is the later of the two, written
only by Account.refresh_last_post, so a hand-entered later date wins over an older fetched one
and the staleness queries stay plain SQL.

An open account is stale when its last post (or, with none known, the day it was registered)
is more than settings.NEWMEDIA_STALE_DAYS days before today: the national rule is one post in
every 2 weeks (国办秘函〔2019〕19号, 单项否决), a local rule may be stricter.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Platform(models.TextChoices):
    WECHAT = "wechat", "微信公众号"
    WEIBO = "weibo", "微博"
    DOUYIN = "douyin", "抖音"
    TOUTIAO = "toutiao", "今日头条"
    KUAISHOU = "kuaishou", "快手"
    APP = "app", "客户端App"
    OTHER = "other", "其他"


class AccountStatus(models.TextChoices):
    OPEN = "open", "开设"
    CLOSED = "closed", "已关停"


def stale_days() -> int:
    """Days without a post after which an open account is stale (1–14; settings refuse more)."""
    return min(int(settings.NEWMEDIA_STALE_DAYS), 14)


def stale_cutoff(today: dt.date) -> dt.date:
    """An open account whose last post is before this day is stale."""
    return today - dt.timedelta(days=stale_days())


class AccountQuerySet(models.QuerySet["Account"]):
    def open(self) -> AccountQuerySet:
        return self.filter(status=AccountStatus.OPEN)

    def of_units(self, unit_ids: set[int] | frozenset[int] | list[int]) -> AccountQuerySet:
        return self.filter(unit_id__in=unit_ids)

    def stale(self, today: dt.date) -> AccountQuerySet:
        cutoff = stale_cutoff(today)
        return self.open().filter(
            Q(last_post_on__lt=cutoff) | Q(last_post_on__isnull=True, registered_on__lt=cutoff)
        )

    def fetch_due(self, now: dt.datetime) -> AccountQuerySet:
        """Open accounts with a URL whose daily fetch has come (never fetched: due at once)."""
        return (
            self.open()
            .exclude(url="")
            .filter(Q(next_fetch_at__isnull=True) | Q(next_fetch_at__lte=now))
        )


class Account(models.Model):
    platform = models.CharField("平台", max_length=16, choices=Platform.choices)
    name = models.CharField("账号名称", max_length=100)
    unit = models.ForeignKey(
        "units.Unit",
        verbose_name="主办单位",
        on_delete=models.PROTECT,
        related_name="newmedia_accounts",
    )
    #: The account's page or feed (RSS/Atom, or a page listing its posts with dates).
    url = models.CharField("主页或订阅地址", max_length=500, blank=True)
    filed_on = models.DateField("备案日期", null=True, blank=True)
    status = models.CharField(
        "状态", max_length=16, choices=AccountStatus.choices, default=AccountStatus.OPEN
    )
    closed_on = models.DateField("关停日期", null=True, blank=True)
    interactive = models.BooleanField("提供互动功能", default=True)
    notes = models.TextField("备注", blank=True)
    #: The day the account entered the register: staleness counts from it until a post is known.
    registered_on = models.DateField("登记日期", default=timezone.localdate)

    manual_post_on = models.DateField("最近发布日期（手工登记）", null=True, blank=True)
    fetched_post_on = models.DateField("最近发布日期（自动读取）", null=True, blank=True)
    last_post_on = models.DateField("最近发布日期", null=True, blank=True)
    fetched_at = models.DateTimeField("最近读取时间", null=True, blank=True)
    fetch_error = models.CharField("读取问题", max_length=300, blank=True)
    #: The fetch claims an account by moving this a day ahead (one conditional UPDATE).
    next_fetch_at = models.DateTimeField("下次读取时间", null=True, blank=True)
    #: The day its unit was told it is stale; cleared when a post recent enough to end the
    #: stale episode is known (a later one is a new episode).
    stale_alerted_on = models.DateField("未更新提醒日期", null=True, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AccountQuerySet.as_manager()

    class Meta:
        verbose_name = "政务新媒体账号"
        verbose_name_plural = "政务新媒体账号"
        ordering = ["unit__name", "platform", "name", "pk"]
        indexes = [
            models.Index(fields=["status", "last_post_on"], name="newmedia_status_post"),
            models.Index(fields=["status", "next_fetch_at"], name="newmedia_status_fetch"),
            models.Index(fields=["unit", "status"], name="newmedia_unit_status"),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.get_platform_display()}）"

    @property
    def is_open(self) -> bool:
        return self.status == AccountStatus.OPEN

    def refresh_last_post(self, today: dt.date | None = None) -> bool:
        """Set last_post_on to the later known date. A post recent enough that the account is
        no longer stale ends the stale episode, so the unit is told again if the account goes
        quiet again; a newer post that is still too old does not (the unit was told once
        already). True when it changed."""
        known = [d for d in (self.manual_post_on, self.fetched_post_on) if d is not None]
        newest = max(known) if known else None
        if newest == self.last_post_on:
            return False
        today = today or timezone.localdate()
        if newest is not None and newest >= stale_cutoff(today):
            self.stale_alerted_on = None
        self.last_post_on = newest
        return True

    def since(self) -> dt.date:
        """The day staleness counts from: the last post, else the day it was registered."""
        return self.last_post_on or self.registered_on

    def idle_days(self, today: dt.date) -> int:
        return (today - self.since()).days

    def is_stale(self, today: dt.date) -> bool:
        return self.is_open and self.since() < stale_cutoff(today)

    @property
    def post_source(self) -> str:
        """Where last_post_on came from, as staff read it."""
        if self.last_post_on is None:
            return ""
        if self.last_post_on == self.fetched_post_on:
            return "自动读取"
        return "手工登记"
