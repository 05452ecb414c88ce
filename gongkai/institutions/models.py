"""Each unit's 机构职能 and 负责人信息: a working copy the unit edits, and the versions the office
approved (Release), of which the latest is what the portal shows.

The working copy (Profile and its Leaders) changes freely while the unit edits; approval copies
it into a new Release with its ReleaseLeaders, so an edit never reaches the public page before
the office has reviewed it. Photos are immutable rows holding the re-encoded image: a new upload
is a new Photo, and a Release keeps pointing at the one it was approved with.

The information's age counts from the later of the last approval and the last 「确认无变化」, so
a unit whose information is still right need not make a fake edit to keep it current.
"""

from __future__ import annotations

import datetime as dt
import html

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.html import strip_tags


class ProfileState(models.TextChoices):
    EDITING = "editing", "编辑中"
    SUBMITTED = "submitted", "待审核"
    RETURNED = "returned", "已退回"
    PUBLISHED = "published", "已发布"


class Gender(models.TextChoices):
    MALE = "male", "男"
    FEMALE = "female", "女"


postcode_validator = RegexValidator(r"^\d{6}$", "邮政编码应为 6 位数字")


class ProfileFields(models.Model):
    """The institution's fields, shared by the working copy and each approved version."""

    bodies = models.TextField("机构设置", blank=True, help_text="内设机构，每行一个")
    #: Sanitised HTML (gongkai.publishing.sanitize.clean_html).
    functions_html = models.TextField("主要职能", blank=True)
    address = models.CharField("办公地址", max_length=200, blank=True)
    hours = models.CharField("办公时间", max_length=200, blank=True)
    phone = models.CharField("联系电话", max_length=100, blank=True)
    fax = models.CharField("传真", max_length=64, blank=True)
    email = models.EmailField("电子邮箱", blank=True)
    postcode = models.CharField(
        "邮政编码", max_length=6, blank=True, validators=[postcode_validator]
    )
    website = models.URLField("网址", blank=True)

    class Meta:
        abstract = True

    def body_list(self) -> list[str]:
        return [line.strip() for line in self.bodies.splitlines() if line.strip()]


#: The fields every unit must fill in (seed 000: 机构设置、职能、办公地址、办公时间、联系方式).
REQUIRED_PROFILE_FIELDS = ("bodies", "functions_html", "address", "hours", "phone")
REQUIRED_LABELS = {
    "bodies": "机构设置",
    "functions_html": "主要职能",
    "address": "办公地址",
    "hours": "办公时间",
    "phone": "联系电话",
}


def visible_text(value: str) -> str:
    """What a reader sees of a field: 主要职能 pasted as「<p> </p>」or「<br>」is still empty."""
    return html.unescape(strip_tags(value)).replace("\xa0", " ").strip()


#: The profile fields copied into each approved version.
PROFILE_FIELDS = (*REQUIRED_PROFILE_FIELDS, "fax", "email", "postcode", "website")


class Photo(models.Model):
    """A leader's photo as stored: always a re-encoded JPEG (see photos.py), never the upload."""

    unit = models.ForeignKey(
        "units.Unit", verbose_name="单位", on_delete=models.PROTECT, related_name="+"
    )
    data = models.BinaryField("图像")
    content_type = models.CharField("类型", max_length=32, default="image/jpeg")
    width = models.PositiveIntegerField("宽")
    height = models.PositiveIntegerField("高")
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="上传人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField("上传时间")

    class Meta:
        verbose_name = "负责人照片"
        verbose_name_plural = "负责人照片"

    def __str__(self) -> str:
        return f"照片 {self.pk}（{self.width}×{self.height}）"


