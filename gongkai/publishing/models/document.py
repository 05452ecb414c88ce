"""A government-information item (政府信息) and what describes it: its catalogue category, its
attachments, its validity and the validity history."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone


class DocKind(models.TextChoices):
    RULE = "rule", "规章"
    NORMATIVE = "normative", "行政规范性文件"
    POLICY = "policy", "其他政策文件"
    INTERPRETATION = "interpretation", "政策解读"
    MEETING = "meeting", "会议"
    BUDGET = "budget", "预决算"
    PERSONNEL = "personnel", "人事"
    PLANNING = "planning", "规划"
    NOTICE = "notice", "通知公告"
    NEWS = "news", "动态要闻"
    OTHER = "other", "其他"


#: Kinds that are policy documents: they carry 文号 and 有效性, may need an interpretation, and
#: the first two are counted in Table 二 of the annual report.
POLICY_KINDS = (DocKind.RULE, DocKind.NORMATIVE, DocKind.POLICY)


class Validity(models.TextChoices):
    VALID = "valid", "有效"
    AMENDED = "amended", "已修改"
    REPEALED = "repealed", "已废止"
    EXPIRED = "expired", "失效"


class DocState(models.TextChoices):
    DRAFT = "draft", "草稿"
    REVIEW = "review", "审核中"
    RETURNED = "returned", "已退回"
    APPROVED = "approved", "待发布"  # every review step passed; publication waits on the gate
    PUBLISHED = "published", "已发布"
    WITHDRAWN = "withdrawn", "已撤回"


class Category(models.Model):
    """One node of the 主动公开基本目录 (catalogue) tree, edited by the office."""

    name = models.CharField("名称", max_length=128)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级目录",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    code = models.CharField("目录编码", max_length=32, blank=True)
    position = models.PositiveIntegerField("排序", default=0)
    description = models.TextField("说明", blank=True)
    active = models.BooleanField("在用", default=True)

    class Meta:
        verbose_name = "公开目录"
        verbose_name_plural = "公开目录"
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="category_parent_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name

    def path_names(self) -> list[str]:
        """Names from the root down to this node."""
        names: list[str] = []
        node: Category | None = self
        seen: set[int] = set()
        while node is not None and node.pk not in seen:
            seen.add(node.pk)
            names.append(node.name)
            node = node.parent
        return names[::-1]


class IndexCounter(models.Model):
    """The last serial used under one 索引号 prefix (a unit code and a year), bumped by one
    UPDATE inside the publishing transaction so two publications never share a number."""

    prefix = models.CharField(max_length=96, unique=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "索引号计数"
        verbose_name_plural = "索引号计数"

    def __str__(self) -> str:
        return f"{self.prefix} → {self.last}"


class DocumentQuerySet(models.QuerySet["Document"]):
    def published(self) -> DocumentQuerySet:
        return self.filter(state=DocState.PUBLISHED)

    def of_units(self, unit_ids: set[int] | list[int]) -> DocumentQuerySet:
        return self.filter(unit_id__in=unit_ids)

    def interpretation_overdue(self, today: dt.date) -> DocumentQuerySet:
        """Published documents whose interpretation is due before `today` and not published."""
        return self.published().filter(
            needs_interpretation=True,
            interpretation_due__lt=today,
            interpretation_published_on__isnull=True,
        )


class Document(models.Model):
    """A government-information item, from draft to publication and later validity changes."""

    unit = models.ForeignKey(
        "units.Unit", verbose_name="责任单位", on_delete=models.PROTECT, related_name="documents"
    )
    kind = models.CharField("类别", max_length=16, choices=DocKind.choices)
    category = models.ForeignKey(
        Category,
        verbose_name="公开目录",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents",
    )
    topic = models.CharField("主题分类", max_length=64, blank=True)
    title = models.CharField("标题", max_length=300)
    #: Sanitised HTML (gongkai.publishing.sanitize); never rendered unsanitised.
    body_html = models.TextField("正文", blank=True)
    #: Plain text of the body, for the privacy scan, search and snippets.
    body_text = models.TextField("正文文本", blank=True, editable=False)
    doc_number = models.CharField("文号", max_length=100, blank=True)
    written_on = models.DateField("成文日期", null=True, blank=True)
    published_on = models.DateField("发布日期", null=True, blank=True)
    publisher = models.CharField("发布机构", max_length=128, blank=True)
    #: Assigned at publication from GONGKAI_INDEX_SCHEME; unique.
    index_number = models.CharField("索引号", max_length=128, null=True, blank=True, unique=True)
    state = models.CharField(
        "状态", max_length=16, choices=DocState.choices, default=DocState.DRAFT
    )
    #: The review round under way or last run: each submission starts the next one (1, 2, …).
    review_round = models.PositiveIntegerField("审核轮次", default=0)
    withdrawn_reason = models.CharField("撤回理由", max_length=500, blank=True)

    # A repost (转载) must name where it comes from.
    is_repost = models.BooleanField("转载", default=False)
    source = models.CharField("来源", max_length=200, blank=True)
    source_url = models.URLField("来源网址", max_length=500, blank=True)

    # Validity (有效性) of policy documents; the history is in ValidityChange.
    validity = models.CharField(
        "有效性", max_length=16, choices=Validity.choices, default=Validity.VALID
    )
    validity_since = models.DateField("有效性变更日期", null=True, blank=True)
    validity_changed_by = models.ForeignKey(
        "self",
        verbose_name="变更依据文件",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    validity_note = models.CharField("有效性说明", max_length=300, blank=True)

    # Interpretations (政策解读): a document that needs one starts a clock at publication.
    needs_interpretation = models.BooleanField("需要解读", default=False)
    interpretation_due = models.DateField("解读应发布日期", null=True, blank=True)
    interpretation_published_on = models.DateField("解读发布日期", null=True, blank=True)
    #: Why `interpretation_due` is empty although the document needs an interpretation (the
    #: calendar has no schedule for the year): shown, never guessed.
    interpretation_problem = models.CharField("解读期限说明", max_length=300, blank=True)
    #: When the owning unit's digest told of the overdue interpretation, and the office's.
    interpretation_alerted_at = models.DateTimeField("逾期提醒时间", null=True, blank=True)
    interpretation_office_alerted_at = models.DateTimeField(
        "公开办逾期提醒时间", null=True, blank=True
    )
    #: For an interpretation: the policy document it interprets.
    interprets = models.ForeignKey(
        "self",
        verbose_name="解读对象",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="interpretations",
    )

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="起草人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("创建时间", default=timezone.now)
    updated_at = models.DateTimeField("修改时间", auto_now=True)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = "政府信息"
        verbose_name_plural = "政府信息"
        ordering = ["-published_on", "-pk"]
        indexes = [
            models.Index(fields=["state", "-published_on"], name="document_state_date"),
            models.Index(fields=["kind", "state"], name="document_kind_state"),
            models.Index(fields=["unit", "state"], name="document_unit_state"),
            # The portal's filtered lists, newest first (benchmarks/portal_bench.py).
            models.Index(
                fields=["state", "kind", "-published_on", "-id"], name="document_kind_date"
            ),
            models.Index(
                fields=["state", "unit", "-published_on", "-id"], name="document_unit_date"
            ),
            models.Index(
                fields=["state", "category", "-published_on", "-id"],
                name="document_category_date",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_repost=False) | ~Q(source=""),
                name="document_repost_names_source",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("publishing:detail", args=[self.pk])

    def public_url(self) -> str:
        return reverse("portal:document", args=[self.pk])

    @property
    def is_policy(self) -> bool:
        return self.kind in POLICY_KINDS

    @property
    def in_force(self) -> bool:
        return self.validity in (Validity.VALID, Validity.AMENDED)


class DocumentAttachment(models.Model):
    """A file published with a document. Stored through gongkai.work.evidence (area
    "publishing"); `text` is what the privacy scan and the search index read."""

    document = models.ForeignKey(
        Document, verbose_name="政府信息", on_delete=models.CASCADE, related_name="attachments"
    )
    stored_name = models.CharField(max_length=200, editable=False)
    original_name = models.CharField("文件名", max_length=200)
    file_type = models.CharField("类型", max_length=8)
    size = models.PositiveIntegerField("大小")
    text = models.TextField("文本", blank=True, editable=False)
    position = models.PositiveIntegerField("排序", default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField("上传时间", default=timezone.now)

    class Meta:
        verbose_name = "附件"
        verbose_name_plural = "附件"
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def unit_id(self) -> int:
        """The owning unit, for the audit trail."""
        return self.document.unit_id


class ValidityChange(models.Model):
    """One change of a document's validity: the history shown on the document page."""

    document = models.ForeignKey(
        Document, verbose_name="政府信息", on_delete=models.CASCADE, related_name="validity_changes"
    )
    old = models.CharField("原有效性", max_length=16, choices=Validity.choices)
    new = models.CharField("新有效性", max_length=16, choices=Validity.choices)
    effective_on = models.DateField("生效日期")
    changed_by_document = models.ForeignKey(
        Document,
        verbose_name="变更依据文件",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reason = models.CharField("说明", max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField("登记时间", default=timezone.now)

    class Meta:
        verbose_name = "有效性变更"
        verbose_name_plural = "有效性变更"
        ordering = ["effective_on", "pk"]

    def __str__(self) -> str:
        return f"{self.document}: {self.get_old_display()} → {self.get_new_display()}"
