"""Tables of the 重大行政决策事项目录: the yearly catalogue and its items.

The office drafts the catalogue of a year, lists the items (title, 承办 unit, planned time,
whether a hearing is held) and publishes it once the same-level Party committee has agreed
(《重大行政决策程序暂行条例》 Art. 3: the date agreed is recorded). Items added or changed after
publication are 调整 and carry the day. Each item's unit then records its progress: the 预公开
consultation (a gongkai.consult Consultation flagged 重大行政决策), the hearing, the decision
(a published document or a URL) and the 后评估.

The checks of rule E3 are computed from the rows (Item.checks), never stored: the comment period
of at least 30 calendar days unless the consultation records why it is shorter (Art. 15), the
hearing materials delivered at least 7 days before the hearing (Art. 16), and the planned time
not passing without a consultation.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

#: Art. 16: hearing materials reach the participants at least 7 days before the hearing.
HEARING_NOTICE_DAYS = 7


class CatalogueState(models.TextChoices):
    DRAFT = "draft", "草拟"
    PUBLISHED = "published", "已发布"


class Adjustment(models.TextChoices):
    """How an item came to differ from the catalogue as first published."""

    ADDED = "added", "调整增补"
    CHANGED = "changed", "调整变更"


class CatalogueQuerySet(models.QuerySet["Catalogue"]):
    def published(self) -> CatalogueQuerySet:
        return self.filter(state=CatalogueState.PUBLISHED)


class Catalogue(models.Model):
    """One year's 重大行政决策事项目录 of the government."""

    year = models.PositiveSmallIntegerField("年度", unique=True)
    state = models.CharField(
        "状态", max_length=16, choices=CatalogueState.choices, default=CatalogueState.DRAFT
    )
    #: Art. 3: published after the same-level Party committee agrees.
    party_agreed_on = models.DateField("党委同意日期", null=True, blank=True)
    party_note = models.CharField("党委同意情况", max_length=300, blank=True)
    note = models.TextField("说明", blank=True)
    published_on = models.DateField("发布日期", null=True, blank=True)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="发布人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    #: The last day an item was added or changed after publication.
    adjusted_on = models.DateField("最近调整日期", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="编制人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("创建时间", default=timezone.now)
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    objects = CatalogueQuerySet.as_manager()

    class Meta:
        verbose_name = "重大行政决策事项目录"
        verbose_name_plural = "重大行政决策事项目录"
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.year}年度重大行政决策事项目录"

    def get_absolute_url(self) -> str:
        return reverse("decisions:catalogue", args=[self.pk])

    @property
    def title(self) -> str:
        return str(self)

    @property
    def is_published(self) -> bool:
        return self.state == CatalogueState.PUBLISHED

    def public_url(self) -> str:
        return reverse("zdjc:catalogue", args=[self.year])


class CheckState(models.TextChoices):
    OK = "ok", "符合"
    PROBLEM = "problem", "问题"
    PENDING = "pending", "待办"
    NOT_APPLICABLE = "na", "不适用"


@dataclass(frozen=True)
class Check:
    """One E3 check of an item as of a day: what is checked, how it stands, and why."""

    name: str
    state: CheckState
    text: str

    @property
    def is_problem(self) -> bool:
        return self.state == CheckState.PROBLEM


class ItemQuerySet(models.QuerySet["Item"]):
    def of_units(self, unit_ids: set[int] | list[int]) -> ItemQuerySet:
        return self.filter(unit_id__in=unit_ids)

    def with_links(self) -> ItemQuerySet:
        return self.select_related(
            "catalogue", "unit", "consultation", "decision_document", "evaluation_document"
        )


