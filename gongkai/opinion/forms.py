"""Forms of the 政务舆情 pages. They check shapes and lengths only; the rules (times in order,
who may do what) live in actions."""

from __future__ import annotations

from typing import Any

from django import forms

from gongkai.opinion.actions import EventInput, ResponseInput
from gongkai.opinion.models import Level, ResponseKind
from gongkai.units.models import Unit
from gongkai.web.widgets import MINUTE_INPUT_FORMATS, DateTimeInput


def _moment(label: str) -> forms.DateTimeField:
    """A date and time to the minute, in the office's time zone."""
    return forms.DateTimeField(
        label=label,
        widget=DateTimeInput(),
        input_formats=MINUTE_INPUT_FORMATS,
        error_messages={
            "required": f"请填写{label}",
            "invalid": f"{label}格式应为 年-月-日 时:分，例如 2026-03-05 10:30",
        },
    )


def _url(label: str) -> forms.URLField:
    return forms.URLField(
        label=label,
        required=False,
        max_length=1000,
        assume_scheme="https",
        error_messages={"invalid": f"{label}应为以 http:// 或 https:// 开头的网址"},
    )


class EventForm(forms.Form):
    unit = forms.ModelChoiceField(
        label="责任单位",
        queryset=Unit.objects.none(),
        empty_label="请选择",
        error_messages={"required": "请选择责任单位", "invalid_choice": "请选择责任单位"},
    )
    title = forms.CharField(
        label="舆情标题", max_length=200, error_messages={"required": "请填写舆情标题"}
    )
    level = forms.ChoiceField(
        label="舆情级别",
        choices=Level.choices,
        initial=Level.OTHER,
        help_text="特别重大、重大突发事件：5小时内发布权威信息、24小时内举行新闻发布会；其他舆情：48小时内予以回应。",
        error_messages={"required": "请选择舆情级别", "invalid_choice": "请选择舆情级别"},
    )
    detected_at = _moment("发现时间")
    source = forms.CharField(
        label="发现渠道",
        max_length=200,
        help_text="例如：微博、微信公众号、新闻网站、12345热线、网信部门通报",
        error_messages={"required": "请填写发现渠道"},
    )
    url = _url("原文链接")
    summary = forms.CharField(
        label="舆情概要", required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    links = forms.CharField(
        label="相关链接",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="其他转载、报道的网址，每行一个",
    )

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["unit"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = units

    def clean_links(self) -> str:
        lines = [line.strip() for line in self.cleaned_data["links"].splitlines() if line.strip()]
        check = forms.URLField(max_length=1000, assume_scheme="https")
        for line in lines:
            try:
                check.clean(line)
            except forms.ValidationError:
                raise forms.ValidationError(f"「{line[:100]}」不是有效的网址") from None
        return "\n".join(lines)

    def to_input(self) -> EventInput:
        d = self.cleaned_data
        return EventInput(
            unit=d["unit"],
            title=d["title"],
            source=d["source"],
            detected_at=d["detected_at"],
            level=Level(d["level"]),
            summary=d["summary"],
            url=d["url"],
            links=d["links"],
        )


class ResponseForm(forms.Form):
    kind = forms.ChoiceField(
        label="回应方式",
        choices=ResponseKind.choices,
        error_messages={"required": "请选择回应方式", "invalid_choice": "请选择回应方式"},
    )
    at = _moment("回应时间")
    channel = forms.CharField(
        label="发布渠道",
        max_length=200,
        help_text="例如：政府门户网站、政务微博、新闻发布厅",
        error_messages={"required": "请填写发布渠道"},
    )
    url = _url("链接")
    note = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def to_input(self) -> ResponseInput:
        d = self.cleaned_data
        return ResponseInput(
            kind=ResponseKind(d["kind"]),
            at=d["at"],
            channel=d["channel"],
            url=d["url"],
            note=d["note"],
        )


class LevelForm(forms.Form):
    level = forms.ChoiceField(
        label="调整为",
        choices=Level.choices,
        error_messages={"required": "请选择舆情级别", "invalid_choice": "请选择舆情级别"},
    )
    reason = forms.CharField(
        label="调整理由", max_length=500, error_messages={"required": "请填写调整理由"}
    )


class AssignForm(forms.Form):
    unit = forms.ModelChoiceField(
        label="新的责任单位",
        queryset=Unit.objects.none(),
        empty_label="请选择",
        error_messages={"required": "请选择责任单位", "invalid_choice": "请选择责任单位"},
    )
    reason = forms.CharField(
        label="调整理由", max_length=500, error_messages={"required": "请填写调整理由"}
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["unit"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Unit.objects.active().order_by("name")


class CloseForm(forms.Form):
    note = forms.CharField(
        label="办结说明",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="仍有环节未完成时必须填写（仅公开办可办结）",
    )
