"""The audit trail: who changed what, when, through which channel, and why. Append-only."""

from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone


class AuditAction(models.TextChoices):
    CREATE = "create", "新建"
    CHANGE = "change", "修改"
    TRANSITION = "transition", "状态变更"
    DELETE = "delete", "删除"
    LOGIN = "login", "登录"
    LOGOUT = "logout", "退出"
    LOGIN_FAILED = "login_failed", "登录失败"


class Channel(models.TextChoices):
    WEB = "web", "网页"
    ADMIN = "admin", "管理后台"
    API = "api", "API"
    CLI = "cli", "命令行"
    SYSTEM = "system", "系统"


class AppendOnlyError(Exception):
    """Raised on any attempt to change or remove an audit event."""


class AuditQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("审计日志只能追加，不能修改")

    def delete(self) -> NoReturn:
        raise AppendOnlyError("审计日志只能追加，不能删除")

    def for_object(self, obj: models.Model) -> AuditQuerySet:
        ct = ContentType.objects.get_for_model(type(obj))
        return self.filter(content_type=ct, object_id=str(obj.pk))


class AuditEvent(models.Model):
    at = models.DateTimeField("时间", default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    actor_name = models.CharField("操作人名称", max_length=150, blank=True)
    action = models.CharField("操作", max_length=16, choices=AuditAction.choices)
    channel = models.CharField("渠道", max_length=8, choices=Channel.choices)
    content_type = models.ForeignKey(
        ContentType,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    object_id = models.CharField(max_length=64, blank=True)
    object_repr = models.CharField("对象", max_length=200, blank=True)
    #: The unit that owns the object, so liaisons can be shown their own units' events.
    unit_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    #: {"field": [before, after]}; for a creation before is null, for a deletion after is null.
    changes = models.JSONField("变更内容", default=dict, blank=True)
    comment = models.TextField("说明", blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = "审计记录"
        verbose_name_plural = "审计记录"
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        when = f"{self.at:%Y-%m-%d %H:%M}"
        return f"{when} {self.actor_name} {self.get_action_display()} {self.object_repr}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnlyError("审计日志只能追加，不能修改")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("审计日志只能追加，不能删除")
