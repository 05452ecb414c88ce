"""What the office edits about the public portal: the site's identifiers shown in the footer,
and the two free-text parts of the 政府信息公开 column (指南 and 制度)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator, URLValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

#: Where every ICP number links to (MIIT's filing register; the link is required).
ICP_REGISTER = "https://beian.miit.gov.cn/"

_web_address = URLValidator(
    schemes=["http", "https"], message="请输入以 http:// 或 https:// 开头的网址"
)
_site_code = RegexValidator(r"^[0-9A-Za-z]{4,32}$", "网站标识码由 4–32 位数字或字母组成")


class SiteIdentity(models.Model):
    """The one row of site identifiers (政府网站页面底部功能区). Empty fields are not shown."""

    #: Always 1: the table holds one row (see `current`).
    id = models.PositiveSmallIntegerField(primary_key=True, default=1, editable=False)
    site_name = models.CharField("网站名称", max_length=100, default="政府信息公开")
    organizer = models.CharField("主办单位", max_length=128, blank=True)
    undertaker = models.CharField("承办单位", max_length=128, blank=True)
    site_code = models.CharField("网站标识码", max_length=32, blank=True, validators=[_site_code])
    icp_number = models.CharField(
        "ICP备案编号", max_length=64, blank=True, help_text="例如：鲁ICP备12345678号-1"
    )
    police_number = models.CharField(
        "公安机关备案号", max_length=64, blank=True, help_text="例如：鲁公网安备37030302000123号"
    )
    police_url = models.CharField(
        "公安机关备案查询网址", max_length=500, blank=True, validators=[_web_address]
    )
    badge_url = models.CharField(
        "党政机关网站标识链接",
        max_length=500,
        blank=True,
        validators=[_web_address],
        help_text="开办者标识的核验地址；为空时不显示标识",
    )
    phone = models.CharField("联系电话", max_length=64, blank=True)
    email = models.EmailField("电子邮箱", max_length=128, blank=True)
    address = models.CharField("通信地址", max_length=200, blank=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "网站标识"
        verbose_name_plural = "网站标识"
        constraints = [models.CheckConstraint(condition=Q(id=1), name="site_identity_single_row")]

    def __str__(self) -> str:
        return self.site_name

    @classmethod
    def current(cls) -> SiteIdentity:
        """The saved row, or an unsaved blank one before the office first saves it."""
        return cls.objects.filter(pk=1).first() or cls()

    @property
    def icp_register(self) -> str:
        return ICP_REGISTER


class ColumnSlug(models.TextChoices):
    GUIDE = "guide", "政府信息公开指南"
    SYSTEM = "system", "政府信息公开制度"


class ColumnPage(models.Model):
    """One editable page of the 政府信息公开 column. Until the office saves it, the page shows
    the template in defaults.py (with 【…】 placeholders to replace)."""

    slug = models.CharField("栏目", max_length=16, choices=ColumnSlug.choices, unique=True)
    title = models.CharField("标题", max_length=200)
    #: Sanitised HTML (gongkai.publishing.sanitize.clean_html), cleaned again when shown.
    body_html = models.TextField("正文")
    #: The date shown on the page as 更新日期; the office sets it when the content changes.
    updated_on = models.DateField("更新日期", default=timezone.localdate)
    updated_at = models.DateTimeField("修改时间", auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "公开栏目页面"
        verbose_name_plural = "公开栏目页面"

    def __str__(self) -> str:
        return self.title

    @property
    def saved(self) -> bool:
        return self.pk is not None

    @classmethod
    def current(cls, slug: str) -> ColumnPage:
        """The saved page, or an unsaved one holding the default template (no date)."""
        from gongkai.portal.defaults import DEFAULT_PAGES

        found = cls.objects.filter(slug=slug).first()
        if found is not None:
            return found
        title, body = DEFAULT_PAGES[ColumnSlug(slug)]
        return cls(slug=slug, title=title, body_html=body)
