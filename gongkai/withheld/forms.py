"""Forms of the staff pages, one per act. They check shape and required fields; the rules live in
actions.py, whose refusals the views show on the same form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from gongkai.units.models import Unit
from gongkai.web.widgets import DateInput
from gongkai.withheld.actions import EntryInput
from gongkai.withheld.models import Basis, Decision, EntryStatus, NegativeEntry

MAX_REASON = 2000


def _unit_field(label: str, empty: str) -> forms.ModelChoiceField[Unit]:
    return forms.ModelChoiceField(
        label=label,
        queryset=Unit.objects.active().order_by("kind", "name"),
        required=False,
        empty_label=empty,
        error_messages={"invalid_choice": "请选择在用的单位"},
    )


class EntryForm(forms.Form):
    title = forms.CharField(label="类别名称", max_length=200)
    basis = forms.ChoiceField(label="依据", choices=Basis.choices)
    basis_text = forms.CharField(
        label="具体依据",
        max_length=300,
        required=False,
        help_text="法律、法规的名称和条款；依据为“其他法律、法规规定”时必填",
    )
    description = forms.CharField(label="范围说明", widget=forms.Textarea(attrs={"rows": 3}))
    examples = forms.CharField(
        label="示例", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    unit = _unit_field("适用单位", "（全机关）")
    effective_on = forms.DateField(label="生效日期", widget=DateInput())
    status = forms.ChoiceField(label="状态", choices=EntryStatus.choices)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.active().order_by("kind", "name")  # type: ignore[attr-defined]  # fresh per form

    @classmethod
    def initial_for(cls, entry: NegativeEntry | None) -> dict[str, Any]:
        if entry is None:
            return {"effective_on": timezone.localdate(), "status": EntryStatus.ACTIVE}
        return {
            "title": entry.title,
            "basis": entry.basis,
            "basis_text": entry.basis_text,
            "description": entry.description,
            "examples": entry.examples,
            "unit": entry.unit_id,
            "effective_on": entry.effective_on,
            "status": entry.status,
        }

    def to_input(self) -> EntryInput:
        d = self.cleaned_data
        return EntryInput(
            title=d["title"],
            basis=d["basis"],
            basis_text=d["basis_text"],
            description=d["description"],
            examples=d["examples"],
            unit=d["unit"],
            effective_on=d["effective_on"],
            status=d["status"],
        )


class OpenCheckForm(forms.Form):
    year = forms.IntegerField(label="自查年度", min_value=2000, max_value=2100)
    unit = _unit_field("自查单位", "（全机关）")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.active().order_by("kind", "name")  # type: ignore[attr-defined]  # fresh per form


class DecideForm(forms.Form):
    decision = forms.ChoiceField(
        label="审查结论",
        choices=[(Decision.KEEP, Decision.KEEP.label), (Decision.MOVE, Decision.MOVE.label)],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label="理由",
        max_length=MAX_REASON,
        required=False,
        help_text="继续不予公开的，写明理由和依据",
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class CloseForm(forms.Form):
    note = forms.CharField(
        label="自查结论（可选）",
        max_length=MAX_REASON,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
