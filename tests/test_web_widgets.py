"""Date fields render ISO values under the Chinese locale, which <input type=date> needs."""

from __future__ import annotations

import datetime as dt

import pytest
from django import forms
from django.utils import translation

from gongkai.consult.forms import _date as consult_date
from gongkai.disclosure.forms import DayField
from gongkai.portal.forms import PageForm
from gongkai.publishing.forms import date_field


@pytest.mark.parametrize(
    "field",
    [
        DayField("到达日期"),
        consult_date("开始日期"),
        date_field("成文日期"),
        PageForm.base_fields["updated_on"],
    ],
    ids=["disclosure", "consult", "publishing", "portal"],
)
def test_date_inputs_carry_iso_values_under_zh_hans(field: forms.Field) -> None:
    with translation.override("zh-hans"):
        html = field.widget.render("d", dt.date(2026, 4, 2))
    assert 'type="date"' in html and 'value="2026-04-02"' in html
