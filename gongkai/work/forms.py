"""Forms of the work pages."""

from __future__ import annotations

from django import forms

from gongkai.files.fields import MultipleFileField, MultipleFileInput
from gongkai.units.models import Unit
from gongkai.work.models import Progress


class ReportForm(forms.Form):
    status = forms.ChoiceField(label="进展状态", choices=Progress.choices)
    text = forms.CharField(
        label="进展情况", required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    na_reason = forms.CharField(
        label="不适用理由", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    urls = forms.CharField(
        label="佐证链接（每行一个）",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "https://www.example.gov.cn/…"}),
    )
    evidence_files = MultipleFileField(
        label="佐证文件（pdf、docx、xlsx、jpg、png）",
        required=False,
        widget=MultipleFileInput(attrs={"accept": ".pdf,.docx,.xlsx,.jpg,.jpeg,.png"}),
    )

    def url_list(self) -> list[str]:
        return [
            line.strip() for line in self.cleaned_data.get("urls", "").splitlines() if line.strip()
        ]


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(choices=[("accept", "通过"), ("return", "退回")])
    comment = forms.CharField(
        label="审核意见", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class AddAssignmentForm(forms.Form):
    unit = forms.ModelChoiceField(label="单位", queryset=Unit.objects.active().order_by("name"))
    lead = forms.BooleanField(label="牵头", required=False)
    note = forms.CharField(label="说明", required=False, max_length=300)


class RemoveAssignmentForm(forms.Form):
    reason = forms.CharField(label="理由", max_length=300)


class MoveAssignmentForm(forms.Form):
    unit = forms.ModelChoiceField(label="调整为", queryset=Unit.objects.active().order_by("name"))
    reason = forms.CharField(label="理由", required=False, max_length=300)
