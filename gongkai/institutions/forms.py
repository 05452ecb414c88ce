"""Forms of the staff pages. The photo is checked by its content in photos.py, not here."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.core.validators import URLValidator

from gongkai.institutions.models import LEADER_FIELDS, PROFILE_FIELDS, Leader, Profile
from gongkai.institutions.photos import MAX_UPLOAD_BYTES

_MONTH = re.compile(r"^\s*(\d{4})\s*(?:-|/|\.|年)\s*(\d{1,2})\s*月?\s*$")


#: Caps on the free-text fields the model leaves unbounded (a pasted document is not a list of
#: bodies; the portal page must stay readable).
MAX_BODIES = 3000
MAX_DUTIES = 2000


class ProfileForm(forms.ModelForm[Profile]):
    bodies = forms.CharField(
        label="机构设置",
        required=False,
        max_length=MAX_BODIES,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="内设机构，每行一个",
    )
    functions_html = forms.CharField(
        label="主要职能",
        required=False,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text="可直接输入文字（空行分段），也可粘贴网页内容；保存时自动清除不安全的代码",
    )
    website = forms.URLField(
        label="网址",
        required=False,
        assume_scheme="https",
        validators=[
            URLValidator(schemes=["http", "https"], message="网址应以 http:// 或 https:// 开头")
        ],
    )

    class Meta:
        model = Profile
        fields = list(PROFILE_FIELDS)


class MonthField(forms.CharField):
    """出生年月 as typed (1975-03, 1975年3月) or sent by <input type=month>: the first day."""

    widget = forms.TextInput(attrs={"type": "month", "placeholder": "1975-03"})

    def clean(self, value: Any) -> dt.date | None:
        text = super().clean(value)
        if not text:
            return None
        found = _MONTH.match(text)
        if not found or not 1 <= int(found[2]) <= 12 or not 1900 <= int(found[1]) <= 2100:
            raise forms.ValidationError("出生年月的格式应为“1975-03”")
        return dt.date(int(found[1]), int(found[2]), 1)

    def prepare_value(self, value: Any) -> Any:
        return f"{value:%Y-%m}" if isinstance(value, dt.date) else value


class LeaderForm(forms.ModelForm[Leader]):
    duties = forms.CharField(
        label="分工",
        required=False,
        max_length=MAX_DUTIES,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    born = MonthField(label="出生年月", required=False)
    order = forms.IntegerField(
        label="排序", required=False, min_value=0, max_value=999, help_text="数字小的排在前面"
    )
    photo_file = forms.FileField(
        label="照片",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        help_text=f"JPG、PNG 或 WebP 格式，不超过 {MAX_UPLOAD_BYTES // (1024 * 1024)} MB；"
        "保存时重新生成图片并去除拍摄信息",
    )

    class Meta:
        model = Leader
        fields = [name for name in LEADER_FIELDS if name != "photo"]

    def photo_bytes(self) -> bytes | None:
        upload = self.cleaned_data.get("photo_file")
        if not upload:
            return None
        if upload.size > MAX_UPLOAD_BYTES:
            # photos.py refuses it by its size; no need to read it all.
            return bytes(upload.read(MAX_UPLOAD_BYTES + 1))
        return bytes(upload.read())


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label="审核结果", choices=[("approve", "通过并发布"), ("return", "退回修改")]
    )
    reason = forms.CharField(
        label="退回理由", required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == "return" and not (data.get("reason") or "").strip():
            self.add_error("reason", "退回时请写明退回理由")
        return data
