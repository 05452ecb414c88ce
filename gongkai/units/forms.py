"""Forms for editing a unit and uploading a directory file. They validate; actions write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings

from gongkai.units.columns import format_aliases, split_aliases
from gongkai.units.models import Unit, UnitGroup, UnitKind
from gongkai.units.sheets import SheetError, TableFormat, format_for


class AliasesField(forms.CharField):
    """A list of aliases typed as one line: 司法局、区司法行政局."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", "多个别名用顿号“、”或逗号分隔")
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        return format_aliases(value) if isinstance(value, list) else value

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]  # a list, not a str
        return split_aliases(super().to_python(value) or "")


class AliasLinesField(forms.CharField):
    """Aliases one per line, for names that themselves hold 、 (各县（市、区）)."""

    widget = forms.Textarea(attrs={"rows": 3})

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", "每行一个别名")
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        return "\n".join(value) if isinstance(value, list) else value

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]  # a list, not a str
        lines = (line.strip() for line in (super().to_python(value) or "").splitlines())
        return list(dict.fromkeys(line for line in lines if line))


class UnitForm(forms.Form):
    name = forms.CharField(label="名称", max_length=128)
    short_name = forms.CharField(label="简称", max_length=64, required=False)
    aliases = AliasesField(label="别名")
    kind = forms.ChoiceField(label="类型", choices=UnitKind.choices)
    parent = forms.ModelChoiceField(
        label="上级单位", queryset=Unit.objects.none(), required=False, empty_label="（无）"
    )
    code = forms.CharField(label="单位代码", max_length=32, required=False)
    active = forms.BooleanField(label="在用", required=False, initial=True)
    comment = forms.CharField(
        label="修改说明", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, unit: Unit | None = None, **kwargs: Any) -> None:
        if unit is not None:
            kwargs.setdefault(
                "initial",
                {
                    "name": unit.name,
                    "short_name": unit.short_name,
                    "aliases": unit.aliases,
                    "kind": unit.kind,
                    "parent": unit.parent_id,
                    "code": unit.code,
                    "active": unit.active,
                },
            )
        super().__init__(*args, **kwargs)
        parents = Unit.objects.order_by("name")
        if unit is not None:
            parents = parents.exclude(pk=unit.pk)
        self.fields["parent"].queryset = parents  # type: ignore[attr-defined]  # a ModelChoiceField

    def unit_fields(self) -> dict[str, Any]:
        """The cleaned values the actions take (everything but the comment)."""
        return {k: v for k, v in self.cleaned_data.items() if k != "comment"}


class UnitAdminForm(forms.ModelForm):  # type: ignore[type-arg]  # ModelForm[Unit] breaks the admin's form typing
    aliases = AliasesField(label="别名")

    class Meta:
        model = Unit
        fields = ("name", "short_name", "aliases", "kind", "parent", "code", "active")


class UnitGroupAdminForm(forms.ModelForm):  # type: ignore[type-arg]  # as UnitAdminForm
    aliases = AliasLinesField(label="别名")

    class Meta:
        model = UnitGroup
        fields = ("name", "aliases", "mode", "members", "rule_kind", "rule_parent")


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label="单位名录文件（.xlsx 或 .csv）",
        error_messages={"empty": "上传的文件是空的", "required": "请选择要上传的文件"},
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        limit = settings.UPLOAD_MAX_BYTES
        if upload.size is not None and upload.size > limit:
            raise forms.ValidationError(f"文件超过 {limit // (1024 * 1024)} MB，请拆分后上传")
        try:
            self.format: TableFormat = format_for(upload.name or "")
        except SheetError as exc:
            raise forms.ValidationError(str(exc)) from None
        data = upload.read(limit + 1)
        if len(data) > limit:
            raise forms.ValidationError(f"文件超过 {limit // (1024 * 1024)} MB，请拆分后上传")
        if not data:
            raise forms.ValidationError("上传的文件是空的")
        self.data_bytes: bytes = data
        return upload
