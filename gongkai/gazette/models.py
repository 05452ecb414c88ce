"""Tables of 政府公报: the issues (期), their contents (目录条目) and the one row of reader
information (赠阅点, 联系电话, 开放时间, how to obtain printed copies).

An issue is numbered within its year (第N期, unique per year) and may carry the overall number
since the first issue (总第N期). It is drafted by the office and published once it has contents;
only published issues reach the portal. Each item of the contents points either to a PUBLISHED
document of the document register or to an uploaded PDF (never both); the whole issue may also
have its full PDF. The text of every PDF is kept for the portal's gazette search.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

#: The section headings most gazettes use; the office may type any other.
SECTION_SUGGESTIONS = (
    "市政府文件",
    "市政府办公室文件",
    "部门文件",
    "规范性文件",
    "人事任免",
    "政策解读",
    "其他",
)


class IssueState(models.TextChoices):
    DRAFT = "draft", "草稿"
    PUBLISHED = "published", "已发布"


class StoredPdf(models.Model):
    """An uploaded PDF (gongkai.gazette.pdf): stored by a random name under MEDIA_ROOT/gazette,
    the uploader's cleaned name kept for download, its text kept for search. All empty when
    there is none."""

    pdf_name = models.CharField(max_length=200, blank=True, editable=False)
    pdf_filename = models.CharField("PDF 文件名", max_length=200, blank=True)
    pdf_size = models.PositiveIntegerField("PDF 大小", default=0)
    pdf_sha256 = models.CharField(max_length=64, blank=True, editable=False)
    #: The visible text of the PDF (no OCR: a scan has none).
    pdf_text = models.TextField(blank=True, editable=False)

    class Meta:
        abstract = True

    @property
    def has_pdf(self) -> bool:
        return bool(self.pdf_name)


class IssueQuerySet(models.QuerySet["Issue"]):
    def published(self) -> IssueQuerySet:
        return self.filter(state=IssueState.PUBLISHED)


class Issue(StoredPdf):
    year = models.PositiveSmallIntegerField("年份")
    number = models.PositiveSmallIntegerField("期号")
    total_number = models.PositiveIntegerField("总期号", null=True, blank=True)
    published_on = models.DateField("出版日期")
    note = models.TextField("本期说明", blank=True)
    state = models.CharField(
        "状态", max_length=16, choices=IssueState.choices, default=IssueState.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="创建人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("创建时间", default=timezone.now)
    updated_at = models.DateTimeField("修改时间", auto_now=True)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="发布人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = IssueQuerySet.as_manager()

    class Meta:
        verbose_name = "政府公报期次"
        verbose_name_plural = "政府公报期次"
        ordering = ["-year", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["year", "number"], name="gazette_issue_year_number"),
            models.UniqueConstraint(fields=["total_number"], name="gazette_issue_total_number"),
            models.CheckConstraint(condition=Q(number__gte=1), name="gazette_issue_number_pos"),
            models.CheckConstraint(
                condition=Q(year__gte=1949) & Q(year__lte=9999), name="gazette_issue_year_range"
            ),
        ]
        indexes = [models.Index(fields=["state", "year"], name="gazette_issue_state_year")]

    def __str__(self) -> str:
        return f"{self.year}年第{self.number}期"

    def get_absolute_url(self) -> str:
        return reverse("gazette:issue", args=[self.pk])

    @property
    def label(self) -> str:
        """The issue as printed on its cover, e.g. 2026年第3期（总第215期）."""
        total = f"（总第{self.total_number}期）" if self.total_number else ""
        return f"{self}{total}"

    @property
    def is_published(self) -> bool:
        return self.state == IssueState.PUBLISHED

    def public_url(self) -> str:
        return reverse("gb:issue", args=[self.year, self.number])


class Item(StoredPdf):
    """One entry of an issue's contents."""

    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField("序号")
    section = models.CharField("栏目", max_length=50)
    title = models.CharField("标题", max_length=300)
    doc_number = models.CharField("文号", max_length=100, blank=True)
    document = models.ForeignKey(
        "publishing.Document",
        verbose_name="已发布文件",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="gazette_items",
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    added_at = models.DateTimeField("登记时间", default=timezone.now)

    class Meta:
        verbose_name = "政府公报目录条目"
        verbose_name_plural = "政府公报目录条目"
        ordering = ["position", "pk"]
        indexes = [
            # The search lists items by issue and 序号 and matches titles and 文号 as substrings:
            # this index holds every column that needs, so the scan never reads a row, whose
            # PDF text (stored before the title) can be a hundred pages long.
            models.Index(
                fields=["issue", "position", "document", "title", "doc_number"],
                name="gazette_item_listing",
            )
        ]
        constraints = [
            # A document of the register or a PDF of its own: one of the two, never both.
            models.CheckConstraint(
                condition=(Q(document__isnull=False) & Q(pdf_name=""))
                | (Q(document__isnull=True) & ~Q(pdf_name="")),
                name="gazette_item_document_or_pdf",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.issue}：{self.title}"


class GazetteInfo(models.Model):
    """Where and how the public reads or obtains the printed gazette (one row)."""

    address = models.CharField("赠阅点地址", max_length=300, blank=True)
    phone = models.CharField("联系电话", max_length=64, blank=True)
    hours = models.CharField("开放时间", max_length=200, blank=True)
    how_to_obtain = models.TextField("获取方式", blank=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="修改人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "政府公报查阅信息"
        verbose_name_plural = "政府公报查阅信息"

    def __str__(self) -> str:
        return "政府公报查阅信息"

    @classmethod
    def current(cls) -> GazetteInfo:
        """The saved row, or an empty unsaved one (reading a page writes nothing)."""
        return cls.objects.order_by("pk").first() or cls()

    @property
    def is_empty(self) -> bool:
        return not any((self.address, self.phone, self.hours, self.how_to_obtain.strip()))