class Item(models.Model):
    """One decision of a catalogue, with its progress from 预公开 to 后评估."""

    catalogue = models.ForeignKey(
        Catalogue, verbose_name="目录", on_delete=models.CASCADE, related_name="items"
    )
    number = models.PositiveSmallIntegerField("序号")
    title = models.CharField("决策事项", max_length=200)
    unit = models.ForeignKey(
        "units.Unit",
        verbose_name="承办单位",
        on_delete=models.PROTECT,
        related_name="decision_items",
    )
    basis = models.TextField("决策依据和主要内容", blank=True)
    planned_time = models.CharField("计划完成时间", max_length=40)
    #: The last day of `planned_time` (gongkai.decisions.planned.period_end).
    planned_by = models.DateField("计划完成时间截止日")
    hearing = models.BooleanField("举行听证", default=False)

    # Progress, recorded by the unit.
    consultation = models.ForeignKey(
        "consult.Consultation",
        verbose_name="预公开（意见征集）",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="decision_items",
    )
    hearing_on = models.DateField("听证日期", null=True, blank=True)
    materials_on = models.DateField("听证材料送达日期", null=True, blank=True)
    decided_on = models.DateField("决策日期", null=True, blank=True)
    decision_document = models.ForeignKey(
        "publishing.Document",
        verbose_name="决策文件",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decision_url = models.URLField("决策文件网址", max_length=500, blank=True)
    evaluated_on = models.DateField("后评估日期", null=True, blank=True)
    evaluation_summary = models.TextField("后评估情况", blank=True)
    evaluation_document = models.ForeignKey(
        "publishing.Document",
        verbose_name="后评估报告",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    evaluation_url = models.URLField("后评估报告网址", max_length=500, blank=True)
    evaluation_public = models.BooleanField("后评估结果向社会公开", default=False)

    adjustment = models.CharField(
        "调整", max_length=8, choices=Adjustment.choices, blank=True, default=""
    )
    adjusted_on = models.DateField("调整日期", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="录入人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("创建时间", default=timezone.now)
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    objects = ItemQuerySet.as_manager()

    class Meta:
        verbose_name = "重大行政决策事项"
        verbose_name_plural = "重大行政决策事项"
        ordering = ["catalogue", "number", "pk"]
        indexes = [models.Index(fields=["unit", "catalogue"], name="decision_item_unit")]
        constraints = [
            models.UniqueConstraint(
                fields=["catalogue", "number"], name="decision_item_number_unique"
            ),
            # One consultation is the 预公开 of one decision.
            models.UniqueConstraint(
                fields=["consultation"],
                condition=Q(consultation__isnull=False),
                name="decision_item_consultation_unique",
            ),
            models.CheckConstraint(
                condition=Q(hearing=True)
                | (Q(hearing_on__isnull=True) & Q(materials_on__isnull=True)),
                name="decision_item_hearing_dates_need_hearing",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("decisions:item", args=[self.pk])

    # -- progress -------------------------------------------------------------------------

    @property
    def consultation_fits(self) -> bool:
        """The linked consultation is still one this item may have: flagged 重大行政决策 and of
        the item's unit. Linking checks both, but a draft consultation stays editable in its
        own register (its flag cleared, its unit changed) after it was linked."""
        c = self.consultation
        return c is not None and c.is_major_decision and c.unit_id == self.unit_id

    @property
    def consultation_held(self) -> bool:
        """The linked consultation, still fitting, was put out for comment (published)."""
        from gongkai.consult.models import PUBLIC_STATES

        c = self.consultation
        return c is not None and self.consultation_fits and c.state in PUBLIC_STATES

    @property
    def has_decision(self) -> bool:
        return self.decision_document_id is not None or bool(self.decision_url)

    @property
    def has_evaluation(self) -> bool:
        return self.evaluated_on is not None

    def decision_link(self) -> str:
        """Where the public reads the decision: the portal page of the document, else the URL."""
        return _document_link(self.decision_document) or self.decision_url

    def evaluation_link(self) -> str:
        return _document_link(self.evaluation_document) or self.evaluation_url

    def consultation_link(self) -> str:
        return (
            self.consultation.public_url() if self.consultation_held and self.consultation else ""
        )

    # -- the E3 checks ---------------------------------------------------------------------

    def window_check(self, today: dt.date) -> Check:
        """预公开 on time, with a comment period of at least 30 days or a recorded reason."""
        name = "征求意见期"
        c = self.consultation
        if c is not None and not self.consultation_fits:
            return Check(
                name,
                CheckState.PROBLEM,
                f"关联的意见征集「{c.title}」已不是承办单位标注为重大行政决策的意见征集，"
                "不作为决策预公开，请重新关联",
            )
        if c is None or not self.consultation_held:
            if today > self.planned_by:
                return Check(
                    name,
                    CheckState.PROBLEM,
                    f"计划完成时间（{self.planned_time}）已过，尚未公开征求意见",
                )
            return Check(name, CheckState.PENDING, "尚未公开征求意见")
        days = c.window_days()
        if days is None:
            return Check(name, CheckState.PENDING, "意见征集未填写起止日期")
        if c.is_short and not c.short_reason.strip():
            return Check(name, CheckState.PROBLEM, f"征求意见期 {days} 日，少于 30 日且未说明理由")
        if c.is_short:
            return Check(
                name, CheckState.OK, f"征求意见期 {days} 日，已说明缩短理由：{c.short_reason}"
            )
        return Check(name, CheckState.OK, f"征求意见期 {days} 日，不少于 30 日")

    def hearing_check(self, today: dt.date) -> Check:
        name = "听证材料提前送达"
        if not self.hearing:
            return Check(name, CheckState.NOT_APPLICABLE, "不举行听证")
        if self.hearing_on is None:
            if self.has_decision:
                return Check(name, CheckState.PROBLEM, "目录列明举行听证，决策已作出但未登记听证")
            return Check(name, CheckState.PENDING, "尚未登记听证日期")
        latest = self.hearing_on - dt.timedelta(days=HEARING_NOTICE_DAYS)
        if self.materials_on is None:
            if today > latest:
                return Check(
                    name,
                    CheckState.PROBLEM,
                    f"听证材料应于 {latest:%Y-%m-%d} 前送达，尚未登记送达日期",
                )
            return Check(name, CheckState.PENDING, f"听证材料应于 {latest:%Y-%m-%d} 前送达")
        ahead = (self.hearing_on - self.materials_on).days
        if ahead < HEARING_NOTICE_DAYS:
            return Check(
                name,
                CheckState.PROBLEM,
                f"听证材料于听证会前 {ahead} 日送达，少于 {HEARING_NOTICE_DAYS} 日",
            )
        return Check(name, CheckState.OK, f"听证材料于听证会前 {ahead} 日送达")

    def checks(self, today: dt.date) -> list[Check]:
        return [self.window_check(today), self.hearing_check(today)]

    def problems(self, today: dt.date) -> list[str]:
        return [check.text for check in self.checks(today) if check.is_problem]


def _document_link(document: object) -> str:
    from gongkai.publishing.models import DocState, Document

    if not isinstance(document, Document) or document.state != DocState.PUBLISHED:
        return ""
    return reverse("portal:document", args=[document.pk])
