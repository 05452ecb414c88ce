"""Form fields for uploads shared by every page that takes files (evidence, requests)."""

from __future__ import annotations

from typing import Any

from django import forms


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one <input type=file multiple>, as a list (empty when none).

    Each file is checked by its content where it is stored, not here; `max_files` refuses too
    many in the user's words.
    """

    def __init__(self, *args: Any, max_files: int | None = None, **kwargs: Any) -> None:
        self.max_files = max_files
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        files = data if isinstance(data, list | tuple) else [data] if data else []
        files = [f for f in files if f]
        if self.max_files is not None and len(files) > self.max_files:
            raise forms.ValidationError(f"附件最多 {self.max_files} 个，您选择了 {len(files)} 个")
        single = super().clean
        return [single(f, initial) for f in files]
