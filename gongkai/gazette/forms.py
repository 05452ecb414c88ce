"""Forms of the staff pages and the public search box. They check shapes and lengths only;
the rules live in actions."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from gongkai.gazette.actions import (
    MAX_DOC_NUMBER,
    MAX_HOW,
    MAX_ITEMS,
    MAX_NOTE,
    MAX_REASON,
    MAX_SECTION,
    MAX_TITLE,
    InfoInput,
    IssueInput,
    ItemInput,
)
from gongkai.gazette.models import GazetteInfo, Issue
from gongkai.publishing.models import DocState, Document
from gongkai.web.widgets import DateInput


def _int(label: str, *, required: bool = True, low: int = 1, high: int = 9999) -> forms.Field:
    return forms.IntegerField(
        label=label,
        required=required,
        min_value=low,
        max_value=high,
        error_messages={
            "required": f"请填写{label}",
            "invalid": f"{label}须为整数",
            "min_value": f"{label}不能小于 {low}",
            "max_value": f"{label}不能大于 {high}",
        },
    )


class IssueForm(forms.Form):
    year = _int("年份", low=1949)
    number = _int("期号（第N期）")
    total_number = _int("总期号（总第N期，可不填）", required=False, high=999_999)
    published_on = forms.DateField(
        label="出版日期",
        widget=DateInput(),
        error_messages={"required": "请填写出版日期", "invalid": "出版日期格式应为 年-月-日"},
    )
    note = forms.CharField(
        label="本期说明（可不填）",
        required=False,
        max_length=MAX_NOTE,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    @classmethod
    def blank(cls) -> IssueForm:
        """The next issue of this year, dated today."""
        today = timezone.localdate()
        last = Issue.objects.filter(year=today.year).order_by("-number").first()
        latest_total = Issue.objects.exclude(total_number=None).order_by("-total_number").first()
        initial: dict[str, Any] = {
            "year": today.year,
            "number": last.number + 1 if last else 1,
            "published_on": today,
        }
        if latest_total is not None and latest_total.total_number:
            initial["total_number"] = latest_total.total_number + 1
        return cls(initial=initial)

    @classmethod
    def of(cls, issue: Issue) -> IssueForm:
        return cls(
            initial={
                "year": issue.year,
                "number": issue.number,
                "total_number": issue.total_number,
                "published_on": issue.published_on,
                "note": issue.note,
            }
        )

    def to_input(self) -> IssueInput:
        d = self.cleaned_data
        return IssueInput(
            year=d["year"],
            number=d["number"],
            published_on=d["published_on"],
            total_number=d["total_number"],
            note=d["note"],
        )


class ItemForm(forms.Form):
    section = forms.CharField(
        label="栏目",
        max_length=MAX_SECTION,
        error_messages={"required": "请填写栏目，例如：市政府文件"},
        widget=forms.TextInput(attrs={"list": "gazette-sections"}),
    )
    title = forms.CharField(
        label="标题",
        required=False,
        max_length=MAX_TITLE,
        help_text="关联已发布文件时可不填，默认取该文件的标题。",
    )
    doc_number = forms.CharField(
        label="文号", required=False, max_length=MAX_DOC_NUMBER, help_text="例如：泰政发〔2026〕1号"
    )
    index_number = forms.CharField(
        label="关联已发布文件（索引号）",
        required=False,
        max_length=128,
        help_text="填写政府信息的索引号；或在下面上传 PDF（二者选一）。",
    )
    file = forms.FileField(
        label="上传 PDF",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )
    position = _int("序号（可不填，默认排在最后）", required=False, high=MAX_ITEMS)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        number = (data.get("index_number") or "").strip()
        data["document"] = None
        if number:
            found = Document.objects.filter(index_number=number, state=DocState.PUBLISHED).first()
            if found is None:
                self.add_error("index_number", f"没有找到索引号为「{number}」的已发布政府信息")
            data["document"] = found
        if number and data.get("file"):
            raise forms.ValidationError("关联已发布文件和上传 PDF 只能二选一")
        if not number and not data.get("file") and not self.errors:
            raise forms.ValidationError("请填写已发布文件的索引号，或上传一个 PDF 文件")
        return data

    def to_input(self) -> ItemInput:
        d = self.cleaned_data
        return ItemInput(
            section=d["section"],
            title=d["title"],
            doc_number=d["doc_number"],
            document=d["document"],
            position=d["position"],
        )


class IssuePdfForm(forms.Form):
    file = forms.FileField(
        label="整期 PDF",
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
        error_messages={"required": "请选择要上传的 PDF 文件", "empty": "上传的文件是空的"},
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label="撤回理由",
        max_length=MAX_REASON,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "请填写撤回发布的理由"},
    )


class InfoForm(forms.Form):
    address = forms.CharField(label="赠阅点地址", required=False, max_length=300)
    phone = forms.CharField(label="联系电话", required=False, max_length=64)
    hours = forms.CharField(
        label="开放时间", required=False, max_length=200, help_text="例如：工作日 9:00—17:00"
    )
    how_to_obtain = forms.CharField(
        label="获取方式",
        required=False,
        max_length=MAX_HOW,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="例如：公众可到赠阅点免费领取纸质公报，也可在本网站按期查阅和下载电子版。",
    )

    @classmethod
    def of(cls, info: GazetteInfo) -> InfoForm:
        return cls(
            initial={
                "address": info.address,
                "phone": info.phone,
                "hours": info.hours,
                "how_to_obtain": info.how_to_obtain,
            }
        )

    def to_input(self) -> InfoInput:
        return InfoInput(**self.cleaned_data)
