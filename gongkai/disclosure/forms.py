"""Forms of the register's staff pages and API: registering, the office's review, appeals, and
the date and text fields the forms of the acts on a request (steps.py) share."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone

from gongkai.disclosure import actions
from gongkai.disclosure.models import (
    Appeal,
    AppealKind,
    AppealResult,
    ApplicantType,
    DeliveryWanted,
    FormWanted,
    Request,
    RequestChannel,
)
from gongkai.files.fields import MultipleFileField, MultipleFileInput
from gongkai.units.models import Unit
from gongkai.web.widgets import DateInput


class DayField(forms.DateField):
    """A date that has happened: an event is recorded when it took place, never ahead."""

    widget = DateInput()
    default_error_messages = {"invalid": "日期格式应为 YYYY-MM-DD"}

    def __init__(self, label: str = "日期", *, past: bool = True, **kwargs: Any) -> None:
        self.past = past
        kwargs.setdefault("error_messages", {"required": f"请填写{label}"})
        super().__init__(label=label, **kwargs)

    def clean(self, value: Any) -> dt.date | None:
        day: dt.date | None = super().clean(value)
        if day is not None and self.past and day > timezone.localdate():
            raise forms.ValidationError(f"{self.label}不能晚于今天")
        return day


def text_field(label: str, *, required: bool = True, rows: int = 0, max_length: int = 500) -> Any:
    widget = forms.Textarea(attrs={"rows": rows}) if rows else None
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length if not rows else None,
        widget=widget,
        error_messages={"required": f"请填写{label}"},
    )


# -- registering -----------------------------------------------------------------------------


class RegisterForm(forms.Form):
    unit = forms.ModelChoiceField(
        label="办理单位",
        queryset=Unit.objects.none(),
        error_messages={"required": "请选择办理单位", "invalid_choice": "请选择办理单位"},
    )
    applicant_type = forms.ChoiceField(label="申请人类型", choices=ApplicantType.choices)
    applicant_name = text_field("申请人姓名或名称", max_length=128)
    id_number = text_field("身份证件号码或统一社会信用代码", required=False, max_length=64)
    contact_phone = text_field("联系电话", required=False, max_length=64)
    email = forms.EmailField(
        label="电子邮箱", required=False, error_messages={"invalid": "电子邮箱格式不正确"}
    )
    address = text_field("通信地址", required=False, max_length=256)
    description = text_field("所需政府信息的名称、文号或便于查询的其他特征性描述", rows=5)
    form_wanted = forms.ChoiceField(label="获取信息的载体形式", choices=FormWanted.choices)
    delivery_wanted = forms.ChoiceField(label="获取信息的方式", choices=DeliveryWanted.choices)
    channel = forms.ChoiceField(label="申请渠道", choices=RequestChannel.choices)
    arrived_on = DayField("到达日期")
    confirmed_on = DayField("双方确认日期", required=False)
    contact_restored_on = DayField("恢复联系日期", required=False)
    attachments = MultipleFileField(
        label="申请材料（pdf、docx、xlsx、jpg、png，可多选）",
        required=False,
        widget=MultipleFileInput(attrs={"accept": ".pdf,.docx,.xlsx,.jpg,.jpeg,.png"}),
    )

    def __init__(self, *args: Any, units: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["unit"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = units if units is not None else Unit.objects.active().order_by("name")

    def to_input(self) -> actions.RequestInput:
        c = self.cleaned_data
        return actions.RequestInput(
            applicant_type=c["applicant_type"],
            applicant_name=c["applicant_name"],
            description=c["description"],
            channel=c["channel"],
            arrived_on=c["arrived_on"],
            unit=c["unit"],
            id_number=c["id_number"],
            contact_phone=c["contact_phone"],
            email=c["email"],
            address=c["address"],
            form_wanted=c["form_wanted"],
            delivery_wanted=c["delivery_wanted"],
            confirmed_on=c["confirmed_on"],
            contact_restored_on=c["contact_restored_on"],
        )


# -- review and appeals -----------------------------------------------------------------------


class ReviewDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="审核结论",
        choices=[("approve", "通过"), ("return", "退回修改")],
        error_messages={"required": "请选择审核结论"},
    )
    comment = text_field("审核意见（退回时必填）", required=False, rows=3)


class AppealForm(forms.Form):
    kind = forms.ChoiceField(label="类型", choices=AppealKind.choices)
    filed_on = DayField("申请（起诉）日期")
    tracking_no = forms.CharField(label="关联申请编号", required=False, max_length=32)
    unit = forms.ModelChoiceField(
        label="被申请（被诉）单位（未关联申请时填写）",
        queryset=Unit.objects.order_by("name"),
        required=False,
    )
    follows = forms.ModelChoiceField(
        label="前置复议（复议后起诉时选择）",
        queryset=Appeal.objects.filter(kind=AppealKind.RECONSIDERATION).order_by("-filed_on"),
        required=False,
    )
    body = text_field("复议机关或法院", required=False, max_length=200)
    case_no = text_field("案号", required=False, max_length=100)
    result = forms.ChoiceField(label="结果", choices=AppealResult.choices)
    decided_on = DayField("审结日期", required=False)
    note = text_field("说明", required=False, rows=3)

    def clean(self) -> dict[str, Any]:
        c = super().clean() or {}
        number = (c.get("tracking_no") or "").strip().upper()
        c["request"] = None
        if number:
            found = Request.objects.select_related("unit").filter(tracking_no=number).first()
            if found is None:
                self.add_error("tracking_no", f"没有找到申请编号为 {number} 的申请")
            c["request"] = found
        elif not c.get("unit") and "unit" not in self.errors:
            self.add_error("unit", "请填写关联申请编号，或选择被申请（被诉）单位")
        return c

    def to_input(self) -> actions.AppealInput:
        c = self.cleaned_data
        request = c["request"]
        return actions.AppealInput(
            kind=c["kind"],
            filed_on=c["filed_on"],
            unit=request.unit if request else c["unit"],
            request=request,
            follows=c["follows"],
            body=c["body"],
            case_no=c["case_no"],
            result=c["result"],
            decided_on=c["decided_on"],
            note=c["note"],
        )

    @classmethod
    def initial_of(cls, appeal: Appeal) -> dict[str, Any]:
        return {
            "kind": appeal.kind,
            "filed_on": appeal.filed_on,
            "tracking_no": appeal.request.tracking_no if appeal.request else "",
            "unit": appeal.unit_id,
            "follows": appeal.follows_id,
            "body": appeal.body,
            "case_no": appeal.case_no,
            "result": appeal.result,
            "decided_on": appeal.decided_on,
            "note": appeal.note,
        }
