"""The unit directory (单位) and the named groups task lists use (各成员单位 …)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models

#: Characters that separate aliases in one cell of the directory file, so no alias holds one.
ALIAS_SEPARATORS = "、,，;；\n\r"


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

    def clean(self) -> None:
        if not isinstance(self.aliases, list) or not all(isinstance(a, str) for a in self.aliases):
            raise ValidationError({"aliases": "别名应为文字列表"})
        self.aliases = [a.strip() for a in self.aliases if a.strip()]
        if any(sep in alias for alias in self.aliases for sep in ALIAS_SEPARATORS):
            # The directory file lists aliases in one cell separated by these.
            raise ValidationError({"aliases": "别名中不能包含顿号、逗号、分号或换行"})
        if (
            self.parent_id is not None
            and self.pk is not None
            and self.is_ancestor_of_id(self.parent_id)
        ):
            raise ValidationError({"parent": "上级单位不能是本单位或其下级单位"})

    def is_ancestor_of_id(self, unit_id: int) -> bool:
        """Whether `unit_id` is this unit or below it (walking up from `unit_id`)."""
        seen: set[int] = set()
        current: int | None = unit_id
        while current is not None and current not in seen:
            if current == self.pk:
                return True
            seen.add(current)
            current = Unit.objects.filter(pk=current).values_list("parent_id", flat=True).first()
        return False


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

    def includes(self, unit: Unit) -> bool:
        """Whether the group stands for `unit` today (members prefetched: no extra query)."""
        if not unit.active:
            return False
        if self.mode == GroupMode.EXPLICIT:
            return any(m.pk == unit.pk for m in self.members.all())
        if self.rule_kind and unit.kind != self.rule_kind:
            return False
        return self.rule_parent_id is None or unit.parent_id == self.rule_parent_id

    def resolve_members(self) -> UnitQuerySet:
        """The active units this group stands for today."""
        if self.mode == GroupMode.EXPLICIT:
            return self.members.all().active()
        units = Unit.objects.active()
        if self.rule_kind:
            units = units.filter(kind=self.rule_kind)
        if self.rule_parent_id is not None:
            units = units.filter(parent_id=self.rule_parent_id)
        return units
