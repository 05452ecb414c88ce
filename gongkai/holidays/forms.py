"""Forms of the calendar page. Dates and counts are read by gongkai.holidays.inputs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, TypeVar

from django import forms

from gongkai.holidays.actions import REASON_MAX
from gongkai.holidays.inputs import InputError, parse_count, parse_date
from gongkai.holidays.models import AdjustmentKind
from gongkai.web.widgets import DateInput

T = TypeVar("T")


def _read(parse: Callable[[str, str], T], text: str, label: str) -> T:
    try:
        return parse(text, label)
    except InputError as exc:
        raise forms.ValidationError(str(exc)) from exc


class AdjustmentForm(forms.Form):
    date = forms.CharField(label="日期", widget=DateInput, required=False)
    kind = forms.ChoiceField(label="调整为", choices=AdjustmentKind.choices)
    reason = forms.CharField(label="原因", max_length=REASON_MAX, required=False)

    def clean_date(self) -> dt.date:
        return _read(parse_date, self.cleaned_data["date"], "日期")


class DeadlineForm(forms.Form):
    """The 期限计算 tool, read from the query string."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "tool_%s")  # the add form on the same page has a `date` too
        super().__init__(*args, **kwargs)

    date = forms.CharField(label="起算日", widget=DateInput, required=False)
    n = forms.CharField(label="工作日数", required=False)

    def clean_date(self) -> dt.date:
        return _read(parse_date, self.cleaned_data["date"], "起算日")

    def clean_n(self) -> int:
        return _read(parse_count, self.cleaned_data["n"], "工作日数")
