"""What stands between a draft and publication: the review steps (三审), the policy saying which
steps a kind needs, the privacy checks with their resolutions; and the yearly cleanup list."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from gongkai.publishing.models.document import DocKind, Document, DocumentAttachment, Validity


class ReviewStage(models.TextChoices):
    INITIAL = "initial", "初审（起草单位）"
    LEADER = "leader", "复审（单位负责人）"
    FINAL = "final", "终审（公开办）"


#: The stages in the order they run.
STAGE_ORDER = (ReviewStage.INITIAL, ReviewStage.LEADER, ReviewStage.FINAL)


class ReviewPolicy(models.Model):
    """Which review stages a kind of document needs; kinds without a row need all three."""

    kind = models.CharField("类别", max_length=16, choices=DocKind.choices, unique=True)
    stages = models.JSONField("审核环节", default=list)
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = "审核规则"
        verbose_name_plural = "审核规则"

    def __str__(self) -> str:
        labels = dict(ReviewStage.choices)
        return f"{self.get_kind_display()}: {'、'.join(labels.get(s, s) for s in self.stages)}"

    def clean(self) -> None:
        stages = self.stages if isinstance(self.stages, list) else None
        if stages is None or not stages or any(s not in ReviewStage.values for s in stages):
            raise ValidationError({"stages": "请至少选择一个审核环节（初审、复审、终审）"})
        if ReviewStage.FINAL not in stages:
            raise ValidationError({"stages": "终审（公开办）不能省略：发布前须经公开办审定"})
        self.stages = [s.value for s in STAGE_ORDER if s in stages]


class ReviewDecision(models.TextChoices):
    APPROVED = "approved", "通过"
    RETURNED = "returned", "退回"


class ReviewStep(models.Model):
    """One reviewer's decision at one stage of one round (a return starts a new round)."""

    document = models.ForeignKey(
        Document, verbose_name="政府信息", on_delete=models.CASCADE, related_name="review_steps"
    )
    round = models.PositiveIntegerField("轮次", default=1)
    stage = models.CharField("环节", max_length=16, choices=ReviewStage.choices)
    decision = models.CharField("结果", max_length=16, choices=ReviewDecision.choices)
    comment = models.TextField("意见", blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField("时间", default=timezone.now)

    class Meta:
        verbose_name = "审核记录"
        verbose_name_plural = "审核记录"
        ordering = ["decided_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "round", "stage"], name="review_step_once_per_round"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.document}: {self.get_stage_display()} {self.get_decision_display()}"

    @property
    def unit_id(self) -> int:
        return self.document.unit_id


class PrivacyResolution(models.TextChoices):
    NONE = "", "未处理"
    REDACTED = "redacted", "已遮盖"
    OVERRIDDEN = "overridden", "公开办确认可发布"


class PrivacyCheck(models.Model):
    """One scan of a document's body (attachment None) or of one attachment, with how its hits
    were resolved. Only the latest check of each part counts for the gate."""

    document = models.ForeignKey(
        Document, verbose_name="政府信息", on_delete=models.CASCADE, related_name="privacy_checks"
    )
    attachment = models.ForeignKey(
        DocumentAttachment,
        verbose_name="附件",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="privacy_checks",
    )
    scanned_at = models.DateTimeField("检查时间", default=timezone.now)
    #: [{"kind": "id_card", "label": "身份证号", "where": "批注", "hidden": bool, "context": "…"}]
    #: with every number masked: the check itself never stores what it found.
    findings = models.JSONField("发现", default=list)
    problems = models.JSONField("无法检查的部分", default=list)
    hits = models.PositiveIntegerField("命中数", default=0)
    resolution = models.CharField(
        "处理", max_length=16, choices=PrivacyResolution.choices, blank=True, default=""
    )
    reason = models.TextField("理由", blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField("处理时间", null=True, blank=True)

    class Meta:
        verbose_name = "隐私检查"
        verbose_name_plural = "隐私检查"
        ordering = ["scanned_at", "pk"]

    def __str__(self) -> str:
        part = self.attachment.original_name if self.attachment is not None else "正文"
        return f"{self.document} / {part}: {self.hits}"

    @property
    def unit_id(self) -> int:
        return self.document.unit_id

    @property
    def blocks(self) -> bool:
        """Whether this check stops publication."""
        if self.hits == 0 and not self.problems:
            return False
        return self.resolution != PrivacyResolution.OVERRIDDEN


class CleanupOutcome(models.TextChoices):
    KEEP = "keep", "继续有效"
    AMEND = "amend", "修改"
    REPEAL = "repeal", "废止"
    EXPIRE = "expire", "宣布失效"


#: The validity a cleanup outcome sets.
CLEANUP_VALIDITY = {
    CleanupOutcome.KEEP: Validity.VALID,
    CleanupOutcome.AMEND: Validity.AMENDED,
    CleanupOutcome.REPEAL: Validity.REPEALED,
    CleanupOutcome.EXPIRE: Validity.EXPIRED,
}


class Cleanup(models.Model):
    """The yearly cleanup (清理) of policy documents and its published result list."""

    year = models.PositiveIntegerField("年度", unique=True)
    title = models.CharField("标题", max_length=200)
    note = models.TextField("说明", blank=True)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("创建时间", default=timezone.now)

    class Meta:
        verbose_name = "文件清理"
        verbose_name_plural = "文件清理"
        ordering = ["-year"]

    def __str__(self) -> str:
        return self.title


class CleanupItem(models.Model):
    cleanup = models.ForeignKey(
        Cleanup, verbose_name="清理", on_delete=models.CASCADE, related_name="items"
    )
    document = models.ForeignKey(
        Document, verbose_name="文件", on_delete=models.PROTECT, related_name="cleanup_items"
    )
    outcome = models.CharField("清理结果", max_length=16, choices=CleanupOutcome.choices)
    note = models.CharField("说明", max_length=300, blank=True)

    class Meta:
        verbose_name = "清理结果"
        verbose_name_plural = "清理结果"
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["cleanup", "document"], name="cleanup_item_once"),
        ]

    def __str__(self) -> str:
        return f"{self.document}: {self.get_outcome_display()}"
