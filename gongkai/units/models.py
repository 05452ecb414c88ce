"""The unit directory (单位) and the named groups task lists use (各成员单位 …)."""

from __future__ import annotations

from django.db import models


class UnitKind(models.TextChoices):
    GOVERNMENT = "government", "政府（办公室）"
    DEPARTMENT = "department", "部门"
    TOWN = "town", "镇（街道）"
    COUNTY = "county", "县（市、区）"
    INSTITUTION = "institution", "事业单位"
    OTHER = "other", "其他"


class UnitQuerySet(models.QuerySet["Unit"]):
    def active(self) -> UnitQuerySet:
        return self.filter(active=True)


class Unit(models.Model):
    name = models.CharField("名称", max_length=128, unique=True)
    short_name = models.CharField("简称", max_length=64, blank=True)
    aliases = models.JSONField("别名", default=list, blank=True)
    kind = models.CharField("类型", max_length=16, choices=UnitKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    code = models.CharField("单位代码", max_length=32, blank=True)
    active = models.BooleanField("在用", default=True)

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = "单位"
        verbose_name_plural = "单位"
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name

    def names(self) -> list[str]:
        """Every name the unit is known by: full name, short name, aliases."""
        found = [self.name, self.short_name, *self.aliases]
        return [n for i, n in enumerate(found) if n and n not in found[:i]]


class GroupMode(models.TextChoices):
    EXPLICIT = "explicit", "列举成员"
    RULE = "rule", "按规则"


class UnitGroup(models.Model):
    """A named set of units: an explicit list, or all active units of a kind under a parent."""

    name = models.CharField("名称", max_length=128, unique=True)
    aliases = models.JSONField("别名", default=list, blank=True)
    mode = models.CharField("方式", max_length=16, choices=GroupMode.choices)
    members = models.ManyToManyField(Unit, verbose_name="成员", blank=True, related_name="groups")
    rule_kind = models.CharField(
        "规则：单位类型", max_length=16, choices=UnitKind.choices, blank=True
    )
    rule_parent = models.ForeignKey(
        Unit,
        verbose_name="规则：上级单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = "单位组"
        verbose_name_plural = "单位组"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def names(self) -> list[str]:
        return [self.name, *[a for a in self.aliases if a and a != self.name]]

    def resolve_members(self) -> UnitQuerySet:
        """The active units this group stands for today."""
        if self.mode == GroupMode.EXPLICIT:
            return self.members.all().active()  # type: ignore[attr-defined]  # related manager is a UnitQuerySet at run time
        units = Unit.objects.active()
        if self.rule_kind:
            units = units.filter(kind=self.rule_kind)
        if self.rule_parent_id is not None:
            units = units.filter(parent_id=self.rule_parent_id)
        return units
