"""Forms of the staff pages: they check shapes (dates, choices, lengths); the rules across
fields and rows are the actions'."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from gongkai.proposals.actions import Registration, Reply
from gongkai.proposals.models import Kind, Level, PublicForm, Result
from gongkai.units.models import Unit, UnitQuerySet
from gongkai.web.widgets import DateInput
from gongkai.work.evidence import ACCEPTED

DATE = DateInput()


class RegistrationForm(forms.Form):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    level = forms.ChoiceField(label="级别", choices=Level.choices)
    kind = forms.ChoiceField(label="类别", choices=Kind.choices)
    number = forms.CharField(label="编号", max_length=32, help_text="如：第0123号")
    title = forms.CharField(label="标题", max_length=200)
    deputies = forms.CharField(
        label="代表、委员", max_length=200, help_text="领衔人及联名人姓名，以顿号分隔"
    )
    unit = forms.ModelChoiceField(label="主办单位", queryset=Unit.objects.none())
    co_units = forms.ModelMultipleChoiceField(
        label="协办单位", queryset=Unit.objects.none(), required=False
    )
    received_on = forms.DateField(label="交办日期", widget=DATE)
    due_on = forms.DateField(
        label="办复期限",
        widget=DATE,
        required=False,
        help_text="按惯例为交办之日起 3 个月内；不填则自动按交办日期加 3 个月计算",
    )

    def __init__(self, *args: Any, units: UnitQuerySet, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_unit = self.fields["unit"]
        field_co = self.fields["co_units"]
        assert isinstance(field_unit, forms.ModelChoiceField)
        assert isinstance(field_co, forms.ModelMultipleChoiceField)
        field_unit.queryset = units
        field_co.queryset = units
        if not self.is_bound and "year" not in self.initial:
            self.initial["year"] = timezone.localdate().year

    def registration(self) -> Registration:
        d = self.cleaned_data
        return Registration(
            year=d["year"],
            level=d["level"],
            kind=d["kind"],
            number=d["number"],
            title=d["title"],
            deputies=d["deputies"],
            unit=d["unit"],
            received_on=d["received_on"],
            due_on=d["due_on"],
            co_units=list(d["co_units"]),
        )


class ReplyForm(forms.Form):
    replied_on = forms.DateField(label="办复日期", widget=DATE)
    result = forms.ChoiceField(label="办理结果", choices=[("", "请选择"), *Result.choices])
    reply_text = forms.CharField(
        label="答复内容", widget=forms.Textarea(attrs={"rows": 8}), required=False
    )
    letter = forms.FileField(
        label="复文文件",
        required=False,
        help_text=f"可选；按文件内容识别格式，接受 {ACCEPTED}。再次上传将替换原文件。",
    )
    disclose = forms.TypedChoiceField(
        label="是否公开",
        choices=[("1", "公开"), ("0", "不公开")],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    withhold_reason = forms.CharField(
        label="不公开的理由",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text="不公开的须写明理由，如涉及国家秘密、商业秘密或个人隐私",
    )
    public_form = forms.ChoiceField(
        label="公开方式", choices=PublicForm.choices, widget=forms.RadioSelect
    )
    summary = forms.CharField(
        label="复文摘要",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text="摘要公开的必填",
    )

    def reply(self) -> Reply:
        d = self.cleaned_data
        return Reply(
            replied_on=d["replied_on"],
            result=d["result"],
            reply_text=d["reply_text"],
            disclose=bool(d["disclose"]),
            withhold_reason=d["withhold_reason"],
            public_form=d["public_form"],
            summary=d["summary"],
        )


class YearForm(forms.Form):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
