"""Forms of the annual report pages."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from gongkai.reports.build import FROM_REGISTER
from gongkai.reports.tables import SECTIONS, TABLE2, TABLE2_DECIMAL, TEXT_SECTIONS
from gongkai.units.models import Unit

#: Shown on the register's cells of the Table 二 form.
REGISTER_NOTE = "取自政府信息登记簿，不可填报"
#: The first 条例 took effect on 2008-05-01.
FIRST_YEAR, LAST_YEAR = 2008, 2100


class CreateForm(forms.Form):
    year = forms.IntegerField(label="年度", min_value=FIRST_YEAR, max_value=LAST_YEAR)
    unit = forms.ModelChoiceField(
        Unit.objects.order_by("kind", "name"),
        label="单位",
        required=False,
        empty_label="（全部单位：本级政府年度报告）",
    )
    include_children = forms.BooleanField(label="含下级单位的数据", required=False)


class PreviewForm(CreateForm):
    """The same choice, read from the query string of the preview page."""


class SectionsForm(forms.Form):
    """Sections 一, 五 and 六; a field left empty means: use the pre-filled text."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        titles = dict(SECTIONS)
        for number in TEXT_SECTIONS:
            self.fields[number] = forms.CharField(
                label=f"{number}、{titles[number]}",
                required=False,
                widget=forms.Textarea(attrs={"rows": 10}),
            )


def table2_field(key: str, field: str) -> str:
    return f"{key}__{field}"


class Table2Form(forms.Form):
    """The 10 cells of Table 二: counts of 件, and the fee in 万元 (up to 4 decimals). The 规章
    and 行政规范性文件 cells come from the document register: shown, disabled, never saved."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for block in TABLE2:
            for key, label in block.rows:
                for field, column in zip(block.fields, block.columns, strict=True):
                    name = table2_field(key, field)
                    if key in FROM_REGISTER:
                        self.fields[name] = forms.IntegerField(
                            label=f"{label}：{column}（{REGISTER_NOTE}）",
                            required=False,
                            disabled=True,
                        )
                    elif (key, field) == TABLE2_DECIMAL:
                        self.fields[name] = forms.DecimalField(
                            label=f"{label}：{column}",
                            min_value=Decimal(0),
                            max_digits=14,
                            decimal_places=4,
                            initial=Decimal(0),
                        )
                    else:
                        self.fields[name] = forms.IntegerField(
                            label=f"{label}：{column}", min_value=0, initial=0
                        )

    @staticmethod
    def initial_from(table2: dict[str, Any]) -> dict[str, Any]:
        return {
            table2_field(key, field): value
            for key, values in table2.items()
            for field, value in values.items()
        }

    def figures(self) -> dict[str, dict[str, Any]]:
        """The hand-entered cells (the register's are left out)."""
        out: dict[str, dict[str, Any]] = {}
        for name, value in self.cleaned_data.items():
            key, field = name.split("__")
            if key in FROM_REGISTER:
                continue
            out.setdefault(key, {})[field] = str(value) if isinstance(value, Decimal) else value
        return out


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label="审核意见（退回时必填）", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
