"""People: users with one role and the units they belong to, and their API tokens."""

from __future__ import annotations

import hashlib
import secrets
from typing import TYPE_CHECKING

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone

if TYPE_CHECKING:
    from gongkai.units.models import Unit


class Role(models.TextChoices):
    OFFICE = "office", "公开办"
    LIAISON = "liaison", "单位联络员"
    LEADER = "leader", "分管领导"
    EVALUATOR = "evaluator", "评估人员（只读）"


class User(AbstractUser):
    role = models.CharField("角色", max_length=16, choices=Role.choices, default=Role.LIAISON)
    units = models.ManyToManyField(
        "units.Unit", verbose_name="所属单位", blank=True, related_name="members"
    )
    full_name = models.CharField("姓名", max_length=64, blank=True)

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def sees_all_units(self) -> bool:
        """The office, evaluators and superusers see every unit's records."""
        return self.is_superuser or self.role in (Role.OFFICE, Role.EVALUATOR)

    @property
    def is_office(self) -> bool:
        """May change any unit's records and the directory itself."""
        return self.is_superuser or self.role == Role.OFFICE

    @property
    def is_read_only(self) -> bool:
        return not self.is_superuser and self.role == Role.EVALUATOR

    def unit_ids(self) -> set[int]:
        return set(self.units.values_list("pk", flat=True))

    def primary_unit(self) -> Unit | None:
        return self.units.order_by("pk").first()


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def find(self, raw: str) -> ApiToken | None:
        """The active token with this raw value, or None. Only the digest is stored."""
        return (
            self.filter(digest=_digest(raw), revoked_at__isnull=True, user__is_active=True)
            .select_related("user")
            .first()
        )


class ApiToken(models.Model):
    """A bearer token for the JSON API. The raw value is shown once, at creation."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField("用途", max_length=64)
    prefix = models.CharField(max_length=8, editable=False)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = "API 令牌"
        verbose_name_plural = "API 令牌"

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @classmethod
    def issue(cls, user: User, name: str) -> tuple[ApiToken, str]:
        raw = "gk_" + secrets.token_urlsafe(32)
        token = cls.objects.create(user=user, name=name, prefix=raw[:8], digest=_digest(raw))
        return token, raw
