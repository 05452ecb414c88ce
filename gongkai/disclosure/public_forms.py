"""The forms of the public pages: the application (Art. 29) and the status lookup.

The application asks for what Art. 29 lists: who is applying, with identity proof and a way to
reach them; what information is wanted; and in what form and how it should be delivered. The
field `website` is a trap for robots (hidden from people; see views/public.py).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Case, Value, When

from gongkai.disclosure.actions import MAX_DESCRIPTION, RequestInput
from gongkai.disclosure.models import (
    ApplicantType,
    DeliveryWanted,
    FormWanted,
    RequestChannel,
)
from gongkai.files.fields import MultipleFileField
from gongkai.units.models import Unit, UnitKind

MAX_FILES = 5
HONEYPOT = "website"

#: 自然人, then the five kinds of 法人或其他组织 as one group (Table 三's applicant columns).
APPLICANT_CHOICES: list[Any] = [
    ("", "请选择"),
    (ApplicantType.PERSON.value, ApplicantType.PERSON.label),
    (
        "法人或其他组织",
        [(t.value, t.label) for t in ApplicantType if t != ApplicantType.PERSON],
    ),
]


def unit_choices() -> Any:
    """Active units, the government (its office) first."""
    first = Case(When(kind=UnitKind.GOVERNMENT, then=Value(0)), default=Value(1))
    return Unit.objects.active().annotate(order=first).order_by("order", "name")


def default_unit() -> Unit | None:
    return Unit.objects.active().filter(kind=UnitKind.GOVERNMENT).order_by("name", "pk").first()


class ApplicationForm(forms.Form):
    applicant_type = forms.ChoiceField(
        label="申请人类型",
        choices=APPLICANT_CHOICES,
        error_messages={"required": "请选择申请人类型", "invalid_choice": "请选择申请人类型"},
    )
    applicant_name = forms.CharField(
        label="姓名或名称",
        max_length=128,
        help_text="自然人填写姓名；法人或其他组织填写全称。",
        error_messages={"required": "请填写姓名或名称"},
    )
    id_number = forms.CharField(
        label="身份证件号码或统一社会信用代码",
        max_length=64,
        help_text="自然人填写身份证件号码；法人或其他组织填写统一社会信用代码。",
        error_messages={"required": "请填写身份证件号码或统一社会信用代码"},
    )
    contact_phone = forms.CharField(label="联系电话", max_length=64, required=False)
    email = forms.EmailField(
        label="电子邮箱",
        max_length=254,
        required=False,
        error_messages={"invalid": "请填写有效的电子邮箱地址"},
    )
    address = forms.CharField(label="通信地址", max_length=256, required=False)
    description = forms.CharField(
        label="所需政府信息的名称、文号或其他特征性描述",
        max_length=MAX_DESCRIPTION,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="请尽量写明文件名称、文号、形成时间或其他便于查找的特征。",
        error_messages={"required": "请填写所需政府信息的名称、文号或其他特征性描述"},
    )
    form_wanted = forms.ChoiceField(
        label="获取信息的载体形式",
        choices=FormWanted.choices,
        initial=FormWanted.ELECTRONIC,
        widget=forms.RadioSelect,
        error_messages={"required": "请选择载体形式", "invalid_choice": "请选择载体形式"},
    )
    delivery_wanted = forms.ChoiceField(
        label="获取信息的方式",
        choices=DeliveryWanted.choices,
        initial=DeliveryWanted.EMAIL,
        widget=forms.RadioSelect,
        error_messages={"required": "请选择获取方式", "invalid_choice": "请选择获取方式"},
    )
    unit = forms.ModelChoiceField(
        label="受理机关",
        queryset=Unit.objects.none(),
        empty_label="请选择",
        error_messages={"required": "请选择受理机关", "invalid_choice": "请选择受理机关"},
    )
    attachments = MultipleFileField(
        label="附件（可选）",
        required=False,
        max_files=MAX_FILES,
        help_text=f"如身份证明、营业执照复印件等，最多 {MAX_FILES} 个；"
        "接受 PDF、Word（docx）、Excel（xlsx）、JPG、PNG。",
    )
    consent = forms.BooleanField(
        label="本人（本单位）承诺以上所填信息真实有效，并知悉申请将依照"
        "《中华人民共和国政府信息公开条例》办理。",
        error_messages={"required": "请确认所填信息真实有效"},
    )
    website = forms.CharField(required=False, max_length=200)

    def __init__(self, *args: Any, max_mb: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit_field = self.fields["unit"]
        assert isinstance(unit_field, forms.ModelChoiceField)
        unit_field.queryset = unit_choices()
        if not self.is_bound:
            unit_field.initial = default_unit()
        if max_mb:
            self.fields["attachments"].help_text += f"每个文件不超过 {max_mb} MB。"
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})

    @property
    def honeypot_filled(self) -> bool:
        return bool(self.data.get(HONEYPOT, "").strip())

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        phone, email, address = (data.get(k, "") for k in ("contact_phone", "email", "address"))
        if "email" not in self.errors and not (phone or email or address):
            self.add_error("contact_phone", "请至少填写一种联系方式（电话、电子邮箱或通信地址）")
        delivery = data.get("delivery_wanted")
        if delivery == DeliveryWanted.EMAIL and not email and "email" not in self.errors:
            self.add_error("email", "选择以电子邮件获取信息时，请填写电子邮箱")
        if delivery == DeliveryWanted.POST and not address:
            self.add_error("address", "选择邮寄时，请填写通信地址")
        if delivery == DeliveryWanted.FAX and not phone:
            self.add_error("contact_phone", "选择传真时，请填写联系电话（传真号码）")
        return data

    def to_input(self, today: Any) -> RequestInput:
        """The application as the register's input: online, arrived today, not yet confirmed."""
        data = self.cleaned_data
        return RequestInput(
            applicant_type=data["applicant_type"],
            applicant_name=data["applicant_name"],
            description=data["description"],
            channel=RequestChannel.ONLINE,
            arrived_on=today,
            unit=data["unit"],
            id_number=data["id_number"],
            contact_phone=data["contact_phone"],
            email=data["email"],
            address=data["address"],
            form_wanted=data["form_wanted"],
            delivery_wanted=data["delivery_wanted"],
        )


class LookupForm(forms.Form):
    tracking_no = forms.CharField(
        label="申请编号",
        max_length=32,
        help_text="提交申请后显示的编号，如 YSQ-2025-00042。",
        error_messages={"required": "请填写申请编号"},
    )
    secret = forms.CharField(
        label="查询码",
        max_length=64,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "off"}
        ),
        help_text="与申请编号一同显示的查询码，区分大小写。",
        error_messages={"required": "请填写查询码"},
    )
