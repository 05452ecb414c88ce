"""What hangs off a request besides its clock: files, transfers, the office's review of the draft
reply, the letters issued, the editable letter templates, and appeals."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from gongkai.disclosure.models.request import Request


class AttachmentRole(models.TextChoices):
    APPLICATION = "application", "申请材料"
    REPLY = "reply", "答复材料"
    OTHER = "other", "其他材料"


class Attachment(models.Model):
    """A file of a request, stored under <data>/files/requests (see files.py)."""

    request = models.ForeignKey(
        Request, verbose_name="申请", on_delete=models.CASCADE, related_name="attachments"
    )
    role = models.CharField("类别", max_length=16, choices=AttachmentRole.choices)
    name = models.CharField("文件名", max_length=200)
    stored_name = models.CharField(max_length=200, unique=True, editable=False)
    size = models.PositiveIntegerField("大小")
    content_type = models.CharField(max_length=100)
    uploaded_at = models.DateTimeField("上传时间", default=timezone.now)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "申请附件"
        verbose_name_plural = "申请附件"
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def unit_id(self) -> int:
        return self.request.unit_id


class TransferKind(models.TextChoices):
    TRANSFER = "transfer", "转办"
    RETURN = "return", "退回"


class Transfer(models.Model):
    """The request moved from one handling unit to another (or was sent back)."""

    request = models.ForeignKey(
        Request, verbose_name="申请", on_delete=models.CASCADE, related_name="transfers"
    )
    kind = models.CharField("类型", max_length=16, choices=TransferKind.choices)
    from_unit = models.ForeignKey(
        "units.Unit", verbose_name="原办理单位", on_delete=models.PROTECT, related_name="+"
    )
    to_unit = models.ForeignKey(
        "units.Unit", verbose_name="新办理单位", on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField("理由", max_length=500)
    at = models.DateTimeField("时间", default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "转办记录"
        verbose_name_plural = "转办记录"
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.from_unit} → {self.to_unit}"

    @property
    def unit_id(self) -> int:
        return self.request.unit_id


class ReviewDecision(models.TextChoices):
    PENDING = "pending", "待审核"
    APPROVED = "approved", "审核通过"
    RETURNED = "returned", "退回修改"


class ReplyReview(models.Model):
    """The unit's draft reply filed with the office, and the office's decision (seed 002:
    filed 3 working days before the answer is due)."""

    request = models.ForeignKey(
        Request, verbose_name="申请", on_delete=models.CASCADE, related_name="reviews"
    )
    outcome = models.CharField("拟办理结果", max_length=40)
    separated = models.BooleanField("区分处理", default=False)
    draft = models.TextField("答复意见（草稿）")
    reasons = models.TextField("理由和依据", blank=True)
    submitted_at = models.DateTimeField("报送时间", default=timezone.now)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    due_on = models.DateField("审核期限", null=True, blank=True)
    decision = models.CharField(
        "审核结果", max_length=16, choices=ReviewDecision.choices, default=ReviewDecision.PENDING
    )
    decided_at = models.DateTimeField("审核时间", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    comment = models.TextField("审核意见", blank=True)

    class Meta:
        verbose_name = "答复审核"
        verbose_name_plural = "答复审核"
        ordering = ["submitted_at", "id"]

    def __str__(self) -> str:
        return f"{self.request.tracking_no} 答复审核（{self.get_decision_display()}）"

    @property
    def unit_id(self) -> int:
        return self.request.unit_id


class LetterKind(models.TextChoices):
    REPLY = "reply", "政府信息公开申请答复书"
    CORRECTION = "correction", "补正申请通知书"
    EXTENSION = "extension", "延期答复告知书"
    CONSULTATION = "consultation", "征求第三方意见书"
    FEE_NOTICE = "fee_notice", "信息处理费缴费通知书"


class LetterTemplate(models.Model):
    """An editable letter. A reply template is per outcome; the others have outcome ''.

    `body` is plain text with {placeholders} (letters.py lists them); `basis` is the legal basis
    quoted in the letter.
    """

    kind = models.CharField("文书", max_length=16, choices=LetterKind.choices)
    outcome = models.CharField("办理结果", max_length=40, blank=True)
    title = models.CharField("标题", max_length=100)
    body = models.TextField("正文")
    basis = models.TextField("法律依据", blank=True)
    updated_at = models.DateTimeField("修改时间", default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "文书模板"
        verbose_name_plural = "文书模板"
        ordering = ["kind", "outcome"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "outcome"], name="letter_template_unique")
        ]

    def __str__(self) -> str:
        return self.title


class Letter(models.Model):
    """A letter issued on a request: the .docx as generated, kept unchanged."""

    request = models.ForeignKey(
        Request, verbose_name="申请", on_delete=models.CASCADE, related_name="letters"
    )
    kind = models.CharField("文书", max_length=16, choices=LetterKind.choices)
    title = models.CharField("标题", max_length=100)
    stored_name = models.CharField(max_length=200, unique=True, editable=False)
    issued_on = models.DateField("日期")
    created_at = models.DateTimeField("生成时间", default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "文书"
        verbose_name_plural = "文书"
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.request.tracking_no} {self.title}"

    @property
    def unit_id(self) -> int:
        return self.request.unit_id


class AppealKind(models.TextChoices):
    """The three groups of Table 四."""

    RECONSIDERATION = "reconsideration", "行政复议"
    LITIGATION_DIRECT = "litigation_direct", "行政诉讼（未经复议直接起诉）"
    LITIGATION_AFTER = "litigation_after", "行政诉讼（复议后起诉）"


class AppealResult(models.TextChoices):
    UPHELD = "upheld", "结果维持"
    CORRECTED = "corrected", "结果纠正"
    OTHER = "other", "其他结果"
    PENDING = "pending", "尚未审结"


class Appeal(models.Model):
    """行政复议 or 行政诉讼 over disclosure work, usually about one request.

    Table 四 counts a case in the year it was filed; a result decided after 31 December counts
    as 尚未审结 in that year's report.
    """

    request = models.ForeignKey(
        Request,
        verbose_name="申请",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="appeals",
    )
    unit = models.ForeignKey(
        "units.Unit", verbose_name="被申请（被诉）单位", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField("类型", max_length=24, choices=AppealKind.choices)
    #: For litigation after reconsideration: the reconsideration it follows.
    follows = models.ForeignKey(
        "self",
        verbose_name="前置复议",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    filed_on = models.DateField("申请（起诉）日期", db_index=True)
    body = models.CharField("复议机关或法院", max_length=200, blank=True)
    case_no = models.CharField("案号", max_length=100, blank=True)
    result = models.CharField(
        "结果", max_length=16, choices=AppealResult.choices, default=AppealResult.PENDING
    )
    decided_on = models.DateField("审结日期", null=True, blank=True)
    note = models.TextField("说明", blank=True)
    created_at = models.DateTimeField("登记时间", default=timezone.now)

    class Meta:
        verbose_name = "行政复议和行政诉讼"
        verbose_name_plural = "行政复议和行政诉讼"
        ordering = ["-filed_on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.case_no or self.filed_on.isoformat()}"
