"""The office's forms: site identifiers, and the 指南 / 制度 pages."""

from __future__ import annotations

from django import forms

from gongkai.portal.actions import IDENTITY_FIELDS
from gongkai.portal.models import SiteIdentity
from gongkai.publishing.sanitize import MAX_HTML
from gongkai.web.widgets import DateInput


class IdentityForm(forms.ModelForm[SiteIdentity]):
    class Meta:
        model = SiteIdentity
        fields = IDENTITY_FIELDS


class PageForm(forms.Form):
    title = forms.CharField(label="标题", max_length=200)
    body_html = forms.CharField(
        label="正文（HTML）",
        max_length=MAX_HTML,
        widget=forms.Textarea(attrs={"rows": 28, "cols": 100, "spellcheck": "false"}),
        help_text=(
            "可使用段落、标题（h2–h4）、列表、表格、加粗和链接；脚本、样式、图片和事件属性"
            "在保存时会被去除。"
        ),
    )
    updated_on = forms.DateField(
        label="更新日期",
        widget=DateInput(),
        help_text="公开页面上显示的更新日期",
    )
