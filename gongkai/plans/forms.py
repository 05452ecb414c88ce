"""Forms of the import flow. They validate; drafts.py and actions.py write."""

from __future__ import annotations

from functools import partial
from typing import Any

from django import forms
from django.conf import settings
from django.db import models
from django.utils import timezone

from gongkai.plans.actions import MAX_YEAR, MIN_YEAR
from gongkai.plans.drafts import RowEdit
from gongkai.plans.models import Plan
from gongkai.plans.rows import delete_row, edit_row, merge_with_previous, parse_path, split_row
from gongkai.units.models import Unit
from gongkai.units.resolve import split_units


class UploadForm(forms.Form):
    file = forms.FileField(
        label="任务清单文件（.docx .xlsx .pdf .html .txt，旧版 .doc/.wps 请先另存为 .docx）",
        error_messages={"empty": "上传的文件是空的", "required": "请选择要上传的文件"},
    )
    plan = forms.ModelChoiceField(
        label="作为新版本导入到",
        queryset=Plan.objects.none(),
        required=False,
        empty_label="（新建任务清单）",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = Plan.objects.order_by("-year", "name")  # type: ignore[attr-defined]  # a ModelChoiceField

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        limit = settings.UPLOAD_MAX_BYTES
        too_big = f"文件超过 {limit // (1024 * 1024)} MB，请拆分后上传"
        if upload.size is not None and upload.size > limit:
            raise forms.ValidationError(too_big)
        data = upload.read(limit + 1)
        if len(data) > limit:
            raise forms.ValidationError(too_big)
        if not data:
            raise forms.ValidationError("上传的文件是空的")
        self.data_bytes: bytes = data
        return upload


class RowOp(models.TextChoices):
    EDIT = "edit", "修改"
    DELETE = "delete", "删除"
    SPLIT = "split", "拆分"
    MERGE = "merge", "与上一项合并"


class RowForm(forms.Form):
    """One edit of one row. `edit()` is the change to apply to the draft's rows."""

    row = forms.CharField(max_length=16)
    op = forms.ChoiceField(choices=RowOp.choices)
    path = forms.CharField(label="类别（用 / 分隔）", required=False, max_length=1000)
    requirement = forms.CharField(
        label="工作要求", required=False, max_length=10000, widget=forms.Textarea(attrs={"rows": 3})
    )
    lead = forms.CharField(label="牵头单位", required=False, max_length=2000)
    responsible = forms.CharField(label="责任单位", required=False, max_length=2000)
    deadline = forms.CharField(label="时限", required=False, max_length=300)
    first = forms.CharField(label="第一项", required=False, max_length=10000)
    second = forms.CharField(label="第二项", required=False, max_length=10000)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        op = data.get("op")
        if op == RowOp.EDIT and not str(data.get("requirement", "")).strip():
            self.add_error("requirement", "工作要求不能为空")
        if op == RowOp.SPLIT and not (
            data.get("first", "").strip() and data.get("second", "").strip()
        ):
            self.add_error("second", "拆分后的两项都不能为空")
        return data

    def edit(self) -> RowEdit:
        data = self.cleaned_data
        row_id = data["row"]
        op = RowOp(data["op"])
        if op == RowOp.DELETE:
            return partial(delete_row, row_id=row_id)
        if op == RowOp.MERGE:
            return partial(merge_with_previous, row_id=row_id)
        if op == RowOp.SPLIT:
            return partial(split_row, row_id=row_id, first=data["first"], second=data["second"])
        return partial(
            edit_row,
            row_id=row_id,
            path=parse_path(data["path"]),
            requirement=data["requirement"].strip(),
            lead_units=split_units(data["lead"]),
            responsible_units=split_units(data["responsible"]),
            deadline=data["deadline"].strip() or None,
        )


class PickForm(forms.Form):
    phrase = forms.CharField(max_length=500)
    unit = forms.ModelChoiceField(queryset=Unit.objects.active(), required=False)


class ConfirmForm(forms.Form):
    name = forms.CharField(label="任务清单名称", max_length=200, required=False)
    year = forms.IntegerField(label="年度", min_value=MIN_YEAR, max_value=MAX_YEAR, required=False)
    allow_unresolved = forms.BooleanField(
        label="保留未能对应的单位（按原文记录，以后再指定）", required=False
    )

    def __init__(self, *args: Any, new_plan: bool, unresolved: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.new_plan = new_plan
        self.unresolved = unresolved
        if not new_plan:
            del self.fields["name"], self.fields["year"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.new_plan:
            if not str(data.get("name") or "").strip():
                self.add_error("name", "请填写任务清单名称")
            if data.get("year") is None and "year" not in self.errors:
                self.add_error("year", "请填写年度")
        if self.unresolved and not data.get("allow_unresolved"):
            self.add_error(
                "allow_unresolved",
                f"还有 {self.unresolved} 个单位未能对应到单位名录："
                "请逐个选择，或勾选此项按原文保留",
            )
        return data


def default_year(meta: dict[str, Any]) -> int:
    issued = str(meta.get("issued") or "")
    if issued[:4].isdigit() and MIN_YEAR <= int(issued[:4]) <= MAX_YEAR:
        return int(issued[:4])
    return timezone.localdate().year
