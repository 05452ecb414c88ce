"""Forms of the staff pages. They check shapes and lengths only; the rules live in actions."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django import forms

from gongkai.newmedia.actions import AccountInput
from gongkai.newmedia.models import Account, AccountStatus, Platform
from gongkai.units.models import Unit
from gongkai.web.widgets import DateInput


def _date(label: str) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        widget=DateInput(),
        error_messages={"invalid": f"{label}格式应为 年-月-日"},
    )


class AccountForm(forms.Form):
    unit = forms.ModelChoiceField(
        label="主办单位",
        queryset=Unit.objects.none(),
        empty_label="请选择",
        error_messages={"required": "请选择主办单位", "invalid_choice": "请选择主办单位"},
    )
    platform = forms.ChoiceField(
        label="平台",
        choices=Platform.choices,
        error_messages={"required": "请选择平台", "invalid_choice": "请选择列出的平台"},
    )
    name = forms.CharField(
        label="账号名称",
        max_length=100,
        error_messages={
            "required": "请填写账号名称",
            "max_length": "账号名称不能超过 %(limit_value)d 个字",
        },
    )
    url = forms.CharField(
        label="主页或订阅地址",
        required=False,
        max_length=500,
        help_text=(
            "账号主页、RSS/Atom 订阅或列出发布日期的网页；填写后每天自动读取一次最近发布日期。"
        ),
        error_messages={"max_length": "地址不能超过 %(limit_value)d 个字符"},
    )
    filed_on = _date("备案日期")
    status = forms.ChoiceField(
        label="状态", choices=AccountStatus.choices, initial=AccountStatus.OPEN
    )
    closed_on = _date("关停日期")
    interactive = forms.BooleanField(
        label="提供有效互动功能（留言、私信、评论回复等）", required=False, initial=True
    )
    notes = forms.CharField(
        label="备注",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": "备注不能超过 %(limit_value)d 个字"},
    )

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["unit"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = units

    def clean_url(self) -> str:
        value = str(self.cleaned_data.get("url", "")).strip()
        if not value:
            return ""
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise forms.ValidationError("请填写以 http:// 或 https:// 开头的完整网址")
        return value

    @classmethod
    def initial_of(cls, a: Account) -> dict[str, Any]:
        return {
            "unit": a.unit_id,
            "platform": a.platform,
            "name": a.name,
            "url": a.url,
            "filed_on": a.filed_on,
            "status": a.status,
            "closed_on": a.closed_on,
            "interactive": a.interactive,
            "notes": a.notes,
        }

    def to_input(self) -> AccountInput:
        d = self.cleaned_data
        return AccountInput(
            platform=d["platform"],
            name=d["name"],
            unit=d["unit"],
            url=d["url"],
            filed_on=d["filed_on"],
            status=d["status"],
            closed_on=d["closed_on"],
            interactive=bool(d["interactive"]),
            notes=d["notes"],
        )


class PostForm(forms.Form):
    last_post_on = forms.DateField(
        label="最近发布日期",
        required=False,
        widget=DateInput(),
        help_text="在账号上看到的最近一次发布的日期；留空则清除手工登记的日期。",
        error_messages={"invalid": "最近发布日期格式应为 年-月-日"},
    )