class LeaderFields(models.Model):
    """A leader's fields (seed 002's list), shared by the working copy and approved versions."""

    name = models.CharField("姓名", max_length=32)
    title = models.CharField("现任职务", max_length=100)
    rank = models.CharField("职级", max_length=64, blank=True)
    duties = models.TextField("分工", blank=True)
    photo = models.ForeignKey(
        Photo,
        verbose_name="照片",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    gender = models.CharField("性别", max_length=8, choices=Gender.choices, blank=True)
    ethnicity = models.CharField("民族", max_length=16, blank=True)
    #: The first of the month of birth; only year and month are shown.
    born = models.DateField("出生年月", null=True, blank=True)
    education = models.CharField("学历学位", max_length=64, blank=True)
    political = models.CharField("政治面貌", max_length=32, blank=True)
    order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        abstract = True
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return f"{self.name}（{self.title}）"

    def missing(self) -> list[str]:
        """The leader's required fields left empty (seed 000/002: 姓名、职务、分工、照片)."""
        found = [("姓名", self.name), ("现任职务", self.title), ("分工", self.duties.strip())]
        gaps = [label for label, value in found if not value]
        if self.photo_id is None:
            gaps.append("照片")
        return gaps


#: The leader fields copied into each approved version.
LEADER_FIELDS = (
    "name",
    "title",
    "rank",
    "duties",
    "photo",
    "gender",
    "ethnicity",
    "born",
    "education",
    "political",
    "order",
)


class Profile(ProfileFields):
    """A unit's working copy, with the review state and the pointer to the approved version."""

    unit = models.OneToOneField(
        "units.Unit",
        verbose_name="单位",
        on_delete=models.PROTECT,
        related_name="institution_profile",
    )
    state = models.CharField(
        "状态", max_length=16, choices=ProfileState.choices, default=ProfileState.EDITING
    )
    published = models.OneToOneField(
        "Release",
        verbose_name="已发布版本",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="current_of",
    )
    submitted_at = models.DateTimeField("报送时间", null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="报送人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    return_reason = models.CharField("退回理由", max_length=1000, blank=True)
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审核人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    confirmed_at = models.DateTimeField("确认无变化时间", null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="确认人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    leaders: models.Manager[Leader]

    class Meta:
        verbose_name = "机构职能信息"
        verbose_name_plural = "机构职能信息"

    def __str__(self) -> str:
        return f"{self.unit}机构职能信息"

    def missing(self) -> list[str]:
        """What the working copy still lacks, in the words of the check page."""
        gaps = [
            REQUIRED_LABELS[name]
            for name in REQUIRED_PROFILE_FIELDS
            if not visible_text(str(getattr(self, name)))
        ]
        leaders = list(self.leaders.all())
        if not leaders:
            gaps.append("负责人信息")
        for leader in leaders:
            gaps.extend(f"负责人「{leader.name}」的{label}" for label in leader.missing())
        return gaps

    def info_time(self) -> dt.datetime | None:
        """When the published information was last approved or confirmed as still current."""
        if self.published is None:
            return None
        approved = self.published.approved_at
        return max(approved, self.confirmed_at) if self.confirmed_at else approved

    def age_days(self, today: dt.date) -> int | None:
        from django.utils import timezone

        when = self.info_time()
        return None if when is None else (today - timezone.localdate(when)).days

    def is_stale(self, today: dt.date) -> bool:
        age = self.age_days(today)
        return age is not None and age > int(settings.INSTITUTION_STALE_DAYS)

    def editable(self) -> bool:
        return self.state != ProfileState.SUBMITTED


class Leader(LeaderFields):
    profile = models.ForeignKey(
        Profile, verbose_name="机构职能信息", on_delete=models.CASCADE, related_name="leaders"
    )

    class Meta(LeaderFields.Meta):
        verbose_name = "负责人"
        verbose_name_plural = "负责人"

    @property
    def unit_id(self) -> int:
        """The owning unit, so the audit trail files the leader's events under it."""
        return self.profile.unit_id


class Release(ProfileFields):
    """One approved version of a unit's information, never changed after approval."""

    profile = models.ForeignKey(
        Profile, verbose_name="机构职能信息", on_delete=models.CASCADE, related_name="releases"
    )
    number = models.PositiveIntegerField("版本")
    approved_at = models.DateTimeField("审核通过时间")
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审核人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="报送人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    leaders: models.Manager[ReleaseLeader]

    class Meta:
        verbose_name = "机构职能信息发布版本"
        verbose_name_plural = "机构职能信息发布版本"
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["profile", "number"], name="institutions_release_no")
        ]

    def __str__(self) -> str:
        return f"{self.profile.unit}机构职能信息第 {self.number} 版"

    @property
    def unit_id(self) -> int:
        return self.profile.unit_id


class ReleaseLeader(LeaderFields):
    release = models.ForeignKey(
        Release, verbose_name="发布版本", on_delete=models.CASCADE, related_name="leaders"
    )

    class Meta(LeaderFields.Meta):
        verbose_name = "已发布的负责人信息"
        verbose_name_plural = "已发布的负责人信息"
