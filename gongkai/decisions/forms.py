"""Forms of the staff pages. They check shapes and lengths only; the rules live in actions."""

from __future__ import annotations

from typing import Any

from django import forms

from gongkai.consult.models import Consultation
from gongkai.decisions.actions import (
    MAX_NOTE,
    MAX_PLANNED,
    MAX_TITLE,
    MAX_URL,
    CatalogueInput,
    DecisionInput,
    EvaluationInput,
    ItemInput,
)
from gongkai.decisions.models import Item
from gongkai.decisions.planned import FORMS_HINT
from gongkai.units.models import Unit
from gongkai.web.widgets import DateInput


def _date(label: str, required: bool = False) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        widget=DateInput(),
        error_messages={"required": f"请填写{label}", "invalid": f"{label}格式应为 年-月-日"},
    )


def _url(label: str) -> forms.URLField:
    return forms.URLField(
        label=label,
        required=False,
        max_length=MAX_URL,
        assume_scheme="https",
        error_messages={"invalid": f"{label}不是有效的网址"},
    )


def _index(label: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=128,
        help_text="已在政府信息公开栏目发布的文件的索引号",
    )


class NewCatalogueForm(forms.Form):
    year = forms.IntegerField(
        label="年度",
        min_value=2000,
        max_value=2100,
        error_messages={"required": "请填写年度", "invalid": "年度应为四位数字"},
    )
    party_note = forms.CharField(label="党委同意情况", required=False, max_length=300)


class CatalogueForm(forms.Form):
    party_agreed_on = _date("党委同意日期")
    party_note = forms.CharField(
        label="党委同意情况",
        required=False,
        max_length=300,
        help_text="例如：经区委常委会会议研究同意",
    )
    note = forms.CharField(
        label="说明", required=False, max_length=MAX_NOTE, widget=forms.Textarea(attrs={"rows": 3})
    )

    def to_input(self) -> CatalogueInput:
        d = self.cleaned_data
        return CatalogueInput(d["party_agreed_on"], d["party_note"], d["note"])


class ItemForm(forms.Form):
    title = forms.CharField(
        label="决策事项", max_length=MAX_TITLE, error_messages={"required": "请填写决策事项名称"}
    )
    unit = forms.ModelChoiceField(
        label="承办单位",
        queryset=Unit.objects.none(),
        empty_label="请选择",
        error_messages={"required": "请选择承办单位", "invalid_choice": "请选择承办单位"},
    )
    planned_time = forms.CharField(
        label="计划完成时间",
        max_length=MAX_PLANNED,
        help_text=f"写成{FORMS_HINT}等形式",
        error_messages={"required": "请填写计划完成时间"},
    )
    hearing = forms.BooleanField(label="举行听证", required=False)
    basis = forms.CharField(
        label="决策依据和主要内容",
        required=False,
        max_length=MAX_NOTE,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["unit"]
        assert isinstance(field, forms.ModelChoiceField)  # narrows the type for mypy
        field.queryset = units

    @staticmethod
    def initial_of(item: Item) -> dict[str, Any]:
        return {
            "title": item.title,
            "unit": item.unit_id,
            "planned_time": item.planned_time,
            "hearing": item.hearing,
            "basis": item.basis,
        }

    def to_input(self) -> ItemInput:
        d = self.cleaned_data
        return ItemInput(d["title"], d["unit"], d["planned_time"], d["basis"], d["hearing"])


class _ConsultationChoice(forms.ModelChoiceField[Consultation]):
    def label_from_instance(self, obj: Consultation) -> str:
        mark = "" if obj.is_major_decision else "（未标注为重大行政决策）"
        return f"{obj.title}{mark}"


class ConsultationForm(forms.Form):
    consultation = _ConsultationChoice(
        label="预公开的意见征集",
        queryset=Consultation.objects.none(),
        required=False,
        empty_label="（不关联）",
        error_messages={"invalid_choice": "只能选择承办单位的意见征集"},
    )

    def __init__(self, *args: Any, item: Item, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["consultation"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Consultation.objects.filter(unit_id=item.unit_id).order_by(
            "-is_major_decision", "-pk"
        )


class HearingForm(forms.Form):
    hearing_on = _date("听证日期")
    materials_on = _date("听证材料送达日期")


class DecisionForm(forms.Form):
    decided_on = _date("决策日期")
    index_number = _index("决策文件索引号")
    url = _url("决策文件网址")

    def to_input(self) -> DecisionInput:
        d = self.cleaned_data
        return DecisionInput(d["decided_on"], d["index_number"], d["url"])


class EvaluationForm(forms.Form):
    evaluated_on = _date("后评估日期")
    summary = forms.CharField(
        label="后评估情况",
        required=False,
        max_length=MAX_NOTE,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    index_number = _index("后评估报告索引号")
    url = _url("后评估报告网址")
    public = forms.BooleanField(label="后评估结果向社会公开", required=False)

    def to_input(self) -> EvaluationInput:
        d = self.cleaned_data
        return EvaluationInput(
            d["evaluated_on"], d["summary"], d["index_number"], d["url"], d["public"]
        )
