"""Forms of the staff pages (one per act) and of the public pages (the question, the lookup).

The forms check shape and required fields; the rules live in actions.py, whose refusals the
views show on the same form. The public form's `website` field is a trap for robots, hidden
from people (see views/public.py).
"""

from __future__ import annotations

from typing import Any

from django import forms

from gongkai.interact.actions import (
    MAX_BODY,
    MAX_CONTACT,
    MAX_NAME,
    MAX_NOTE,
    MAX_REPLY,
    MAX_TITLE,
    AskInput,
    QuestionRejected,
    clean_contact,
)
from gongkai.interact.models import InvalidReason
from gongkai.units.models import Unit

HONEYPOT = "website"


def _units() -> Any:
    return Unit.objects.active().order_by("kind", "name")


def _unit_field() -> forms.ModelChoiceField[Unit]:
    return forms.ModelChoiceField(
        label="办理单位",
        queryset=_units(),
        empty_label="请选择",
        error_messages={"required": "请选择办理单位", "invalid_choice": "请选择在用的办理单位"},
    )


# -- staff ------------------------------------------------------------------------------------


class RouteForm(forms.Form):
    unit = _unit_field()
    simple = forms.BooleanField(
        label="简单咨询（答复期限较短）", required=False, help_text="政策咨询等可简短答复的留言"
    )
    note = forms.CharField(label="分办说明（可选）", max_length=MAX_NOTE, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = _units()  # type: ignore[attr-defined]  # fresh per form


class TransferForm(forms.Form):
    unit = _unit_field()
    simple = forms.BooleanField(label="简单咨询", required=False)
    reason = forms.CharField(
        label="转办理由",
        max_length=MAX_NOTE,
        error_messages={"required": "请填写转办理由"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = _units()  # type: ignore[attr-defined]  # fresh per form


class GiveBackForm(forms.Form):
    reason = forms.CharField(
        label="退回理由",
        max_length=MAX_NOTE,
        help_text="说明该留言为何不属于本单位职责，以及可能的承办单位",
        error_messages={"required": "请填写退回理由"},
    )


class RejectForm(forms.Form):
    reason = forms.ChoiceField(
        label="无效原因",
        choices=[("", "请选择"), *InvalidReason.choices],
        error_messages={"required": "请选择无效原因", "invalid_choice": "请选择无效原因"},
    )
    note = forms.CharField(
        label="说明",
        max_length=MAX_NOTE,
        required=False,
        help_text="重复留言请写明此前留言的编号",
    )


class DraftForm(forms.Form):
    reply = forms.CharField(
        label="答复内容",
        max_length=MAX_REPLY,
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
    )
    #: Which button was pressed: keep the draft, or file it with the office.
    intent = forms.ChoiceField(choices=[("save", "保存草稿"), ("submit", "报送审核")])


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label="审核结果",
        choices=[("approve", "审核通过"), ("return", "退回修改")],
        widget=forms.RadioSelect,
        error_messages={"required": "请选择审核结果", "invalid_choice": "请选择审核结果"},
    )
    comment = forms.CharField(
        label="审核意见",
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="退回时必填",
    )
    #: The review round the reviewer saw (a newer draft makes the decision stale).
    round = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class OverrideForm(forms.Form):
    reason = forms.CharField(
        label="放行理由",
        max_length=MAX_NOTE,
        help_text="例如：所列电话为单位公开的办公电话",
        error_messages={"required": "请填写放行理由"},
    )


# -- public -----------------------------------------------------------------------------------


class AskForm(forms.Form):
    asker_name = forms.CharField(label="姓名（可不填）", max_length=MAX_NAME, required=False)
    contact = forms.CharField(
        label="联系方式",
        max_length=MAX_CONTACT,
        help_text="手机号码、固定电话或电子邮箱，仅用于工作人员与您联系，不会公开。",
        error_messages={"required": "请填写联系方式"},
    )
    title = forms.CharField(
        label="标题",
        max_length=MAX_TITLE,
        error_messages={"required": "请填写标题"},
    )
    body = forms.CharField(
        label="留言内容",
        max_length=MAX_BODY,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=f"不超过 {MAX_BODY} 字。请勿填写身份证号码等个人信息。",
        error_messages={"required": "请填写留言内容"},
    )
    agree_publish = forms.BooleanField(
        label="同意在网站公开我的留言和答复（不公开姓名和联系方式）", required=False
    )
    website = forms.CharField(required=False, max_length=200)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})
        for name in ("title", "contact"):
            self.fields[name].widget.attrs["required"] = True
        for name, field in self.fields.items():
            if isinstance(field, forms.CharField) and field.max_length and name != HONEYPOT:
                field.error_messages["max_length"] = f"{field.label}不能超过 {field.max_length} 字"

    @property
    def honeypot_filled(self) -> bool:
        return bool(str(self.data.get(HONEYPOT, "")).strip())

    def clean_contact(self) -> str:
        try:
            return clean_contact(self.cleaned_data["contact"])
        except QuestionRejected as exc:
            raise forms.ValidationError(str(exc)) from None

    def to_input(self) -> AskInput:
        data = self.cleaned_data
        return AskInput(
            contact=data["contact"],
            title=data["title"],
            body=data["body"],
            agree_publish=bool(data["agree_publish"]),
            asker_name=data["asker_name"],
        )


class LookupForm(forms.Form):
    tracking_no = forms.CharField(
        label="留言编号",
        max_length=32,
        help_text="提交留言后显示的编号，如 HD-2026-00042。",
        error_messages={"required": "请填写留言编号"},
    )
    secret = forms.CharField(
        label="查询码",
        max_length=64,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "off"}
        ),
        help_text="与留言编号一同显示的查询码，区分大小写。",
        error_messages={"required": "请填写查询码"},
    )
